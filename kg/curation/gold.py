"""The corrected extraction of articles as gold files (``../shared/spec/schema.md``): training data.

For each article a correction changes, ``NAME.txt`` (the text the extraction
was made from, kept in the article graph as ``schema:text``) and
``NAME.gold.json`` (entities with type and the aliases found in the text,
relations with their evidence), after the analysts' corrections: merged
entities are one, split ones are two, names and types corrected, rejected
facts and junk entities gone, asserted facts (given with an article) in. A
trainer that reads gold folders, and ``../shared/eval/score.py``, read them as
they read the hand-made ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from kg.curation.actions import article_text, load_overlay, mention_pairs
from kg.curation.model import fact_key
from kg.curation.overlay import Overlay
from kg.namespace import ECO, ENTITIES_GRAPH, RDF, RDFS, SCHEMA, SKOS, local_name

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class GoldExport:
    """What an export wrote, and the articles it could not (no stored text)."""

    written: list[str] = field(default_factory=list)  # NAMEs
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (article IRI, reason)


def article_gold(store, art: str, ov: Overlay) -> dict:
    """One article's extraction as a gold object, with the corrections applied (none for an empty overlay)."""
    g = ox.NamedNode(art)
    meta = {sol["p"].value: sol["v"].value for sol in store.query(
        f"SELECT ?p ?v WHERE {{ GRAPH {g} {{ {g} ?p ?v }} }}", union=False)}
    desc: dict[str, dict] = {}
    q = f"""SELECT ?e ?p ?v WHERE {{ GRAPH {g} {{ {g} <{ECO.mentions}> ?e . ?e ?p ?v
            VALUES ?p {{ <{RDF.type}> <{RDFS.label}> <{SKOS.altLabel}> }} }} }}"""
    for sol in store.query(q, union=False):
        d = desc.setdefault(sol["e"].value, {"type": None, "labels": {}, "aliases": []})
        p, v = sol["p"].value, sol["v"]
        if p == str(RDF.type):
            d["type"] = local_name(v.value)
        elif p == str(RDFS.label):
            d["labels"].setdefault(v.language or "en", v.value)
        else:
            d["aliases"].append(v.value)
    q = f"""SELECT ?s ?p ?o ?ev WHERE {{ GRAPH {g} {{
            ?a <{ECO.subject}> ?s ; <{ECO.predicate}> ?p ; <{ECO.object}> ?o ; <{ECO.evidence}> ?ev }} }}"""
    rows = [{"s": sol["s"].value, "p": local_name(sol["p"].value), "o": sol["o"].value, "art": art,
             "evidence": sol["ev"].value} for sol in store.query(q, union=False)]
    rows.sort(key=lambda r: (r["s"], r["p"], r["o"], r["evidence"]))
    text = meta.get(str(SCHEMA.text), "")

    entities: dict[str, dict] = {}  # corrected IRI -> gold entity

    def add(raw: str | None, iri: str) -> None:
        d = desc.get(raw or iri) or _stored_description(store, iri)
        name = ov.names.get(iri)
        if name is None and raw is not None and raw != iri:
            name = _canonical(_stored_description(store, iri)["labels"])
        name = name or _canonical(d["labels"]) or local_name(iri)
        e = entities.setdefault(iri, {"name": name, "type": ov.types.get(iri) or d["type"] or "", "aliases": []})
        for n in [*d["labels"].values(), *d["aliases"]]:
            if n != e["name"] and n not in e["aliases"] and (not text or n.casefold() in text.casefold()):
                e["aliases"].append(n)

    for raw in sorted(desc):
        iri = ov.resolve(raw, art)
        if ov.is_entity(iri):
            add(raw, iri)
    relations = []
    seen = set()
    corrected = ov.assertion_rows(rows, with_asserted=False)
    corrected += [{"s": ov.resolve(c.fact[0], art), "p": c.fact[1], "o": ov.resolve(c.fact[2], art),
                   "evidence": c.evidence or c.note or ""}
                  for c in ov.asserted if art in c.articles and c.fact]
    for r in corrected:
        if not (ov.is_entity(r["s"]) and ov.is_entity(r["o"])) or r["s"] == r["o"]:
            continue
        for side in (r["s"], r["o"]):
            if side not in entities:
                add(None, side)
        key = (*fact_key(r["s"], r["p"], r["o"]), r["evidence"])
        if key in seen:
            continue
        seen.add(key)
        relations.append({"subject": entities[r["s"]]["name"], "predicate": r["p"],
                          "object": entities[r["o"]]["name"], "evidence": r["evidence"]})
    source = meta.get(str(SCHEMA.url)) or meta.get(str(ECO.sourceKey)) or art
    return {"source": source, "lang": meta.get(str(SCHEMA.inLanguage), "en"),
            "entities": sorted(entities.values(), key=lambda e: (e["type"], e["name"].casefold())),
            "relations": relations}


def _canonical(labels: dict[str, str]) -> str | None:
    return labels.get("en") or next(iter(labels.values()), None)


def _stored_description(store, iri: str) -> dict:
    """An entity's type and labels from the entity graph (for entities an article does not name itself)."""
    d: dict = {"type": None, "labels": {}, "aliases": []}
    n = ox.NamedNode(iri)
    q = f"SELECT ?p ?v WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ {n} ?p ?v }} }}"
    for sol in store.query(q, union=False):
        p, v = sol["p"].value, sol["v"]
        if p == str(RDF.type) and v.value.startswith(str(ECO)):
            d["type"] = local_name(v.value)
        elif p == str(RDFS.label):
            d["labels"].setdefault(v.language or "en", v.value)
    return d


def affected_articles(store, ov: Overlay) -> list[str]:
    """Articles whose corrected extraction may differ from the extracted one (checked by the caller)."""
    ents = set(ov.affected_entities()) | set(ov.names) | set(ov.types)
    for c in ov.corrections:
        if c.fact:
            ents.update((c.fact[0], c.fact[2]))
    raw = {x for e in ents for x in ov.raw_iris(e)}
    arts = {art for _, art in mention_pairs(store, sorted(raw))}
    for c in ov.corrections:
        arts.update(c.articles)
    known = set(store.article_graphs())
    return sorted(a for a in arts if a in known)


def file_name(source: str, art: str, taken: set[str]) -> str:
    """NAME for an article: its file or URL name without the suffix, made safe and unique."""
    path = unquote(urlsplit(source).path) if "://" in source else source
    stem = Path(path).name.rsplit(".", 1)[0] if Path(path).name else ""
    stem = _SAFE.sub("_", stem).strip("._")[:80] or local_name(art)[:20]
    name = stem if stem not in taken else f"{stem}-{local_name(art)[:8]}"
    taken.add(name)
    return name


def export_gold(store, out_dir: str | Path, *, every_article: bool = False) -> GoldExport:
    """Write NAME.txt and NAME.gold.json for each article a correction changed (or every article)."""
    ov = load_overlay(store)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = GoldExport()
    taken: set[str] = set()
    arts = sorted(store.article_graphs()) if every_article else affected_articles(store, ov)
    for art in arts:
        gold = article_gold(store, art, ov)
        if not every_article and gold == article_gold(store, art, Overlay()):
            continue  # a correction touched an entity it names, but not what this article says
        text = article_text(store, art)
        if text is None:
            report.skipped.append((art, "the store has no text for it (ingested before texts were kept): "
                                        "ingest it again"))
            continue
        name = file_name(gold["source"], art, taken)
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        (out / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        report.written.append(name)
    return report
