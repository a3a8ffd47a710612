"""Extraction with local worker processes: ``ecokg extract --workers N`` and its benchmark.

``extract_articles(articles, workers=N)`` extracts a sequence of Articles with N
processes and returns the Extractions in input order, the same ones one process
gives. With N=1, or a single article, it runs here with the process's extractor
and starts no pool.

``ProcessExtractor(N)`` is the pool itself, for callers that extract several
batches (it is an ``ExtractBatch``, so ``ingest_articles`` can use it too). Its
workers are started with the "spawn" context; each loads its own extractor
(``get_extractor``, spaCy model included) in the pool initializer, then runs
``ingest.executors.extract_chunk`` on chunks of a few articles, as a Dask
worker does. A worker that fails, or dies, ends the call with an
``ExecutorError`` naming the articles of its chunk. A pool whose worker died
is broken; the next call starts a new one (at most ``max_restarts`` times, then
every call fails), so a long ingest can retry those articles and go on.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ingest.executors import ExecutorError, extract_chunk
from kg.model import Article, Extraction

#: Most articles in one chunk: enough for spaCy's ``nlp.pipe`` batching, small enough to balance the workers.
CHUNK_SIZE = 4

# In a worker: why the extractor could not be loaded (raised on the worker's first chunk).
_LOAD_ERROR: str | None = None


def _init_worker() -> None:
    """Pool initializer: this worker's extractor and its spaCy pipeline (jieba loads on first Chinese use)."""
    global _LOAD_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    try:
        from ingest.nlp import get_extractor

        get_extractor().nlp  # noqa: B018 - the property loads the model
    except Exception as exc:  # reported on the first chunk: a failed initializer only says "terminated abruptly"
        _LOAD_ERROR = f"{type(exc).__name__}: {exc}"


def _extract_chunk(articles: list[Article]) -> list[Extraction]:
    if _LOAD_ERROR is not None:
        raise RuntimeError(f"the worker could not load the extractor: {_LOAD_ERROR}")
    return extract_chunk(articles)


def _worker_pid(pause: float) -> int:
    time.sleep(pause)
    return os.getpid()


def check_workers(workers: object) -> int:
    """``workers`` as a process count, or ValueError with a message for people."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number of processes, at least 1 (got {workers!r})")
    return workers


def split_chunks(items: Sequence, workers: int, chunk_size: int = CHUNK_SIZE) -> list[list]:
    """Consecutive chunks of at most ``chunk_size`` items, a multiple of ``workers`` of them when there are enough,
    sizes differing by at most one: every worker gets about the same share."""
    n = len(items)
    if n == 0:
        return []
    rounds = math.ceil(n / (workers * max(1, chunk_size)))
    count = min(n, workers * rounds)
    size, extra = divmod(n, count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out


def _describe(chunk: Sequence[Article]) -> str:
    names = [a.source for a in chunk[:3]]
    return ", ".join(names) + (f" and {len(chunk) - 3} more" if len(chunk) > 3 else "")


class ProcessExtractor:
    """A pool of ``workers`` spawned processes, each with its own extractor; call it with a batch of articles.

    Use it as a context manager (the workers stop on exit). The extractions come back in input order.
    """

    def __init__(self, workers: int, chunk_size: int = CHUNK_SIZE, max_restarts: int = 3) -> None:
        self.workers = check_workers(workers)
        self.chunk_size = max(1, chunk_size)
        self.max_restarts = max(0, max_restarts)
        #: How many times a broken pool (a worker died) was replaced by a new one.
        self.restarts = 0
        self._broken = False
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=mp.get_context("spawn"), initializer=_init_worker
        )

    def __enter__(self) -> ProcessExtractor:
        self._pool = self._new_pool()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _running(self) -> ProcessPoolExecutor:
        if self._pool is None:
            raise ExecutorError("the worker pool is not running (use ProcessExtractor as a context manager)")
        return self._pool

    def _usable(self) -> ProcessPoolExecutor:
        """The running pool; a new one in place of a pool broken by a dead worker, up to ``max_restarts`` times."""
        pool = self._running()
        if not self._broken:
            return pool
        if self.restarts >= self.max_restarts:
            died = "a worker process died" if not self.restarts else f"worker processes died {self.restarts + 1} times"
            raise ExecutorError(f"{died}; no new workers are started (at most {self.max_restarts} restarts)")
        pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()
        self.restarts += 1
        self._broken = False
        return self._pool

    def warm_up(self, timeout: float = 600.0) -> list[int]:
        """Wait until every worker has started and loaded its extractor; their process ids.

        Benchmarks start the clock after this.
        """
        pool = self._running()
        seen: set[int] = set()
        deadline = time.monotonic() + timeout
        try:
            while len(seen) < self.workers:
                if time.monotonic() > deadline:
                    raise ExecutorError(f"only {len(seen)} of {self.workers} workers started in {timeout:.0f} s")
                # a task runs only after the initializer: a worker that answers has its extractor
                seen.update(pool.map(_worker_pid, [0.05] * (self.workers * 2)))
        except BrokenProcessPool as exc:
            self._broken = True
            raise ExecutorError(f"a worker process died while starting: {exc}") from exc
        return sorted(seen)

    def __call__(self, articles: Sequence[Article]) -> list[Extraction]:
        if not articles:
            return []
        pool = self._usable()
        chunks = split_chunks(articles, self.workers, self.chunk_size)
        futures: list[Future] = []
        out: list[Extraction] = []
        try:
            try:
                futures = [pool.submit(_extract_chunk, chunk) for chunk in chunks]
            except BrokenProcessPool as exc:
                self._broken = True
                raise ExecutorError(f"the worker pool is broken (a worker died earlier): {exc}") from exc
            for chunk, fut in zip(chunks, futures, strict=True):
                try:
                    done = fut.result()
                except BrokenProcessPool as exc:
                    self._broken = True
                    raise ExecutorError(
                        f"a worker process died (killed, or out of memory?) while extracting {_describe(chunk)}: {exc}"
                    ) from exc
                except Exception as exc:
                    raise ExecutorError(
                        f"extraction failed in a worker process on {_describe(chunk)}: {type(exc).__name__}: {exc}"
                    ) from exc
                out += done
        finally:
            for fut in futures:
                fut.cancel()  # after an error, the chunks not yet started are dropped
        if len(out) != len(articles):
            raise ExecutorError(f"the workers returned {len(out)} extractions for {len(articles)} articles")
        return out


def extract_articles(
    articles: Sequence[Article], workers: int = 1, chunk_size: int = CHUNK_SIZE
) -> list[Extraction]:
    """Extractions of ``articles`` in order, with ``workers`` processes (in this process when 1 or one article)."""
    check_workers(workers)
    if workers == 1 or len(articles) <= 1:
        from ingest.ingestion import local_extract_batch

        return local_extract_batch(articles)
    workers = min(workers, len(articles))
    with ProcessExtractor(workers, chunk_size) as pool:
        return pool(articles)


__all__ = ["CHUNK_SIZE", "ProcessExtractor", "check_workers", "extract_articles", "split_chunks"]
