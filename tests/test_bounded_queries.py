"""Hostile queries stop consuming CPU and memory: the endpoint, the in-process API (the app's path), the CLI.

Real parts only: a synthetic store on disk, `ecokg serve` on 127.0.0.1, worker processes
measured with psutil. Memory bounds are asserted (RSS sampled every 50 ms); times are not,
beyond "within N seconds" for the fall-back after a stopped query.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest
import requests
from service_helpers import ecokg_cmd, free_port, stop, subprocess_env

from bench.bench_hostile import cpu_seconds, rss
from kg.query import QueryError, QueryMemoryLimit, QueryTimeout, memory_message, run_query, timeout_message
from kg.query_pool import MB, QueryPool, parse_size
from kg.store import EmbeddedStore

ORDERED_CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"
GROUP_ALL = "SELECT ?a ?c ?d ?f (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a ?c ?d ?f ORDER BY ?n LIMIT 1"
DEEP_PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x:none>|^!<urn:x:none>)* ?b . ?b ?p ?c }"
HOSTILE = [ORDERED_CARTESIAN, GROUP_ALL, DEEP_PATH, ORDERED_CARTESIAN] * 2  # eight
CHEAP = "SELECT ?s WHERE { ?s a <https://schema.org/NewsArticle> } LIMIT 3"
FALL_BACK_S = 10.0  # N: seconds after the error by which RSS and CPU must be back


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    from bench.synth import write_store

    path = tmp_path_factory.mktemp("hostile") / "store"
    write_store(path, entities=300, facts=600)  # ~16,000 quads: a 3-way cartesian product is 4e12 rows
    return path


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


class PeakSampler(threading.Thread):
    def __init__(self, measure) -> None:
        super().__init__(daemon=True)
        self.measure, self.peak, self.done = measure, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self.measure())
            time.sleep(0.05)


def falls_back(procs_now, rss_goal: int, within: float) -> tuple[bool, bool]:
    """Whether RSS gets under rss_goal and CPU under 20 % of a core (over 0.5 s), within `within` seconds."""
    deadline = time.monotonic() + within
    rss_ok = cpu_ok = False
    while time.monotonic() < deadline and not (rss_ok and cpu_ok):
        procs = procs_now()
        c0 = cpu_seconds(procs)
        time.sleep(0.5)
        rss_ok = rss_ok or rss(procs_now()) <= rss_goal
        cpu_ok = cpu_ok or (cpu_seconds(procs) - c0) / 0.5 < 0.2
    return rss_ok, cpu_ok


def attack(ask, cheap, queries: list[str]) -> tuple[list, list]:
    """Send the hostile queries at once, and the cheap one repeatedly until they have all been answered."""
    results: list = [None] * len(queries)

    def one(i: int) -> None:
        results[i] = ask(queries[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(queries))]
    for t in threads:
        t.start()
    cheap_results = []
    while any(t.is_alive() for t in threads):
        cheap_results.append(cheap())
        time.sleep(0.2)
    for t in threads:
        t.join()
    return results, cheap_results


@pytest.mark.slow
def test_serve_stops_hostile_queries_and_keeps_answering(big_store, tmp_path):
    budget = 512 * MB
    port = free_port()
    cmd = ecokg_cmd("serve", "--store", str(big_store), "--bind", f"127.0.0.1:{port}", "--timeout", "2",
                    "--max-memory", "512M", "--refresh", "0")
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=subprocess_env())
    try:
        url = proc.stdout.readline().split(" at ", 1)[1].strip()
        assert requests.post(url, data={"query": CHEAP}, timeout=30).status_code == 200
        idle = rss(tree(proc.pid))
        sampler = PeakSampler(lambda: rss(tree(proc.pid)))
        sampler.start()
        session = requests.Session()
        hostile, cheap = attack(
            lambda q: requests.post(url, data={"query": q}, timeout=120),
            lambda: session.post(url, data={"query": CHEAP}, timeout=120).status_code,
            HOSTILE,
        )
        rss_ok, cpu_ok = falls_back(lambda: tree(proc.pid), idle + 100 * MB, FALL_BACK_S)
        sampler.done.set()
        sampler.join()
        assert [r.status_code for r in hostile] == [503] * len(HOSTILE)
        assert {r.text.strip() for r in hostile} <= {timeout_message(2), memory_message(budget)}
        assert cheap and set(cheap) == {200}  # the cheap query kept being answered during the attack
        assert sampler.peak <= budget, f"peak RSS {sampler.peak / MB:.0f} MB over the {budget / MB:.0f} MB budget"
        assert rss_ok and cpu_ok, "the endpoint's processes did not fall back after the 503s"
        assert requests.post(url, data={"query": CHEAP}, timeout=30).status_code == 200
    finally:
        stop(proc)


@pytest.mark.slow
def test_run_query_stops_hostile_queries_in_process(big_store):
    """The app's SPARQL page path: run_query on the real store; the workers are killed, this process lives on."""
    budget = 512 * MB
    pool = QueryPool(budget, max_workers=10)
    me = psutil.Process()

    def workers() -> list[psutil.Process]:
        return me.children(recursive=True)

    try:
        with EmbeddedStore(big_store, read_only=True) as store:
            assert run_query(store, CHEAP, pool=pool).rows
            idle = rss(workers())
            sampler = PeakSampler(lambda: rss(workers()))
            sampler.start()

            def ask(q: str):
                try:
                    return run_query(store, q, timeout=2, pool=pool)
                except QueryError as exc:
                    return exc

            def cheap():
                r = ask(CHEAP)
                return "ok" if not isinstance(r, Exception) and r.rows else repr(r)

            hostile, cheap_results = attack(ask, cheap, HOSTILE)
            rss_ok, cpu_ok = falls_back(workers, idle + 100 * MB, FALL_BACK_S)
            sampler.done.set()
            sampler.join()
        assert all(isinstance(r, QueryTimeout | QueryMemoryLimit) for r in hostile), hostile
        assert cheap_results and set(cheap_results) == {"ok"}
        assert sampler.peak <= budget
        assert rss_ok and cpu_ok
    finally:
        pool.close()


def test_memory_budget_stops_a_query_before_its_time_limit(big_store):
    pool = QueryPool(256 * MB, max_workers=2)
    try:
        with EmbeddedStore(big_store, read_only=True) as store:
            with pytest.raises(QueryMemoryLimit, match="memory limit of 256 MB"):  # not the 120 s time limit
                run_query(store, ORDERED_CARTESIAN, timeout=120, pool=pool)
            assert pool.peak_total <= 256 * MB
            assert run_query(store, CHEAP, pool=pool).rows  # a new worker answers
    finally:
        pool.close()


def test_cli_sparql_is_bounded_and_leaves_nothing_running(big_store):
    r = subprocess.run(
        ecokg_cmd("sparql", "--store", str(big_store), "--timeout", "1", ORDERED_CARTESIAN),
        capture_output=True, text=True, env=subprocess_env({"ECOKG_QUERY_MAX_MEMORY": "300M"}), timeout=120,
    )
    assert r.returncode == 2
    assert r.stderr.strip() in (f"ecokg sparql: {timeout_message(1)}", f"ecokg sparql: {memory_message(300 * MB)}")
    leftover = [p for p in psutil.process_iter(["cmdline"]) if "kg.query_worker" in " ".join(p.info["cmdline"] or [])
                and str(big_store) in " ".join(p.info["cmdline"] or [])]
    assert not leftover


def test_syntax_errors_point_at_the_users_text(big_store):
    with EmbeddedStore(big_store, read_only=True) as store:
        with pytest.raises(QueryError) as err:
            run_query(store, "SELECT ?x\nWHERE {\n  ?x a nope:Thing }")
    msg = str(err.value)
    assert msg.startswith("SPARQL syntax error at line 3, column ") and "undeclared prefix" in msg
    assert "\\u{" not in msg and "\n" not in msg
    r = subprocess.run(ecokg_cmd("sparql", "--store", str(big_store), "SELECT * WHERE { ?s ?p }"),
                       capture_output=True, text=True, env=subprocess_env(), timeout=60)
    assert r.returncode == 2 and "line 1, column" in r.stderr and "\\u{" not in r.stderr


def test_parse_size():
    assert parse_size("512M") == 512 * MB and parse_size("2G") == 2048 * MB and parse_size("1gb") == 1024 * MB
    with pytest.raises(ValueError):
        parse_size("lots")


def test_serve_refuses_a_port_in_use(big_store):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run(ecokg_cmd("serve", "--store", str(big_store), "--bind", f"127.0.0.1:{port}"),
                           capture_output=True, text=True, env=subprocess_env(), timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"ecokg serve: cannot listen on 127.0.0.1:{port}: the port is in use (another `ecokg serve`?); "
        "choose another with --bind HOST:PORT"
    ]


@pytest.mark.slow
def test_the_hostile_query_bench_records_its_figures(tmp_path):
    """bench/bench_hostile.py --quick: the script behind docs/reliability.md section 7 runs and records them."""
    import json

    from bench.bench_hostile import main as bench_main

    out = tmp_path / "hostile.json"
    assert bench_main(["--quick", "--budget", "512M", "--timeout", "2", "--out", str(out),
                       "--workdir", str(tmp_path)]) == 0
    res = json.loads(out.read_text())
    for path in ("serve", "inproc"):
        m = res["metrics"][path]
        assert m["budget_mb"] == 512 and 0 < m["peak_rss_mb"] <= 512
        assert m["cheap_answered"] > 0 and m["cheap_failed"] == 0, m["cheap_failure_reasons"]
        assert m["cheap_baseline_median_ms"] > 0 and m["hostile_outcomes"]


def test_serve_refuses_a_memory_budget_too_small_to_run_a_query(big_store):
    r = subprocess.run(ecokg_cmd("serve", "--store", str(big_store), "--bind", f"127.0.0.1:{free_port()}",
                                 "--max-memory", "64M"),
                       capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert r.returncode == 2
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("ecokg serve: --max-memory 64 MB cannot run a query here") and "Traceback" not in r.stderr
