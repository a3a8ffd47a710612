"""Graph analytics over the merged ecosystem graph (pure functions, networkx as the model).

The RDF store holds facts; this module turns them into a graph and ranks the
entities. How direction is handled:

- ``build_graph`` keeps one directed edge per fact, subject -> object, and adds
  the reverse edge for symmetric predicates (competesWith, partnersWith,
  integratesWith): a rivalry is mutual, an acquisition is not.
- PageRank runs on that directed graph, weighted by supporting articles: rank
  flows from subject to object along directed facts (so a standard many vendors
  support, or a product many develop or integrate, ranks high) and both ways
  along symmetric ones.
- Degree, weighted degree, betweenness, closeness and eigenvector centrality
  run on the undirected relationship graph (one edge per related pair, weight =
  supporting articles summed over the pair's facts): "how connected, how
  central a broker" does not depend on who bought whom. Betweenness and
  closeness count hops (unweighted shortest paths); closeness uses the
  Wasserman-Faust correction for disconnected graphs; eigenvector centrality
  is weighted and scaled so the top entity scores 1.

Two backends compute the same numbers: networkx (the reference, pure Python)
and igraph (C). ``auto`` picks networkx below ``IGRAPH_ABOVE`` nodes (the
measured crossover, see the README, "Centrality methods") and igraph above; beyond ``APPROX_ABOVE``
nodes betweenness and closeness are estimated from seeded samples of source
nodes (pivots), a documented approximation on the same scale as the exact
numbers: betweenness from ``BETWEENNESS_PIVOTS`` sources per connected
component (Brandes-Pich, scaled by component size / sources), closeness from
``CLOSENESS_PIVOTS`` sources' breadth-first distances per component (each
node's mean distance to the sampled sources estimates its mean distance to its
component, then the same Wasserman-Faust scaling). Components with no more
nodes than the pivot count are computed exactly. A hop cut-off was measured
first and saved nothing: on a small-world graph nearly every shortest path is
short. Communities are Louvain (networkx) or Leiden (igraph), both maximising
weighted modularity with a fixed seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from kg.model import PREDICATES, SYMMETRIC_PREDICATES
from kg.queries import Fact

MEASURES: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")
COLUMNS: tuple[str, ...] = ("entity", *MEASURES, "community")

#: Predicate sets the app offers as presets ("which predicates form the graph").
PREDICATE_GROUPS: dict[str, tuple[str, ...]] = {
    "everything": PREDICATES,
    "competition only": ("competesWith",),
    "alliances only": ("partnersWith", "integratesWith", "supports", "contributesTo", "sponsors"),
    "ownership and makers": ("acquired", "develops", "leads"),
}

IGRAPH_ABOVE = 200  # nodes; measured by bench/bench_crossover.py: igraph is faster from about 200
APPROX_ABOVE = 10_000  # nodes; above this betweenness and closeness are estimated from sampled sources
#: Sampled sources per connected component above ``APPROX_ABOVE``. Measured on the 20k-node graph of
#: bench/bench_centrality.py over six seeds, Spearman top-100 against exact: betweenness 0.983-0.992
#: from 4,096 sources (2,048: 0.958-0.982), closeness 0.978-0.989 from 1,024 (256: 0.941-0.970).
BETWEENNESS_PIVOTS = 4096
CLOSENESS_PIVOTS = 1024
DAMPING = 0.85
SEED = 42


# ------------------------------------------------------------------ building
def build_graph(facts: Iterable[Fact], predicates: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """One node per entity, one edge per merged fact (both directions for symmetric predicates)."""
    keep = set(predicates) if predicates is not None else None
    g = nx.MultiDiGraph()
    for f in facts:
        if keep is not None and f.predicate not in keep:
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


def relationship_graph(g: nx.Graph) -> nx.Graph:
    """Undirected, one edge per related pair; weight sums the pair's facts (each fact once)."""
    u = nx.Graph()
    u.add_nodes_from(g.nodes)
    seen: set[tuple[str, str, str]] = set()
    edges = g.edges(keys=True, data=True) if g.is_multigraph() else ((a, b, None, d) for a, b, d in g.edges(data=True))
    for a, b, key, data in edges:
        if a == b:
            continue
        pred = data.get("predicate", key)
        ident = (min(a, b), max(a, b), str(pred)) if pred in SYMMETRIC_PREDICATES else (a, b, str(pred))
        if ident in seen:
            continue
        seen.add(ident)
        w = float(data.get("weight", 1))
        if u.has_edge(a, b):
            u[a][b]["weight"] += w
        else:
            u.add_edge(a, b, weight=w)
    return u


def _directed(g: nx.Graph) -> nx.DiGraph:
    if isinstance(g, nx.MultiDiGraph):
        return simple_graph(g)
    if g.is_directed():
        return g  # type: ignore[return-value]
    return g.to_directed()


# ------------------------------------------------------------------ method choice
@dataclass(frozen=True)
class Method:
    """Which backend computes the measures, and how many sampled sources the path measures use (None: exact)."""

    backend: str  # "networkx" or "igraph"
    betweenness_pivots: int | None = None
    closeness_pivots: int | None = None

    @property
    def approximate(self) -> bool:
        return self.betweenness_pivots is not None or self.closeness_pivots is not None

    def describe(self) -> str:
        how = "networkx (exact)" if self.backend == "networkx" else "igraph (exact)"
        if self.approximate:
            parts = [f"{name} from {k:,} sampled sources" for name, k in
                     (("betweenness", self.betweenness_pivots), ("closeness", self.closeness_pivots)) if k]
            how = (f"igraph; approximate {' and '.join(parts)} per connected component (smaller components "
                   "exact), other measures exact")
        return how + "; communities: " + ("Louvain (networkx)" if self.backend == "networkx" else "Leiden (igraph)")


def choose_method(n_nodes: int, method: str = "auto") -> Method:
    """The method for a graph of this size: networkx small, igraph large, sampled path measures huge."""
    if method == "networkx":
        return Method("networkx")
    if method == "igraph":
        return Method("igraph")
    if method != "auto":
        raise ValueError(f"unknown method {method!r} (auto, networkx or igraph)")
    if n_nodes <= IGRAPH_ABOVE:
        return Method("networkx")
    if n_nodes > APPROX_ABOVE:
        return Method("igraph", BETWEENNESS_PIVOTS, CLOSENESS_PIVOTS)
    return Method("igraph")


# ------------------------------------------------------------------ measures
def centrality_table(
    graph: nx.Graph,
    method: str = "auto",
    with_communities: bool = True,
    measures: Iterable[str] = MEASURES,
) -> pd.DataFrame:
    """Every entity with degree, weighted degree, betweenness, closeness, eigenvector, PageRank, community.

    ``graph`` is what ``build_graph`` returns (or any networkx graph). The
    method used is in ``table.attrs["method"]`` for display. Path-based
    measures (betweenness, closeness) dominate the cost; leave them out of
    ``measures`` for a quick table (their columns are then NaN).
    """
    wanted = set(measures)
    m = choose_method(graph.number_of_nodes(), method)
    und = relationship_graph(graph)
    directed = _directed(graph)
    nodes = list(und.nodes)
    if not nodes:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS})
        out["entity"] = out["entity"].astype("object")
        out["community"] = out["community"].astype("int64")
        out.attrs["method"] = m.describe()
        return out
    if m.backend == "networkx":
        scores = _networkx_measures(und, directed, wanted)
    else:
        scores = _igraph_measures(und, directed, m, wanted)
    table = pd.DataFrame({"entity": nodes})
    table["degree"] = [und.degree(n) for n in nodes]
    table["weighted_degree"] = [float(und.degree(n, weight="weight")) for n in nodes]
    for name in ("betweenness", "closeness", "eigenvector", "pagerank"):
        got = scores.get(name)
        table[name] = [float(got.get(n, 0.0)) for n in nodes] if got is not None else float("nan")
    if with_communities:
        comm = community_index(communities(graph, method=m.backend))
        table["community"] = [comm.get(n, -1) for n in nodes]
    else:
        table["community"] = -1
    table = table.sort_values(["pagerank", "entity"], ascending=[False, True], ignore_index=True)
    table.attrs["method"] = m.describe()
    return table


def _networkx_measures(und: nx.Graph, directed: nx.DiGraph, wanted: set[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {
        "eigenvector": _max_scaled(_eigenvector_nx(und)),
        "pagerank": pagerank(directed),
    }
    if "betweenness" in wanted:
        out["betweenness"] = nx.betweenness_centrality(und, normalized=True)
    if "closeness" in wanted:
        out["closeness"] = nx.closeness_centrality(und, wf_improved=True)
    return out


def _eigenvector_nx(und: nx.Graph) -> dict[str, float]:
    if und.number_of_edges() == 0:
        return dict.fromkeys(und.nodes, 0.0)
    try:
        return nx.eigenvector_centrality(und, weight="weight", max_iter=2000, tol=1e-9)
    except nx.PowerIterationFailedConvergence as exc:
        raise RuntimeError("eigenvector centrality did not converge") from exc


def _max_scaled(values: dict[str, float]) -> dict[str, float]:
    top = max((abs(v) for v in values.values()), default=0.0)
    return {k: (abs(v) / top if top else 0.0) for k, v in values.items()}


def pagerank(d: nx.DiGraph, damping: float = DAMPING, tol: float = 1e-12, max_iter: int = 1000) -> dict[str, float]:
    """Weighted PageRank by power iteration (networkx's own needs scipy, which ecokg does not ship).

    Dangling nodes spread their rank uniformly, as networkx and igraph do.
    """
    nodes = list(d.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    out_w = {u: sum(w for _, _, w in d.out_edges(u, data="weight", default=1)) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = sum(rank[u] for u in nodes if out_w[u] == 0)
        base = (1.0 - damping) / n + damping * dangling / n
        new = dict.fromkeys(nodes, base)
        for u in nodes:
            if out_w[u]:
                share = damping * rank[u] / out_w[u]
                for _, v, w in d.out_edges(u, data="weight", default=1):
                    new[v] += share * w
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def _to_igraph(g: nx.Graph, directed: bool):
    import igraph as ig

    names = list(g.nodes)
    index = {n: i for i, n in enumerate(names)}
    edges = [(index[a], index[b]) for a, b in g.edges]
    weights = [float(w) for _, _, w in g.edges(data="weight", default=1)]
    ig_graph = ig.Graph(n=len(names), edges=edges, directed=directed)
    ig_graph.vs["name"] = names
    ig_graph.es["weight"] = weights
    return ig_graph, names


def _igraph_measures(und: nx.Graph, directed: nx.DiGraph, m: Method, wanted: set[str]) -> dict[str, dict[str, float]]:
    gu, names = _to_igraph(und, directed=False)
    gd, dnames = _to_igraph(directed, directed=True)
    out: dict[str, dict[str, float]] = {}
    if "betweenness" in wanted:
        out["betweenness"] = _igraph_betweenness(gu, names, m.betweenness_pivots)
    if "closeness" in wanted:
        out["closeness"] = _igraph_closeness(gu, names, m.closeness_pivots)
    eig = _igraph_eigenvector(gu)
    pr = gd.pagerank(damping=DAMPING, weights="weight", directed=True)
    out["eigenvector"] = _max_scaled({name: eig[i] for i, name in enumerate(names)})
    out["pagerank"] = {name: pr[i] for i, name in enumerate(dnames)}
    return out


def _igraph_eigenvector(gu) -> list[float]:
    """Eigenvector centrality as networkx's power iteration converges to it, also on disconnected graphs.

    The leading eigenvector of a disconnected graph lives on the component with
    the largest eigenvalue and is zero elsewhere; igraph, given the whole graph,
    prints a warning to stderr for it. Solving per component (largest weighted
    degree first, stopping once no component can beat the best eigenvalue,
    which is bounded by the maximum weighted degree) gives the same vector quietly.
    """
    n = gu.vcount()
    out = [0.0] * n
    if gu.ecount() == 0:
        return out
    strength = gu.strength(weights="weight")
    comps = [c for c in gu.connected_components() if len(c) > 1]
    comps.sort(key=lambda c: -max(strength[v] for v in c))
    best, best_vec, best_members = -1.0, None, None
    for members in comps:
        if max(strength[v] for v in members) <= best:
            break
        sub = gu.induced_subgraph(members)
        vec, value = sub.eigenvector_centrality(weights="weight", scale=True, return_eigenvalue=True)
        if value > best + 1e-12:
            best, best_vec, best_members = value, vec, members
    if best_vec is not None and best_members is not None:
        for v, x in zip(best_members, best_vec, strict=True):
            out[v] = x
    return out


def _components(gu, names: list[str]) -> list[list[int]]:
    """Connected components, each as vertex ids in name order, in the order of their first names.

    Sampling walks components and members in this order, so the same graph gives
    the same sources whatever order its nodes were added in.
    """
    comps = [sorted(c, key=lambda v: str(names[v])) for c in gu.connected_components()]
    return sorted(comps, key=lambda c: str(names[c[0]]))


def _sample(members: list[int], k: int, rng: random.Random) -> list[int]:
    """k of a component's vertices (all of them if it has no more than k)."""
    return members if len(members) <= k else sorted(rng.sample(members, k))


def _igraph_betweenness(gu, names: list[str], pivots: int | None) -> dict[str, float]:
    """Betweenness normalised as networkx does; with ``pivots``, estimated from sampled sources (Brandes-Pich).

    Every connected component larger than ``pivots`` contributes ``pivots``
    sources drawn with a generator seeded by ``SEED``; a node's dependencies
    from them are scaled by its component's size over its sources, which makes
    the estimate unbiased and on the exact scale. Smaller components use all
    their nodes as sources, so they are exact.
    """
    n = len(names)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # networkx's normalisation for undirected graphs
    if pivots is None:
        btw = gu.betweenness(directed=False)
        return {name: btw[i] * scale for i, name in enumerate(names)}
    rng = random.Random(SEED)
    sources: list[int] = []
    factor = [scale] * n
    for members in _components(gu, names):
        if len(members) < 3:
            continue  # no node lies between two others
        chosen = _sample(members, max(1, pivots), rng)
        sources.extend(chosen)
        for v in members:
            factor[v] = scale * len(members) / len(chosen)
    btw = gu.betweenness(directed=False, sources=sorted(sources)) if sources else [0.0] * n
    return {name: btw[i] * factor[i] for i, name in enumerate(names)}


def _sampled_closeness(gu, members: list[int], k: int, rng: random.Random) -> dict[int, float]:
    """igraph's normalised closeness (1 / mean distance to the rest of the component), estimated.

    The mean distance from a node to the others in its component is estimated
    by its mean distance to k sources sampled from that component (itself left
    out when it is one of them), from k breadth-first searches.
    """
    import numpy as np

    sources = _sample(members, max(2, k), rng)
    sums = np.zeros(len(members))
    for start in range(0, len(sources), 64):  # 64 rows of distances at a time keep memory small
        batch = sources[start : start + 64]
        sums += np.asarray(gu.distances(source=batch, target=members), dtype=float).sum(axis=0)
    counts = np.full(len(members), float(len(sources)))
    counts[np.isin(np.asarray(members), np.asarray(sources))] -= 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        clo = np.where(sums > 0, counts / sums, 0.0)
    return {v: float(c) for v, c in zip(members, clo, strict=True)}


def _igraph_closeness(gu, names: list[str], pivots: int | None = None) -> dict[str, float]:
    """igraph's closeness over reachable nodes, rescaled by Wasserman-Faust as networkx does.

    With ``pivots``, components larger than that are estimated from ``pivots``
    sampled sources each (seeded by ``SEED``); smaller ones stay exact.
    """
    n = len(names)
    if pivots is None:
        clo = gu.closeness(normalized=True)
    else:
        clo = [0.0] * n
        rng = random.Random(SEED)
        exact: list[int] = []
        for members in _components(gu, names):
            if len(members) <= max(2, pivots):
                exact.extend(members)
            else:
                for v, c in _sampled_closeness(gu, members, pivots, rng).items():
                    clo[v] = c
        if exact:
            for v, c in zip(exact, gu.closeness(vertices=exact, normalized=True), strict=True):
                clo[v] = c
    comp_size = [0] * n
    for comp in gu.connected_components():
        for v in comp:
            comp_size[v] = len(comp)
    out = {}
    for i, name in enumerate(names):
        c, reach = clo[i], comp_size[i] - 1
        out[name] = 0.0 if c != c or reach == 0 or n < 2 else c * reach / (n - 1)
    return out


# ------------------------------------------------------------------ communities
def communities(graph: nx.Graph, method: str = "auto", seed: int = SEED) -> list[list[str]]:
    """Camps of entities (largest first, members sorted): Louvain (networkx) or Leiden (igraph)."""
    und = relationship_graph(graph)
    if und.number_of_nodes() == 0:
        return []
    backend = choose_method(und.number_of_nodes(), method).backend
    if backend == "networkx":
        parts = nx.community.louvain_communities(und, weight="weight", seed=seed)
        groups = [sorted(p) for p in parts]
    else:
        gu, names = _to_igraph(und, directed=False)
        state = random.getstate()
        random.seed(seed)  # igraph draws from Python's random module
        try:
            clustering = gu.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
        finally:
            random.setstate(state)
        groups = [sorted(names[v] for v in members) for members in clustering]
    return sorted(groups, key=lambda grp: (-len(grp), grp[0]))


def community_index(groups: list[list[str]]) -> dict[str, int]:
    """entity -> community number (0 = the largest camp)."""
    return {n: i for i, grp in enumerate(groups) for n in grp}


def modularity(graph: nx.Graph, groups: list[list[str]]) -> float:
    """Weighted modularity of a partition of the relationship graph (how separate the camps are)."""
    und = relationship_graph(graph)
    if und.number_of_edges() == 0:
        return 0.0
    return float(nx.community.modularity(und, [set(g) for g in groups], weight="weight"))


# ------------------------------------------------------------------ selections
def neighbourhood(graph: nx.Graph, centre: str, hops: int) -> set[str]:
    """Nodes within `hops` steps of `centre`, ignoring edge direction (empty if centre is absent)."""
    if centre not in graph:
        return set()
    und = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    return set(nx.single_source_shortest_path_length(und, centre, cutoff=max(0, hops)))


def top_nodes(table: pd.DataFrame, measure: str, n: int) -> list[str]:
    """The n entities ranked highest by a measure (ties broken by name, so stable)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    ranked = table.sort_values([measure, "entity"], ascending=[False, True])
    return ranked["entity"].head(max(0, n)).tolist()


def layout(nodes: list[str], edges: Iterable[tuple[str, str]], seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Force-directed positions (igraph's Fruchterman-Reingold, seeded), scaled to about 70 px per node.

    Computed here in C so the browser starts from a finished layout and only
    polishes it for a moment before physics is switched off.
    """
    import igraph as ig

    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges
                    if a in index and b in index and a != b})
    g = ig.Graph(n=len(nodes), edges=pairs)
    state = random.getstate()
    random.seed(seed)
    try:
        coords = g.layout_fruchterman_reingold(niter=500, grid="auto").coords
    finally:
        random.setstate(state)
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = 70.0 * max(len(nodes), 4) ** 0.5 / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: ((x - cx) * scale, (y - cy) * scale) for n, (x, y) in zip(nodes, coords, strict=True)}


def ranks(table: pd.DataFrame) -> pd.DataFrame:
    """Rank (1 = highest) of every entity under every measure."""
    out = pd.DataFrame({"entity": table["entity"]})
    for m in MEASURES:
        out[m] = table[m].rank(ascending=False, method="min").astype(int)
    return out


def degree_and_pagerank(g: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """Degree (distinct neighbours), weighted degree and PageRank per node (the foundation's summary)."""
    table = centrality_table(g, with_communities=False)
    return {
        r.entity: {"degree": float(r.degree), "weighted_degree": r.weighted_degree, "pagerank": r.pagerank}
        for r in table.itertuples()
    }
