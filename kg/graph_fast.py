"""PageRank and communities of a merged-fact table straight through igraph (for time slices).

``kg.timeline`` and ``kg.changes`` rank the graph of many time slices; building a
networkx graph per slice costs more than the measures. The numbers are those of
``kg.analytics``: PageRank on the directed graph (symmetric facts both ways, parallel
edges summed, weight = supporting articles, damping 0.85) and communities by Leiden
maximising weighted modularity on the relationship graph, seeded, so a slice always
gives the same camps.
"""

from __future__ import annotations

import random

import pandas as pd

from ingest.model import SYMMETRIC_PREDICATES
from kg.analytics import DAMPING, SEED


def pagerank_and_communities(merged: pd.DataFrame, communities: bool = True) -> tuple[dict[str, float], dict[str, int]]:
    """entity -> PageRank, entity -> community number (0 = the largest; members sorted to break ties)."""
    import igraph as ig

    if merged.empty:
        return {}, {}
    s, o = merged["s"].to_numpy(), merged["o"].to_numpy()
    w = merged["articles"].astype(float).clip(lower=1.0).to_numpy()
    names = sorted(set(s) | set(o))
    index = {n: i for i, n in enumerate(names)}
    si = [index[x] for x in s]
    oi = [index[x] for x in o]
    sym = merged["p"].isin(SYMMETRIC_PREDICATES).to_numpy()
    edges = list(zip(si, oi, strict=True)) + [(b, a) for a, b, y in zip(si, oi, sym, strict=True) if y]
    weights = list(w) + [x for x, y in zip(w, sym, strict=True) if y]
    gd = ig.Graph(n=len(names), edges=edges, directed=True)
    gd.es["weight"] = weights
    gd = gd.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    pr = gd.pagerank(damping=DAMPING, weights="weight", directed=True)
    ranks = {n: float(pr[i]) for i, n in enumerate(names)}
    if not communities:
        return ranks, {}
    # relationship graph: one undirected edge per related pair, weight summed over the pair's facts
    pairs: dict[tuple[int, int], float] = {}
    for a, b, x in zip(si, oi, w, strict=True):
        if a != b:
            k = (a, b) if a < b else (b, a)
            pairs[k] = pairs.get(k, 0.0) + float(x)
    gu = ig.Graph(n=len(names), edges=list(pairs), directed=False)
    gu.es["weight"] = list(pairs.values())
    state = random.getstate()
    random.seed(SEED)
    try:
        parts = gu.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    finally:
        random.setstate(state)
    groups = sorted((sorted(names[v] for v in members) for members in parts), key=lambda g: (-len(g), g[0]))
    return ranks, {n: i for i, grp in enumerate(groups) for n in grp}


__all__ = ["pagerank_and_communities"]
