"""Writers that meet a restore: a writer starting while `restore` copies is refused, never lost."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from kg import backup as kb
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
WRITER = (
    "import sys\nimport pyoxigraph as ox\nfrom kg.store import EmbeddedStore, StoreLockedError\n"
    "try:\n    s = EmbeddedStore(sys.argv[1])\nexcept StoreLockedError as e:\n    print('LOCKED', e); sys.exit(3)\n"
    "g = ox.NamedNode('urn:x:late')\n"
    "s.replace_graph('urn:x:late', [ox.Quad(ox.NamedNode('urn:x:s'), ox.NamedNode('urn:x:p'), ox.Literal('w'), g)])\n"
    "s.close()\nprint('WROTE')\n"
)


def _quads(n: int, graph: str) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(ox.NamedNode(f"urn:x:{i}"), ox.NamedNode("urn:x:p"), ox.Literal(str(i)), g) for i in range(n)]


def test_a_writer_starting_during_a_restore_is_refused_not_lost(tmp_path, monkeypatch):
    source, store = tmp_path / "source", tmp_path / "store"
    with EmbeddedStore(source) as s:
        s.replace_graph("urn:x:backup", _quads(50, "urn:x:backup"))
    kb.backup(source, tmp_path / "bk")
    with EmbeddedStore(store) as s:
        s.replace_graph("urn:x:old", _quads(5, "urn:x:old"))

    seen = {}
    real_copytree = shutil.copytree

    def copy_while_a_writer_starts(src, dst, *args, **kwargs):
        out = real_copytree(src, dst, *args, **kwargs)
        seen["writer"] = subprocess.run([sys.executable, "-c", WRITER, str(store)], capture_output=True, text=True,
                                        cwd=ROOT, timeout=60)
        return out

    monkeypatch.setattr(kb.shutil, "copytree", copy_while_a_writer_starts)
    assert kb.restore(tmp_path / "bk", store, force=True) == 50
    writer = seen["writer"]
    assert writer.returncode == 3, writer.stdout + writer.stderr  # told to wait: nothing it wrote can vanish
    assert "open for writing in another process" in writer.stdout
    with EmbeddedStore(store, read_only=True) as s:
        graphs = {r[0].value for r in s.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)}
    assert graphs == {"urn:x:backup"}
    assert not list(tmp_path.glob(".store.*"))  # no staging or old folder left behind
