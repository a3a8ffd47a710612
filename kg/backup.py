"""Backups of the embedded store, and N-Quads import for moving between stores.

``backup`` prefers Oxigraph's own backup (a RocksDB checkpoint: hard links on
the same file system, so cheap) taken through a read-write open, which
includes every committed write. When a writer holds the store, it cannot be
opened read-write; a checkpoint through a read-only open would then miss what
the writer has not flushed yet (measured: a read-only checkpoint of a store
with 181 committed but unflushed quads held 0), so ``backup`` copies a
read-only snapshot into a new database instead.

``restore`` puts a backup in place of the store: never over a store that is
open elsewhere, and over a non-empty one only with ``force``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import entity_index
from kg.namespace import ENTITIES_GRAPH
from kg.store import EmbeddedStore, Store, StoreError, StoreLockedError, refuse_derived_graph


@dataclass
class BackupInfo:
    quads: int
    method: str  # "checkpoint" or "snapshot copy"


def _is_lock_error(exc: OSError) -> bool:
    return "lock" in str(exc).lower()


def snapshot(location: str | os.PathLike[str], target: str | os.PathLike[str]) -> int:
    """Copy the store into a new database at target through a short read-only open; returns its quad count.

    A dump and load, not a checkpoint, so writes the writer has committed but not
    flushed are included.
    """
    data = _read_dump(str(location))
    copy = ox.Store(str(target))
    copy.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    copy.flush()
    count = len(copy)
    del copy
    return count


def _read_dump(location: str, attempts: int = 6) -> bytes:
    """All quads as N-Quads through a read-only open, retried when a live writer moves files underneath.

    A read-only open lists the database files when it starts; a writer's compaction
    may delete one of them before it is read (seen in tests as "Corruption: ... No
    such file"). A fresh open sees the new file list, so a retry succeeds.
    """
    problem: Exception | None = None
    for attempt in range(attempts):
        try:
            source = ox.Store.read_only(location)
            try:
                return source.dump(format=ox.RdfFormat.N_QUADS)
            finally:
                del source
        except (OSError, RuntimeError) as exc:
            problem = exc
            time.sleep(0.1 * (attempt + 1))
    raise StoreError(f"cannot read a consistent copy of the store at {location} (a writer keeps changing it?): {problem}")


def backup(location: str | os.PathLike[str], target: str | os.PathLike[str]) -> BackupInfo:
    """Back up the store at location into target, a folder that must not exist yet."""
    src, dst = Path(location), Path(target)
    if not src.is_dir():
        raise StoreError(f"no store at {src}")
    if dst.exists():
        raise StoreError(f"{dst} already exists: back up into a new folder")
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)  # `ecokg backup backups/today` with no backups/ yet
    except OSError as exc:
        raise StoreError(f"cannot create {dst.parent}: {exc.strerror or exc}") from None
    try:
        store = ox.Store(str(src))
    except OSError as exc:
        if not _is_lock_error(exc):
            raise StoreError(f"cannot open the store at {src}: {exc}") from exc
        return BackupInfo(snapshot(src, dst), "snapshot copy (a writer holds the store)")
    try:
        store.backup(str(dst))
    except OSError as exc:
        raise StoreError(f"backup into {dst} failed: {exc}") from exc
    finally:
        del store
    return BackupInfo(_count(dst), "Oxigraph checkpoint")


def _count(path: Path) -> int:
    try:
        return len(ox.Store.read_only(str(path)))
    except OSError as exc:
        raise StoreError(f"{path} is not an Oxigraph database: {exc}") from exc


def restore(backup_dir: str | os.PathLike[str], location: str | os.PathLike[str], *, force: bool = False) -> int:
    """Replace the store at location with a copy of a backup; returns the restored quad count."""
    src, dst = Path(backup_dir), Path(location)
    if not src.is_dir():
        raise StoreError(f"no backup at {src}")
    expected = _count(src)
    dst.parent.mkdir(parents=True, exist_ok=True)
    # Hold the store open for writing (its lock) from the check through the copy: a writer that starts
    # meanwhile is refused with a message instead of writing into a folder about to be replaced. It is
    # closed just before the two renames (a store closed after its folder moved deletes files by its
    # old path, which is then the restored store's).
    try:
        current = ox.Store(str(dst))
    except OSError as exc:
        if _is_lock_error(exc):
            raise StoreLockedError(
                f"the store at {dst} is open in another process; stop it before restoring"
            ) from exc
        raise StoreError(f"cannot open the store at {dst}: {exc}") from exc
    old = dst.with_name(f".{dst.name}.old-{os.getpid()}")
    try:
        existing = len(current)
        if existing and not force:
            raise StoreError(f"the store at {dst} holds {existing:,} quads; use --force to replace it")
        staging = dst.with_name(f".{dst.name}.restore-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(src, staging)  # copies, never links: the backup stays independent of the store
        restored = len(ox.Store(str(staging)))  # opens read-write once: replays its log, as the next writer would
        if restored != expected:
            shutil.rmtree(staging, ignore_errors=True)
            raise StoreError(f"the copy of {src} holds {restored} quads, the backup {expected}; nothing was changed")
    finally:
        del current
    dst.rename(old)
    staging.rename(dst)
    shutil.rmtree(old, ignore_errors=True)
    return restored


#: What ``ecokg import`` reads, by file name ending (``ecokg export`` writes all of these but GraphML).
IMPORT_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
}  # fmt: skip
FORMAT_NAMES = {"nq": ".nq", "trig": ".trig", "ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf"}


def import_format(path: str | os.PathLike[str], name: str | None = None) -> ox.RdfFormat:
    """The RDF format of an import: named (``nq``, ``trig``, ``ttl``, ``jsonld``, ...) or from the file name."""
    suffix = FORMAT_NAMES.get(name or "", "") or Path(path).suffix.lower()
    if suffix == ".graphml":
        raise StoreError(f"{path}: GraphML holds only the entity network, not the RDF graph: import an .nq, "
                         ".trig, .ttl or .jsonld export instead")
    fmt = IMPORT_FORMATS.get(suffix)
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {suffix or '(no file name ending)'}: use --format "
                         f"{'|'.join(FORMAT_NAMES)}")
    return fmt


def read_graphs(
    path: str | os.PathLike[str], fmt: ox.RdfFormat, graph: str | None = None
) -> dict[str, list[ox.Quad]]:
    """The quads of a file by named graph, validated before anything is written.

    N-Quads and TriG keep their graphs (default-graph triples are refused: ecokg keeps every triple
    in a named graph); Turtle, N-Triples, JSON-LD and RDF/XML have no graphs, so their triples go
    to ``graph``, which the user picks.
    """
    file = Path(path)
    if not file.is_file():
        raise StoreError(f"no file {file}")
    target: ox.NamedNode | None = None
    if graph is not None:
        try:
            target = ox.NamedNode(graph)
        except ValueError:
            raise StoreError(f"--graph wants an absolute IRI, got {graph!r}") from None
        refuse_derived_graph(target.value)
    if not fmt.supports_datasets and target is None:
        raise StoreError(f"{file} is {fmt.name}, which has no named graphs: give --graph IRI, the graph to "
                         "load it into (ecokg keeps every triple in a named graph)")
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    try:
        for q in ox.parse(path=str(file), format=fmt):
            if isinstance(q.graph_name, ox.DefaultGraph):
                if target is None:
                    raise StoreError(f"{file} has triples in the default graph; give --graph IRI to load them "
                                     "into a named graph (ecokg keeps every triple in a named graph)")
                q = ox.Quad(q.subject, q.predicate, q.object, target)
            graphs[q.graph_name.value].append(q)
    except SyntaxError as exc:
        raise StoreError(f"{file} is not valid {fmt.name}: {' '.join(str(exc).split())[:300]}") from None
    return graphs


def import_graphs(store: Store, graphs: dict[str, list[ox.Quad]]) -> tuple[int, int]:
    """Replace each named graph; returns (graphs, quads). Into an empty embedded store, one bulk load."""
    total = sum(len(v) for v in graphs.values())
    if isinstance(store, EmbeddedStore) and store.quad_count() == 0:
        store.oxigraph.bulk_extend([q for qs in graphs.values() for q in qs])
        store.update(entity_index.rebuild_update())  # whatever entity graph the file held, derive it afresh
        store.flush()
        return len(graphs), total
    entity_index.ensure_entity_index(store)
    for graph, quads in graphs.items():
        if graph != str(ENTITIES_GRAPH):  # derived: kept by the writes of the other graphs
            store.replace_graph(graph, quads)
    return len(graphs), total


def import_file(
    store: Store, path: str | os.PathLike[str], fmt: ox.RdfFormat | None = None, graph: str | None = None
) -> tuple[int, int]:
    """Load an RDF file, replacing each named graph it holds; returns (graphs, quads).

    Each graph is replaced in one write (an article whole or absent).
    """
    return import_graphs(store, read_graphs(path, fmt or import_format(path), graph))


def import_nquads(store: Store, path: str | os.PathLike[str]) -> tuple[int, int]:
    """Load an N-Quads file (``import_file`` with the format fixed)."""
    return import_file(store, path, ox.RdfFormat.N_QUADS)


__all__ = [
    "BackupInfo", "backup", "import_file", "import_format", "import_graphs", "import_nquads", "read_graphs", "restore",
    "snapshot",
]
