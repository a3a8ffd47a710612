"""Helpers the extraction tests share: relations as name triples, symmetric-aware membership."""

from __future__ import annotations

from collections.abc import Iterable

from kg.model import SYMMETRIC_PREDICATES, Entity, Relation


def named_triples(entities: Iterable[Entity], relations: Iterable[Relation]) -> set[tuple[str, str, str]]:
    """(subject name, predicate, object name) for every relation."""
    names = {e.id: e.name for e in entities}
    return {(names[r.subject], r.predicate, names[r.object]) for r in relations}


def has(triples: set[tuple[str, str, str]], s: str, p: str, o: str) -> bool:
    """The triple is there, in either order for a symmetric predicate."""
    return (s, p, o) in triples or (p in SYMMETRIC_PREDICATES and (o, p, s) in triples)
