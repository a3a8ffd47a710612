"""PageRank and communities of a merged-fact table straight through igraph (for time slices).

``kg.timeline`` and ``kg.changes`` rank the graph of many time slices; building a
networkx graph per slice costs more than the measures. The numbers are those of
``kg.analytics``: PageRank on the directed graph (symmetric facts both ways, parallel
edges summed, weight = supporting articles, damping 0.85) and communities by Leiden
maximising weighted modularity on the relationship graph, seeded, so a slice always
gives the same camps.

PageRank runs on one OpenMP thread: igraph's PRPACK would start one per core, and on a
busy machine their spinning cost 1.7 s of CPU for a 25k-node graph that one thread ranks
in 0.01 s (bench/README.md, figure 8).
"""

from __future__ import annotations

import functools
import random

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from kg.analytics import DAMPING, SEED, SYMMETRIC_PREDICATES


@functools.cache
def _threads() -> ThreadpoolController:
    """The thread pools of the loaded libraries (igraph's OpenMP among them), found once: a scan costs 3-20 ms."""
    import igraph  # noqa: F401 - loaded first, so its OpenMP runtime is among them

    return ThreadpoolController()


def pagerank_and_communities(merged: pd.DataFrame, communities: bool = True) -> tuple[dict[str, float], dict[str, int]]:
    """entity -> PageRank, entity -> community number (0 = the largest; members sorted to break ties)."""
    import igraph as ig

    if merged.empty:
        return {}, {}
    codes, names_idx = pd.factorize(pd.concat([merged["s"], merged["o"]], ignore_index=True), sort=True)
    names = [str(n) for n in names_idx]
    n_facts = len(merged)
    si, oi = codes[:n_facts], codes[n_facts:]
    w = merged["articles"].astype(float).clip(lower=1.0).to_numpy()
    sym = merged["p"].isin(SYMMETRIC_PREDICATES).to_numpy()
    src = np.concatenate([si, oi[sym]])
    dst = np.concatenate([oi, si[sym]])
    weights = np.concatenate([w, w[sym]])
    gd = ig.Graph(n=len(names), directed=True)
    gd.add_edges(np.column_stack([src, dst]))  # from the array: a list of 100k pairs costs 3x more
    gd.es["weight"] = weights.tolist()
    gd = gd.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    with _threads().limit(limits=1, user_api="openmp"):  # one thread: see the module docstring
        pr = gd.pagerank(damping=DAMPING, weights="weight", directed=True)
    ranks = dict(zip(names, map(float, pr), strict=True))
    if not communities:
        return ranks, {}
    # relationship graph: one undirected edge per related pair, weight summed over the pair's facts
    keep = si != oi
    lo, hi = np.minimum(si, oi)[keep], np.maximum(si, oi)[keep]
    # one int64 code per pair, summed with bincount (a pandas group-by on two columns builds a MultiIndex: 4x slower)
    pair_codes, inverse = np.unique(lo.astype(np.int64) * len(names) + hi, return_inverse=True)
    pair_w = np.bincount(inverse, weights=w[keep], minlength=len(pair_codes))
    gu = ig.Graph(n=len(names), directed=False)
    gu.add_edges(np.column_stack([pair_codes // len(names), pair_codes % len(names)]))
    gu.es["weight"] = pair_w.tolist()
    state = random.getstate()
    random.seed(SEED)
    try:
        parts = gu.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
    finally:
        random.setstate(state)
    groups = sorted((sorted(names[v] for v in members) for members in parts), key=lambda g: (-len(g), g[0]))
    return ranks, {n: i for i, grp in enumerate(groups) for n in grp}


__all__ = ["pagerank_and_communities"]
