"""A small pool of query worker processes, killed on a timeout or when they pass a memory budget.

Why processes: Oxigraph evaluates a query to the end once started (there is no
cancellation), so a thread that is given up on keeps eating CPU and memory; a
killed process frees both at once. The pool keeps a few idle workers warm,
starts more on demand up to ``max_workers`` and while the memory budget allows
one more, and a watchdog thread sums the RSS of every worker (and, for
``ecokg serve``, of this process) several times a second: past the budget it
kills the busiest worker, whose caller gets ``QueryKilled("memory")``. Each
worker also has a hard address-space limit and a CPU limit of its own
(``kg.query_worker``).

Workers open the store read-only (a snapshot as of their start); a worker whose
store has changed since (``generation``) is retired instead of reused.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from kg.query_worker import _LEN

MB = 1 << 20
DEFAULT_BUDGET = 1024 * MB
POLL_S = 0.03
SPAWN_TIMEOUT_S = 60.0


class PoolError(Exception):
    """A query the pool could not run; str() is for people."""


class QueryKilled(PoolError):
    """The worker was killed: ``reason`` is "time", "memory" or "crash"."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


class PoolBusy(PoolError):
    """No worker could be started before the deadline (all slots or all the memory in use)."""


class WorkerQueryError(PoolError):
    """The query itself failed (syntax or evaluation error); the worker stays usable."""

    def __init__(self, message: str, syntax: bool) -> None:
        super().__init__(message)
        self.syntax = syntax


def parse_size(text: str | int) -> int:
    """Bytes from '1G', '512M', '800MB', '2g' or a plain number of bytes."""
    if isinstance(text, int):
        return text
    s = text.strip().upper().removesuffix("B").removesuffix("I")
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    try:
        if s and s[-1] in units:
            return int(float(s[:-1]) * units[s[-1]])
        return int(float(s))
    except ValueError:
        raise ValueError(f"not a memory size: {text!r} (examples: 512M, 2G)") from None


def default_budget() -> int:
    """$ECOKG_QUERY_MAX_MEMORY, else 1 GiB (capped at half of this machine's memory)."""
    env = os.environ.get("ECOKG_QUERY_MAX_MEMORY")
    if env:
        return parse_size(env)
    return min(DEFAULT_BUDGET, psutil.virtual_memory().total // 2)


@dataclass(eq=False)
class Worker:
    proc: subprocess.Popen
    location: str
    generation: int
    ps: psutil.Process
    rss: int = 0
    vms: int = 0
    base_rss: int = 0
    killed: str | None = None  # why the pool killed it

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self, reason: str | None = None) -> None:
        if reason and self.killed is None:
            self.killed = reason
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except OSError:
                pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()  # type: ignore[union-attr]
            except OSError:
                pass


@dataclass
class Outcome:
    """What a worker answered: the header (kind, columns, boolean, truncated) and the payload."""

    kind: str
    payload: bytes
    columns: list[str] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


class QueryPool:
    """Worker processes for user queries under one memory budget (bytes of RSS)."""

    def __init__(
        self, budget: int | None = None, *, max_workers: int = 12, keep_idle: int = 2, include_self: bool = False
    ) -> None:
        self.budget = default_budget() if budget is None else budget
        self.max_workers = max(1, max_workers)
        self.keep_idle = keep_idle
        self.include_self = include_self  # ecokg serve: this process counts against the budget too
        self._me = psutil.Process()
        self._cond = threading.Condition()
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self._starting = 0
        self._queue: deque[object] = deque()  # callers waiting for a worker, in order of arrival
        self._base_estimate = 40 * MB  # a worker's RSS before its first query; measured on each start
        self._total = 0  # the last RSS sum the watchdog saw
        self.peak_total = 0
        self.kills = {"time": 0, "memory": 0}
        self._closed = False
        self._spawns: list[tuple[str, int, threading.Event, dict]] = []
        threading.Thread(target=self._watchdog, daemon=True, name="ecokg-query-watchdog").start()
        threading.Thread(target=self._spawner, daemon=True, name="ecokg-query-spawner").start()

    # ------------------------------------------------------------------ running a query
    def run(self, location: str, request: dict, timeout: float, generation: int = 0) -> Outcome:
        """Run one request in a worker on ``location``; raise QueryKilled/PoolBusy/WorkerQueryError."""
        deadline = time.monotonic() + timeout
        worker = self._acquire(str(location), generation, deadline)
        ok = False
        try:
            body = json.dumps({**request, "timeout": timeout}).encode()
            try:
                worker.proc.stdin.write(_LEN.pack(len(body)) + body)  # type: ignore[union-attr]
                worker.proc.stdin.flush()  # type: ignore[union-attr]
                head = json.loads(self._read(worker, deadline))
                payload = self._read(worker, deadline)
            except _Deadline:
                worker.kill("time")
                self.kills["time"] += 1
                raise QueryKilled("time") from None
            except (_Eof, OSError, ValueError):
                raise QueryKilled(worker.killed or _death_reason(worker)) from None
            worker.rss = int(head.get("rss", worker.rss))
            ok = True
            if not head.get("ok"):
                if head.get("memory"):
                    raise QueryKilled("memory")
                raise WorkerQueryError(head.get("message", "query failed"), bool(head.get("syntax")))
            return Outcome(
                head["kind"], payload, head.get("columns", []), head.get("boolean"), bool(head.get("truncated"))
            )
        finally:
            self._release(worker, reusable=ok)

    def _read(self, worker: Worker, deadline: float) -> bytes:
        fd = worker.proc.stdout.fileno()  # type: ignore[union-attr]
        head = _read_exact(fd, _LEN.size, deadline)
        (n,) = _LEN.unpack(head)
        return _read_exact(fd, n, deadline)

    # ------------------------------------------------------------------ workers in and out
    def _acquire(self, location: str, generation: int, deadline: float) -> Worker:
        """A worker for the location: an idle one, or a new one when a slot and the budget allow. Callers
        are served first come, first served, so clients that resubmit at once cannot starve a newcomer."""
        ticket = object()
        with self._cond:
            self._queue.append(ticket)
            try:
                while True:
                    if self._closed:
                        raise PoolError("the query pool is closed")
                    stale = [w for w in self._idle
                             if w.location != location or w.generation != generation or not w.alive()]
                    for w in stale:  # another store, an older generation, or dead: make room
                        self._idle.remove(w)
                        threading.Thread(target=w.kill, daemon=True).start()
                    if self._queue[0] is ticket:
                        if self._idle:
                            w = self._idle.pop()
                            self._busy.add(w)
                            return w
                        if self._may_start():
                            break
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise PoolBusy(
                            f"all {len(self._busy)} query workers are busy or the memory budget "
                            f"({self.budget // MB:,} MB) is in use; try again"
                        )
                    self._cond.wait(min(left, 0.1))
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()
            self._starting += 1
            done, box = threading.Event(), {}
            self._spawns.append((location, generation, done, box))
            self._cond.notify_all()
        try:
            if not done.wait(max(0.0, deadline - time.monotonic()) + SPAWN_TIMEOUT_S):
                raise PoolError("a query worker did not start in time")
            if "error" in box:
                raise PoolError(box["error"])
            worker: Worker = box["worker"]
            with self._cond:
                self._busy.add(worker)  # watched from here on, while it opens the store too
            try:
                self._handshake(worker)
            except BaseException:
                with self._cond:
                    self._busy.discard(worker)
                raise
        finally:
            with self._cond:
                self._starting -= 1
                self._cond.notify_all()
        return worker

    def _may_start(self) -> bool:
        count = len(self._busy) + len(self._idle) + self._starting
        if count >= self.max_workers:
            return False
        if count == 0:
            return True  # one worker may always run (a budget smaller than one worker serves one query at a time)
        return self._total + (self._starting + 1) * self._base_estimate <= self.acting_limit()

    def _release(self, worker: Worker, *, reusable: bool) -> None:
        with self._cond:
            self._busy.discard(worker)
            keep = (
                reusable and worker.alive() and not self._closed and len(self._idle) < self.keep_idle
                and worker.rss <= worker.base_rss + 64 * MB  # a worker that grew is retired, not kept
            )
            if keep:
                self._idle.append(worker)
            self._cond.notify_all()
        if not keep:
            worker.kill()

    def _spawner(self) -> None:
        """Fork workers from one long-lived thread, so they die with it (PR_SET_PDEATHSIG follows the thread
        that forked); only the fork happens here, the caller waits for the worker's hello, so starts overlap."""
        while True:
            with self._cond:
                while not self._spawns and not self._closed:
                    self._cond.wait(1.0)
                if self._closed and not self._spawns:
                    return
                location, generation, done, box = self._spawns.pop(0)
            try:
                box["worker"] = self._fork(location, generation)
            except Exception as exc:  # noqa: BLE001 - handed to the waiting caller
                box["error"] = str(exc)
            done.set()

    def _fork(self, location: str, generation: int) -> Worker:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.setdefault("MALLOC_ARENA_MAX", "2")
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.query_worker", location, str(self.budget), str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        return Worker(proc, location, generation, psutil.Process(proc.pid))

    def _handshake(self, worker: Worker) -> Worker:
        """Wait for a new worker's hello: its RSS once the store is open, or why it could not open it."""
        try:
            hello = json.loads(self._read(worker, time.monotonic() + SPAWN_TIMEOUT_S))
        except (_Deadline, _Eof, ValueError) as exc:
            worker.kill()
            raise PoolError(f"a query worker failed to start ({type(exc).__name__})") from None
        if "error" in hello:
            worker.kill()
            raise PoolError(hello["error"])
        worker.rss = worker.base_rss = int(hello["rss"])
        with self._cond:
            self._base_estimate = max(worker.base_rss * 5 // 4, 40 * MB)  # with room for its start-up peak
            others = len(self._busy) + len(self._idle)
        # until the watchdog's next look, this worker may grow by its share of what is left, no more
        self._cap(worker, max(4 * MB, (self.acting_limit() - self._total) // max(1, others)))
        return worker

    @staticmethod
    def _cap(worker: Worker, room: int) -> None:
        """Let the worker's address space grow by ``room`` bytes (an allocation past it ends the worker)."""
        try:
            vms = worker.ps.memory_info().vms
            hard = worker.ps.rlimit(psutil.RLIMIT_AS)[1]
            worker.ps.rlimit(psutil.RLIMIT_AS, (min(vms + room, hard), hard))
        except (psutil.Error, OSError, ValueError):
            pass

    # ------------------------------------------------------------------ the memory watchdog
    def floor(self) -> int:
        """The smallest budget that can run one query: this process (if counted) and one idle worker,
        with the watchdog's margin on top."""
        own = self._me.memory_info().rss if self.include_self else 0
        return int((own + 2 * self._base_estimate) / 0.75)

    def acting_limit(self) -> int:
        """Where the watchdog acts: 75 % of the budget. The rest is the margin for what grows between two
        looks (a hostile query grows ~0.3 GB/s; on a busy machine a look can come late)."""
        return self.budget - max(16 * MB, self.budget // 4)

    def _watchdog(self) -> None:
        """Several times a second: sum the RSS, kill the biggest query past the budget (less room for one
        more worker while a caller waits for one, so hungry queries cannot starve cheap ones), and share out
        what is left of it as each worker's address-space limit, so no worker can outgrow the budget
        between two looks (an allocation past its limit ends the worker)."""
        while not self._closed:
            with self._cond:
                workers = list(self._busy) + list(self._idle)
            total = self._me.memory_info().rss if self.include_self else 0
            sizes: list[tuple[int, Worker]] = []
            for w in workers:
                try:
                    mem = w.ps.memory_info()
                except (psutil.Error, OSError):
                    continue
                w.rss, w.vms = mem.rss, mem.vms
                total += w.rss
                sizes.append((w.rss, w))
            limit = self.acting_limit()
            with self._cond:
                waiting = bool(self._queue) and not self._idle
            if waiting:  # a caller waits for a worker: the budget must hold one more, the largest query gives way
                limit -= self._base_estimate
            if total > limit:
                busy = sorted(((r, w) for r, w in sizes if w in self._busy and w.alive()), key=lambda x: -x[0])
                for rss, w in busy:
                    if total <= limit:
                        break
                    w.kill("memory")
                    self.kills["memory"] += 1
                    total -= rss
                    sizes = [(r, x) for r, x in sizes if x is not w]
            self._total = total
            self.peak_total = max(self.peak_total, total)
            share = max(4 * MB, (limit - total) // max(1, len(sizes)))
            for _, w in sizes:
                self._cap(w, share)
            time.sleep(POLL_S)

    # ------------------------------------------------------------------ housekeeping
    def retire(self, location: str) -> None:
        """Kill every worker on ``location`` (a snapshot about to be deleted)."""
        with self._cond:
            doomed = [w for w in list(self._idle) + list(self._busy) if w.location == str(location)]
            self._idle = [w for w in self._idle if w not in doomed]
        for w in doomed:
            w.kill("retired")

    def pids(self) -> list[int]:
        with self._cond:
            return [w.proc.pid for w in list(self._busy) + list(self._idle) if w.alive()]

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = list(self._idle) + list(self._busy)
            self._idle = []
            self._cond.notify_all()
        for w in workers:
            w.kill("closed")


def _death_reason(worker: Worker) -> str:
    """Why a worker ended by itself: an allocation past its address-space limit aborts it (memory), the
    CPU limit sends SIGXCPU (time)."""
    try:
        code = worker.proc.wait(2)
    except subprocess.TimeoutExpired:
        code = None
    worker.kill()
    if code == -signal.SIGABRT:
        return "memory"
    if code == -signal.SIGXCPU:
        return "time"
    return "crash"


class _Deadline(Exception):
    pass


class _Eof(Exception):
    pass


def _read_exact(fd: int, n: int, deadline: float) -> bytes:
    """Read n bytes from a pipe, giving up at the deadline (select, so a stuck worker cannot hold us)."""
    chunks: list[bytes] = []
    while n > 0:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Deadline
        ready, _, _ = select.select([fd], [], [], min(left, 0.25))
        if not ready:
            continue
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise _Eof
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


# ------------------------------------------------------------------ the pool of this process
_shared: QueryPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> QueryPool:
    """The pool the CLI and the app use (budget $ECOKG_QUERY_MAX_MEMORY, workers $ECOKG_QUERY_WORKERS)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._closed:
            _shared = QueryPool(max_workers=int(os.environ.get("ECOKG_QUERY_WORKERS", "4")))
        return _shared


def _close_shared(*_: object) -> None:
    if _shared is not None:
        _shared.close()


import atexit  # noqa: E402 - registered once the pool exists

atexit.register(_close_shared)

__all__ = [
    "DEFAULT_BUDGET", "Outcome", "PoolBusy", "PoolError", "QueryKilled", "QueryPool", "WorkerQueryError",
    "default_budget", "parse_size", "shared_pool",
]
