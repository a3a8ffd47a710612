"""The sources file, URL canonicalisation and address safety: pure functions and the `sources` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecokg.cli import main
from ingest.web.canon import article_key, canonical_url, rel_canonical, same_site, sniff_meta_charset
from ingest.web.safety import UnsafeURLError, address_problem, check_url
from ingest.web.sources import SourcesError, load_sources, parse_interval, parse_sources_text

GOOD = """\
# ecokg sources
[fetch]
delay = 2
workers = 3

[[source]]
name = "lwn"
kind = "feed"
url = "https://lwn.net/headlines/rss"
tags = ["linux", "kernel"]
lang = "en"
every = "6h"

[[source]]
kind = "sitemap"
url = "https://example.com/sitemap.xml"
cron = "0 */4 * * *"

[[source]]
name = "local"
kind = "folder"
path = "corpus/"
"""


def parse(text: str):
    return parse_sources_text(text, Path("sources.toml"))


def test_parse_good_file():
    sf = parse(GOOD)
    assert [s.name for s in sf.sources] == ["lwn", "example-com-sitemap-xml", "local"]
    lwn = sf.sources[0]
    assert lwn.tags == ("linux", "kernel") and lwn.lang == "en" and lwn.schedule == "every 6h" and lwn.line == 6
    assert sf.sources[1].schedule == "cron 0 */4 * * *"
    assert sf.sources[2].kind == "folder" and sf.sources[2].path == "corpus/"
    assert sf.fetch.delay == 2.0 and sf.fetch.workers == 3 and sf.fetch.max_bytes == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[[source]]\nkind = "feed"\nurl = \n', 3, "not valid TOML"),
        ('[[source]]\nkind = "feed"\nurl = "https://a.example/f"\n\n[[source]]\nkind = "blog"\nurl = "https://b"\n',
         6, "kind must be one of"),
        ('[[source]]\nkind = "feed"\nurl = "ftp://a.example/f"\n', 3, "only http and https"),
        ('[[source]]\nkind = "feed"\nurl = "https://a.example/f"\nevery = "often"\n', 4, "bad interval"),
        ('[[source]]\nkind = "feed"\nurl = "https://a.example/f"\ncron = "61 * * * *"\n', 4, "bad cron"),
        ('[[source]]\nkind = "feed"\nurl = "https://a.example/f"\nlang = "fr"\n', 4, "lang must be"),
        ('[[source]]\nkind = "feed"\nurl = "https://a.example/f"\nallow_private = "yes"\n', 4, "true or false"),
        ('[[source]]\nkind = "feed"\nurl = "https://a.example/f"\ncolour = "red"\n', 4, "unknown key 'colour'"),
        ('[[source]]\nkind = "folder"\n', 1, "needs path"),
        ('[fetch]\ndelay = -1\n', 2, "out of range"),
        ('[[source]]\nname="x"\nkind="url"\nurl="https://a.example/"\n[[source]]\nname="x"\nkind="url"\n'
         'url="https://b.example/"\n', 5, "duplicate source name 'x'"),
    ],
)
def test_malformed_files_name_the_line(text, line, message):
    with pytest.raises(SourcesError) as err:
        parse(text)
    assert f"sources.toml:{line}:" in str(err.value)
    assert message in str(err.value)


def test_intervals():
    assert parse_interval("90s") == 90 and parse_interval("15m") == 900 and parse_interval("1.5h") == 5400
    assert parse_interval("2w") == 14 * 86400
    with pytest.raises(ValueError):
        parse_interval("0h")


def test_missing_file_is_empty(tmp_path):
    assert load_sources(tmp_path / "none.toml").sources == []


def test_cli_add_list_remove_keeps_comments(tmp_path, capsys):
    f = tmp_path / "sources.toml"
    f.write_text("# my feeds, keep this comment\n", encoding="utf-8")
    assert main(["sources", "add", "http://127.0.0.1:9/feed.xml", "--file", str(f), "--name", "t",
                 "--tag", "test", "--lang", "zh", "--every", "2h", "--allow-private"]) == 0
    assert main(["sources", "add", str(tmp_path / "articles"), "--kind", "folder", "--file", str(f)]) == 0
    text = f.read_text(encoding="utf-8")
    assert text.startswith("# my feeds, keep this comment")
    sf = load_sources(f)
    assert [(s.name, s.kind, s.lang, s.every, s.allow_private) for s in sf.sources] == [
        ("t", "feed", "zh", "2h", True),
        ("articles", "folder", None, None, False),
    ]
    capsys.readouterr()
    assert main(["sources", "list", "--file", str(f)]) == 0
    out = capsys.readouterr().out
    assert "t " in out and "http://127.0.0.1:9/feed.xml" in out and "every 2h" in out and "allow_private" in out
    # duplicates and private addresses are refused
    assert main(["sources", "add", "http://127.0.0.1:9/feed.xml", "--file", str(f), "--allow-private"]) == 2
    assert main(["sources", "add", "http://127.0.0.1:9/other.xml", "--file", str(f)]) == 2
    assert "loopback" in capsys.readouterr().err
    assert main(["sources", "remove", "t", "--file", str(f)]) == 0
    assert [s.name for s in load_sources(f).sources] == ["articles"]
    assert f.read_text(encoding="utf-8").startswith("# my feeds, keep this comment")
    assert main(["sources", "remove", "t", "--file", str(f)]) == 2


def test_cli_reports_malformed_file_line(tmp_path, capsys):
    f = tmp_path / "sources.toml"
    f.write_text('[[source]]\nkind = "feed"\nurl = "https://a.example/f"\nevery = "soon"\n', encoding="utf-8")
    assert main(["sources", "list", "--file", str(f)]) == 2
    assert f"{f}:4:" in capsys.readouterr().err


# ---------------------------------------------------------------- canonical URLs
def test_canonical_url_strips_tracking_and_normalises():
    assert canonical_url("HTTPS://Example.COM:443/a/b?utm_source=x&b=2&a=1&fbclid=zz#frag") == (
        "https://example.com/a/b?a=1&b=2"
    )
    assert canonical_url("http://example.com") == "http://example.com/"
    assert canonical_url("http://example.com:8080//x//y") == "http://example.com:8080/x/y"
    assert canonical_url("http://example.com/%7Euser/a%20b") == canonical_url("http://example.com/~user/a b")
    assert canonical_url("http://例子.测试/文章") == "http://xn--fsqu00a.xn--0zwm56d/%E6%96%87%E7%AB%A0"


def test_rel_canonical_honoured_only_on_the_same_site():
    html = '<html><head><link href="/story/42" rel="canonical"></head></html>'
    assert rel_canonical(html, "https://news.example/story/42?page=print") == "https://news.example/story/42"
    assert article_key("https://news.example/story/42?page=print&utm_medium=rss", html) == (
        "https://news.example/story/42"
    )
    hostile = "<link rel='canonical' href='https://victim.example/their-article'>"
    assert article_key("https://evil.example/a", hostile) == "https://evil.example/a"
    assert same_site("https://www.a.example/x", "https://a.example/y")
    assert rel_canonical("<link rel=canonical href='javascript:alert(1)'>", "https://a.example/") is None


def test_sniff_meta_charset():
    assert sniff_meta_charset(b'<html><head><meta charset="gbk">') == "gbk"
    assert sniff_meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=big5">') == "big5"
    assert sniff_meta_charset(b"<html>") is None


# ---------------------------------------------------------------- address safety
@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "a cloud metadata address"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not globally routable"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_problem(address, problem):
    assert address_problem(address) == problem


def test_check_url_with_resolver():
    def resolver(mapping):
        return lambda host, port: mapping[host]

    public = resolver({"news.example": ["93.184.216.34"]})
    check_url("https://news.example/a", resolver=public)
    rebinding = resolver({"news.example": ["93.184.216.34", "10.0.0.5"]})
    with pytest.raises(UnsafeURLError, match="10.0.0.5, private"):
        check_url("https://news.example/a", resolver=rebinding)
    check_url("https://news.example/a", resolver=rebinding, allow_private=True)
    with pytest.raises(UnsafeURLError, match="only http and https"):
        check_url("file:///etc/passwd", allow_private=True)
    with pytest.raises(UnsafeURLError, match="credentials"):
        check_url("http://user:pw@news.example/", resolver=public)
    with pytest.raises(UnsafeURLError, match="metadata"):
        check_url("http://169.254.169.254/latest/meta-data/")


def test_add_source_refuses_internal_addresses_for_any_caller(tmp_path):
    from ingest.web.sources import add_source

    f = tmp_path / "sources.toml"
    with pytest.raises(SourcesError, match="169.254.169.254, a cloud metadata address"):
        add_source(f, {"kind": "feed", "url": "http://metadata.example/latest"},
                   resolver=lambda host, port: ["169.254.169.254"])
    assert not f.exists()
    src = add_source(f, {"kind": "url", "url": "https://news.example/a"}, resolver=lambda host, port: ["93.184.216.34"])
    assert src.name == "news-example-a" and load_sources(f).sources[0].url == "https://news.example/a"


def test_folder_paths_are_relative_to_the_sources_file(tmp_path):
    (tmp_path / "conf").mkdir()
    f = tmp_path / "conf" / "sources.toml"
    f.write_text('[[source]]\nname = "here"\nkind = "folder"\npath = "../articles"\n', encoding="utf-8")
    assert load_sources(f).sources[0].path == str((tmp_path / "articles").resolve())
    assert main(["sources", "remove", "../articles", "--file", str(f)]) == 0
    assert load_sources(f).sources == []


def test_shipped_sources_file_parses_and_enables_no_web_source():
    sf = load_sources(Path(__file__).resolve().parents[1] / "corpus" / "sources.toml")
    assert sf.by_name("corpus") is not None
    assert [s.kind for s in sf.sources if s.enabled] == ["folder"]
