"""Extraction on a Dask cluster, with one writer.

``dask_extract_batch(client)`` is an ``extract_batch`` for ``ingest_articles``:
it splits a batch of articles into chunks, extracts each chunk on a worker and
gathers the Extractions back, in order, to the process that writes the store.
Only that process opens the store, so the one-writer rule holds on a cluster.

A worker runs ``local_extract_batch``, which uses the process-wide extractor:
the spaCy and jieba pipelines load once per worker process, on its first chunk.
Workers need ecokg installed (same version) and, if the catalog is not the
bundled one, the same ``ECOKG_CATALOG``.

Dask is optional (``pip install 'ecokg[dask]'``); nothing here imports it at
module load.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ingest.ingestion import ExtractBatch
from kg.model import Article, Extraction
from kg.store import StoreError

# Extractors this worker process has used, kept alive so identity comparisons stay meaningful.
_EXTRACTORS: list[object] = []


class ExecutorError(StoreError):
    """A cluster that cannot be used, with a message for people."""


def extract_chunk(articles: list[Article]) -> list[Extraction]:
    """Runs on a worker: extract a chunk with this process's (cached) pipelines."""
    from ingest.ingestion import local_extract_batch
    from ingest.nlp import get_extractor

    extractor = get_extractor()
    if not any(e is extractor for e in _EXTRACTORS):
        _EXTRACTORS.append(extractor)
    return local_extract_batch(articles)


def extractors_loaded() -> int:
    """How many extractor instances this process has built for chunks (1 when pipelines load once)."""
    return len(_EXTRACTORS)


def dask_extract_batch(client, chunk_size: int | None = None) -> ExtractBatch:
    """An extract_batch that spreads each batch over the cluster's workers."""

    def extract(articles: Sequence[Article]) -> list[Extraction]:
        if not articles:
            return []
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = chunk_size or max(1, math.ceil(len(articles) / workers))
        chunks = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
        futures = client.map(extract_chunk, chunks, pure=False)
        results = client.gather(futures)
        out = [e for chunk in results for e in chunk]
        if len(out) != len(articles):
            raise ExecutorError(f"the cluster returned {len(out)} extractions for {len(articles)} articles")
        return out

    return extract


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator:
    """A Dask client: connected to ``scheduler``, or on a LocalCluster of ``workers`` processes on 127.0.0.1."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ExecutorError("--executor dask needs Dask: pip install 'ecokg[dask]'") from exc
    if scheduler and workers:
        raise ExecutorError("give --scheduler (an existing cluster) or --workers (a local one), not both")
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        with client:
            yield client
        return
    n = workers or max(1, (os.cpu_count() or 2) - 1)
    with (
        LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


__all__ = ["ExecutorError", "dask_client", "dask_extract_batch", "extract_chunk", "extractors_loaded"]
