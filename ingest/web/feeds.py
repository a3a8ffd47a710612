"""Feeds (RSS/Atom via feedparser) and sitemaps (XML or text) into lists of items to fetch.

Parsing is pure: bytes in, items out, or a ``FeedError`` for a document that is
not a feed or sitemap at all. A feed with some broken entries keeps the good ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_ITEMS = 10_000


class FeedError(ValueError):
    """Not a usable feed or sitemap; str() says why."""


@dataclass(frozen=True)
class FeedItem:
    """One entry to fetch: its link and what the feed says about it."""

    url: str
    title: str | None = None
    date: str | None = None  # ISO date
    summary: str | None = None


def _iso_date(struct: time.struct_time | None) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%d", struct)
    except (TypeError, ValueError):
        return None


def _http_link(link: str | None, base: str) -> str | None:
    """An absolute http(s) URL with a host and a valid port, or None."""
    if not link or not isinstance(link, str):
        return None
    try:
        absolute = urljoin(base, link.strip())
        parts = urlsplit(absolute)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    return absolute if parts.scheme in ("http", "https") and parts.hostname else None


def parse_feed(
    data: bytes, base_url: str, *, charset: str | None = None, content_type: str | None = None,
    refused: list[tuple[str, str]] | None = None,
) -> list[FeedItem]:
    """Entries of an RSS or Atom feed with their links, titles, dates and summaries.

    Links that are not http(s) (``file:``, ``ftp:``, ``javascript:``, ...) are left out and, when
    ``refused`` is given, listed there with the reason, for the run to report.
    """
    import feedparser

    media = content_type if content_type and "xml" in content_type else "application/xml"
    headers = {"content-location": base_url, "content-type": media + (f"; charset={charset}" if charset else "")}
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            raise FeedError(f"malformed feed: {type(exc).__name__}: {exc}" if exc else "malformed feed")
        if not parsed.get("version"):
            raise FeedError("not an RSS or Atom feed")
        return []
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries[:MAX_ITEMS]:
        link = _http_link(entry.get("link"), base_url)
        if link is None:
            for candidate in entry.get("links") or []:
                if candidate.get("rel", "alternate") == "alternate":
                    link = _http_link(candidate.get("href"), base_url)
                    if link:
                        break
        if link is None:
            raw = entry.get("link") or next((c.get("href") for c in entry.get("links") or [] if c.get("href")), None)
            if refused is not None and isinstance(raw, str) and raw.strip():
                refused.append((raw.strip()[:300], f"refused link in the feed: {raw.strip()[:80]} is not an "
                                                   "http(s) URL (only http and https pages are fetched)"))
            continue
        if link in seen:
            continue
        seen.add(link)
        date = _iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        items.append(FeedItem(url=link, title=entry.get("title"), date=date, summary=entry.get("summary")))
    if not items:
        exc = parsed.get("bozo_exception")
        why = f"malformed feed: {type(exc).__name__}: {exc}" if parsed.get("bozo") and exc else "feed"
        raise FeedError(f"{why}: none of its {len(entries)} entries has an http(s) link")
    return items


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Inflate a gzip body (sitemap.xml.gz), refusing to grow past `limit` bytes."""
    import zlib

    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise FeedError(f"bad gzip data: {exc}") from None
    if len(out) > limit:
        raise FeedError(f"gzip sitemap larger than {limit:,} bytes once inflated")
    return out


def parse_sitemap(data: bytes, base_url: str, *, max_bytes: int = 50 * 1024 * 1024) -> tuple[list[FeedItem], list[str]]:
    """(pages, nested sitemaps) of an XML sitemap (gzipped or not), sitemap index or plain-text list of URLs."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data, max_bytes)
    head = data.lstrip()[:512].lower()
    if not head.startswith(b"<"):
        text = data.decode("utf-8", "replace")
        urls = [u for u in (_http_link(line, base_url) for line in text.splitlines() if line.strip()) if u]
        if not urls and text.strip():
            raise FeedError("not a sitemap: neither XML nor a list of URLs")
        return [FeedItem(url=u) for u in urls[:MAX_ITEMS]], []
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed sitemap XML: {exc}") from None
    tag = etree.QName(root).localname
    if tag not in ("urlset", "sitemapindex"):
        raise FeedError(f"not a sitemap: root element <{tag}>")
    pages: list[FeedItem] = []
    nested: list[str] = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = date = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = _http_link((child.text or "").strip(), base_url)
            elif name == "lastmod":
                date = (child.text or "").strip()[:10] or None
        if not loc:
            continue
        if tag == "sitemapindex":
            nested.append(loc)
        else:
            pages.append(FeedItem(url=loc, date=date))
        if len(pages) + len(nested) >= MAX_ITEMS:
            break
    return pages, nested
