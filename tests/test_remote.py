"""ecokg against a real Oxigraph server as a remote store: ingestion, SPARQL, removal, the app's queries."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from service_helpers import article_files, oxigraph_server, tiny_catalog_env

from kg import queries
from kg.analytics import build_graph
from kg.namespace import PROV
from kg.query import QueryTimeout, UpdateRefused, run_query
from kg.remote import RemoteStore, endpoints_for
from kg.store import EmbeddedStore, StoreError, open_store

GENERATED_AT = str(PROV.generatedAtTime)


@pytest.fixture
def catalog_env(tmp_path, monkeypatch):
    from kg.catalog import load_catalog

    for k, v in tiny_catalog_env(tmp_path).items():
        monkeypatch.setenv(k, v)
    load_catalog.cache_clear()
    yield
    load_catalog.cache_clear()


@pytest.fixture
def remote_url(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


def all_quads(store) -> set[tuple[str, str, str, str]]:
    """Every quad in the named graphs, minus ingestion timestamps (they differ run to run)."""
    res = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    return {(str(s["s"]), str(s["p"]), str(s["o"]), str(s["g"])) for s in res if s["p"].value != GENERATED_AT}


@pytest.fixture
def both(tmp_path, remote_url, catalog_env):
    """The same articles ingested into an embedded store and into the Oxigraph server."""
    from ingest.ingestion import ingest_paths

    files = article_files(tmp_path)
    embedded = EmbeddedStore(tmp_path / "embedded")
    remote = open_store(remote_url)
    r1 = ingest_paths(embedded, files)
    r2 = ingest_paths(remote, files)
    assert not r1.failed and not r2.failed
    assert len(r2.new) == len(files)
    yield embedded, remote, files
    embedded.close()
    remote.close()


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Like `both`, shared by the tests that only read (ingestion runs once for them)."""
    from ingest.ingestion import ingest_paths
    from kg.catalog import load_catalog

    tmp = tmp_path_factory.mktemp("pair")
    mp = pytest.MonkeyPatch()
    for k, v in tiny_catalog_env(tmp).items():
        mp.setenv(k, v)
    load_catalog.cache_clear()
    files = article_files(tmp)
    with oxigraph_server(tmp / "oxigraph") as url:
        embedded = EmbeddedStore(tmp / "embedded")
        remote = open_store(url)
        assert not ingest_paths(embedded, files).failed and not ingest_paths(remote, files).failed
        yield embedded, remote, files
        embedded.close()
        remote.close()
    mp.undo()
    load_catalog.cache_clear()


def test_open_store_dispatches_urls(remote_url):
    store = open_store(remote_url + "/")
    assert isinstance(store, RemoteStore)
    assert store.location == remote_url
    assert store.endpoints.kind == "oxigraph"


def test_ingest_gives_the_same_graph_as_the_embedded_store(pair):
    embedded, remote, files = pair
    quads = all_quads(remote)
    assert quads and quads == all_quads(embedded)
    assert remote.quad_count() == embedded.quad_count()
    assert sorted(remote.article_graphs()) == sorted(embedded.article_graphs())


def test_reingest_is_incremental_on_the_remote_store(both):
    from ingest.ingestion import ingest_paths

    _, remote, files = both
    report = ingest_paths(remote, files)
    assert len(report.unchanged) == len(files) and not report.new and not report.updated


def test_changed_article_replaces_its_graph(both):
    from ingest.ingestion import ingest_paths

    _, remote, files = both
    before = remote.quad_count()
    files[0].write_text("Microsoft competes with Google in cloud computing.\n", encoding="utf-8")
    report = ingest_paths(remote, [files[0]])
    assert report.updated == [str(files[0])]
    assert len(remote.article_graphs()) == len(files)
    assert remote.quad_count() != before


def test_app_queries_agree(pair):
    embedded, remote, _ = pair
    assert queries.article_count(remote) == queries.article_count(embedded) > 0
    assert queries.counts_by_type(remote) == queries.counts_by_type(embedded)
    assert queries.counts_by_predicate(remote) == queries.counts_by_predicate(embedded)
    key = lambda r: tuple(str(v) for v in r.values())  # noqa: E731
    assert sorted(queries.entities(remote), key=key) == sorted(queries.entities(embedded), key=key)
    assert queries.labels(remote) == queries.labels(embedded)
    fkey = lambda f: (f.subject, f.predicate, f.object)  # noqa: E731
    assert sorted(queries.facts(remote), key=fkey) == sorted(queries.facts(embedded), key=fkey)
    ent = queries.entities(embedded)[0]["e"]
    assert queries.entity_description(remote, ent) == queries.entity_description(embedded, ent)
    assert sorted(queries.evidence_for(remote, ent), key=key) == sorted(queries.evidence_for(embedded, ent), key=key)
    assert queries.find_entities(remote, "o") and sorted(queries.find_entities(remote, "o"), key=key) == sorted(
        queries.find_entities(embedded, "o"), key=key
    )
    g = build_graph(queries.facts(remote))
    assert set(g.edges) == set(build_graph(queries.facts(embedded)).edges)


def test_run_query_over_the_remote_store(pair):
    embedded, remote, _ = pair
    text = "SELECT ?a ?e WHERE { ?a eco:mentions ?e } ORDER BY ?a ?e"
    r = run_query(remote, text)
    assert r.rows and r.rows == run_query(embedded, text).rows
    capped = run_query(remote, text, max_rows=2)
    assert capped.truncated and len(capped.rows) == 2 and "row cap" in capped.message
    assert run_query(remote, "ASK { ?a a schema:NewsArticle }").boolean is True
    graph = run_query(remote, "CONSTRUCT { ?a a schema:NewsArticle } WHERE { ?a a schema:NewsArticle }")
    assert graph.kind == "graph" and len(graph.rows) == queries.article_count(remote)
    with pytest.raises(UpdateRefused):
        run_query(remote, "DROP ALL")


def test_substitutions_bind_values(pair):
    embedded, remote, _ = pair
    art = embedded.article_graphs()[0]
    text = "SELECT ?a ?e WHERE { ?a <https://w3id.org/ecokg/ns#mentions> ?e } ORDER BY ?e"
    subs = {ox.Variable("a"): ox.NamedNode(art)}
    got = [s["e"] for s in remote.query(text, substitutions=subs)]
    assert got and got == [s["e"] for s in embedded.query(text, substitutions=subs)]


def test_remove_article(both):
    from ingest.ingestion import remove_article

    embedded, remote, files = both
    iri = remove_article(remote, str(files[0]))
    assert iri and iri not in remote.article_graphs()
    assert remove_article(remote, str(files[0])) is None
    assert remote.remove_graph(iri) is False
    remove_article(embedded, str(files[0]))
    assert all_quads(remote) == all_quads(embedded)


def test_update_and_export_go_through_the_protocols(pair, tmp_path):
    from kg.export import export

    embedded, remote, _ = pair
    remote.update("INSERT DATA { GRAPH <urn:x:test> { <urn:x:s> <urn:x:p> 'v' } }")
    assert remote.query("ASK { GRAPH <urn:x:test> { <urn:x:s> <urn:x:p> 'v' } }", union=False)
    assert remote.remove_graph("urn:x:test")
    out = tmp_path / "remote.nq"
    with out.open("wb") as fh:
        export(remote, "nq", fh)
    quads = {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in ox.parse(path=out)}
    assert {q for q in quads if q[1] != f"<{GENERATED_AT}>"} == all_quads(embedded)


def test_read_only_remote_store_refuses_writes(remote_url):
    store = open_store(remote_url, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graph("urn:x:g", [])
    with pytest.raises(StoreError, match="read-only"):
        store.update("CLEAR ALL")


def test_server_time_limit_is_reported_as_a_timeout(tmp_path):
    with oxigraph_server(None, "--timeout-s", "1") as url:
        store = open_store(url)
        triples = "".join(f"<urn:x:s{i}> <urn:x:p> <urn:x:o{i % 7}> .\n" for i in range(600))
        store._request("PUT", store.endpoints.graph_store, params={"graph": "urn:x:g"}, data=triples.encode(),
                       headers={"Content-Type": "application/n-triples"})
        expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
        with pytest.raises(QueryTimeout, match="time limit"):
            run_query(store, expensive, timeout=60)


def test_unreachable_server_is_a_clear_error():
    from service_helpers import free_port

    with pytest.raises(StoreError, match="cannot reach"):
        open_store(f"http://127.0.0.1:{free_port()}")


def test_endpoint_layouts():
    assert endpoints_for("http://h:3030/ds").query == "http://h:3030/ds/query"
    assert endpoints_for("http://h:3030/ds").graph_store == "http://h:3030/ds/data"
    g = endpoints_for("http://h:7200/repositories/eco")
    assert (g.kind, g.update, g.graph_store) == (
        "graphdb", "http://h:7200/repositories/eco/statements", "http://h:7200/repositories/eco/rdf-graphs/service"
    )
    n = endpoints_for("https://db.cluster.neptune.amazonaws.com:8182/sparql")
    assert (n.kind, n.query, n.update) == ("neptune", n.query, n.query) and n.graph_store.endswith("/sparql/gsp/")
    with pytest.raises(StoreError, match="credentials"):
        endpoints_for("http://user:secret@h:7878")


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append(dict(self.headers))
        body = json.dumps({"head": {}, "boolean": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"ECOKG_STORE_USER": "ana", "ECOKG_STORE_PASSWORD": "pw"}, "Basic YW5hOnB3"),
        ({"ECOKG_STORE_TOKEN": "t0k"}, "Bearer t0k"),
    ],
)
def test_credentials_come_from_the_environment(monkeypatch, env, expected):
    for k in ("ECOKG_STORE_USER", "ECOKG_STORE_PASSWORD", "ECOKG_STORE_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{server.server_address[1]}")
        assert store.query("ASK {}")
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.seen and all(h.get("Authorization") == expected for h in _Recorder.seen)



def test_app_data_layer_reads_the_remote_store(pair):
    """The app's bulk snapshot (ecokg.ui.data) is the same over HTTP as from the embedded store."""
    data = pytest.importorskip("ecokg.ui.data")
    embedded, remote, _ = pair
    a, b = data.read_snapshot(remote), data.read_snapshot(embedded)

    def rows(df):
        return sorted(map(tuple, df.astype(str).itertuples(index=False)))

    assert len(a.assertions) and rows(a.assertions) == rows(b.assertions)
    assert rows(a.entities) == rows(b.entities)
    assert rows(a.articles.drop(columns=["ingested"])) == rows(b.articles.drop(columns=["ingested"]))
    facts = data.filter_facts(a, data.GraphFilter())
    assert len(facts) and rows(facts) == rows(data.filter_facts(b, data.GraphFilter()))


def test_cli_commands_against_a_server_from_ecokg_store(remote_url, tmp_path):
    """`ECOKG_STORE=http://...` makes the same commands read and write the server."""
    import subprocess

    from service_helpers import ecokg_cmd, subprocess_env

    env = subprocess_env({**tiny_catalog_env(tmp_path), "ECOKG_STORE": remote_url})
    files = [str(f) for f in article_files(tmp_path, limit=3)]

    def run(*args: str) -> subprocess.CompletedProcess:
        out = subprocess.run(ecokg_cmd(*args), capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stderr
        return out

    assert "3 new" in run("ingest", "-q", "--analyze", *files).stdout
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["articles"] == 3 and stats["quads"] > 0
    csv = run("sparql", "SELECT ?e WHERE { ?e eco:pageRank ?pr } ORDER BY DESC(?pr)", "--format", "csv").stdout
    assert csv.splitlines()[0] == "e" and len(csv.splitlines()) > 2
    assert "removed" in run("remove", files[0]).stdout
    assert json.loads(run("stats", "--json").stdout)["articles"] == 2
    refused = subprocess.run(ecokg_cmd("backup", str(tmp_path / "bk")), capture_output=True, text=True, env=env)
    assert refused.returncode == 2 and "SPARQL server" in refused.stderr
