"""Facts in time on a real store: windows, as-of, ended facts, fact dates, `ecokg changes` and `analyze` by date."""

from __future__ import annotations

import json

import feedparser
import pytest
from time_helpers import iri, story_articles, write_story

from ecokg.cli import main
from kg import queries, timeline
from kg.analytics import build_graph, pagerank
from kg.changes import changes, compare_communities
from kg.changes_format import render
from kg.namespace import END_DATE, STATUS, article_iri
from kg.rdf import article_quads
from kg.store import EmbeddedStore


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "store"
    s = EmbeddedStore(path)
    write_story(s)
    yield s, path
    s.close()


def keys(merged) -> set[tuple[str, str, str]]:
    short = {iri(n): n for n in ("docker", "coreos", "google", "microsoft", "socketplane", "orchard", "engine", "rkt",
                                 "swarm", "appc", "oci")}
    return {(short[s], p, short[o]) for s, p, o in zip(merged["s"], merged["p"], merged["o"], strict=True)}


BEFORE_2015 = {("docker", "partnersWith", "coreos") if iri("docker") < iri("coreos") else ("coreos", "partnersWith", "docker"),
               ("docker", "develops", "engine"), ("coreos", "develops", "rkt"), ("coreos", "develops", "appc"),
               ("coreos", "competesWith", "docker"), ("docker", "acquired", "orchard")}


def test_as_of_includes_and_excludes_the_right_facts(story):
    frame = timeline.timed_assertions(story[0])
    assert keys(timeline.as_of(frame, "2014-12-31")) == BEFORE_2015  # Orchard: the sentence dates it 2014
    mid = keys(timeline.as_of(frame, "2015-07-31"))
    assert ("coreos", "partnersWith", "docker") in mid and ("docker", "acquired", "socketplane") in mid
    end_2015 = keys(timeline.as_of(frame, "2015-12-31"))
    assert ("coreos", "partnersWith", "docker") not in end_2015  # ended on 2015-08-01
    assert {("docker", "supports", "oci"), ("google", "supports", "appc"), ("docker", "develops", "swarm")} <= end_2015
    assert ("coreos", "partnersWith", "docker") in keys(timeline.as_of(frame, "2016-12-31"))  # partners again
    assert keys(timeline.as_of(frame, "2013-12-31")) == set()


def test_window_holds_only_facts_seen_in_it(story):
    frame = timeline.timed_assertions(story[0])
    seen = keys(timeline.seen_in(frame, "2015-01-01", "2015-06-30"))
    assert seen == {("docker", "acquired", "socketplane"), ("docker", "develops", "swarm"), ("docker", "supports", "oci"),
                    ("coreos", "supports", "oci"), ("google", "supports", "appc"), ("docker", "partnersWith", "microsoft"),
                    ("docker", "competesWith", "google")}
    assert keys(timeline.seen_in(frame, "2015-08-01", "2015-12-31")) == set()  # only the end; nothing holds
    facts = timeline.facts_in_window(story[0], "2016-01-01", None)
    assert [(f.first_date, f.last_date, f.dates) for f in facts] == [("2016-02-01", "2016-02-01", ("2016-02-01",))]
    with pytest.raises(timeline.TimeError):
        timeline.seen_in(frame, "2016-01-01", "2015-01-01")


def test_merged_fact_exposes_first_last_and_supporting_dates_and_its_end(story):
    frame = timeline.timed_assertions(story[0])
    m = timeline.merge(frame)
    row = m[(m["p"] == "partnersWith") & m["s"].isin([iri("docker"), iri("coreos")]) & m["o"].isin([iri("docker"), iri("coreos")])]
    r = row.iloc[0]
    assert (r.first_date, r.last_date, r.dates, r.ended, bool(r.active)) == (
        "2014-03-10", "2016-02-01", ("2014-03-10", "2016-02-01"), "2015-08-01", True)
    d = queries.fact_dates(story[0], iri("coreos"), "partnersWith", iri("docker"))  # SPARQL, either order
    assert d == {"first_date": "2014-03-10", "last_date": "2016-02-01", "dates": ["2014-03-10", "2016-02-01"],
                 "articles": 2, "ended": "2015-08-01"}
    timeless = [f for f in queries.facts(story[0]) if f.predicate == "partnersWith"
                and {f.subject, f.object} == {iri("docker"), iri("coreos")}]
    assert sum(f.articles for f in timeless) == 2  # the ending sentence is no support


def test_an_ended_relation_is_written_as_an_ending_assertion_without_the_fact():
    art, ext = story_articles()[3]
    quads = article_quads(art, ext)
    preds = {q.predicate.value for q in quads}
    assert str(STATUS) in preds and str(END_DATE) in preds
    assert not any(q.predicate.value.endswith("#partnersWith") for q in quads)
    end = [q.object.value for q in quads if q.predicate.value == str(END_DATE)]
    assert end == ["2015-08-01"]


def test_month_precision_dates_are_written_as_their_first_day():
    art, ext = story_articles()[0]
    art.date = "2015-06"
    quads = article_quads(art, ext)
    got = {q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: q.object.value for q in quads
           if q.subject.value == article_iri(art.key)}
    assert got["datePublished"] == "2015-06-01" and got["datePrecision"] == "month"


EXPECTED_2015 = {
    "new_rivalries": ["Docker vs Google"],
    "ended_rivalries": [],
    "new_alliances": ["Docker + Microsoft"],
    "ended_alliances": ["CoreOS + Docker"],
    "acquisitions": ["Docker acquired SocketPlane"],
    "new_products": ["Docker Swarm (by Docker)"],
    "new_standards": ["OCI spec"],
    "standards_gaining_backers": ["OCI spec: CoreOS, Docker (0 → 2 backers)", "appc: Google (1 → 2 backers)"],
    "communities_merged": [],
    "communities_split": [],
}


def test_changes_lists_exactly_the_expected_items(story):
    ch = changes(story[0], "2015", "2015")
    for kind, texts in EXPECTED_2015.items():
        assert [i.text for i in ch.sections[kind]] == texts, kind
    ended = ch.sections["ended_alliances"][0]
    assert [e.text for e in ch.sections["ended_alliances"][0].evidence] == ["CoreOS ended its partnership with Docker."]
    assert ended.evidence[0].url == "https://news.test/a4" and ended.date == "2015-08-01"
    assert [e.text for e in ch.sections["acquisitions"][0].evidence] == ["Docker acquired SocketPlane."]


def test_centrality_movers_match_pagerank_computed_independently(story):
    frame = timeline.timed_assertions(story[0])
    ch = changes(story[0], "2015", "2015")

    def ranks(day):
        pr = pagerank(_simple(build_graph(timeline.to_facts(timeline.as_of(frame, day)))))
        return {e: i for i, e in enumerate(sorted(pr, key=lambda e: (-pr[e], e)), start=1)}

    before, after = ranks("2014-12-31"), ranks("2015-12-31")
    moves = {e: before[e] - after[e] for e in after if e in before and before[e] != after[e]}
    rose = sorted((e for e in moves if moves[e] > 0), key=lambda e: (-moves[e], e))[:5]
    fell = sorted((e for e in moves if moves[e] < 0), key=lambda e: (moves[e], e))[:5]
    assert [i.entities[0] for i in ch.sections["centrality_rose"]] == rose
    assert [i.entities[0] for i in ch.sections["centrality_fell"]] == fell
    assert rose and fell


def _simple(g):
    from kg.analytics import simple_graph

    return simple_graph(g)


def test_compare_communities_finds_merges_and_splits():
    before = {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1, "g": 2, "h": 2, "i": 2, "j": 2}
    after = {"a": 0, "b": 0, "c": 0, "d": 0, "e": 0, "f": 0, "g": 1, "h": 1, "i": 2, "j": 2}
    merged, split = compare_communities(before, after)
    assert merged == [(0, [0, 1])]
    assert split == [(2, [1, 2])]
    assert compare_communities(before, before) == ([], [])


def test_changes_is_deterministic_and_filters_by_market(story):
    a = render(changes(story[0], "2015", "2015"), "json")
    assert a == render(changes(story[0], "2015", "2015"), "json")
    from kg.timeline import TimeError

    with pytest.raises(TimeError, match="no entity belongs to market"):
        changes(story[0], "2015", "2015", market="containers")


def test_cli_changes_in_three_formats(story, capsys):
    s, path = story
    s.close()
    assert main(["changes", "--store", str(path), "--from", "2015", "--to", "2015", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["text"] for i in data["sections"]["acquisitions"]] == ["Docker acquired SocketPlane"]
    assert main(["changes", "--store", str(path), "--from", "2015", "--to", "2015"]) == 0
    md = capsys.readouterr().out
    assert "## Ended alliances (1)" in md and "CoreOS ended its partnership with Docker." in md
    assert main(["changes", "--store", str(path), "--from", "2015", "--to", "2015", "--format", "atom"]) == 0
    feed = feedparser.parse(capsys.readouterr().out)
    assert not feed.bozo and len(feed.entries) == data["count"]
    assert {e.title for e in feed.entries} >= {"Acquisitions: Docker acquired SocketPlane"}
    assert main(["changes", "--store", str(path), "--from", "2016", "--to", "2015"]) == 2
    assert "starts (2016-01-01) after it ends" in capsys.readouterr().err
    assert main(["changes", "--store", str(path), "--from", "June", "--to", "2015"]) == 2
    assert "not a date" in capsys.readouterr().err
    assert main(["changes", "--store", str(path), "--from", "2015", "--to", "2015", "-o", str(path / "no" / "x.md")]) == 2
    assert "cannot write" in capsys.readouterr().err
    out = path.parent / "changes.md"
    assert main(["changes", "--store", str(path), "--from", "2015", "--to", "2015", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == md


def test_cli_analyze_as_of_and_per_period(story, capsys):
    from kg.materialize import read_analytics

    s, path = story
    s.close()
    assert main(["analyze", "--store", str(path), "--as-of", "2014"]) == 0
    assert "as of 2014-12-31" in capsys.readouterr().out
    with EmbeddedStore(path) as st:
        table = read_analytics(st)
    assert set(table["entity"]) == {iri(n) for n in ("docker", "coreos", "engine", "rkt", "appc", "orchard")}
    assert main(["analyze", "--store", str(path), "--from", "2015", "--to", "2015-06"]) == 0
    with EmbeddedStore(path) as st:
        assert iri("orchard") not in set(read_analytics(st)["entity"])
    assert main(["analyze", "--store", str(path), "--per", "year", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "2014: 6 entities" in out and "2016:" in out and "merged" in out
    assert "Docker" in out and "https://" not in out  # labels, not IRIs


def test_rank_by_period_follows_as_of(story):
    frame = timeline.timed_assertions(story[0])
    table = timeline.rank_by_period(frame, "quarter", entities=[iri("docker")])
    assert list(table["period"])[:2] == ["2014Q1", "2014Q2"] and list(table["period"])[-1] == "2016Q1"
    assert table.set_index("period").loc["2014Q1", "rank"] in (1, 2)


def test_changes_in_one_market(story, tmp_path):
    from time_helpers import write_story_catalog

    write_story_catalog(story[0], tmp_path)
    ch = changes(story[0], "2015", "2015", market="containers")
    # every fact touching Docker or CoreOS stays; here that is all of them but Google backing appc
    assert [i.text for i in ch.sections["standards_gaining_backers"]] == ["OCI spec: CoreOS, Docker (0 → 2 backers)"]
    assert [i.text for i in ch.sections["new_alliances"]] == ["Docker + Microsoft"]


def test_the_fast_reader_gives_the_same_slices_and_changes(story):
    full = timeline.timed_assertions(story[0])
    fast = timeline.timed_facts(story[0])
    assert fast["evidence"].eq("").all() and fast["conf"].isna().all()
    for day in ("2014-12-31", "2015-07-31", "2015-12-31", "2016-12-31"):
        cols = ["s", "p", "o", "articles", "first_date", "last_date", "ended", "active"]
        a = timeline.merge(timeline.in_window(full, None, day))[cols]
        b = timeline.merge(timeline.in_window(fast, None, day))[cols]
        assert a.to_dict("records") == b.to_dict("records"), day
    slow = changes(story[0], "2015", "2015", frame=full)
    quick = changes(story[0], "2015", "2015")  # fast frame, evidence read for the span's articles
    assert render(slow, "json") == render(quick, "json")


def test_an_event_dated_fact_lands_in_its_event_year_shown_at_its_precision(story):
    ch = changes(story[0], "2014", "2014")
    acq = {i.text: i for i in ch.sections["acquisitions"]}
    assert list(acq) == ["Docker acquired Orchard"]  # a 2015 article, a 2014 event
    assert acq["Docker acquired Orchard"].date == "2014"
    assert [(e.text, e.date) for e in acq["Docker acquired Orchard"].evidence] == [
        ("Docker acquired Orchard in 2014.", "2014")]
    assert "Docker acquired Orchard" not in [i.text for i in changes(story[0], "2015", "2015").sections["acquisitions"]]
