"""The workbench defects of issue 14, through streamlit.testing (AppTest) on a real store.

Find + Enter switches the profile; evidence is escaped text with its article's
title and link; tables blank their empty cells and format small measures; the
matrix compares any entity type with a slider bounded by what exists and no
arrow on symmetric predicates. (URLs of pages: tests/test_app_browser.py.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from app_helpers import evidence_items, network_data
from streamlit.testing.v1 import AppTest

from ecokg.ui.evidence import evidence_html
from ecokg.ui.safe import md
from ecokg.ui.widgets import EMPTY, MEASURE_FORMAT
from kg.model import Article, Entity, Extraction, Relation
from kg.namespace import article_iri
from kg.rdf import article_quads
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MD_LINK = "当[微软和 Docker 在舞台上联手](https://news.example/dockercon)，两家公司宣布合作。"


DOCKER = Entity(name="Docker Inc.", type="Vendor", aliases=["Docker"])
MICROSOFT = Entity(name="Microsoft", type="Vendor", labels={"zh": "微软"})
RKT = Entity(name="rkt", type="Product")
DOCKER_ENGINE = Entity(name="Docker Engine", type="Product")
LXD = Entity(name="LXD", type="Product")
APPC = Entity(name="appc", type="Standard")
OCI = Entity(name="OCI", type="Standard")


COREOS = Entity(name="CoreOS", type="Vendor")
GOOGLE = Entity(name="Google", type="Vendor", labels={"zh": "谷歌"})
ARTICLES = [
    ("https://news.example/dockercon", "DockerCon <b>2015</b>", "2015-06-22", [
        Relation(DOCKER.id, "partnersWith", MICROSOFT.id, MD_LINK, 0.9),
        Relation(RKT.id, "competesWith", DOCKER_ENGINE.id, "rkt is a rival of Docker Engine.", 0.9),
        Relation(LXD.id, "competesWith", DOCKER_ENGINE.id, "LXD competes with Docker Engine.", 0.8),
        Relation(APPC.id, "competesWith", OCI.id, "appc competed with the OCI image format.", 0.85),
        Relation(DOCKER.id, "develops", DOCKER_ENGINE.id, "Docker Inc. develops Docker Engine.", 0.9),
    ]),
    ("https://news.example/coreos", "CoreOS and Google", "2015-04-06", [
        Relation(COREOS.id, "competesWith", DOCKER.id, "CoreOS competes with Docker.", 0.9),
        Relation(GOOGLE.id, "partnersWith", COREOS.id, "Google partners with CoreOS on Tectonic.", 0.9),
        Relation(COREOS.id, "develops", RKT.id, "CoreOS develops rkt.", 0.9),
    ]),
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """Two articles: a Markdown-looking sentence, four vendors, three rival products, two rival standards."""
    path = tmp_path_factory.mktemp("wb") / "store"
    ents = [DOCKER, MICROSOFT, RKT, DOCKER_ENGINE, LXD, APPC, OCI, COREOS, GOOGLE]
    with EmbeddedStore(path) as s:
        for url, title, day, rels in ARTICLES:
            text = " ".join(r.evidence for r in rels)
            art = Article(source=url, text=text, key=url, title=title, date=day, lang="zh", url=url)
            ext = Extraction(source=url, lang="zh", entities=ents, relations=rels)
            s.replace_graph(article_iri(url), article_quads(art, ext))
    return path


@pytest.fixture
def app(store_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ECOKG_STORE", str(store_path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"ecokg/ui/pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def iri(ent: Entity) -> str:
    return f"https://w3id.org/ecokg/entity/{ent.id}"


# ------------------------------------------------------------------ entity profile
def test_enter_in_find_switches_the_profile_and_its_url(app):
    goto(app, "profile")
    first = app.title[0].value
    app.text_input(key="pr_find").input("Microsoft").run()  # typing then Enter: no pick from the list
    assert not app.exception
    assert app.title[0].value == md("Microsoft") != first
    assert app.query_params["entity"] == iri(MICROSOFT)
    app.text_input(key="pr_find").input("微软").run()  # any label, any language
    assert app.title[0].value == md("Microsoft")
    app.text_input(key="pr_find").input("docker").run()  # an alias, exactly, beats a longer name
    assert app.title[0].value == md("Docker Inc.") and app.query_params["entity"] == iri(DOCKER)


def test_a_profile_url_opens_that_profile(app):
    app.query_params["entity"] = iri(LXD)
    goto(app, "profile")
    assert app.title[0].value == md("LXD")


# ------------------------------------------------------------------ evidence
def test_evidence_is_escaped_text_with_title_and_link(app):
    app.query_params["entity"] = iri(DOCKER)
    goto(app, "profile")
    items = [r for r in evidence_items(app) if r["evidence"] == MD_LINK]
    assert len(items) == 1, evidence_items(app)
    item = items[0]
    assert item["links"][0] == "https://news.example/dockercon"  # the article's own link
    assert "DockerCon &lt;b&gt;2015&lt;/b&gt;" in item["source_html"]  # its title, as text
    body = next(h.proto.body for h in app.html if "微软和" in h.proto.body)
    assert "[微软和 Docker 在舞台上联手](https://news.example/dockercon)" in body  # literal, never a rendered link
    assert '<a href="https://news.example/dockercon">微软' not in body
    assert "<b>2015" not in body


def test_evidence_html_escapes_every_field_and_keeps_only_http_links():
    import pandas as pd

    row = {"predicate": "competesWith", "direction": "", "entity": "<img src=x onerror=alert(1)>",
           "evidence": "x" * 300 + "<script>alert(2)</script>", "confidence": 0.5, "date": None,
           "article": "<svg onload=alert(3)>", "source": "javascript:alert(4)", "profile": "profile?entity=a%22b"}
    out = evidence_html(pd.DataFrame([row]))
    assert "<script>" not in out and "<img" not in out and "<svg" not in out
    assert "javascript:" not in out
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in out  # the full sentence, inside the details
    cut = re.search(r'<span class="cut">(.*?)</span>', out).group(1)
    assert cut.endswith("…") and len(cut) < 200  # the summary is cut, the details are not


def test_symmetric_predicates_show_no_direction_arrow(app):
    app.query_params["entity"] = iri(DOCKER_ENGINE)
    goto(app, "profile")
    rel = {r["evidence"]: r["relation"] for r in evidence_items(app)}
    assert rel["rkt is a rival of Docker Engine."] == "rkt"  # symmetric: no arrow either way
    assert rel["Docker Inc. develops Docker Engine."] == "← Docker Inc."  # directed: who develops it


# ------------------------------------------------------------------ tables
@pytest.mark.parametrize("page", ("overview", "centrality", "profile", "matrix"))
def test_tables_leave_empty_cells_blank(app, page):
    goto(app, page)
    assert app.dataframe, page
    assert all(d.proto.placeholder == EMPTY for d in app.dataframe), page


def test_centrality_grid_columns_are_configured(app):
    goto(app, "centrality")
    grid = next(d for d in app.dataframe if "eigenvector" in d.value.columns)
    cols = json.loads(grid.proto.columns)
    assert cols["eigenvector"]["type_config"]["format"] == MEASURE_FORMAT
    assert cols["pagerank"]["type_config"]["format"] == MEASURE_FORMAT
    assert cols["profile"]["type_config"]["display_text"] == "open"
    assert list(grid.value.columns[:4]) == ["label", "type", "profile", "entity"]  # in view without scrolling
    assert grid.value["entity"].str.startswith("ent:").all()
    assert MEASURE_FORMAT % 1e-8 == "1e-08"  # significant digits: a tiny value does not read 0.00000


def test_overview_tables_have_formats_and_links(app):
    ents = next(d for d in app.dataframe if "aliases" in d.value.columns)
    cols = json.loads(ents.proto.columns)
    assert cols["pagerank"]["type_config"]["format"] == MEASURE_FORMAT
    assert cols["profile"]["type_config"]["display_text"] == "open"
    assert evidence_items(app)  # the newest facts: sentences with their articles


# ------------------------------------------------------------------ competition matrix
def test_matrix_compares_products_and_standards(app):
    goto(app, "matrix")
    app.selectbox(key="mx_type").select("Product").run()
    grid = app.dataframe[0].value
    assert {"rkt", "Docker Engine", "LXD"} == set(grid.index)  # every product with a rivalry, nothing else
    assert "rivals (1)" in grid.loc["rkt", "Docker Engine"] and "rivals (1)" in grid.loc["Docker Engine", "rkt"]
    assert app.slider(key="mx_k_Product").max == 3  # three available: a slider from 2 to 3
    app.selectbox(key="mx_type").select("Standard").run()
    grid = app.dataframe[0].value
    assert set(grid.index) == {"appc", "OCI"}
    assert any(i.value.startswith("The only two standards") for i in app.caption)
    ev = evidence_items(app)
    assert ev and ev[0]["relation"] == "competesWith · OCI"  # rivals: no arrow either way


def test_matrix_slider_range_is_the_number_available(app):
    goto(app, "matrix")
    slider = app.slider(key="mx_k_Vendor")
    assert (slider.min, slider.max, slider.value) == (2, 4, 4)  # Docker, Microsoft, CoreOS, Google
    assert set(app.dataframe[0].value.index) == {"Docker Inc.", "Microsoft", "CoreOS", "Google"}
    slider.set_value(2).run()
    assert set(app.dataframe[0].value.index) == {"Docker Inc.", "CoreOS"}  # the two with most links


# ------------------------------------------------------------------ graph explorer
@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("ecokg_bench_synth_wb", ROOT / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = synth
    spec.loader.exec_module(synth)
    path = tmp_path_factory.mktemp("wb-big") / "store"
    synth.write_store(path, entities=150, facts=500, seed=9)
    return path


@pytest.fixture
def big_app(big_store, monkeypatch) -> AppTest:
    monkeypatch.setenv("ECOKG_STORE", str(big_store))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    return goto(at, "explorer")


def _positions(at: AppTest) -> dict[str, tuple[float, float]]:
    return {n["id"]: (n["x"], n["y"]) for n in network_data(at)["nodes"]}


def test_explorer_keeps_positions_when_nodes_are_added(big_app):
    big_app.slider(key="ex_topn").set_value(40).run()
    before = _positions(big_app)
    big_app.slider(key="ex_topn").set_value(50).run()  # ten more nodes
    after = _positions(big_app)
    assert len(after) == 50 and set(before) < set(after)
    assert all(after[n] == before[n] for n in before)  # nobody moved
    big_app.radio(key="ex_colour").set_value("community").run()
    assert _positions(big_app) == after
    fresh = AppTest.from_file(APP, default_timeout=120)  # a new session draws the seeded layout
    fresh.run()
    goto(fresh, "explorer").slider(key="ex_topn").set_value(50).run()
    assert set(_positions(fresh)) == set(after)


def test_explorer_sends_neighbours_to_expand_and_evidence_per_edge(big_app):
    big_app.slider(key="ex_topn").set_value(30).run()
    data = network_data(big_app)
    drawn = {n["id"] for n in data["nodes"]}
    assert data["extraEdges"] and data["extraNodes"]
    extra = {n["id"] for n in data["extraNodes"]}
    assert not extra & drawn
    for e in data["extraEdges"]:
        assert e["anchor"] in drawn and e["other"] in extra and {e["from"], e["to"]} == {e["anchor"], e["other"]}
    assert all(e["ev"] and all(r["text"] for r in e["ev"]) for e in data["edges"])
    assert all(r["url"] is None or r["url"].startswith("https://") for e in data["edges"] for r in e["ev"])
    symmetric = {"competesWith", "partnersWith", "integratesWith"}
    assert all(e["directed"] == (e["pred"] not in symmetric) for e in data["edges"])


# ------------------------------------------------------------------ charts without Vega-Lite
def test_overview_counts_are_drawn_as_html_bars(app):
    bars = [h.proto.body for h in app.html if 'class="eco-bars"' in h.proto.body]
    assert len(bars) == 2  # entities by type, facts by predicate
    assert ">Vendor</span>" in bars[0] and ">4</span>" in bars[0]  # Docker, Microsoft, CoreOS, Google
    assert ">competesWith</span>" in bars[1]
    months = next(h.proto.body for h in app.html if 'class="eco-cols"' in h.proto.body)
    assert "2015-04: 1" in months and "2015-06: 1" in months


def test_chart_labels_are_escaped():
    import pandas as pd

    from ecokg.ui.charts import bars_html, columns_html

    evil = pd.Series({"<img src=x onerror=alert(1)>": 3, "ok": 1})
    for out in (bars_html(evil), columns_html(evil)):
        assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert 'width:calc((100% - 13em) * 1.0000)' in bars_html(evil)  # the largest bar is the full width


# ------------------------------------------------------------------ SPARQL page
def test_a_query_error_is_the_librarys_message_as_plain_text(app, store_path):
    from kg.query import QueryError, run_query

    bad = "SELECT ?a WHERE { ?a a schema:NewsArticle "
    with EmbeddedStore(store_path, read_only=True) as s, pytest.raises(QueryError) as err:
        run_query(s, bad)
    goto(app, "sparql")
    app.session_state["sq_text"] = bad
    app.button(key="sq_run").click().run()
    assert [e.value for e in app.error] == ["The query could not run:"]
    assert [c.value for c in app.code] == [str(err.value)]  # verbatim, in a code block: nothing rendered


def test_the_editor_text_comes_back_only_for_the_current_example(app):
    goto(app, "sparql")
    from ecokg.ui.examples import EXAMPLES

    app.selectbox(key="sq_example").select("Most-cited facts").run()
    assert app.session_state["sq_text"] == EXAMPLES["Most-cited facts"]
    assert app.session_state["sq_version"] == 1  # the editor is told to take the new text
