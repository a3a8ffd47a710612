"""A web run killed with SIGKILL in the middle leaves a store that the next run completes without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from web_server import Page, WebServer, article_html, en_paragraphs, rss, use_test_catalog

from ecokg.cli import main
from kg.namespace import ECO, SCHEMA
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
N = 80


@pytest.fixture(autouse=True)
def _catalog(tmp_path_factory, monkeypatch):
    use_test_catalog(tmp_path_factory, monkeypatch)


def _committed(state: Path) -> int:
    """URLs whose article is committed (their state row is written only after the commit)."""
    if not state.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM urls").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sigkill_mid_run_then_rerun_completes_without_duplicates(tmp_path, capsys):
    store = tmp_path / "store"
    state = tmp_path / "store.fetch.sqlite"
    with WebServer() as srv:
        srv.routes["/robots.txt"] = Page(b"User-agent: *\nAllow: /\n", "text/plain")
        for i in range(N):
            srv.routes[f"/k{i}"] = Page(article_html(f"Killed {i}", en_paragraphs(300 + i)))
        srv.routes["/feed.xml"] = Page(rss([(f"k{i}", srv.url(f"/k{i}?utm_source=rss")) for i in range(N)]),
                                       "application/rss+xml")
        sources = tmp_path / "sources.toml"
        sources.write_text(
            "[fetch]\ndelay = 0\nworkers = 2\n\n"
            f'[[source]]\nname = "k"\nkind = "feed"\nurl = "{srv.url("/feed.xml")}"\nallow_private = true\n',
            encoding="utf-8",
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "ecokg.cli", "ingest", "--sources", str(sources), "--store", str(store), "-q"],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 120
            while _committed(state) < 3 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert proc.poll() is None, proc.stderr.read().decode()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        killed_at = _committed(state)
        assert 3 <= killed_at < N

        # the next run completes the store
        assert main(["ingest", "--sources", str(sources), "--store", str(store), "-q"]) == 0
        out = capsys.readouterr().out
        assert " completed: " in out

    s = EmbeddedStore(store, read_only=True)
    try:
        graphs = s.article_graphs()
        assert len(graphs) == N
        keys = [r[0].value for r in s.query(
            f"SELECT ?k WHERE {{ GRAPH ?g {{ ?g <{ECO.sourceKey}> ?k }} }}", union=False)]
        assert len(keys) == N and len(set(keys)) == N
        assert all("utm_" not in k for k in keys)
        # every article graph is whole: header, hash and headline are all there
        whole = s.query(
            f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g a <{SCHEMA.NewsArticle}> ; "
            f"<{ECO.contentHash}> ?h ; <{SCHEMA.headline}> ?t ; <{SCHEMA.url}> ?u }} }}", union=False)
        assert int(next(iter(whole))[0].value) == N
        from ingest.web.runs import list_runs

        runs = list_runs(s)
        assert [r.status for r in runs] == ["completed", "running or killed"]
        assert runs[1].ended is None
        assert runs[0].new + killed_at <= N and runs[0].new + runs[0].unchanged >= N - killed_at
    finally:
        s.close()


def test_sigterm_mid_run_finishes_articles_in_hand(tmp_path):
    store = tmp_path / "store"
    state = tmp_path / "store.fetch.sqlite"
    with WebServer() as srv:
        srv.routes["/robots.txt"] = Page(b"User-agent: *\nAllow: /\n", "text/plain")
        for i in range(N):
            srv.routes[f"/t{i}"] = Page(article_html(f"Termed {i}", en_paragraphs(400 + i)))
        srv.routes["/feed.xml"] = Page(rss([(f"t{i}", srv.url(f"/t{i}")) for i in range(N)]), "application/rss+xml")
        sources = tmp_path / "sources.toml"
        sources.write_text(
            "[fetch]\ndelay = 0\nworkers = 2\n\n"
            f'[[source]]\nname = "t"\nkind = "feed"\nurl = "{srv.url("/feed.xml")}"\nallow_private = true\n',
            encoding="utf-8",
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "ecokg.cli", "ingest", "--sources", str(sources), "--store", str(store)],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while _committed(state) < 1 and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert proc.poll() is None
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 130, err
    assert "SIGTERM: finishing the articles in hand" in err and " stopped: " in out
    s = EmbeddedStore(store, read_only=True)
    try:
        from ingest.web.runs import list_runs

        [run] = list_runs(s)
        assert run.status == "stopped" and run.ended is not None
        graphs = s.article_graphs()
        assert 1 <= len(graphs) < N and run.new == len(graphs)
        whole = s.query(
            f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g a <{SCHEMA.NewsArticle}> ; "
            f"<{ECO.contentHash}> ?h ; <{SCHEMA.headline}> ?t }} }}", union=False)
        assert int(next(iter(whole))[0].value) == len(graphs)
    finally:
        s.close()
    assert _committed(state) == len(graphs)  # every committed article, and only those, has its state
