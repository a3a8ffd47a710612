"""Shared pieces of the Chinese relation rules: candidates and subjects.

A candidate (`Cand`) is a relation before it becomes a `Relation`. The subject
of a cue is found the way Chinese reads: the nearest fitting name in the
clause, else the sentence's topic (later clauses share it), else the subject
carried over from the previous sentence. Rivals are aligned to one kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.nlp.mentions.zh_ner import Ment
from ingest.nlp.relations.zh_args import (
    ORGS,
    THINGS,
    Arg,
    Ctx,
    gap,
    head_of,
    left_of,
    list_before,
    list_from,
    pick,
    right_of,
)

VENDOR = frozenset({"Vendor"})
PERSON = frozenset({"Person"})
SPONSORED = frozenset({"Organization", "Event"})


@dataclass
class Cand:
    """A candidate relation before it becomes a `Relation`."""

    subj: Arg
    pred: str
    obj: Arg
    conf: float
    start: int  # evidence span (sentence)
    end: int


def _mk(ctx: Ctx, s: Arg | None, pred: str, o: Arg | None, conf: float) -> Cand | None:
    if s is None or o is None or s.ment is o.ment and s.sense == o.sense:
        return None
    if pred == "competesWith":
        s, o = _align(s, o)
    if s.sense == o.sense:
        return None
    return Cand(s, pred, o, conf, ctx.sent[0], ctx.sent[1])


def _align(a: Arg, b: Arg) -> tuple[Arg, Arg]:
    """Rivals of one kind: a company against a company, a product against a product,
    where an ambiguous name ("Snowflake") allows it."""
    def kind(x: Arg) -> bool:
        return x.sense.type in ORGS

    if kind(a) == kind(b):
        return a, b
    for x, y, first in ((a, b, True), (b, a, False)):
        if x.ment.cued:
            continue
        alt = next((s for s in x.ment.senses if (s.type in ORGS) == kind(y)), None)
        if alt is not None:
            nx = Arg(x.ment, alt, x.at)
            return (nx, y) if first else (y, nx)
    return a, b


def subject_group(ctx: Ctx, s: Arg | None, types: frozenset[str], exclude: tuple[Ment, ...] = ()) -> list[Arg]:
    """The subject and the names coordinated with it ("华为和小米" both)."""
    if s is None:
        return []
    if s.at is None or s.at not in ctx.sm or s.at.kind == "pron":
        return [s]
    group = list_before(ctx, s.at, types) + list_from(ctx, s.at, types)[1:]
    out = [s]
    for m in group:
        if m is s.at or m in exclude:
            continue
        a = pick(ctx, m, types)
        if a is not None and (a.sense.type in ORGS) == (s.sense.type in ORGS):
            out.append(a)
    return out


def _subject(ctx: Ctx, pos: int, types: frozenset[str], conf: float,
             exclude: tuple[Ment, ...] = ()) -> tuple[Arg | None, float]:
    """Subject of a cue: the nearest fitting name in its clause, else the
    sentence's topic (Chinese clauses share it), else the one carried over."""
    a = left_of(ctx, pos, types, max_gap=60, exclude=exclude, cross_clause=False)
    if a is not None:
        return a, conf
    a = _topic(ctx, types, exclude=exclude, before=pos)
    if a is not None:
        return a, conf * (0.9 if a.at in ctx.sm else 0.7)
    return None, conf


def _sent_rx(ctx: Ctx, rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
    s, e = ctx.sent
    return rx.finditer(ctx.folded, s, e)


def thing_after(ctx: Ctx, pos: int, max_gap: int) -> Ment | None:
    """The product right after pos, looking through its maker ("高通骁龙888")."""
    m = right_of(ctx, pos, VENDOR | THINGS, max_gap=max_gap)
    if m is None or pick(ctx, m, THINGS) is not None:
        return m
    h = head_of(ctx, m, THINGS)
    if h is not m:
        return h
    nxt = right_of(ctx, m.end, THINGS, max_gap=0)
    return nxt


APPOSITIVE_CO = re.compile(r"^[^,;。]{0,14}?(?:公司|厂商|企业|开发商|供应商|母公司)\s?$")


def _appositive(ctx: Ctx, m: Ment) -> Ment:
    """"收购开源数据库公司Zentra": the company named after the descriptor."""
    for n in ctx.sm:
        if n.start >= m.end:
            if APPOSITIVE_CO.match(gap(ctx, m.end, n.start)) and pick(ctx, n, VENDOR):
                return n
            break
    return m


def head_list(ctx: Ctx, first: Ment, types: frozenset[str]) -> list[Ment]:
    """Heads of a list of "X的Y" items: "谷歌的Android和苹果的iOS" -> Android, iOS."""
    out = []
    cur = head_of(ctx, first, types)
    while True:
        out.append(cur)
        nxt = None
        for n in ctx.sm:
            if n.start >= cur.end and n.kind != "pron":
                if n.chosen == cur.chosen and re.fullmatch(r"\s?\(\s?", gap(ctx, cur.end, n.start)):
                    continue  # the gloss of the item itself
                # "思科(Cisco)及Arista": a gloss may sit between the item and the separator
                if re.fullmatch(r"(?:\s?\([^()]{1,30}\))?\s?(?:、|,|和|及|以及|与|或)\s?", gap(ctx, cur.end, n.start)):
                    nxt = n
                break
        if nxt is None or pick(ctx, nxt, types) is None and pick(ctx, nxt, ORGS) is None:
            return out
        cur = head_of(ctx, nxt, types)


def _topic(ctx: Ctx, types: frozenset[str], exclude: tuple[Ment, ...] = (),
           before: int | None = None) -> Arg | None:
    """The sentence's topic: its first fitting mention, else the carried-over subject."""
    for m in ctx.sm:
        if before is not None and m.end > before:
            break
        if m in exclude or m.kind == "pron" or _locative(ctx, m):
            continue
        a = pick(ctx, m, types)
        if a is not None:
            return a
    if ctx.topic is not None and ctx.topic.sense.type in types:
        return ctx.topic
    return None


def _locative(ctx: Ctx, m: Ment) -> bool:
    """"在Azure平台中", "在2019年开发者大会上": a place or occasion, not an actor."""
    before = ctx.folded[max(ctx.sent[0], m.start - 8):m.start]
    after = ctx.folded[m.end:m.end + 6]
    return bool(re.search(r"在[^,。在]{0,7}$", before) and re.match(r"\s?(?:平台|环境|系统|大会|会议)?\s?(?:中|上|里|内|期间)", after))


