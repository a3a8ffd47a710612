"""Chinese extraction: `extract_zh(text, gazetteer) -> (entities, relations)`.

The steps, each in its own module:

1. `zh_text`   fold Traditional to Simplified and full-width to ASCII (offsets
   kept), split sentences;
2. `zh_match`  catalog names, also where Latin names are glued to Chinese;
3. `zh_detect` names beyond the catalog: Latin runs typed by their context
   words (`zh_ner` holds the cue lists), people, universities, media and
   Chinese company names (`zh_names`), glosses like 庫克(Tim Cook) (`zh_gloss`);
4. `zh_link`   company-or-product senses, abbreviations defined next to a long
   form, 该公司/后者 coreference, event editions;
5. `zh_rel`    relation patterns (`zh_rel_business`, `zh_rel_tech`, argument
   finding in `zh_args`) under the schema's type constraints.

Regex and catalog scanning do most of the work; jieba (through spaCy's blank
Chinese pipeline, `zh_seg`) only decides word edges in small windows next to
cue words, which keeps extraction well above 150,000 characters a second.
"""

from __future__ import annotations

import re

from ingest.nlp.linking.zh_link import (
    build_entities,
    choose_senses,
    coref_mentions,
    link_defined_abbreviations,
    sense_entity,
    settle_events,
)
from ingest.nlp.mentions.zh_detect import detect
from ingest.nlp.mentions.zh_match import find_hits
from ingest.nlp.mentions.zh_ner import Ment, Sense, mask_noise
from ingest.nlp.mentions.zh_open import more_refs, open_mentions
from ingest.nlp.relations.relations_common import type_ok
from ingest.nlp.relations.zh_args import Arg
from ingest.nlp.relations.zh_rel import Cand, find_relations
from ingest.nlp.relations.zh_rel_more import drop_modifier_standards, more_relations, named_after_maker
from ingest.nlp.text.zh_seg import Segmenter, pos_tags, prepare
from ingest.nlp.text.zh_text import fold, sentences, simplified
from kg.model import Entity, Relation, entity_id

__all__ = ["extract_zh"]

_PREPARED: set[int] = set()


def _prepare(gazetteer) -> None:
    if id(gazetteer) not in _PREPARED:
        prepare(gazetteer)
        _PREPARED.add(id(gazetteer))


def extract_zh(text: str, gazetteer) -> tuple[list[Entity], list[Relation]]:
    """Entities and relations of a Chinese article (Simplified or Traditional)."""
    _prepare(gazetteer)
    masked = mask_noise(text)
    folded = fold(masked)
    hits = find_hits(masked, simplified(masked), gazetteer)
    seg = Segmenter(folded)
    ments = detect(text, masked, folded, hits, seg, pos_tags(), gazetteer)
    ments = open_mentions(text, folded, ments, seg, pos_tags(), gazetteer)
    choose_senses(ments, folded)
    link_defined_abbreviations(ments, folded, gazetteer)
    settle_events(ments, folded)
    refs = coref_mentions(ments, text, folded)
    refs += more_refs(ments, refs, text, folded)
    sents = sentences(folded)
    cands = find_relations(folded, ments + refs, sents)
    cands += more_relations(folded, ments + refs, sents, cands)
    cands += named_after_maker(ments, sents)
    cands = drop_modifier_standards(cands, folded)
    cands = _drop_conflicts(cands)
    _apply_senses(cands)
    cands = unify_open_names(ments, cands)
    ents, _ = build_entities(ments)
    cands += _split_sense_develops(ments, sents)
    ents = _ensure_entities(ents, cands)
    rels = [_relation(text, c) for c in cands]
    return ents, _dedup(rels)


def unify_open_names(ments: list[Ment], cands: list[Cand]) -> list[Cand]:
    """One type per name the catalog does not know: a company if any relation or
    context read it as one, else a product; relations follow where the schema allows."""
    vendor: set[str] = set()
    for m in ments:
        if m.kind == "open" and m.chosen.type == "Vendor":
            vendor.add(m.chosen.name)
    for m in ments:
        if m.kind == "open":
            want = "Vendor" if m.chosen.name in vendor else "Product"
            m.sense = next(i for i, x in enumerate(m.senses) if x.type == want)
    out = []
    for c in cands:
        args = []
        for a in (c.subj, c.obj):
            if a.ment.kind == "open" and a.sense != a.ment.chosen:
                a = Arg(a.ment, a.ment.chosen, a.at)
            args.append(a)
        if type_ok(c.pred, args[0].sense.type, args[1].sense.type):
            c.subj, c.obj = args
            out.append(c)
    return out


def _apply_senses(cands: list[Cand]) -> None:
    """A relation's reading of an ambiguous name is that mention's sense."""
    for c in cands:
        for a in (c.subj, c.obj):
            m = a.ment
            if len(m.senses) > 1 and a.sense in m.senses:
                m.sense = m.senses.index(a.sense)


def _drop_conflicts(cands: list[Cand]) -> list[Cand]:
    """An acquisition announced jointly is not a partnership."""
    acq = {frozenset((c.subj.sense, c.obj.sense)) for c in cands if c.pred == "acquired"}
    return [c for c in cands
            if not (c.pred == "partnersWith" and frozenset((c.subj.sense, c.obj.sense)) in acq)]


def _split_sense_develops(ments: list[Ment], sents) -> list[Cand]:
    """Where an article names both the company and its same-named product
    (Docker Inc. / Docker), the company makes the product."""
    chosen: dict[Sense, Ment] = {}
    for m in ments:
        if m.kind not in ("coref", "pron") and m.senses:
            chosen.setdefault(m.chosen, m)
    out = []
    for s, m in chosen.items():
        if s.type != "Product" or not s.maker:
            continue
        for v, vm in chosen.items():
            if v.type == "Vendor" and v.name == s.maker and re.sub(r"\W+", "", v.name.lower()).startswith(
                    re.sub(r"\W+", "", s.name.lower())):
                first = min(m, vm, key=lambda x: x.start)
                span = next(((a, b) for a, b in sents if a <= first.start < b), (first.start, first.end))
                out.append(Cand(Arg(vm, v), "develops", Arg(m, s), 0.5, span[0], span[1]))
    return out


def _ensure_entities(ents: list[Entity], cands: list[Cand]) -> list[Entity]:
    """Every relation argument is a returned entity (with its mention)."""
    by_id = {e.id: e for e in ents}
    for c in cands:
        for a in (c.subj, c.obj):
            eid = entity_id(a.sense.type, a.sense.name)
            if eid not in by_id:
                e = sense_entity(a.sense)
                from kg.model import Mention

                e.mentions.append(Mention(a.ment.start, a.ment.end, a.ment.text))
                surface = " ".join(a.ment.text.split())
                if surface != e.name:
                    e.aliases.append(surface)
                by_id[eid] = e
                ents.append(e)
    return ents


def _relation(text: str, c: Cand) -> Relation:
    return Relation(
        subject=entity_id(c.subj.sense.type, c.subj.sense.name),
        predicate=c.pred,
        object=entity_id(c.obj.sense.type, c.obj.sense.name),
        evidence=text[c.start:c.end],
        confidence=round(max(0.0, min(1.0, c.conf)), 3),
        start=c.start,
        end=c.end,
    )


def _dedup(rels: list[Relation]) -> list[Relation]:
    best: dict[tuple[str, str, str], Relation] = {}
    for r in rels:
        if r.subject == r.object:
            continue
        k = r.key()
        if k not in best or r.confidence > best[k].confidence:
            best[k] = r
    return sorted(best.values(), key=lambda r: (r.start, r.subject, r.predicate, r.object))
