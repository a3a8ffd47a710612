"""Shared helpers for the benchmarks: timing, memory, percentiles and JSON results.

Every bench script writes one JSON file to ``bench/results/NAME.json`` with the
same envelope (date, machine, command, params, metrics, targets, notes), which
``run_all.py`` turns into the summary table of ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"

if str(ROOT) not in sys.path:  # scripts run as `python bench/x.py`
    sys.path.insert(0, str(ROOT))


@dataclass
class Stopwatch:
    """Accumulates wall time over several `with sw.time():` blocks."""

    seconds: float = 0.0
    calls: int = 0

    @contextmanager
    def time(self) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - t0
            self.calls += 1


@contextmanager
def timed(box: dict, key: str) -> Iterator[None]:
    """Store the wall time of the block in ``box[key]`` (seconds)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        box[key] = time.perf_counter() - t0


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children), in MB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux reports KB


def rss_mb() -> float:
    """Current resident memory of this process, in MB."""
    import psutil

    return psutil.Process().memory_info().rss / 1e6


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, object]:
    """What the numbers were measured on."""
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem_gb = float("nan")
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "mem_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Result:
    """One bench script's output: metrics, targets checked and notes for people."""

    bench: str
    params: dict[str, object] = field(default_factory=dict)
    metrics: dict[str, object] = field(default_factory=dict)
    targets: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def target(self, name: str, value: float | None, goal: str, met: bool | None, note: str = "") -> None:
        """Record one target: the measured value, the goal as text, met or not (None: not measured)."""
        self.targets.append({"name": name, "value": value, "goal": goal, "met": met, "note": note})

    def to_json(self) -> dict[str, object]:
        return {
            "bench": self.bench,
            "date": now_iso(),
            "machine": machine_info(),
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "params": self.params,
            "metrics": self.metrics,
            "targets": self.targets,
            "notes": self.notes,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "peak_rss_children_mb": round(peak_rss_mb(children=True), 1),
        }

    def write(self, out: str | os.PathLike[str] | None = None) -> Path:
        path = Path(out) if out else RESULTS_DIR / f"{self.bench}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False, default=_jsonable) + "\n")
        tmp.replace(path)
        print(f"wrote {path}", file=sys.stderr)
        return path


def _jsonable(obj: object) -> object:
    if isinstance(obj, float):
        return None
    if isinstance(obj, set | tuple):
        return list(obj)
    return str(obj)


def base_parser(description: str) -> argparse.ArgumentParser:
    """Arguments every bench script takes: --out, --seed, --quick (tiny sizes for smoke tests)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--out", default=None, help="JSON file to write (default bench/results/NAME.json)")
    p.add_argument("--seed", type=int, default=7, help="seed for the synthetic data")
    p.add_argument("--quick", action="store_true", help="tiny sizes (smoke test); numbers mean nothing")
    p.add_argument("--workdir", default=None, help="scratch folder (default: a temp folder, removed after)")
    return p


def rnd(x: float | None, nd: int = 3) -> float | None:
    """Round for JSON; NaN and None become None."""
    if x is None or x != x:
        return None
    return round(float(x), nd)


def die_with_parent() -> None:
    """In a forked child: get SIGKILL when the parent dies (Linux), so a cut run leaves no orphans."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
