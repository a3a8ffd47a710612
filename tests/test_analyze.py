"""Materialised analytics: measures written as RDF, ordered by SPARQL, read back by the app."""

from __future__ import annotations

import math
import subprocess

import pytest
from service_helpers import article_files, ecokg_cmd, oxigraph_server, subprocess_env, tiny_catalog_env

from kg import queries
from kg.analytics import build_graph, centrality_table
from kg.materialize import materialize, read_analytics
from kg.namespace import ANALYTICS_GRAPH
from kg.query import run_query
from kg.store import EmbeddedStore, open_store


@pytest.fixture
def env(tmp_path, monkeypatch):
    from kg.catalog import load_catalog

    extra = tiny_catalog_env(tmp_path)
    for k, v in extra.items():
        monkeypatch.setenv(k, v)
    load_catalog.cache_clear()
    yield extra
    load_catalog.cache_clear()


@pytest.fixture
def store(tmp_path, env):
    from ingest.ingestion import ingest_paths

    files = article_files(tmp_path)
    s = EmbeddedStore(tmp_path / "store")
    assert not ingest_paths(s, files[:-1]).failed
    yield s, files
    s.close()


def test_measures_are_stored_on_each_entity(store):
    s, _ = store
    expected = centrality_table(build_graph(queries.facts(s)))
    assert len(expected) > 1, "the articles should yield a graph with edges"
    summary = materialize(s)
    assert summary.entities == len(expected)
    r = run_query(s, "SELECT ?e ?pr ?c ?at WHERE { ?e eco:pageRank ?pr ; eco:community ?c ; eco:computedAt ?at } "
                     "ORDER BY DESC(?pr) ?e")
    assert [row[0].value for row in r.rows] == list(expected["entity"])
    for row, pr in zip(r.rows, expected["pagerank"], strict=True):
        assert math.isclose(float(row[1].value), pr, rel_tol=1e-12)
        assert row[3].value == summary.computed_at
    stored = read_analytics(s)
    assert not stored.attrs["stale"] and stored.attrs["computed_at"] == summary.computed_at
    for col in ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank", "community"):
        assert list(stored[col]) == pytest.approx(list(expected[col]), rel=1e-12), col


def test_recompute_replaces_the_graph_and_notices_new_articles(store):
    from ingest.ingestion import ingest_paths

    s, files = store
    materialize(s)
    n = len(list(s.query(f"SELECT * WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{ ?s ?p ?o }} }}", union=False)))
    materialize(s)
    again = len(list(s.query(f"SELECT * WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{ ?s ?p ?o }} }}", union=False)))
    assert again == n
    assert ANALYTICS_GRAPH not in s.article_graphs()
    ingest_paths(s, [files[-1]])
    assert read_analytics(s).attrs["stale"] is True


def test_read_analytics_before_any_run(tmp_path):
    with EmbeddedStore(tmp_path / "empty") as s:
        table = read_analytics(s)
    assert table.empty and table.attrs["stale"] is True


def test_analyze_on_a_remote_store(store):
    s, _ = store
    local = materialize(s)
    with oxigraph_server() as url:
        remote = open_store(url)
        from kg.backup import import_nquads
        from kg.export import export

        nq = s.location + ".nq"
        with open(nq, "wb") as fh:
            export(s, "nq", fh)
        import_nquads(remote, nq)
        summary = materialize(remote)
        assert summary.entities == local.entities
        assert list(read_analytics(remote)["entity"]) == list(read_analytics(s)["entity"])


def test_cli_ingest_analyze_and_analyze(tmp_path, env):
    files = article_files(tmp_path)
    path = tmp_path / "cli-store"
    run = lambda *a: subprocess.run(ecokg_cmd(*a), capture_output=True, text=True, env=subprocess_env(env))  # noqa: E731
    out = run("ingest", "--store", str(path), "--analyze", "-q", *map(str, files))
    assert out.returncode == 0, out.stderr
    assert "analytics:" in out.stderr
    with EmbeddedStore(path, read_only=True) as s:
        first = read_analytics(s)
    assert len(first) > 1 and not first.attrs["stale"]
    out = run("analyze", "--store", str(path))
    assert out.returncode == 0 and "analytics written" in out.stdout, out.stderr
