"""Post-processing shared by the English and Chinese extractors.

Whatever produced a relation, the same contract holds on the way out: argument
types fit the predicate (schema type constraints), one fact appears once
(symmetric predicates ignore order), confidence is in [0, 1], and evidence is a
verbatim span of the article with its character offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.nlp.relations.end_cues import relation_status
from kg.model import PREDICATES, SYMMETRIC_PREDICATES, Entity, Relation

ANY = frozenset({"Vendor", "Product", "Standard", "Organization", "Person", "Event"})
ORGS = frozenset({"Vendor", "Organization"})
THINGS = frozenset({"Product", "Standard"})

#: predicate -> (allowed subject types, allowed object types)
TYPE_CONSTRAINTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "competesWith": (ORGS | THINGS, ORGS | THINGS),
    "partnersWith": (ORGS, ORGS),
    "acquired": (frozenset({"Vendor", "Person"}), frozenset({"Vendor", "Product"})),
    "develops": (ORGS | {"Person"}, THINGS),
    "supports": (ORGS | THINGS | {"Person"}, THINGS | {"Vendor"}),  # an investor supports a company
    "contributesTo": (ORGS | {"Person"}, THINGS | ORGS),  # a board seat contributes to a company
    "integratesWith": (THINGS, THINGS),
    "sponsors": (ORGS, frozenset({"Organization", "Event"})),
    "leads": (frozenset({"Person"}), ORGS),
}


def type_ok(predicate: str, subj_type: str, obj_type: str) -> bool:
    """Whether the argument types fit the predicate's schema constraint."""
    if predicate not in TYPE_CONSTRAINTS:
        return False
    s_ok, o_ok = TYPE_CONSTRAINTS[predicate]
    if predicate == "sponsors" and subj_type == "Organization" and obj_type in THINGS:
        return True  # a foundation hosting a project ("run by", "a project of the X Foundation")
    return subj_type in s_ok and obj_type in o_ok


def clamp(x: float) -> float:
    return max(0.0, min(1.0, float(x)))


def finalize_relations(relations: Iterable[Relation], entities: list[Entity],
                       min_confidence: float = 0.0) -> list[Relation]:
    """Apply type constraints, drop self-loops, clamp confidence, mark ended relations, dedup by key.

    Relations refer to entities by id. Of duplicates the most confident is kept; a
    relation the evidence says has stopped gets ``status="ended"`` (``end_cues``) and
    is kept beside a holding one of the same key.
    """
    types = {e.id: e.type for e in entities}
    best: dict[tuple[str, str, str, str], Relation] = {}
    for r in relations:
        if r.predicate not in PREDICATES or r.subject == r.object:
            continue
        st, ot = types.get(r.subject), types.get(r.object)
        if st is None or ot is None or not type_ok(r.predicate, st, ot):
            continue
        r.confidence = clamp(r.confidence)
        if r.confidence < min_confidence:
            continue
        if r.predicate in SYMMETRIC_PREDICATES and r.object < r.subject:
            r.subject, r.object = r.object, r.subject
        r.status = relation_status(r)
        k = (*r.key(), r.status or "")
        if k not in best or r.confidence > best[k].confidence:
            best[k] = r
    return list(best.values())


def fix_evidence(rel: Relation, text: str) -> Relation:
    """Make evidence a verbatim substring of text with correct offsets."""
    ev = rel.evidence
    if ev and 0 <= rel.start < rel.end <= len(text) and text[rel.start:rel.end] == ev:
        return rel
    i = text.find(ev) if ev else -1
    if i >= 0:
        rel.start, rel.end = i, i + len(ev)
        return rel
    rel.evidence, rel.start, rel.end = "", 0, 0
    return rel


_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b|(?<!\d)'(\d\d)\b")


def event_year(text: str, start: int, end: int, window: int = 40) -> str | None:
    """A year written right after an event mention ("DockerCon 2015", "re:Invent '17")."""
    m = _YEAR.match(text[end:end + window].lstrip(" \t"))
    if m:
        return m.group(1) or "20" + m.group(2)
    return None
