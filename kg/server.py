"""`ecokg serve`: a standard, read-only SPARQL 1.1 Protocol endpoint over the store.

The queries run in the real Oxigraph server (``oxigraph serve-read-only
--union-default-graph``). ecokg puts a thin SPARQL-protocol proxy in front of it
because Oxigraph alone cannot keep ecokg's promises:

- Oxigraph has a time limit (``--timeout-s``, whole seconds) but, as results are
  streamed, a cancelled query ends a ``200 OK`` body with an error text in the
  middle of the JSON; the proxy answers ``503`` with the bound's message instead;
- Oxigraph has no result-size bound; the proxy stops reading at the row cap and
  says so in ``Warning`` and ``X-Ecokg-*`` headers;
- Oxigraph documents opening a database read-only while a writer has it open as
  undefined behaviour, and its read-only server never sees later writes. So the
  server reads a private *snapshot*: the proxy copies the store (a short
  read-only open) into a temporary folder, serves it, and when a writer commits
  it makes a new snapshot, starts a new Oxigraph on it and switches over
  without dropping the endpoint (``kg.backup.snapshot``: a copy, because a
  checkpoint through a read-only open misses unflushed writes). Readers see
  the store as of the last snapshot (``X-Ecokg-Snapshot``), each article
  whole or absent.

Updates are refused twice: by the proxy (``403`` with a message) and by the
read-only server behind it. Federated ``SERVICE`` queries are refused too unless
allowed (``--allow-service``): Oxigraph would fetch any URL a query names,
internal addresses included.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import requests

from kg.backup import snapshot
from kg.query import (
    FederationRefused,
    blank_literals,
    check_federation,
    row_cap_message,
    timeout_message,
)
from kg.store import StoreError, store_generation

UPDATE_REFUSED = (
    "updates are refused: this SPARQL endpoint is read-only "
    "(write to the store with `ecokg ingest` / `ecokg remove`)"
)
# The largest request body read (a query, a form); bigger ones get 413 and are never read into memory.
MAX_BODY_BYTES = int(os.environ.get("ECOKG_SERVE_MAX_BODY", str(1024 * 1024)))
QUERY_PATHS = ("/query", "/sparql")
UI_PATHS = ("/", "/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(PREFIX\s+[\w.-]*:\s*<>|BASE\s*<>)", re.IGNORECASE)


def query_form(text: str) -> str | None:
    """'SELECT', 'ASK', 'CONSTRUCT', 'DESCRIBE', 'UPDATE' or None, from the first keyword after the prologue.

    Strings and IRIs are blanked first, so a '#' or a quote inside them cannot hide or fake a keyword.
    """
    body = re.sub(r"#[^\n]*", " ", blank_literals(text))
    while m := _PROLOGUE.match(body):
        body = body[m.end() :]
    if m := _FORM.match(body):
        return m.group(1).upper()
    if _UPDATE.match(body):
        return "UPDATE"
    return None


# ------------------------------------------------------------------ snapshots and the Oxigraph process
def oxigraph_binary() -> str:
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not exe:
        raise StoreError("the `oxigraph` server is not installed (pip install oxigraph)")
    return exe


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Upstream:
    """One read-only Oxigraph server over one snapshot."""

    folder: Path
    process: subprocess.Popen
    url: str
    quads: int
    taken_at: datetime
    generation: int

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_upstream(location: str, workdir: Path, timeout_s: float) -> Upstream:
    """Snapshot the store and start `oxigraph serve-read-only` on it, on an internal loopback port."""
    generation = store_generation(location)
    folder = Path(tempfile.mkdtemp(prefix="snapshot-", dir=workdir))
    try:
        quads = snapshot(location, folder / "db")
        port = free_port()
        cmd = [
            oxigraph_binary(), "serve-read-only", "--location", str(folder / "db"),
            "--bind", f"127.0.0.1:{port}", "--union-default-graph",
            "--timeout-s", str(max(1, math.ceil(timeout_s))),
        ]  # fmt: skip
        with open(folder / "oxigraph.log", "wb") as log:  # a file, not a pipe nobody reads (it would fill up)
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    up = Upstream(folder, proc, f"http://127.0.0.1:{port}", quads, datetime.now(UTC), generation)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = (folder / "oxigraph.log").read_text(errors="replace")
            up.stop()
            raise StoreError(f"oxigraph serve-read-only exited: {err.strip()}")
        try:
            requests.get(up.url + "/query", params={"query": "ASK {}"}, timeout=2)
            return up
        except requests.ConnectionError:
            time.sleep(0.05)
    up.stop()
    raise StoreError("oxigraph serve-read-only did not start in 30 s")


# ------------------------------------------------------------------ the endpoint
@dataclass
class Endpoint:
    """The proxy's state: limits, the current upstream, and old ones draining."""

    location: str
    timeout: float
    max_rows: int
    workdir: Path
    allow_service: bool = False
    cors: bool = False
    upstream: Upstream | None = None
    closed: bool = False
    draining: list[tuple[threading.Timer, Upstream]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr, flush=True)

    def current(self) -> Upstream:
        with self.lock:
            assert self.upstream is not None
            return self.upstream

    def refresh(self, force: bool = False) -> bool:
        """Serve a new snapshot if a writer committed since the last one; True if it switched."""
        current = self.upstream
        if not force and current is not None and store_generation(self.location) == current.generation:
            return False
        new = start_upstream(self.location, self.workdir, self.timeout)
        with self.lock:
            if self.closed:
                new.stop()
                return False
            old, self.upstream = self.upstream, new
            if old is not None:  # let queries in flight on the old snapshot finish first
                timer = threading.Timer(self.timeout + 5, old.stop)
                timer.daemon = True
                self.draining.append((timer, old))
                timer.start()
        self.log(f"serving a snapshot of {new.quads:,} quads taken at {new.taken_at:%Y-%m-%d %H:%M:%S} UTC")
        return True

    def close(self) -> None:
        with self.lock:
            self.closed = True
            ups = [up for _, up in self.draining] + ([self.upstream] if self.upstream else [])
            for timer, _ in self.draining:
                timer.cancel()
            self.upstream, self.draining = None, []
        for up in ups:
            up.stop()


class Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol: GET ?query=, POST form, POST application/sparql-query; nothing that writes."""

    endpoint: Endpoint
    protocol_version = "HTTP/1.1"
    server_version = "ecokg-sparql"

    # -- routing
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        path = urlsplit(self.path).path
        if path in QUERY_PATHS:
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            self._dispatch(params)
        elif path in UI_PATHS:
            self._relay_ui(path)
        elif path.startswith("/store") or path == "/update":
            self._refuse()
        else:
            self._text(404, f"{path} is not here: query {QUERY_PATHS[0]}")

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        length = self._body_length()
        if length is None:
            return
        body = self.rfile.read(length) if length else b""
        if path not in QUERY_PATHS:
            self._refuse() if path in ("/update", "/store") else self._text(404, f"{path} is not here")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._refuse()
        elif ctype == "application/sparql-query":
            params["query"] = [body.decode("utf-8", errors="replace")]
            self._dispatch(params)
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
            self._dispatch(params)
        else:
            self._text(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")

    def do_PUT(self) -> None:  # noqa: N802
        length = self._body_length()
        if length is None:
            return
        if length:  # drain the body so the connection stays usable
            self.rfile.read(length)
        self._refuse()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight, only with --cors
        if not self.endpoint.cors:
            self._text(403, "cross-origin requests are not enabled (ecokg serve --cors)")
            return
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _body_length(self) -> int | None:
        """The declared body length, or None after refusing a bad or too large one (connection closed)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if 0 <= length <= MAX_BODY_BYTES:
            return length
        self.close_connection = True  # the body stays unread
        if length < 0:
            self._text(400, "bad Content-Length")
        else:
            self._text(413, f"request body too large: {length:,} bytes (limit {MAX_BODY_BYTES:,}; "
                            "set ECOKG_SERVE_MAX_BODY to raise it)")
        return None

    # -- queries
    def _dispatch(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._refuse()
            return
        queries = params.get("query", [])
        if len(queries) != 1:
            self._text(400, "give exactly one `query` parameter")
            return
        text = queries[0]
        form = query_form(text)
        if form == "UPDATE":
            self._refuse()
            return
        try:
            check_federation(text, self.endpoint.allow_service)
        except FederationRefused as exc:
            self._text(403, str(exc))
            return
        dataset = {k: v for k, v in params.items() if k in ("default-graph-uri", "named-graph-uri")}
        started = time.monotonic()
        try:
            if form in ("CONSTRUCT", "DESCRIBE"):
                self._graph_query(text, dataset, started)
            elif form == "ASK":
                self._relay_query(text, dataset, started)
            else:  # SELECT, or not recognised: Oxigraph reports syntax errors, the row cap still holds
                self._select_query(text, dataset, started)
        except _TimedOut:
            self._text(503, timeout_message(self.endpoint.timeout))
        except (_Broken, requests.ConnectionError, OSError) as exc:
            self._text(502, f"the SPARQL server behind this endpoint failed: {exc}")

    def _upstream(self, text: str, dataset: dict, accept: str, started: float) -> tuple[requests.Response, Upstream]:
        up = self.endpoint.current()
        left = self.endpoint.timeout - (time.monotonic() - started)
        try:
            resp = requests.post(
                up.url + "/query",
                data={"query": text, **dataset},
                headers={"Accept": accept},
                stream=True,
                timeout=(5, max(0.05, left)),
            )
        except requests.Timeout as exc:
            raise _TimedOut from exc
        return resp, up

    def _relay_query(self, text: str, dataset: dict, started: float) -> None:
        accept = self.headers.get("Accept") or "application/sparql-results+json"
        resp, up = self._upstream(text, dataset, accept, started)
        with resp:
            try:
                body = resp.content
            except requests.RequestException as exc:
                raise self._cut(started, exc) from exc
        self._send(resp.status_code, body, resp.headers.get("Content-Type", "text/plain"), up)

    def _select_query(self, text: str, dataset: dict, started: float) -> None:
        fmt = negotiate(self.headers.get("Accept"), results=True)
        if fmt is None:
            self._text(406, "acceptable result formats: JSON, XML, CSV, TSV")
            return
        resp, up = self._upstream(text, dataset, "text/tab-separated-values", started)
        with resp:
            if resp.status_code != 200:
                self._send(resp.status_code, resp.content, resp.headers.get("Content-Type", "text/plain"), up)
                return
            lines, truncated = self._read_rows(resp, started)
        doc = b"\n".join(lines) + b"\n"
        try:  # a stream Oxigraph cut at its time limit ends in an error text, which does not parse
            solutions = ox.parse_query_results(doc, ox.QueryResultsFormat.TSV)
            body = doc if fmt == ox.QueryResultsFormat.TSV else solutions.serialize(format=fmt)
        except SyntaxError as exc:
            raise self._cut(started, exc) from None
        self._send(200, body, fmt.media_type, up, truncated)

    def _read_rows(self, resp: requests.Response, started: float) -> tuple[list[bytes], bool]:
        """The header and up to max_rows rows of a TSV result (one row per line: TSV escapes newlines)."""
        limit = self.endpoint.max_rows + 1
        lines: list[bytes] = []
        pending = b""
        try:
            for chunk in resp.iter_content(chunk_size=1 << 16):
                *complete, pending = (pending + chunk).split(b"\n")
                lines.extend(complete)
                if len(lines) > limit:
                    return lines[:limit], True
                if time.monotonic() - started > self.endpoint.timeout:
                    raise _TimedOut
        except requests.RequestException as exc:
            raise self._cut(started, exc) from exc
        if pending:
            lines.append(pending)
        if time.monotonic() - started > self.endpoint.timeout:
            raise _TimedOut
        return lines, False

    def _cut(self, started: float, exc: Exception) -> Exception:
        """Why a result stream broke: Oxigraph cancels at ceil(timeout) s, so a late break is the time limit."""
        if isinstance(exc, requests.Timeout) or time.monotonic() - started >= self.endpoint.timeout:
            return _TimedOut()
        return _Broken(str(exc))

    def _graph_query(self, text: str, dataset: dict, started: float) -> None:
        fmt = negotiate(self.headers.get("Accept"), results=False)
        if fmt is None:
            self._text(406, "acceptable RDF formats: Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG")
            return
        resp, up = self._upstream(text, dataset, "application/n-triples", started)
        with resp:
            if resp.status_code != 200:
                self._send(resp.status_code, resp.content, resp.headers.get("Content-Type", "text/plain"), up)
                return
            resp.raw.decode_content = True
            triples: list[ox.Triple] = []
            truncated = False
            try:
                for q in ox.parse(resp.raw, ox.RdfFormat.N_TRIPLES):
                    if len(triples) >= self.endpoint.max_rows:
                        truncated = True
                        break
                    triples.append(ox.Triple(q.subject, q.predicate, q.object))
                    if time.monotonic() - started > self.endpoint.timeout:
                        raise _TimedOut
            except (SyntaxError, requests.RequestException, OSError) as exc:
                raise self._cut(started, exc) from exc
        if time.monotonic() - started > self.endpoint.timeout:
            raise _TimedOut
        self._send(200, ox.serialize(triples, format=fmt) or b"", fmt.media_type, up, truncated)

    # -- responses
    def _relay_ui(self, path: str) -> None:
        up = self.endpoint.current()
        resp = requests.get(up.url + path, timeout=10)
        self._send(resp.status_code, resp.content, resp.headers.get("Content-Type", "text/html"), up)

    def _refuse(self) -> None:
        self._text(403, UPDATE_REFUSED)

    def _text(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", None)

    def _send(self, status: int, body: bytes, ctype: str, up: Upstream | None, truncated: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.endpoint.cors:  # off by default: any web page could otherwise read a local endpoint
            self.send_header("Access-Control-Allow-Origin", "*")
        if up is not None:
            self.send_header("X-Ecokg-Snapshot", up.taken_at.isoformat(timespec="seconds"))
        if truncated:
            msg = row_cap_message(self.endpoint.max_rows)
            self.send_header("X-Ecokg-Truncated", "true")
            self.send_header("X-Ecokg-Row-Cap", str(self.endpoint.max_rows))
            self.send_header("Warning", f'199 ecokg "{msg}"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server API
        if getattr(self.server, "verbose", False):
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class _TimedOut(Exception):
    """The query ran past the endpoint's time limit."""


class _Broken(Exception):
    """The Oxigraph server behind the proxy sent something unreadable."""


_RESULT_ALIASES = {"application/json": "application/sparql-results+json", "text/xml": "application/sparql-results+xml",
                   "application/xml": "application/sparql-results+xml"}


def negotiate(accept: str | None, *, results: bool):
    """The best format in an Accept header that ecokg can write (None if none); JSON / Turtle by default."""
    default = ox.QueryResultsFormat.JSON if results else ox.RdfFormat.TURTLE
    if not accept:
        return default
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, _, rest = part.strip().partition(";")
        q = 1.0
        if m := re.search(r"q\s*=\s*([0-9.]+)", rest):
            q = float(m.group(1))
        ranked.append((-q, i, media.strip().lower()))
    for neg_q, _, media in sorted(ranked):
        if neg_q == 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            return default
        if results:
            fmt = ox.QueryResultsFormat.from_media_type(_RESULT_ALIASES.get(media, media))
        else:
            fmt = ox.RdfFormat.from_media_type(media)
        if fmt is not None:
            return fmt
    return None


# ------------------------------------------------------------------ running it
@dataclass
class ServeOptions:
    location: str
    bind: str = "127.0.0.1:7878"
    timeout: float = 30.0
    max_rows: int = 10000
    refresh: float = 10.0  # seconds between checks for new writes; 0 = never
    verbose: bool = False
    allow_service: bool = False  # federated SERVICE queries (outbound HTTP from this machine)
    cors: bool = False  # answer cross-origin requests from web pages


def parse_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise StoreError(f"--bind wants HOST:PORT, got {bind!r}")
    return host.strip("[]"), int(port)


def serve(opts: ServeOptions, ready: Callable[[str], None] | None = None) -> int:
    """Run the endpoint until SIGINT or SIGTERM; cleans up the snapshots and the Oxigraph process."""
    if not Path(opts.location).is_dir():
        raise StoreError(f"no store at {opts.location}: run `ecokg ingest` first")
    host, port = parse_bind(opts.bind)
    workdir = _workdir(Path(opts.location))
    endpoint = Endpoint(opts.location, opts.timeout, opts.max_rows, workdir, opts.allow_service, opts.cors)
    handler = type("BoundHandler", (Handler,), {"endpoint": endpoint})
    httpd: ThreadingHTTPServer | None = None
    stop = threading.Event()
    in_main = threading.current_thread() is threading.main_thread()
    # also SIGINT: a process started in the background by a shell inherits it ignored
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)} if in_main else {}
    try:
        endpoint.log(f"snapshots of {opts.location} go to {workdir}")
        endpoint.refresh(force=True)
        httpd = ThreadingHTTPServer((host, port), handler)
        httpd.daemon_threads = True
        httpd.verbose = opts.verbose  # type: ignore[attr-defined]
        url = f"http://{host if ':' not in host else f'[{host}]'}:{httpd.server_address[1]}/query"
        print(f"SPARQL endpoint (read-only) at {url}", flush=True)
        print(
            f"  try: curl -s {url} -H 'Accept: text/csv' "
            "--data-urlencode 'query=SELECT ?s ?o WHERE { ?s <https://w3id.org/ecokg/ns#competesWith> ?o } LIMIT 10'",
            flush=True,
        )
        print(f"  limits: {opts.timeout:g} s per query, {opts.max_rows:,} rows; Ctrl-C stops", flush=True)
        if opts.refresh > 0:
            threading.Thread(target=_refresher, args=(endpoint, opts.refresh, stop), daemon=True).start()
        if ready:
            ready(url)
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("stopping the SPARQL endpoint", file=sys.stderr, flush=True)
    finally:
        stop.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if httpd is not None:
            httpd.server_close()
        endpoint.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _workdir(location: Path) -> Path:
    """Where snapshots go: beside the store (same disk, not a RAM-backed /tmp), else the system temp folder."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{location.name}.serve-", dir=location.resolve().parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="ecokg-serve-"))


def _interrupt(signum: int, frame: object) -> None:
    """SIGINT and SIGTERM stop the endpoint cleanly."""
    raise KeyboardInterrupt


SNAPSHOT_DUTY = 0.25  # at most this share of the time goes to copying the store


def _refresher(endpoint: Endpoint, every: float, stop: threading.Event) -> None:
    """Check for new writes every `every` s; after a snapshot that took t s, wait at least t/SNAPSHOT_DUTY."""
    wait = every
    while not stop.wait(wait):
        started = time.monotonic()
        try:
            switched = endpoint.refresh()
        except Exception as exc:  # noqa: BLE001 - keep serving the last good snapshot, try again later
            endpoint.log(f"snapshot refresh failed, still serving the previous one: {exc!r}")
            switched = True  # a failed copy cost time too
        took = time.monotonic() - started
        wait = max(every, took / SNAPSHOT_DUTY - took) if switched else every

