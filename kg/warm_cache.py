"""The changes cache (``kg.time_cache``) carried across a writer's session, so it stays warm.

An ingest moves the store generation, and the cache of ``ecokg changes`` was then read again
from the whole store (9-10 s on 100k facts), right when it is wanted: the digest of a
scheduled run, an analyst's first look after it. A writer (``kg.store.EmbeddedStore``) knows
the named graphs it wrote; when its session only replaced graphs it can name (articles, the
catalog, the run log), the cache of the generation before it is carried over at close:

- the base: the cache of the generation measured *before* the writer opened, held open at
  the first write (a reader that replaces or removes the folder later cannot change it);
- the rows of the written graphs are dropped from it and read back from those graphs only,
  with the code of the whole read (``timed_facts``/``all_evidence`` with ``graphs``); the
  context (labels, types, articles, markets: 1 s on 100k facts) is read whole;
- saved for the generation after close, once it has settled (``SETTLE_S``), atomically.

The result equals a cold read (tests/test_warm_cache.py compares them table by table). What
cannot be followed exactly falls back to today's behaviour, the next reader reads the store:
a removal, a correction or any write that names no graph (``Store.update`` without
``graphs``), raw access to the pyoxigraph store, no base cache, a failing read.

Other writers: the base must be the cache of the generation read just before this writer
opened, so any commit before that moved the number past it. A session that ended in the
moment between that read and the open, or that opened after this one closed, is told by
RocksDB's files: every writing session writes a ``LOG``, which the next one renames
``LOG.old.<time>``, its time kept; none may be newer than the base (checked at the first
write and again before the save). Not covered: a session idle for the settle time that
commits in that moment (under a millisecond) and then dies without closing; as a reader
today, a commit in the same clock tick (a few ms) as the last one it saw.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kg import time_cache
from kg.changes import all_evidence, gc_paused, read_context
from kg.namespace import ENTITIES_GRAPH
from kg.store import CACHE_DIR, Store, store_generation
from kg.timeline import timed_facts


@dataclass
class Base:
    """The cache of the generation before the session, its files held open."""

    generation: int
    lang: str
    files: dict[str, BinaryIO]

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def capture(location: str, generation: int) -> Base | None:
    """At a writer's first write: the cache of ``generation`` (measured before it opened), if it is still
    the store's content (no other writer since), held open; else None."""
    if not generation or time_cache.is_remote(location):
        return None
    root = Path(location) / CACHE_DIR
    prefix, suffix = f"changes-v{time_cache.VERSION}-", f"-{generation}"
    try:
        langs = sorted(p.name[len(prefix):-len(suffix)] for p in root.iterdir()
                       if p.name.startswith(prefix) and p.name.endswith(suffix))
    except OSError:
        return None
    if not langs or not quiet_since(location, generation):
        return None
    lang = "en" if "en" in langs else langs[0]
    folder = time_cache.cache_folder(location, generation, lang)
    files: dict[str, BinaryIO] = {}
    try:
        for name in time_cache.TABLES:
            files[name] = open(folder / f"{name}.parquet", "rb")  # noqa: SIM115 - held until close
    except OSError:
        Base(generation, lang, files).close()
        return None
    return Base(generation, lang, files)


def quiet_since(location: str, generation: int) -> bool:
    """No writing session began or ended after ``generation`` but before the current one: each one
    writes RocksDB's ``LOG``, which the next session renames ``LOG.old.*`` with its time kept."""
    try:
        with os.scandir(location) as it:
            return not any(e.name.startswith("LOG.old") and e.stat().st_mtime_ns > generation for e in it)
    except OSError:
        return False


@dataclass
class Followed:
    """The cache of the store as this session left it, to be saved after close."""

    base: Base
    inputs: time_cache.TimeInputs


def follow(store: Store, base: Base, touched: set[str]) -> Followed | None:
    """The base with the written graphs' rows read again (before close: ``store`` is the writer)."""
    try:
        with gc_paused():
            old = time_cache.load_files(base.files)
            if old is None:
                return None
            return Followed(base, carry(store, old, touched, base.lang))
    except Exception:  # noqa: BLE001 - the cache is only a copy: the next reader reads the store
        return None
    finally:
        base.close()


def carry(store: Store, old: time_cache.TimeInputs, touched: set[str], lang: str) -> time_cache.TimeInputs:
    """``old`` with the rows of the ``touched`` graphs replaced by what the store holds now."""
    graphs = set(touched) | {str(ENTITIES_GRAPH)}
    new = timed_facts(store, graphs, asserted=False)
    frame = old.frame[~old.frame["art"].isin(graphs).to_numpy()]
    if not new.empty:
        frame = pd.concat([frame, new[list(frame.columns)]], ignore_index=True)
    frame = frame.reset_index(drop=True)
    frame["k"] = pd.factorize(frame["s"] + "\x1f" + frame["p"] + "\x1f" + frame["o"])[0]
    ev = old.evidence
    if isinstance(ev, pa.Table):
        kind = ev.schema.field("art").type
        kind = kind.value_type if pa.types.is_dictionary(kind) else kind
        ev = ev.filter(pc.invert(pc.is_in(ev["art"], value_set=pa.array(sorted(graphs), type=kind))))
        ev = ev.to_pandas(ignore_metadata=True).astype(object)
        ev = ev.where(ev.notna(), None)
    else:
        ev = ev[~ev["art"].isin(graphs)]
    added = all_evidence(store, graphs, asserted=False)
    ev = pd.concat([ev, added], ignore_index=True) if not added.empty else ev.reset_index(drop=True)
    return time_cache.TimeInputs(frame, read_context(store, lang), ev)


def commit(location: str, got: Followed) -> bool:
    """After close: save for the new generation once it settled, if no writer came after; True if saved."""
    gen = store_generation(location)
    wait = time_cache.SETTLE_S - (time.time_ns() - gen) / 1e9
    if wait > 0:
        time.sleep(wait)
    if store_generation(location) != gen or not quiet_since(location, got.base.generation):
        return False
    try:
        return time_cache.save(time_cache.cache_folder(location, gen, got.base.lang), got.inputs)
    except Exception:  # noqa: BLE001 - a table Parquet refuses: the writer's work is done, the next reader reads
        return False


__all__ = ["Base", "Followed", "capture", "carry", "commit", "follow", "quiet_since"]
