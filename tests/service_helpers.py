"""Real servers for the service tests: Oxigraph server and `ecokg serve` on free loopback ports.

Also the article set the service tests ingest (the corpus seed plus ../shared/dev when
it is beside the checkout) and a tiny catalog when kg/catalog.csv is not there.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
OXIGRAPH = shutil.which("oxigraph", path=str(VENV_BIN)) or shutil.which("oxigraph")

TINY_CATALOG = """type,name,name_zh,aliases,wikidata,market,maker
Vendor,Microsoft,微软,MSFT,Q2283,cloud,
Vendor,Amazon,亚马逊,AWS|Amazon Web Services,Q3884,cloud,
Vendor,Google,谷歌,,Q95,cloud,
Vendor,Docker Inc.,,Docker,,containers,
Vendor,Mirantis,,,,containers,
Vendor,IBM,,,Q37156,cloud,
Vendor,Red Hat,红帽,,Q485593,cloud,
Product,Kubernetes,,K8s,Q22661306,containers,Google
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    """Wait until the URL answers (any status), or fail with the process's output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {out}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def stop(proc: subprocess.Popen, sig: int = signal.SIGINT, timeout: float = 15.0) -> int:
    """Stop a server we started, by its own pid; returns its exit code."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


@contextmanager
def oxigraph_server(location: Path | None = None, *extra: str) -> Iterator[str]:
    """A read-write `oxigraph serve` on 127.0.0.1 (in memory unless a location is given); yields its base URL."""
    assert OXIGRAPH, "the oxigraph CLI is not installed"
    port = free_port()
    cmd = [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", *extra]
    if location is not None:
        cmd += ["--location", str(location)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/query?query=ASK%7B%7D", proc)
        yield url
    finally:
        stop(proc, signal.SIGTERM)


def tiny_catalog_env(tmp_path: Path) -> dict[str, str]:
    """ECOKG_CATALOG pointing at a tiny catalog when the bundled one is missing."""
    if (ROOT / "kg" / "catalog.csv").exists():
        return {}
    path = tmp_path / "catalog.csv"
    path.write_text(TINY_CATALOG, encoding="utf-8")
    return {"ECOKG_CATALOG": str(path)}


def article_files(tmp_path: Path, limit: int = 6) -> list[Path]:
    """Private copies of a few real articles: the seed, ../shared/dev when present, then tests/heldout
    (self-written, in the repository), so a checkout without ../shared still has enough of them."""
    sources = sorted((ROOT / "corpus").glob("*.txt"))
    dev = ROOT.parent / "shared" / "dev"
    if dev.is_dir():
        sources += sorted(dev.glob("*.txt"))
    sources += sorted((ROOT / "tests" / "heldout").glob("*.txt"))
    out = []
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for src in sources[:limit]:
        dst = folder / src.name
        shutil.copy(src, dst)
        out.append(dst)
    return out


def ecokg_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "ecokg.cli", *args]


def subprocess_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ECOKG_STORE", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


@contextmanager
def recording_sparql_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback SPARQL endpoint that answers every query with no rows and records the request paths."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            seen.append(self.path)
            body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer  # noqa: N815

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    finally:
        server.shutdown()
        server.server_close()
