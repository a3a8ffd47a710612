"""Relation candidates and their features: every pair of entities named in one sentence (or in two
neighbouring sentences), described by what the relation model needs to decide predicate and direction.

A candidate is an ordered pair (subject, object) at one place in the text. Features are sparse
strings: argument types, words between the two mentions with the other entity mentions masked by
their type (so "backed by Cisco, VMware, IBM and AT&T" looks alike for every pair in the list),
words around, cue-lexicon hits (``data/relation_cues.json``) between, around and in the sentence,
negation cues, list shapes and the rule extractor's votes. Pure functions: text and entities in,
candidates out.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.nlp.text.sentences import sentence_spans
from kg.model import SYMMETRIC_PREDICATES, Entity, Relation

CUES_PATH = Path(__file__).with_name("data") / "relation_cues.json"
_EN_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ed", "es", "s")
_LIST_WORDS = frozenset({",", "and", "or", "&", "、", "，", "和", "与", "及", "以及", "或", "跟", "同", "與"})
WINDOW = 4  # words around the pair
MAX_CANDIDATES_PER_SENTENCE = 400  # a sentence listing 30 names gives 870 ordered pairs: keep the closest


@dataclass
class Candidate:
    """An ordered entity pair at one place in the text, with its features."""

    subject: str  # entity id
    object: str
    start: int  # evidence span (one sentence, or two neighbouring ones)
    end: int
    features: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def cues() -> dict[str, dict[str, list[str]]]:
    """Cue words per predicate (and "_negation") and language."""
    data = json.loads(CUES_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_") or k == "_negation"}


def stem(word: str) -> str:
    """A crude English stem, enough to make 'acquires', 'acquired' and 'acquiring' one feature."""
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def tokens(text: str, lang: str) -> list[str]:
    """Feature words of a piece of text: English stems, or jieba words for Chinese."""
    if lang == "zh":
        import jieba

        return [w for w in (t.strip() for t in jieba.lcut(text, HMM=False)) if w]
    return [stem(t) for t in _EN_TOKEN.findall(text)]


@lru_cache(maxsize=1)
def _zh_cue_patterns() -> dict[str, re.Pattern]:
    return {p: re.compile("|".join(map(re.escape, sorted(by.get("zh", ()), key=len, reverse=True))))
            for p, by in cues().items() if by.get("zh")}


@lru_cache(maxsize=65536)
def _en_cue_preds(word: str) -> frozenset[str]:
    """Predicates (and '_negation') one English stem is a cue of."""
    return frozenset(p for p, by in cues().items()
                     if any(word == c or (len(c) > 3 and word.startswith(c)) for c in by.get("en", ())))


@dataclass
class _Ment:
    entity: str
    type: str
    start: int
    end: int


@dataclass
class _Span:
    """A sentence (or two) analysed once for all its pairs: words with entity mentions masked by type, and
    where each cue word sits."""

    items: list[tuple[int, int, str]]  # (start, end, word or TYPE), in text order
    starts: list[int]
    cue_at: list[tuple[int, str]]  # (position, predicate or "_negation")


def _analyse(text: str, lang: str, span: tuple[int, int], ments: list[_Ment]) -> _Span:
    lo, hi = span
    piece = text[lo:hi]
    if lang == "zh":
        import jieba

        words = [(lo + a, lo + b, w) for w, a, b in jieba.tokenize(piece, HMM=False) if w.strip()]
        cue_at = [(lo + m.start(), p) for p, rx in _zh_cue_patterns().items() for m in rx.finditer(piece)]
    else:
        words = [(lo + m.start(), lo + m.end(), stem(m.group())) for m in _EN_TOKEN.finditer(piece)]
        cue_at = [(a, p) for a, _, w in words for p in _en_cue_preds(w)]
    inside = sorted((m.start, m.end, m.type.upper()) for m in ments if lo <= m.start and m.end <= hi)
    starts = [m[0] for m in inside]
    masked: list[tuple[int, int, str]] = []
    for w in words:
        k = bisect.bisect_right(starts, w[0]) - 1
        if k >= 0 and inside[k][0] <= w[0] < inside[k][1]:
            continue  # a word of a mention: the mention stands for it
        masked.append(w)
    masked = sorted(masked + inside)
    return _Span(masked, [m[0] for m in masked], sorted(cue_at))


def _words(sp: _Span, start: int, end: int) -> list[str]:
    """The (masked) words that lie within [start, end)."""
    i = bisect.bisect_left(sp.starts, start)
    out = []
    while i < len(sp.items) and sp.items[i][1] <= end:
        out.append(sp.items[i][2])
        i += 1
    return out


def _hits(sp: _Span, start: int, end: int) -> set[str]:
    return {p for pos, p in sp.cue_at if start <= pos < end}


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7-12" if n < 13 else "13+"


def _rule_votes(rules: list[Relation]) -> dict[tuple[str, str], set[str]]:
    votes: dict[tuple[str, str], set[str]] = {}
    for r in rules:
        votes.setdefault((r.subject, r.object), set()).add(r.predicate)
        if r.predicate in SYMMETRIC_PREDICATES:
            votes.setdefault((r.object, r.subject), set()).add(r.predicate)
        else:
            votes.setdefault((r.object, r.subject), set()).add("rev:" + r.predicate)
    return votes


def pair_features(text: str, sp: _Span, a: _Ment, b: _Ment, sent: tuple[int, int], cross: bool,
                  title: bool) -> dict[str, float]:
    """Features of the ordered pair (a subject, b object) at mentions a and b within span `sent`."""
    left, right = (a, b) if a.start <= b.start else (b, a)
    d = "ab" if left is a else "ba"
    between = _words(sp, left.end, right.start) if right.start >= left.end else []
    before = _words(sp, sent[0], left.start)[-WINDOW:]
    after = _words(sp, right.end, sent[1])[:WINDOW]
    raw_between = text[left.end:right.start] if right.start >= left.end else ""
    f: dict[str, float] = {
        "ta=" + a.type: 1.0, "tb=" + b.type: 1.0, f"tt={a.type}|{b.type}": 1.0, "dir=" + d: 1.0,
        f"tt_dir={a.type}|{b.type}|{d}": 1.0, "nb=" + _bucket(len(between)): 1.0,
    }
    if cross:
        f["cross"] = 1.0
    if title:
        f["title"] = 1.0
    others = sum(1 for w in between if w.isupper() and w.isalpha() and len(w) > 3)
    f["nent=" + _bucket(others)] = 1.0
    if between and all(w in _LIST_WORDS or (w.isupper() and w.isalpha()) for w in between):
        f["list_between"] = 1.0
    if not between or raw_between.strip() in {"'s", "’s", "的"}:
        f["adjacent=" + (raw_between.strip() or "_")] = 1.0
    for w in set(between):
        f["b:" + w] = 1.0
        f[f"b_{d}:" + w] = 1.0
    for x, y in zip(between, between[1:], strict=False):
        f[f"bb:{x}_{y}"] = 1.0
    if between:
        f["first:" + between[0]] = 1.0
        f["last:" + between[-1]] = 1.0
        f[f"first_{d}:" + between[0]] = 1.0
    for i, w in enumerate(reversed(before)):
        f["l:" + w] = 1.0
        if i == 0:
            f["l1:" + w] = 1.0
    for i, w in enumerate(after):
        f["r:" + w] = 1.0
        if i == 0:
            f["r1:" + w] = 1.0
    for p in _hits(sp, left.end, right.start):
        f["cue_b:" + p] = 1.0
        f[f"cue_b_tt:{p}|{a.type}|{b.type}|{d}"] = 1.0
    for p in _hits(sp, sent[0], left.start) | _hits(sp, right.end, sent[1]):
        f["cue_o:" + p] = 1.0
        f[f"cue_o_tt:{p}|{a.type}|{b.type}"] = 1.0
    if any(p == "_negation" for _, p in sp.cue_at):
        f["neg"] = 1.0
    return f


def candidates(text: str, lang: str, entities: list[Entity], rules: list[Relation] = (),
               cross_sentence: bool = True) -> list[Candidate]:
    """Ordered entity pairs named in one sentence or two neighbouring ones, with their features.

    For each pair and sentence the closest two mentions are described; a pair named in several
    sentences gives several candidates (the model's decision is the best of them).
    """
    spans = sentence_spans(text)
    if not spans:
        return []
    by_sent: list[list[_Ment]] = [[] for _ in spans]
    starts = [s for s, _ in spans]
    for e in entities:
        for m in e.mentions:
            i = max(0, bisect.bisect_right(starts, m.start) - 1)
            if m.start < spans[i][1]:
                by_sent[i].append(_Ment(e.id, e.type, m.start, m.end))
    for lst in by_sent:
        lst.sort(key=lambda m: (m.start, -m.end))
    votes = _rule_votes(list(rules))
    first_line_end = text.find("\n") if "\n" in text else len(text)
    out: list[Candidate] = []
    for i, ments in enumerate(by_sent):
        groups = [(ments, spans[i], False)]
        if cross_sentence and i + 1 < len(spans) and ments and by_sent[i + 1]:
            groups.append((ments + by_sent[i + 1], (spans[i][0], spans[i + 1][1]), True))
        for ms, span, cross in groups:
            here = {m.entity for m in ments}
            best: dict[tuple[str, str], tuple[int, _Ment, _Ment]] = {}
            for x in ms:
                for y in ms:
                    if x.entity == y.entity:
                        continue
                    if cross and ((x.entity in here) == (y.entity in here) or
                                  (x.entity in here and y.entity in here)):
                        continue  # across sentences only pairs split between the two
                    gap = abs(x.start - y.start)
                    k = (x.entity, y.entity)
                    if k not in best or gap < best[k][0]:
                        best[k] = (gap, x, y)
            ranked = sorted(best.items(), key=lambda kv: kv[1][0])[:MAX_CANDIDATES_PER_SENTENCE]
            if not ranked:
                continue
            title = span[0] < first_line_end and i == 0
            sp = _analyse(text, lang, span, ms)
            for (sa, ob), (_, x, y) in ranked:
                f = pair_features(text, sp, x, y, span, cross, title)
                for p in votes.get((sa, ob), ()):
                    f["rule:" + p] = 1.0
                out.append(Candidate(sa, ob, span[0], span[1], f))
    add_salience(out, entities, first_line_end)
    return out


def _rank_bucket(rank: int) -> str:
    return str(rank) if rank <= 3 else "4-6" if rank <= 6 else "7+"


def add_salience(cands: list[Candidate], entities: list[Entity], title_end: int) -> None:
    """Article-level features of each pair: how prominent each entity is (its rank by mentions, whether the
    headline names it) and in how many places the two are named together. Annotators record the relations
    an article is about; a pair named once in passing among many is usually not one of them."""
    counts = sorted(((len(e.mentions), e.id) for e in entities), key=lambda x: (-x[0], x[1]))
    rank = {eid: i + 1 for i, (_, eid) in enumerate(counts)}
    in_title = {e.id for e in entities if any(m.start < title_end for m in e.mentions)}
    places: dict[frozenset, set[int]] = {}
    for c in cands:
        if "cross" not in c.features:
            places.setdefault(frozenset((c.subject, c.object)), set()).add(c.start)
    for c in cands:
        ra, rb = _rank_bucket(rank.get(c.subject, 99)), _rank_bucket(rank.get(c.object, 99))
        f = c.features
        f["sal_a=" + ra] = 1.0
        f["sal_b=" + rb] = 1.0
        f[f"sal_ab={ra}|{rb}"] = 1.0
        f["together=" + _bucket(len(places.get(frozenset((c.subject, c.object)), ())))] = 1.0
        if c.subject in in_title:
            f["a_headline"] = 1.0
        if c.object in in_title:
            f["b_headline"] = 1.0
