"""Broad English constructions read off word order, for names the parse attaches badly.

- possessed names: "X's Y <category>" / "its Y <category>" — the owner makes the named
  thing ("ASML's TWINSCAN NXT systems", "its Terraform tool"), or owns the named company
  ("X's Y unit");

Every rule is about English syntax and general business vocabulary, never about
particular names.
"""

from __future__ import annotations

from ingest.model import Relation
from ingest.nlp.en_lexicon import PRODUCT_WORDS
from ingest.nlp.en_mentions import APPOSITIVE_PRODUCTS
from ingest.nlp.en_relations import GENERIC_HEADS, Ment, _hedged, _rel
from ingest.nlp.relations_common import ORGS, THINGS

#: Nouns after a possessed name that make the phrase about a relation, not the thing
#: ("X's Kubernetes support", "X's Y customers"): no ownership is read from them.
RELATION_TAILS = frozenset({
    "support", "adoption", "integration", "integrations", "rival", "rivals", "competitor",
    "competitors", "customer", "customers", "client", "clients", "user", "users", "deal",
    "deals", "partnership", "partner", "partners", "stake", "acquisition", "investment",
    "investments", "purchase", "licence", "license", "licensing", "expertise", "experience",
    "fork", "clone", "port", "alternative", "alternatives", "compatibility", "migration",
    "contributions", "contribution", "team", "teams", "plans", "strategy", "bet", "push",
})
#: Nouns that make a possessed catalog thing someone else's product resold or hosted
#: ("AWS's Kubernetes service"): only read when the thing is not a known product.
HOSTING_TAILS = frozenset({"service", "services", "offering", "offerings", "hosting",
                           "distribution", "version", "versions", "implementation", "edition"})
#: Nouns after a possessed company that make it owned ("X's Y unit").
OWNED_TAILS = frozenset({"unit", "units", "subsidiary", "division", "arm", "affiliate"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their"})
CATEGORY_NOUNS = PRODUCT_WORDS | GENERIC_HEADS | APPOSITIVE_PRODUCTS


def _category(word: str) -> bool:
    """A product-category noun ("platform", "systems", "tools"), so "X's Y <word>" names a thing."""
    return word in CATEGORY_NOUNS or word.endswith("s") and word[:-1] in CATEGORY_NOUNS


def _bound_elsewhere(doc, pron, entity) -> bool:
    """'added Y to its Z': a possessive pronoun does not stand for the object of its own verb."""
    v = pron.head
    while v.pos_ not in {"VERB", "AUX"} and v.head.i != v.i:
        v = v.head
    for t in v.subtree:
        if t.dep_ in {"dobj", "dative", "attr"} and t.head.i == v.i and t.i != pron.i \
                and _names(t, entity):
            return True
    return False


def _names(tok, entity) -> bool:
    return any(m.start <= tok.idx < m.end for m in entity.mentions)


def _mention_at(ms: list[Ment], i: int, coref: bool) -> Ment | None:
    for m in ms:
        if m.toks and min(m.toks) == i and m.coref == coref:
            return m
    return None


def _owners(doc, sent, ms: list[Ment]):
    """(owner mention, index of the first token after its possessive marker)."""
    for m in ms:
        if not m.toks:
            continue
        k = max(m.toks) + 1
        if not m.coref and k < sent.end and doc[k].tag_ == "POS":
            yield m, k + 1
        elif m.coref and len(m.toks) == 1 and m.head.lower_ in POSSESSIVE_PRONOUNS:
            yield m, m.head.i + 1


def possessed_names(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """"X's Y systems", "its older Y network", "X's Y unit"."""
    for owner, j in _owners(doc, sent, ms):
        if owner.entity.type not in ORGS:
            continue
        k = j
        while k < sent.end and k - j < 2 and doc[k].is_lower and doc[k].pos_ in {"ADJ", "ADV"}:
            k += 1  # "its older Y", "X's flagship Y"
        thing = _mention_at(ms, k, False)
        if thing is None or thing.entity is owner.entity:
            continue
        end = max(thing.toks) + 1
        noun = thing.head
        while noun.dep_ in {"compound", "nmod", "amod"} and noun.head.i > noun.i \
                and noun.head.i - end < 5:
            noun = noun.head
        tail = [t.lower_ for t in doc[end:noun.i + 1]] if noun.i >= end else []
        if tail and not (noun.is_lower and noun.pos_ == "NOUN"):
            continue
        if any(t in RELATION_TAILS for t in tail) or tail and not _category(tail[-1]):
            continue  # "its Kubernetes story": a relation or an abstraction, not a named thing
        if owner.coref and _bound_elsewhere(doc, owner.head, owner.entity):
            continue
        hedge = _hedged(sent)
        if thing.entity.type in THINGS:
            if thing.entity.in_catalog and any(t in HOSTING_TAILS for t in tail):
                continue
            out.append(_rel(sent, owner, "develops", thing, 0.7, hedge, None))
        elif thing.entity.type == "Vendor" and owner.entity.type == "Vendor" \
                and tail and tail[-1] in OWNED_TAILS:
            out.append(_rel(sent, owner, "acquired", thing, 0.7, hedge, None))
