"""Ingestion end to end on a real on-disk store: idempotence, replacement, removal, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.ingestion import ingest_paths, remove_article
from ingest.text import ArticleError, read_article
from kg import queries
from kg.namespace import article_iri
from kg.query import UpdateRefused, run_query

EN_TEXT = (
    "Acme Robotics Inc. launched Widgetron 2.0 on Monday.\n\n"
    "Acme Robotics competes with Globex Corp. in warehouse automation.\n"
)


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def test_ingest_twice_changes_nothing(store, tmp_path):
    _write(tmp_path / "a", "one.txt", EN_TEXT)
    first = ingest_paths(store, [tmp_path / "a"])
    assert first.new and not first.failed
    quads = store.quad_count()
    second = ingest_paths(store, [tmp_path / "a"])
    assert second.unchanged == first.new and not second.new and not second.updated
    assert store.quad_count() == quads


def test_a_changed_article_replaces_its_graph(store, tmp_path):
    p = _write(tmp_path / "a", "one.txt", EN_TEXT)
    ingest_paths(store, [p])
    iri = article_iri(p.resolve().as_uri())
    old_hash = store.graph_hash(iri)
    p.write_text(EN_TEXT + "\nAcme Robotics partnered with Initech.\n", encoding="utf-8")
    report = ingest_paths(store, [p])
    assert report.updated == [str(p)]
    assert store.graph_hash(iri) != old_hash
    assert store.article_graphs().count(iri) == 1


def test_remove_drops_exactly_one_article(store, tmp_path):
    a = _write(tmp_path / "a", "one.txt", EN_TEXT)
    b = _write(tmp_path / "a", "two.txt", "Initech Inc. released Staplr, a stapler app.\n")
    ingest_paths(store, [tmp_path / "a"])
    assert len(store.article_graphs()) == 2
    assert remove_article(store, str(a)) == article_iri(a.resolve().as_uri())
    assert store.article_graphs() == [article_iri(b.resolve().as_uri())]
    assert remove_article(store, str(a)) is None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", b"\x00\x01\x02PNG\x00" * 100, "binary"),
        ("garbage.txt", bytes(range(0x80, 0x100)) * 20, "undecodable"),
        ("image.png", b"\x89PNG\r\n", "unsupported file type"),
    ],
)
def test_bad_files_are_reported_and_skipped(store, tmp_path, name, data, reason):
    good = _write(tmp_path / "in", "good.txt", EN_TEXT)
    ingest_paths(store, [good])
    before = store.quad_count()
    bad = _write(tmp_path / "in", name, data)
    report = ingest_paths(store, [bad])
    assert [src for src, _ in report.failed] == [str(bad)]
    assert reason in report.failed[0][1]
    assert store.quad_count() == before  # nothing already stored is lost


def test_a_path_that_cannot_be_read_is_reported(tmp_path):
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()
    with pytest.raises(ArticleError, match="unreadable"):
        read_article(folder)


def test_missing_path_is_reported(store, tmp_path):
    report = ingest_paths(store, [tmp_path / "nope"])
    assert report.failed == [(str(tmp_path / "nope"), "no such file or folder")]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "big5"])
def test_chinese_encodings_decode(tmp_path, encoding):
    text = "華為與高通在雲端市場競爭，微軟也加入了合作。" if encoding == "big5" else "华为与高通在云计算市场竞争，微软也加入了合作。"
    p = _write(tmp_path, f"zh-{encoding}.txt", text.encode(encoding))
    assert read_article(p).text == text


def test_html_article_keeps_main_text(tmp_path):
    body = "<p>" + EN_TEXT * 5 + "</p>"
    html = f"<html><head><title>Acme news</title></head><body><nav>Home | About</nav><article>{body}</article></body></html>"
    p = _write(tmp_path, "page.html", html)
    art = read_article(p)
    assert "Widgetron" in art.text and "Home | About" not in art.text


def test_html_without_main_text_is_an_error(tmp_path):
    p = _write(tmp_path, "empty.html", "<html><body><nav>menu</nav></body></html>")
    with pytest.raises(ArticleError, match="no main text"):
        read_article(p)


def test_sparql_refuses_updates(store, tmp_path):
    ingest_paths(store, [_write(tmp_path, "one.txt", EN_TEXT)])
    before = store.quad_count()
    for update in (
        "INSERT DATA { <http://x> <http://y> <http://z> }",
        "PREFIX ex: <http://x/>\n# comment\nDELETE WHERE { ?s ?p ?o }",
        "drop all",
    ):
        with pytest.raises(UpdateRefused, match="read-only"):
            run_query(store, update)
    assert store.quad_count() == before


def test_stats_count_the_article(store, tmp_path):
    ingest_paths(store, [_write(tmp_path, "one.txt", EN_TEXT)])
    assert queries.article_count(store) == 1
    assert sum(queries.counts_by_type(store).values()) >= 2
