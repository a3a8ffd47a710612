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

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.model import SYMMETRIC_PREDICATES, Entity, Relation
from ingest.nlp.sentences import sentence_spans

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


def _cue_hits(words: list[str], raw: str, lang: str) -> set[str]:
    """Predicates (and '_negation') whose cues occur in the words (English) or the raw text (Chinese)."""
    hits: set[str] = set()
    for pred, by_lang in cues().items():
        for cue in by_lang.get(lang, ()):
            if lang == "zh":
                if cue in raw:
                    hits.add(pred)
                    break
            elif any(w == cue or (len(cue) > 3 and w.startswith(cue)) for w in words):
                hits.add(pred)
                break
    return hits


@dataclass
class _Ment:
    entity: str
    type: str
    start: int
    end: int


def _masked(text: str, start: int, end: int, ments: list[_Ment], lang: str) -> list[str]:
    """Words of text[start:end] with entity mentions inside replaced by their type in capitals."""
    out: list[str] = []
    pos = start
    for m in ments:
        if m.start >= start and m.end <= end and m.start >= pos:
            out += tokens(text[pos:m.start], lang)
            out.append(m.type.upper())
            pos = m.end
    out += tokens(text[pos:end], lang)
    return out


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


def pair_features(text: str, lang: str, a: _Ment, b: _Ment, sent: tuple[int, int], ments: list[_Ment],
                  cross: bool, title: bool) -> dict[str, float]:
    """Features of the ordered pair (a subject, b object) at mentions a and b within span `sent`."""
    left, right = (a, b) if a.start <= b.start else (b, a)
    d = "ab" if left is a else "ba"
    between = _masked(text, left.end, right.start, ments, lang) if right.start >= left.end else []
    before = _masked(text, sent[0], left.start, ments, lang)[-WINDOW:]
    after = _masked(text, right.end, sent[1], ments, lang)[:WINDOW]
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
    sent_words = before + between + after
    for p in _cue_hits(between, raw_between, lang):
        f["cue_b:" + p] = 1.0
        f[f"cue_b_tt:{p}|{a.type}|{b.type}|{d}"] = 1.0
    around_raw = text[sent[0]:left.start] + " " + text[right.end:sent[1]]
    for p in _cue_hits(before + after, around_raw, lang):
        f["cue_o:" + p] = 1.0
        f[f"cue_o_tt:{p}|{a.type}|{b.type}"] = 1.0
    if "_negation" in _cue_hits(sent_words, text[sent[0]:sent[1]], lang):
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
    import bisect

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
            title = span[0] < first_line_end and i == 0
            for (sa, ob), (_, x, y) in ranked:
                f = pair_features(text, lang, x, y, span, ms, cross, title)
                for p in votes.get((sa, ob), ()):
                    f["rule:" + p] = 1.0
                out.append(Candidate(sa, ob, span[0], span[1], f))
    return out
