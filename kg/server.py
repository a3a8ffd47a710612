"""`ecokg serve`: a standard, read-only SPARQL 1.1 Protocol endpoint over the store.

A thin SPARQL-protocol server whose queries run in the worker processes of a
``kg.query_pool.QueryPool``, so that every bound really stops the work:

- the time limit: at ``--timeout`` the worker running the query is killed (a
  query Oxigraph is evaluating cannot be cancelled, and the Oxigraph server this
  endpoint used to run kept computing after its own timeout, growing to gigabytes);
- the memory budget (``--max-memory``): this process and its workers together;
  past it the largest running query is killed and answered ``503``;
- the row cap: workers stop reading at ``--max-rows`` rows and say so in
  ``Warning`` and ``X-Ecokg-*`` headers.

Oxigraph documents opening a database read-only while a writer has it open as
undefined behaviour, so the workers read a private *snapshot*: a copy of the
store (``kg.backup.snapshot``, a short read-only open) in a temporary folder;
when a writer commits, a new snapshot is made and new queries go to workers on
it, while the old one drains. Readers see the store as of the last snapshot
(``X-Ecokg-Snapshot``), each article whole or absent.

Also the protocol's expected edges: a SPARQL 1.1 Service Description on ``GET
/query`` without a query, ``HEAD``, Graph Store Protocol reads (``GET
/store?graph=IRI``), CORS only for the origins given to ``--cors``. Updates
are refused (``403``), and federated ``SERVICE`` queries too unless allowed
(``--allow-service``): they would fetch any URL a query names, internal
addresses included.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import socket
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
    memory_message,
    row_cap_message,
    syntax_message,
    timeout_message,
)
from kg.query_pool import Outcome, PoolBusy, PoolError, QueryKilled, QueryPool, WorkerQueryError
from kg.service_description import description
from kg.service_description import serialize as serialize_description
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


# ------------------------------------------------------------------ snapshots and the query workers
def oxigraph_binary() -> str:
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not exe:
        raise StoreError("the `oxigraph` server is not installed (pip install oxigraph)")
    return exe


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Upstream:
    """One snapshot of the store, queried by the pool's worker processes (each opens it read-only)."""

    folder: Path
    pool: QueryPool
    quads: int
    taken_at: datetime
    generation: int

    @property
    def location(self) -> str:
        return str(self.folder / "db")

    def stop(self) -> None:
        self.pool.retire(self.location)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_upstream(location: str, workdir: Path, pool: QueryPool) -> Upstream:
    """Snapshot the store into ``workdir`` and check that a worker can open and query it."""
    generation = store_generation(location)
    folder = Path(tempfile.mkdtemp(prefix="snapshot-", dir=workdir))
    try:
        quads = snapshot(location, folder / "db")
        up = Upstream(folder, pool, quads, datetime.now(UTC), generation)
        pool.run(up.location, {"query": "ASK {}", "max_rows": 1}, SPAWN_CHECK_S)
    except PoolError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise StoreError(f"cannot query the snapshot of {location}: {exc}") from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return up


SPAWN_CHECK_S = 60.0


_ui_cache: dict[str, tuple[bytes, str]] = {}
_ui_lock = threading.Lock()


def oxigraph_ui(path: str) -> tuple[bytes, str] | None:
    """The query page that comes with Oxigraph (YASGUI), fetched once from a short-lived in-memory server."""
    with _ui_lock:
        if not _ui_cache:
            port = free_port()
            proc = subprocess.Popen(
                [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline and not _ui_cache:
                    try:
                        for p in UI_PATHS:
                            r = requests.get(f"http://127.0.0.1:{port}{p}", timeout=5)
                            _ui_cache[p] = (r.content, r.headers.get("Content-Type", "text/html"))
                    except requests.ConnectionError:
                        _ui_cache.clear()
                        time.sleep(0.05)
            finally:
                proc.kill()
                proc.wait(5)
        return _ui_cache.get(path)


# ------------------------------------------------------------------ the endpoint
@dataclass
class Endpoint:
    """The endpoint's state: limits, the worker pool, the current snapshot, and old ones draining."""

    location: str
    timeout: float
    max_rows: int
    workdir: Path
    allow_service: bool = False
    cors: tuple[str, ...] = ()  # origins allowed to read answers from a web page ("*": any)
    pool: QueryPool = field(default_factory=lambda: QueryPool(include_self=True))
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
        new = start_upstream(self.location, self.workdir, self.pool)
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

    def allowed_origin(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin value for a request from ``origin`` (None: not allowed)."""
        if not origin or not self.cors:
            return None
        if "*" in self.cors:
            return "*"
        return origin if origin.rstrip("/") in {o.rstrip("/") for o in self.cors} else None

    def close(self) -> None:
        with self.lock:
            self.closed = True
            ups = [up for _, up in self.draining] + ([self.upstream] if self.upstream else [])
            for timer, _ in self.draining:
                timer.cancel()
            self.upstream, self.draining = None, []
        for up in ups:
            up.stop()
        self.pool.close()


class Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol: GET ?query=, POST form, POST application/sparql-query; nothing that writes."""

    endpoint: Endpoint
    protocol_version = "HTTP/1.1"
    server_version = "ecokg-sparql"
    head_only = False

    def setup(self) -> None:
        super().setup()
        # headers and body are two writes: without this, Nagle and delayed ACKs add 40 ms to every answer
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # -- routing
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        path = urlsplit(self.path).path
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if path in QUERY_PATHS:
            if not params.get("query") and "update" not in params:
                self._service_description()
            else:
                self._dispatch(params)
        elif path in UI_PATHS:
            self._relay_ui(path)
        elif path == "/store":
            self._graph_store_read(params)
        elif path == "/update":
            self._refuse()
        else:
            self._text(404, f"{path} is not here: query {QUERY_PATHS[0]}")

    def do_HEAD(self) -> None:  # noqa: N802 - the headers a GET would send, without the body
        self.head_only = True
        self.do_GET()

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

    def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight, only for the origins given to --cors
        allowed = self.endpoint.allowed_origin(self.headers.get("Origin"))
        if allowed is None:
            self._text(403, "cross-origin requests from this origin are not enabled (ecokg serve --cors ORIGIN)")
            return
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", allowed)
        self.send_header("Vary", "Origin")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, HEAD")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "600")
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
        results = form not in ("CONSTRUCT", "DESCRIBE")
        fmt = negotiate(self.headers.get("Accept"), results=results)
        if fmt is None:
            self._text(406, "acceptable result formats: JSON, XML, CSV, TSV" if results else
                       "acceptable RDF formats: Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG")
            return
        request = {
            "query": text, "max_rows": self.endpoint.max_rows, "union": True,
            "default_graph": params.get("default-graph-uri") or None,
            "named_graphs": params.get("named-graph-uri") or None,
        }  # fmt: skip
        self._answer(request, fmt, text)

    def _answer(self, request: dict, fmt, text: str) -> Outcome | None:
        """Run a request in a worker and send the answer in ``fmt``; errors get their status and message."""
        up = self.endpoint.current()
        try:
            out = self.endpoint.pool.run(up.location, request, self.endpoint.timeout)
        except QueryKilled as exc:
            if exc.reason == "time":
                self._text(503, timeout_message(self.endpoint.timeout))
            elif exc.reason == "memory":
                self._text(503, memory_message(self.endpoint.pool.budget))
            else:
                self._text(503, "the query's worker process stopped unexpectedly (most likely at its memory "
                                f"limit of {self.endpoint.pool.budget >> 20:,} MB); narrow the query")
            return None
        except PoolBusy as exc:
            self._text(503, str(exc))
            return None
        except WorkerQueryError as exc:
            self._text(400, syntax_message(str(exc), text) if exc.syntax else f"query failed: {exc}")
            return None
        except PoolError as exc:
            self._text(502, f"the query workers behind this endpoint failed: {exc}")
            return None
        if out.kind == "graph":
            if not isinstance(fmt, ox.RdfFormat):
                fmt = ox.RdfFormat.TURTLE
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(out.payload, ox.RdfFormat.N_TRIPLES)]
            body = ox.serialize(triples, format=fmt) or b""
        else:
            if not isinstance(fmt, ox.QueryResultsFormat):
                fmt = ox.QueryResultsFormat.JSON
            if out.kind == "ask":
                doc = b'{"head":{},"boolean":%s}' % (b"true" if out.boolean else b"false")
                body = ox.parse_query_results(doc, ox.QueryResultsFormat.JSON).serialize(format=fmt)
            elif fmt == ox.QueryResultsFormat.TSV:
                body = out.payload
            else:
                solutions = ox.parse_query_results(out.payload, ox.QueryResultsFormat.TSV)
                body = solutions.serialize(format=fmt)
        self._send(200, body, fmt.media_type, up, out.truncated)
        return out

    def _graph_store_read(self, params: dict[str, list[str]]) -> None:
        """SPARQL 1.1 Graph Store Protocol, reads only: ``GET /store?graph=IRI`` or ``GET /store?default``."""
        fmt = negotiate(self.headers.get("Accept"), results=False)
        if fmt is None:
            self._text(406, "acceptable RDF formats: Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG")
            return
        graphs = params.get("graph", [])
        if "default" in params and not graphs:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        elif len(graphs) == 1 and "default" not in params:
            try:
                g = ox.NamedNode(graphs[0])
            except ValueError:
                self._text(400, f"not an IRI: {graphs[0]!r}")
                return
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"
            try:
                exists = self.endpoint.pool.run(self.endpoint.current().location,
                                                {"query": f"ASK {{ GRAPH {g} {{ ?s ?p ?o }} }}", "max_rows": 1},
                                                self.endpoint.timeout).boolean
            except PoolError as exc:
                self._text(503, f"the graph could not be looked up: {exc}")
                return
            if not exists:
                self._text(404, f"no graph {g} in this store")
                return
        else:
            self._text(400, "read a graph with GET /store?graph=IRI, or the default graph (the union of all "
                            "graphs) with GET /store?default; this endpoint is read-only")
            return
        self._answer({"query": query, "max_rows": self.endpoint.max_rows, "union": True}, fmt, query)

    def _service_description(self) -> None:
        fmt = negotiate(self.headers.get("Accept"), results=False)
        if fmt is None:
            self._text(406, "acceptable RDF formats: Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG")
            return
        host = self.headers.get("Host") or "%s:%s" % self.server.server_address[:2]
        url = f"http://{host}{urlsplit(self.path).path}"
        triples = description(url, timeout=self.endpoint.timeout, max_rows=self.endpoint.max_rows,
                              max_memory=self.endpoint.pool.budget)
        self._send(200, serialize_description(triples, fmt), fmt.media_type, None)

    # -- responses
    def _relay_ui(self, path: str) -> None:
        try:
            page = oxigraph_ui(path)
        except (StoreError, OSError, requests.RequestException):
            page = None
        if page is None:
            self._text(404, f"{path} is not here: query {QUERY_PATHS[0]}")
            return
        self._send(200, page[0], page[1], None)

    def _refuse(self) -> None:
        self._text(403, UPDATE_REFUSED)

    def _text(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", None)

    def _send(self, status: int, body: bytes, ctype: str, up: Upstream | None, truncated: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.endpoint.cors:
            self.send_header("Vary", "Origin")
            allowed = self.endpoint.allowed_origin(self.headers.get("Origin"))
            if allowed:  # off by default: any web page could otherwise read a local endpoint
                self.send_header("Access-Control-Allow-Origin", allowed)
                self.send_header("Access-Control-Expose-Headers", "Warning, X-Ecokg-Truncated, X-Ecokg-Row-Cap")
        if up is not None:
            self.send_header("X-Ecokg-Snapshot", up.taken_at.isoformat(timespec="seconds"))
        if truncated:
            msg = row_cap_message(self.endpoint.max_rows)
            self.send_header("X-Ecokg-Truncated", "true")
            self.send_header("X-Ecokg-Row-Cap", str(self.endpoint.max_rows))
            self.send_header("Warning", f'199 ecokg "{msg}"')
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server API
        if getattr(self.server, "verbose", False):
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


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
    cors: tuple[str, ...] = ()  # origins whose web pages may read the answers ("*": any)
    max_memory: int | None = None  # bytes of RSS for this process and its query workers together
    max_queries: int = 12  # queries running at once (each in its own worker process)


def parse_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise StoreError(f"--bind wants HOST:PORT, got {bind!r}")
    return host.strip("[]"), int(port)


def serve(opts: ServeOptions, ready: Callable[[str], None] | None = None) -> int:
    """Run the endpoint until SIGINT or SIGTERM; cleans up the snapshots and the query workers."""
    if not Path(opts.location).is_dir():
        raise StoreError(f"no store at {opts.location}: run `ecokg ingest` first")
    host, port = parse_bind(opts.bind)
    try:  # first: a port in use is one line, before any snapshot is taken
        httpd = ThreadingHTTPServer((host, port), Handler, bind_and_activate=True)
    except OSError as exc:
        why = "the port is in use (another `ecokg serve`?)" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise StoreError(f"cannot listen on {opts.bind}: {why}; choose another with --bind HOST:PORT") from None
    workdir = _workdir(Path(opts.location))
    pool = QueryPool(opts.max_memory, max_workers=opts.max_queries, include_self=True)
    endpoint = Endpoint(opts.location, opts.timeout, opts.max_rows, workdir, opts.allow_service, opts.cors, pool)
    httpd.RequestHandlerClass = type("BoundHandler", (Handler,), {"endpoint": endpoint})
    stop = threading.Event()
    in_main = threading.current_thread() is threading.main_thread()
    # also SIGINT: a process started in the background by a shell inherits it ignored
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)} if in_main else {}
    try:
        endpoint.log(f"snapshots of {opts.location} go to {workdir}")
        _check_budget(pool)  # with a worker's usual size, before one starts
        endpoint.refresh(force=True)  # starts and measures one worker
        _check_budget(pool)
        httpd.daemon_threads = True
        httpd.verbose = opts.verbose  # type: ignore[attr-defined]
        url = f"http://{host if ':' not in host else f'[{host}]'}:{httpd.server_address[1]}/query"
        print(f"SPARQL endpoint (read-only) at {url}", flush=True)
        print(
            f"  try: curl -s {url} -H 'Accept: text/csv' "
            "--data-urlencode 'query=SELECT ?s ?o WHERE { ?s <https://w3id.org/ecokg/ns#competesWith> ?o } LIMIT 10'",
            flush=True,
        )
        print(f"  limits: {opts.timeout:g} s per query, {opts.max_rows:,} rows, {pool.budget >> 20:,} MB of memory "
              f"for all queries; Ctrl-C stops", flush=True)
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
        httpd.server_close()
        endpoint.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _check_budget(pool: QueryPool) -> None:
    if pool.budget < pool.floor():
        raise StoreError(f"--max-memory {pool.budget >> 20:,} MB cannot run a query here: this endpoint and one "
                         f"query worker need about {pool.floor() >> 20:,} MB; give more")


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

