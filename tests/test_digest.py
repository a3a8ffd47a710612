"""`ecokg schedule --digest DIR`: after every run, what it changed, as Markdown and a valid Atom feed."""

from __future__ import annotations

import threading
from pathlib import Path

import feedparser
import pytest
from web_server import use_test_catalog

from ecokg.cli_web import run_scheduler
from ingest.web.digest import FEED, STATE


@pytest.fixture(autouse=True)
def _catalog(tmp_path_factory, monkeypatch):
    use_test_catalog(tmp_path_factory, monkeypatch)


FIRST = """---
title: CoreOS launches rkt
date: 2014-12-01
lang: en
---
CoreOS launched rkt, a container runtime that competes with Docker.
"""
SECOND = """---
title: Docker buys SocketPlane
date: 2015-03-04
lang: en
---
Docker acquired SocketPlane this week. CoreOS ended its partnership with Docker last month.
"""


def _sources(tmp_path: Path, folder: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nname = "notes"\nkind = "folder"\npath = "{folder}"\nevery = "1s"\n',
                    encoding="utf-8")
    return path


def test_digest_is_valid_atom_with_one_entry_per_run(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "rkt.md").write_text(FIRST, encoding="utf-8")
    sources, store, digest = _sources(tmp_path, folder), str(tmp_path / "store"), tmp_path / "digest"

    assert run_scheduler(store, str(sources), stop=threading.Event(), max_runs=2, quiet=True,
                         digest=str(digest)) == 2
    feed = feedparser.parse((digest / FEED).read_text(encoding="utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 2  # one per run, newest first
    newest, first = feed.entries
    assert "0 changes" in newest.title and "No changes" in newest.summary
    assert "rkt" in first.summary and "competes with Docker" in first.summary
    mds = sorted(digest.glob("*.md"))
    assert len(mds) == 2 and {e.links[0].href for e in feed.entries} == {m.name for m in mds}
    first_md = (digest / first.links[0].href).read_text(encoding="utf-8")
    assert "## New products (1)" in first_md and "CoreOS launched rkt" in first_md

    (folder / "socketplane.md").write_text(SECOND, encoding="utf-8")
    assert run_scheduler(store, str(sources), stop=threading.Event(), max_runs=1, quiet=True,
                         digest=str(digest)) == 1
    feed = feedparser.parse((digest / FEED).read_text(encoding="utf-8"))
    assert not feed.bozo and len(feed.entries) == 3 and len(list(digest.glob("*.md"))) == 3
    latest = (digest / feed.entries[0].links[0].href).read_text(encoding="utf-8")
    assert "## Acquisitions (1)" in latest and "Docker acquired SocketPlane this week." in latest
    assert "## Ended alliances (1)" in latest and "2015-02" in latest  # "last month", resolved
    assert "rkt" not in latest.split("## Rising")[0]  # the first run's news is not repeated
    assert (digest / STATE).exists() and not list(digest.glob(".tmp-*"))


def test_extract_shows_event_dates_and_ended_relations(tmp_path, capsys):
    import json

    from ecokg.cli import main

    f = tmp_path / "rkt.md"
    f.write_text(FIRST.replace("competes with Docker.", "competes with Docker. "
                               "CoreOS ended its partnership with Docker last month."), encoding="utf-8")
    assert main(["extract", str(f), "--format", "json"]) == 0
    rels = json.loads(capsys.readouterr().out)["relations"]
    ended = [r for r in rels if r.get("status") == "ended"]
    assert [(r["predicate"], r["event_date"]) for r in ended] == [("partnersWith", "2014-11")]
    assert all("status" not in r for r in rels if r not in ended)  # the contract's shape otherwise
    assert main(["extract", str(f), "--format", "table"]) == 0
    assert "ended 2014-11" in capsys.readouterr().out
