"""The entity graph: one description of every entity, kept by the store on every write.

Each article graph repeats the type, labels and aliases of the entities it
mentions, so that removing the article removes exactly what it said. Over the
union default graph that repetition costs: Oxigraph's union is a bag, a triple
comes back once per graph that holds it, and a query that joins entity labels
multiplies its rows by the number of articles per entity (the top vendor's
label 300 times in a 100k-quad store). The entity graph ``ecog:entities`` holds
each description triple once: the set of description triples (subject an
``ent:`` IRI, predicate below) over every other graph. Queries read labels and
types from it with ``GRAPH ecog:entities { ... }``.

The store keeps it exact in the same transaction as each article write:
new description triples are added, and triples only the replaced or removed
graph held are retracted (``retract_update``). ``rebuild_update`` recomputes it
from scratch, for stores written before it existed and after bulk loads.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.namespace import ECO, ENT, ENTITIES_GRAPH, OWL, RDF, RDFS, SKOS

#: Predicates that describe an entity (rather than state a fact about it).
DESCRIPTION_PREDICATES: tuple[str, ...] = (
    str(RDF.type),
    str(RDFS.label),
    str(SKOS.altLabel),
    str(OWL.sameAs),
    str(ECO.market),
)
_PREDICATES = frozenset(ox.NamedNode(p) for p in DESCRIPTION_PREDICATES)
_ENT = str(ENT)
GRAPH = ox.NamedNode(str(ENTITIES_GRAPH))
_VALUES = " ".join(f"<{p}>" for p in DESCRIPTION_PREDICATES)


def is_description(quad: ox.Quad) -> bool:
    """A quad that describes an ``ent:`` entity (type, label, alias, sameAs, market)."""
    return (
        quad.predicate in _PREDICATES
        and isinstance(quad.subject, ox.NamedNode)
        and quad.subject.value.startswith(_ENT)
    )


def index_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The entity-graph copies of the description quads among ``quads`` (duplicates removed)."""
    seen: set[ox.Triple] = set()
    out: list[ox.Quad] = []
    for q in quads:
        if is_description(q):
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                out.append(ox.Quad(q.subject, q.predicate, q.object, GRAPH))
    return out


def retract_update(graph: str) -> str:
    """SPARQL Update removing from the entity graph what only ``graph`` says.

    Run it before the graph is dropped or replaced; a description another graph
    still holds stays. The graph's IRI is validated by ``NamedNode``.
    """
    g = ox.NamedNode(graph)
    return f"""DELETE {{ GRAPH {GRAPH} {{ ?e ?p ?o }} }} WHERE {{
  GRAPH {g} {{ ?e ?p ?o }}
  VALUES ?p {{ {_VALUES} }}
  FILTER(STRSTARTS(STR(?e), "{_ENT}"))
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?e ?p ?o }} FILTER(?h != {g} && ?h != {GRAPH}) }}
}}"""


def rebuild_update() -> str:
    """SPARQL Update recomputing the whole entity graph from every other graph."""
    return f"""DROP SILENT GRAPH {GRAPH} ;
INSERT {{ GRAPH {GRAPH} {{ ?e ?p ?o }} }} WHERE {{
  GRAPH ?g {{ ?e ?p ?o }}
  VALUES ?p {{ {_VALUES} }}
  FILTER(?g != {GRAPH} && STRSTARTS(STR(?e), "{_ENT}"))
}}"""


def rebuild(store) -> int:
    """Recompute the entity graph in one write; returns how many description triples it holds."""
    store.update(rebuild_update())
    res = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {GRAPH} {{ ?e ?p ?o }} }}", union=False)
    return int(next(iter(res))["n"].value)


def needs_rebuild(store) -> bool:
    """True for a store with entity descriptions but no entity graph (written before it existed)."""
    if bool(store.query(f"ASK {{ GRAPH {GRAPH} {{ ?e ?p ?o }} }}", union=False)):
        return False
    ask = f"""ASK {{
  GRAPH ?g {{ ?e <{RDFS.label}> ?o }}
  FILTER(?g != {GRAPH} && STRSTARTS(STR(?e), "{_ENT}"))
}}"""
    return bool(store.query(ask, union=False))


def ensure_entity_index(store) -> bool:
    """Build the entity graph of an older store once; True if it was (re)built."""
    if store.read_only or not needs_rebuild(store):
        return False
    store.update(rebuild_update())
    return True


__all__ = [
    "DESCRIPTION_PREDICATES",
    "GRAPH",
    "ensure_entity_index",
    "index_quads",
    "is_description",
    "needs_rebuild",
    "rebuild",
    "rebuild_update",
    "retract_update",
]
