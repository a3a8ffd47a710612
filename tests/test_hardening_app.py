"""Hostile values through the app (streamlit.testing AppTest): names that look like SPARQL, quotes,
braces, '#' and newlines in search boxes, profiles and query parameters; upload file names that look
like paths. Nothing changes the store, nothing escapes the store folder, everything renders as text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
from app_helpers import evidence_items
from streamlit.testing.v1 import AppTest

from ecokg.ui.safe import md
from kg import queries
from kg.model import Article, Entity, Extraction, Relation
from kg.namespace import article_iri
from kg.rdf import article_quads
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
RAW_TAG = re.compile(r"(?<!\\)<(img|script|b|svg|iframe)\b")

# Names a SPARQL query built by pasting text would choke on or obey.
HOSTILE_NAMES = [
    'Evil" } ; DROP ALL ; #',
    "Robert'); DELETE WHERE { ?s ?p ?o } #",
    "Two\nLines } UNION { ?s ?p ?o }",
    "# only a comment",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "Quote's \"double\" \\ backslash",
    "<http://example.org/x> } INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
]
HOSTILE_ENTITY_PARAMS = [
    "https://w3id.org/ecokg/entity/x> } DROP ALL #",
    "\" ; DELETE WHERE { ?s ?p ?o } #",
    "javascript:alert(1)",
]


def _hostile_store(path: Path) -> list[Entity]:
    """One article naming every hostile vendor, each competing with a plain one; evidence quotes the names."""
    plain = Entity(name="Plainco", type="Vendor", aliases=["Plainco"])
    ents = [Entity(name=n, type="Vendor", aliases=[n]) for n in HOSTILE_NAMES]
    rels = [Relation(e.id, "competesWith", plain.id, f"{e.name} competes with Plainco", 0.9) for e in ents]
    art = Article(source="hostile.txt", text="x", key="file:///hostile.txt", title="Hostile names")
    with EmbeddedStore(path) as store:
        store.replace_graph(article_iri(art.key), article_quads(art, Extraction("hostile.txt", "en", [*ents, plain], rels)))
    return ents


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile-app") / "store"
    ents = _hostile_store(path)
    with EmbeddedStore(path, read_only=True) as s:
        quads = s.quad_count()
    return path, ents, quads


@pytest.fixture
def app(hostile_store, monkeypatch) -> AppTest:
    monkeypatch.setenv("ECOKG_STORE", str(hostile_store[0]))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _markdown(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.error,
                               *at.warning, *at.info, *at.success)]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def test_hostile_names_through_profile_search_and_page(app, hostile_store):
    path, ents, quads = hostile_store
    app.switch_page("ecokg/ui/pages/profile.py")
    _run(app)
    for ent in ents:
        app.text_input(key="pr_find").input(ent.name)
        _run(app)
        iri = f"https://w3id.org/ecokg/entity/{ent.id}"
        pick = app.selectbox(key="pr_pick")
        assert ent.name in pick.options, (ent.name, pick.options)  # the options show labels
        pick.set_value(iri)
        _run(app)
        assert app.title[0].value == md(ent.name)
        assert not RAW_TAG.search(_markdown(app))
        evidence = {r["evidence"] for r in evidence_items(app)}
        assert f"{ent.name} competes with Plainco" in evidence, ent.name  # verbatim, as text
    with EmbeddedStore(path, read_only=True) as s:
        assert s.quad_count() == quads


def test_hostile_names_in_the_sidebar_search_and_neighbourhood(app, hostile_store):
    path, ents, quads = hostile_store
    app.switch_page("ecokg/ui/pages/centrality.py")
    _run(app)
    for ent in ents:
        app.sidebar.text_input(key="f_search").input(ent.name)
        _run(app)
        table = next(d.value for d in app.dataframe if "degree" in d.value.columns)
        labels = set(table.iloc[:, 0].astype(str)) | set(table.get("entity", pd.Series(dtype=str)).astype(str))
        assert ent.name in labels or f"https://w3id.org/ecokg/entity/{ent.id}" in labels, (ent.name, labels)
        assert len(table) == 2  # the hostile vendor and its rival, nothing else matched or broke
        app.sidebar.text_input(key="f_search").input("")
        app.sidebar.text_input(key="f_focus").input(ent.name)
        _run(app)
        assert not RAW_TAG.search(_markdown(app))
        assert any(c.value.startswith("Centre: ") and c.value == "Centre: " + md(ent.name)
                   for c in app.sidebar.caption), [c.value for c in app.sidebar.caption]
        app.sidebar.text_input(key="f_focus").input("")
    with EmbeddedStore(path, read_only=True) as s:
        assert s.quad_count() == quads


@pytest.mark.parametrize("value", HOSTILE_ENTITY_PARAMS)
def test_hostile_entity_query_parameter(app, hostile_store, value):
    app.query_params["entity"] = value
    app.switch_page("ecokg/ui/pages/profile.py")
    _run(app)
    assert any(w.value.startswith("Unknown entity") for w in app.warning)
    assert not RAW_TAG.search(_markdown(app))
    with EmbeddedStore(hostile_store[0], read_only=True) as s:
        assert s.quad_count() == hostile_store[2]


def test_named_queries_take_hostile_iris_as_terms_or_refuse_them(hostile_store):
    """The profile's queries with an IRI that would close the term: a ValueError, never a changed query."""
    with EmbeddedStore(hostile_store[0], read_only=True) as s:
        for value in HOSTILE_ENTITY_PARAMS[:2]:
            for fn in (queries.entity_evidence, queries.mentions_timeline, queries.evidence_for):
                with pytest.raises(ValueError):
                    fn(s, value)


# ------------------------------------------------------------------ upload file names are names, not paths
PATH_NAMES = [
    "../../etc/passwd.txt",
    "../../../tmp/ecokg-escape.txt",
    "/etc/cron.d/evil.txt",
    "..\\..\\windows\\evil.md",
    "name with \" quote } # and\nnewline.txt",
    "%2e%2e%2fencoded.txt",
]


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_upload_names_that_look_like_paths_write_only_the_store(tmp_path, monkeypatch):
    from ecokg.ui import ingest_flow

    work = tmp_path / "work"
    work.mkdir()
    store_path = work / "store"
    EmbeddedStore(store_path).close()  # an empty store, as after `make run` on an empty corpus
    monkeypatch.setenv("ECOKG_STORE", str(store_path))
    monkeypatch.chdir(work)  # relative names would land here
    monkeypatch.setattr(ingest_flow, "extract", lambda arts: [ingest_flow.Preview(a, Extraction(a.source, "en"))
                                                              for a in arts])
    before_tmp, before_root = _tree(tmp_path), _tree(ROOT / "tests")
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("ecokg/ui/pages/ingest.py")
    _run(at)
    at.file_uploader(key="in_files").set_value(
        [(name, f"An article called {name!r} about Acme.".encode(), "text/plain") for name in PATH_NAMES]
    )
    at.button(key="in_extract").click()
    _run(at)
    assert not at.error, [e.value for e in at.error]
    assert len(at.html) == len(PATH_NAMES)
    at.button(key="in_add").click()
    _run(at)
    assert not at.error, [e.value for e in at.error]
    assert any(f"{len(PATH_NAMES)} new" in s.value for s in at.success)

    new = _tree(tmp_path) - before_tmp
    assert all(p.startswith("work/store") for p in new), sorted(new)  # nothing outside the store folder
    assert _tree(ROOT / "tests") == before_root
    assert not Path("/tmp/ecokg-escape.txt").exists()
    with EmbeddedStore(store_path, read_only=True) as s:
        stored = {r["url"] for r in queries.articles(s)}
    assert stored == set(PATH_NAMES)  # the names are kept as text (the article's source), nothing else
    assert os.path.exists("/etc/passwd")  # untouched (and never opened for writing: the store is elsewhere)
