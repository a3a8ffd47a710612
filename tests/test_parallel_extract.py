"""`ecokg extract --workers N`: worker processes give exactly the one-process output, in input order.

Real pipeline, real articles (tests/heldout, plus ../shared/dev when it is beside
the checkout). No timings: each worker loads its own models, so these cost a few
seconds per pool.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from service_helpers import ecokg_cmd, subprocess_env

from ecokg.cli import main
from ingest import parallel
from ingest.executors import ExecutorError
from ingest.parallel import ProcessExtractor, extract_articles, split_chunks
from ingest.text import read_article

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300  # a hang fails the test instead of the run


def article_paths() -> list[str]:
    """English and Chinese articles, interleaved so chunks mix languages."""
    held = sorted((ROOT / "tests" / "heldout").glob("*.txt"))
    dev = ROOT.parent / "shared" / "dev"
    extra = sorted(dev.glob("*.txt"))[:6] if dev.is_dir() else []
    en = [p for p in held if "-zh-" not in p.name][:6]
    zh = [p for p in held if "-zh-" in p.name][:5]
    mixed = [p for pair in zip(en, zh, strict=False) for p in pair] + en[len(zh):] + extra
    return [str(p) for p in mixed]


def run_extract(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(ecokg_cmd("extract", *args), cwd=ROOT, env=subprocess_env(), capture_output=True,
                          text=True, timeout=TIMEOUT)


def test_two_workers_print_the_one_process_output_in_order(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    files = article_paths()
    files.insert(3, str(bad))  # a skipped file keeps its place and does not shift the others
    one = run_extract(*files, "--format", "jsonl", "--workers", "1")
    two = run_extract(*files, "--format", "jsonl", "--workers", "2")
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr  # 1: a file was skipped
    assert f"skipped {bad}" in one.stderr and f"skipped {bad}" in two.stderr
    assert two.stdout == one.stdout
    got = [json.loads(line) for line in two.stdout.splitlines()]
    assert [d["source"] for d in got] == [f for f in files if f != str(bad)]
    assert {d["lang"] for d in got} == {"en", "zh"}
    assert all(d["entities"] for d in got)


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_workers_below_one_or_not_a_number_is_refused(value: str, capsys) -> None:
    for command in (["extract", "x.txt"], ["eval", "--gold", "g", "x.txt"]):
        with pytest.raises(SystemExit) as exc:
            main([*command, "--workers", value])
        assert exc.value.code == 2
        assert "--workers: expected a number of processes, at least 1" in capsys.readouterr().err
    with pytest.raises(ValueError, match="at least 1"):
        extract_articles([], workers=0)


def test_chunks_keep_order_and_share_the_work() -> None:
    items = list(range(23))
    for workers in (1, 2, 3):
        for size in (1, 4, 10):
            chunks = split_chunks(items, workers, size)
            assert [x for c in chunks for x in c] == items
            assert max(len(c) for c in chunks) <= size
            assert max(len(c) for c in chunks) - min(len(c) for c in chunks) <= 1
    assert [len(c) for c in split_chunks(list(range(5)), 2, 4)] == [3, 2]
    assert split_chunks([], 2) == []


def test_one_worker_or_one_article_starts_no_pool(monkeypatch) -> None:
    def no_pool(*a, **k):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(parallel, "ProcessExtractor", no_pool)
    art = read_article(ROOT / "tests" / "heldout" / "h1.txt")
    assert extract_articles([art], workers=4)[0].entities
    assert len(extract_articles([art, art], workers=1)) == 2
    assert extract_articles([], workers=2) == []


def in_a_fresh_process(paths: list[str]) -> list[dict]:
    """The in-process extraction of a new process: this one's segmenter may have learnt other tests' catalogs
    (jieba's dictionary is process-wide), a worker's has not."""
    code = (
        "import json, sys\nfrom ingest.parallel import extract_articles\nfrom ingest.text import read_article\n"
        "arts = [read_article(p) for p in sys.argv[1:]]\n"
        "print(json.dumps([e.to_json() for e in extract_articles(arts, workers=1)], ensure_ascii=False))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *paths], cwd=ROOT, env=subprocess_env({}),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_pool_matches_in_process_and_reports_a_failing_article_clearly() -> None:
    arts = [read_article(ROOT / p) for p in article_paths()[:6]]
    local = in_a_fresh_process(article_paths()[:6])
    with ProcessExtractor(2, chunk_size=1) as pool:
        assert [e.to_json() for e in pool(arts)] == local
        broken = replace(arts[1], text=None, source="broken-article")  # the worker's extractor raises on it
        with pytest.raises(ExecutorError, match="extraction failed in a worker process on broken-article"):
            pool([arts[0], broken, arts[2]])
        assert [e.to_json() for e in pool(arts[:3])] == local[:3]  # the pool is still usable after that
