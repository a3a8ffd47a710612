"""The worker process of ``kg.query_pool``: runs user queries on a read-only store until it is killed.

A query Oxigraph is evaluating cannot be cancelled from another thread, so user
queries run here, in a process the pool kills on a timeout or when it grows past
the memory budget; killing a process is the one way that really frees the CPU
and the memory. Run as ``python -m kg.query_worker LOCATION BUDGET_BYTES PARENT_PID``.

Protocol on stdin/stdout: frames of a 4-byte big-endian length and a body. The
worker sends a hello frame (JSON: its RSS after opening the store, or an error),
then for each request frame (JSON) one header frame (JSON) and one payload frame
(TSV for SELECT, N-Triples for CONSTRUCT/DESCRIBE, empty for ASK).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import struct
import sys
import threading
import time
from typing import BinaryIO

import pyoxigraph as ox

_LEN = struct.Struct(">I")
PR_SET_PDEATHSIG = 1


def write_frame(out: BinaryIO, body: bytes) -> None:
    out.write(_LEN.pack(len(body)) + body)
    out.flush()


def read_frame(inp: BinaryIO) -> bytes | None:
    head = inp.read(_LEN.size)
    if len(head) < _LEN.size:
        return None
    (n,) = _LEN.unpack(head)
    body = inp.read(n)
    return body if len(body) == n else None


def _die_with_parent(parent: int) -> None:
    """Exit when the pool's process goes away, even in the middle of a query (nobody would read it)."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass

    def watch() -> None:  # belt and braces: PDEATHSIG follows the spawning thread, not the process
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _limit_memory(budget: int) -> None:
    """A hard ceiling under the pool's watchdog: the address space now plus the whole budget."""
    import psutil

    vms = psutil.Process().memory_info().vms
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_AS, (vms + budget, vms + budget))
    except (ValueError, OSError):
        pass


def _limit_cpu(seconds: float) -> None:
    """SIGXCPU kills this process if one query uses `seconds` more CPU (in case nobody is left to kill it)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    total = used.ru_utime + used.ru_stime
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (int(total + seconds) + 2, resource.RLIM_INFINITY))
    except (ValueError, OSError):
        pass


def _term(text: str):
    """An RDF term from its N-Triples form (the pool sends substitutions that way)."""
    quad = next(iter(ox.parse(f"<urn:x:s> <urn:x:p> {text} .".encode(), ox.RdfFormat.N_TRIPLES)))
    return quad.object


def run(store: ox.Store, req: dict) -> tuple[dict, bytes]:
    """One request: the header and the payload, at most ``max_rows`` rows."""
    max_rows = int(req["max_rows"])
    kwargs: dict = {"use_default_graph_as_union": bool(req.get("union", True)), "prefixes": req.get("prefixes")}
    if req.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req["default_graph"]]
        kwargs["use_default_graph_as_union"] = False
    if req.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req["named_graphs"]]
    if req.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(k): _term(v) for k, v in req["substitutions"].items()}
    res = store.query(req["query"], **kwargs)
    if isinstance(res, ox.QueryBoolean):
        return {"kind": "ask", "boolean": bool(res)}, b""
    if isinstance(res, ox.QuerySolutions):
        cols = [v.value for v in res.variables]
        lines = ["\t".join("?" + c for c in cols)]
        truncated = False
        for n, sol in enumerate(res):
            if n >= max_rows:
                truncated = True
                break
            lines.append("\t".join("" if (t := sol[c]) is None else str(t) for c in cols))
        return {"kind": "select", "columns": cols, "truncated": truncated}, ("\n".join(lines) + "\n").encode()
    parts: list[str] = []
    truncated = False
    for n, t in enumerate(res):
        if n >= max_rows:
            truncated = True
            break
        parts.append(f"{t.subject} {t.predicate} {t.object} .\n")
    return {"kind": "graph", "truncated": truncated}, "".join(parts).encode()


def main(argv: list[str]) -> int:
    location, budget, parent = argv[0], int(argv[1]), int(argv[2])
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing may print into the protocol
    _die_with_parent(parent)
    try:
        store = _open(location)
    except Exception as exc:  # noqa: BLE001 - reported to the pool as one line
        write_frame(out, json.dumps({"error": f"cannot open the store at {location}: {exc}"}).encode())
        return 1
    _limit_memory(budget)
    try:
        os.nice(10)  # below the pool's process, so its watchdog always gets the CPU to look and kill
    except OSError:
        pass
    import psutil

    me = psutil.Process()
    write_frame(out, json.dumps({"rss": me.memory_info().rss}).encode())
    while (frame := read_frame(inp)) is not None:
        req = json.loads(frame)
        _limit_cpu(float(req.get("timeout", 60)))
        try:
            head, payload = run(store, req)
            head["ok"] = True
        except SyntaxError as exc:
            head, payload = {"ok": False, "syntax": True, "message": str(exc)}, b""
        except MemoryError:
            head, payload = {"ok": False, "memory": True, "message": "out of memory"}, b""
        except Exception as exc:  # noqa: BLE001 - the query failed; the worker stays usable
            head, payload = {"ok": False, "syntax": False, "message": str(exc)}, b""
        head["rss"] = me.memory_info().rss
        write_frame(out, json.dumps(head).encode())
        write_frame(out, payload)
    return 0


def _open(location: str, tries: int = 6) -> ox.Store:
    """A read-only open, retried briefly like ``kg.store._open_read_only`` (a writer compacting meanwhile
    makes a listed file vanish); not imported from there, to keep this process small (no rdflib)."""
    for attempt in range(tries):
        try:
            return ox.Store.read_only(location)
        except (OSError, RuntimeError) as exc:
            if attempt == tries - 1 or not ("No such file" in str(exc) or "Corruption" in str(exc)):
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
