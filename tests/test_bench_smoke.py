"""Every bench script runs at a tiny size and writes well-formed JSON (numbers are never checked).

Benchmarks are measurements, not tests: nothing here asserts a time. This only
keeps the scripts from rotting as the code they measure changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ["bench_extract", "bench_ingest", "bench_noop", "bench_sparql", "bench_centrality", "bench_curation", "bench_changes"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    out_dir = tmp_path_factory.mktemp("bench")
    got: dict[str, dict] = {}
    for name in SCRIPTS:
        out = out_dir / f"{name}.json"
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / f"{name}.py"), "--quick", "--out", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode == 0, f"{name} failed:\n{proc.stderr[-3000:]}"
        got[name] = json.loads(out.read_text(encoding="utf-8"))
    return got


@pytest.mark.parametrize("name", SCRIPTS)
def test_writes_the_result_envelope(results: dict[str, dict], name: str) -> None:
    res = results[name]
    assert {"bench", "date", "machine", "command", "params", "metrics", "targets", "notes", "peak_rss_mb"} <= set(res)
    assert res["machine"]["cores"] >= 1
    assert res["targets"], "every figure checks at least one target"
    for t in res["targets"]:
        assert {"name", "value", "goal", "met", "note"} <= set(t)
        assert t["met"] in (True, False, None)


def test_run_all_renders_the_tables(results: dict[str, dict]) -> None:
    sys.path.insert(0, str(ROOT))
    from bench import run_all

    runs = [{"name": r["bench"], "status": "ok", "wall_s": 1.0, "command": "x", "result": r} for r in results.values()]
    lines = run_all.targets_table(runs) + run_all.detail_tables(runs)
    text = "\n".join(lines)
    for r in results.values():
        for t in r["targets"]:
            assert t["name"] in text


def test_synthetic_articles_are_seeded_and_offsets_hold() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.synth_articles import generate

    a = list(generate(6, seed=3, zh_share=0.5, en_words=120, zh_chars=200))
    b = list(generate(6, seed=3, zh_share=0.5, en_words=120, zh_chars=200))
    assert [x.text for x in a] == [x.text for x in b]
    assert {x.lang for x in a} <= {"en", "zh"}
    for art in a:
        for e in art.extraction.entities:
            for m in e.mentions:
                assert art.text[m.start : m.end] == m.text
        for r in art.extraction.relations:
            assert art.text[r.start : r.end] == r.evidence
