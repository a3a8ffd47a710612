"""The entity graph as it is and as it should be, computed independently of kg.entity_index's updates."""

from __future__ import annotations

from kg import entity_index
from kg.namespace import ENT, ENTITIES_GRAPH

IDX = f"<{ENTITIES_GRAPH}>"


def index_triples(store) -> set[tuple[str, str, str]]:
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {IDX} {{ ?s ?p ?o }} }}", union=False)
    return {(r["s"].value, r["p"].value, str(r["o"])) for r in rows}


def derived_triples(store) -> set[tuple[str, str, str]]:
    """What the entity graph should hold: every description triple of every other graph."""
    values = " ".join(f"<{p}>" for p in entity_index.DESCRIPTION_PREDICATES)
    rows = store.query(
        f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {values} }}
            FILTER(?g != {IDX} && STRSTARTS(STR(?s), "{ENT}")) }}""",
        union=False,
    )
    return {(r["s"].value, r["p"].value, str(r["o"])) for r in rows}
