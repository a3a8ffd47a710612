"""Graph analytics: direction handling, the two backends agree, communities find camps."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest

from kg import analytics as an
from kg.queries import Fact


def F(s: str, p: str, o: str, articles: int = 1, conf: float = 0.9) -> Fact:
    return Fact(s, p, o, articles, conf)


def two_camps() -> list[Fact]:
    """Two rival camps of five, densely allied inside, joined by one rivalry (a-0 vs b-0)."""
    facts = []
    for camp in "ab":
        names = [f"{camp}-{i}" for i in range(5)]
        for i, x in enumerate(names):
            for y in names[i + 1 :]:
                facts.append(F(x, "partnersWith", y, articles=2))
        facts.append(F(names[0], "develops", f"{camp}-product"))
    facts.append(F("a-0", "competesWith", "b-0"))
    return facts


def test_symmetric_predicates_go_both_ways_directed_ones_do_not():
    g = an.build_graph([F("x", "competesWith", "y"), F("x", "acquired", "z")])
    assert g.has_edge("x", "y") and g.has_edge("y", "x")
    assert g.has_edge("x", "z") and not g.has_edge("z", "x")


def test_build_graph_keeps_only_chosen_predicates():
    facts = two_camps()
    g = an.build_graph(facts, an.PREDICATE_GROUPS["competition only"])
    assert set(g.nodes) == {"a-0", "b-0"}


def test_relationship_graph_counts_each_fact_once():
    g = an.build_graph([F("x", "competesWith", "y", articles=3), F("x", "partnersWith", "y", articles=2)])
    u = an.relationship_graph(g)
    assert u["x"]["y"]["weight"] == 5


def test_pagerank_flows_along_directed_facts():
    facts = [F(f"v{i}", "supports", "std") for i in range(5)] + [F("v0", "competesWith", "v1")]
    table = an.centrality_table(an.build_graph(facts), method="networkx").set_index("entity")
    assert table["pagerank"].idxmax() == "std"
    assert math.isclose(table["pagerank"].sum(), 1.0, rel_tol=1e-6)
    assert table.loc["std", "degree"] == 5


@pytest.mark.parametrize("measure", ["betweenness", "closeness", "eigenvector", "pagerank", "degree", "weighted_degree"])
def test_networkx_and_igraph_agree(measure):
    g = an.build_graph(two_camps())
    a = an.centrality_table(g, method="networkx").set_index("entity")[measure]
    b = an.centrality_table(g, method="igraph").set_index("entity")[measure]
    for node in a.index:
        assert a[node] == pytest.approx(b[node], abs=1e-5), node


def test_networkx_measures_match_reference_definitions():
    g = an.build_graph(two_camps())
    table = an.centrality_table(g, method="networkx").set_index("entity")
    und = an.relationship_graph(g)
    ref = nx.betweenness_centrality(und)
    assert table.loc["a-0", "betweenness"] == pytest.approx(ref["a-0"])
    assert table["betweenness"].idxmax() in {"a-0", "b-0"}  # the bridge between the camps


def test_closeness_on_disconnected_graph_matches_networkx_in_both_backends():
    facts = two_camps() + [F("lonely-1", "partnersWith", "lonely-2")]
    g = an.build_graph(facts)
    ref = nx.closeness_centrality(an.relationship_graph(g))
    for method in ("networkx", "igraph"):
        t = an.centrality_table(g, method=method).set_index("entity")
        assert t.loc["lonely-1", "closeness"] == pytest.approx(ref["lonely-1"])
        assert t.loc["a-1", "closeness"] == pytest.approx(ref["a-1"])


def test_eigenvector_on_disconnected_graph_agrees_and_is_quiet(capfd):
    facts = two_camps() + [F("lonely-1", "partnersWith", "lonely-2"), F("x", "supports", "y")]
    g = an.build_graph(facts)
    a = an.centrality_table(g, method="networkx").set_index("entity")["eigenvector"]
    b = an.centrality_table(g, method="igraph").set_index("entity")["eigenvector"]
    for node in a.index:
        assert a[node] == pytest.approx(b[node], abs=1e-4), node
    assert b["lonely-1"] == pytest.approx(0.0, abs=1e-6) and b.max() == pytest.approx(1.0)
    assert "Warning" not in capfd.readouterr().err


@pytest.mark.parametrize("method", ["networkx", "igraph"])
def test_communities_find_the_two_camps(method):
    g = an.build_graph(two_camps())
    groups = an.communities(g, method=method)
    camp_of = an.community_index(groups)
    assert len({camp_of[f"a-{i}"] for i in range(5)}) == 1
    assert len({camp_of[f"b-{i}"] for i in range(5)}) == 1
    assert camp_of["a-1"] != camp_of["b-1"]
    assert an.modularity(g, groups) > 0.3


def test_method_choice_follows_size():
    assert an.choose_method(10).backend == "networkx"
    assert an.choose_method(an.IGRAPH_ABOVE + 1).backend == "igraph"
    assert not an.choose_method(an.APPROX_ABOVE).approximate
    big = an.choose_method(an.APPROX_ABOVE + 1)
    assert (big.betweenness_pivots, big.closeness_pivots) == (an.BETWEENNESS_PIVOTS, an.CLOSENESS_PIVOTS)
    assert "approximate" in big.describe() and f"{an.BETWEENNESS_PIVOTS:,} sampled sources" in big.describe()
    assert not an.choose_method(an.APPROX_ABOVE + 1, "igraph").approximate  # an explicit backend is exact
    with pytest.raises(ValueError):
        an.choose_method(10, "magic")


def test_table_has_the_documented_columns_and_method():
    table = an.centrality_table(an.build_graph(two_camps()))
    assert tuple(table.columns) == an.COLUMNS
    assert "networkx" in table.attrs["method"]
    assert len(table) == 12


def test_quick_table_leaves_path_measures_out():
    table = an.centrality_table(an.build_graph(two_camps()), measures=("pagerank",))
    assert table["betweenness"].isna().all() and table["pagerank"].notna().all()


def test_empty_graph():
    table = an.centrality_table(an.build_graph([]))
    assert table.empty and tuple(table.columns) == an.COLUMNS
    assert an.communities(an.build_graph([])) == []


def test_neighbourhood_ignores_direction_and_counts_hops():
    g = an.build_graph([F("a", "acquired", "b"), F("c", "develops", "b"), F("c", "leads", "d")])
    assert an.neighbourhood(g, "a", 1) == {"a", "b"}
    assert an.neighbourhood(g, "a", 2) == {"a", "b", "c"}
    assert an.neighbourhood(g, "missing", 2) == set()


def test_top_nodes_and_ranks():
    table = an.centrality_table(an.build_graph(two_camps()))
    top = an.top_nodes(table, "betweenness", 2)
    assert set(top) == {"a-0", "b-0"}
    r = an.ranks(table).set_index("entity")
    assert r.loc[top[0], "betweenness"] == 1


def test_degree_and_pagerank_summary():
    out = an.degree_and_pagerank(an.build_graph([F("x", "competesWith", "y", articles=4)]))
    assert out["x"]["degree"] == 1.0 and out["x"]["weighted_degree"] == 4.0
    assert out["x"]["pagerank"] == pytest.approx(0.5)


# ------------------------------------------------------------------ sampled path measures on big graphs
PATH_MEASURES = ("betweenness", "closeness")


def heavy_tailed(n: int, m: int, seed: int) -> list[Fact]:
    """m facts between Zipf-weighted endpoints (a few hubs, a long tail), plus 20 three-node islands."""
    rng = random.Random(seed)
    names = [f"e{i:05d}" for i in range(n)]
    weights = [1.0 / (i + 1) for i in range(n)]
    preds = ("competesWith", "partnersWith", "develops", "supports", "acquired")
    facts = []
    for _ in range(m):
        a, b = rng.choices(names, weights, k=2)
        if a != b:
            facts.append(F(a, rng.choice(preds), b, articles=rng.randint(1, 5)))
    for i in range(20):
        facts += [F(f"island-{i}a", "partnersWith", f"island-{i}b"), F(f"island-{i}b", "partnersWith", f"island-{i}c")]
    rng.shuffle(facts)
    return facts


def spearman_top(exact: pd.Series, approx: pd.Series, k: int) -> float:
    """Spearman rank correlation of approx against exact over exact's top k (pandas' own needs scipy)."""
    top = exact.sort_values(ascending=False).index[:k]
    return float(exact[top].rank().corr(approx[top].rank()))


@pytest.fixture(scope="module")
def big_facts() -> list[Fact]:
    return heavy_tailed(2000, 8000, seed=1)  # about 1,700 entities, 5,700 related pairs


@pytest.fixture(scope="module")
def exact_big(big_facts) -> pd.DataFrame:
    return an.centrality_table(an.build_graph(big_facts), method="igraph", with_communities=False).set_index("entity")


@pytest.fixture
def sampling(monkeypatch):
    """Sampling from 500 entities up, with pivot counts that suit a graph of about 1,700."""
    monkeypatch.setattr(an, "APPROX_ABOVE", 500)
    monkeypatch.setattr(an, "BETWEENNESS_PIVOTS", 1000)
    monkeypatch.setattr(an, "CLOSENESS_PIVOTS", 256)


def sampled_table(facts: list[Fact]) -> pd.DataFrame:
    table = an.centrality_table(an.build_graph(facts), with_communities=False, measures=PATH_MEASURES)
    assert "1,000 sampled sources" in table.attrs["method"] and "256 sampled sources" in table.attrs["method"]
    return table.set_index("entity")


@pytest.mark.parametrize("measure", PATH_MEASURES)
def test_sampled_path_measures_rank_the_top_like_exact(sampling, big_facts, exact_big, measure):
    approx = sampled_table(big_facts)[measure]
    exact = exact_big[measure]
    assert spearman_top(exact, approx, 50) >= 0.95
    # the same scale as exact (the table stays comparable), not only the same order
    assert approx.sum() == pytest.approx(exact.sum(), rel=0.05)
    assert approx.max() == pytest.approx(exact.max(), rel=0.05)
    # components no larger than the pivot count are computed exactly
    islands = [e for e in exact.index if e.startswith("island-")]
    assert approx[islands].tolist() == pytest.approx(exact[islands].tolist(), abs=1e-12)


def test_sampled_path_measures_are_deterministic(sampling, big_facts):
    first = sampled_table(big_facts)
    again = sampled_table(big_facts)
    pd.testing.assert_frame_equal(first, again)
    shuffled = list(big_facts)
    random.Random(2).shuffle(shuffled)  # another insertion order, the same graph: the same sources
    other = sampled_table(shuffled).loc[first.index]
    for m in PATH_MEASURES:
        assert other[m].tolist() == pytest.approx(first[m].tolist(), rel=1e-9, abs=1e-15)


def test_graphs_at_the_threshold_are_exact(monkeypatch, big_facts, exact_big):
    g = an.build_graph(big_facts)
    monkeypatch.setattr(an, "APPROX_ABOVE", g.number_of_nodes())
    table = an.centrality_table(g, with_communities=False).set_index("entity")
    assert table.attrs["method"].startswith("igraph (exact)")
    pd.testing.assert_frame_equal(table, exact_big)


@pytest.mark.parametrize("measure", PATH_MEASURES)
def test_sampling_path_reduces_to_exact_when_components_are_small(monkeypatch, measure):
    """Components no larger than the pivot count use every node as a source: networkx's numbers exactly."""
    g = an.build_graph(two_camps() + [F("lonely-1", "partnersWith", "lonely-2")])
    monkeypatch.setattr(an, "IGRAPH_ABOVE", 1)
    monkeypatch.setattr(an, "APPROX_ABOVE", 1)
    monkeypatch.setattr(an, "BETWEENNESS_PIVOTS", 20)
    monkeypatch.setattr(an, "CLOSENESS_PIVOTS", 20)
    t = an.centrality_table(g, with_communities=False)
    assert "approximate" in t.attrs["method"]
    got = t.set_index("entity")[measure]
    ref = an.centrality_table(g, method="networkx").set_index("entity")[measure]
    for node in ref.index:
        assert got[node] == pytest.approx(ref[node], abs=1e-9), node


def test_few_pivots_still_give_bounded_scores(monkeypatch):
    g = an.build_graph(two_camps())
    monkeypatch.setattr(an, "IGRAPH_ABOVE", 1)
    monkeypatch.setattr(an, "APPROX_ABOVE", 1)
    monkeypatch.setattr(an, "BETWEENNESS_PIVOTS", 1)
    monkeypatch.setattr(an, "CLOSENESS_PIVOTS", 1)
    t = an.centrality_table(g, with_communities=False)
    for m in PATH_MEASURES:
        assert t[m].notna().all() and (t[m] >= 0).all(), m
    assert (t["closeness"] <= 1).all()
