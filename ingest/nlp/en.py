"""English extraction: spaCy parse + catalog + cue rules -> entities and relations.

The work is split by stage: `en_mentions` finds and types candidate mentions,
`en_link` merges them into entities, `en_relations` reads relations off the
dependency parse. This module wires the stages together for one parsed doc.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from spacy.language import Language

from ingest.nlp.linking import en_link
from ingest.nlp.mentions import en_mentions
from ingest.nlp.mentions.en_lexicon import EXCHANGES
from ingest.nlp.mentions.gazetteer import Gazetteer
from ingest.nlp.relations import en_patterns
from ingest.nlp.relations.en_relations import (
    Ment,
    _head_of,
    appositive_mentions,
    coref_mentions,
    description_mentions,
    evidence_span,
    extract_relations,
)
from ingest.nlp.relations.relations_common import type_ok
from kg.model import Entity, Mention, Relation

_TICKER = re.compile(r"\s?\((?:" + "|".join(sorted(EXCHANGES)) + r")\s*:\s*[A-Z.]{1,6}\)", re.I)


#: A news dateline opening a paragraph: "SAN FRANCISCO —", "HSINCHU, Taiwan, March 12 —",
#: "LONDON (Reuters) -", "THE HAGUE/TOKYO, Jan 17 -", "AUSTIN, Texas, May 2, 2025 --". An all-caps
#: place (or places joined by '/'), optional region and date with year, then a dash.
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z.'’-]{2,}(?:(?:[ \t]+|/)[A-Z][A-Z.'’-]+)*"
    r"(?:,[ \t]+[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*){0,2}"
    r"(?:,?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,[ \t]+\d{4})?)?"
    r"(?:[ \t]+\([A-Z][\w .]{1,30}\))?[ \t]+[—–-]{1,2}[ \t]+(?=[A-Z\"“])", re.M)


def _removals(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_ticker) spans the parser should not see, in text order."""
    spans = [(m.start(), m.end(), True) for m in _TICKER.finditer(text)]
    for m in _DATELINE.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), False))
    return sorted(spans)


def prepare_text(text: str) -> tuple[str, Callable[[int], int]]:
    """Text for the parser without stock tickers "(NASDAQ: MSFT)" or datelines, and a map
    back to offsets in the original text.

    Tickers split noun phrases ("Microsoft's (NASDAQ: MSFT) Azure") and datelines parse as
    the subject ("HSINCHU, Taiwan — Acme said"); mentions and evidence are reported against
    the original text.
    """
    cuts: list[tuple[int, int]] = []  # (position in the cleaned text, characters removed so far)
    removed = 0
    out = []
    last = 0
    for start, end, _ in _removals(text):
        out.append(text[last:start])
        cuts.append((start - removed, removed + end - start))
        removed += end - start
        last = end
    out.append(text[last:])
    if not cuts:
        return text, lambda i: i
    positions = [c[0] for c in cuts]

    def to_orig(i: int) -> int:
        k = bisect.bisect_right(positions, i)
        return i + (cuts[k - 1][1] if k else 0)

    return "".join(out), to_orig


def ticker_positions(text: str) -> set[int]:
    """Offsets in the prepared text where a ticker was removed (evidence of a company)."""
    out, removed = set(), 0
    for start, end, ticker in _removals(text):
        if ticker:
            out.add(start - removed)
        removed += end - start
    return out


@Language.component("ecokg_line_breaks")
def line_breaks(doc):
    """Start a sentence after every line break: headlines and paragraphs never run on."""
    for t in doc[1:]:
        prev = doc[t.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            t.is_sent_start = True
        elif prev.is_alpha and prev.text[:1].isupper() and t.is_alpha and t.text[:1].isupper() \
                and prev.whitespace_ == " ":
            t.is_sent_start = False  # no sentence starts inside a run of capitalised words
    return doc


_COFOUND = re.compile(r"(?i)co-?found(ed|s|ing|er|ers)?$")


@Language.component("ecokg_cofound_lemmas")
def cofound_lemmas(doc):
    """'co-founded' kept as one token gets a broken lemma ('co-founde'): give the verb
    'co-found' and the noun 'co-founder', so the rules reading lemmas see them."""
    for t in doc:
        m = _COFOUND.match(t.text)
        if m:
            t.lemma_ = "co-founder" if (m.group(1) or "").lower().startswith("er") else "co-found"
    return doc


def configure_nlp(nlp, gazetteer: Gazetteer):
    """Adapt a loaded spaCy pipeline for extraction.

    Catalog names are matched on the raw text by the gazetteer (faster than an
    EntityRuler over hundreds of patterns and independent of tokenisation). Line
    breaks end sentences, before the parser runs; "co-founded"/"co-founder" stay one
    token (split, the parser reads "co" as the verb).
    """
    if "ecokg_line_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("ecokg_line_breaks", before="parser")
    if "ecokg_cofound_lemmas" not in nlp.pipe_names:
        nlp.add_pipe("ecokg_cofound_lemmas", last=True)
    from spacy.attrs import ORTH

    for stem in ("found", "founded", "founder", "founders", "founding", "founds"):
        for first in ("co", "Co", "CO"):
            word = f"{first}-{stem}"
            nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    return nlp


def extract_en(doc, gazetteer: Gazetteer) -> tuple[list[Entity], list[Relation]]:
    """Entities and relations of one parsed English article."""
    cands = en_mentions.detect(doc, gazetteer)
    groups = en_link.group_mentions(cands, gazetteer)
    entities, by_cand = en_link.build_entities(groups)
    # names seen only in a headline, never in the body, are too unreliable to keep
    keep = _body_entities(entities, by_cand, cands)
    entities = [e for e in entities if id(e) in keep]
    ments: list[Ment] = []
    for c in cands:
        ent = by_cand.get(id(c))
        if ent is None or id(ent) not in keep:
            continue
        head, toks = _head_of(doc, c.start, c.end)
        if head is not None:
            owner = _head_of(doc, c.owner.start, c.owner.end)[1] if c.owner is not None else None
            ments.append(Ment(head=head, toks=toks, entity=ent, owner_toks=owner))
    ments.extend(appositive_mentions(doc, ments))
    ments.extend(coref_mentions(doc, ments))
    ments = en_patterns.product_pronouns(doc, ments)
    ments.extend(description_mentions(doc, ments))
    relations = extract_relations(doc, ments)
    extra, refuted = en_patterns.extract(doc, ments)
    relations = [r for r in relations if (r.subject, r.predicate, r.object) not in refuted] + extra
    relations = en_patterns.retype_managed(doc, relations)
    relations.extend(_maker_named(doc, cands, by_cand, entities, gazetteer))
    relations = _coerce_split(relations, entities)
    relations = _licensed_standards(relations, entities)
    relations.extend(_named_for(doc, cands, by_cand, entities))
    to_orig = doc.user_data.get("to_orig")
    if to_orig is not None:
        for e in entities:
            for m in e.mentions:
                m.start, m.end = to_orig(m.start), to_orig(m.end - 1) + 1
    entities.extend(_dateline_credits(doc.user_data.get("orig_text"), entities, gazetteer))
    return entities, relations


_CREDIT = re.compile(r"\(([A-Z][\w .]{1,30})\)[ \t]+[—–-]{1,2}[ \t]*$")


def _dateline_credits(text: str | None, entities: list[Entity], gazetteer: Gazetteer) -> list[Entity]:
    """'LONDON (Reuters) -': the agency credited in a dateline is named in the article (the
    dateline itself is kept from the parser). Only catalog organisations are added."""
    if not text:
        return []
    out: list[Entity] = []
    have = {en_mentions.name_key(f) for e in entities for f in (e.name, *e.aliases)}
    for start, end, ticker in _removals(text):
        m = None if ticker else _CREDIT.search(text[start:end])
        if m is None:
            continue
        entry = next((x for x in gazetteer.lookup(m.group(1).strip()) if x.type == "Organization"), None)
        if entry is None or en_mentions.name_key(entry.name) in have:
            continue
        s0 = start + m.start(1)
        out.append(Entity(name=entry.name, type="Organization", wikidata=entry.wikidata or None,
                          mentions=[Mention(s0, s0 + len(m.group(1)), m.group(1))], in_catalog=True))
        have.add(en_mentions.name_key(entry.name))
    return out


def _licensed_standards(relations: list[Relation], entities: list[Entity]) -> list[Relation]:
    """'Arm licensees such as AMD': supporting a company means supporting its standard,
    when the article names exactly one standard it develops."""
    types = {e.id: e.type for e in entities}
    owned: dict[str, list[str]] = {}
    for r in relations:
        if r.predicate == "develops" and types.get(r.object) == "Standard":
            owned.setdefault(r.subject, []).append(r.object)
    out = []
    for r in relations:
        if r.predicate == "supports" and types.get(r.object) in {"Vendor", "Organization"}:
            stds = sorted(set(owned.get(r.object, [])))
            if len(stds) != 1:
                continue
            r.object = stds[0]
            r.confidence = min(r.confidence, 0.6)
        out.append(r)
    return out


def _named_for(doc, cands, by_cand, entities) -> list[Relation]:
    """'Amazon Elastic Compute Service for Kubernetes': a product named for another runs on it."""
    out = []
    seen = set()
    products = {en_mentions.name_key(f): e for e in entities if e.type == "Product"
                for f in (e.name, *e.aliases)}
    for c in cands:
        ent = by_cand.get(id(c))
        if ent is None or ent.type != "Product" or " for " not in c.text:
            continue
        other = products.get(en_mentions.name_key(c.text.rsplit(" for ", 1)[1]))
        if other is None or other is ent or (ent.id, other.id) in seen:
            continue
        seen.add((ent.id, other.id))
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None:
            continue
        text, start, end = evidence_span(en_mentions.sentence_span(doc, span.start))
        out.append(Relation(subject=ent.id, predicate="integratesWith", object=other.id,
                            evidence=text, confidence=0.6, start=start, end=end))
    return out


def _coerce_split(relations: list[Relation], entities: list[Entity]) -> list[Relation]:
    """Move an argument to the other half of a company/product pair when the relation needs it.

    "DocumentDB, a MongoDB clone": a product competes with the product, not the company;
    only a company acquires, partners or is led; only a product is developed or integrated.
    """
    by_id = {e.id: e for e in entities}
    twins: dict[str, Entity] = {}
    by_key: dict[str, list[Entity]] = {}
    for e in entities:
        if e.type in {"Vendor", "Product"}:
            by_key.setdefault(en_mentions.name_key(e.name), []).append(e)
    for group in by_key.values():
        kinds = {e.type: e for e in group}
        if len(kinds) == 2:
            twins[kinds["Vendor"].id], twins[kinds["Product"].id] = kinds["Product"], kinds["Vendor"]
    if not twins:
        return relations
    for r in relations:
        s, o = by_id.get(r.subject), by_id.get(r.object)
        if s is None or o is None:
            continue
        if not type_ok(r.predicate, s.type, o.type):
            for s2, o2 in ((twins.get(s.id, s), o), (s, twins.get(o.id, o)),
                           (twins.get(s.id, s), twins.get(o.id, o))):
                if type_ok(r.predicate, s2.type, o2.type) and s2.id != o2.id:
                    r.subject, r.object = s2.id, o2.id
                    break
        elif r.predicate == "competesWith" and s.type != o.type:
            # a product's rival named like a company is usually that company's product
            if o.type == "Vendor" and o.id in twins:
                r.object = twins[o.id].id
            elif s.type == "Vendor" and s.id in twins:
                r.subject = twins[s.id].id
    return relations


def _maker_named(doc, cands, by_cand, entities, gazetteer: Gazetteer) -> list[Relation]:
    """A product or standard named after its maker ("the OCI runtime spec", "Pivotal Kubernetes
    Services"): the maker develops it, when the article also names the maker on its own."""
    out = []
    makers = [e for e in entities if e.type in {"Vendor", "Organization"}]
    by_name = {e.name: e for e in makers}
    seen: set[tuple[str, str]] = set()
    for c in cands:
        ent = by_cand.get(id(c))
        if ent is None or ent.type not in {"Standard", "Product"}:
            continue
        maker = None
        if len(c.entries) == 1 and c.entries[0].maker:
            maker = by_name.get(c.entries[0].maker)
        candidates = [maker] if maker is not None else makers
        maker = next((m for m in candidates if any(
            c.text.startswith(f + " ") or c.text.startswith(f + "'s ") for f in (m.name, *m.aliases)
            if f and f != c.text)), None)
        if maker is None or maker is ent or (maker.id, ent.id) in seen \
                or en_mentions.name_key(maker.name) == en_mentions.name_key(ent.name):
            continue
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None:
            continue
        if ent.type == "Product":
            # a product only when the maker is also named on its own in the same sentence
            sent = en_mentions.sentence_span(doc, span.start)
            if not any(sent.start_char <= m.start < sent.end_char and not (c.start <= m.start < c.end)
                       for m in maker.mentions):
                continue
        seen.add((maker.id, ent.id))
        text, start, end = evidence_span(en_mentions.sentence_span(doc, span.start))
        out.append(Relation(subject=maker.id, predicate="develops", object=ent.id, evidence=text,
                            confidence=0.7 if ent.type == "Standard" else 0.6, start=start, end=end))
    return out


def _body_entities(entities, by_cand, cands) -> set[int]:
    keep: set[int] = set()
    for c in cands:
        ent = by_cand.get(id(c))
        if ent is not None and (not c.in_title or ent.in_catalog):
            keep.add(id(ent))
    return keep
