"""The default corpus: team-written, dated articles with gold annotations, and the sources file.

The gold files are checked the way ../shared/train's are (types and predicates of the schema,
relation arguments among the listed entities, every alias and evidence a verbatim substring of its
article), each article's front matter is checked, and the whole folder is ingested into a real
on-disk store. The articles are regression data: written by the team, they flatter any extractor
and say nothing about extraction quality.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from ingest.nlp.text.zh_text import simplified
from ingest.text import iter_article_files
from ingest.web.sources import load_sources
from kg.model import ENTITY_TYPES, PREDICATES

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOLD = CORPUS / "gold"
# The seed article (a machine translation of a 2015 The New Stack story) is kept as it came: no
# front matter, no gold file of ours.
SEED = "000_dc401c448a177e01.txt"
_FRONT = re.compile(r"\A---\n((?:[a-z]+: .*\n)+)---\n")


def _articles() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in {".md", ".txt"} and p.name != SEED)


def _split(path: Path) -> tuple[dict[str, str], str]:
    """Front matter as a dict, and the body after it."""
    text = path.read_text(encoding="utf-8")
    m = _FRONT.match(text)
    assert m, f"{path.name}: no front matter block"
    meta = dict(line.split(": ", 1) for line in m.group(1).splitlines())
    return meta, text[m.end():]


def _gold(path: Path) -> dict:
    return json.loads((GOLD / f"{path.stem}.gold.json").read_text(encoding="utf-8"))


ARTICLES = _articles()


def test_the_corpus_is_large_and_mixed():
    langs = {"en": 0, "zh-Hans": 0, "zh-Hant": 0}
    for p in ARTICLES:
        meta, body = _split(p)
        if meta["lang"] == "en":
            langs["en"] += 1
        else:
            han = [c for c in body if "\u4e00" <= c <= "\u9fff"]
            changed = sum(a != b for a, b in zip(han, simplified("".join(han)), strict=True))
            langs["zh-Hant" if changed > len(han) * 0.05 else "zh-Hans"] += 1
    n = len(ARTICLES)
    assert n >= 85
    assert 0.45 <= langs["en"] / n <= 0.65, langs
    assert langs["zh-Hans"] / n >= 0.2 and langs["zh-Hant"] / n >= 0.1, langs


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_front_matter_and_size(path):
    meta, body = _split(path)
    assert set(meta) == {"title", "date", "lang"}
    date = dt.date.fromisoformat(meta["date"])
    assert dt.date(2013, 1, 1) <= date <= dt.date(2020, 12, 31)
    assert meta["lang"] in {"en", "zh"}
    assert body.lstrip().startswith(meta["title"]), "the headline is the body's first line"
    if meta["lang"] == "en":
        assert 150 <= len(body.split()) <= 350
    else:
        assert 300 <= len("".join(body.split())) <= 600


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_gold_file_follows_the_schema(path):
    meta, body = _split(path)
    gold = _gold(path)
    assert gold["lang"] == meta["lang"]
    assert gold["source"] == f"corpus/{path.name}"
    names = [e["name"] for e in gold["entities"]]
    assert len(names) == len(set(names)), "one entry per entity"
    for e in gold["entities"]:
        assert e["type"] in ENTITY_TYPES, e
        for alias in e["aliases"]:
            assert alias in body, f"alias {alias!r} of {e['name']} is not in the text"
        assert e["name"] in body or e["aliases"], f"{e['name']} is neither named nor aliased"
    assert gold["relations"], "every article states some relation"
    for r in gold["relations"]:
        assert r["predicate"] in PREDICATES, r
        assert r["subject"] in names and r["object"] in names, r
        assert r["subject"] != r["object"], r
        assert r["evidence"] in body, f"evidence not verbatim: {r['evidence'][:60]!r}"


def test_every_gold_file_has_its_article():
    stems = {p.stem for p in ARTICLES}
    golds = {p.name[: -len(".gold.json")] for p in GOLD.glob("*.gold.json")}
    assert golds == stems


def test_ingest_reads_the_articles_and_never_the_gold_files():
    files, missing = iter_article_files([CORPUS])
    assert not missing
    assert {f.name for f in files} == {p.name for p in ARTICLES} | {SEED}
    assert not any(f.suffix == ".json" or "gold" in f.parts for f in files)


def test_sources_file_lists_real_feeds_switched_off():
    sf = load_sources(CORPUS / "sources.toml")
    folder = sf.by_name("corpus")
    assert folder is not None and Path(folder.path) == CORPUS and folder.enabled
    feeds = [s for s in sf.sources if s.kind != "folder"]
    assert feeds and not any(s.enabled for s in feeds), "web sources stay off until a user enables them"
    assert all(s.url and s.url.startswith("https://") for s in feeds)
    assert {s.lang for s in feeds} >= {"en", "zh"}
    assert "enabled = true" in (CORPUS / "sources.toml").read_text(encoding="utf-8")  # the how-to comment


def test_ingesting_the_corpus_builds_a_graph_of_a_few_hundred_entities(store):
    from ingest.ingestion import ingest_paths
    from kg import queries

    report = ingest_paths(store, [CORPUS])
    assert not report.failed
    assert len(report.new) == len(ARTICLES) + 1  # with the seed
    assert queries.article_count(store) == len(ARTICLES) + 1
    by_type = queries.counts_by_type(store)
    assert 200 <= sum(by_type.values()) <= 1000, by_type
    assert {"Vendor", "Product", "Person", "Organization", "Event"} <= set(by_type)
    facts = queries.counts_by_predicate(store)
    assert sum(facts.values()) >= 200, facts
    assert {"competesWith", "acquired", "develops", "leads"} <= set(facts)
    dated = [a for a in queries.articles(store) if a.get("date")]
    assert len(dated) == len(ARTICLES), "every team-written article is dated (the seed has no date)"
    assert min(str(a["date"]) for a in dated) >= "2013" and max(str(a["date"]) for a in dated) < "2021"
    again = ingest_paths(store, [CORPUS])
    assert len(again.unchanged) == len(ARTICLES) + 1 and not again.new
