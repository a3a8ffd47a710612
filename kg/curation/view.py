"""The corrected views over store reads: the app's snapshot tables, descriptions and exported triples.

Thin glue between ``records`` (what the store holds) and ``overlay`` (how a
correction changes a row): each function reads what the overlay needs beyond
the rows it is given (the mentions of the few entities corrections touch) and
returns corrected rows. With no active correction every function returns its
input unchanged, at the cost of one small query of the curation graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.curation.actions import load_overlay, mention_pairs
from kg.curation.overlay import Overlay
from kg.curation.records import correction_iri
from kg.namespace import (
    ART,
    CURATION_GRAPH,
    ECO,
    ENT,
    ENTITIES_GRAPH,
    PROV,
    RDF,
    RDFS,
    SKOS,
    class_iri,
    predicate_iri,
)

_ENT = str(ENT)
_PRED_NS = str(ECO)


def snapshot_tables(store, got: dict) -> dict:
    """Correct the tables ``ecokg.ui.data.read_snapshot`` read (assertions, types, counts, labels, aliases).

    ``got["corrections"]`` is the overlay, read alongside the other tables.
    """
    ov: Overlay = got.get("corrections") or Overlay()
    if not ov:
        return got
    out = dict(got)
    out["assertions"] = ov.assertion_rows(got["assertions"])
    types = ov.entity_types((str(r["e"]), str(r["type"])) for r in got["types"])
    out["types"] = [{"e": e, "type": t} for e, t in types.items()]
    pairs = mention_pairs(store, sorted(ov.affected_entities()))
    out["counts"] = ov.mention_counts(got["counts"], pairs)
    aliases: dict[str, list[str]] = {}
    for r in got["aliases"]:
        aliases.setdefault(str(r["e"]), []).append(str(r["label"]))
    labels, aliases = ov.labels(got["labels"], aliases)
    out["labels"] = labels
    out["aliases"] = [{"e": e, "label": lab} for e, labs in aliases.items() for lab in labs]
    return out


def description(store, entity: str, raw_description, ov: Overlay | None = None) -> dict:
    """An entity's type, labels, aliases and sameAs as corrected (``raw_description(store, iri)`` reads one)."""
    ov = ov if ov is not None else load_overlay(store)
    desc = raw_description(store, entity)
    if not ov:
        return desc
    for src in ov.merged_into(entity):
        other = raw_description(store, src)
        desc["aliases"] |= set(other["labels"].values()) | other["aliases"]
        desc["sameAs"] |= other["sameAs"]
    if entity in ov.names:
        old = desc["labels"].get("en")
        if old and old != ov.names[entity]:
            desc["aliases"].add(old)
        desc["labels"]["en"] = ov.names[entity]
    if entity in ov.types:
        desc["types"] = {ov.types[entity]}
    desc["aliases"] -= set(desc["labels"].values())
    desc["corrected"] = True
    return desc


# ------------------------------------------------------------------ triples (ttl / jsonld export)
def corrected_triples(quads: Iterable[tuple[ox.Term, ox.Term, ox.Term, ox.Term]], ov: Overlay) -> Iterator[ox.Triple]:
    """The union graph as corrected, from every quad (s, p, o, graph) of the store.

    Entity IRIs are resolved per article graph, rejected facts and their
    assertion nodes dropped, junk entities left out, types and names
    corrected (old and merged-away names become ``skos:altLabel``), asserted
    facts added. The entity graph and the curation graph are left out: the
    first is derived from the others, the second is what was applied.
    """
    skip = {str(ENTITIES_GRAPH), str(CURATION_GRAPH)}
    quads = [q for q in quads if q[3].value not in skip]
    dropped_nodes: set[str] = set()
    facts_of: dict[str, dict[str, str]] = {}
    subj, pred, obj = str(ECO.subject), str(ECO.predicate), str(ECO.object)
    for s, p, o, g in quads:
        if p.value in (subj, pred, obj):
            facts_of.setdefault(s.value, {"g": g.value})[p.value] = o.value
    for node, f in facts_of.items():
        if subj in f and pred in f and obj in f:
            ctx = f["g"] if f["g"].startswith(str(ART)) else None
            s2, o2 = ov.resolve(f[subj], ctx), ov.resolve(f[obj], ctx)
            if not ov.keeps(s2, f[pred].rsplit("#", 1)[-1], o2, ctx):
                dropped_nodes.add(node)
    label, alt, rdf_type = str(RDFS.label), str(SKOS.altLabel), str(RDF.type)
    seen: set[ox.Triple] = set()

    def emit(t: ox.Triple) -> Iterator[ox.Triple]:
        if t not in seen:
            seen.add(t)
            yield t

    for s, p, o, g in quads:
        if s.value in dropped_nodes:
            continue
        ctx = g.value if g.value.startswith(str(ART)) else None
        s2 = _resolve(s, ov, ctx)
        o2 = _resolve(o, ov, ctx)
        if _is_junk(s2, ov) or _is_junk(o2, ov):
            continue
        if p.value.startswith(_PRED_NS) and isinstance(s2, ox.NamedNode) and isinstance(o2, ox.NamedNode):
            name = p.value[len(_PRED_NS):]
            if s2.value.startswith(_ENT) and o2.value.startswith(_ENT) and not ov.keeps(s2.value, name, o2.value, ctx):
                continue
        if isinstance(s2, ox.NamedNode) and s2.value.startswith(_ENT):
            if p.value == rdf_type and s2.value in ov.types and o.value.startswith(_PRED_NS):
                o2 = ox.NamedNode(class_iri(ov.types[s2.value]))
            elif p.value == label and (s2 != s or (s2.value in ov.names and _is_en(o2))):
                if not (s2 == s and isinstance(o2, ox.Literal) and o2.value == ov.names.get(s2.value)):
                    yield from emit(ox.Triple(s2, ox.NamedNode(alt), o2))
                    continue
        yield from emit(ox.Triple(s2, p, o2))
    for e, name in ov.names.items():
        if e not in ov.junk and e not in ov.merged:
            yield from emit(ox.Triple(ox.NamedNode(e), ox.NamedNode(label), ox.Literal(name, language="en")))
    for e, t in ov.types.items():
        if e not in ov.junk and e not in ov.merged:
            yield from emit(ox.Triple(ox.NamedNode(e), ox.NamedNode(rdf_type), ox.NamedNode(class_iri(t))))
    for r in ov.asserted_rows():
        s_, p_, o_ = ox.NamedNode(r["s"]), ox.NamedNode(predicate_iri(r["p"])), ox.NamedNode(r["o"])
        a = ox.NamedNode(r["art"] + "/assertion")
        yield from emit(ox.Triple(s_, p_, o_))
        for t in (
            ox.Triple(a, ox.NamedNode(rdf_type), ox.NamedNode(str(ECO.Assertion))),
            ox.Triple(a, ox.NamedNode(subj), s_), ox.Triple(a, ox.NamedNode(pred), p_), ox.Triple(a, ox.NamedNode(obj), o_),
            ox.Triple(a, ox.NamedNode(str(ECO.evidence)), ox.Literal(r["evidence"])),
            ox.Triple(a, ox.NamedNode(str(ECO.confidence)), ox.Literal(str(r["conf"]), datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#double"))),
            ox.Triple(a, ox.NamedNode(str(PROV.wasGeneratedBy)), ox.NamedNode(correction_iri(r["art"].rsplit("/", 1)[-1]))),
        ):
            yield from emit(t)


def _resolve(term: ox.Term, ov: Overlay, ctx: str | None) -> ox.Term:
    if isinstance(term, ox.NamedNode) and term.value.startswith(_ENT):
        r = ov.resolve(term.value, ctx)
        if r != term.value:
            return ox.NamedNode(r)
    return term


def _is_junk(term: ox.Term, ov: Overlay) -> bool:
    return isinstance(term, ox.NamedNode) and term.value in ov.junk


def _is_en(term: ox.Term) -> bool:
    return isinstance(term, ox.Literal) and (term.language in ("en", None, ""))
