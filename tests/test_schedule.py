"""When runs start, and that two never overlap: pure schedule maths, the loop, the locks, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from web_server import Page, WebServer, article_html, en_paragraphs, rss, use_test_catalog

from ecokg.cli import main
from ecokg.cli_web import run_scheduler
from ingest.web.lock import LockedError, RunLock, lock_path_for
from ingest.web.runs import list_runs
from ingest.web.schedule import MAX_SLEEP, due_sources, last_complete_start, next_due, seconds_to_next
from ingest.web.sources import Source
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _catalog(tmp_path_factory, monkeypatch):
    use_test_catalog(tmp_path_factory, monkeypatch)


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_next_due_interval_cron_and_never_run():
    hourly = Source(name="h", kind="url", url="https://a.example/", every="1h")
    cron = Source(name="c", kind="url", url="https://a.example/", cron="30 6 * * *")
    default = Source(name="d", kind="url", url="https://a.example/")
    now = _ts("2026-11-27T08:00:00")
    assert next_due(hourly, None, now) == now
    assert next_due(hourly, _ts("2026-11-27T07:30:00"), now) == _ts("2026-11-27T08:30:00")
    assert next_due(cron, _ts("2026-11-27T07:00:00"), now) == _ts("2026-11-28T06:30:00")
    assert next_due(cron, _ts("2026-11-26T06:30:00"), now) == _ts("2026-11-27T06:30:00")
    assert next_due(default, _ts("2026-11-26T09:00:00"), now) == _ts("2026-11-27T09:00:00")


def test_due_sources_and_sleep():
    a = Source(name="a", kind="url", url="https://a.example/", every="10m")
    b = Source(name="b", kind="url", url="https://b.example/", every="1d")
    off = Source(name="off", kind="url", url="https://c.example/", every="1m", enabled=False)
    now = 10_000.0
    last = {"a": now - 700, "b": now - 100, "off": None}
    assert [s.name for s in due_sources([a, b, off], last, now)] == ["a"]
    last["a"] = now - 500
    assert due_sources([a, b, off], last, now) == []
    assert seconds_to_next([a, b, off], last, now) == 60  # a is due in 100 s; the loop wakes every minute
    assert seconds_to_next([b], {"b": now - 86_400 + 5}, now) == 5
    assert seconds_to_next([], {}, now) == MAX_SLEEP


def test_a_run_cut_short_is_due_again():
    times = {"done": (100.0, 160.0), "killed": (200.0, 150.0), "never-finished": (300.0, None), "new": (None, None)}
    assert last_complete_start(times) == {"done": 100.0, "killed": None, "never-finished": None, "new": None}


def _site(srv: WebServer) -> None:
    srv.routes["/robots.txt"] = Page(b"User-agent: *\nAllow: /\n", "text/plain")
    for i in range(3):
        srv.routes[f"/p{i}"] = Page(article_html(f"Scheduled {i}", en_paragraphs(200 + i)))
    srv.routes["/feed.xml"] = Page(rss([(f"p{i}", srv.url(f"/p{i}")) for i in range(3)]), "application/rss+xml")


def _sources_file(path: Path, srv: WebServer, every: str) -> Path:
    path.write_text(
        "[fetch]\ndelay = 0\nbackoff = 0.05\n\n"
        f'[[source]]\nname = "local"\nkind = "feed"\nurl = "{srv.url("/feed.xml")}"\n'
        f'every = "{every}"\nallow_private = true\n',
        encoding="utf-8",
    )
    return path


def test_scheduler_runs_due_sources_and_second_run_is_a_noop(tmp_path, capsys):
    with WebServer() as srv:
        _site(srv)
        sources = _sources_file(tmp_path / "sources.toml", srv, "1s")
        store = str(tmp_path / "store")
        stop = threading.Event()
        assert run_scheduler(store, str(sources), stop=stop, max_runs=2, quiet=True) == 2
        feed_requests = srv.requests_for("/feed.xml")
        assert len(feed_requests) == 2 and "if-none-match" in feed_requests[1].headers
        assert len(srv.requests_for("/p0")) == 1
    with EmbeddedStore(store, read_only=True) as s:
        runs = list_runs(s)
        assert [(r.label, r.status, r.new) for r in runs] == [("ecokg schedule", "completed", 0),
                                                               ("ecokg schedule", "completed", 3)]
        assert len(s.article_graphs()) == 3
    capsys.readouterr()
    assert main(["runs", "--store", store]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and all("completed" in line and "[local]" in line for line in listed)
    assert "3 new" in listed[1] and "0 new" in listed[0]


def test_lock_stops_a_concurrent_run(tmp_path, capsys):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nkind = "url"\nurl = "http://127.0.0.1:9/x"\nallow_private = true\n')
    store = str(tmp_path / "store")
    with RunLock(lock_path_for(store), "an ingest run"):
        assert main(["ingest", "--sources", str(sources), "--store", store]) == 3
        assert "an ingest run is already in progress (pid" in capsys.readouterr().err
        with pytest.raises(LockedError):
            RunLock(lock_path_for(store)).acquire()
    # free again once released
    with RunLock(lock_path_for(store)):
        pass


def test_schedule_process_lock_and_sigterm(tmp_path):
    """A second scheduler says so and exits; SIGTERM stops the first one cleanly."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with WebServer() as srv:
        _site(srv)
        sources = _sources_file(tmp_path / "sources.toml", srv, "1h")
        store = str(tmp_path / "store")
        cmd = [sys.executable, "-m", "ecokg.cli", "schedule", "--sources", str(sources), "--store", store]
        first = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = first.stdout.readline()  # the first run's report
            assert " completed: " in line and "3 new" in line, line
            second = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
            assert second.returncode == 3
            assert "a scheduler for this store is already in progress" in second.stderr
            first.send_signal(signal.SIGTERM)
            out, err = first.communicate(timeout=60)
            assert first.returncode == 0, err
            assert "ecokg schedule: stopped" in err
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()


def test_ingest_due_runs_only_sources_that_are_due(tmp_path, capsys):
    with WebServer() as srv:
        _site(srv)
        sources = _sources_file(tmp_path / "sources.toml", srv, "1h")
        store = str(tmp_path / "store")
        assert main(["ingest", "--sources", str(sources), "--store", store, "--due", "-q"]) == 0
        assert "3 new" in capsys.readouterr().out
        served = len(srv.log)
        assert main(["ingest", "--sources", str(sources), "--store", store, "--due", "-q"]) == 0
        assert capsys.readouterr().out.strip() == "no source is due"
        assert len(srv.log) == served
        # without --due every enabled source runs, conditionally
        assert main(["ingest", "--sources", str(sources), "--store", store, "-q"]) == 0
        assert "0 new" in capsys.readouterr().out
        assert srv.paths()[served:] == ["/feed.xml"]
