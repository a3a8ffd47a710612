"""The changes cache carried across a writer's session (kg.warm_cache), on a real on-disk store.

After an ingest the cache of the new generation must be there (the next `ecokg changes` is warm)
and equal, table by table and change by change, to what a cold read of the store gives; whatever
the session did that cannot be followed (a removal, a correction, another writer, a crash, a
damaged base) leaves the next reader to read the store, as before.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from time_helpers import E, iri, write_story

from ingest.ingestion import ensure_catalog, ingest_articles, recorded
from kg import time_cache, warm_cache
from kg.catalog import parse_catalog
from kg.changes import changes
from kg.changes_format import to_json
from kg.curation import actions
from kg.model import Article, Entity, Extraction, Relation
from kg.namespace import article_iri
from kg.rdf import article_quads
from kg.store import CACHE_DIR, EmbeddedStore, store_generation

SPANS = [("2015", "2015"), ("2014", "2016"), ("2016", "2017"), ("2015Q3", "2016Q4"), (None, "2017")]


@pytest.fixture
def path(tmp_path, monkeypatch):
    """The story in a closed store, its cache written; the settle time off (tests' writes are apart anyway)."""
    monkeypatch.setattr(time_cache, "SETTLE_S", 0.0)
    p = tmp_path / "store"
    s = EmbeddedStore(p)
    write_story(s)
    s.close()
    assert not time_cache.read_inputs(str(p)).cached and time_cache.read_inputs(str(p)).cached
    return p


def story(key: str, day: str, rels: list[tuple[Entity, str, Entity, str]], *, ended: str | None = None,
          event: str | None = None) -> tuple[Article, Extraction]:
    """One article of hand-written sentences and its extraction, as ingestion makes them."""
    text = " ".join(r[3] for r in rels)
    relations, ents = [], {}
    for s, p, o, sentence in rels:
        ents[s.id], ents[o.id] = s, o
        start = text.index(sentence)
        relations.append(Relation(s.id, p, o.id, sentence, 0.8, start, start + len(sentence),
                                  ended if sentence.startswith("End") else None, event))
    url = f"https://news.test/{key}"
    art = Article(source=url, text=text, key=url, title=f"Story {key}", date=day, lang="en", url=url)
    return art, Extraction(source=url, lang="en", entities=list(ents.values()), relations=relations)


PODMAN, REDHAT, K8S = Entity("Podman", "Product"), Entity("Red Hat", "Vendor"), Entity("Kubernetes", "Standard")
BATCH_B = [
    story("b1", "2016-03-01", [(REDHAT, "develops", PODMAN, "Red Hat launched Podman."),
                               (REDHAT, "competesWith", E["docker"], "Red Hat competes with Docker.")]),
    story("b2", "2016-05-10", [(E["google"], "develops", K8S, "Google develops Kubernetes."),
                               (E["docker"], "supports", K8S, "Docker backs Kubernetes."),
                               (E["microsoft"], "partnersWith", E["google"], "Microsoft partners with Google.")]),
    story("b3", "2016-06-01", [(E["google"], "competesWith", E["docker"], "End of the Google and Docker rivalry.")],
          ended="ended"),
    story("b4", "2016-07-01", [(E["docker"], "acquired", Entity("Tutum", "Vendor"), "Docker acquired Tutum last year.")],
          event="2015"),
    # a new text for an article already stored: its graph is replaced
    story("a8", "2016-02-01", [(E["docker"], "partnersWith", E["coreos"], "Docker and CoreOS partner again, closely."),
                               (E["coreos"], "develops", Entity("etcd", "Product"), "CoreOS develops etcd.")]),
]


def extract_b(articles):
    made = {a.key: ext for a, ext in BATCH_B}
    return [made[a.key] for a in articles]


def ingest_b(path: Path, tmp_path: Path | None = None) -> None:
    """Batch B through the ingestion of the CLI and the app: the catalog, the run log, the articles."""
    s = EmbeddedStore(path)
    try:
        if tmp_path is not None:
            cat = tmp_path / "catalog.csv"
            cat.write_text("type,name,name_zh,aliases,wikidata,market,maker\nVendor,Docker,,,,containers,\n"
                           "Vendor,Red Hat,红帽,,,containers,\n", encoding="utf-8")
            ensure_catalog(s, parse_catalog(cat))
        report = recorded(s, ["batch-b"], "test ingest", lambda: ingest_articles(
            s, [a for a, _ in BATCH_B], extract_batch=extract_b))
        assert not report.failed and len(report.new) == 4 and len(report.updated) == 1
    finally:
        s.close()


def cold(path: Path) -> time_cache.TimeInputs:
    with EmbeddedStore(path, read_only=True) as s:
        return time_cache.read_store(s)


def canonical_frame(f: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in time_cache._FRAME if c != "k"]
    out = f[cols].astype(object).where(f[cols].notna(), None).astype(str)
    return out.sort_values(cols).reset_index(drop=True)


def assert_same_tables(got: time_cache.TimeInputs, want: time_cache.TimeInputs) -> None:
    pd.testing.assert_frame_equal(canonical_frame(got.frame), canonical_frame(want.frame))
    for f in (got.frame, want.frame):  # one code per fact, one fact per code
        pairs = f[["s", "p", "o", "k"]].drop_duplicates()
        assert pairs["k"].is_unique and not pairs[["s", "p", "o"]].duplicated().any()
    key = ["art", "s", "p", "o", "status", "evidence"]
    pd.testing.assert_frame_equal(all_sentences(got).sort_values(key).reset_index(drop=True),
                                  all_sentences(want).sort_values(key).reset_index(drop=True))
    assert got.context == want.context


def all_sentences(got: time_cache.TimeInputs) -> pd.DataFrame:
    ev = got.evidence
    ev = ev.to_pandas(ignore_metadata=True) if isinstance(ev, pa.Table) else ev
    return ev[["art", "s", "p", "o", "status", "evidence"]].astype(object).where(ev.notna(), None).astype(str)


def changes_json(got: time_cache.TimeInputs, span) -> dict:
    ch = changes(None, *span, frame=got.frame, ctx=got.context, evidence=got.evidence_of)
    return json.loads(to_json(ch))


def store_changes(path: Path, span) -> dict:
    with EmbeddedStore(path, read_only=True) as s:
        return json.loads(to_json(changes(s, *span)))


def folders(path: Path) -> list[str]:
    return sorted(p.name for p in (path / CACHE_DIR).iterdir())


def test_an_ingest_leaves_the_cache_of_the_new_generation_equal_to_a_cold_read(path, tmp_path):
    ingest_b(path, tmp_path)
    gen = store_generation(str(path))
    assert folders(path) == [f"changes-v{time_cache.VERSION}-en-{gen}"]
    warm = time_cache.read_inputs(str(path))
    assert warm.cached  # the first run after the ingest reads no store
    want = cold(path)
    assert article_iri("https://news.test/b1") in set(want.frame["art"])
    assert_same_tables(warm, want)
    for span in SPANS:
        assert changes_json(warm, span) == changes_json(want, span) == store_changes(path, span)
    assert changes_json(warm, ("2016", "2016"))["sections"]["new_rivalries"]  # batch B shows


def test_two_ingests_and_active_corrections_stay_exact(path, tmp_path):
    s = EmbeddedStore(path)
    actions.rename(s, iri("docker"), "Docker Inc.", who="ana", why="its name")
    actions.merge(s, iri("orchard"), iri("socketplane"), who="ana", why="one company")
    actions.reject(s, iri("google"), "competesWith", iri("docker"), who="ana", why="no")
    actions.assert_fact(s, iri("microsoft"), "competesWith", iri("google"), note="known", source="https://x.test/1",
                        why="seen", who="ana")
    s.close()
    gc.collect()  # the corrections' query results (in cycles) hold the store open until collected
    assert not time_cache.read_inputs(str(path)).cached  # corrections: read again, as before
    ingest_b(path)
    first = time_cache.read_inputs(str(path))
    assert first.cached
    assert_same_tables(first, cold(path))
    more = story("c1", "2017-01-05", [(E["docker"], "competesWith", E["orchard"], "Docker now competes with Orchard."),
                                      (E["google"], "competesWith", E["docker"], "Google competes with Docker again.")])
    s = EmbeddedStore(path)
    s.replace_graph(article_iri(more[0].key), article_quads(*more))
    s.close()
    warm = time_cache.read_inputs(str(path))
    assert warm.cached
    want = cold(path)
    assert_same_tables(warm, want)
    for span in SPANS:
        assert changes_json(warm, span) == store_changes(path, span)


@pytest.mark.parametrize("session", ["removal", "correction", "raw"])
def test_a_session_that_cannot_be_followed_leaves_a_cold_read(path, session):
    store_generation_before = store_generation(str(path))
    s = EmbeddedStore(path)
    s.replace_graph(article_iri(BATCH_B[0][0].key), article_quads(*BATCH_B[0]))
    if session == "removal":
        assert s.remove_graph(article_iri("https://news.test/a3"))
    elif session == "correction":
        actions.reject(s, iri("coreos"), "develops", iri("rkt"), who="ana", why="no")
    else:
        s.oxigraph.remove_graph(__import__("pyoxigraph").NamedNode(article_iri("https://news.test/a7")))
    base = s._warm
    assert base and base.generation == store_generation_before  # the base was taken at the first write
    s.close()
    assert all(f.closed for f in base.files.values())  # and let go
    assert not (path / CACHE_DIR).exists() or not any(
        n.endswith(f"-{store_generation(str(path))}") for n in folders(path))
    got = time_cache.read_inputs(str(path))
    assert not got.cached
    assert_same_tables(got, cold(path))


def test_a_damaged_base_leaves_a_cold_read(path):
    [folder] = folders(path)
    target = path / CACHE_DIR / folder / "evidence.parquet"
    target.write_bytes(target.read_bytes()[:100])
    ingest_b(path)
    got = time_cache.read_inputs(str(path))
    assert not got.cached
    assert_same_tables(got, cold(path))


def test_a_writer_that_came_between_is_noticed(path):
    """Another session committed after the base's generation and before this writer opened: no carry-over."""
    import pyoxigraph as ox

    before = store_generation(str(path))
    other = ox.Store(str(path))  # a writer this process does not track
    art, ext = BATCH_B[1]
    other.extend(article_quads(art, ext))
    other.flush()
    del other
    s = EmbeddedStore(path)
    s._gen_before_open = before  # as if measured just before the other writer committed
    s.replace_graph(article_iri(BATCH_B[0][0].key), article_quads(*BATCH_B[0]))
    s.close()
    got = time_cache.read_inputs(str(path))
    assert not got.cached
    assert article_iri("https://news.test/b2") in set(got.frame["art"])
    assert_same_tables(got, cold(path))


def test_a_writer_after_close_stops_the_save(path):
    s = EmbeddedStore(path)
    base = warm_cache.capture(str(path), s._gen_before_open)
    assert base is not None
    s.replace_graph(article_iri(BATCH_B[0][0].key), article_quads(*BATCH_B[0]))
    followed = warm_cache.follow(s, base, {article_iri(BATCH_B[0][0].key)})
    assert followed is not None
    s._warm = False  # this test saves by hand
    s.close()
    EmbeddedStore(path).close()  # another session opens the store after this one closed
    assert not warm_cache.commit(str(path), followed)


def test_a_crashed_writer_is_read_again(path):
    """A writer killed before close (its log unflushed): the next session does not carry the cache over."""
    code = f"""
import os, sys
sys.path[:0] = {[str(Path(__file__).parent), str(Path(__file__).parents[1])]!r}
from test_warm_cache import BATCH_B
from kg.namespace import article_iri
from kg.rdf import article_quads
from kg.store import EmbeddedStore
s = EmbeddedStore({str(path)!r})
s.replace_graph(article_iri(BATCH_B[2][0].key), article_quads(*BATCH_B[2]))
os._exit(0)
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    s = EmbeddedStore(path)
    s.replace_graph(article_iri(BATCH_B[0][0].key), article_quads(*BATCH_B[0]))
    s.close()
    got = time_cache.read_inputs(str(path))
    want = cold(path)
    assert {article_iri("https://news.test/b1"), article_iri("https://news.test/b3")} <= set(want.frame["art"])
    assert_same_tables(got, want)


def test_the_digest_reads_the_carried_cache_and_finds_what_the_assertions_show(path):
    """`ecokg schedule --digest`: before and after a run through the cache (warm after the run), the same
    changes as comparing the store's timed assertions before and after, as the digest did."""
    from ingest.web.digest import run_changes, snapshot
    from kg.changes import compute, read_context
    from kg.timeline import timed_assertions

    with EmbeddedStore(path, read_only=True) as s:
        old_before = timed_assertions(s)
    before = snapshot(str(path))
    assert before.cached
    ingest_b(path)
    after = snapshot(str(path))
    assert after.cached
    with EmbeddedStore(path, read_only=True) as s:
        want = compute(old_before, timed_assertions(s), read_context(s))
    got = run_changes(before.frame, after)
    assert got.count > 5 and json.loads(to_json(got)) == json.loads(to_json(want))
