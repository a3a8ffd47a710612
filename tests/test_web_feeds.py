"""Feed and sitemap parsing: pure, bytes in, items out."""

from __future__ import annotations

import pytest

from ingest.web.feeds import FeedError, parse_feed, parse_sitemap

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example</title>
  <entry><title>First</title><link href="/posts/1"/><updated>2026-10-30T12:00:00Z</updated>
    <summary>One</summary></entry>
  <entry><title>Second</title><link rel="alternate" href="https://other.example/2?utm_source=atom"/>
    <published>2026-11-01T08:00:00+08:00</published></entry>
  <entry><title>Dup</title><link href="/posts/1"/></entry>
  <entry><title>No link</title></entry>
  <entry><title>Bad port</title><link href="http://a.example:99999/x"/></entry>
  <entry><title>Script</title><link href="javascript:alert(1)"/></entry>
</feed>
"""


def test_atom_entries_links_dates_summaries():
    items = parse_feed(ATOM.encode(), "https://blog.example/feed.atom")
    assert [(i.url, i.title, i.date) for i in items] == [
        ("https://blog.example/posts/1", "First", "2026-10-30"),
        ("https://other.example/2?utm_source=atom", "Second", "2026-11-01"),
    ]
    assert items[0].summary == "One"


def test_rss_in_gb18030_with_declared_charset():
    rss = ('<?xml version="1.0" encoding="gb18030"?><rss version="2.0"><channel><title>新闻</title>'
           '<item><title>华为发布新芯片</title><link>http://news.example.cn/a/1</link></item>'
           '</channel></rss>').encode("gb18030")
    [item] = parse_feed(rss, "http://news.example.cn/rss")
    assert item.title == "华为发布新芯片" and item.url == "http://news.example.cn/a/1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02 not xml", "malformed feed"),
        (b"<rss><channel><item><title>cut", "malformed feed"),
        (b"<html><body><p>a web page</p></body></html>", "not an RSS or Atom feed"),
        (b'<rss version="2.0"><channel><item><title>x</title></item></channel></rss>', r"has an http\(s\) link"),
    ],
)
def test_not_a_usable_feed(data, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(data, "http://x.example/feed")


def test_empty_feed_is_not_an_error():
    assert parse_feed(b'<rss version="2.0"><channel><title>quiet</title></channel></rss>', "http://x.example/") == []


def test_sitemaps():
    index = (b"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             b"<sitemap><loc>https://s.example/a.xml</loc></sitemap></sitemapindex>")
    assert parse_sitemap(index, "https://s.example/") == ([], ["https://s.example/a.xml"])
    urlset = (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc> /p/1 </loc>"
              b"<lastmod>2026-11-02T10:00:00Z</lastmod></url><url><loc>ftp://s.example/x</loc></url></urlset>")
    pages, nested = parse_sitemap(urlset, "https://s.example/sitemap.xml")
    assert [(p.url, p.date) for p in pages] == [("https://s.example/p/1", "2026-11-02")] and nested == []
    text = b"https://s.example/1\n\nhttps://s.example/2\nnot a url at all\n"
    assert [p.url for p in parse_sitemap(text, "https://s.example/")[0]][:2] == ["https://s.example/1",
                                                                                  "https://s.example/2"]
    with pytest.raises(FeedError, match="root element <html>"):
        parse_sitemap(b"<html><body/></html>", "https://s.example/")


def test_sitemap_entity_bomb_refused():
    ents = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{ents}]><urlset><url><loc>&l9;</loc></url></urlset>'
    with pytest.raises(FeedError, match="malformed sitemap XML"):
        parse_sitemap(bomb.encode(), "https://s.example/")


def test_sitemap_external_entities_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
           f"<urlset><url><loc>https://s.example/&x;</loc></url></urlset>").encode()
    try:
        pages, _ = parse_sitemap(xxe, "https://s.example/")
    except FeedError:
        return
    assert all("TOPSECRET" not in p.url for p in pages)


def test_gzipped_sitemap_and_its_bomb():
    import gzip

    urlset = b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>https://s.example/g</loc></url></urlset>"
    pages, _ = parse_sitemap(gzip.compress(urlset), "https://s.example/sitemap.xml.gz")
    assert [p.url for p in pages] == ["https://s.example/g"]
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    with pytest.raises(FeedError, match="larger than 1,000,000 bytes"):
        parse_sitemap(bomb, "https://s.example/", max_bytes=1_000_000)
    with pytest.raises(FeedError, match="bad gzip data"):
        parse_sitemap(b"\x1f\x8b\x08garbage", "https://s.example/")
