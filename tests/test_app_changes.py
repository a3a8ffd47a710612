"""The "What changed" page and the explorer's time filter through streamlit.testing, on the hand-built story."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from time_helpers import iri, write_story, write_story_catalog

from kg import timeline
from kg.changes import SECTIONS, changes
from kg.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def story_store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("story-app")
    path = tmp / "store"
    with EmbeddedStore(path) as s:
        write_story(s)
        write_story_catalog(s, tmp)
    return path


@pytest.fixture
def at(story_store, monkeypatch) -> AppTest:
    monkeypatch.setenv("ECOKG_STORE", str(story_store))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"ecokg/ui/pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_items(at: AppTest) -> dict[str, list[str]]:
    """Section -> the "change" column of its table (tables follow their subheaders in order)."""
    by_label = {label: kind for kind, label in SECTIONS.items()}
    heads = [h.value.rsplit(" (", 1)[0] for h in at.subheader if h.value.rsplit(" (", 1)[0] in by_label]
    tables = [df.value for df in at.dataframe if "change" in df.value.columns]
    assert len(heads) == len(tables)
    return {by_label[h]: list(t["change"]) for h, t in zip(heads, tables, strict=True)}


def section_table(at: AppTest, kind: str):
    heads = [h.value.rsplit(" (", 1)[0] for h in at.subheader if h.value.rsplit(" (", 1)[0] in SECTIONS.values()]
    tables = [df.value for df in at.dataframe if "change" in df.value.columns]
    return tables[heads.index(SECTIONS[kind])]


def test_page_lists_the_same_items_as_the_cli(at, story_store):
    goto(at, "changes")
    at.date_input(key="wc_from").set_value(date(2015, 1, 1))
    at.date_input(key="wc_to").set_value(date(2015, 12, 31))
    at.run()
    assert not at.exception
    with EmbeddedStore(story_store, read_only=True) as s:
        expected = changes(s, "2015-01-01", "2015-12-31")
    want = {k: [i.text for i in v] for k, v in expected.sections.items() if v}
    assert shown_items(at) == want
    assert "Docker acquired SocketPlane" in want["acquisitions"]
    assert any(r"ecokg changes \-\-from 2015\-01\-01 \-\-to 2015\-12\-31" in c.value for c in at.caption)
    ended = section_table(at, "ended_alliances")
    assert list(ended["evidence"]) == ["CoreOS ended its partnership with Docker."]


def test_page_market_and_empty_range(at):
    goto(at, "changes")
    at.date_input(key="wc_from").set_value(date(2015, 1, 1))
    at.date_input(key="wc_to").set_value(date(2015, 12, 31))
    at.selectbox(key="wc_market").set_value("containers")
    at.run()
    assert shown_items(at)["standards_gaining_backers"] == ["OCI spec: CoreOS, Docker (0 → 2 backers)"]
    at.date_input(key="wc_from").set_value(date(2014, 4, 1))
    at.date_input(key="wc_to").set_value(date(2014, 11, 30))
    at.selectbox(key="wc_market").set_value("(all markets)")
    at.run()
    assert any("Nothing changed" in i.value for i in at.info)


def test_rank_over_time_matches_analyze_per(at, story_store):
    goto(at, "changes")
    at.radio(key="wc_per").set_value("year")
    at.multiselect(key="wc_entities").set_value([iri("docker"), iri("coreos")])
    at.run()
    assert not at.exception
    table = at.dataframe[-1].value  # the rank table closes the page
    with EmbeddedStore(story_store, read_only=True) as s:
        ranks = timeline.rank_by_period(timeline.timed_assertions(s), "year")
    for name, ent in (("Docker", iri("docker")), ("CoreOS", iri("coreos"))):
        want = ranks[ranks["entity"] == ent].set_index("period")["rank"].to_dict()
        assert {p: int(v) for p, v in table.loc[name].dropna().items()} == want


def test_explorer_time_filter_slices_the_graph_as_the_cli_does(at, story_store):
    goto(at, "explorer")
    at.radio(key="ex_time").set_value("as of a date")
    at.run()
    at.date_input(key="ex_asof").set_value(date(2014, 12, 31))
    at.run()
    assert not at.exception
    with EmbeddedStore(story_store, read_only=True) as s:
        facts = timeline.facts_as_of(s, "2014-12-31")
    entities = {f.subject for f in facts} | {f.object for f in facts}
    cap = next(c.value for c in at.caption if c.value.startswith("Showing"))
    assert f"of {len(entities):,} entities and" in cap and f"of {len(facts):,} facts" in cap
    at.radio(key="ex_time").set_value("window")
    at.run()
    at.date_input(key="ex_window").set_value((date(2016, 1, 1), date(2016, 2, 1)))
    at.run()
    cap = next(c.value for c in at.caption if c.value.startswith("Showing"))
    assert "of 2 entities and 1 of 1 facts" in cap  # only "Docker and CoreOS partner again"


def test_overview_and_profile_use_the_dates(at):
    goto(at, "overview")
    assert not any("No article carries a publication date" in c.value for c in at.caption)
    at.switch_page("ecokg/ui/pages/profile.py")
    at.query_params["entity"] = iri("docker")
    at.run()
    assert not at.exception
    assert [t.value for t in at.title][:1] == ["Docker"]
    assert not any("No dated article mentions it" in c.value for c in at.caption)


def test_profile_marks_the_sentences_that_end_a_relation(at):
    from app_helpers import evidence_items

    at.switch_page("ecokg/ui/pages/profile.py")
    at.query_params["entity"] = iri("coreos")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(e.label.startswith("partnersWith") for e in at.expander)  # open: CoreOS has few sentences
    marked = {r["evidence"]: r["ended"] for r in evidence_items(at)}
    assert marked["CoreOS ended its partnership with Docker."] is True
    assert marked["Docker and CoreOS announced a partnership."] is False
    assert marked["Docker and CoreOS partner again."] is False
    assert sum(marked.values()) == 1
