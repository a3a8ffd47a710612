"""The rough edges a new user hit trying the README as written (issue 13, point 4), one test each.

(`serve --bind` on a port in use: tests/test_bounded_queries.py; failed feed entries retried while
the feed answers 304, and refused feed links reported: tests/test_web_ingest.py.)
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
from service_helpers import ROOT

from ecokg.cli import main
from ingest.text import iter_article_files, read_article
from ingest.web.runs import list_runs
from ingest.web.sources import SourcesError, load_sources, parse_sources_text
from kg.model import Extraction
from kg.namespace import SCHEMA
from kg.rdf import article_quads
from kg.store import EmbeddedStore

ARTICLE = (
    "Microsoft and Google announced a partnership on cloud containers on Monday. "
    "The two companies will develop a new Kubernetes service together, Microsoft said.\n"
)


@pytest.fixture
def small_store(tmp_path) -> Path:
    from bench.synth import write_store

    path = tmp_path / "store"
    write_store(path, entities=30, facts=40)
    return path


def test_sources_file_given_before_the_action_is_used(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # a ./corpus/sources.toml here must not be touched
    f = tmp_path / "mine.toml"
    assert main(["sources", "--file", str(f), "add", str(tmp_path / "articles"), "--kind", "folder",
                 "--name", "a"]) == 0
    assert [s.name for s in load_sources(f).sources] == ["a"]
    capsys.readouterr()
    assert main(["sources", "--file", str(f), "list"]) == 0
    assert str(tmp_path / "articles") in capsys.readouterr().out
    assert main(["sources", "--file", str(f), "remove", "a"]) == 0
    assert load_sources(f).sources == []
    assert not (tmp_path / "corpus").exists()


def test_backup_creates_missing_parent_folders(small_store, tmp_path, capsys):
    target = tmp_path / "backups" / "2026" / "today"
    assert main(["backup", "--store", str(small_store), str(target)]) == 0
    with EmbeddedStore(small_store, read_only=True) as a, EmbeddedStore(target, read_only=True) as b:
        assert a.quad_count() == b.quad_count() > 0


def test_a_stray_nul_keeps_the_article(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(ARTICLE.encode() + b"\x00" + b"More text follows the stray byte.\x07\n")
    article = read_article(f)
    assert "\x00" not in article.text and "\x07" not in article.text
    assert article.text.startswith("Microsoft and Google") and "More text follows" in article.text
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    with pytest.raises(ValueError, match="binary"):
        read_article(binary)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ('[[source]]\nname = "a"\nurl = "https://x.example/f"\nkind = feed\n', "4:8"),
        ('[[source]]\nname = "a"\ntags = ["x",\n', "3:13"),  # at the end of the document
    ],
)
def test_broken_sources_toml_gives_line_and_column(tmp_path, text, position):
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    with pytest.raises(SourcesError) as err:
        parse_sources_text(text, tmp_path / "sources.toml")
    assert str(err.value).startswith(f"{tmp_path / 'sources.toml'}:{position}: not valid TOML: ")
    assert ":?:" not in str(err.value)


def test_runs_records_file_and_folder_ingests(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    store = tmp_path / "store"
    assert main(["ingest", "--store", str(store), str(folder), "-q"]) == 0
    assert main(["ingest", "--store", str(store), str(folder / "a.txt"), "-q"]) == 0
    capsys.readouterr()
    assert main(["runs", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "no runs recorded yet" not in out
    with EmbeddedStore(store, read_only=True) as s:
        runs = list_runs(s)
    assert [(r.status, r.new, r.unchanged, r.failed) for r in runs] == [("completed", 0, 1, 0), ("completed", 1, 0, 1)]
    assert runs[1].sources == [str(folder)] and runs[1].failures[0][0].endswith("empty.txt")
    assert "empty.txt" in out


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "jsonld"])
def test_every_export_format_imports_back(small_store, tmp_path, fmt, capsys):
    out = tmp_path / f"graph.{fmt}"
    assert main(["export", "--store", str(small_store), "--format", fmt, "-o", str(out)]) == 0
    fresh = tmp_path / "fresh"
    extra = [] if fmt in ("nq", "trig") else ["--graph", "https://example.org/imported"]
    assert main(["import", "--store", str(fresh), str(out), *extra]) == 0, capsys.readouterr().err
    with EmbeddedStore(small_store, read_only=True) as a, EmbeddedStore(fresh, read_only=True) as b:
        if fmt in ("nq", "trig"):  # the article graphs are kept
            assert set(map(str, a.oxigraph.quads_for_pattern(None, None, None))) == set(
                map(str, b.oxigraph.quads_for_pattern(None, None, None)))
        else:  # the merged graph, in the graph the user picked
            union = {str(ox.Triple(*t)) for t in a.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")}
            g = ox.NamedNode("https://example.org/imported")
            got = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in b.oxigraph.quads_for_pattern(None, None, None, g)}
            assert got == union


def test_a_failed_import_leaves_nothing_behind(tmp_path, capsys):
    bad = tmp_path / "bad.nq"
    bad.write_text("<urn:a> <urn:b> this is not N-Quads .\n", encoding="utf-8")
    store = tmp_path / "new-store"
    assert main(["import", "--store", str(store), str(bad)]) == 2
    assert "not valid N-Quads" in capsys.readouterr().err and not store.exists()
    ttl = tmp_path / "g.ttl"
    ttl.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    assert main(["import", "--store", str(store), str(ttl)]) == 2
    assert "--graph" in capsys.readouterr().err and not store.exists()


def test_folder_ingest_skips_readme_license_changelog_and_hidden_files(tmp_path):
    for name in ("a.txt", "README.md", "LICENSE.txt", "CHANGELOG.md", ".draft.txt", ".git/notes.txt", "sub/b.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    files, missing = iter_article_files([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.txt", "sub/b.md"] and not missing
    named, _ = iter_article_files([tmp_path / "README.md", tmp_path / ".draft.txt"])
    assert [f.name for f in named] == ["README.md", ".draft.txt"]  # named explicitly: read


def test_a_file_article_has_one_canonical_url_wherever_the_command_runs(tmp_path, monkeypatch):
    (tmp_path / "big").mkdir()
    f = tmp_path / "big" / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    urls = set()
    for cwd, ref in ((tmp_path, "big/a.txt"), (tmp_path / "big", "a.txt"), (ROOT, str(f))):
        monkeypatch.chdir(cwd)
        art = read_article(ref)
        quads = article_quads(art, Extraction(source=art.source, lang="en"))
        urls |= {q.object.value for q in quads if q.predicate.value == str(SCHEMA.url)}
    assert urls == {f.resolve().as_uri()}


def test_pyproject_licence_is_the_spdx_string():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"  # a table is deprecated and warned about on every install
    assert any(r.replace(" ", "").startswith("setuptools>=77") for r in meta["build-system"]["requires"])
