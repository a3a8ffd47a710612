"""Backups and restores of the embedded store, and N-Quads export/import between stores."""

from __future__ import annotations

import subprocess

import pyoxigraph as ox
import pytest
from service_helpers import article_files, ecokg_cmd, oxigraph_server, subprocess_env, tiny_catalog_env

from kg.backup import backup, import_nquads, restore
from kg.export import export
from kg.store import EmbeddedStore, StoreError, StoreLockedError, open_store


def quads_of(store) -> set[str]:
    res = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    return {f"{s['s']} {s['p']} {s['o']} {s['g']}" for s in res}


@pytest.fixture
def filled(tmp_path, monkeypatch):
    """A closed store holding a few real articles, and their quads."""
    from ingest.ingestion import ingest_paths
    from kg.catalog import load_catalog

    env = tiny_catalog_env(tmp_path)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    load_catalog.cache_clear()
    files = article_files(tmp_path, limit=4)
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        assert not ingest_paths(store, files).failed
        quads = quads_of(store)
    assert quads
    yield path, quads, files, env
    load_catalog.cache_clear()


def test_backup_then_restore_gives_the_same_quads(filled, tmp_path):
    from ingest.ingestion import remove_article

    path, quads, files, _ = filled
    info = backup(path, tmp_path / "bk")
    assert info.quads == len(quads) and "checkpoint" in info.method
    with EmbeddedStore(path) as store:
        remove_article(store, str(files[0]))
        assert quads_of(store) != quads
    with pytest.raises(StoreError, match="--force"):
        restore(tmp_path / "bk", path)
    assert restore(tmp_path / "bk", path, force=True) == len(quads)
    with EmbeddedStore(path, read_only=True) as store:
        assert quads_of(store) == quads
    with EmbeddedStore(tmp_path / "bk", read_only=True) as kept:  # the backup is untouched, usable again
        assert quads_of(kept) == quads


def test_restore_into_a_new_location(filled, tmp_path):
    path, quads, _, _ = filled
    backup(path, tmp_path / "bk")
    assert restore(tmp_path / "bk", tmp_path / "elsewhere") == len(quads)
    with EmbeddedStore(tmp_path / "elsewhere") as store:
        assert quads_of(store) == quads


def test_restore_refuses_a_store_open_elsewhere(filled, tmp_path):
    path, _, _, _ = filled
    backup(path, tmp_path / "bk")
    with EmbeddedStore(path), pytest.raises(StoreLockedError):
        restore(tmp_path / "bk", path, force=True)


def test_backup_refuses_an_existing_target(filled, tmp_path):
    path, _, _, _ = filled
    (tmp_path / "taken").mkdir()
    with pytest.raises(StoreError, match="already exists"):
        backup(path, tmp_path / "taken")


def test_backup_while_a_writer_holds_the_store_includes_unflushed_writes(filled, tmp_path):
    path, quads, _, _ = filled
    g = ox.NamedNode("urn:x:late")
    late = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("v"), g)
    writer = EmbeddedStore(path)
    try:
        writer.replace_graph(g.value, [late])  # committed, not flushed: the writer is still open
        info = backup(path, tmp_path / "bk")
        assert "snapshot" in info.method
    finally:
        writer.close()
    with EmbeddedStore(tmp_path / "bk", read_only=True) as copy:
        assert quads_of(copy) == quads | {f"{late.subject} {late.predicate} {late.object} {g}"}


def test_cli_backup_and_restore(filled, tmp_path):
    path, quads, _, env = filled
    run = lambda *a: subprocess.run(ecokg_cmd(*a), capture_output=True, text=True, env=subprocess_env(env))  # noqa: E731
    out = run("backup", "--store", str(path), str(tmp_path / "cli-bk"))
    assert out.returncode == 0, out.stderr
    assert f"{len(quads):,} quads" in out.stdout
    refused = run("restore", "--store", str(path), str(tmp_path / "cli-bk"))
    assert refused.returncode == 2 and "--force" in refused.stderr
    done = run("restore", "--store", str(path), str(tmp_path / "cli-bk"), "--force")
    assert done.returncode == 0, done.stderr
    with EmbeddedStore(path, read_only=True) as store:
        assert quads_of(store) == quads


def test_export_import_between_embedded_stores(filled, tmp_path):
    path, quads, _, env = filled
    nq = tmp_path / "all.nq"
    with EmbeddedStore(path, read_only=True) as store, nq.open("wb") as fh:
        export(store, "nq", fh)
    with EmbeddedStore(tmp_path / "fresh") as fresh:
        assert import_nquads(fresh, nq)[1] == len(quads)
        assert quads_of(fresh) == quads
    # into a store that already has data: each graph is replaced, nothing doubles
    out = subprocess.run(ecokg_cmd("import", "--store", str(path), str(nq)), capture_output=True, text=True,
                         env=subprocess_env(env))
    assert out.returncode == 0, out.stderr
    with EmbeddedStore(path, read_only=True) as store:
        assert quads_of(store) == quads


def test_import_into_a_remote_store(filled, tmp_path):
    path, quads, _, _ = filled
    nq = tmp_path / "all.nq"
    with EmbeddedStore(path, read_only=True) as store, nq.open("wb") as fh:
        export(store, "nq", fh)
    with oxigraph_server() as url:
        remote = open_store(url)
        graphs, n = import_nquads(remote, nq)
        assert n == len(quads) and graphs == len({q.rsplit(" ", 1)[1] for q in quads})
        assert quads_of(remote) == quads


def test_import_refuses_default_graph_triples(tmp_path):
    nq = tmp_path / "bad.nq"
    nq.write_text("<urn:x:s> <urn:x:p> <urn:x:o> .\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "s") as store, pytest.raises(StoreError, match="default graph"):
        import_nquads(store, nq)
