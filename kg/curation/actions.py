"""What the CLI and the app call to correct the graph: find the entities, check, then one write.

Every function takes a store opened for writing (the single-writer rule holds:
a second writer gets ``StoreLockedError`` when it opens the store), checks the
correction against the graph as corrected so far, and raises
``CurationError`` with a one-line message for an unknown entity or fact, or a
correction that conflicts with an active one (say which, and how to undo it).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.curation import records
from kg.curation.model import (
    Correction,
    CurationError,
    check_name,
    check_predicate,
    check_text,
    check_type,
    fact_key,
)
from kg.curation.overlay import Overlay
from kg.namespace import ECO, ENT, ENTITIES_GRAPH, RDFS, SCHEMA, SKOS, article_iri, entity_iri, local_name
from kg.query import bind_terms

ECO_SUBJECT, ECO_PREDICATE, ECO_OBJECT = str(ECO.subject), str(ECO.predicate), str(ECO.object)
ECO_CONF, ECO_EVIDENCE, ECO_MENTIONS = str(ECO.confidence), str(ECO.evidence), str(ECO.mentions)


def default_who() -> str:
    """Who corrects when nobody says: $ECOKG_USER, else the login name."""
    try:
        return os.environ.get("ECOKG_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def load_overlay(store) -> Overlay:
    return Overlay(records.load(store))


def list_corrections(store, *, active_only: bool = False) -> list[Correction]:
    out = records.load(store)
    return [c for c in out if c.active] if active_only else out


# ------------------------------------------------------------------ finding things
def _type_of(store, iri: str) -> str | None:
    q = f"SELECT ?c WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ {ox.NamedNode(iri)} a ?c }} }} LIMIT 1"
    for sol in store.query(q, union=False):
        return local_name(sol["c"].value)
    return None


def entity_type(store, iri: str, ov: Overlay) -> str | None:
    """The corrected type of an entity, None when the graph does not know it."""
    return ov.types.get(iri) or _type_of(store, iri)


def find_entity(store, ref: str, ov: Overlay) -> str:
    """An entity from an IRI, ``ent:local-name`` or a name or alias (case-insensitive), as corrected."""
    ref = (ref or "").strip()
    if not ref:
        raise CurationError("give an entity (a name, an alias or its IRI)")
    if len(ref) > 1000:
        raise CurationError("an entity reference is at most 1000 characters")
    iri = None
    if ref.startswith("ent:"):
        iri = str(ENT) + ref[4:]
    elif ref.startswith(("http://", "https://")):
        iri = ref
    if iri is not None:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise CurationError(f"not an IRI: {ref!r}") from exc
        if entity_type(store, iri, ov) is None and iri not in ov.merged:
            raise CurationError(f"unknown entity {ref}")
        return iri
    found = _by_name(store, ref, ov)
    if not found:
        raise CurationError(f"unknown entity {ref!r}: no entity has that name or alias")
    if len(found) > 1:
        opts = ", ".join(f"{local_name(e)} ({entity_type(store, e, ov) or '?'})" for e in sorted(found)[:6])
        raise CurationError(f"{ref!r} names {len(found)} entities: {opts}; give one as ent:NAME")
    return found.pop()


def _by_name(store, name: str, ov: Overlay) -> set[str]:
    q = f"""SELECT DISTINCT ?e WHERE {{
      GRAPH <{ENTITIES_GRAPH}> {{ {{ ?e <{RDFS.label}> ?l }} UNION {{ ?e <{SKOS.altLabel}> ?l }} }}
      FILTER(LCASE(STR(?l)) = LCASE(STR(?q)))
    }}"""
    raw = {sol["e"].value for sol in store.query(bind_terms(q, {"q": ox.Literal(name)}), union=False)}
    key = name.casefold()
    raw |= {e for e, n in ov.names.items() if n.casefold() == key}
    # a renamed entity answers to its new name, and still to the old ones (they stay labels or aliases)
    return {ov.resolve(e) for e in raw if ov.resolve(e) not in ov.junk}


def find_article(store, ref: str) -> str:
    """An article graph from its IRI, source key, URL or file path."""
    ref = (ref or "").strip()
    graphs = set(store.article_graphs())
    candidates = [ref]
    p = Path(ref)
    try:
        if p.exists():
            candidates.insert(0, p.resolve().as_uri())
    except (OSError, ValueError):  # a name no file system takes (too long, a NUL): not a path then
        pass
    for c in candidates:
        if c in graphs:
            return c
        if article_iri(c) in graphs:
            return article_iri(c)
    raise CurationError(f"unknown article {ref!r}: give its IRI, URL or file path")


def entity_assertions(store, iri: str, ov: Overlay) -> list[dict]:
    """The corrected assertion rows touching one entity (bounded by that entity's assertions)."""
    raw = ov.raw_iris(iri)
    values = " ".join(str(ox.NamedNode(e)) for e in raw)
    q = f"""SELECT ?s ?p ?o ?art ?conf ?ev WHERE {{
      VALUES ?e {{ {values} }}
      GRAPH ?art {{ {{ ?a <{ECO_SUBJECT}> ?e }} UNION {{ ?a <{ECO_OBJECT}> ?e }}
        ?a <{ECO_SUBJECT}> ?s ; <{ECO_PREDICATE}> ?p ; <{ECO_OBJECT}> ?o ; <{ECO_CONF}> ?conf ; <{ECO_EVIDENCE}> ?ev }}
    }}"""
    rows = [
        {"s": sol["s"].value, "p": sol["p"].value.rsplit("#", 1)[-1], "o": sol["o"].value, "art": sol["art"].value,
         "conf": float(sol["conf"].value), "evidence": sol["ev"].value}
        for sol in store.query(q, union=False)
    ]
    return [r for r in ov.assertion_rows(rows) if iri in (r["s"], r["o"])]


def mention_pairs(store, iris: Sequence[str]) -> list[tuple[str, str]]:
    """(entity, article) for every article that mentions one of these entities."""
    if not iris:
        return []
    values = " ".join(str(ox.NamedNode(e)) for e in sorted(set(iris)))
    q = f"SELECT ?e ?art WHERE {{ VALUES ?e {{ {values} }} GRAPH ?art {{ ?art <{ECO_MENTIONS}> ?e }} }}"
    return [(sol["e"].value, sol["art"].value) for sol in store.query(q, union=False)]


# ------------------------------------------------------------------ conflicts
def _active(ov: Overlay, kind: str, **match: object) -> Correction | None:
    for c in ov.corrections:
        if c.kind == kind and all(getattr(c, k) == v for k, v in match.items()):
            return c
    return None


def _refuse(c: Correction | None, what: str) -> None:
    if c is not None:
        raise CurationError(f"{what} (correction {c.id} by {c.who}); undo it first: ecokg curate undo {c.id}")


def _usable(store, ov: Overlay, iri: str, label: str) -> None:
    if iri in ov.junk:
        _refuse(_active(ov, "not-entity", entity=iri), f"{label} is marked not an entity")
    if iri in ov.merged:
        _refuse(_active(ov, "merge", entity=iri), f"{label} is merged into {local_name(ov.resolve(iri))}")


# ------------------------------------------------------------------ the corrections
def _record(store, c: Correction) -> Correction:
    store.update(records.insert_update(c))
    flush = getattr(store, "flush", None)
    if flush:
        flush()
    return c


def _new(kind: str, who: str | None, why: str | None, **fields: object) -> Correction:
    who_ = check_text("who corrects", who or default_who(), required=True, limit=200)
    why_ = check_text("a reason (why)", why, required=True)
    return Correction(id=records.new_id(), kind=kind, who=who_, when=records.now(), why=why_, **fields)  # type: ignore[arg-type]


def merge(store, entity: str, into: str, *, who: str | None = None, why: str | None = None) -> Correction:
    """``entity`` and ``into`` are one thing: ``entity``'s names become aliases of ``into``."""
    ov = load_overlay(store)
    a, b = find_entity(store, entity, ov), find_entity(store, into, ov)
    _usable(store, ov, a, entity)
    _usable(store, ov, b, into)
    if a == b:
        raise CurationError(f"{entity!r} and {into!r} are already one entity ({local_name(a)})")
    return _record(store, _new("merge", who, why, entity=a, into=b))


def split(store, entity: str, articles: Sequence[str], name: str, type_: str | None = None, *,
          who: str | None = None, why: str | None = None) -> Correction:
    """In these articles, ``entity`` means another thing: ``name`` (of ``type_``, default the same type)."""
    ov = load_overlay(store)
    e = find_entity(store, entity, ov)
    _usable(store, ov, e, entity)
    if not articles:
        raise CurationError("give the articles in which the entity means something else (--article)")
    if len(articles) > 1000:
        raise CurationError("at most 1000 articles per split")
    arts = sorted({find_article(store, a) for a in articles})
    new_name = check_name(name)
    new_type = check_type(type_) if type_ else (entity_type(store, e, ov) or "")
    if not new_type:
        raise CurationError(f"give the type of {new_name!r} (--type)")
    new = entity_iri(new_type, new_name)
    if ov.resolve(new) == e:
        raise CurationError(f"{new_name!r} ({new_type}) is {local_name(e)} itself: give another name or type")
    mentioned = {art for x, art in mention_pairs(store, ov.raw_iris(e)) if ov.resolve(x, art) == e}
    missing = [a for a in arts if a not in mentioned]
    if missing:
        raise CurationError(f"{local_name(e)} is not mentioned in {local_name(missing[0])}"
                            + (f" and {len(missing) - 1} more article(s)" if len(missing) > 1 else ""))
    return _record(store, _new("split", who, why, entity=e, articles=tuple(arts), name=new_name, type=new_type))


def rename(store, entity: str, name: str, *, who: str | None = None, why: str | None = None) -> Correction:
    """The entity's English name becomes ``name``; the old one stays an alias."""
    ov = load_overlay(store)
    e = find_entity(store, entity, ov)
    _usable(store, ov, e, entity)
    new = check_name(name)
    _refuse(_active(ov, "rename", entity=e), f"{local_name(e)} is already renamed")
    return _record(store, _new("rename", who, why, entity=e, name=new))


def retype(store, entity: str, type_: str, *, who: str | None = None, why: str | None = None) -> Correction:
    ov = load_overlay(store)
    e = find_entity(store, entity, ov)
    _usable(store, ov, e, entity)
    t = check_type(type_)
    _refuse(_active(ov, "retype", entity=e), f"{local_name(e)} is already retyped")
    if entity_type(store, e, ov) == t:
        raise CurationError(f"{local_name(e)} is already a {t}")
    return _record(store, _new("retype", who, why, entity=e, type=t))


def not_entity(store, entity: str, *, who: str | None = None, why: str | None = None) -> Correction:
    """The entity is not a real entity (a parsing accident, junk): it and its facts leave every view."""
    ov = load_overlay(store)
    e = find_entity(store, entity, ov)
    _usable(store, ov, e, entity)
    return _record(store, _new("not-entity", who, why, entity=e))


def _fact(store, ov: Overlay, subject: str, predicate: str, obj: str) -> tuple[str, str, str]:
    s, o = find_entity(store, subject, ov), find_entity(store, obj, ov)
    _usable(store, ov, s, subject)
    _usable(store, ov, o, obj)
    return s, check_predicate(predicate), o


def reject(store, subject: str, predicate: str, obj: str, *, article: str | None = None,
           who: str | None = None, why: str | None = None) -> Correction:
    """The fact is wrong: in one article's assertion, or (no article) everywhere."""
    ov = load_overlay(store)
    s, p, o = _fact(store, ov, subject, predicate, obj)
    key = fact_key(s, p, o)
    art = find_article(store, article) if article else None
    for c in ov.corrections:
        if c.kind == "reject" and c.fact and fact_key(*c.fact) == key and (not c.articles or art in c.articles):
            _refuse(c, f"{_show(s, p, o)} is already rejected" + ("" if not c.articles else f" in {local_name(art)}"))
        if c.kind == "assert" and c.fact and fact_key(*c.fact) == key:
            _refuse(c, f"{_show(s, p, o)} was asserted by an analyst")
    rows = [r for r in entity_assertions(store, s, ov) if fact_key(r["s"], r["p"], r["o"]) == key]
    if art is not None:
        rows = [r for r in rows if r["art"] == art]
    if not rows:
        where = f" in {local_name(art)}" if art else ""
        raise CurationError(f"no such fact{where}: {_show(s, p, o)}")
    return _record(store, _new("reject", who, why, fact=(s, p, o), articles=(art,) if art else ()))


def assert_fact(store, subject: str, predicate: str, obj: str, *, note: str | None, source: str | None,
                article: str | None = None, evidence: str | None = None,
                who: str | None = None, why: str | None = None) -> Correction:
    """An analyst states a fact the extraction missed, with a note and a source (and, for training,
    the article and sentence that say it)."""
    ov = load_overlay(store)
    s, p, o = _fact(store, ov, subject, predicate, obj)
    if s == o:
        raise CurationError("a fact joins two different entities")
    note_ = check_text("a note (--note)", note, required=True)
    source_ = check_text("a source (--source)", source, required=True)
    evidence_ = check_text("evidence", evidence)
    art = find_article(store, article) if article else None
    if evidence_ and art is None:
        raise CurationError("evidence belongs to an article: give --article too")
    if evidence_ and art:
        text = article_text(store, art)
        if text is not None and evidence_ not in text:
            raise CurationError(f"the evidence is not in the text of {local_name(art)}: copy it verbatim")
    key = fact_key(s, p, o)
    for c in ov.corrections:
        if c.kind == "assert" and c.fact and fact_key(*c.fact) == key:
            _refuse(c, f"{_show(s, p, o)} is already asserted")
        if c.kind == "reject" and c.fact and fact_key(*c.fact) == key and not c.articles:
            _refuse(c, f"{_show(s, p, o)} is rejected everywhere")
    return _record(store, _new("assert", who, why, fact=(s, p, o), note=note_, source=source_,
                               articles=(art,) if art else (), evidence=evidence_))


def undo(store, cid: str, *, who: str | None = None, why: str | None = None) -> Correction:
    """Undo an active correction (it stays in the history, marked undone)."""
    cid = (cid or "").strip().rsplit("/", 1)[-1]
    all_ = {c.id: c for c in records.load(store)}
    c = all_.get(cid)
    if c is None:
        raise CurationError(f"unknown correction {cid!r} (see: ecokg curate list)")
    if not c.active:
        raise CurationError(f"correction {cid} was already undone at {c.undone_at} by {c.undone_by}")
    who_ = check_text("who undoes", who or default_who(), required=True, limit=200)
    why_ = check_text("a reason", why)
    store.update(records.undo_update(cid, who_, records.now(), why_))  # type: ignore[arg-type]
    flush = getattr(store, "flush", None)
    if flush:
        flush()
    return next(x for x in records.load(store) if x.id == cid)


def article_text(store, art: str) -> str | None:
    """The text an article was extracted from, when the store kept it (stores written before: None)."""
    q = f"SELECT ?t WHERE {{ GRAPH {ox.NamedNode(art)} {{ {ox.NamedNode(art)} <{SCHEMA.text}> ?t }} }} LIMIT 1"
    for sol in store.query(q, union=False):
        return sol["t"].value
    return None


def _show(s: str, p: str, o: str) -> str:
    return f"{local_name(s)} {p} {local_name(o)}"


__all__ = [
    "article_text", "assert_fact", "default_who", "entity_assertions", "find_article", "find_entity",
    "list_corrections", "load_overlay", "mention_pairs", "merge", "not_entity", "reject",
    "rename", "retype", "split", "undo",
]
