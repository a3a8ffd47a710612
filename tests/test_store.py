"""The embedded store: atomic graph replacement, read-only readers, locking."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.store import EmbeddedStore, StoreError, StoreLockedError

G = "https://w3id.org/ecokg/article/test"


def _quads(n: int, graph: str = G) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://p"), ox.Literal(str(i)), g) for i in range(n)]


def test_replace_graph_swaps_the_whole_graph(store):
    store.replace_graph(G, _quads(5))
    assert store.quad_count() == 5
    store.replace_graph(G, _quads(2))
    assert store.quad_count() == 2
    assert store.remove_graph(G) is True
    assert store.quad_count() == 0
    assert store.remove_graph(G) is False


def test_a_failed_replacement_leaves_the_old_graph(store):
    store.replace_graph(G, _quads(3))
    # The drop and the insert are one update: when the insert is malformed, the drop never happens.
    with pytest.raises(SyntaxError):
        store.update(f"DROP GRAPH <{G}> ; INSERT DATA {{ GRAPH <{G}> {{ \"lit\" <http://p> 1 }} }}")
    assert store.quad_count() == 3


def test_read_only_snapshot_sees_committed_data(store_path):
    writer = EmbeddedStore(store_path)
    writer.replace_graph(G, _quads(4))
    writer.close()
    reader = EmbeddedStore(store_path, read_only=True)
    assert reader.quad_count() == 4
    with pytest.raises(StoreError):
        reader.replace_graph(G, _quads(1))
    reader.close()


def test_second_writer_gets_a_clear_error(store_path):
    holder = EmbeddedStore(store_path)
    code = (
        "import sys\nfrom kg.store import EmbeddedStore, StoreLockedError\n"
        "try:\n    EmbeddedStore(sys.argv[1])\nexcept StoreLockedError as e:\n    print('LOCKED', e); sys.exit(3)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(store_path)], capture_output=True, text=True, timeout=60)
    holder.close()
    assert proc.returncode == 3, proc.stderr
    assert "open for writing in another process" in proc.stdout


def test_read_only_open_of_a_missing_store_says_so(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        EmbeddedStore(tmp_path / "nothing", read_only=True)


def test_locked_error_is_a_store_error():
    assert issubclass(StoreLockedError, StoreError)


def test_read_only_open_of_a_missing_store_keeps_its_message(tmp_path):
    with pytest.raises(StoreError) as err:
        EmbeddedStore(tmp_path / "nothing", read_only=True)
    assert str(err.value) == f"no store at {tmp_path / 'nothing'}: run `ecokg ingest` first"
