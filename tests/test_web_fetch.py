"""The fetcher against a real HTTP server on 127.0.0.1: conditional GET, retries, limits, robots, redirects."""

from __future__ import annotations

import random

import pytest
from web_server import Page, Raw, Sequence, WebServer, endless, gzip_bomb, hang, slow_drip

from ingest.web.fetch import (
    Fetcher,
    FetchError,
    HostLimiter,
    backoff_delay,
    parse_content_type,
    parse_retry_after,
)
from ingest.web.sources import FetchSettings

FAST = FetchSettings(delay=0, connect_timeout=2, timeout=2, deadline=5, backoff=0.05, retries=2, max_bytes=200_000)


@pytest.fixture
def srv():
    with WebServer() as s:
        s.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private\n", "text/plain")
        yield s


@pytest.fixture
def fetcher():
    f = Fetcher(FAST)
    yield f
    f.close()


def test_conditional_get_with_etag_then_304(srv, fetcher):
    srv.routes["/a"] = Page(b"<html><body><p>hello</p></body></html>")
    first = fetcher.get(srv.url("/a"), allow_private=True)
    assert first.status == 200 and first.body.startswith(b"<html>") and first.etag
    second = fetcher.get(srv.url("/a"), allow_private=True, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    sent = srv.requests_for("/a")[-1].headers
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == first.last_modified
    assert sent["user-agent"].startswith("ecokg/")


def test_conditional_get_with_last_modified_only(srv, fetcher):
    srv.routes["/lm"] = Page(b"<html><body>x</body></html>", etag=False)
    first = fetcher.get(srv.url("/lm"), allow_private=True)
    assert first.etag is None and first.last_modified
    assert fetcher.get(srv.url("/lm"), allow_private=True, last_modified=first.last_modified).not_modified


def test_429_with_retry_after_is_retried(srv, fetcher):
    srv.routes["/busy"] = Sequence(Raw(429, b"slow down", {"Retry-After": "0"}), Page(b"<html>ok</html>"))
    resp = fetcher.get(srv.url("/busy"), allow_private=True)
    assert resp.status == 200 and resp.attempts == 2
    assert len(srv.requests_for("/busy")) == 2


def test_retry_after_longer_than_allowed_fails_at_once(srv):
    srv.routes["/later"] = Raw(503, b"", {"Retry-After": "3600"})
    f = Fetcher(FetchSettings(**{**FAST.__dict__, "max_retry_after": 10}))
    with pytest.raises(FetchError, match="Retry-After 3600s"):
        f.get(srv.url("/later"), allow_private=True)
    assert len(srv.requests_for("/later")) == 1


def test_5xx_retried_with_backoff_then_given_up(srv, fetcher):
    srv.routes["/flaky"] = Sequence(Raw(500), Raw(502), Page(b"<html>fine</html>"))
    assert fetcher.get(srv.url("/flaky"), allow_private=True).attempts == 3
    srv.routes["/down"] = Raw(500)
    with pytest.raises(FetchError, match=r"HTTP 500 after 3 attempts"):
        fetcher.get(srv.url("/down"), allow_private=True)
    assert len(srv.requests_for("/down")) == 3


def test_read_timeout_is_a_failure_after_retries(srv):
    srv.routes["/hang"] = hang(3)
    f = Fetcher(FetchSettings(**{**FAST.__dict__, "timeout": 0.3, "retries": 1}))
    with pytest.raises(FetchError, match="connection failed: .*Timeout"):
        f.get(srv.url("/hang"), allow_private=True)
    assert len(srv.requests_for("/hang")) == 2


def test_slow_drip_is_cut_off_by_the_deadline(srv):
    srv.routes["/drip"] = slow_drip(0.05, total=1000)
    f = Fetcher(FetchSettings(**{**FAST.__dict__, "deadline": 0.5}))
    with pytest.raises(FetchError, match="longer than 0.5s"):
        f.get(srv.url("/drip"), allow_private=True)


def test_declared_oversize_body_refused_before_reading(srv, fetcher):
    srv.routes["/big"] = Page(b"x" * 300_000)
    with pytest.raises(FetchError, match="too large: 300,000 bytes declared"):
        fetcher.get(srv.url("/big"), allow_private=True)


def test_endless_body_is_cut_off(srv, fetcher):
    srv.routes["/endless"] = endless()
    with pytest.raises(FetchError, match="cut off after 200,000 bytes"):
        fetcher.get(srv.url("/endless"), allow_private=True)


def test_gzip_bomb_is_cut_off_on_decoded_size(srv, fetcher):
    srv.routes["/bomb"] = gzip_bomb(50)
    with pytest.raises(FetchError, match="cut off after 200,000 bytes"):
        fetcher.get(srv.url("/bomb"), allow_private=True)


def test_wrong_content_type_refused(srv, fetcher):
    srv.routes["/img"] = Page(b"\x89PNG....", "image/png")
    with pytest.raises(FetchError, match="wrong content type 'image/png'"):
        fetcher.get(srv.url("/img"), allow_private=True)
    srv.routes["/page.xml"] = Page(b"<rss/>", "application/rss+xml")
    with pytest.raises(FetchError, match="wrong content type"):
        fetcher.get(srv.url("/page.xml"), allow_private=True, purpose="page")
    assert fetcher.get(srv.url("/page.xml"), allow_private=True, purpose="feed").status == 200


def test_redirects_followed_and_limited(srv, fetcher):
    srv.routes["/r1"] = Raw(301, b"", {"Location": "/r2"})
    srv.routes["/r2"] = Raw(302, b"", {"Location": srv.url("/target")})
    srv.routes["/target"] = Page(b"<html>here</html>")
    resp = fetcher.get(srv.url("/r1"), allow_private=True)
    assert resp.final_url == srv.url("/target") and resp.redirects == [srv.url("/r1"), srv.url("/r2")]
    srv.routes["/loop"] = Raw(302, b"", {"Location": "/loop"})
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.get(srv.url("/loop"), allow_private=True)
    assert len(srv.requests_for("/loop")) == FAST.max_redirects + 1


def test_redirect_rechecked_scheme_and_robots(srv, fetcher):
    srv.routes["/to-ftp"] = Raw(302, b"", {"Location": "ftp://127.0.0.1/file"})
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.get(srv.url("/to-ftp"), allow_private=True)
    srv.routes["/to-private"] = Raw(302, b"", {"Location": "/private/secret"})
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher.get(srv.url("/to-private"), allow_private=True)
    assert not srv.requests_for("/private/secret")


def test_robots_disallow_respected_and_cached(srv, fetcher):
    srv.routes["/private/x"] = Page(b"<html>secret</html>")
    srv.routes["/public"] = Page(b"<html>ok</html>")
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher.get(srv.url("/private/x"), allow_private=True)
    fetcher.get(srv.url("/public"), allow_private=True)
    assert not srv.requests_for("/private/x")
    assert len(srv.requests_for("/robots.txt")) == 1


def test_robots_crawl_delay_and_missing_or_failing_robots(srv):
    srv.routes["/robots.txt"] = Page(b"User-agent: ecokg\nCrawl-delay: 7\nDisallow: /nope\n", "text/plain")
    srv.routes["/yes"] = Page(b"<html>yes</html>")
    f = Fetcher(FAST)
    assert f.get(srv.url("/yes"), allow_private=True).status == 200
    assert f._host_delay(srv.url("/yes")) == 7
    assert not f.robots.allows(srv.url("/nope"))
    assert len(srv.requests_for("/robots.txt")) == 1
    # 404 robots: everything allowed; 5xx robots: nothing allowed (RFC 9309)
    with WebServer() as other:
        other.routes["/page"] = Page(b"<html>p</html>")
        g = Fetcher(FAST)
        assert g.get(other.url("/page"), allow_private=True).status == 200
    with WebServer() as broken:
        broken.routes["/robots.txt"] = Raw(503)
        broken.routes["/page"] = Page(b"<html>p</html>")
        h = Fetcher(FAST)
        with pytest.raises(FetchError, match="disallowed by robots.txt"):
            h.get(broken.url("/page"), allow_private=True)
        assert not broken.requests_for("/page")


def test_loopback_refused_unless_allowed(srv, fetcher):
    srv.routes["/a"] = Page(b"<html>a</html>")
    with pytest.raises(FetchError, match="loopback"):
        fetcher.get(srv.url("/a"))
    assert srv.log == []


def test_pure_helpers():
    assert parse_content_type("text/html; charset=GBK") == ("text/html", "GBK")
    assert parse_content_type(None) == ("", None)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert parse_retry_after("soon") is None
    rng = random.Random(1)
    delays = [backoff_delay(a, 1.0, rng) for a in range(6) for _ in range(50)]
    assert all(0.5 <= d <= 32 for d in delays) and len(set(delays)) > 10


def test_host_limiter_spaces_requests_per_host():
    now = [0.0]
    slept: list[tuple[str, float]] = []
    current = {"host": ""}

    def sleep(s: float) -> None:
        slept.append((current["host"], s))

    lim = HostLimiter(sleep=sleep, clock=lambda: now[0])
    for host in ["a", "a", "b", "a", "b"]:
        current["host"] = host
        lim.wait(host, 2.0)
    # a: slots at 0, 2, 4 -> waits 2 and 4; b: slots 0, 2 -> wait 2
    assert slept == [("a", 2.0), ("a", 4.0), ("b", 2.0)]


def test_peer_address_checked_after_connecting(srv):
    """DNS rebinding: the name resolved to a public address, but the connection reached loopback."""
    srv.routes["/a"] = Page(b"<html>a</html>")
    f = Fetcher(FAST, resolver=lambda host, port: ["93.184.216.34"])
    with pytest.raises(FetchError, match="connected to 127.0.0.1, loopback"):
        f.get(srv.url("/a"))
    assert srv.log == []  # refused before sending a byte, robots.txt included


def test_retry_after_defers_the_whole_host():
    now = [100.0]
    slept: list[float] = []
    lim = HostLimiter(sleep=slept.append, clock=lambda: now[0])
    lim.wait("a", 1.0)  # slot 100, next 101
    lim.defer("a", 30.0)  # Retry-After: 30 -> nothing before 130
    lim.wait("a", 1.0)
    lim.wait("b", 1.0)  # other hosts are not held up
    assert slept == [30.0]


def test_429_retry_after_seconds_honoured(srv, fetcher):
    srv.routes["/limited"] = Sequence(Raw(429, b"", {"Retry-After": "1"}), Page(b"<html>ok</html>"))
    sleeps: list[float] = []
    f = Fetcher(FAST, sleep=sleeps.append)
    resp = f.get(srv.url("/limited"), allow_private=True)
    assert resp.attempts == 2 and len(srv.requests_for("/limited")) == 2
    assert any(0.5 < s <= 1.0 for s in sleeps)  # the second request waited for the Retry-After slot


def test_parallel_fetches_keep_per_host_spacing(srv):
    """Four workers, two hosts, delay 5 s: each host's requests get slots 5 s apart (sleeps recorded, not slept)."""
    from concurrent.futures import ThreadPoolExecutor

    for i in range(4):
        srv.routes[f"/p{i}"] = Page(b"<html>p</html>")
    waits: list[float] = []
    f = Fetcher(FetchSettings(**{**FAST.__dict__, "delay": 5.0}), sleep=waits.append)
    other = srv.base.replace("127.0.0.1", "localhost")
    urls = [srv.url(f"/p{i}") for i in range(4)] + [f"{other}/p{i}" for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        assert [r.status for r in pool.map(lambda u: f.get(u, allow_private=True), urls)] == [200] * 8
    # per host: robots.txt at 0 s, then the four pages at 5, 10, 15 and 20 s
    assert sorted(round(w) for w in waits) == [5, 5, 10, 10, 15, 15, 20, 20]
    assert {r.headers["host"].split(":")[0] for r in srv.log} == {"127.0.0.1", "localhost"}
