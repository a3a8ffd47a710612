"""Graph analytics: direction handling, the two backends agree, communities find camps."""

from __future__ import annotations

import math

import networkx as nx
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
    big = an.choose_method(an.APPROX_ABOVE + 1)
    assert big.cutoff == an.APPROX_CUTOFF and "approximate" in big.describe()
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
