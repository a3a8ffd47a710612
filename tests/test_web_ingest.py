"""Web ingestion end to end: a real server on 127.0.0.1, the real extractor, a real Oxigraph store."""

from __future__ import annotations

import pytest
from web_server import (
    Page,
    Raw,
    Sequence,
    WebServer,
    article_html,
    en_paragraphs,
    gzip_bomb,
    rss,
    use_test_catalog,
)

from ingest.ingestion import local_extract_batch
from ingest.web.runner import WINDOW, run_sources
from ingest.web.runs import list_runs
from ingest.web.sources import FetchSettings, Source
from ingest.web.state import FetchState
from ingest.web.view import last_runs
from kg.namespace import PROV, RUNS_GRAPH, SCHEMA
from kg.store import EmbeddedStore

SETTINGS = FetchSettings(delay=0, connect_timeout=2, timeout=2, deadline=5, backoff=0.05, retries=2,
                         max_bytes=300_000, workers=1)
ZH_GBK = "微软与谷歌宣布在云计算领域展开合作，双方将共同开发新的容器平台，并在明年推出首个版本。" * 4
ZH_BIG5 = "微軟與谷歌宣布在雲端運算領域展開合作，雙方將共同開發新的容器平台，並在明年推出首個版本。" * 4


@pytest.fixture(autouse=True)
def _catalog(tmp_path_factory, monkeypatch):
    use_test_catalog(tmp_path_factory, monkeypatch)


class Counting:
    """The real extractor, counting the articles it is asked to extract."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, articles):
        self.count += len(articles)
        return local_extract_batch(articles)


@pytest.fixture
def site():
    with WebServer() as srv:
        srv.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private\n", "text/plain")
        for i in range(3):
            srv.routes[f"/a{i}"] = Page(article_html(f"Story {i}", en_paragraphs(i)))
        srv.routes["/a0-print"] = Page(article_html("Story 0", en_paragraphs(0), canonical="/a0"))
        srv.routes["/copy"] = Page(article_html("Story 1", en_paragraphs(1)))  # same text, other URL
        # GBK declared only in the HTTP header; Big5 declared only in a meta tag
        srv.routes["/gbk"] = Page(article_html("微软和谷歌合作", [ZH_GBK], charset="gbk", meta_charset=False),
                                  "text/html; charset=GBK")
        srv.routes["/big5"] = Page(article_html("微軟和谷歌合作", [ZH_BIG5], charset="big5"), "text/html")
        srv.routes["/nomain"] = Page(b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
        srv.routes["/private/secret"] = Page(article_html("Secret", en_paragraphs(9)))
        srv.routes["/flaky"] = Sequence(Raw(500), Page(article_html("Flaky story", en_paragraphs(5))))
        srv.routes["/img"] = Page(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
        srv.routes["/bomb"] = gzip_bomb(20)
        links = ["/a0", "/a1?utm_source=rss&utm_medium=feed", "/a2", "/a0?utm_campaign=x", "/a0-print", "/copy",
                 "/gbk", "/big5", "/nomain", "/private/secret", "/flaky", "/img", "/bomb"]
        srv.routes["/feed.xml"] = Page(rss([(p, srv.url(p)) for p in links]), "application/rss+xml")
        yield srv


def _feed(srv) -> Source:
    return Source(name="site", kind="feed", url=srv.url("/feed.xml"), allow_private=True, tags=("test",))


def _article_quads(store) -> set[str]:
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <%s>) }" % RUNS_GRAPH,
                       union=False)
    return {" ".join(str(t) for t in r) for r in rows}


def _headlines(store) -> dict[str, str]:
    q = "SELECT ?key ?h WHERE { GRAPH ?g { ?g <https://w3id.org/ecokg/ns#sourceKey> ?key ; <%s> ?h } }" % (
        SCHEMA.headline
    )
    return {r[0].value: r[1].value for r in store.query(q, union=False)}


def test_feed_run_then_noop_then_update(site, tmp_path):
    extract = Counting()
    store = EmbeddedStore(tmp_path / "store")
    state = FetchState(tmp_path / "state.sqlite")
    try:
        run = run_sources(store, [_feed(site)], state=state, settings=SETTINGS, extract_batch=extract)
        # stored: a0, a1, a2, gbk, big5, flaky; the same articles by other URLs are not stored twice
        heads = _headlines(store)
        assert sorted(heads.values()) == sorted(
            ["Story 0", "Story 1", "Story 2", "微软和谷歌合作", "微軟和谷歌合作", "Flaky story"]
        )
        assert site.url("/a0") in heads and site.url("/a1") in heads  # keys are canonical URLs
        assert (run.new, run.updated, run.unchanged) == (6, 0, 2)
        assert extract.count == 6
        reasons = dict(run.failures)
        assert reasons[site.url("/nomain")] == "no main text found in the HTML page"
        assert reasons[site.url("/private/secret")] == "disallowed by robots.txt"
        assert "wrong content type 'image/png'" in reasons[site.url("/img")]
        assert "cut off after 300,000 bytes" in reasons[site.url("/bomb")]
        assert run.failed == 4 and len(site.requests_for("/flaky")) == 2
        assert not site.requests_for("/private/secret")
        # the run record, and every article points back at its run
        [rec] = list_runs(store)
        assert rec.iri == run.iri and rec.status == "completed" and rec.ended is not None
        assert (rec.fetched, rec.new, rec.unchanged, rec.failed) == (run.fetched, 6, 2, 4)
        assert rec.sources == ["site"] and dict(rec.failures) == reasons
        gen = store.query(f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{PROV.wasGeneratedBy}> "
                          f"<{run.iri}> }} }}", union=False)
        assert int(next(iter(gen))[0].value) == 6

        # second run: conditional GET of the feed answers 304, nothing extracted, no article written
        before = _article_quads(store)
        site.log.clear()
        again = run_sources(store, [_feed(site)], state=state, settings=SETTINGS, extract_batch=extract)
        assert site.paths() == ["/feed.xml"]
        assert site.requests_for("/feed.xml")[0].headers["if-none-match"]
        # the entries that failed are not retried yet (back-off) but stay in the run's failures
        assert (again.fetched, again.new, again.updated, again.failed) == (0, 0, 0, 3)
        assert {item for item, _ in again.failures} == {site.url(p) for p in ("/private/secret", "/img", "/bomb")}
        assert all("next try after" in why for _, why in again.failures)
        assert extract.count == 6 and _article_quads(store) == before

        # the feed changes and one story is rewritten: only that story is fetched in full and replaced
        site.routes["/a1"] = Page(article_html("Story 1, corrected", en_paragraphs(11)))
        links = ["/a0", "/a1?utm_source=rss", "/a2", "/copy", "/gbk", "/big5"]
        site.routes["/feed.xml"] = Page(rss([(p, site.url(p)) for p in links], pubdate="Tue, 03 Nov 2026 10:00:00 GMT"),
                                        "application/rss+xml")
        site.log.clear()
        third = run_sources(store, [_feed(site)], state=state, settings=SETTINGS, extract_batch=extract)
        assert (third.new, third.updated, third.failed) == (0, 1, 0)
        assert third.unchanged == 5 and extract.count == 7
        for path in ("/a0", "/a2", "/gbk", "/big5", "/copy"):
            assert "if-none-match" in site.requests_for(path)[0].headers
        heads = _headlines(store)
        assert heads[site.url("/a1")] == "Story 1, corrected" and len(heads) == 6
        assert len(list_runs(store)) == 3
        runs, failures = last_runs(store, 1)  # the feed no longer lists the failed entries: forgotten
        assert [(r["status"], r["new"], r["updated"]) for r in runs] == [("completed", 0, 1)]
        assert failures == [] and state.failures() == []
        runs, failures = last_runs(store)
        assert runs[-1]["new"] == 6 and runs[-1]["sources"] == "site"
        assert {f["item"] for f in failures} == {site.url(p) for p in ("/nomain", "/private/secret", "/img", "/bomb")}
    finally:
        state.close()
        store.close()


def test_failed_entries_are_retried_with_backoff_while_the_feed_is_unchanged(tmp_path, monkeypatch):
    """A feed entry that failed (404) is tried again on later runs even while the feed answers 304 (once its
    back-off has passed), and stays in each run's failures until it works; links the feed gives that are not
    http(s) are reported."""
    import ingest.web.state as state_mod

    with WebServer() as srv:
        srv.routes["/robots.txt"] = Page(b"User-agent: *\n", "text/plain")
        srv.routes["/good"] = Page(article_html("Good story", en_paragraphs(1)))
        srv.routes["/gone"] = Raw(404)
        entries = [("good", srv.url("/good")), ("gone", srv.url("/gone")), ("local", "file:///etc/passwd")]
        srv.routes["/feed.xml"] = Page(rss(entries), "application/rss+xml")
        src = Source(name="site", kind="feed", url=srv.url("/feed.xml"), allow_private=True)
        store = EmbeddedStore(tmp_path / "store")
        state = FetchState(tmp_path / "state.sqlite")
        try:
            first = run_sources(store, [src], state=state, settings=SETTINGS)
            reasons = dict(first.failures)
            assert first.new == 1 and reasons[srv.url("/gone")].startswith("HTTP 404")
            refused = [why for item, why in first.failures if item.startswith("file:") and "etc/passwd" in item]
            assert refused and "not an http(s) URL" in refused[0]
            assert [(f.url, f.attempts) for f in state.failures("site")] == [(srv.url("/gone"), 1)]

            # the feed answers 304; within the back-off the entry is not fetched, and is still a failure
            srv.log.clear()
            second = run_sources(store, [src], state=state, settings=SETTINGS)
            assert srv.paths() == ["/feed.xml"]
            assert [i for i, _ in second.failures] == [srv.url("/gone")] and second.failed == 1
            assert "HTTP 404" in second.failures[0][1] and "next try after" in second.failures[0][1]

            # past the back-off, with the feed still 304: fetched again, and still failing
            monkeypatch.setattr(state_mod, "RETRY_BASE_S", 0.0)
            state.record_failure(srv.url("/gone"), "site", srv.url("/gone"), "HTTP 404")  # due now
            srv.log.clear()
            third = run_sources(store, [src], state=state, settings=SETTINGS)
            assert srv.requests_for("/feed.xml")[0].headers.get("if-none-match") and srv.requests_for("/gone")
            assert dict(third.failures)[srv.url("/gone")].startswith("HTTP 404")
            assert [(f.url, f.attempts) for f in state.failures()] == [(srv.url("/gone"), 3)]

            # the page comes back: the next due retry stores it and forgets the failure
            srv.routes["/gone"] = Page(article_html("Back again", en_paragraphs(2)))
            srv.log.clear()
            fourth = run_sources(store, [src], state=state, settings=SETTINGS)
            assert srv.requests_for("/gone") and fourth.new == 1 and fourth.failed == 0
            assert state.failures() == []
        finally:
            state.close()
            store.close()


def test_bad_sources_fail_alone(site, tmp_path):
    site.routes["/broken.xml"] = Page(b"<rss><channel><item><title>x</ti", "application/rss+xml")
    site.routes["/notfeed.xml"] = Page(b"\x00\x01\x02binary", "application/octet-stream")
    site.routes["/nested"] = Page(article_html("Nested", ["<div>" * 25000 + en_paragraphs(3)[0] + "</div>" * 25000]))
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    site.routes["/laughs.xml"] = Page(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lololololol">{entities}]><rss version="2.0"><channel>'
        f"<title>&l9;</title><item><title>&l9;</title><link>{site.url('/a1')}</link></item></channel></rss>".encode(),
        "application/rss+xml")
    sources = [
        Source(name="broken", kind="feed", url=site.url("/broken.xml"), allow_private=True),
        Source(name="notfeed", kind="feed", url=site.url("/notfeed.xml"), allow_private=True),
        Source(name="refused", kind="url", url=site.url("/a0")),  # loopback without allow_private
        Source(name="nested", kind="url", url=site.url("/nested"), allow_private=True),
        Source(name="laughs", kind="feed", url=site.url("/laughs.xml"), allow_private=True),
        Source(name="ok", kind="url", url=site.url("/a2?utm_source=x#top"), allow_private=True),
    ]
    with EmbeddedStore(tmp_path / "store") as store, FetchState(tmp_path / "s.sqlite") as state:
        run = run_sources(store, sources, state=state, settings=SETTINGS)
        reasons = dict(run.failures)
        assert reasons[site.url("/broken.xml")].startswith("malformed feed")
        assert "wrong content type" in reasons[site.url("/notfeed.xml")]
        assert "loopback" in reasons[site.url("/a0")]
        assert not site.requests_for("/a0")
        assert run.status == "completed"
        heads = _headlines(store)
        assert site.url("/a2") in heads
        # the deeply nested page is either read or reported; the entity bomb expands to nothing big
        assert site.url("/nested") in heads or reasons[site.url("/nested")] == "no main text found in the HTML page"
        assert site.url("/a1") in heads and len(heads[site.url("/a1")]) < 100
        assert all(len(v) < 1000 for v in heads.values())


def test_sitemaps_and_folders(site, tmp_path):
    site.routes["/sitemap_index.xml"] = Page(
        f"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<sitemap><loc>{site.url('/sitemap1.xml')}</loc></sitemap></sitemapindex>".encode(), "application/xml")
    site.routes["/sitemap1.xml"] = Page(
        f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<url><loc>{site.url('/a0')}</loc><lastmod>2026-11-01</lastmod></url>"
        f"<url><loc>{site.url('/a2')}</loc></url></urlset>".encode(), "application/xml")
    # no charset anywhere: detected
    site.routes["/big5-bare"] = Page(article_html("微軟與谷歌", [ZH_BIG5], charset="big5", meta_charset=False),
                                     "text/html")
    site.routes["/gbk-bare"] = Page(article_html("微软与谷歌", [ZH_GBK], charset="gbk", meta_charset=False), "text/html")
    site.routes["/list.txt"] = Page(
        "\n".join(site.url(p) for p in ("/gbk", "/big5", "/big5-bare", "/gbk-bare")).encode(), "text/plain")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("Microsoft partners with Google.\n\nThey will build Kubernetes tools.\n",
                                    encoding="utf-8")
    sources = [
        Source(name="smx", kind="sitemap", url=site.url("/sitemap_index.xml"), allow_private=True),
        Source(name="smt", kind="sitemap", url=site.url("/list.txt"), allow_private=True, lang="zh"),
        Source(name="dir", kind="folder", path=str(folder)),
        Source(name="same", kind="url", url=site.url("/a0?utm_source=x"), allow_private=True),
    ]
    with EmbeddedStore(tmp_path / "store") as store, FetchState(tmp_path / "s.sqlite") as state:
        run = run_sources(store, sources, state=state, settings=SETTINGS)
        assert run.failed == 0 and run.new == 7
        assert len(site.requests_for("/a0")) == 1  # listed by two sources, fetched once
        heads = _headlines(store)
        assert heads[site.url("/big5-bare")] == "微軟與谷歌" and heads[site.url("/gbk-bare")] == "微软与谷歌"
        keys = set(heads)
        assert {site.url("/a0"), site.url("/a2"), site.url("/gbk"), site.url("/big5")} <= keys
        assert (folder / "one.txt").resolve().as_uri() in keys
        again = run_sources(store, sources, state=state, settings=SETTINGS)
        assert (again.new, again.updated, again.failed) == (0, 0, 0)


def test_stop_finishes_articles_in_hand_and_next_run_completes(site, tmp_path):
    import threading

    n = 40
    for i in range(n):
        site.routes[f"/s{i}"] = Page(article_html(f"Item {i}", en_paragraphs(100 + i)))
    site.routes["/many.xml"] = Page(rss([(f"s{i}", site.url(f"/s{i}")) for i in range(n)]), "application/rss+xml")
    src = Source(name="many", kind="feed", url=site.url("/many.xml"), allow_private=True)
    stop = threading.Event()
    seen: list[str] = []

    def tick(item: str, outcome: str) -> None:
        seen.append(outcome)
        if len(seen) == 5:
            stop.set()

    with EmbeddedStore(tmp_path / "store") as store, FetchState(tmp_path / "s.sqlite") as state:
        run = run_sources(store, [src], state=state, settings=SETTINGS, stop=stop, tick=tick)
        assert run.status == "stopped"
        stored = len(store.article_graphs())
        assert 5 <= stored < n and run.new == stored
        rest = run_sources(store, [src], state=state, settings=SETTINGS)
        assert rest.status == "completed" and rest.new == n - stored
        assert len(store.article_graphs()) == n
        assert len(_headlines(store)) == n


@pytest.mark.slow
def test_thousand_items_bounded_lookahead(tmp_path):
    """1,000 feed items on two hosts: all stored once; pages in memory stay bounded whatever the feed size."""
    n = 1000
    settings = FetchSettings(delay=0, timeout=5, deadline=10, backoff=0.05, workers=4)
    with WebServer() as srv:
        for i in range(n):
            text = f"Report {i}: Microsoft partners with Google on Kubernetes tooling for cloud customers this year."
            srv.routes[f"/n{i}"] = Page(article_html(f"News {i}", [text]))
        half = n // 2
        # the same server under two host names: 127.0.0.1 and localhost
        other = srv.base.replace("127.0.0.1", "localhost")
        items = [(f"n{i}", srv.url(f"/n{i}")) for i in range(half)]
        items += [(f"n{i}", f"{other}/n{i}") for i in range(half, n)]
        srv.routes["/big.xml"] = Page(rss(items), "application/rss+xml")
        src = Source(name="big", kind="feed", url=srv.url("/big.xml"), allow_private=True)
        lookahead: list[int] = []

        def tick(item: str, outcome: str) -> None:
            lookahead.append(len(srv.log) - len(lookahead))

        with EmbeddedStore(tmp_path / "store") as store, FetchState(tmp_path / "s.sqlite") as state:
            run = run_sources(store, [src], state=state, settings=settings, tick=tick)
            assert (run.new, run.failed) == (n, 0)
            assert len(store.article_graphs()) == n
        hosts = {r.headers["host"].split(":")[0] for r in srv.log}
        assert hosts == {"127.0.0.1", "localhost"}
        # requests served ahead of the articles written: the fetch window plus one extraction batch
        assert max(lookahead) <= WINDOW + 2 * settings.workers + 32 + 4


def test_run_that_cannot_start_is_recorded_as_failed(site, tmp_path, monkeypatch):
    from kg.catalog import CatalogError, load_catalog

    bad = tmp_path / "bad-catalog.csv"
    bad.write_text("type,name\nGadget,Thing\n", encoding="utf-8")
    monkeypatch.setenv("ECOKG_CATALOG", str(bad))
    load_catalog.cache_clear()
    try:
        with EmbeddedStore(tmp_path / "store") as store, FetchState(tmp_path / "s.sqlite") as state:
            with pytest.raises(CatalogError):
                run_sources(store, [_feed(site)], state=state, settings=SETTINGS)
            [rec] = list_runs(store)
            assert rec.status == "failed" and rec.ended is not None
            assert rec.failures[0][0] == "(run)" and "unknown type 'Gadget'" in rec.failures[0][1]
            assert state.source_times()["site"][1] is None  # not marked finished: due again
    finally:
        load_catalog.cache_clear()
