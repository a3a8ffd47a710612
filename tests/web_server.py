"""A real HTTP server on 127.0.0.1 for the web-ingestion tests.

Routes are set per test: static pages with ETag/Last-Modified and 304s, scripted
sequences (429 then 200), redirects, slow and endless bodies. Every request is
logged with its headers, so tests can assert what was fetched and how.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    """A resource with validators: answers 304 to a matching If-None-Match or If-Modified-Since."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True
    last_modified: str | None = "Wed, 21 Oct 2026 07:28:00 GMT"
    headers: dict[str, str] = field(default_factory=dict)

    def tag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class Raw:
    """A fixed response, no validators."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Sequence:
    """Different responses on successive requests; the last one repeats."""

    def __init__(self, *responses) -> None:
        self.responses = list(responses)
        self.i = 0

    def next(self):
        r = self.responses[min(self.i, len(self.responses) - 1)]
        self.i += 1
        return r


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class WebServer:
    """`with WebServer() as srv:` ... `srv.url('/feed.xml')`, `srv.routes['/x'] = Page(...)`."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.log: list[Request] = []
        self.lock = threading.Lock()
        self.hooks: dict[str, threading.Event] = {}  # path -> set when requested
        server = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server.lock:
                    server.log.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
                path = self.path.split("?", 1)[0]
                hook = server.hooks.get(path)
                if hook is not None:
                    hook.set()
                route = server.routes.get(self.path, server.routes.get(path))
                if isinstance(route, Sequence):
                    route = route.next()
                try:
                    if route is None:
                        self._send(404, b"not found", {"Content-Type": "text/plain"})
                    elif callable(route):
                        route(self)
                    elif isinstance(route, Raw):
                        self._send(route.status, route.body, route.headers)
                    elif isinstance(route, Page):
                        self._page(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _page(self, page: Page) -> None:
                headers = {"Content-Type": page.content_type, **page.headers}
                if page.etag:
                    headers["ETag"] = page.tag()
                if page.last_modified:
                    headers["Last-Modified"] = page.last_modified
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if (page.etag and inm == page.tag()) or (not page.etag and ims and ims == page.last_modified):
                    self._send(304, b"", {k: v for k, v in headers.items() if k != "Content-Type"})
                    return
                self._send(200, page.body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:  # clients hanging up are expected
                pass

        self.httpd = Quiet(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests_for(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.path == path]

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.log]

    def __enter__(self) -> WebServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------- hostile handlers
def slow_drip(seconds_per_byte: float, total: int = 10_000) -> Handler:
    """Headers at once, then one byte at a time, forever-ish (defeats a per-read timeout)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(total))
        h.end_headers()
        for _ in range(total):
            h.wfile.write(b"a")
            h.wfile.flush()
            time.sleep(seconds_per_byte)

    return handle


def hang(seconds: float) -> Handler:
    """Accept the request and say nothing for a while (a read timeout)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        h.close_connection = True

    return handle


def endless(chunk: int = 65536) -> Handler:
    """A body with no Content-Length that never ends (until the client hangs up)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        for _ in range(100_000):
            h.wfile.write(block)

    return handle


def gzip_bomb(megabytes: int = 50) -> Handler:
    """A small gzip body that inflates to many megabytes."""
    payload = gzip.compress(b"<p>" + b"A" * (megabytes * 1024 * 1024) + b"</p>", compresslevel=9)

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    return handle


# ---------------------------------------------------------------- content builders
CATALOG_CSV = (
    "type,name,name_zh,aliases,wikidata,market,maker\n"
    "Vendor,Microsoft,微软,MSFT,Q2283,cloud,\n"
    "Vendor,Google,谷歌,,Q95,cloud,\n"
    "Product,Kubernetes,,K8s,,containers,Google\n"
)


def article_html(title: str, paragraphs: list[str], *, charset: str = "utf-8", canonical: str | None = None,
                 meta_charset: bool = True) -> bytes:
    """A news page with boilerplate around one <article>, encoded in `charset`."""
    head = f'<meta charset="{charset}">' if meta_charset else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head>{head}<title>{title}</title>{link}</head><body>"
        f"<nav><a href='/'>Home</a> | <a href='/about'>About</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>"
    ).encode(charset)


def en_paragraphs(i: int) -> list[str]:
    return [
        f"Microsoft announced on Tuesday that it partners with Google on Kubernetes release {i}. "
        "The two companies said the work would make container clusters easier to run.",
        f"Analysts said story number {i} shows how cloud vendors compete and cooperate at the same time. "
        "Customers have asked for simpler tools for years, and both firms now promise them.",
        "The project will be shown at a developer conference later this year, the companies said.",
    ]


def rss(items: list[tuple[str, str]], *, title: str = "Example feed", pubdate: str = "Mon, 02 Nov 2026 10:00:00 GMT"
        ) -> bytes:
    """An RSS 2.0 feed of (title, link) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{pubdate}</pubDate>"
        f"<description>Summary of {t}</description></item>"
        for t, link in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
        f"<link>http://example.invalid/</link><description>d</description>{entries}</channel></rss>"
    ).encode()


def use_test_catalog(tmp_path_factory, monkeypatch) -> None:
    """Point ECOKG_CATALOG at a tiny catalog while kg/catalog.csv is not in the checkout."""
    from pathlib import Path

    if (Path(__file__).resolve().parents[1] / "kg" / "catalog.csv").exists():
        return
    path = tmp_path_factory.getbasetemp() / "web-catalog.csv"
    if not path.exists():
        path.write_text(CATALOG_CSV, encoding="utf-8")
    monkeypatch.setenv("ECOKG_CATALOG", str(path))
