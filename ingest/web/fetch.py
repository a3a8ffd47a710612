"""HTTP fetching done right: one session, timeouts, size cap, retries, conditional GET, politeness.

Every request goes through ``Fetcher.get``: the URL (and every redirect target)
is checked for scheme and address (``safety``) and against robots.txt; each
host sees at most one request per ``delay`` seconds (or its crawl-delay); the
body is streamed with a byte cap and a wall-clock deadline, so huge pages and
slow-drip servers end in a ``FetchError``, never in memory or time without end.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from ingest.web.guard import GuardedAdapter, unsafe_peer
from ingest.web.robots import RobotsCache, RobotsRules
from ingest.web.safety import Resolver, UnsafeURLError, check_url, system_resolver
from ingest.web.sources import FetchSettings

USER_AGENT = "ecokg/0.1 (+https://w3id.org/ecokg; knowledge-graph research crawler; obeys robots.txt)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUS = frozenset({429, 500, 502, 503, 504}) | frozenset(range(505, 600))
CHUNK = 64 * 1024

# Content types each purpose accepts; an empty Content-Type is accepted and sniffed later.
ACCEPT: dict[str, tuple[frozenset[str], str]] = {
    "page": (
        frozenset({"text/html", "application/xhtml+xml", "text/plain"}),
        "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
    ),
    "feed": (
        frozenset(
            {
                "application/rss+xml",
                "application/atom+xml",
                "application/rdf+xml",
                "application/xml",
                "text/xml",
                "application/feed+json",
                "text/plain",
                "text/html",
            }
        ),
        "application/atom+xml,application/rss+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
    ),
    "sitemap": (
        frozenset({"application/xml", "text/xml", "text/plain", "application/gzip", "application/x-gzip"}),
        "application/xml,text/xml;q=0.9,text/plain;q=0.5",
    ),
    "robots": (frozenset(), "text/plain"),  # any type: robots.txt is read as text
}


class FetchError(Exception):
    """A URL that could not be fetched; `reason` is for the run record."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class Response:
    """A fetched (200) or unchanged (304) resource."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """('text/html', 'gbk') from 'text/html; charset=GBK'."""
    if not value:
        return "", None
    parts = [p.strip() for p in value.split(";")]
    media = parts[0].lower()
    charset = None
    for p in parts[1:]:
        k, _, v = p.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            charset = v.strip().strip("\"'")
    return media, charset


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_delay(attempt: int, base: float, rng: random.Random) -> float:
    """Exponential backoff with full jitter: uniform in [0, base * 2**attempt], at least base/2."""
    cap = base * (2**attempt)
    return max(base / 2, rng.uniform(0, cap))


class HostLimiter:
    """At most one request per `delay` seconds per host, across threads (slots are reserved)."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._sleep, self._clock = sleep, clock

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + delay
        if slot > now:
            self._sleep(slot - now)

    def defer(self, host: str, seconds: float) -> None:
        """No request to `host` for `seconds` (its Retry-After), whichever thread asks next."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + seconds)


class Fetcher:
    """Fetches URLs politely and safely; one per run, shared by its worker threads."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        resolver: Resolver = system_resolver,
        sleep: Callable[[float], None] = time.sleep,
        robots_load: Callable[[str], RobotsRules | None] | None = None,
        robots_save: Callable[[RobotsRules], None] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.user_agent = self.settings.user_agent or USER_AGENT
        # Two sessions: public-only (the connected address is checked before sending) and,
        # for sources marked allow_private, one without that check.
        self.session = self._new_session(guarded=True)
        self.private_session = self._new_session(guarded=False)
        self._resolver = resolver
        self._sleep = sleep
        self._stop = stop or threading.Event()
        self.limiter = HostLimiter(sleep=self._pause)
        self._rng = random.Random()
        self._private: dict[str, bool] = {}  # origin -> allow_private, for robots.txt fetches
        self.robots = RobotsCache(self._fetch_robots, self.user_agent, load=robots_load, save=robots_save)
        self.requests_made = 0
        self._count_lock = threading.Lock()

    def _new_session(self, *, guarded: bool) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # no proxies or .netrc from the environment
        session.max_redirects = self.settings.max_redirects
        session.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
        if guarded:
            adapter = GuardedAdapter()
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        return session

    def close(self) -> None:
        self.session.close()
        self.private_session.close()

    def _pause(self, seconds: float) -> None:
        """Sleep, but wake up early when the run is asked to stop."""
        if seconds > 0:
            if self._sleep is time.sleep:
                self._stop.wait(seconds)
            else:
                self._sleep(seconds)

    # ------------------------------------------------------------------ public
    def get(
        self,
        url: str,
        *,
        allow_private: bool = False,
        purpose: str = "page",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET a URL with all the checks; raises FetchError with a reason on any failure."""
        headers = {"Accept": ACCEPT[purpose][1]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        hops: list[str] = []
        attempts = 0
        for _hop in range(self.settings.max_redirects + 1):
            self._check(current, allow_private, purpose)
            resp, n = self._request_with_retries(current, headers, allow_private, polite=purpose != "robots")
            attempts += n
            if resp.status_code in REDIRECTS:
                location = resp.headers.get("Location")
                resp.close()
                if not location:
                    raise FetchError(url, f"redirect {resp.status_code} without Location")
                hops.append(current)
                current = urljoin(current, location)
                if resp.status_code == 303:
                    headers.pop("If-None-Match", None)
                    headers.pop("If-Modified-Since", None)
                continue
            return self._finish(url, current, resp, attempts, hops, purpose, allow_private)
        raise FetchError(url, f"too many redirects (more than {self.settings.max_redirects})")

    # ------------------------------------------------------------------ steps
    def _check(self, url: str, allow_private: bool, purpose: str) -> None:
        try:
            check_url(url, allow_private=allow_private, resolver=self._resolver)
        except UnsafeURLError as exc:
            raise FetchError(url, str(exc)) from None
        if purpose != "robots":
            origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc.lower()}"
            self._private[origin] = allow_private
            if not self.robots.allows(url):
                raise FetchError(url, "disallowed by robots.txt")

    def _host_delay(self, url: str) -> float:
        delay = self.settings.delay
        try:
            crawl = self.robots.crawl_delay(url)
        except FetchError:
            crawl = None
        return max(delay, min(crawl, 60.0)) if crawl else delay

    def _request_with_retries(
        self, url: str, headers: dict[str, str], allow_private: bool, *, polite: bool = True
    ) -> tuple[requests.Response, int]:
        s = self.settings
        last_reason = ""
        host = urlsplit(url).netloc.lower()
        for attempt in range(s.retries + 1):
            if self._stop.is_set():
                raise FetchError(url, "run stopped")
            self.limiter.wait(host, self._host_delay(url) if polite else s.delay)
            with self._count_lock:
                self.requests_made += 1
            try:
                session = self.private_session if allow_private else self.session
                resp = session.get(
                    url,
                    headers=headers,
                    timeout=(s.connect_timeout, s.timeout),
                    stream=True,
                    allow_redirects=False,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                refused = unsafe_peer(exc)
                if refused is not None:
                    raise FetchError(url, f"refused {url}: {refused}") from None
                last_reason = f"connection failed: {type(exc).__name__}"
                wait = backoff_delay(attempt, s.backoff, self._rng)
            except requests.RequestException as exc:
                raise FetchError(url, f"request failed: {exc}") from None
            else:
                if resp.status_code not in RETRY_STATUS:
                    return resp, attempt + 1
                last_reason = f"HTTP {resp.status_code}"
                retry_after = parse_retry_after(resp.headers.get("Retry-After"))
                resp.close()
                if retry_after is not None and retry_after > s.max_retry_after:
                    raise FetchError(url, f"{last_reason}, Retry-After {retry_after:.0f}s is longer than allowed")
                if retry_after is not None:
                    self.limiter.defer(host, retry_after)  # the next slot for this host waits for it
                    wait = 0.0
                else:
                    wait = backoff_delay(attempt, s.backoff, self._rng)
            if attempt < s.retries:
                self._pause(wait)
        raise FetchError(url, f"{last_reason} after {s.retries + 1} attempts")

    def _finish(
        self,
        url: str,
        final: str,
        resp: requests.Response,
        attempts: int,
        hops: list[str],
        purpose: str,
        allow_private: bool,
    ) -> Response:
        media, charset = parse_content_type(resp.headers.get("Content-Type"))
        base = Response(
            url=url,
            final_url=final,
            status=resp.status_code,
            content_type=media,
            charset=charset,
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            attempts=attempts,
            redirects=hops,
        )
        if resp.status_code == 304:
            resp.close()
            return base
        if resp.status_code != 200:
            resp.close()
            raise FetchError(url, f"HTTP {resp.status_code}")
        allowed = ACCEPT[purpose][0]
        if allowed and media and media not in allowed:
            resp.close()
            raise FetchError(url, f"wrong content type {media!r} for a {purpose}")
        base.body = self._read_body(url, resp)
        return base

    def _read_body(self, url: str, resp: requests.Response) -> bytes:
        """Stream the body with a byte cap and a deadline for the whole response."""
        s = self.settings
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > s.max_bytes:
            resp.close()
            raise FetchError(url, f"body too large: {int(declared):,} bytes declared (limit {s.max_bytes:,})")
        deadline = time.monotonic() + s.deadline
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(url, f"response took longer than {s.deadline:g}s (slow server), cut off")
                if self._stop.is_set():
                    raise FetchError(url, "run stopped")
                chunk = resp.raw.read1(CHUNK, decode_content=True)
                if not chunk:  # read1 returns b"" only at the end of the body
                    break
                size += len(chunk)
                if size > s.max_bytes:
                    raise FetchError(url, f"body too large: cut off after {s.max_bytes:,} bytes")
                chunks.append(chunk)
        except (requests.RequestException, OSError, ValueError) as exc:
            raise FetchError(url, f"reading the body failed: {type(exc).__name__}: {exc}") from None
        except Exception as exc:  # urllib3 read/decode errors (ProtocolError, DecodeError, ...)
            if isinstance(exc, FetchError):
                raise
            raise FetchError(url, f"reading the body failed: {type(exc).__name__}: {exc}") from None
        finally:
            resp.close()
        return b"".join(chunks)

    def _fetch_robots(self, robots_url: str) -> tuple[int, bytes]:
        """robots.txt for an origin: (status, body); (0, b'') when unreachable."""
        origin = robots_url.rsplit("/", 1)[0]
        allow_private = self._private.get(origin, False)
        try:
            resp = self.get(robots_url, allow_private=allow_private, purpose="robots")
        except FetchError as exc:
            if exc.reason.startswith("refused"):  # an unsafe address: refuse the page too, say why
                raise
            if exc.reason.startswith("HTTP 4"):
                return 404, b""
            return 0, b""
        return resp.status, resp.body
