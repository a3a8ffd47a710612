"""Relation patterns for Chinese: a cue word and arguments found around it.

Each rule reads one sentence of the folded text (Simplified, ASCII
punctuation) and yields candidate relations with a confidence; negation
(否认, 不再) drops a candidate and hedges (传闻, 不是真正) lower it. The schema's
type constraints decide which sense of an ambiguous name an argument takes.

The rules live in `zh_rel_business` (acquired, ownership, partnersWith,
sponsors, leads, contributesTo) and `zh_rel_tech` (develops, competesWith,
supports, integratesWith); this module runs them sentence by sentence and
carries a subject over to subject-less sentences.
"""

from __future__ import annotations

import bisect
import re

from ingest.nlp.mentions.zh_ner import Ment
from ingest.nlp.relations.zh_args import BREAK, ORGS, Arg, Ctx, pick
from ingest.nlp.relations.zh_rel_base import Cand
from ingest.nlp.relations.zh_rel_business import (
    rule_acquired,
    rule_behind,
    rule_contributes,
    rule_founders,
    rule_hosting,
    rule_leads,
    rule_ownership,
    rule_partners,
    rule_sponsors,
)
from ingest.nlp.relations.zh_rel_tech import (
    rule_competes,
    rule_described_company,
    rule_develops,
    rule_hardware,
    rule_integrates,
    rule_mutual_rivals,
    rule_possessive,
    rule_supports,
)

__all__ = ["Cand", "find_relations"]

RULES = (
    rule_founders,
    rule_hosting,
    rule_described_company,
    rule_ownership,
    rule_behind,
    rule_hardware,
    rule_acquired,
    rule_partners,
    rule_develops,
    rule_possessive,
    rule_sponsors,
    rule_leads,
    rule_competes,
    rule_mutual_rivals,
    rule_supports,
    rule_contributes,
    rule_integrates,
)


def sentence_topic(ctx: Ctx) -> Arg | None:
    """The subject a following subject-less sentence inherits: a company at the
    start of this sentence (before the first clause break)."""
    first_break = BREAK.search(ctx.folded, ctx.sent[0], ctx.sent[1])
    opener = _OPENER.match(ctx.folded, ctx.sent[0])
    if first_break and opener and opener.end() >= first_break.end():
        first_break = BREAK.search(ctx.folded, first_break.end(), ctx.sent[1])  # "值得注意的是,X…"
    limit = first_break.start() if first_break else ctx.sent[1]
    for m in ctx.sm:
        if m.start >= limit:
            break
        if m.kind == "pron":
            continue
        a = pick(ctx, m, ORGS)
        if a is not None:
            return a
    return None


#: a discourse opener before the clause that names the topic
_OPENER = re.compile(r"\s?(?:值得注意的是|值得一提的是|此外|另外|与此同时|同时|另一方面|不过|但是|然而|据悉|事实上|"
                     r"截至发稿|目前|对此|因此|所以)\s?[,:]\s?")
_CONTINUES = re.compile(r"\s*(?:而|但|并且|此外|同时|另外|随后|接着|之后|其后|然而|不过)")


def _next_start(starts: list[int], end: int) -> int:
    k = bisect.bisect_left(starts, end)
    return starts[k] if k < len(starts) else end


def find_relations(folded: str, ments: list[Ment], sents: tuple[tuple[int, int], ...]) -> list[Cand]:
    """Candidates from every rule over every sentence."""
    ments = sorted(ments, key=lambda m: m.start)
    ents = [m for m in ments if m.kind != "pron"]
    starts = [s for s, _ in sents]
    out: list[Cand] = []
    topic: Arg | None = None
    age = 0
    i = 0
    for s, e in sents:
        while i < len(ments) and ments[i].start < s:
            i += 1
        j = i
        while j < len(ments) and ments[j].start < e:
            j += 1
        sm = [m for m in ments[i:j] if m.end <= e]
        if not any(m.kind != "pron" for m in sm):
            continue
        ctx = Ctx(folded, ments, (s, e), sm, topic, ents)
        for rule in RULES:
            out.extend(rule(ctx))
        # a subject carries over two sentences at most, and only inside a paragraph
        t = sentence_topic(ctx)
        if t is not None:
            topic, age = t, 0
        else:
            age += 1
            if age > 2:
                topic = None
        if "\n" in folded[e:e + 2] and not _CONTINUES.match(folded, _next_start(starts, e)):
            topic = None  # a new paragraph starts afresh unless it says 而/此外/同时
    return out

