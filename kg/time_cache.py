"""What ``ecokg changes`` reads from the store, kept on disk per store generation.

Reading the timed facts, the labels/types/articles and the evidence sentences of a 100k-fact
store costs seconds (bench/README.md, figure 8), and each CLI run is a new process. They only
change when a writer commits, which moves ``kg.store.store_generation`` (the number the app
keys its in-memory caches on). So the first run after a change reads them, as corrected
(``kg.curation``), and writes them as Parquet into ``<store>/.ecokg-cache/``; later runs on
the same generation read those files instead of the store. An ingest, a removal or a
correction moves the generation and the next run reads the store again, unless the writer
carried the cache over (``kg.warm_cache``: an ingest that wrote whole graphs).

- Safe to lose: a missing, truncated or corrupt cache is ignored (and removed) and rebuilt.
- Written to a temporary folder and renamed into place, so a reader never sees half a cache;
  the caches of older generations are removed. Only plain tables (Parquet) are read back.
- Not written while the store is being written: when the generation is younger than
  ``SETTLE_S`` (file times are coarse, so a commit in the same tick could go unseen).
- Remote stores (a SPARQL server URL) have no generation to watch: never cached.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kg.changes import EVIDENCE_COLUMNS, Context, all_evidence, gc_paused, read_context
from kg.store import CACHE_DIR, Store, open_store, store_generation
from kg.timeline import COLUMNS, timed_facts

VERSION = 1
SETTLE_S = 1.0  # a generation younger than this may still be moving: not cached
_FRAME = [c for c in COLUMNS if c not in ("a", "evidence")] + ["shown"]


@dataclass
class TimeInputs:
    """The timed facts (``kg.timeline.timed_facts``), the context and every evidence sentence.

    From the cache, the sentences stay an Arrow table until ``evidence_of`` picks the span's
    articles: most of a store's sentences are never shown, so they never become Python strings.
    """

    frame: pd.DataFrame
    context: Context
    evidence: pd.DataFrame | pa.Table
    cached: bool = False  # read from the disk cache (for tests and the bench)

    def evidence_of(self, arts: set[str]) -> pd.DataFrame:
        """The sentences of these articles (art, s, p, o, status, evidence)."""
        ev = self.evidence
        if isinstance(ev, pa.Table):
            kind = ev.schema.field("art").type
            kind = kind.value_type if pa.types.is_dictionary(kind) else kind
            ev = ev.filter(pc.is_in(ev["art"], value_set=pa.array(sorted(arts), type=kind)))
            ev = ev.to_pandas(ignore_metadata=True).astype(object)
            return ev.where(ev.notna(), None)
        return ev[ev["art"].isin(arts)]


def is_remote(location: str) -> bool:
    return str(location).startswith(("http://", "https://"))


def cache_folder(location: str, generation: int, lang: str) -> Path:
    return Path(location) / CACHE_DIR / f"changes-v{VERSION}-{lang}-{generation}"


def read_inputs(location: str, lang: str = "en") -> TimeInputs:
    """The inputs of the store at ``location``: from the cache when it matches the store, else read (and cached)."""
    with gc_paused():
        return _read_inputs(location, lang)


def _read_inputs(location: str, lang: str) -> TimeInputs:
    if is_remote(location):  # no generation to key on: read every time (the CLI reads only the span's sentences)
        with open_store(location, read_only=True) as store:
            return read_store(store, lang)
    gen = store_generation(location)  # before opening: a commit after this moves the number, never hides
    folder = cache_folder(location, gen, lang)
    hit = load(folder)
    if hit is not None:
        return hit
    with open_store(location, read_only=True) as store:
        got = read_store(store, lang)
    if gen and time.time_ns() - gen >= SETTLE_S * 1e9:
        save(folder, got)
    return got


def read_store(store: Store, lang: str = "en") -> TimeInputs:
    """What the cache holds, read from the store (one after the other: side by side took more memory, and no
    less wall clock on two busy cores)."""
    return TimeInputs(timed_facts(store), read_context(store, lang), all_evidence(store))


# ------------------------------------------------------------------ files
def _context_tables(ctx: Context) -> dict[str, pd.DataFrame]:
    arts = list(ctx.articles.items())
    return {
        "labels": pd.DataFrame({"e": list(ctx.labels), "v": list(ctx.labels.values())}, dtype=object),
        "types": pd.DataFrame({"e": list(ctx.types), "v": list(ctx.types.values())}, dtype=object),
        "articles": pd.DataFrame({"art": [a for a, _ in arts], "title": [t[0] for _, t in arts],
                                  "url": [t[1] for _, t in arts], "date": [t[2] for _, t in arts]}, dtype=object),
        "markets": pd.DataFrame([(m, e) for m, es in sorted(ctx.markets.items()) for e in sorted(es)],
                                columns=["m", "e"], dtype=object),
    }


def save(folder: Path, got: TimeInputs) -> bool:
    """Write the cache of one generation (atomically) and remove the older ones; False if it cannot."""
    root = folder.parent
    tmp = root / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir(parents=True)
        tables = {"frame": got.frame[_FRAME], "evidence": got.evidence[EVIDENCE_COLUMNS],
                  **_context_tables(got.context)}
        for name, table in tables.items():
            table.reset_index(drop=True).to_parquet(tmp / f"{name}.parquet", index=False)
        try:
            tmp.rename(folder)
        except OSError:  # another process wrote the same generation first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
        for old in root.iterdir():
            if old != folder and old.name.startswith(("changes-", ".tmp-")) and not _young_tmp(old):
                shutil.rmtree(old, ignore_errors=True)
        return True
    except OSError:  # a read-only folder, a full disk: run without a cache
        shutil.rmtree(tmp, ignore_errors=True)
        return False


def _young_tmp(p: Path) -> bool:
    """Another process's cache being written right now (left alone for a minute)."""
    try:
        return p.name.startswith(".tmp-") and time.time() - p.stat().st_mtime < 60
    except OSError:
        return False


TABLES = ("frame", "evidence", "labels", "types", "articles", "markets")


def load(folder: Path) -> TimeInputs | None:
    """The cache in ``folder``, or None when absent or unreadable (then removed, to be rebuilt)."""
    if not folder.is_dir():
        return None
    got = load_files({n: folder / f"{n}.parquet" for n in TABLES})
    if got is None:
        shutil.rmtree(folder, ignore_errors=True)
    return got


def load_files(files: dict[str, Path | BinaryIO]) -> TimeInputs | None:
    """The cache from its tables (paths, or files held open: ``kg.warm_cache``), or None when unreadable."""
    try:
        t = {n: _frame(_read(files[n])) for n in ("labels", "types", "articles", "markets")}
        raw = _read(files["frame"], _STRINGS)
        ev = _read(files["evidence"], ["art", "s", "p", "o", "status"])
        if raw.column_names != _FRAME or ev.column_names != EVIDENCE_COLUMNS:
            raise ValueError("unexpected columns")
        ev.validate(full=True)
        frame = _frame(raw)
        frame.insert(0, "a", None)
        frame.insert(COLUMNS.index("evidence"), "evidence", "")
        frame = frame[COLUMNS + ["shown"]]
        arts = t["articles"]
        ctx = Context(
            labels=dict(zip(t["labels"]["e"], t["labels"]["v"], strict=True)),
            types=dict(zip(t["types"]["e"], t["types"]["v"], strict=True)),
            articles={a: (_none(x), _none(u), _none(d)) for a, x, u, d in
                      zip(arts["art"], arts["title"], arts["url"], arts["date"], strict=True)},
            markets={},
        )
        for m, e in zip(t["markets"]["m"], t["markets"]["e"], strict=True):
            ctx.markets.setdefault(m, set()).add(e)
        return TimeInputs(frame, ctx, ev, cached=True)
    except Exception:  # noqa: BLE001 - truncated, corrupt or foreign files: the cache is only a copy
        return None


_STRINGS = ["s", "p", "o", "art", "date", "status", "when", "shown"]


def _read(path: Path | BinaryIO, dictionary: list[str] | None = None) -> pa.Table:
    """A Parquet file, its repeated strings (IRIs, days) kept as dictionaries: a third of the memory."""
    if not isinstance(path, Path):
        path.seek(0)
    return pq.read_table(path, read_dictionary=dictionary, memory_map=isinstance(path, Path), use_threads=False)


def _objects(col: pa.ChunkedArray) -> np.ndarray:
    """A column as numpy: strings as Python objects (None for null), one object per distinct value.

    The frame repeats each IRI and day many times; going through the dictionary makes each
    string once (half the memory and time of pandas' own conversion), as the store read does.
    """
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type) or pa.types.is_dictionary(col.type)):
        if pa.types.is_null(col.type):
            return np.full(len(col), None, dtype=object)
        return col.to_numpy(zero_copy_only=False)
    arr = col.combine_chunks()
    if not pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_encode()
    values = np.array([*arr.dictionary.to_pylist(), None], dtype=object)
    return values[arr.indices.fill_null(len(values) - 1).to_numpy()]


def _frame(table: pa.Table) -> pd.DataFrame:
    cols = {n: _objects(table[n]) for n in table.column_names}
    return pd.DataFrame({n: pd.Series(v, dtype=object) if v.dtype == object else v for n, v in cols.items()})


def _none(v: object) -> str | None:
    return v if isinstance(v, str) else None


__all__ = ["SETTLE_S", "TABLES", "VERSION", "TimeInputs", "cache_folder", "is_remote", "load", "load_files",
           "read_inputs", "read_store", "save"]
