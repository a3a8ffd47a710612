"""The disk cache of `ecokg changes` (kg.time_cache) on a real on-disk store: used while the store is
unchanged, carried over an ingest (tests/test_warm_cache.py), rebuilt after a removal or a correction, and a
damaged cache is only rebuilt."""

from __future__ import annotations

import json

import pytest
from time_helpers import iri, write_story

from ecokg.cli import main
from kg import time_cache
from kg.changes import changes
from kg.changes_format import to_json
from kg.curation import actions
from kg.model import Article, Entity, Extraction, Relation
from kg.namespace import article_iri
from kg.rdf import article_quads
from kg.store import CACHE_DIR, EmbeddedStore, store_generation


@pytest.fixture
def path(tmp_path, monkeypatch):
    """The story in a closed store; the settle time off (each test's writes are seconds apart anyway)."""
    monkeypatch.setattr(time_cache, "SETTLE_S", 0.0)
    p = tmp_path / "store"
    s = EmbeddedStore(p)
    write_story(s)
    s.close()
    return p


def via_cache(path, start="2015", end="2015"):
    got = time_cache.read_inputs(str(path))
    ch = changes(None, start, end, frame=got.frame, ctx=got.context, evidence=got.evidence_of)
    return got.cached, json.loads(to_json(ch))


def via_store(path, start="2015", end="2015"):
    with EmbeddedStore(path, read_only=True) as s:
        return json.loads(to_json(changes(s, start, end)))


def cache_folders(path):
    root = path / CACHE_DIR
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_the_cache_is_used_while_the_store_is_unchanged(path):
    gen = store_generation(str(path))
    cached, first = via_cache(path)
    assert not cached and first == via_store(path)
    assert len(cache_folders(path)) == 1
    assert store_generation(str(path)) == gen  # writing the cache is not a change of the store
    for span in (("2015", "2015"), ("2014", "2016"), ("2015Q3", "2015Q3")):
        cached, got = via_cache(path, *span)
        assert cached and got == via_store(path, *span)


def write(path, fn):
    s = EmbeddedStore(path)
    try:
        return fn(s)
    finally:
        s.close()


def test_an_ingest_keeps_it_warm_a_removal_and_a_correction_rebuild_it(path):
    assert not via_cache(path)[0] and via_cache(path)[0]
    url = "https://news.test/b1"
    art = Article(source=url, text="Docker competes with Microsoft.", key=url, title="B1", date="2015-10-01",
                  lang="en", url=url)
    ext = Extraction(source=url, lang="en", entities=[Entity("Docker", "Vendor"), Entity("Microsoft", "Vendor")],
                     relations=[Relation(Entity("Docker", "Vendor").id, "competesWith", Entity("Microsoft", "Vendor").id,
                                         "Docker competes with Microsoft.", 0.9, 0, 31)])
    write(path, lambda s: s.replace_graph(article_iri(url), article_quads(art, ext)))
    cached, got = via_cache(path)
    rivals = [i["text"] for i in got["sections"]["new_rivalries"]]
    assert cached and "Docker vs Microsoft" in rivals and got == via_store(path)  # carried over (kg.warm_cache)
    assert via_cache(path)[0]

    write(path, lambda s: s.remove_graph(article_iri(url)))
    cached, got = via_cache(path)
    assert not cached and "Docker vs Microsoft" not in [i["text"] for i in got["sections"]["new_rivalries"]]
    assert via_cache(path)[0]

    write(path, lambda s: actions.reject(s, iri("google"), "competesWith", iri("docker"), who="ana", why="no"))
    cached, got = via_cache(path)
    assert not cached and got["sections"]["new_rivalries"] == [] and got == via_store(path)
    assert via_cache(path) == (True, got)
    assert len(cache_folders(path)) == 1  # older generations' caches are removed


@pytest.mark.parametrize("damage", ["truncate", "garbage", "remove", "columns"])
def test_a_damaged_cache_is_ignored_and_rebuilt(path, damage):
    expected = via_cache(path)[1]
    [folder] = cache_folders(path)
    target = path / CACHE_DIR / folder / ("frame.parquet" if damage != "garbage" else "evidence.parquet")
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        target.write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
    elif damage == "remove":
        target.unlink()
    else:  # a well-formed file of another layout
        import pandas as pd

        pd.DataFrame({"x": [1, 2]}).to_parquet(target)
    cached, got = via_cache(path)
    assert not cached and got == expected
    assert via_cache(path) == (True, expected)  # rebuilt


def test_a_fresh_generation_is_not_cached_while_it_may_still_move(path, monkeypatch):
    monkeypatch.setattr(time_cache, "SETTLE_S", 3600.0)
    assert not via_cache(path)[0] and not via_cache(path)[0]
    assert cache_folders(path) == []


def test_the_cli_reads_through_the_cache(path, capsys):
    assert main(["changes", "--store", str(path), "--from", "2015", "--to", "2015", "--format", "json"]) == 0
    first = capsys.readouterr().out
    assert len(cache_folders(path)) == 1
    assert main(["changes", "--store", str(path), "--from", "2015", "--to", "2015", "--format", "json"]) == 0
    assert capsys.readouterr().out == first
    assert [i["text"] for i in json.loads(first)["sections"]["acquisitions"]] == ["Docker acquired SocketPlane"]


def test_a_cache_that_cannot_be_written_is_skipped(path):
    root = path / CACHE_DIR
    root.write_text("not a folder")  # the cache cannot be written here
    cached, got = via_cache(path)
    assert not cached and got == via_store(path)
    assert root.read_text() == "not a folder"


def test_a_remote_store_gives_the_same_changes_without_a_cache(path, tmp_path, capsys):
    from service_helpers import oxigraph_server

    from kg.store import open_store

    server_dir = tmp_path / "oxigraph"
    with oxigraph_server(server_dir) as url:
        remote = open_store(url)
        write_story(remote)
        remote.close()
        for _ in range(2):
            assert main(["changes", "--store", url, "--from", "2015", "--to", "2015", "--format", "json"]) == 0
            assert json.loads(capsys.readouterr().out) == via_store(path)
    assert not (server_dir / CACHE_DIR).exists()
