"""Corrections on a remote store (a real Oxigraph server, SPARQL 1.1 Update): held in the same curation
graph, applied the same way as on the embedded store, undone, and kept across an article's removal."""

from __future__ import annotations

import pytest
from curation_helpers import GOOG, MS, build, iri, write_article
from service_helpers import oxigraph_server
from test_curation import views

from kg.curation import actions
from kg.curation.gold import article_gold
from kg.namespace import CURATION_GRAPH
from kg.store import EmbeddedStore, open_store

WHY = {"who": "tester", "why": "remote"}


def masked(obj, ids: list[str]):
    """A view with correction ids (random per store) replaced by their order, to compare two stores."""
    if isinstance(obj, str):
        for n, cid in enumerate(ids):
            obj = obj.replace(cid, f"c-{n}")
        return obj
    if isinstance(obj, dict):
        return {masked(k, ids): masked(v, ids) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return type(obj)(masked(x, ids) for x in obj)
    return obj


def curation_quads(store) -> set[tuple[str, str, str]]:
    res = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{CURATION_GRAPH}> {{ ?s ?p ?o }} }}", union=False)
    return {(r["s"].value, r["p"].value, str(r["o"])) for r in res}


def correct(store, corpus) -> list[str]:
    return [
        actions.merge(store, "Microsoft Corp.", "Microsoft", **WHY).id,
        actions.split(store, "OCP", [corpus.art("a2")], "Open Container Project", **WHY).id,
        actions.rename(store, "Google", "Google LLC", **WHY).id,
        actions.retype(store, "Kubernetes", "Product", **WHY).id,
        actions.reject(store, "Microsoft", "competesWith", "Google LLC", article=corpus.art("a4"), **WHY).id,
        actions.assert_fact(store, "Facebook", "sponsors", "Open Compute Project", note="n",
                            source="https://example.org", **WHY).id,
        actions.not_entity(store, "alert(1)>Acme Corp", **WHY).id,
    ]


@pytest.fixture
def pair(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        embedded = EmbeddedStore(tmp_path / "embedded")
        remote = open_store(url)
        yield embedded, build(embedded, tmp_path / "a"), remote, build(remote, tmp_path / "a")
        embedded.close()
        remote.close()


def test_remote_store_holds_and_applies_corrections_like_the_embedded_one(pair):
    embedded, corpus, remote, same = pair
    base = views(remote)
    assert base == views(embedded)
    ids_e, ids_r = correct(embedded, corpus), correct(remote, same)
    got = views(remote)
    assert masked(got, ids_r) == masked(views(embedded), ids_e) and got != base
    assert got["facts"][(iri(MS), "competesWith", iri(GOOG))] == 2

    assert len(curation_quads(remote)) == len(curation_quads(embedded)) > 0

    for cid in reversed(ids_r):
        actions.undo(remote, cid, who="reviewer", why="back")
    assert views(remote) == base
    assert [c.active for c in actions.list_corrections(remote)] == [False] * len(ids_r)


def test_remote_corrections_survive_removal_and_reingest(pair):
    _, _, remote, corpus = pair
    actions.reject(remote, "Microsoft", "competesWith", "Google", **WHY)
    expected = views(remote)
    assert remote.remove_graph(corpus.art("a1"))
    write_article(remote, corpus.folder, "a1")
    assert views(remote) == expected
    assert article_gold(remote, corpus.art("a1"), actions.load_overlay(remote))["relations"] == [
        {"subject": "Microsoft", "predicate": "acquired", "object": "GitHub Inc.",
         "evidence": "Microsoft acquired GitHub in 2018."}]


def test_the_app_corrects_a_remote_store(tmp_path, monkeypatch):
    """The app's correcting actions write to a SPARQL server with one Update and show the result at once."""
    from streamlit.testing.v1 import AppTest
    from test_curation_app import APP, run

    with oxigraph_server(tmp_path / "oxigraph") as url:
        with open_store(url) as remote:
            build(remote, tmp_path / "a")
        monkeypatch.setenv("ECOKG_STORE", url)
        monkeypatch.setenv("ECOKG_CURATE", "1")
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["entity"] = iri(GOOG)
        at.switch_page("ecokg/ui/pages/profile.py")
        run(at)
        at.selectbox(key="cur_action").set_value("Rename")
        run(at)
        at.text_input(key="cur_name").input("Google LLC")
        at.text_input(key="cur_why").input("legal name")
        run(at)
        at.button(key="cur_apply").click()
        run(at)
        at.button(key="cur_confirm").click()
        run(at)
        assert at.title[0].value == "Google LLC"
        with open_store(url, read_only=True) as remote:
            assert [(c.kind, c.name) for c in actions.list_corrections(remote)] == [("rename", "Google LLC")]
