"""Resource bounds: each is configurable and says so clearly when hit.

| bound | where | setting |
|---|---|---|
| upload size per file, files per upload | the app's Ingest page | ECOKG_UPLOAD_MAX_MB, ECOKG_UPLOAD_MAX_FILES |
| query time, result rows | `ecokg sparql`, the app's SPARQL page, `ecokg serve` | ECOKG_QUERY_TIMEOUT, ECOKG_QUERY_MAX_ROWS, flags |
| request body | `ecokg serve` | ECOKG_SERVE_MAX_BODY |
| fetch size | web ingestion | `[fetch] max_bytes` in the sources file |
"""

from __future__ import annotations

import importlib.util
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from service_helpers import ecokg_cmd, free_port, stop, subprocess_env, wait_http
from streamlit.testing.v1 import AppTest

from kg import query as kq
from kg.query import row_cap_message, timeout_message

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def _synth():
    spec = importlib.util.spec_from_file_location("ecokg_bench_synth", ROOT / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bounds") / "store"
    _synth().write_store(path, entities=60, facts=150, seed=5)
    return path


def plain(markdown: str) -> str:
    """The text of an escaped Markdown message (what the analyst reads)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ------------------------------------------------------------------ the app's uploads
def _ingest_page(monkeypatch, store: Path) -> AppTest:
    from ecokg.ui import ingest_flow
    from kg.model import Extraction
    from kg.store import EmbeddedStore

    EmbeddedStore(store).close()  # an empty store: the page has one to read
    monkeypatch.setenv("ECOKG_STORE", str(store))
    monkeypatch.setattr(ingest_flow, "extract", lambda arts: [ingest_flow.Preview(a, Extraction(a.source, "en"))
                                                              for a in arts])
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("ecokg/ui/pages/ingest.py")
    return _run(at)


def test_upload_file_count_is_bounded_and_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOKG_UPLOAD_MAX_FILES", "2")
    at = _ingest_page(monkeypatch, tmp_path / "store")
    files = [(f"a{i}.txt", b"Acme launched Widgetron.", "text/plain") for i in range(3)]
    at.file_uploader(key="in_files").set_value(files)
    at.button(key="in_extract").click()
    _run(at)
    assert [plain(e.value) for e in at.error] == [
        "3 files chosen: at most 2 per upload (ECOKG_UPLOAD_MAX_FILES); nothing was read"
    ]
    assert not at.html  # nothing extracted
    at.file_uploader(key="in_files").set_value(files[:2])
    at.button(key="in_extract").click()
    _run(at)
    assert not at.error and len(at.html) == 2
    from kg.store import EmbeddedStore

    with EmbeddedStore(tmp_path / "store", read_only=True) as s:
        assert s.quad_count() == 0  # nothing is written before "Add to graph"


def test_upload_size_is_bounded_and_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOKG_UPLOAD_MAX_MB", "1")
    at = _ingest_page(monkeypatch, tmp_path / "store")
    assert at.file_uploader(key="in_files").proto.max_upload_size_mb == 1  # the browser and server enforce it too
    big = b"Acme launched Widgetron. " * 60_000  # 1.5 MB
    at.file_uploader(key="in_files").set_value([("big.txt", big, "text/plain"), ("small.txt", b"Acme.", "text/plain")])
    at.button(key="in_extract").click()
    _run(at)
    errors = [plain(e.value) for e in at.error]
    assert errors == ["big.txt: file too large (1,500,000 bytes > 1,048,576; ECOKG_UPLOAD_MAX_MB)"]
    assert len(at.html) == 1  # the small file was read


def test_upload_settings_fall_back_on_nonsense(monkeypatch):
    from ecokg.ui import ingest_flow

    for bad in ("", "0", "-3", "lots"):
        monkeypatch.setenv("ECOKG_UPLOAD_MAX_MB", bad)
        monkeypatch.setenv("ECOKG_UPLOAD_MAX_FILES", bad)
        assert ingest_flow.upload_max_mb() == ingest_flow.DEFAULT_UPLOAD_MAX_MB
        assert ingest_flow.upload_max_files() == ingest_flow.DEFAULT_UPLOAD_MAX_FILES


# ------------------------------------------------------------------ query time and rows: the app
def test_app_sparql_page_is_held_to_the_operators_bounds(small_store, monkeypatch):
    monkeypatch.setenv("ECOKG_STORE", str(small_store))
    monkeypatch.setattr(kq, "DEFAULT_TIMEOUT_S", 2.0)  # what ECOKG_QUERY_TIMEOUT=2 sets at start-up
    monkeypatch.setattr(kq, "DEFAULT_MAX_ROWS", 50)  # ECOKG_QUERY_MAX_ROWS=50
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("ecokg/ui/pages/sparql.py")
    _run(at)
    assert at.number_input(key="sq_timeout").max == 2 and at.number_input(key="sq_rows").max == 50
    at.session_state["sq_text"] = ALL
    at.button(key="sq_run").click()
    _run(at)
    assert [plain(w.value) for w in at.warning] == [row_cap_message(50)]
    assert len(at.dataframe[0].value) == 50
    at.number_input(key="sq_timeout").set_value(1)
    at.session_state["sq_text"] = EXPENSIVE
    at.button(key="sq_run").click()
    _run(at)
    assert [plain(e.value) for e in at.error] == [f"Time limit hit: {timeout_message(1)}"]


# ------------------------------------------------------------------ query time and rows: the CLI
def _sparql(store: Path, query: str, *flags: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(ecokg_cmd("sparql", query, "--store", str(store), "--format", "csv", *flags),
                          capture_output=True, text=True, cwd=ROOT, env=subprocess_env(env), timeout=120)


def test_cli_row_cap_from_the_environment_and_the_flag(small_store):
    r = _sparql(small_store, ALL, env={"ECOKG_QUERY_MAX_ROWS": "7"})
    assert r.returncode == 0, r.stderr
    assert len(_csv_rows(r.stdout)) == 1 + 7  # CSV rows, not lines: an article's text spans lines
    assert r.stderr.strip() == f"note: {row_cap_message(7)}"
    r = _sparql(small_store, ALL, "--max-rows", "3", env={"ECOKG_QUERY_MAX_ROWS": "7"})
    assert len(_csv_rows(r.stdout)) == 1 + 3 and row_cap_message(3) in r.stderr


def _csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text.strip())))


def test_cli_time_limit_from_the_environment_and_the_flag(small_store):
    r = _sparql(small_store, EXPENSIVE, env={"ECOKG_QUERY_TIMEOUT": "0.5"})
    assert r.returncode == 2
    assert r.stderr.strip() == f"ecokg sparql: {timeout_message(0.5)}"
    r = _sparql(small_store, EXPENSIVE, "--timeout", "0.3")
    assert r.returncode == 2 and timeout_message(0.3) in r.stderr


# ------------------------------------------------------------------ ecokg serve: defaults from the environment, body size
@pytest.fixture(scope="module")
def bounded_endpoint(small_store, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    env = {"ECOKG_QUERY_MAX_ROWS": "9", "ECOKG_QUERY_TIMEOUT": "1", "ECOKG_SERVE_MAX_BODY": "4000"}
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            ecokg_cmd("serve", "--store", str(small_store), "--bind", f"127.0.0.1:{port}", "--refresh", "0"),
            stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT, env=subprocess_env(env),
        )
    first = proc.stdout.readline()
    assert "SPARQL endpoint" in first, first + log.read_text()
    url = first.split(" at ", 1)[1].strip()
    wait_http(url + "?query=ASK%7B%7D", proc)
    yield url, port
    stop(proc)


def test_serve_takes_its_default_bounds_from_the_environment(bounded_endpoint):
    url, _ = bounded_endpoint
    r = requests.get(url, params={"query": ALL}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 9
    assert r.headers["X-Ecokg-Row-Cap"] == "9" and row_cap_message(9) in r.headers["Warning"]
    r = requests.get(url, params={"query": EXPENSIVE}, headers={"Accept": "application/json"}, timeout=60)
    assert r.status_code == 503 and r.text.strip() == timeout_message(1)


def test_serve_refuses_a_request_body_over_the_bound_without_reading_it(bounded_endpoint):
    url, port = bounded_endpoint
    small = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 1000
    r = requests.post(url, data=small.encode(), headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 200
    # A client that announces a gigabyte and sends nothing: answered at once, connection closed.
    for method in ("POST /query", "PUT /store?default"):
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(f"{method} HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                      "Content-Length: 1000000000\r\n\r\n".encode())
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head
        assert b"request body too large: 1,000,000,000 bytes (limit 4,000" in body
    r = requests.post(url, data=("#" * 5000).encode(), headers={"Content-Type": "application/sparql-query"},
                      timeout=30)
    assert r.status_code == 413 and "ECOKG_SERVE_MAX_BODY" in r.text
    r = requests.get(url, params={"query": "ASK {}"}, headers={"Accept": "application/json"}, timeout=10)
    assert r.status_code == 200  # still serving


# ------------------------------------------------------------------ web ingestion: fetch size from the sources file
def test_fetch_size_bound_comes_from_the_sources_file(tmp_path, tmp_path_factory, monkeypatch, capsys):
    from web_server import Page, WebServer, article_html, en_paragraphs, use_test_catalog

    from ecokg.cli import main
    from kg.store import EmbeddedStore

    use_test_catalog(tmp_path_factory, monkeypatch)
    page = article_html("A long page", en_paragraphs(1) * 40)
    assert len(page) > 12_000
    with WebServer() as srv:
        srv.routes["/long.html"] = Page(page)
        store = tmp_path / "store"
        for max_bytes, expect_failure in ((10_000, True), (len(page) + 1000, False)):
            sources = tmp_path / f"sources-{max_bytes}.toml"
            sources.write_text(
                f"[fetch]\ndelay = 0\nretries = 0\nmax_bytes = {max_bytes}\n\n"
                f'[[source]]\nname = "long"\nkind = "url"\nurl = "{srv.url("/long.html")}"\nallow_private = true\n',
                encoding="utf-8",
            )
            code = main(["ingest", "--sources", str(sources), "--store", str(store), "-q"])
            err = capsys.readouterr().err
            if expect_failure:
                assert code == 1
                assert f"body too large: {len(page):,} bytes declared (limit {max_bytes:,})" in err, err
                with EmbeddedStore(store, read_only=True) as s:
                    assert not s.article_graphs()
            else:
                assert code == 0, err
                with EmbeddedStore(store, read_only=True) as s:
                    assert len(s.article_graphs()) == 1
