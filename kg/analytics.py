"""Graph analytics over the merged ecosystem graph (pure functions over networkx).

The RDF store holds facts; this module turns them into a weighted graph and
ranks entities. Symmetric predicates become edges both ways, so directed
measures (PageRank) treat a rivalry as mutual.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ingest.model import SYMMETRIC_PREDICATES
from kg.queries import Fact


def build_graph(facts: Iterable[Fact], predicates: set[str] | None = None) -> nx.MultiDiGraph:
    """One node per entity, one edge per merged fact (both directions for symmetric predicates)."""
    g = nx.MultiDiGraph()
    for f in facts:
        if predicates is not None and f.predicate not in predicates:
            continue
        attrs = {"predicate": f.predicate, "weight": f.articles, "confidence": f.confidence}
        g.add_edge(f.subject, f.object, key=f.predicate, **attrs)
        if f.predicate in SYMMETRIC_PREDICATES:
            g.add_edge(f.object, f.subject, key=f.predicate, **attrs)
    return g


def simple_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Collapse parallel edges, summing weights (PageRank and friends want a simple graph)."""
    d = nx.DiGraph()
    d.add_nodes_from(g.nodes(data=True))
    for u, v, data in g.edges(data=True):
        if d.has_edge(u, v):
            d[u][v]["weight"] += data.get("weight", 1)
        else:
            d.add_edge(u, v, weight=data.get("weight", 1))
    return d


def degree_and_pagerank(g: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """Degree (distinct neighbours), weighted degree and PageRank per node."""
    d = simple_graph(g)
    u = d.to_undirected()
    pr = nx.pagerank(d, weight="weight") if d.number_of_nodes() else {}
    out: dict[str, dict[str, float]] = {}
    for n in d.nodes:
        out[n] = {
            "degree": float(u.degree(n)),
            "weighted_degree": float(u.degree(n, weight="weight")),
            "pagerank": float(pr.get(n, 0.0)),
        }
    return out
