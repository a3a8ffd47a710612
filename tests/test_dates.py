"""Publication dates, front matter, event dates and end cues: the pure parts, both languages."""

from __future__ import annotations

import pytest

from ingest.dates import find_dates, parse_date, publication_date
from ingest.front_matter import split_front_matter
from ingest.nlp.relations.end_cues import end_cue, relation_status
from ingest.nlp.relations.event_time import date_relations, event_date
from ingest.text import article_from_bytes, read_article
from kg.model import Relation


@pytest.mark.parametrize("text,expected", [
    ("June 22, 2015", "2015-06-22"), ("22 June 2015", "2015-06-22"), ("Sept. 3, 2014", "2014-09-03"),
    ("2015年6月22日", "2015-06-22"), ("2015 年 6 月 22 日", "2015-06-22"), ("2015/06/22", "2015-06-22"),
    ("2015-06-22", "2015-06-22"), ("2015.06.22", "2015-06-22"), ("2015年6月", "2015-06"), ("June 2015", "2015-06"),
    ("2015-06-22T10:00:00Z", "2015-06-22"), ("2015", "2015"), ("2015-02-30", None), ("version 1.2.3", None),
])
def test_parse_date_shapes(text, expected):
    assert parse_date(text) == expected


def test_find_dates_prefers_the_most_precise_reading():
    assert find_dates("On 2015年6月22日 and in June 2016") == [(3, 13, "2015-06-22"), (21, 30, "2016-06")]


def test_publication_date_from_a_dateline_or_the_first_paragraph_only():
    assert publication_date("Docker and CoreOS\n\nSAN FRANCISCO, June 22, 2015 -- The two...") == "2015-06-22"
    assert publication_date("容器标准之争\n\n2015年6月，Docker 与 CoreOS 宣布……") == "2015-06"
    later = "Docker and CoreOS agree.\n\nThe two companies agree on a format.\n\n" + "x " * 300 + "June 22, 2015"
    assert publication_date(later) is None  # a date deep in the text is about an event, not the article


def test_front_matter_is_metadata_and_leaves_the_text():
    text = "---\ntitle: OCI founded\ndate: 2015-06-22\nlang: en\nurl: https://example.org/oci\n---\nDocker and CoreOS.\n"
    meta, body = split_front_matter(text)
    assert meta == {"title": "OCI founded", "date": "2015-06-22", "lang": "en", "url": "https://example.org/oci"}
    assert body == "Docker and CoreOS.\n"
    assert split_front_matter("Intro\n---\nnot: front matter\n---\n") == ({}, "Intro\n---\nnot: front matter\n---\n")
    rule = "---\nA Markdown rule, then prose.\n---\nText"
    assert split_front_matter(rule)[0] == {}


def test_articles_get_their_dates_from_front_matter_or_the_text(tmp_path):
    md = tmp_path / "oci.md"
    md.write_text("---\ntitle: \"OCI founded\"\ndate: 2015-06-22\nlang: en\n---\n"
                  "# Ignored heading\n\nDocker and CoreOS founded the Open Container Initiative.\n", encoding="utf-8")
    a = read_article(md)
    assert (a.title, a.date, a.lang) == ("OCI founded", "2015-06-22", "en")
    assert not a.text.startswith("---") and "title:" not in a.text
    zh = article_from_bytes("容器之争\n\n2014年12月1日，CoreOS 发布 rkt。".encode(), "zh.txt", key="k")
    assert zh.date == "2014-12-01"
    month = article_from_bytes("開放容器計劃\n\n2015年6月，Docker 與 CoreOS 成立 OCI。".encode(), "tw.txt", key="k2")
    assert month.date == "2015-06"
    none = article_from_bytes(b"Docker and CoreOS compete.", "n.txt", key="k3")
    assert none.date is None


@pytest.mark.parametrize("sentence,anchor,expected", [
    # absolute
    ("The deal closed on June 1, 2015.", "2016-01-01", "2015-06-01"),
    ("2014年12月，CoreOS 发布 rkt。", "2015-06-22", "2014-12"),
    ("2014年12月1日，CoreOS 发布 rkt。", None, "2014-12-01"),
    # year only
    ("Docker was released in 2013.", "2015-06-22", "2013"),
    ("CoreOS 在2013年成立。", "2015-06-22", "2013"),
    ("DockerCon 2015 drew crowds.", "2015-06-22", None),
    # relative to the article's date
    ("Last March, CoreOS launched rkt.", "2015-06-22", "2015-03"),
    ("CoreOS launched rkt last December.", "2015-06-22", "2014-12"),
    ("去年三月，CoreOS 推出了 rkt。", "2015-06-22", "2014-03"),
    ("今年6月，双方宣布合作。", "2015-08-01", "2015-06"),
    ("上个月双方终止合作。", "2015-06-22", "2015-05"),
    ("微软昨天宣布。", "2015-06-22", "2015-06-21"),
    ("Two years ago Docker partnered with Red Hat.", "2015-06-22", "2013"),
    ("Docker raised money last year.", "2015-06-22", "2014"),
    ("两年前，Docker 与红帽合作。", "2015-06-22", "2013"),
    ("Last March, CoreOS launched rkt.", None, None),  # relative with no article date: unknown
    ("No time here.", "2015-06-22", None),
])
def test_event_dates_resolve(sentence, anchor, expected):
    assert event_date(sentence, anchor) == expected


def test_date_relations_keeps_a_date_already_set():
    rels = [Relation("a", "acquired", "b", "A bought B last year.", 0.9),
            Relation("a", "develops", "c", "A made C in 2010.", 0.9, event_date="2011")]
    date_relations(rels, "2015-06-22")
    assert [r.event_date for r in rels] == ["2014", "2011"]


@pytest.mark.parametrize("sentence,ended", [
    ("CoreOS ended its partnership with Docker.", True),
    ("Docker and CoreOS are no longer rivals.", True),
    ("Microsoft PARTED WAYS with the startup.", True),
    ("微软与该公司终止合作。", True),
    ("两家公司不再是竞争对手。", True),
    ("兩家公司已經分道揚鑣。", True),
    ("Alex Polvi stepped down as chief executive of CoreOS.", True),
    ("他不再担任该公司首席执行官。", True),
    ("For Docker, the question is no longer whose orchestrator will win.", False),
    ("CoreOS partners with Docker.", False),
    ("微软与该公司宣布合作。", False),
    ("Revenue is over $100 million.", False),
])
def test_end_cues(sentence, ended):
    assert (end_cue(sentence) is not None) == ended
    rel = Relation("x", "partnersWith", "y", sentence, 0.8)
    assert relation_status(rel) == ("ended" if ended else None)


def test_finalize_marks_ended_relations_and_keeps_them_beside_holding_ones():
    from ingest.nlp.relations.relations_common import finalize_relations
    from kg.model import Entity

    a, b = Entity("Alpha", "Vendor"), Entity("Beta", "Vendor")
    rels = [Relation(a.id, "partnersWith", b.id, "Alpha partners with Beta.", 0.8),
            Relation(b.id, "partnersWith", a.id, "Beta ended its partnership with Alpha.", 0.7)]
    out = finalize_relations(rels, [a, b])
    assert sorted((r.status or "", r.evidence) for r in out) == [
        ("", "Alpha partners with Beta."), ("ended", "Beta ended its partnership with Alpha.")]
