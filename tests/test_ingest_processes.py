"""`ecokg ingest --executor processes`: worker processes on this machine write the graph a local run writes.

Real pipeline, real articles copied into the test's folder (tests/heldout, English and
Chinese, plus ../shared/dev when it is beside the checkout), real on-disk stores. A
worker killed mid-run loses nothing: the articles already written stay and the pool
is restarted for the rest (or, when no restart is left, the rest is reported as
failed and a later run picks it up). No timings.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import astuple
from pathlib import Path

import pytest
from service_helpers import ecokg_cmd, subprocess_env, tiny_catalog_env

from ingest.ingestion import IngestReport, ensure_catalog, ingest_articles, read_articles
from ingest.parallel import ProcessExtractor
from kg import queries
from kg.namespace import PROV, RUNS_GRAPH
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300  # a hang fails the test instead of the run
RUN_DEPENDENT = {str(PROV.generatedAtTime), str(PROV.wasGeneratedBy)}


def copy_articles(folder: Path) -> list[Path]:
    """Private copies of English and Chinese articles, interleaved so worker chunks mix languages."""
    held = sorted((ROOT / "tests" / "heldout").glob("*.txt"))
    en = [p for p in held if "-en-" in p.name][:3]
    zh = [p for p in held if "-zh-" in p.name][:2]
    dev = ROOT.parent / "shared" / "dev"
    extra = sorted(dev.glob("*.txt"))[:2] if dev.is_dir() else []
    chosen = [p for pair in zip(en, zh, strict=False) for p in pair] + en[len(zh) :] + extra
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for src in chosen:
        dst = folder / src.name
        shutil.copy(src, dst)
        out.append(dst)
    return out


def graph_of(path: Path) -> set[tuple[str, str, str, str]]:
    """Every quad of the store but the run- and time-dependent ones."""
    with EmbeddedStore(path, read_only=True) as s:
        res = s.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return {
            (str(r["s"]), str(r["p"]), str(r["o"]), str(r["g"])) for r in res
            if r["p"].value not in RUN_DEPENDENT and r["g"].value != str(RUNS_GRAPH)  # the run log: per run
        }


def facts_and_entities(path: Path) -> tuple[list, list]:
    """The merged facts and the entities with their article counts, as the app reads them."""
    with EmbeddedStore(path, read_only=True) as s:
        facts = sorted(astuple(f) for f in queries.facts(s))
        entities = sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in queries.entities(s))
        return facts, entities


def ingest(env: dict[str, str], store: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ecokg_cmd("ingest", "--store", str(store), *args), cwd=ROOT, env=subprocess_env(env),
        capture_output=True, text=True, timeout=TIMEOUT,
    )


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Articles, the catalog env (set here too, before any worker is spawned) and a local run's store."""
    from kg.catalog import load_catalog

    tmp = tmp_path_factory.mktemp("processes")
    env = tiny_catalog_env(tmp)
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    load_catalog.cache_clear()
    files = copy_articles(tmp / "articles")
    out = ingest(env, tmp / "local", "-q", *map(str, files))
    assert out.returncode == 0, out.stderr
    assert f"{len(files)} new" in out.stdout
    yield {"tmp": tmp, "env": env, "files": files, "local": graph_of(tmp / "local")}
    mp.undo()
    load_catalog.cache_clear()


def test_two_worker_processes_write_the_local_graph_and_a_second_run_is_a_no_op(setup) -> None:
    path = setup["tmp"] / "processes"
    files = [str(f) for f in setup["files"]]
    first = ingest(setup["env"], path, "--executor", "processes", "--workers", "2", *files)
    assert first.returncode == 0, first.stderr
    assert f"{len(files)} new, 0 updated, 0 unchanged, 0 failed" in first.stdout
    got = graph_of(path)
    assert got == setup["local"]
    with EmbeddedStore(path, read_only=True) as s:
        assert len(s.article_graphs()) == len(files)
    facts, entities = facts_and_entities(path)
    assert facts and entities
    assert (facts, entities) == facts_and_entities(setup["tmp"] / "local")

    again = ingest(setup["env"], path, "-q", "--executor", "processes", "--workers", "2", *files)
    assert again.returncode == 0, again.stderr
    assert f"0 new, 0 updated, {len(files)} unchanged, 0 failed" in again.stdout
    assert graph_of(path) == setup["local"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--executor", "processes", "--workers", "0"], "at least 1"),
        (["--executor", "processes", "--workers", "-3"], "at least 1"),
        (["--executor", "processes", "--workers", "two"], "at least 1"),
        (["--executor", "processes", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --executor dask"),
        (["--workers", "2"], "need --executor dask or --executor processes"),
        (["--executor", "threads"], "invalid choice"),
    ],
)
def test_bad_values_are_refused_with_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    f = copy_articles(tmp_path / "articles")[0]
    out = ingest(tiny_catalog_env(tmp_path), tmp_path / "s", *args, str(f))
    assert out.returncode == 2, out.stdout + out.stderr
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_source_runs_extract_in_worker_processes_too(setup) -> None:
    """`--sources` with `--executor processes`: a folder source's run writes the graph a local run writes."""
    tmp = setup["tmp"]
    sources = tmp / "sources.toml"
    sources.write_text(f'[[source]]\nname = "held"\nkind = "folder"\npath = "{tmp / "articles"}"\n', encoding="utf-8")
    runs = str(RUNS_GRAPH)

    def article_graphs(path: Path) -> set:
        return {q for q in graph_of(path) if q[3] != f"<{runs}>"}

    local = ingest(setup["env"], tmp / "web-local", "-q", "--sources", str(sources))
    assert local.returncode == 0, local.stderr
    pooled = ingest(setup["env"], tmp / "web-processes", "-q", "--sources", str(sources),
                    "--executor", "processes", "--workers", "2")
    assert pooled.returncode == 0, pooled.stderr
    assert f"{len(setup['files'])} new" in pooled.stdout
    assert article_graphs(tmp / "web-processes") == article_graphs(tmp / "web-local") != set()


def test_source_runs_refuse_dask_clearly(tmp_path: Path) -> None:
    out = ingest(tiny_catalog_env(tmp_path), tmp_path / "s", "--sources", str(tmp_path / "sources.toml"),
                 "--executor", "dask")
    assert out.returncode == 2
    assert "--executor dask works with files and folders" in out.stderr


def kill_and_wait(pid: int) -> None:
    """SIGKILL one worker and wait until it is gone (its pool then counts as broken)."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            break
        if state in ("Z", "X"):
            break
        time.sleep(0.05)
    time.sleep(0.5)  # the pool's manager thread notices the death (not a timing assertion: any delay works)


def run_with_a_killed_worker(store_path: Path, files: list[Path], max_restarts: int) -> tuple[IngestReport, int]:
    """Ingest in batches of 2 with two workers; one worker is SIGKILLed before the second batch."""
    report = IngestReport()
    with EmbeddedStore(store_path) as store, ProcessExtractor(2, max_restarts=max_restarts) as pool:
        pids = pool.warm_up(timeout=TIMEOUT)
        calls = 0

        def extract(batch):
            nonlocal calls
            calls += 1
            if calls == 2:
                kill_and_wait(pids[0])
            return pool(batch)

        ensure_catalog(store)
        report.merge(ingest_articles(store, read_articles(files, report), extract_batch=extract, batch_size=2))
        return report, pool.restarts


def test_a_killed_worker_is_replaced_and_nothing_is_lost(setup) -> None:
    path = setup["tmp"] / "killed"
    report, restarts = run_with_a_killed_worker(path, setup["files"], max_restarts=3)
    assert restarts == 1
    assert not report.failed, report.failed
    assert len(report.new) == len(setup["files"])
    assert graph_of(path) == setup["local"]


def test_without_restarts_the_rest_is_reported_and_a_later_run_finishes(setup) -> None:
    path = setup["tmp"] / "killed-no-restart"
    files = setup["files"]
    report, restarts = run_with_a_killed_worker(path, files, max_restarts=0)
    assert restarts == 0
    assert len(report.new) == 2  # the first batch, written before the kill, stays
    assert len(report.failed) == len(files) - 2
    assert all("worker process died" in reason for _, reason in report.failed), report.failed
    with EmbeddedStore(path, read_only=True) as s:
        assert len(s.article_graphs()) == 2

    rest = ingest(setup["env"], path, "-q", "--executor", "processes", "--workers", "2", *map(str, files))
    assert rest.returncode == 0, rest.stderr
    assert f"{len(files) - 2} new, 0 updated, 2 unchanged, 0 failed" in rest.stdout
    assert graph_of(path) == setup["local"]
