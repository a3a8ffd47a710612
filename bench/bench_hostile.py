"""Hostile queries against the memory budget: peak RSS and cheap-query latency during an attack.

Eight clients send expensive queries in a loop (cartesian products with ORDER BY,
GROUP BY over everything, deep property paths) for ``--seconds``; meanwhile a
ninth asks a cheap query every 0.25 s. Two targets are measured, each against the
same synthetic store:

- ``serve``: a real ``ecokg serve --timeout T --max-memory M`` on 127.0.0.1; the
  RSS summed over the server and all its child processes;
- ``inproc``: ``kg.query.run_query`` from threads of this process (the app's
  SPARQL page path), with a pool of the same budget; the RSS of the query workers.

The baseline is the same cheap query with no attack, measured first in the same
run; after the attack the script records how long RSS and CPU take to fall back.

    python bench/bench_hostile.py [--seconds 20] [--budget 1G] [--timeout 5]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
import requests  # noqa: E402

from bench.common import Result, base_parser, median, percentile, rnd  # noqa: E402

HOSTILE = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1",
    "SELECT ?a ?c ?d ?f (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a ?c ?d ?f ORDER BY DESC(?n) LIMIT 1",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x:none>|^!<urn:x:none>)* ?b . ?b ?p ?c }",
    "SELECT DISTINCT ?a ?c ?e WHERE { ?a ?b ?c . ?c ?d ?e . ?x ?y ?z } ORDER BY ?e LIMIT 5",
]
CHEAP = "SELECT ?s WHERE { ?s a <https://schema.org/NewsArticle> } LIMIT 3"
MB = 1 << 20


def processes(pid: int) -> list[psutil.Process]:
    """A process and all its descendants (empty when it is gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def rss(procs: list[psutil.Process]) -> int:
    """Summed RSS in bytes of the processes still alive."""
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def cpu_seconds(procs: list[psutil.Process]) -> float:
    """Summed CPU seconds so far of the processes still alive."""
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def tree_rss(pid: int) -> int:
    """RSS of a process and all its descendants (bytes)."""
    return rss(processes(pid))


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants."""
    return cpu_seconds(processes(pid))


class Sampler(threading.Thread):
    """Samples a memory function every 50 ms; keeps the peak and the series."""

    def __init__(self, measure) -> None:
        super().__init__(daemon=True)
        self.measure, self.peak, self.series, self.stop_flag = measure, 0, [], threading.Event()

    def run(self) -> None:
        t0 = time.monotonic()
        while not self.stop_flag.is_set():
            v = self.measure()
            self.peak = max(self.peak, v)
            self.series.append((time.monotonic() - t0, v))
            time.sleep(0.05)


def attack(ask_hostile, ask_cheap, seconds: float, clients: int = 8) -> dict:
    """Run ``clients`` hostile loops and one cheap loop for ``seconds``; latencies and outcomes."""
    stop = threading.Event()
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def hostile(i: int) -> None:
        n = i
        while not stop.is_set():
            status = ask_hostile(HOSTILE[n % len(HOSTILE)])
            with lock:
                outcomes[status] = outcomes.get(status, 0) + 1
            n += 1

    threads = [threading.Thread(target=hostile, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    cheap_lat: list[float] = []
    cheap_fail: dict[str, int] = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        err = ask_cheap(CHEAP)
        if err is None:
            cheap_lat.append(time.monotonic() - t0)
        else:
            cheap_fail[err] = cheap_fail.get(err, 0) + 1
        time.sleep(0.25)
    stop.set()
    for t in threads:
        t.join(120)
    return {"cheap_latencies": cheap_lat, "cheap_failures": cheap_fail, "hostile_outcomes": outcomes}


def settle(measure_rss, measure_cpu, rss_goal: int, limit_s: float = 30.0) -> tuple[float | None, float | None]:
    """Seconds until RSS is back under ``rss_goal`` and CPU use under 10 % of a core (None: not within limit)."""
    t0 = time.monotonic()
    rss_at = cpu_at = None
    last_cpu, last_t = measure_cpu(), time.monotonic()
    while time.monotonic() - t0 < limit_s and (rss_at is None or cpu_at is None):
        time.sleep(0.25)
        if rss_at is None and measure_rss() <= rss_goal:
            rss_at = time.monotonic() - t0
        cpu, now = measure_cpu(), time.monotonic()
        if cpu_at is None and (cpu - last_cpu) / (now - last_t) < 0.10:
            cpu_at = now - t0
        last_cpu, last_t = cpu, now
    return rss_at, cpu_at


def summarise(res: Result, name: str, baseline: list[float], run: dict, peak: int, budget: int,
              settle_s: tuple[float | None, float | None]) -> None:
    lat = run["cheap_latencies"]
    base_med = median(baseline)
    res.metrics[name] = {
        "peak_rss_mb": rnd(peak / MB, 1),
        "budget_mb": budget // MB,
        "cheap_baseline_median_ms": rnd(base_med * 1000, 1),
        "cheap_attack_median_ms": rnd(median(lat) * 1000, 1),
        "cheap_attack_p95_ms": rnd(percentile(lat, 95) * 1000, 1),
        "cheap_attack_max_ms": rnd(max(lat) * 1000 if lat else float("nan"), 1),
        "cheap_slowdown_median": rnd(median(lat) / base_med if lat and base_med else float("nan"), 1),
        "cheap_answered": len(lat),
        "cheap_failed": sum(run["cheap_failures"].values()),
        "cheap_failure_reasons": run["cheap_failures"],
        "hostile_outcomes": run["hostile_outcomes"],
        "rss_back_s": rnd(settle_s[0], 2),
        "cpu_idle_s": rnd(settle_s[1], 2),
    }
    res.target(f"{name}: peak RSS within the budget", rnd(peak / MB, 1), f"<= {budget // MB} MB", peak <= budget)
    res.target(f"{name}: cheap query answered throughout", len(lat), "0 failures", not run["cheap_failures"])


def bench_serve(res: Result, store: Path, seconds: float, budget: int, timeout: float) -> None:
    from tests.service_helpers import free_port  # the same helpers the tests use

    port = free_port()
    cmd = [sys.executable, "-m", "ecokg.cli", "serve", "--store", str(store), "--bind", f"127.0.0.1:{port}",
           "--timeout", str(timeout), "--max-memory", str(budget), "--refresh", "0"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        url = proc.stdout.readline().split(" at ", 1)[1].strip()
        session = requests.Session()

        def ask_hostile(q: str) -> str:
            try:
                return str(requests.post(url, data={"query": q}, timeout=timeout + 60).status_code)
            except requests.RequestException as exc:
                return type(exc).__name__

        def ask_cheap(q: str) -> str | None:
            try:
                r = session.post(url, data={"query": q}, timeout=timeout + 60)
                return None if r.status_code == 200 else f"{r.status_code} {r.text[:80]}"
            except requests.RequestException as exc:
                return type(exc).__name__

        baseline = []
        for _ in range(20):
            t0 = time.monotonic()
            assert ask_cheap(CHEAP) is None
            baseline.append(time.monotonic() - t0)
        idle_rss = tree_rss(proc.pid)
        sampler = Sampler(lambda: tree_rss(proc.pid))
        sampler.start()
        run = attack(ask_hostile, ask_cheap, seconds)
        settled = settle(lambda: tree_rss(proc.pid), lambda: tree_cpu(proc.pid), idle_rss + 100 * MB)
        sampler.stop_flag.set()
        sampler.join()
        res.metrics["serve_idle_rss_mb"] = rnd(idle_rss / MB, 1)
        summarise(res, "serve", baseline, run, sampler.peak, budget, settled)
    finally:
        proc.terminate()
        proc.wait(30)


def bench_inproc(res: Result, store_path: Path, seconds: float, budget: int, timeout: float) -> None:
    from kg.query import QueryError, run_query
    from kg.query_pool import QueryPool
    from kg.store import EmbeddedStore

    pool = QueryPool(budget, max_workers=12)

    def workers_rss() -> int:  # the pool's workers only: this process may have other children (a test run)
        return sum(tree_rss(pid) for pid in pool.pids())

    def workers_cpu() -> float:
        return sum(tree_cpu(pid) for pid in pool.pids())

    with EmbeddedStore(store_path, read_only=True) as store:
        def ask_hostile(q: str) -> str:
            try:
                run_query(store, q, timeout=timeout, pool=pool)
                return "ok"
            except QueryError as exc:
                return type(exc).__name__

        def ask_cheap(q: str) -> str | None:
            try:
                run_query(store, q, timeout=timeout + 60, pool=pool)
                return None
            except QueryError as exc:
                return f"{type(exc).__name__}: {str(exc)[:80]}"

        baseline = []
        for _ in range(20):
            t0 = time.monotonic()
            assert ask_cheap(CHEAP) is None
            baseline.append(time.monotonic() - t0)
        idle = workers_rss()
        sampler = Sampler(workers_rss)
        sampler.start()
        run = attack(ask_hostile, ask_cheap, seconds)
        settled = settle(workers_rss, workers_cpu, idle + 100 * MB)
        sampler.stop_flag.set()
        sampler.join()
    pool.close()
    summarise(res, "inproc", baseline, run, sampler.peak, budget, settled)


def main(argv: list[str] | None = None) -> int:
    from kg.query_pool import parse_size

    p = base_parser(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--budget", default="1G")
    p.add_argument("--timeout", type=float, default=5.0)
    p.add_argument("--entities", type=int, default=300)
    p.add_argument("--facts", type=int, default=600)
    args = p.parse_args(argv)
    seconds = 4.0 if args.quick else args.seconds
    budget = parse_size(args.budget)
    res = Result("hostile", params={"seconds": seconds, "budget_mb": budget // MB, "timeout_s": args.timeout,
                                    "clients": 8, "entities": args.entities, "facts": args.facts})
    from bench.synth import write_store

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        store = Path(tmp) / "store"
        write_store(store, entities=args.entities, facts=args.facts, seed=args.seed)
        from kg.store import EmbeddedStore

        with EmbeddedStore(store, read_only=True) as s:
            res.params["quads"] = s.quad_count()
        bench_serve(res, store, seconds, budget, args.timeout)
        bench_inproc(res, store, seconds, budget, args.timeout)
    res.notes.append("RSS sampled every 50 ms over the server process and all its children (serve), or over "
                     "the query worker processes (inproc); cheap query: " + CHEAP)
    for name in ("serve", "inproc"):
        print(name, res.metrics[name])
    res.write(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
