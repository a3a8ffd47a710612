"""Where the graph lives: an Oxigraph store on disk (default) behind one small interface.

Writers replace one article's named graph in a single SPARQL Update, which
Oxigraph applies as one transaction: an article is whole or absent, never half
written. Readers query the union of the named graphs as the default graph.
A remote SPARQL 1.1 server implements the same interface in ``kg.remote``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg import entity_index
from kg.namespace import ECO, ENTITIES_GRAPH, SCHEMA, sparql_prefixes

DEFAULT_STORE = "data/store"
#: Derived files kept inside the store folder (``kg.time_cache``); not part of the store's generation.
CACHE_DIR = ".ecokg-cache"


class StoreError(RuntimeError):
    """A store that cannot be opened or written, with a message for people."""


class StoreLockedError(StoreError):
    """Another process holds the store open for writing."""


def default_location() -> str:
    """The store location from ECOKG_STORE, else data/store."""
    return os.environ.get("ECOKG_STORE") or DEFAULT_STORE


def _nquads_body(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def refuse_derived_graph(graph: str) -> None:
    """The entity graph is derived from the others: written only through them (or rebuilt)."""
    if graph == str(ENTITIES_GRAPH):
        raise StoreError(f"<{graph}> is derived from the other graphs; write those, or run `ecokg reindex`")


class Store:
    """The operations ecokg needs from a quad store."""

    location: str
    read_only: bool

    # -- reading
    def query(self, sparql: str, *, union: bool = True, substitutions: dict | None = None):
        raise NotImplementedError

    def graph_hash(self, graph: str) -> str | None:
        """The content hash recorded in an article graph, if the graph exists."""
        g = ox.NamedNode(graph)  # a validated term, never raw text in the query
        q = f"SELECT ?h WHERE {{ GRAPH {g} {{ {g} <{ECO.contentHash}> ?h }} }} LIMIT 1"
        for row in self.query(q, union=False):
            return row[0].value
        return None

    def graph_by_hash(self, content_hash: str) -> str | None:
        """The article graph that holds this content hash (same text under another URL)."""
        q = "SELECT ?g WHERE { GRAPH ?g { ?g <%s> %s } } LIMIT 1" % (ECO.contentHash, ox.Literal(content_hash))
        for row in self.query(q, union=False):
            return row[0].value
        return None

    def content_hashes(self) -> dict[str, str]:
        """Graph IRI -> recorded content hash, for every graph that has one (one query per ingest run)."""
        q = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{ECO.contentHash}> ?h }} }}"
        return {row[0].value: row[1].value for row in self.query(q, union=False)}

    def article_graphs(self) -> list[str]:
        q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a <%s> } }" % SCHEMA.NewsArticle
        return [row[0].value for row in self.query(q, union=False)]

    def quad_count(self) -> int:
        raise NotImplementedError

    # -- writing
    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        raise NotImplementedError

    def remove_graph(self, graph: str) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


READ_ONLY_OPEN_TRIES = 6
#: Quads written between two flushes of the embedded store. Oxigraph keeps writes in memory buffers until a
#: flush: an ingest of 2,000 articles (half a million quads) grew from 0.5 to 1.1 GB without one, and stayed
#: at 0.5 GB flushing every 100,000 quads (bench/README.md, "Memory").
FLUSH_AFTER_QUADS = 100_000


def _open_read_only(p: Path) -> ox.Store:
    """A read-only snapshot, retried briefly: a reader that lists the store's files while the writer
    rotates its manifest or compacts finds a file gone ("Corruption: ... No such file"); a moment
    later the listing is consistent again."""
    import time

    for attempt in range(READ_ONLY_OPEN_TRIES):
        try:
            return ox.Store.read_only(str(p))
        except (OSError, RuntimeError) as exc:
            transient = "No such file" in str(exc) or "Corruption" in str(exc)
            if not transient or attempt == READ_ONLY_OPEN_TRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


class EmbeddedStore(Store):
    """An Oxigraph store in a folder on disk (RocksDB), opened by one writer or many readers."""

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.location = str(path)
        self.read_only = read_only
        self._unflushed = 0
        p = Path(path)
        # what this writer's session wrote, so the changes cache can follow it (kg.warm_cache)
        self._gen_before_open = 0 if read_only else store_generation(str(p))
        self._touched: set[str] | None = set()  # None: some write this session cannot name
        self._warm: object | None = None
        try:
            if read_only:
                if not p.exists():
                    raise StoreError(f"no store at {p}: run `ecokg ingest` first")
                self._store = _open_read_only(p)
            else:
                p.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(p))
        except StoreError:
            raise
        except OSError as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreLockedError(
                    f"the store at {p} is open for writing in another process; "
                    "wait for it to finish or open it read-only"
                ) from exc
            raise StoreError(f"cannot open the store at {p}: {msg}") from exc
        except RuntimeError as exc:  # RocksDB on a store a writer is still creating ("Column family not found")
            hint = "; another process may be creating it: try again in a moment" if read_only else ""
            raise StoreError(f"cannot open the store at {p}: {exc}{hint}") from exc

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for bulk loads, dumps and backups)."""
        self._writing(None)  # writes through it are not seen here
        return self._store

    def rdflib_dataset(self):
        """The same store through rdflib's Dataset API (oxrdflib)."""
        import rdflib
        from oxrdflib import OxigraphStore

        self._writing(None)
        return rdflib.Dataset(store=OxigraphStore(store=self._store), default_union=True)

    def query(self, sparql: str, *, union: bool = True, substitutions: dict | None = None):
        return self._store.query(
            sparql,
            use_default_graph_as_union=union,
            prefixes=None,
            substitutions=substitutions,
        )

    def update(self, sparql: str, graphs: Iterable[str] | None = None) -> None:
        """Run a SPARQL Update in one transaction (internal: user queries never reach this).

        ``graphs``: the only named graphs it writes, when the caller knows them (the run log); the
        changes cache then follows the write instead of being read again (``kg.warm_cache``).
        """
        self._require_writable()
        self._writing(list(graphs) if graphs is not None else None)
        self._store.update(sparql)

    def quad_count(self) -> int:
        return len(self._store)

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """Drop the graph and insert its new quads in one transaction, entity graph included.

        A graph that does not exist yet (every article of a first ingest) is
        written by ``extend``, which is atomic too and skips the text round trip
        through a SPARQL Update (about 1.5x less CPU per quad); a new graph only
        adds to the entity graph, so its descriptions go in the same call.
        """
        self._require_writable()
        refuse_derived_graph(graph)
        g = ox.NamedNode(graph)
        self._writing([graph, entity_index.GRAPH.value])
        quads = [q if q.graph_name == g else ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]
        described = entity_index.index_quads(quads)
        if not self._store.contains_named_graph(g):
            self._store.extend(quads + described)
        else:
            self._store.update(
                f"{entity_index.retract_update(graph)} ;\nDROP SILENT GRAPH {g} ;\n"
                f"INSERT DATA {{ GRAPH {g} {{\n{_nquads_body(quads)}\n}}\n"
                f"GRAPH {entity_index.GRAPH} {{\n{_nquads_body(described)}\n}} }}"
            )
        self._wrote(len(quads) + len(described))

    def _wrote(self, quads: int) -> None:
        """Flush the write buffers every ``FLUSH_AFTER_QUADS`` quads, which bounds a long run's memory."""
        self._unflushed += quads
        if self._unflushed >= FLUSH_AFTER_QUADS:
            self._store.flush()
            self._unflushed = 0

    def remove_graph(self, graph: str) -> bool:
        """Drop the graph and what only it said in the entity graph, in one transaction."""
        self._require_writable()
        refuse_derived_graph(graph)
        g = ox.NamedNode(graph)
        if not self._store.contains_named_graph(g):
            return False
        self._writing(None)  # a removal: the cache is read again (as before)
        self._store.update(f"{entity_index.retract_update(graph)} ;\nDROP GRAPH {g}")
        return True

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def _writing(self, graphs: list[str] | None) -> None:
        """Before a write: on the first, note the changes cache to keep warm; then the graphs written."""
        if self.read_only or getattr(self, "_store", None) is None:
            return
        if self._warm is None:
            from kg import warm_cache  # lazily: it reads frames, which plain store users never need

            self._warm = warm_cache.capture(self.location, self._gen_before_open) or False
        if graphs is None or self._touched is None:
            self._touched = None
        else:
            self._touched.update(graphs)

    def close(self) -> None:
        """Flush and close; a writer whose writes could all be named carries the changes cache over to the
        store's new generation (``kg.warm_cache``: the next `ecokg changes` is warm)."""
        warm = None
        if getattr(self, "_store", None) is not None and not self.read_only:
            try:
                self._store.flush()
            except OSError:
                pass
            if self._warm:
                from kg import warm_cache

                if self._touched:
                    warm = warm_cache.follow(self, self._warm, self._touched)  # before close: reads this store
                else:
                    self._warm.close()  # type: ignore[attr-defined]
        self._store = None  # type: ignore[assignment]
        if warm is not None:
            import gc

            from kg import warm_cache

            gc.collect()  # query results in reference cycles hold the store open: close it before its generation is read
            warm_cache.commit(self.location, warm)

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError("this store is open read-only")


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at a folder path or, for http(s) URLs, a remote SPARQL server."""
    loc = location or default_location()
    if loc.startswith(("http://", "https://")):
        from kg.remote import RemoteStore  # optional: only needed for remote stores

        return RemoteStore(loc, read_only=read_only)
    return EmbeddedStore(loc, read_only=read_only)


def store_generation(location: str) -> int:
    """A number that changes whenever a writer commits (newest file time in the store folder).

    Readers hold a snapshot; when this number moves they reopen to see new data. The cache
    folder (``CACHE_DIR``) is left out: writing a cache is not a change of the store.
    """
    newest = 0
    try:
        with os.scandir(location) as it:
            for entry in it:
                if entry.name == CACHE_DIR:
                    continue
                try:
                    newest = max(newest, entry.stat().st_mtime_ns)
                except OSError:
                    continue
    except OSError:
        return 0
    return newest


def iter_rows(solutions) -> Iterator[tuple]:
    """Rows of a SELECT result as tuples of terms (None for unbound)."""
    for sol in solutions:
        yield tuple(sol)


__all__ = [
    "CACHE_DIR",
    "DEFAULT_STORE",
    "EmbeddedStore",
    "Store",
    "StoreError",
    "StoreLockedError",
    "default_location",
    "refuse_derived_graph",
    "open_store",
    "sparql_prefixes",
    "store_generation",
]
