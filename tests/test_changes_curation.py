"""Analysts' corrections in the time views (kg.timeline, kg.changes) on a small hand-built store."""

from __future__ import annotations

import pytest
from time_helpers import iri, write_story

from kg import timeline
from kg.changes import changes
from kg.curation import actions
from kg.curation.records import correction_iri
from kg.store import EmbeddedStore

WHO = {"who": "ana", "why": "checked the press release"}


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "store")
    write_story(s)
    yield s
    s.close()


def texts(ch, section: str) -> list[str]:
    return [i.text for i in ch.sections[section]]


def entities_of(frame) -> set[str]:
    return set(frame["s"]) | set(frame["o"])


def test_a_rejected_fact_does_not_appear_as_new_nor_in_the_graph_as_of(store):
    assert texts(changes(store, "2014", "2014"), "new_rivalries") == ["CoreOS vs Docker"]
    actions.reject(store, iri("coreos"), "competesWith", iri("docker"), **WHO)
    assert texts(changes(store, "2014", "2014"), "new_rivalries") == []
    for frame in (timeline.timed_facts(store), timeline.timed_assertions(store)):
        held = timeline.as_of(frame, "2014-12-31")
        assert not any(p == "competesWith" for p in held["p"])
    assert texts(changes(store, "2015", "2015"), "new_rivalries") == ["Docker vs Google"]  # others untouched


def test_a_merged_entity_counts_once(store):
    before = changes(store, "2015", "2015")
    assert [i.text for i in before.sections["standards_gaining_backers"]] == [
        "OCI spec: CoreOS, Docker (0 → 2 backers)", "appc: Google (1 → 2 backers)"]
    actions.merge(store, iri("appc"), iri("oci"), **WHO)
    after = changes(store, "2015", "2015")
    # appc's facts are OCI's: CoreOS backed it from 2014 (it wrote appc), Docker and Google joined in 2015
    assert texts(after, "standards_gaining_backers") == ["OCI spec: Docker, Google (1 → 3 backers)"]
    assert iri("appc") not in entities_of(timeline.timed_facts(store))
    assert iri("appc") not in {e for items in after.sections.values() for i in items for e in i.entities}
    held = timeline.as_of(timeline.timed_facts(store), "2015-12-31")
    assert sum(1 for s, p, o in zip(held["s"], held["p"], held["o"], strict=True)
               if (s, p, o) == (iri("coreos"), "develops", iri("oci"))) == 1


def test_a_retyped_entity_has_its_new_type(store):
    assert texts(changes(store, "2015", "2015"), "new_products") == ["Docker Swarm (by Docker)"]
    actions.retype(store, iri("swarm"), "Standard", **WHO)
    ch = changes(store, "2015", "2015")
    assert texts(ch, "new_products") == []
    assert texts(ch, "new_standards") == ["Docker Swarm (by Docker)", "OCI spec"]


def test_an_asserted_fact_appears_with_its_curation_provenance_and_date(store):
    c = actions.assert_fact(store, iri("microsoft"), "acquired", iri("orchard"), note="a test fact",
                            source="https://example.org/release", **WHO)
    day = c.when[:10]
    ch = changes(store, day[:4], day[:4])
    [item] = ch.sections["acquisitions"]
    assert item.text == "Microsoft acquired Orchard" and item.date == day
    [ev] = item.evidence
    assert ev.article == correction_iri(c.id) and ev.date == day
    assert ev.title == "asserted by ana" and ev.url == "https://example.org/release"
    assert "analyst: ana" in ev.text and "source: https://example.org/release" in ev.text
    assert texts(changes(store, "2015", "2015"), "acquisitions") == ["Docker acquired SocketPlane"]  # not back-dated
    frame = timeline.timed_assertions(store)
    row = frame[frame["art"] == correction_iri(c.id)]
    assert list(row["date"]) == [day] and list(row["p"]) == ["acquired"]


def test_undoing_a_correction_restores_the_extracted_view(store):
    c = actions.reject(store, iri("coreos"), "competesWith", iri("docker"), **WHO)
    actions.undo(store, c.id, who="ana", why="wrong call")
    assert texts(changes(store, "2014", "2014"), "new_rivalries") == ["CoreOS vs Docker"]
