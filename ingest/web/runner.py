"""One ingest run over a list of sources: discover, fetch in a small thread pool, extract, record.

Threads only fetch and parse (I/O); the main thread alone writes to the store
and to the fetch state, one article per transaction, and records a URL's
validators only after its article is committed. A stop request (SIGINT/SIGTERM)
lets the articles in hand finish and leaves the rest for the next run.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from ingest.ingestion import (
    ExtractBatch,
    IngestReport,
    ensure_catalog,
    ingest_articles,
    local_extract_batch,
    read_articles,
)
from ingest.text import ArticleError, article_from_bytes, decode_bytes
from ingest.web.canon import article_key, canonical_url, sniff_meta_charset
from ingest.web.feeds import FeedError, FeedItem, parse_feed, parse_sitemap
from ingest.web.fetch import Fetcher, FetchError, Response
from ingest.web.runs import RunRecord, new_run, write_run
from ingest.web.sources import FetchSettings, Source
from ingest.web.state import FetchState, UrlState
from kg.model import Article
from kg.store import Store

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Failures worth another try next run: the source's validators are not saved after them.
TRANSIENT = ("connection failed", "HTTP 5", "HTTP 429", "response took", "reading the body", "run stopped",
             "extraction failed", "store write failed", "unexpected")
MAX_NESTED_SITEMAPS = 50
WINDOW = 32  # pages fetched ahead: one extraction batch of ingest_articles

Tick = Callable[[str, str], None]  # (item, outcome) for progress display


@dataclass(frozen=True)
class WorkItem:
    """One page to fetch, from a source."""

    source: Source
    url: str
    canon: str
    feed: FeedItem | None = None


@dataclass
class Fetched:
    """What a worker brings back for one item."""

    item: WorkItem
    outcome: str  # article, not_modified, failed
    article: Article | None = None
    reason: str = ""
    response: Response | None = None


@dataclass
class RunContext:
    store: Store
    state: FetchState
    fetcher: Fetcher
    run: RunRecord
    extract_batch: ExtractBatch
    stop: threading.Event
    tick: Tick | None = None
    grow: Callable[[int], None] | None = None  # the progress bar learns of more items
    source_failed: set[str] = field(default_factory=set)
    feed_states: list[tuple[str, UrlState]] = field(default_factory=list)


def is_transient(reason: str) -> bool:
    return reason.startswith(TRANSIENT)


# ---------------------------------------------------------------------------- pure helpers
def interleave_by_host(items: Iterable[WorkItem]) -> list[WorkItem]:
    """Round-robin across hosts, so the pool works on several hosts while each waits its delay."""
    queues: dict[str, deque[WorkItem]] = {}
    for it in items:
        queues.setdefault(urlsplit(it.url).netloc.lower(), deque()).append(it)
    out: list[WorkItem] = []
    while queues:
        for host in list(queues):
            q = queues[host]
            out.append(q.popleft())
            if not q:
                del queues[host]
    return out


def build_article(item: WorkItem, resp: Response) -> Article:
    """Bytes of a fetched page to an Article keyed by its canonical URL; ArticleError if no main text."""
    body = resp.body
    charset = resp.charset or sniff_meta_charset(body)
    head = body[:1024].lstrip().lower()
    is_html = resp.content_type in HTML_TYPES or (
        not resp.content_type and head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))
    )
    html = None
    if is_html:
        try:
            html = decode_bytes(body, charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ArticleError(item.canon, f"undecodable text ({exc})") from None
    key = article_key(resp.final_url, html)
    article = article_from_bytes(
        body, item.canon, key=key, is_html=is_html, declared_charset=charset, url=key
    )
    if item.feed is not None:
        article.title = article.title or item.feed.title
        article.date = item.feed.date or article.date  # the feed's date is metadata; the text's a guess
    if item.source.lang and not article.lang:
        article.lang = item.source.lang
    return article


# ---------------------------------------------------------------------------- worker side
def fetch_item(ctx: RunContext, item: WorkItem) -> Fetched:
    """Fetch and parse one page (runs in a worker thread; never raises)."""
    try:
        st = ctx.state.get(item.canon)
        resp = ctx.fetcher.get(
            item.url,
            allow_private=item.source.allow_private,
            etag=st.etag if st else None,
            last_modified=st.last_modified if st else None,
        )
        if resp.not_modified:
            return Fetched(item, "not_modified", response=resp)
        try:
            article = build_article(item, resp)
        except ArticleError as exc:
            return Fetched(item, "failed", reason=exc.reason, response=resp)
        return Fetched(item, "article", article=article, response=resp)
    except FetchError as exc:
        return Fetched(item, "failed", reason=exc.reason)
    except Exception as exc:  # noqa: BLE001 - a hostile page must not end the run
        return Fetched(item, "failed", reason=f"unexpected {type(exc).__name__}: {exc}")


def fetch_all(ctx: RunContext, items: list[WorkItem], workers: int) -> Iterator[Fetched]:
    """Results in completion order, with at most WINDOW + 2×workers pages in memory at once.

    The window lets the workers fetch the next extraction batch while the main
    thread extracts the current one; it does not grow with the number of items.
    """
    pending: set[Future[Fetched]] = set()
    todo = iter(items)
    window = WINDOW + 2 * workers
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ecokg-fetch") as pool:
        try:
            while True:
                while len(pending) < window and not ctx.stop.is_set():
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    pending.add(pool.submit(fetch_item, ctx, nxt))
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    if ctx.stop.is_set():  # pages fetched but not yet in hand are left for the next run
                        return
                    yield fut.result()
        finally:
            for fut in pending:
                fut.cancel()


# ---------------------------------------------------------------------------- discovery
def _fetch_listing(ctx: RunContext, src: Source, url: str, purpose: str) -> Response | None:
    """A feed or sitemap with conditional GET; None when it is unchanged or failed (recorded)."""
    canon = canonical_url(url)
    st = ctx.state.get(canon)
    try:
        resp = ctx.fetcher.get(
            url,
            allow_private=src.allow_private,
            purpose=purpose,
            etag=st.etag if st else None,
            last_modified=st.last_modified if st else None,
        )
    except FetchError as exc:
        ctx.run.fail(url, exc.reason)
        ctx.source_failed.add(src.name)
        return None
    if resp.not_modified:
        ctx.run.unchanged += 1
        return None
    ctx.run.fetched += 1
    ctx.feed_states.append(
        (src.name, UrlState(url=canon, etag=resp.etag, last_modified=resp.last_modified, outcome="listing"))
    )
    return resp


def discover(ctx: RunContext, src: Source) -> list[WorkItem]:
    """The pages a web source points at now (feed entries, sitemap URLs, or the URL itself)."""
    limit = src.max_items or 10_000
    if src.kind == "url":
        return with_failed_pages(ctx, src, [WorkItem(src, src.url, canonical_url(src.url))], fresh=True)
    feed_items: list[FeedItem] = []
    if src.kind == "feed":
        resp = _fetch_listing(ctx, src, src.url, "feed")
        if resp is None:  # unchanged (304) or failed: only the failed entries that are due
            return with_failed_pages(ctx, src, [])
        refused: list[tuple[str, str]] = []
        try:
            feed_items = parse_feed(resp.body, resp.final_url, charset=resp.charset, content_type=resp.content_type,
                                    refused=refused)
        except FeedError as exc:
            ctx.run.fail(src.url, str(exc))
            ctx.source_failed.add(src.name)
            return with_failed_pages(ctx, src, [])
        for link, why in refused:
            ctx.run.fail(link, why)
    else:  # sitemap, possibly an index of sitemaps
        queue, seen = [src.url], set()
        while queue and len(seen) < MAX_NESTED_SITEMAPS and len(feed_items) < limit and not ctx.stop.is_set():
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            resp = _fetch_listing(ctx, src, url, "sitemap")
            if resp is None:
                continue
            try:
                pages, nested = parse_sitemap(resp.body, resp.final_url, max_bytes=ctx.fetcher.settings.max_bytes)
            except FeedError as exc:
                ctx.run.fail(url, str(exc))
                ctx.source_failed.add(src.name)
                continue
            feed_items.extend(pages)
            queue.extend(nested)
    items, seen_canon = [], set()
    for fi in feed_items[:limit]:
        try:
            canon = canonical_url(fi.url)
        except ValueError as exc:  # parsers filter bad links; this is the last line of defence
            ctx.run.fail(fi.url, f"malformed URL: {exc}")
            continue
        if canon not in seen_canon:
            seen_canon.add(canon)
            items.append(WorkItem(src, fi.url, canon, fi))
    return with_failed_pages(ctx, src, items, fresh=src.kind == "feed")  # a sitemap may be partly 304


def with_failed_pages(ctx: RunContext, src: Source, items: list[WorkItem], *, fresh: bool = False) -> list[WorkItem]:
    """The items plus this source's failed pages that its listing did not give this run (a feed that
    answers 304 lists nothing): those are tried again once their back-off has passed, and until then stay
    in this run's failures. Items the listing gives are fetched as always.

    ``fresh``: the items are the source's whole listing as read now, so a failed page it no longer lists
    is forgotten rather than retried.
    """
    now = time.time()
    listed = {it.canon for it in items}
    for f in ctx.state.failures(src.name):
        if f.url in listed:
            continue
        if fresh:
            ctx.state.clear_failure(f.url)
        elif f.next_try <= now:
            items.append(WorkItem(src, f.item_url, f.url))
        else:
            when = datetime.fromtimestamp(f.next_try, UTC).strftime("%Y-%m-%d %H:%M UTC")
            ctx.run.fail(f.item_url, f"{f.reason} (failed {f.attempts} time{'s' if f.attempts > 1 else ''}; "
                                     f"next try after {when})")
    return items


# ---------------------------------------------------------------------------- the run
def _ingest_folder(ctx: RunContext, src: Source) -> IngestReport:
    report = IngestReport()

    def articles() -> Iterator[Article]:
        for a in read_articles([Path(src.path)], report):
            if ctx.stop.is_set():
                return
            if src.lang and not a.lang:
                a.lang = src.lang
            yield a

    def written(source: str, outcome: str) -> None:
        if ctx.tick:
            ctx.tick(source, outcome)

    result = ingest_articles(
        ctx.store, articles(), extract_batch=ctx.extract_batch, run_iri=ctx.run.iri, progress=written
    )
    report.merge(result)
    return report


def _ingest_web(ctx: RunContext, sources: list[Source], workers: int) -> None:
    items: list[WorkItem] = []
    seen: set[str] = set()  # a page listed by two sources is fetched once
    for src in sources:
        if ctx.stop.is_set():
            break
        found = [it for it in discover(ctx, src) if it.canon not in seen]
        seen.update(it.canon for it in found)
        items.extend(found)
        if ctx.grow:
            ctx.grow(len(found))
    items = interleave_by_host(items)

    pending: dict[str, tuple[WorkItem, UrlState]] = {}  # article source -> its state, saved once committed
    waiting: dict[str, list[UrlState]] = {}  # article source -> states of duplicates to save with it
    seen_keys: dict[str, str] = {}
    seen_hashes: dict[str, str] = {}

    def state_for(item: WorkItem, resp: Response | None, outcome: str, article: Article | None) -> UrlState:
        return UrlState(
            url=item.canon,
            etag=resp.etag if resp else None,
            last_modified=resp.last_modified if resp else None,
            content_hash=article.content_hash if article else None,
            article_key=article.key if article else None,
            outcome=outcome,
        )

    def articles() -> Iterator[Article]:
        for res in fetch_all(ctx, items, workers):
            item = res.item
            if res.response is not None and res.response.status == 200:
                ctx.run.fetched += 1
            if res.outcome == "not_modified":
                ctx.run.unchanged += 1
                ctx.state.clear_failure(item.canon)
                if ctx.tick:
                    ctx.tick(item.url, "unchanged")
                continue
            if res.outcome == "failed":
                if res.reason == "run stopped":
                    continue
                ctx.run.fail(item.url, res.reason)
                if is_transient(res.reason):
                    ctx.source_failed.add(item.source.name)
                if res.response is not None and not is_transient(res.reason):
                    # no main text, say: remember, ask conditionally next time
                    ctx.state.put(state_for(item, res.response, "no-text", None))
                    ctx.state.clear_failure(item.canon)
                else:  # 4xx, 5xx, refused, unreachable: tried again on later runs, with back-off
                    ctx.state.record_failure(item.canon, item.source.name, item.url, res.reason)
                if ctx.tick:
                    ctx.tick(item.url, "failed")
                continue
            art = res.article
            assert art is not None
            first = seen_keys.get(art.key) or seen_hashes.get(art.content_hash)
            if first is not None:  # the same article by another URL in this very run
                ctx.run.unchanged += 1
                waiting.setdefault(first, []).append(state_for(item, res.response, "duplicate", art))
                if ctx.tick:
                    ctx.tick(item.url, "unchanged")
                continue
            seen_keys[art.key] = art.source
            seen_hashes[art.content_hash] = art.source
            pending[art.source] = (item, state_for(item, res.response, "", art))
            yield art

    def written(source: str, outcome: str) -> None:
        """Called after the article is committed (or found unchanged): now its state may be saved."""
        item, st = pending.pop(source, (None, None))
        if st is not None:
            st.outcome = outcome
            ctx.state.put(st)
            ctx.state.clear_failure(st.url)
        for dup in waiting.pop(source, []):
            ctx.state.put(dup)
        if ctx.tick:
            ctx.tick(item.url if item else source, outcome)

    report = ingest_articles(
        ctx.store, articles(), extract_batch=ctx.extract_batch, run_iri=ctx.run.iri, progress=written
    )
    ctx.run.new += len(report.new)
    ctx.run.updated += len(report.updated)
    ctx.run.unchanged += len(report.unchanged)
    for src_url, reason in report.failed:
        item, _ = pending.get(src_url, (None, None))
        ctx.run.fail(item.url if item else src_url, reason)
        if item is not None:
            ctx.source_failed.add(item.source.name)


def run_sources(
    store: Store,
    sources: list[Source],
    *,
    state: FetchState,
    settings: FetchSettings | None = None,
    extract_batch: ExtractBatch = local_extract_batch,
    stop: threading.Event | None = None,
    tick: Tick | None = None,
    grow: Callable[[int], None] | None = None,
    fetcher: Fetcher | None = None,
    label: str = "ecokg ingest",
) -> RunRecord:
    """Run every given source once and record the run in the graph; never raises for one bad item."""
    stop = stop or threading.Event()
    settings = settings or FetchSettings()
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings, robots_load=state.load_robots, robots_save=state.save_robots, stop=stop)
    run = new_run([s.name for s in sources], label=label)
    write_run(store, run)
    ctx = RunContext(store, state, fetcher, run, extract_batch, stop, tick, grow)
    started = run.started.timestamp()
    for src in sources:
        state.mark_source(src.name, started=started)
    try:
        ensure_catalog(store)
        for src in (s for s in sources if s.kind == "folder"):
            if stop.is_set():
                break
            if not Path(src.path).exists():
                run.fail(src.path, "no such folder")
                continue
            report = _ingest_folder(ctx, src)
            run.fetched += len(report.new) + len(report.updated) + len(report.unchanged)
            run.new += len(report.new)
            run.updated += len(report.updated)
            run.unchanged += len(report.unchanged)
            for item, reason in report.failed:
                run.fail(item, reason)
        web = [s for s in sources if s.kind != "folder"]
        if web and not stop.is_set():
            _ingest_web(ctx, web, settings.workers)
        if not stop.is_set():
            # A listing's validators are saved only when all its items are in, so that a
            # 304 next time really means "nothing left to do".
            for name, st in ctx.feed_states:
                if name not in ctx.source_failed:
                    state.put(st)
        run.status = "stopped" if stop.is_set() else "completed"
    except BaseException as exc:  # recorded, then raised: the run record says how it ended
        run.status = "stopped" if stop.is_set() or isinstance(exc, KeyboardInterrupt) else "failed"
        if not isinstance(exc, KeyboardInterrupt):
            run.fail("(run)", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        run.ended = datetime.now(UTC)
        write_run(store, run)
        if run.status == "completed":
            ended = run.ended.timestamp()
            for src in sources:
                state.mark_source(src.name, finished=ended)
        if own_fetcher:
            fetcher.close()
    return run
