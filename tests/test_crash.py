"""Crash safety: a writer killed with SIGKILL at any moment loses nothing and leaves no half article.

Each article graph is written in one transaction, so after a kill every graph is
either whole (the same quads a clean run writes) or absent, and a rerun completes
the store without duplicates.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from graph_helpers import derived_triples, index_triples

from kg.namespace import ENTITIES_GRAPH, RUNS_GRAPH
from kg.store import EmbeddedStore

COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne"]
PRODUCTS = ["Widgetron", "Cloudify", "Datastream", "Nimbus", "Quasar", "Helios", "Orbit", "Pulsar"]


def _articles(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        a, b = rng.sample(COMPANIES, 2)
        p = rng.choice(PRODUCTS)
        text = (
            f"{a} Inc. launched {p} {i}.0 this week.\n\n"
            f"{a} competes with {b} Corp. in cloud storage, and {b} partnered with {rng.choice(COMPANIES)} Ltd.\n\n"
            f"{b} Corp. acquired a startup called {p}Labs for an undisclosed sum.\n"
        )
        f = folder / f"article-{i:03d}.txt"
        f.write_text(text, encoding="utf-8")
        out.append(f)
    return out


def _ingest(folder: Path, store: Path, quiet: bool = True) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ecokg.cli", "ingest", str(folder), "--store", str(store)] + (["-q"] if quiet else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _sizes(store_path: Path) -> dict[str, int]:
    """Quads per graph, leaving out the run log (each run, the killed ones too, adds its own record)."""
    s = EmbeddedStore(store_path)
    try:
        rows = s.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False)
        return {r["g"].value: int(r["n"].value) for r in rows if r["g"].value != str(RUNS_GRAPH)}
    finally:
        s.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path):
    folder = tmp_path / "articles"
    _articles(folder, 200)
    reference = tmp_path / "reference"
    started = time.monotonic()
    clean = _ingest(folder, reference)
    assert clean.wait(timeout=600) == 0, clean.stderr.read().decode() if clean.stderr else ""
    clean_seconds = time.monotonic() - started
    expected = _sizes(reference)
    assert len(expected) >= 201  # 200 articles + the catalog graph

    rng = random.Random(2026)
    kills = 0
    partial_runs = 0
    for attempt in range(5):
        store = tmp_path / f"store-{attempt}"
        proc = _ingest(folder, store, quiet=False)
        if attempt == 0:
            # Anywhere from start-up on, by the clock.
            time.sleep(rng.uniform(0.3, 0.9) * clean_seconds)
        else:
            # After a random number of articles has been committed: surely mid-write.
            wanted, seen = rng.randint(1, 190), 0
            assert proc.stderr is not None
            while seen < wanted:
                line = proc.stderr.readline()
                if not line:
                    break
                seen += line.lstrip().startswith(b"new")
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        if store.exists():
            after_kill = _sizes(store)  # the store opens
            partial_runs += 0 < len(after_kill) < len(expected)
            for graph, n in after_kill.items():
                if graph != str(ENTITIES_GRAPH):  # derived: it grows with the articles, and must stay exact
                    assert n == expected.get(graph), f"graph {graph} is partial after SIGKILL ({n} != {expected.get(graph)})"
            with EmbeddedStore(store, read_only=True) as s:
                assert index_triples(s) == derived_triples(s), "the entity graph disagrees with the articles after SIGKILL"
        rerun = _ingest(folder, store)
        assert rerun.wait(timeout=600) == 0
        assert _sizes(store) == expected  # complete, no duplicates, nothing extra
    assert kills >= 4, "the kills should land while ingest runs"
    assert partial_runs >= 1, "at least one kill should land in the middle of writing"
