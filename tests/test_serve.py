"""`ecokg serve`: a real read-only Oxigraph endpoint behind ecokg's bounds, queried by standard clients."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.error
from pathlib import Path

import pytest
import requests
from service_helpers import (
    article_files,
    ecokg_cmd,
    free_port,
    stop,
    subprocess_env,
    tiny_catalog_env,
    wait_http,
)

from kg.query import UpdateRefused, run_query, term_value, timeout_message
from kg.server import query_form
from kg.store import EmbeddedStore

PREFIX = "PREFIX eco: <https://w3id.org/ecokg/ns#>\nPREFIX schema: <https://schema.org/>\n"
MENTIONS = PREFIX + "SELECT ?a ?e WHERE { ?a eco:mentions ?e } ORDER BY ?a ?e"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> tuple[Path, dict[str, str], list[Path]]:
    """A store with a few real articles, written and closed before the endpoint starts."""
    from ingest.ingestion import ingest_paths
    from kg.catalog import load_catalog

    tmp = tmp_path_factory.mktemp("serve")
    env = tiny_catalog_env(tmp)
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    load_catalog.cache_clear()
    files = article_files(tmp)
    with EmbeddedStore(tmp / "store") as store:
        assert not ingest_paths(store, files[:-1]).failed
    yield tmp / "store", env, files
    mp.undo()
    load_catalog.cache_clear()


def start_serve(store: Path, env: dict[str, str], *extra: str, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`ecokg serve` in a subprocess; its stderr goes to serve.log beside the store (read it on failure)."""
    port = free_port()
    cmd = ecokg_cmd("serve", "--store", str(store), "--bind", f"127.0.0.1:{port}", *extra)
    with open(log or store.parent / "serve.log", "ab") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=subprocess_env(env))
    first = proc.stdout.readline()
    assert "SPARQL endpoint" in first, first + serve_log(store)
    url = first.split(" at ", 1)[1].strip()
    wait_http(url + "?query=ASK%7B%7D", proc)
    return proc, url


@pytest.fixture(scope="module")
def endpoint(store_dir):
    store, env, _ = store_dir
    proc, url = start_serve(store, env, "--max-rows", "1000", "--refresh", "0.5")
    yield url, proc
    stop(proc)


def serve_log(store: Path) -> str:
    path = store.parent / "serve.log"
    return path.read_text(errors="replace") if path.exists() else ""


def embedded_rows(store: Path, text: str) -> list[tuple]:
    with EmbeddedStore(store, read_only=True) as s:
        r = run_query(s, text)
    return [tuple(str(term_value(v)) for v in row) for row in r.rows]


def test_prints_url_and_curl_example(store_dir, tmp_path):
    store, env, _ = store_dir
    log = tmp_path / "serve.log"
    proc, url = start_serve(store, env, "--refresh", "0", log=log)
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/query")
    finally:
        code = stop(proc)
    out = proc.stdout.read()
    assert "curl" in out and code == 0
    assert "stopping" in log.read_text()
    workdir = re.search(r"go to (\S+)", log.read_text()).group(1)
    assert Path(workdir).parent == store.parent and not Path(workdir).exists()  # snapshots are cleaned up


def test_sparqlwrapper_gets_the_embedded_answers(endpoint, store_dir):
    from SPARQLWrapper import JSON, SPARQLWrapper

    url, _ = endpoint
    sw = SPARQLWrapper(url)
    sw.setQuery(MENTIONS)
    sw.setReturnFormat(JSON)
    data = sw.query().convert()
    got = [(b["a"]["value"], b["e"]["value"]) for b in data["results"]["bindings"]]
    assert got and got == embedded_rows(store_dir[0], MENTIONS)


def test_rdflib_sparqlstore_gets_the_embedded_answers(endpoint, store_dir):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    url, _ = endpoint
    g = Graph(store=SPARQLStore(url))
    got = [(str(r.a), str(r.e)) for r in g.query(MENTIONS)]
    assert got and got == embedded_rows(store_dir[0], MENTIONS)
    count = PREFIX + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"
    assert [int(r.n) for r in g.query(count)] == [len(store_dir[2]) - 1]


def test_csv_and_construct(endpoint, store_dir):
    url, _ = endpoint
    r = requests.post(url, data={"query": MENTIONS}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == "a,e" and len(lines) - 1 == len(embedded_rows(store_dir[0], MENTIONS))
    construct = PREFIX + "CONSTRUCT { ?a eco:mentions ?e } WHERE { ?a eco:mentions ?e }"
    r = requests.get(url, params={"query": construct}, headers={"Accept": "application/n-triples"}, timeout=30)
    assert r.status_code == 200
    assert len([line for line in r.text.splitlines() if line.strip()]) == len(embedded_rows(store_dir[0], MENTIONS))
    ask = requests.get(url, params={"query": PREFIX + "ASK { ?a a schema:NewsArticle }"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert ask.json()["boolean"] is True


def test_row_cap_is_announced(endpoint):
    url, _ = endpoint
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    r = requests.get(url, params={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 1000
    assert r.headers["X-Ecokg-Truncated"] == "true" and "row cap of 1,000" in r.headers["Warning"]


def test_updates_are_refused(endpoint, store_dir):
    from SPARQLWrapper import POST, SPARQLWrapper

    url, _ = endpoint
    insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 'hacked' } }"
    sw = SPARQLWrapper(url)
    sw.setMethod(POST)
    sw.setQuery(insert)
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403 and b"read-only" in err.value.read()
    base = url.rsplit("/", 1)[0]
    attempts = [
        requests.post(url, data=insert.encode(), headers={"Content-Type": "application/sparql-update"}, timeout=10),
        requests.post(base + "/update", data={"update": insert}, timeout=10),
        requests.put(base + "/store?graph=urn:x:g", data=b"<urn:x:s> <urn:x:p> <urn:x:o> .",
                     headers={"Content-Type": "application/n-triples"}, timeout=10),
        requests.delete(base + "/store?default", timeout=10),
        requests.get(url, params={"query": "DROP ALL"}, timeout=10),
    ]
    assert [a.status_code for a in attempts] == [403] * len(attempts)
    r = requests.get(url, params={"query": "ASK { ?s ?p 'hacked' }"}, headers={"Accept": "application/json"}, timeout=10)
    assert r.json()["boolean"] is False
    with EmbeddedStore(store_dir[0], read_only=True) as s, pytest.raises(UpdateRefused):
        run_query(s, insert)


def test_query_over_the_time_bound_gets_the_bound_message(store_dir):
    store, env, _ = store_dir
    proc, url = start_serve(store, env, "--timeout", "0.5", "--refresh", "0")
    try:
        expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        r = requests.get(url, params={"query": expensive}, headers={"Accept": "application/json"}, timeout=60)
        assert r.status_code == 503
        assert r.text.strip() == timeout_message(0.5)
        streaming = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        r = requests.get(url, params={"query": streaming}, headers={"Accept": "text/csv"}, timeout=60)
        assert r.status_code in (200, 503)  # the row cap (10,000) or the time bound, whichever comes first
        if r.status_code == 503:
            assert r.text.strip() == timeout_message(0.5)
        else:
            assert r.headers["X-Ecokg-Truncated"] == "true"
    finally:
        stop(proc)


def test_syntax_errors_give_the_users_line_and_column(endpoint):
    url, _ = endpoint
    r = requests.get(url, params={"query": "SELECT ?x WHERE { ?x"}, timeout=10)
    assert r.status_code == 400
    r = requests.get(url, params={"query": "SELECT ?x\nWHERE {\n  ?x a nope:Thing }"}, timeout=10)
    assert r.status_code == 400
    assert r.text.startswith("SPARQL syntax error at line 3, column ") and "undeclared prefix" in r.text
    assert "\\u{" not in r.text and len(r.text.splitlines()) == 1


def test_endpoint_follows_a_writer(endpoint, store_dir):
    """A writer commits while the endpoint runs; the endpoint switches to a new snapshot."""
    from ingest.ingestion import ingest_paths

    url, _ = endpoint
    store, _, files = store_dir
    count = PREFIX + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"

    def articles() -> int:
        r = requests.get(url, params={"query": count}, headers={"Accept": "application/json"}, timeout=30)
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    before = articles()
    with EmbeddedStore(store) as writer:  # the endpoint does not hold the store: the writer can open it
        assert ingest_paths(writer, [files[-1]]).new == [str(files[-1])]
        deadline = time.monotonic() + 60
        while articles() == before and time.monotonic() < deadline:
            time.sleep(0.3)
    assert articles() == before + 1, serve_log(store)


def test_query_form():
    assert query_form("PREFIX a: <http://x/> # c\nselect * {}") == "SELECT"
    assert query_form("BASE <http://x/> CONSTRUCT WHERE {}") == "CONSTRUCT"
    assert query_form("prefix a: <x:>\n INSERT DATA {}") == "UPDATE"
    assert query_form("nonsense") is None
    assert query_form("# it's \"quoted\" <x>\nPREFIX a: <http://x/#>\nASK {}") == "ASK"
    assert query_form("PREFIX a: <http://x/#SELECT>\nDESCRIBE <http://x/>") == "DESCRIBE"



def test_federated_queries_are_refused_unless_allowed(endpoint, store_dir):
    """SERVICE would make the endpoint fetch any URL (internal ones too): refused, and nothing is sent."""
    from service_helpers import recording_sparql_server

    from kg.query import SERVICE_REFUSED, FederationRefused

    url, _ = endpoint
    store, env, _ = store_dir
    with recording_sparql_server() as (remote, seen):
        q = f"SELECT ?s WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}"
        r = requests.get(url, params={"query": q}, timeout=10)
        assert r.status_code == 403 and r.text.strip() == SERVICE_REFUSED
        with EmbeddedStore(store, read_only=True) as s, pytest.raises(FederationRefused):
            run_query(s, q)
        assert seen == []
        proc, open_url = start_serve(store, env, "--refresh", "0", "--allow-service")
        try:
            r = requests.get(open_url, params={"query": q}, headers={"Accept": "application/json"}, timeout=30)
        finally:
            stop(proc)
        assert r.status_code == 200 and seen


def test_run_query_allows_service_when_configured(store_dir, monkeypatch):
    from service_helpers import recording_sparql_server

    monkeypatch.setenv("ECOKG_SPARQL_SERVICE", "1")
    with recording_sparql_server() as (remote, seen), EmbeddedStore(store_dir[0], read_only=True) as s:
        r = run_query(s, f"SELECT ?s WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}")
    assert r.rows == [] and seen


def test_cross_origin_only_with_cors(endpoint, store_dir):
    url, _ = endpoint
    r = requests.get(url, params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}, timeout=10)
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r.headers
    assert requests.options(url, headers={"Origin": "https://evil.example"}, timeout=10).status_code == 403
    store, env, _ = store_dir
    proc, open_url = start_serve(store, env, "--refresh", "0", "--cors", "https://app.example")
    try:
        mine = {"Origin": "https://app.example"}
        r = requests.get(open_url, params={"query": "ASK {}"}, headers=mine, timeout=10)
        pre = requests.options(open_url, headers={**mine, "Access-Control-Request-Method": "POST"}, timeout=10)
        other = requests.get(open_url, params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"},
                             timeout=10)
        other_pre = requests.options(open_url, headers={"Origin": "https://evil.example"}, timeout=10)
    finally:
        stop(proc)
    assert r.headers["Access-Control-Allow-Origin"] == "https://app.example" and pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Access-Control-Allow-Origin" not in other.headers and other_pre.status_code == 403
    proc, any_url = start_serve(store, env, "--refresh", "0", "--cors", "*")
    try:
        r = requests.get(any_url, params={"query": "ASK {}"}, headers={"Origin": "https://x.example"}, timeout=10)
    finally:
        stop(proc)
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_service_description_and_head(endpoint):
    import pyoxigraph as ox

    url, _ = endpoint
    r = requests.get(url, headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = ox.Store()
    g.load(r.content, ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert g.query(f"ASK {{ ?s a <{sd}Service> ; <{sd}endpoint> <{url}> ; <{sd}supportedLanguage> <{sd}SPARQL11Query> ; "
                   f"<{sd}feature> <{sd}UnionDefaultGraph> }}")
    assert not g.query(f"ASK {{ ?s <{sd}supportedLanguage> <{sd}SPARQL11Update> }}")
    ui = requests.get(url.rsplit("/", 1)[0] + "/", timeout=30)  # Oxigraph's query page, served from here
    assert ui.status_code == 200 and b"yasgui" in ui.content.lower()
    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(r.content) and head.content == b""
    q = {"query": "ASK {}"}
    get, head = (requests.request(m, url, params=q, headers={"Accept": "application/json"}, timeout=10)
                 for m in ("GET", "HEAD"))
    assert head.status_code == 200 and head.content == b"" and head.headers["Content-Length"] == get.headers["Content-Length"]


def test_graph_store_reads_are_answered(endpoint, store_dir):
    url, _ = endpoint
    base = url.rsplit("/", 1)[0]
    with EmbeddedStore(store_dir[0], read_only=True) as s:
        graph = s.article_graphs()[0]
        expected = sum(1 for _ in s.oxigraph.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(graph)))
    r = requests.get(base + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"}, timeout=30)
    assert r.status_code == 200 and "updates are refused" not in r.text
    assert len([x for x in r.text.splitlines() if x.strip()]) == expected
    r = requests.get(base + "/store", timeout=10)
    assert r.status_code == 400 and "updates are refused" not in r.text and "?graph=" in r.text
    r = requests.get(base + "/store", params={"graph": "urn:x:no-such-graph"}, timeout=10)
    assert r.status_code == 404 and "no graph" in r.text
    assert requests.head(base + "/store", params={"graph": graph}, timeout=10).status_code == 200


def test_refused_writes_keep_the_connection_usable(endpoint):
    url, _ = endpoint
    base = url.rsplit("/", 1)[0]
    with requests.Session() as s:
        put = s.put(base + "/store?graph=urn:x:g", data=b"<urn:x:s> <urn:x:p> <urn:x:o> .\n" * 100,
                    headers={"Content-Type": "application/n-triples"}, timeout=10)
        ask = s.get(url, params={"query": "ASK {}"}, headers={"Accept": "application/json"}, timeout=10)
    assert put.status_code == 403 and ask.status_code == 200 and ask.json()["boolean"] is True
