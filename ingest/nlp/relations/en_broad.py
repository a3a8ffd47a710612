"""Broad English constructions read off word order, for names the parse attaches badly.

- possessed names: "X's Y <category>" / "its Y <category>" — the owner makes the named
  thing ("ASML's TWINSCAN NXT systems", "its Terraform tool"), or owns the named company
  ("X's Y unit");

Every rule is about English syntax and general business vocabulary, never about
particular names.
"""

from __future__ import annotations

from ingest.nlp.mentions.en_lexicon import PRODUCT_WORDS
from ingest.nlp.mentions.en_mentions import APPOSITIVE_PRODUCTS
from ingest.nlp.relations.en_relations import GENERIC_HEADS, Ment, _hedged, _rel
from ingest.nlp.relations.relations_common import ORGS, THINGS
from kg.model import Relation

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
            yield _relative_antecedent(doc, m.head, ms) or m, m.head.i + 1


def _relative_antecedent(doc, pron, ms: list[Ment]) -> Ment | None:
    """'Oracle, which embeds A's models in its suite': a possessive pronoun in a relative clause
    whose subject is the relative pronoun stands for the name the clause describes."""
    v = pron.head
    while v.pos_ not in {"VERB", "AUX"} and v.head.i != v.i:
        v = v.head
    if v.dep_ != "relcl" or not any(c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"which", "that", "who"}
                                    for c in v.children):
        return None
    noun = v.head
    return next((m for m in ms if noun.i in m.toks and not m.coref), None)


def possessed_names(doc, sent, ms: list[Ment], out: list[Relation], blocked: set | None = None) -> None:
    """"X's Y systems", "its older Y network", "X's Y unit". A pronoun read as a relative
    clause's name refutes the other reading of the pronoun (added to `blocked`)."""
    for owner, j in _owners(doc, sent, ms):
        pron = next((m for m in ms if m.coref and m.toks == {j - 1} and m.head.lower_ in POSSESSIVE_PRONOUNS),
                    None)
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
            if blocked is not None and pron is not None and pron.entity is not owner.entity:
                blocked.add((pron.entity.id, "develops", thing.entity.id))
        elif thing.entity.type == "Vendor" and owner.entity.type == "Vendor" \
                and tail and tail[-1] in OWNED_TAILS:
            out.append(_rel(sent, owner, "acquired", thing, 0.7, hedge, None))


COPULAS = frozenset({"is", "was", "are", "were", "became", "becomes", "remains", "remained", "been",
                     "be", "'s", "’s"})
LIST_JOINS = frozenset({",", "and", "as", "well", "&"})


def _mention_list(doc, ms: list[Ment], i: int, end: int) -> list[Ment]:
    """Mentions listed from token i on: 'A, B and C' (determiners allowed before each)."""
    out = []
    while i < end:
        while i < end and doc[i].lower_ in {"the", "its", "their"}:
            i += 1
        m = _mention_at(ms, i, False)
        if m is None:
            break
        i = max(m.toks) + 1
        if i < end and doc[i].tag_ == "POS":
            m = _mention_at(ms, i + 1, False)  # "A and B's C": the possessed name is listed
            if m is None:
                break
            i = max(m.toks) + 1
        out.append(m)
        if i >= end or doc[i].lower_ not in LIST_JOINS:
            break
        while i < end and doc[i].lower_ in LIST_JOINS:
            i += 1
    return out


def _member_subject(doc, sent, ms: list[Ment], i: int) -> Ment | None:
    """'X is a founding member', 'X, a strategic member': the name before the description."""
    j = i - 1
    while j >= sent.start and (doc[j].lower_ in {"a", "an", "the", "one", "longtime", "long-time"}
                               or doc[j].is_lower and doc[j].pos_ in {"ADJ", "VERB", "NOUN"}
                               and doc[j].tag_ in {"JJ", "VBG", "VBN", "NN"}) and i - j < 5:
        j -= 1
    if j < sent.start or not (doc[j].lower_ in COPULAS or doc[j].text == ","):
        return None
    if doc[j].lower_ == "been" and j - 1 >= sent.start and doc[j - 1].lower_ in {"has", "have", "had"}:
        j -= 1
    j -= 1
    if j < sent.start:
        return None
    for m in ms:
        if m.toks and max(m.toks) == j and not m.coref:
            return m
    return None


def memberships(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X is a (founding) member of Y', 'X, a member of Y', 'Y, ... whose members include A and B':
    members contribute to the body."""
    hedge = _hedged(sent)
    for t in sent:
        if t.lower_ == "member" and t.i + 1 < sent.end and doc[t.i + 1].lower_ == "of":
            k = t.i + 2 + (t.i + 2 < sent.end and doc[t.i + 2].lower_ == "the")
            body = _mention_at(ms, k, False)
            member = _member_subject(doc, sent, ms, t.i)
            if body is None or member is None or member.entity is body.entity:
                continue
            if member.entity.type in ORGS and body.entity.type in ORGS | THINGS \
                    and not any(w.lower_ in {"former", "ex", "not", "no", "never"} for w in doc[min(member.toks):t.i]):
                out.append(_rel(sent, member, "contributesTo", body, 0.7, hedge, None))
        elif t.lower_ == "members" and t.i + 1 < sent.end \
                and doc[t.i + 1].lower_ in {"include", "included", "including"}:
            body = None
            if t.i - 1 >= sent.start and doc[t.i - 1].lower_ == "whose":
                body = next((m for m in reversed(ms) if m.toks and max(m.toks) < t.i - 1 and not m.coref
                             and m.entity.type == "Organization"), None)
            elif t.i - 2 >= sent.start and doc[t.i - 1].tag_ == "POS":
                body = next((m for m in ms if m.toks and max(m.toks) == t.i - 2 and not m.coref), None)
            if body is None or body.entity.type != "Organization":
                continue
            for m in _mention_list(doc, ms, t.i + 2, sent.end):
                if m.entity.type in ORGS and m.entity is not body.entity:
                    out.append(_rel(sent, m, "contributesTo", body, 0.7, hedge, None))


CHANNEL_PREPS = frozenset({"through", "via", "on"})


def available_through(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X is available through A and B', 'they are available on A': the product is offered on
    the platforms listed (integratesWith)."""
    hedge = _hedged(sent)
    for t in sent:
        if t.lower_ != "available" or t.i + 1 >= sent.end:
            continue
        k = t.i + 1
        while k < sent.end and k - t.i <= 3 and doc[k].lower_ in {"now", "also", "only", "today", "already"}:
            k += 1
        if k >= sent.end or doc[k].lower_ not in CHANNEL_PREPS:
            continue
        platforms = [m for m in _mention_list(doc, ms, k + 1, sent.end) if m.entity.type == "Product"]
        if not platforms:
            continue
        cop = t.head if t.dep_ in {"acomp", "amod", "attr", "xcomp"} else t
        subj = next((c for c in cop.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        thing = None
        if subj is not None:
            thing = next((m for m in ms if subj.i in m.toks and m.entity.type == "Product"), None)
            if thing is None and subj.lower_ in {"it", "they"}:
                # the nearest product named before the pronoun in this sentence
                thing = next((m for m in reversed(ms) if m.toks and max(m.toks) < subj.i
                              and m.entity.type == "Product" and not m.coref), None)
            elif thing is None:
                # "its Jamba models are available": the name inside the subject phrase
                thing = next((m for m in ms if m.toks and subj.left_edge.i <= min(m.toks) <= subj.i
                              and m.entity.type == "Product" and not m.coref), None)
        if thing is None:
            continue
        for p in platforms:
            if p.entity is not thing.entity:
                out.append(_rel(sent, thing, "integratesWith", p, 0.65, hedge, None))


#: Relation nouns whose possessor and 'with' object are the two sides ("X's deal with Y").
WITH_NOUNS = {
    "deal": "partnersWith", "deals": "partnersWith", "partnership": "partnersWith",
    "partnerships": "partnersWith", "agreement": "partnersWith", "alliance": "partnersWith",
    "collaboration": "partnersWith", "tie-up": "partnersWith", "pact": "partnersWith",
    "relationship": "partnersWith", "cooperation": "partnersWith", "venture": "partnersWith",
    "rivalry": "competesWith", "competition": "competesWith", "battle": "competesWith",
    "fight": "competesWith", "war": "competesWith", "feud": "competesWith",
}
#: Words that undo the relation the noun names ("its former partnership with Y", "no deal").
UNDOING = frozenset({"former", "ended", "failed", "collapsed", "terminated", "scrapped", "no",
                     "previous", "past", "abandoned", "cancelled", "canceled", "defunct"})


def possessed_relations(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """"X's deal with Y", "its partnership with Y", "X's rivalry with Y"."""
    hedge = _hedged(sent)
    for owner, j in _owners(doc, sent, ms):
        if owner.entity.type not in ORGS:
            continue
        k = j
        while k < sent.end and k - j < 3 and doc[k].is_lower and doc[k].pos_ in {"ADJ", "NOUN", "ADV"} \
                and doc[k].lower_ not in WITH_NOUNS:
            k += 1  # "its long-running distribution deal with"
        if k >= sent.end or doc[k].lower_ not in WITH_NOUNS:
            continue
        if any(doc[q].lower_ in UNDOING for q in range(j, k)):
            continue
        pred = WITH_NOUNS[doc[k].lower_]
        q = k + 1
        if q < sent.end and doc[q].lower_ in {"with", "against"}:
            for other in _mention_list(doc, ms, q + 1, sent.end):
                if other.entity is not owner.entity and other.entity.type in ORGS | THINGS \
                        and (pred == "competesWith" or other.entity.type in ORGS):
                    out.append(_rel(sent, owner, pred, other, 0.7, hedge, None))


#: Plural relation nouns of an appositive after a list ("A and B, X's two largest rivals").
PLURAL_RELATIONS = {
    "rivals": "competesWith", "competitors": "competesWith", "challengers": "competesWith",
    "partners": "partnersWith", "suppliers": "partnersWith", "customers": "partnersWith",
    "clients": "partnersWith", "allies": "partnersWith",
}


def listed_appositives(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """'A and B, X's two most aggressive competitors': a plural relation noun describing a list
    relates every listed name to X."""
    hedge = _hedged(sent)
    for owner, j in _owners(doc, sent, ms):
        if owner.coref or owner.entity.type not in ORGS:
            continue
        start = min(owner.toks)
        if start - 1 < sent.start or doc[start - 1].text != ",":
            continue
        k = j
        while k < sent.end and k - j < 5 and doc[k].is_lower and doc[k].pos_ in {"ADJ", "NUM", "ADV", "NOUN"} \
                and doc[k].lower_ not in PLURAL_RELATIONS:
            k += 1
        if k >= sent.end or doc[k].lower_ not in PLURAL_RELATIONS:
            continue
        pred = PLURAL_RELATIONS[doc[k].lower_]
        # the list right before the comma: "A and B" / "A, B and C"
        listed, i = [], start - 2
        while i >= sent.start:
            m = next((x for x in ms if x.toks and max(x.toks) == i and not x.coref), None)
            if m is None:
                break
            listed.append(m)
            i = min(m.toks) - 1
            if i >= sent.start and doc[i].lower_ in {"and", "or"}:
                i -= 1
                if i >= sent.start and doc[i].text == ",":
                    i -= 1
            elif i >= sent.start and doc[i].text == "," and len(listed) >= 1:
                i -= 1
            else:
                break
        if len(listed) < 2:
            continue
        for m in listed:
            if m.entity is not owner.entity and m.entity.type in ORGS | THINGS:
                out.append(_rel(sent, m, pred, owner, 0.7, hedge, None))


#: Verbs of creating a thing, read in the passive: "X is built by Y", "a licence written by Y".
CREATING_VERBS = frozenset({"build", "develop", "write", "create", "design", "author", "invent",
                            "maintain", "co-develop", "codevelop", "originate"})
#: Things whose passive maker may be a contractor ("chips built by a foundry").
HARDWARE_HEADS = frozenset({"chip", "chips", "processor", "processors", "phone", "phones", "device",
                            "devices", "server", "servers", "module", "modules", "wafer", "wafers"})


def passive_makers(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X is built by Y', 'X, a licence originally written by database maker Y': Y develops X."""
    hedge = _hedged(sent)
    for v in sent:
        if v.tag_ != "VBN" or v.lemma_.lower() not in CREATING_VERBS:
            continue
        by = next((c for c in v.children if c.dep_ == "agent" and c.lower_ == "by"), None)
        if by is None:
            continue
        k = by.i + 1
        while k < sent.end and k - by.i <= 4 and _mention_at(ms, k, False) is None \
                and (doc[k].is_lower and doc[k].pos_ in {"DET", "NOUN", "ADJ"}):
            k += 1  # "by database maker Y", "by the startup Y"
        maker = _mention_at(ms, k, False)
        if maker is None or maker.entity.type not in ORGS:
            continue
        thing = None
        subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
        if subj is not None:
            thing = next((m for m in ms if subj.i in m.toks and not m.coref), None)
        elif v.dep_ == "acl":
            noun = v.head
            thing = next((m for m in ms if noun.i in m.toks and not m.coref), None) \
                or next((m for m in ms if m.appos and m.head.i == noun.i), None)
        if thing is None or thing.entity is maker.entity or thing.entity.type not in THINGS:
            continue
        if v.lemma_.lower() == "build" and (thing.head.lower_ in HARDWARE_HEADS
                                            or any(t.lower_ in HARDWARE_HEADS for t in doc[v.i - 4:v.i])):
            continue
        if _negated_here(v):
            continue
        out.append(_rel(sent, maker, "develops", thing, 0.75, hedge, None))


def _negated_here(v) -> bool:
    return any(c.dep_ == "neg" for c in v.children)


def _clause_subject_mention(doc, v, ms: list[Ment]) -> Ment | None:
    """The named subject of verb v: its nsubj, through 'which/that' to the described name, or
    through a conjoined verb to the first verb's subject."""
    for _ in range(3):
        subj = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            if subj.lower_ in {"which", "that", "who"} and v.dep_ == "relcl":
                subj = v.head
            m = next((m for m in ms if subj.i in m.toks and not m.coref), None) \
                or next((m for m in ms if subj.i in m.toks), None)
            return m
        if v.dep_ in {"conj", "xcomp"} and v.head.i != v.i:
            v = v.head
        else:
            return None
    return None


def under_licences(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X publishes models under the Apache 2.0 licence', 'X, which remains under the MPL':
    the publisher or project uses (supports) the licence."""
    hedge = _hedged(sent)
    for t in sent:
        if t.lower_ != "under" or t.dep_ != "prep":
            continue
        k = t.i + 1 + (t.i + 1 < sent.end and doc[t.i + 1].lower_ in {"the", "a", "an", "its", "their"})
        lic = _mention_at(ms, k, False)
        if lic is None or lic.entity.type != "Standard":
            continue
        after = doc[max(lic.toks) + 1].lower_ if max(lic.toks) + 1 < sent.end else ""
        if not any(w in lic.entity.name.lower() for w in ("licen", "gpl")) and after not in {"licence", "license"}:
            continue
        v = t.head
        while v.pos_ not in {"VERB", "AUX"} and v.head.i != v.i:
            v = v.head
        if _negated_here(v):
            continue
        subj = _clause_subject_mention(doc, v, ms)
        if subj is None or subj.entity is lic.entity or subj.entity.type not in ORGS | {"Product"}:
            continue
        out.append(_rel(sent, subj, "supports", lic, 0.7, hedge, None))
