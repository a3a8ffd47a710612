"""The analyst app through streamlit.testing: every page renders, filters bite, profiles open,
the SPARQL page refuses updates, the Ingest page writes, hostile text stays text."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from app_helpers import evidence_items, network_data
from streamlit.testing.v1 import AppTest

from ecokg.ui import data as D
from ecokg.ui.safe import md, safe_url, script_json, wikidata_url
from kg import queries
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
RAW_TAG = re.compile(r"(?<!\\)<(img|script|b|svg|iframe)\b")  # a tag not escaped for Markdown
PAGES = ("overview", "explorer", "centrality", "profile", "matrix", "changes", "sparql", "ingest")


def _load_synth():
    spec = importlib.util.spec_from_file_location("ecokg_bench_synth", ROOT / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod  # dataclasses look their module up here
    spec.loader.exec_module(mod)
    return mod


synth = _load_synth()


@pytest.fixture(scope="module")
def graph_store(tmp_path_factory) -> tuple[Path, object, object]:
    """A synthetic store (120 entities, 400 facts) plus the hostile article, tied to the top vendor."""
    path = tmp_path_factory.mktemp("app") / "store"
    g = synth.write_store(path, entities=120, facts=400, seed=3)
    hub = next(e for e in g.entities if e.type == "Vendor")
    evil = synth.write_hostile(path, partner=hub)
    return path, g, evil


@pytest.fixture
def app(graph_store, monkeypatch) -> AppTest:
    monkeypatch.setenv("ECOKG_STORE", str(graph_store[0]))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"ecokg/ui/pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_counts(at: AppTest) -> tuple[int, int]:
    """(entities, facts) in the filtered graph, from the explorer's caption."""
    cap = next(c.value for c in at.caption if c.value.startswith("Showing"))
    m = re.search(r"of ([\d,]+) entities and [\d,]+ of ([\d,]+) facts", cap)
    assert m, cap
    return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))


def markdown_text(at: AppTest) -> str:
    """Everything the page renders through Markdown (st.text is plain text and left out)."""
    parts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.error,
                               *at.warning, *at.info, *at.success)]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


# ------------------------------------------------------------------ pages
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app, page):
    goto(app, page)
    assert app.title, page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_an_empty_filter(app, page):
    app.sidebar.number_input(key="f_arts").set_value(1000).run()
    goto(app, page)
    app.sidebar.number_input(key="f_arts").set_value(1).run()
    app.sidebar.text_input(key="f_focus").input("no entity has this name").run()
    assert not app.exception, [e.value for e in app.exception]


def test_overview_counts_match_the_store(app, graph_store):
    path, g, _ = graph_store
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Articles"] == f"{g.articles + 1:,}"
    assert metrics["Facts"] == f"{len(g.facts) + 2:,}"
    top = frames(app)[0]
    assert len(top) == 20 and "profile" in top.columns


def test_overview_entity_search(app, graph_store):
    _, g, _ = graph_store
    target = g.entities[5]
    app.text_input(key="ov_find").input(target.name).run()
    table = next(d for d in frames(app) if "aliases" in d.columns)
    assert target.name in set(table["entity"]) and len(table) < 10
    app.text_input(key="ov_find").input("no such entity anywhere").run()
    assert next(d for d in frames(app) if "aliases" in d.columns).empty


def test_entity_evidence_matches_evidence_for(graph_store):
    store = EmbeddedStore(graph_store[0], read_only=True)
    snap = D.read_snapshot(store)
    hub = snap.entities.sort_values("articles", ascending=False).index[0]
    key = lambda r: tuple(str(r[k]) for k in sorted(r))  # noqa: E731
    assert sorted(queries.entity_evidence(store, hub), key=key) == sorted(queries.evidence_for(store, hub), key=key)


def test_entity_assertions_match_the_store(graph_store):
    store = EmbeddedStore(graph_store[0], read_only=True)
    snap = D.read_snapshot(store)
    for iri in snap.entities.sort_values("articles", ascending=False).index[:3]:
        ours = D.entity_assertions(snap, iri)
        theirs = queries.entity_evidence(store, iri)
        norm = lambda r: (r["s"], str(r["p"]).rsplit("#", 1)[-1], r["o"], r["evidence"], round(float(r["conf"]), 4),  # noqa: E731
                          r["art"], r["url"], r["title"], r["date"])
        assert sorted(map(norm, ours)) == sorted(map(norm, theirs))
    hub = snap.entities.sort_values("articles", ascending=False).index[0]
    other = next(r["o"] if r["s"] == hub else r["s"] for r in D.entity_assertions(snap, hub))
    ours = D.pair_assertions(snap, hub, other)
    theirs = queries.evidence_between(store, hub, other)
    assert ours and sorted(map(norm, ours)) == sorted(map(norm, theirs))


def test_explorer_filters_change_the_graph(app):
    goto(app, "explorer")
    entities, facts = shown_counts(app)
    assert facts == 402

    app.sidebar.selectbox(key="f_preset").select("competition only").run()
    e2, f2 = shown_counts(app)
    assert 0 < f2 < facts and e2 < entities

    app.sidebar.selectbox(key="f_preset").select("everything").run()
    app.sidebar.slider(key="f_conf").set_value(0.9).run()
    e3, f3 = shown_counts(app)
    assert 0 < f3 < facts

    app.sidebar.slider(key="f_conf").set_value(0.0).run()
    app.sidebar.multiselect(key="f_types").set_value(["Vendor"]).run()
    _, f4 = shown_counts(app)
    assert 0 < f4 < facts


def test_explorer_date_search_and_neighbourhood_filters(app, graph_store):
    _, g, _ = graph_store
    goto(app, "explorer")
    _, facts = shown_counts(app)
    lo, hi = app.sidebar.slider(key="f_dates").value
    mid = lo + (hi - lo) / 2
    app.sidebar.slider(key="f_dates").set_value((lo, mid)).run()
    _, f_dates = shown_counts(app)
    assert 0 < f_dates < facts
    app.sidebar.slider(key="f_dates").set_value((lo, hi)).run()

    hub = next(e for e in g.entities if e.type == "Vendor")
    app.sidebar.text_input(key="f_search").input(hub.name).run()
    _, f_search = shown_counts(app)
    assert 0 < f_search < facts
    app.sidebar.text_input(key="f_search").input("").run()

    app.sidebar.text_input(key="f_focus").input(hub.name).run()
    e1, _ = shown_counts(app)
    app.sidebar.slider(key="f_hops").set_value(2).run()
    e2, _ = shown_counts(app)
    assert 1 < e1 <= e2


def test_explorer_draws_top_n_and_says_how_many_were_left_out(app):
    goto(app, "explorer")
    app.slider(key="ex_topn").set_value(20).run()
    cap = next(c.value for c in app.caption if c.value.startswith("Showing"))
    assert cap.startswith("Showing 20 of") and "left out" in cap
    html = app.get("iframe")[0].proto.srcdoc
    assert "vis.Network" in html and "<script src" not in html and "<link" not in html
    assert len(network_data(app)["nodes"]) == 20


def test_selection_opens_the_right_profile(app, graph_store):
    goto(app, "explorer")
    pick = app.selectbox(key="ex_pick")
    target = pick.options[2]
    pick.select_index(2).run()
    app.button(key="ex_open").click().run()
    assert not app.exception
    assert app.title[0].value == md(target)
    entity = app.query_params["entity"]
    store = EmbeddedStore(graph_store[0], read_only=True)
    assert queries.entity_description(store, entity)["labels"]["en"] == target


def test_profile_from_query_param_shows_relations_ranks_and_timeline(app, graph_store):
    _, g, _ = graph_store
    hub = next(e for e in g.entities if e.type == "Vendor")
    iri = f"https://w3id.org/ecokg/entity/{hub.id}"
    app.query_params["entity"] = iri
    goto(app, "profile")
    assert app.title[0].value == md(hub.name)
    assert app.query_params["entity"] == iri
    labels = {m.label for m in app.metric}
    assert {"PageRank", "betweenness", "closeness", "eigenvector", "degree", "weighted degree"} <= labels
    expanders = [e.label for e in app.expander]
    assert any(label.startswith("competesWith") for label in expanders)
    rel = evidence_items(app)
    assert rel and all(r["evidence"] for r in rel)


def test_language_switch_shows_chinese_labels(app, graph_store):
    _, g, _ = graph_store
    ent = next(e for e in g.entities if "zh" in e.labels)
    app.query_params["entity"] = f"https://w3id.org/ecokg/entity/{ent.id}"
    goto(app, "profile")
    assert app.title[0].value == md(ent.name)
    app.sidebar.radio(key="lang").set_value("中文").run()
    assert app.title[0].value == md(ent.labels["zh"])


def test_centrality_table_follows_the_predicate_choice(app):
    goto(app, "centrality")
    everything = frames(app)[0]
    assert {"degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank", "community"} <= set(
        everything.columns
    )
    assert any("Method" in i.value for i in app.info)
    app.sidebar.selectbox(key="f_preset").select("alliances only").run()
    alliances = frames(app)[0]
    assert 0 < len(alliances) < len(everything)
    assert app.expander and app.expander[0].label.startswith("Camp 0")


def test_matrix_shows_vendors_and_evidence_of_a_cell(app):
    goto(app, "matrix")
    app.slider(key="mx_k_Vendor").set_value(8).run()
    grid = frames(app)[0]
    assert grid.shape == (8, 8)
    filled = [(r, c) for r in range(8) for c in range(8) if r != c and grid.iat[r, c]]
    assert filled, "the top vendors should have some rivalries or partnerships"
    r, c = filled[0]
    app.selectbox(key="mx_a_Vendor").select_index(r).run()
    b_box = app.selectbox(key="mx_b_Vendor")
    b_box.select_index(c if c < r else c - 1).run()  # the second list leaves out the first vendor
    assert app.main.subheader[-1].value == f"{md(grid.index[r])} and {md(grid.columns[c])}"
    evidence = evidence_items(app)
    assert evidence and all(r["evidence"] for r in evidence)
    preds = {p for r in evidence for p in ("competesWith", "partnersWith", "acquired") if p in r["relation"]}
    assert len(preds) >= 1 and all(any(p in r["relation"] for p in preds) for r in evidence)


def test_switching_pages_does_not_recompute(tmp_path, monkeypatch):
    from ecokg.ui.state import QUICK as QUICK_MEASURES
    from kg import analytics

    synth.write_store(tmp_path / "store", entities=60, facts=150, seed=5)
    monkeypatch.setenv("ECOKG_STORE", str(tmp_path / "store"))
    calls: list[tuple[str, ...]] = []
    real = analytics.centrality_table

    def counting(graph, *args, **kwargs):
        calls.append(tuple(kwargs.get("measures", analytics.MEASURES)))
        return real(graph, *args, **kwargs)

    monkeypatch.setattr(analytics, "centrality_table", counting)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for page in ("centrality", "explorer", "profile", "overview", "centrality", "explorer"):
        goto(at, page)
    assert calls == [QUICK_MEASURES, analytics.MEASURES], calls  # overview's quick table, then the full one
    before = len(calls)
    at.sidebar.slider(key="f_conf").set_value(0.5).run()  # a new filter is a new computation
    assert len(calls) == before + 1


def test_sparql_runs_queries_and_refuses_updates(app, graph_store):
    goto(app, "sparql")
    app.session_state["sq_text"] = "SELECT ?a WHERE { ?a a schema:NewsArticle }"
    app.number_input(key="sq_rows").set_value(5).run()
    app.button(key="sq_run").click().run()
    assert len(frames(app)[0]) == 5
    assert any("row cap" in w.value for w in app.warning)

    before = EmbeddedStore(graph_store[0], read_only=True).quad_count()
    app.session_state["sq_text"] = 'INSERT DATA { <urn:x> <urn:y> "z" }'
    app.button(key="sq_run").click().run()
    assert any("refused" in e.value for e in app.error)
    assert not app.dataframe
    assert EmbeddedStore(graph_store[0], read_only=True).quad_count() == before

    app.session_state["sq_text"] = "DROP ALL"
    app.button(key="sq_run").click().run()
    assert any("refused" in e.value for e in app.error)


def test_sparql_time_limit_is_reported_and_stops_the_work(app):
    """A real hostile query on the real store: stopped at the page's time limit, in a worker that is killed,
    so the app's process (shared by every analyst) neither keeps computing nor grows."""
    import psutil

    me = psutil.Process()
    goto(app, "sparql")
    hostile = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f LIMIT 1"
    app.session_state["sq_text"] = hostile
    app.number_input(key="sq_timeout").set_value(1).run()
    rss_before = me.memory_info().rss
    app.button(key="sq_run").click().run()
    assert any("Time limit hit" in e.value or "Memory limit hit" in e.value for e in app.error), \
        [e.value for e in app.error]
    assert not app.dataframe
    assert me.memory_info().rss - rss_before < 200 * 2**20  # the work was elsewhere
    def computing(proc: psutil.Process) -> bool:
        try:
            return "kg.query_worker" in " ".join(proc.cmdline()) and proc.cpu_percent(interval=0.5) > 50
        except psutil.Error:  # gone already
            return False

    assert not [c for c in me.children(recursive=True) if computing(c)]  # the worker that ran it is gone
    app.session_state["sq_text"] = "SELECT ?a WHERE { ?a a schema:NewsArticle } LIMIT 3"
    app.number_input(key="sq_timeout").set_value(5).run()
    app.button(key="sq_run").click().run()
    assert not app.error and len(frames(app)[0]) == 3


def test_sparql_syntax_error_gives_the_users_line_and_column(app):
    goto(app, "sparql")
    app.session_state["sq_text"] = "SELECT ?a\nWHERE {\n  ?a a nope:Thing }"
    app.button(key="sq_run").click().run()
    assert app.error
    err = " ".join(c.value for c in app.code)  # the library's message, shown as plain text
    assert "line 3, column" in err and "undeclared prefix" in err and "u{" not in err


def test_sparql_examples_all_run(app):
    goto(app, "sparql")
    box = app.selectbox(key="sq_example")
    for name in box.options:
        app.selectbox(key="sq_example").select(name).run()
        app.button(key="sq_run").click().run()
        assert not app.error, (name, [e.value for e in app.error])


# ------------------------------------------------------------------ ingest
CATALOG = """type,name,name_zh,aliases,wikidata,market,maker
Vendor,CoreOS,,CoreOS Inc.,,containers,
Vendor,Docker Inc.,Docker 公司,Docker,,containers,
Product,rkt,,Rocket,,containers,CoreOS
Vendor,Google,谷歌,,Q95,cloud,
"""


def test_ingest_page_adds_an_article(tmp_path, monkeypatch):
    cat = tmp_path / "catalog.csv"
    cat.write_text(CATALOG, encoding="utf-8")
    monkeypatch.setenv("ECOKG_CATALOG", str(cat))
    store_path = tmp_path / "store"
    monkeypatch.setenv("ECOKG_STORE", str(store_path))
    from kg.catalog import load_catalog

    load_catalog.cache_clear()
    from ingest.nlp import pipeline

    monkeypatch.setattr(pipeline, "_DEFAULT", None)  # a fresh extractor reads this catalog

    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page("ecokg/ui/pages/ingest.py")
    at.run()
    assert not at.exception
    text = "CoreOS launched rkt. Google partnered with CoreOS. <script>alert(1)</script>"
    at.text_area(key="in_text").input(text).run()
    at.button(key="in_extract").click().run()
    assert not at.exception and not at.error
    html = at.get("html")[0].proto.body
    assert "<mark" in html and "&lt;script&gt;" in html and "<script>" not in html
    assert re.search(r"<mark[^>]*>\s*CoreOS", html)
    relations = frames(at)[0]
    shown = {(r.subject, r.predicate, r.object) for r in relations.itertuples()}
    at.button(key="in_add").click().run()
    assert not at.exception and not at.error
    assert any("1 new" in s.value for s in at.success)

    store = EmbeddedStore(store_path, read_only=True)
    assert queries.article_count(store) == 1
    assert sum(queries.counts_by_predicate(store).values()) == len(shown)  # what was shown is what was stored
    assert any(r["label"] == "CoreOS" for r in queries.find_entities(store, "coreos"))
    del store

    at.switch_page("ecokg/ui/pages/overview.py")
    at.run()
    assert {m.label: m.value for m in at.metric}["Articles"] == "1"


def test_ingest_reports_a_locked_store(tmp_path, monkeypatch):
    store_path = tmp_path / "store"
    holder = EmbeddedStore(store_path)  # another writer holds the lock
    monkeypatch.setenv("ECOKG_STORE", str(store_path))
    from ecokg.ui import ingest_flow

    monkeypatch.setattr(ingest_flow, "extract", lambda arts: [ingest_flow.Preview(a, _empty(a)) for a in arts])
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("ecokg/ui/pages/ingest.py")
    at.run()
    at.text_area(key="in_text").input("Some text about nothing.").run()
    at.button(key="in_extract").click().run()
    at.button(key="in_add").click().run()
    assert any("busy" in e.value for e in at.error), [e.value for e in at.error]
    holder.close()


def test_ingest_write_failure_leaves_nothing_half_written(tmp_path, monkeypatch):
    store_path = tmp_path / "store"
    monkeypatch.setenv("ECOKG_STORE", str(store_path))
    from ecokg.ui import ingest_flow

    monkeypatch.setattr(ingest_flow, "extract", lambda arts: [ingest_flow.Preview(a, _empty(a)) for a in arts])

    def broken(self, graph, quads):
        raise OSError("disk full")

    monkeypatch.setattr(EmbeddedStore, "replace_graph", broken)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("ecokg/ui/pages/ingest.py")
    at.run()
    at.text_area(key="in_text").input("An article that will not fit.").run()
    at.button(key="in_extract").click().run()
    at.button(key="in_add").click().run()
    assert any("disk full" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.exception
    monkeypatch.undo()
    store = EmbeddedStore(store_path, read_only=True)
    from ingest.web.runs import list_runs
    from kg.namespace import RUNS_GRAPH

    graphs = {r[0].value for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)}
    assert queries.article_count(store) == 0 and graphs <= {str(RUNS_GRAPH)}  # only the run log says it failed
    assert [r.status for r in list_runs(store)] in ([], ["failed"])


def _empty(article):
    from kg.model import Extraction

    return Extraction(source=article.source, lang="en")


def test_ingest_rejects_binary_upload_without_writing(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOKG_STORE", str(tmp_path / "store"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("ecokg/ui/pages/ingest.py")
    at.run()
    at.text_area(key="in_text").input("\x00\x01\x02 binary").run()
    at.button(key="in_extract").click().run()
    assert at.error and not (tmp_path / "store").exists()


# ------------------------------------------------------------------ hostile text
def test_hostile_names_and_evidence_render_as_text(app, graph_store):
    _, _, evil = graph_store
    iri = f"https://w3id.org/ecokg/entity/{evil.id}"
    app.query_params["entity"] = iri
    goto(app, "profile")
    title = app.title[0].value
    assert title == md(synth.HOSTILE_NAME)
    assert not RAW_TAG.search(title) and "\\<img" in title
    assert not RAW_TAG.search(markdown_text(app))
    assert synth.HOSTILE_NAME not in markdown_text(app)
    rel = evidence_items(app)
    assert synth.HOSTILE_EVIDENCE in {r["evidence"] for r in rel}  # shown verbatim, escaped
    assert all(link.startswith("profile?entity=") for r in rel for link in r["links"])  # no javascript: link
    assert not any(RAW_TAG.search(r["source_html"]) for r in rel)
    for page in ("overview", "explorer", "centrality", "matrix"):
        goto(app, page)
        assert not RAW_TAG.search(markdown_text(app)), page


def test_network_html_cannot_be_closed_by_a_label():
    from ecokg.ui.network import network_html

    html = network_html([{"id": "x", "label": "</script><script>alert(1)</script>", "value": 1, "color": "#000",
                          "tip": "<img src=x onerror=alert(2)>"}], [])
    body = html.split("<script>", 2)[2]  # our data script (after the inlined vis-network)
    assert "</script><script>alert" not in body and "\\u003c/script\\u003e" in body
    assert "http-equiv=\"Content-Security-Policy\"" in html and "default-src 'none'" in html


# ------------------------------------------------------------------ pure helpers
def test_md_escapes_markdown_and_html():
    s = md("[x](javascript:alert(1)) <b>**y**</b>\nz")
    assert "\n" not in s and "\\[" in s and "\\<" in s and "\\*" in s
    bare = md("visit https://evil.example/x or www.evil.example or me@evil.example").replace("\\", "")
    for autolink in ("https://", "www.", "@evil"):  # GFM would link these even with escaped punctuation
        assert autolink not in bare


def test_safe_url_allows_only_http():
    assert safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "//evil", None, 'https://a/"onx'):
        assert safe_url(bad) is None
    assert wikidata_url("http://www.wikidata.org/entity/Q95") == "https://www.wikidata.org/wiki/Q95"
    assert wikidata_url("http://www.wikidata.org/entity/Q95<x>") is None


def test_csv_download_neutralises_formulas():
    from ecokg.ui.widgets import csv_text

    df = pd.DataFrame({"entity": ["=HYPERLINK(\"http://x\")", "+1", "plain"], "pagerank": [0.5, -0.1, 0.2],
                       "profile": ["a", "b", "c"]})
    out = csv_text(df).splitlines()
    assert out[0] == "entity,pagerank"
    assert out[1].startswith("\"'=HYPERLINK") and out[2].startswith("'+1,'-0.1") and out[3] == "plain,0.2"


def test_script_json_escapes_tag_breakers():
    assert "<" not in script_json({"a": "</script>&\u2028"}) and "\\u2028" in script_json("\u2028")


def test_merge_assertions_noisy_or_and_symmetric_order():
    a = pd.DataFrame(
        [
            ("x", "competesWith", "y", "art1", 0.5, "2015-01-01"),
            ("y", "competesWith", "x", "art2", 0.5, "2016-01-01"),
            ("y", "competesWith", "x", "art2", 0.3, "2016-01-01"),
            ("x", "acquired", "y", "art1", 0.9, None),
        ],
        columns=["s", "p", "o", "art", "conf", "date"],
    )
    facts = D.merge_assertions(a).set_index(["s", "p", "o"])
    comp = facts.loc[("x", "competesWith", "y")]
    assert comp["articles"] == 2 and comp["confidence"] == pytest.approx(0.75)
    assert comp["first_date"] == "2015-01-01" and comp["last_date"] == "2016-01-01"
    assert facts.loc[("x", "acquired", "y"), "articles"] == 1


def test_filter_facts_matches_queries_facts(graph_store):
    store = EmbeddedStore(graph_store[0], read_only=True)
    snap = D.read_snapshot(store)
    ours = D.filter_facts(snap, D.GraphFilter())
    theirs = queries.facts(store)
    assert len(ours) == len({(f.subject, f.predicate, f.object) for f in theirs})
    by_key = {(f.subject, f.predicate, f.object): f for f in theirs}
    for row in ours.head(50).itertuples():
        f = by_key.get((row.s, row.p, row.o)) or by_key[(row.o, row.p, row.s)]
        assert row.articles == f.articles and row.confidence == pytest.approx(f.confidence, abs=1e-4)


def test_ingest_page_shows_the_last_runs_and_their_failures(tmp_path, monkeypatch):
    from datetime import UTC, datetime

    from ingest.web.runs import new_run, write_run

    store_path = tmp_path / "store"
    writer = EmbeddedStore(store_path)
    run = new_run(["techfeed"], now=datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
    run.fetched, run.new = 3, 2
    run.fail("https://news.example/broken", "no main text found in the HTML page")
    run.ended, run.status = datetime(2026, 11, 1, 8, 1, tzinfo=UTC), "completed"
    write_run(writer, run)
    writer.close()
    monkeypatch.setenv("ECOKG_STORE", str(store_path))
    at = goto(AppTest.from_file(APP, default_timeout=120), "ingest")
    tables = {tuple(df.columns): df for df in frames(at)}
    runs = next(df for cols, df in tables.items() if "fetched" in cols)
    assert runs.iloc[0]["sources"] == "techfeed" and runs.iloc[0]["new"] == 2
    failures = next(df for cols, df in tables.items() if "reason" in cols)
    assert failures.iloc[0]["item"] == "https://news.example/broken"


def test_ingest_page_adds_a_source_and_refuses_private_addresses(tmp_path, monkeypatch):
    sources = tmp_path / "sources.toml"
    monkeypatch.setenv("ECOKG_SOURCES", str(sources))
    monkeypatch.setenv("ECOKG_STORE", str(tmp_path / "store"))
    EmbeddedStore(tmp_path / "store").close()
    at = goto(AppTest.from_file(APP, default_timeout=120), "ingest")
    at.text_input(key="in_src_url").input("http://127.0.0.1:8080/feed.xml")
    submit = next(b for b in at.button if b.label == "Add source")
    submit.click().run()
    assert any("loopback" in e.value and "refused" in e.value for e in at.error), [e.value for e in at.error]
    assert not sources.exists() or "127.0.0.1" not in sources.read_text(encoding="utf-8")

    at.text_input(key="in_src_url").input("http://93.184.216.34/feed.xml")  # a public address: no lookup, no request
    next(b for b in at.button if b.label == "Add source").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "93.184.216.34/feed.xml" in sources.read_text(encoding="utf-8")
