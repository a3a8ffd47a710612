"""English relation patterns read off word order as much as off the parse.

The path-trigger reader in `en_relations` needs a dependency path through a
trigger word; the small parser often mis-attaches long news sentences (a
second "with" phrase hung on the wrong verb, an appositive description parsed
as the subject). These rules use short, general surface patterns anchored on
the parse where it is reliable:

- lists after a reciprocal verb: "X competes with A and B, and increasingly with C";
- "puts X in direct competition with Y", "pits X against Y", "X goes head to head with Y";
- leadership titles without a company beside them: "chief executive P said"
  (the company comes from "the company" in the sentence or the sentence's subject);
- appositive descriptions that name an owner: "N, X's software stack",
  "X's gateway, N", "N, an X customer", "N, X's subsidiary";
- "X, the company whose N ...": whose is X's;
- contract manufacturing: "its chip will be manufactured by X" (X is a supplier
  of the owner, not the chip's developer).

Every rule is about English syntax and general business vocabulary, never
about particular names.
"""

from __future__ import annotations

from ingest.nlp.mentions.en_lexicon import LEAD_TITLES, PRODUCT_WORDS
from ingest.nlp.mentions.en_mentions import APPOSITIVE_PRODUCTS, COMPANY_NOUNS, sentence_of
from ingest.nlp.relations import en_broad
from ingest.nlp.relations.en_relations import (
    Ment,
    _doubted,
    _headline,
    _hedged,
    _negated,
    _rel,
    _retype,
    evidence_span,
)
from ingest.nlp.relations.relations_common import ORGS, THINGS, type_ok
from kg.model import Relation

#: Reciprocal verbs whose "with"/"against" list relates every item to the subject.
LIST_VERBS: dict[str, str] = {
    "compete": "competesWith", "partner": "partnersWith", "collaborate": "partnersWith",
    "cooperate": "partnersWith", "team": "partnersWith", "ally": "partnersWith",
    "integrate": "integratesWith", "vie": "competesWith", "battle": "competesWith",
}
LIST_PREPS = {"with", "against", "alongside"}
#: Verb + preposition pairs read the same way ("X will ship with Y", "X runs on Y").
PHRASAL_LISTS: dict[tuple[str, str], str] = {
    ("ship", "with"): "integratesWith", ("run", "on"): "integratesWith",
    ("work", "with"): "integratesWith", ("build", "on"): "integratesWith",
    ("come", "with"): "integratesWith", ("pair", "with"): "integratesWith",
}
#: Verbs that set their object against another: "puts X in competition with Y".
SETTING_VERBS = {"put", "pit", "place", "set", "bring", "thrust", "push"}
COMPETITION_NOUNS = {"competition", "rivalry", "contention", "conflict", "battle", "race", "fight"}
#: Filler allowed between the items of a list.
LIST_FILLER = {",", "and", "or", "as", "well", "&", "also", "even", "both", "either", "the", "its", "their"}
#: Appositive heads with an owner, by predicate ("N, X's subsidiary").
OWNED_HEADS = {
    "subsidiary": "acquired", "unit": "acquired", "division": "acquired", "arm": "acquired",
    "affiliate": "acquired",
    "rival": "competesWith", "competitor": "competesWith", "challenger": "competesWith",
    "partner": "partnersWith", "supplier": "partnersWith", "customer": "partnersWith",
    "client": "partnersWith", "ally": "partnersWith", "licensee": "supports",
}
#: Verbs of making a thing, whose passive agent may be a contractor.
MAKING_VERBS = {"manufacture", "build", "make", "produce", "fabricate", "assemble", "fab"}
#: Nouns standing for the company that owns them ("Samsung's foundry arm").
PART_NOUNS = {"arm", "unit", "division", "foundry", "subsidiary", "business", "fab", "fabs",
              "plant", "plants", "factory", "factories", "team", "group"}
TITLE_TOKENS = set(LEAD_TITLES) | {"executive", "officer", "co", "-", "and", "&", "chief",
                                   "technology", "operating", "financial", "founding", "co-chief"}
NEG = {"not", "n't", "never", "no"}


def _ordered(ms: list[Ment]) -> list[Ment]:
    return sorted((m for m in ms if m.toks), key=lambda m: min(m.toks))


def _at(ms: list[Ment], i: int) -> Ment | None:
    """The mention covering token i (a name before a pronoun or 'the company')."""
    best = None
    for m in ms:
        if i in m.toks and (best is None or best.coref and not m.coref):
            best = m
    return best


def _starting_near(ms: list[Ment], i: int, doc, slack: int = 2) -> Ment | None:
    """A mention starting at token i, or after up to `slack` determiners/adjectives."""
    j = i
    while j < len(doc) and j - i <= slack:
        m = next((m for m in ms if min(m.toks) == j and not m.coref), None)
        if m is not None:
            return _possessed(ms, m, doc)
        if doc[j].pos_ not in {"DET", "ADJ", "ADV"}:
            return None
        j += 1
    return None


def _possessed(ms: list[Ment], m: Ment, doc) -> Ment:
    """'Nvidia's H200': the possessed name stands in the list, not its owner."""
    k = max(m.toks) + 1
    if k < len(doc) and doc[k].tag_ == "POS":
        nxt = next((o for o in ms if min(o.toks) == k + 1 and not o.coref), None)
        if nxt is not None:
            return nxt
    return m


def _list_from(ms: list[Ment], doc, i: int, end: int, prep: str) -> list[Ment]:
    """The coordinated mentions starting near token i: "A, B and C", "A and B, and also with C"."""
    first = _starting_near(ms, i, doc)
    if first is None:
        return []
    out = [first]
    cur = first
    while True:
        k = max(cur.toks) + 1
        if k < len(doc) and doc[k].tag_ == "POS":
            break  # "A's product": the list stops at a possessive
        if k + 1 < end and doc[k].text == "," and doc[k + 1].lower_ in RELATIVES:
            # "A, which sells scanners, and with B": skip the relative clause
            q = _resumption(doc, k + 2, min(end, k + 30), prep)
            nxt = _starting_near(ms, q + 1, doc) if q is not None else None
            if nxt is None:
                break
            cur = nxt
            out.append(cur)
            continue
        nxt = next((o for o in ms if min(o.toks) > k and not o.coref and min(o.toks) < end), None)
        if nxt is None:
            break
        filler = doc[k:min(nxt.toks)]
        if len(filler) > 12 or any(t.pos_ in {"VERB", "AUX"} for t in filler):
            break
        words = [t.lower_ for t in filler]
        plain = all(w in LIST_FILLER for w in words) and words
        # ", and increasingly with C": a repeated preposition resumes the list
        resumed = len(words) >= 2 and words[-1] == prep and any(w in {"and", "or"} for w in words) \
            and ("," in words or words[0] in {"and", "or"}) and not any(w in {"whose", "which", "that", "who"} for w in words) \
            and all(t.pos_ in {"ADV", "CCONJ", "PUNCT", "ADP", "ADJ", "NOUN", "DET"} for t in filler)
        if not (plain or resumed):
            break
        if plain and "," in words and not any(w in {"and", "or"} for w in words):
            # "A, B": a comma alone continues only if a later "and" closes the list
            rest = [t.lower_ for t in doc[max(nxt.toks) + 1: end]]
            if not any(w in {"and", "or"} for w in rest[:6]):
                break
        cur = _possessed(ms, nxt, doc)
        out.append(cur)
    return out


RELATIVES = {"which", "who", "whose", "that"}


def _resumption(doc, i: int, end: int, prep: str) -> int | None:
    """Index of the preposition in ", and (adverbs) PREP" resuming a list, searching [i, end)."""
    for q in range(i, end):
        if doc[q].lower_ != prep:
            continue
        j = q - 1
        while j > i and doc[j].pos_ == "ADV":
            j -= 1
        if doc[j].lower_ in {"and", "or"} and doc[j - 1].text == ",":
            return q
        return None
    return None


def _negated_verb(v) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in NEG for c in v.children) or any(
        c.lower_ == "longer" for c in v.children)


def _subject_of(v, ms: list[Ment], doc) -> Ment | None:
    """The verb's subject mention: its nsubj (or a relative clause's antecedent), else the
    mention right before it (aux and adverbs between)."""
    subj = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if v.dep_ == "xcomp" and subj is None:
        # "Y picked X to supply ...": object control, the object is the doer
        subj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
    if v.dep_ in {"conj", "xcomp"} and subj is None:
        subj = next((c for c in v.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None and subj.tag_ in {"WDT", "WP"} and v.dep_ == "relcl":
        subj = v.head
    if subj is not None:
        m = _at(ms, subj.i)
        if m is None:
            # "the Blackhole cards compete": a noun that a name modifies
            m = next((o for o in ms if not o.coref and o.head.head.i == subj.i
                      and o.head.dep_ in {"compound", "nmod"}), None)
        if m is not None:
            return m
    j = v.i - 1
    while j >= 0 and (doc[j].pos_ in {"AUX", "ADV", "PART"} or doc[j].lower_ in {"has", "have", "also", ","}):
        j -= 1
    if j >= 1 and doc[j].lower_ in {"which", "who", "that"} and doc[j - 1].text == ",":
        j -= 2  # "X, which bought Y"
    if j >= 1 and _at(ms, j) is None and doc[j].is_lower and (
            doc[j].lower_ in PRODUCT_WORDS or doc[j].lower_ in APPOSITIVE_PRODUCTS):
        j -= 1  # "its X handheld will ship": the name before its category noun
    return _at(ms, j) if j >= 0 else None


def _emit(sent, out: list[Relation], pred: str, a: Ment, b: Ment, conf: float, trig) -> None:
    if a.entity is b.entity:
        return
    ta, tb = a.entity.type, b.entity.type
    p = _retype(pred, ta, tb, trig) if trig is not None else pred
    if p is None:
        return
    if p == "integratesWith" and [ta, tb].count("Standard") == 1:
        # a product built on a standard implements it
        thing, std = (a, b) if tb == "Standard" else (b, a)
        if thing.entity.type == "Product":
            out.append(_rel(sent, thing, "supports", std, conf, _hedged(sent), trig))
        return
    if type_ok(p, ta, tb):
        out.append(_rel(sent, a, p, b, conf, _hedged(sent), trig))
    elif p in {"competesWith", "partnersWith", "integratesWith"} and type_ok(p, tb, ta):
        out.append(_rel(sent, b, p, a, conf, _hedged(sent), trig))


def _verb_lists(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X competes with A and B, and increasingly with C', 'X has partnered with A and B'."""
    doc = sent.doc
    for v in sent:
        pred = LIST_VERBS.get(v.lemma_)
        nxt = doc[v.i + 1].lower_ if v.i + 1 < sent.end else ""
        phrasal = PHRASAL_LISTS.get((v.lemma_, nxt))
        if phrasal is not None and pred is None:
            pred = phrasal
        if pred is None or v.pos_ != "VERB" or _negated_verb(v) or _negated(v, sent) or _doubted(v, sent):
            continue
        if v.lemma_ == "team" and not any(c.lower_ == "up" for c in v.children):
            continue
        subj = _subject_of(v, ms, doc)
        if subj is None:
            continue
        # the preposition within three words ("partnered closely with", "teamed up with")
        preps = LIST_PREPS | ({nxt} if phrasal is not None else set())
        prep = next((doc[k] for k in range(v.i + 1, min(v.i + 4, sent.end))
                     if doc[k].lower_ in preps), None)
        if prep is None or any(doc[k].pos_ in {"NOUN", "PROPN", "VERB"} for k in range(v.i + 1, prep.i)):
            continue
        partners = _list_from(ms, doc, prep.i + 1, sent.end, prep.lower_)
        for o in partners:
            _emit(sent, out, pred, subj, o, 0.8, v)
        if pred == "partnersWith" and partners:
            # "X has partnered with Y to build Z": both make Z
            k = max(partners[-1].toks) + 1
            if k + 2 < sent.end and doc[k].lower_ == "to" and doc[k + 1].lemma_ in {
                    "build", "develop", "create", "make", "design", "launch", "co-develop"}:
                z = _starting_near(ms, k + 2, doc, slack=2)
                if z is not None and z.entity.type in THINGS:
                    for maker in [subj, *partners]:
                        if maker.entity.type in ORGS:
                            _emit(sent, out, "develops", maker, z, 0.7, None)


#: Verbs whose direct object is acquired or made by the subject.
OBJECT_VERBS = {"acquire": "acquired", "buy": "acquired", "purchase": "acquired",
                "unveil": "develops", "introduce": "develops", "debut": "develops",
                "launch": "develops", "release": "develops", "announce": "develops",
                "roll": "develops", "ship": "develops", "open-source": "develops",
                "supply": "develops"}
#: Nouns for a supplier's customers ("ships to carmakers including A and B").
CUSTOMER_NOUNS = {"customers", "clients", "carmakers", "automakers", "manufacturers", "makers",
                  "brands", "companies", "operators", "carriers", "banks", "retailers", "oems",
                  "hyperscalers", "buyers", "users", "licensees", "partners", "vendors", "firms"}
SUPPLY_VERBS = {"ship", "supply", "sell", "provide", "deliver", "license"}


def _verb_objects(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X bought database startup Y', 'X unveiled its Y chip', 'X rolled out Y': the first name
    after the verb, past determiners and classifier words, whatever the parse made of them."""
    doc = sent.doc
    for v in sent:
        pred = OBJECT_VERBS.get(v.lemma_)
        if pred is None or v.tag_ not in {"VBD", "VBZ", "VBP", "VB", "VBG", "VBN"} or _negated_verb(v) \
                or _negated(v, sent) or _doubted(v, sent):
            continue
        if v.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in v.children):
            continue  # passives are read from their agent elsewhere
        k = v.i + 1
        if v.lemma_ == "roll":
            if k >= sent.end or doc[k].lower_ != "out":
                continue
            k += 1
        if v.lemma_ == "announce" and not any(doc[q].lower_ in {"new", "its", "their"} for q in range(k, min(k + 2, sent.end))):
            continue  # "announced X" is a launch only for "its/new X"
        obj = None
        q = k
        while q < min(k + 5, sent.end):
            m = _at(ms, q)
            if m is not None and not m.coref and min(m.toks) == q:
                obj = m
                break
            classifier = doc[q].is_lower and (doc[q].lower_ in COMPANY_NOUNS or doc[q].lower_ in PRODUCT_WORDS)
            if doc[q].pos_ not in {"DET", "ADJ", "NOUN", "NUM", "PRON"} and doc[q].text != "-" and not classifier \
                    or doc[q].lower_ in {"stake", "share", "shares", "part", "rest", "majority"}:
                break
            q += 1
        if obj is None:
            continue
        k2 = max(obj.toks) + 1
        if k2 < sent.end and doc[k2].is_lower and doc[k2].pos_ == "NOUN" and doc[k2].lower_ not in PRODUCT_WORDS \
                and doc[k2].lower_ not in APPOSITIVE_PRODUCTS and doc[k2].lower_ not in COMPANY_NOUNS:
            continue  # "5G radio equipment": the name only modifies the object
        if v.lemma_ == "supply" and obj.entity.type != "Product":
            continue
        if k2 < sent.end and doc[k2].tag_ == "POS":
            continue  # "bought X's unit": not X
        subj = _subject_of(v, ms, doc)
        if subj is None or subj.entity.type not in ORGS:
            continue
        if pred == "acquired" and obj.entity.type not in {"Vendor", "Product"}:
            continue
        if pred == "develops" and obj.entity.type not in THINGS:
            continue
        _emit(sent, out, pred, subj, obj, 0.7, None)


SUPPLY_WORDS = {"ship", "ships", "shipped", "shipping", "supply", "supplies", "supplied", "supplying",
                "sell", "sells", "sold", "selling", "provide", "provides", "provided", "deliver",
                "delivers", "delivered", "license", "licenses", "licensed"}


def _controller_subject(v, ms: list[Ment]) -> Ment | None:
    """The mention that is the subject of v or of a verb v depends on ("X signed a deal to
    supply", "X ... and ships"), up to four heads away."""
    t = v
    for _ in range(5):
        subj = next((c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            return _at(ms, subj.i)
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _supply_surface(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X ... to supply its software to Y', 'ships radios to operators such as A and B':
    supplier relationships read off word order (the parse of such clauses is unreliable)."""
    doc = sent.doc
    for t in sent:
        if t.lower_ not in SUPPLY_WORDS or _negated_verb(t) or _doubted(t, sent):
            continue
        to = next((q for q in range(t.i + 1, min(t.i + 12, sent.end)) if doc[q].lower_ == "to"), None)
        if to is None or any(doc[q].lower_ in {",", ";", "and", "but", "which", "that"} or _at(ms, q) is not None
                             and not _at(ms, q).coref and _at(ms, q).entity.type in ORGS
                             for q in range(t.i + 1, to)):
            continue
        supplier = _controller_subject(t, ms)
        if (supplier is None or supplier.entity.type not in ORGS) and t.i > sent.start:
            supplier = None
            first = min((m for m in ms if m.toks), key=lambda m: min(m.toks), default=None)
            if first is not None and min(first.toks) <= sent.start + 1 and first.head.dep_ in {"nsubj", "nsubjpass"}:
                supplier = first  # "The company is a member ... and ships X to ..."
        if supplier is None or supplier.entity.type not in ORGS:
            continue
        k = to + 1
        direct = _starting_near(ms, k, doc, slack=1)
        if direct is not None and direct.entity.type in ORGS and not t.lower_.startswith(("sel", "sol")):
            targets = _list_from(ms, doc, k, sent.end, "to")
        else:
            while k < sent.end and doc[k].pos_ in {"ADJ", "DET"}:
                k += 1
            if k >= sent.end or doc[k].lower_ not in CUSTOMER_NOUNS:
                continue
            k += 1
            if k < sent.end and doc[k].lower_ in {"including", "like"}:
                k += 1
            elif k + 1 < sent.end and doc[k].lower_ == "such" and doc[k + 1].lower_ == "as":
                k += 2
            else:
                continue
            targets = _list_from(ms, doc, k, sent.end, "with")
        for o in targets:
            if o.entity.type in ORGS:
                _emit(sent, out, "partnersWith", supplier, o, 0.7, None)


BUY_WORDS = {"buy", "buys", "bought", "buying", "source", "sources", "sourced", "sourcing",
             "purchase", "purchases", "purchased", "order", "orders", "ordered", "license",
             "licenses", "licensed"}
#: Objects of "buy" that make it an acquisition or an investment, not a supply.
DEAL_OBJECTS = {"stake", "stakes", "shares", "share", "business", "businesses", "unit", "units",
                "company", "companies", "division", "assets", "startup", "start-up", "firm",
                "rights", "patents", "portfolio", "operations", "subsidiary", "maker", "rival"}


def _buys_from(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X buys modems from Y', 'X sources its chips from Y': Y is X's supplier."""
    doc = sent.doc
    for t in sent:
        if t.lower_ not in BUY_WORDS or _negated_verb(t) or _doubted(t, sent) or _negated(t, sent):
            continue
        frm = next((q for q in range(t.i + 1, min(t.i + 9, sent.end)) if doc[q].lower_ == "from"), None)
        if frm is None or frm == t.i + 1:
            continue
        between = doc[t.i + 1:frm]
        if any(w.lower_ in DEAL_OBJECTS or w.text in {",", ";"} or w.pos_ in {"VERB", "AUX"}
               or _at(ms, w.i) is not None and not _at(ms, w.i).coref and _at(ms, w.i).entity.type in ORGS
               for w in between):
            continue
        supplier = _starting_near(ms, frm + 1, doc, slack=1)
        buyer = _controller_subject(t, ms) or _subject_of(t, ms, doc)
        if supplier is None or buyer is None or supplier.entity.type not in ORGS or buyer.entity.type not in ORGS:
            continue
        _emit(sent, out, "partnersWith", buyer, supplier, 0.7, None)


def _supplies(sent, ms: list[Ment], ments: list[Ment], out: list[Relation]) -> None:
    """'Its chip ships to carmakers including A, B and C', "X's customers include A and B":
    a supplier relationship with every named customer."""
    doc = sent.doc
    for t in sent:
        if t.lower_ not in CUSTOMER_NOUNS:
            continue
        supplier = None
        poss = next((c for c in t.children if c.dep_ == "poss"), None)
        if poss is not None:
            supplier = _at(ms, poss.i)
        elif t.dep_ == "pobj" and t.head.lower_ == "to" and (
                t.head.head.lemma_ in SUPPLY_VERBS or t.head.head.lower_ in {"ships", "supplies", "sells"}):
            v = t.head.head
            subj = _subject_of(v, ms, doc)
            if subj is not None and subj.entity.type in THINGS:
                # "its EyeQ chip ships to": the maker named by the possessor
                noun = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                p = next((c for c in noun.children if c.dep_ == "poss"), None) if noun is not None else None
                subj = _at(ms, p.i) if p is not None else None
            if subj is None:
                # "Its EyeQ chip ships to ...", parsed as a noun phrase: the possessor before the verb
                p = next((q for q in range(v.i - 1, max(sent.start - 1, v.i - 6), -1)
                          if doc[q].dep_ == "poss"), None)
                subj = _at(ms, p) if p is not None else None
            supplier = subj
        if supplier is None or supplier.entity.type not in ORGS:
            continue
        # the list: "customers including A", "customers such as A", "customers include A"
        k = t.i + 1
        if k < sent.end and doc[k].lower_ in {"including", "like", "include", "includes", "included"}:
            k += 1
        elif k + 1 < sent.end and doc[k].lower_ == "such" and doc[k + 1].lower_ == "as":
            k += 2
        else:
            continue
        for o in _list_from(ms, doc, k, sent.end, "with"):
            if o.entity.type in ORGS:
                _emit(sent, out, "partnersWith", supplier, o, 0.7, None)


def _set_against(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'puts X in direct competition with Y', 'pits X against Y', 'X goes head to head with Y'."""
    doc = sent.doc
    words = doc.user_data.get("_lower")
    if words is None:
        words = doc.user_data["_lower"] = [t.lower_ for t in doc]
    for v in sent:
        x = None
        if v.lemma_ in SETTING_VERBS and v.pos_ == "VERB" or v.lower_ in {"pits", "puts"} and v.i > sent.start:
            x = _starting_near(ms, v.i + 1, doc, slack=1)
            if x is None:
                continue
            k = max(x.toks) + 1
        elif v.lemma_ == "go" and v.pos_ == "VERB":
            x = _subject_of(v, ms, doc)
            k = v.i + 1
        else:
            continue
        if x is None or _negated_verb(v) or _negated(v, sent) or _doubted(v, sent):
            continue
        # what follows the object: "against", "in (more) direct competition with", "head to head with"
        j = k
        while j < min(k + 6, sent.end) and words[j] not in {"against", "with", "versus"}:
            j += 1
        if j >= min(k + 6, sent.end):
            continue
        between = words[k:j]
        ok = words[j] == "against" and not between and v.lemma_ != "go" or (
            words[j] == "with" and (any(w in COMPETITION_NOUNS for w in between) and between[:1] in (["in"], ["into"])
                                    or between[-3:] == ["head", "to", "head"] or between[-1:] == ["head-to-head"]))
        if not ok:
            continue
        for o in _list_from(ms, doc, j + 1, sent.end, words[j]):
            _emit(sent, out, "competesWith", x, o, 0.8, None)


def _salient_company(doc, sent, ments: list[Ment], before: int, exclude=None) -> Ment | None:
    """The company a sentence is about: 'the company'/'its' resolved in it, else the latest
    company subject in it or the two sentences before."""
    sent_of = sentence_of(doc)
    here = sent_of[sent.start]
    ments = [m for m in ments if m.entity is not exclude]
    for m in ments:
        if m.coref and m.toks and m.entity.type == "Vendor" and sent_of[m.head.i] == here \
                and m.head.lower_ not in {"it", "its"}:
            return m
    # a company the sentence itself names as owner or subject ("part of X's cloud, CEO P said")
    named = [m for m in ments if not m.coref and m.toks and sent_of[m.head.i] == here
             and m.entity.type == "Vendor" and m.head.dep_ in {"poss", "nsubj", "nsubjpass"}]
    if len({m.entity.id for m in named}) == 1:
        return named[0]
    best = None
    for m in ments:
        if m.entity.type != "Vendor" or not m.toks or m.head.i >= before:
            continue
        back = here - sent_of[m.head.i]
        if not 0 <= back <= 2:
            continue
        root = m.head
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        if root.dep_ in {"nsubj", "nsubjpass"} and (best is None or m.head.i > best.head.i):
            best = m
    return best


def _bare_titles(doc, sent, ms: list[Ment], ments: list[Ment], out: list[Relation]) -> None:
    """'chief executive P said', 'Founder P said', 'said P, co-chief executive': the title
    names no company, so it is the company the sentence is about."""
    for p in ms:
        if p.entity.type != "Person" or p.coref:
            continue
        lo, hi = min(p.toks), max(p.toks)
        # titles right before the name, with no company before them
        j = lo - 1
        titles = []
        while j >= sent.start and (doc[j].lower_ in TITLE_TOKENS) and lo - j <= 8:
            titles.append(doc[j])
            j -= 1
        org = None
        if titles and any(t.lower_ in LEAD_TITLES for t in titles):
            before = doc[j] if j >= sent.start else None
            if before is not None and doc[j + 1].lower_ in TITLE_TOKENS and _at(ms, before.i) is not None \
                    and doc[j + 1].lower_ not in {"and", "&", "-"}:
                org = _at(ms, before.i)  # "Acme co-founder and chief executive P"
            elif before is not None and (before.tag_ == "POS" or doc[j].lower_ in TITLE_TOKENS or before.lower_ in {
                    "former", "ex", "a", "an", "its", "their", "his", "her", "then", "late"}):
                continue  # "Acme's CEO P" is read elsewhere; "a former CEO" is not current
            else:
                org = _salient_company(doc, sent, ments, lo)
        elif hi + 2 < sent.end and doc[hi + 1].text == ",":
            # "P, co-chief executive," / "P, Acme's co-chief executive"
            k = hi + 2
            owner = None
            if doc[k].lower_ == "the":
                k += 1
            m = _at(ms, k)
            if m is not None and max(m.toks) + 1 < sent.end and doc[max(m.toks) + 1].tag_ == "POS":
                owner, k = m, max(m.toks) + 2
            tail = []
            while k < sent.end and doc[k].lower_ in TITLE_TOKENS and len(tail) < 5:
                tail.append(doc[k])
                k += 1
            if not tail or not any(t.lower_ in LEAD_TITLES or t.lower_ == "co-chief" for t in tail):
                continue
            if k < sent.end and doc[k].lower_ in {"of", "at"}:
                # "P, head of the electronics division at X": the first company named after it
                later = next((o for o in ms if not o.coref and min(o.toks) > k and min(o.toks) <= k + 7), None)
                between = doc[k:min(later.toks)] if later is not None else []
                if later is not None and later.entity.type in ORGS and not any(
                        b.pos_ in {"VERB", "AUX"} or b.text in {",", ";"} for b in between):
                    out.append(_rel(sent, p, "leads", later, 0.7, False, None))
                continue
            org = owner if owner is not None else (
                _salient_company(doc, sent, ments, lo) if doc[hi + 2].lower_ != "the" else None)
        if org is not None and org.entity.type in ORGS:
            out.append(_rel(sent, p, "leads", org, 0.7, False, None))


def _owner_appositives(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """'N, X's software stack', "X's gateway, N,", 'N, an X customer', 'N, X's subsidiary'."""
    for n in ms:
        if n.coref:
            continue
        k = max(n.toks) + 1
        if k + 2 < sent.end and doc[k].like_num and doc[k + 1].text == "," \
                and doc[k + 2].lower_ in {"its", "their"}:
            k += 1  # "N 2.0, its flagship editor": a version number after the name
        if k + 1 >= sent.end or doc[k].text != ",":
            continue
        j = k + 1
        owner, compound = None, False
        if doc[j].lower_ in {"its", "their"} and _at(ms, j) is not None and _at(ms, j).coref:
            # "N, its coding agent": the resolved possessive pronoun owns N
            owner, j = _at(ms, j), j + 1
            head = None
            while j < sent.end and (doc[j].pos_ in {"ADJ", "NOUN", "ADV"} or doc[j].text == "-") \
                    and _at(ms, j) is None:
                if doc[j].pos_ == "NOUN":
                    head = doc[j]
                j += 1
            if head is not None and not (j < sent.end and doc[j].lower_ in {"of", "for", "to"}):
                _owned_relation(sent, owner, head, n, out)
            continue
        if doc[j].lower_ in {"a", "an", "the"} and _of_owner(doc, sent, ms, n, j + 1, out):
            continue
        if doc[j].lower_ in {"a", "an", "the"}:
            m = _at(ms, j + 1)
            if m is not None and not m.coref and max(m.toks) + 1 < sent.end and doc[max(m.toks) + 1].tag_ != "POS":
                owner, compound, j = m, True, max(m.toks) + 1  # "N, a X customer"
            elif doc[j].lower_ == "the" and _at(ms, j + 1) is not None:
                m = _at(ms, j + 1)
                if max(m.toks) + 1 < sent.end and doc[max(m.toks) + 1].tag_ == "POS":
                    owner, j = m, max(m.toks) + 2  # "N, the company's assistant"
            if owner is None:
                continue
        else:
            m = _at(ms, j)
            if m is None or max(m.toks) + 1 >= sent.end or doc[max(m.toks) + 1].tag_ != "POS":
                continue
            owner, j = m, max(m.toks) + 2  # "N, X's stack"
        head = None
        while j < sent.end and (doc[j].pos_ in {"ADJ", "NOUN", "PROPN", "NUM", "ADV"} or doc[j].text == "-"):
            if _at(ms, j) is not None and not compound:
                head = None
                break
            if doc[j].pos_ in {"NOUN", "PROPN"}:
                head = doc[j]
            j += 1
        if head is None or (j < sent.end and doc[j].lower_ in {"of", "for", "to"}):
            continue  # "N, X's rival for ...": keep to the plain description
        _owned_relation(sent, owner, head, n, out)
    # "X's gateway, N," : the name is the owned noun's apposition
    for n in ms:
        if n.coref or n.head.dep_ != "appos":
            continue
        noun = n.head.head
        if noun.i >= min(n.toks) or doc[min(n.toks) - 1].text != ",":
            continue
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        owner = _at(ms, poss.i) if poss is not None else None
        if owner is None and poss is not None:
            owner = next((o for o in ms if o.head.i == poss.i), None)
        if owner is not None:
            _owned_relation(sent, owner, noun, n, out)


def _of_owner(doc, sent, ms: list[Ment], n: Ment, j: int, out: list[Relation]) -> bool:
    """'N, the parts arm of X', 'N, a unit of X', 'N, a longtime rival of X'."""
    head = None
    while j < sent.end and (doc[j].pos_ in {"ADJ", "NOUN", "ADV"} or doc[j].text == "-") \
            and _at(ms, j) is None:
        if doc[j].pos_ == "NOUN":
            head = doc[j]
        j += 1
    if head is None or j + 1 >= sent.end or doc[j].lower_ != "of":
        return False
    if head.lemma_.lower() not in OWNED_HEADS and head.lower_ not in OWNED_HEADS:
        return False
    k = j + 1 + (doc[j + 1].lower_ == "the")
    owner = _at(ms, k)
    if owner is None or owner.coref:
        return False
    _owned_relation(sent, owner, head, n, out)
    return True


def _owned_relation(sent, owner: Ment, head, n: Ment, out: list[Relation]) -> None:
    low = head.lower_
    if owner.entity is n.entity or owner.entity.type not in ORGS:
        return
    pred = OWNED_HEADS.get(head.lemma_.lower()) or OWNED_HEADS.get(low)
    if pred == "acquired" and n.entity.type in ORGS:
        _emit(sent, out, "acquired", owner, n, 0.7, None)
    elif pred in {"competesWith", "partnersWith"} and n.entity.type in ORGS | THINGS:
        _emit(sent, out, pred, n, owner, 0.7, None)
    elif pred is None and n.entity.type in THINGS and (
            low in PRODUCT_WORDS or low in APPOSITIVE_PRODUCTS or head.tag_ in {"NN", "NNS"}):
        _emit(sent, out, "develops", owner, n, 0.7, None)


def _whose(doc, sent, ms: list[Ment], out: list[Relation]) -> None:
    """'X, the Paris company whose N has won', 'X, whose N platform': X develops N."""
    for w in sent:
        if w.lower_ != "whose":
            continue
        # the antecedent: a name right before, or before the description ending at "whose"
        j = w.i - 1
        while j > sent.start and (doc[j].pos_ in {"DET", "ADJ", "NOUN", "PROPN"} and _at(ms, j) is None
                                  or doc[j].text == "-"):
            j -= 1
        if doc[j].text == ",":
            j -= 1
        ante = _at(ms, j)
        if ante is None or ante.entity.type not in ORGS:
            continue
        owned = w.head
        n = _at(ms, owned.i) or next((o for o in ms if o.head.head.i == owned.i and o.head.dep_ in {
            "compound", "nmod", "appos"} and not o.coref), None)
        if n is None:
            # the mention right after "whose" ("whose Mistral Medium 3 has won", any parse)
            n = next((o for o in ms if min(o.toks) in {w.i + 1, w.i + 2} and not o.coref), None)
        if n is not None and n.entity.type in THINGS:
            _emit(sent, out, "develops", ante, n, 0.75, None)


def _contract_making(doc, sent, ms: list[Ment], out: list[Relation], blocked: set) -> None:
    """'its next chip will be manufactured by X': X makes it for the owner, a supplier."""
    owner_here = None
    for v in sent:
        if v.lemma_ not in MAKING_VERBS or v.tag_ != "VBN":
            continue
        if not any(c.dep_ == "auxpass" for c in v.children):
            continue
        patient = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        if patient is None or agent is None:
            continue
        by = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if by is None:
            continue
        maker = _at(ms, by.i)
        if maker is None and by.lower_ in PART_NOUNS:
            poss = next((c for c in by.children if c.dep_ == "poss"), None)
            maker = _at(ms, poss.i) if poss is not None else None
        if maker is None or maker.entity.type not in ORGS:
            continue
        poss = next((c for c in patient.children if c.dep_ == "poss"), None)
        owner = _at(ms, poss.i) if poss is not None else None
        if owner is None and poss is None and v.dep_ in {"advcl", "conj"}:
            owner = owner_here  # "while a variant will be built by Y": the same owner
        if owner is None or owner.entity.type not in ORGS or owner.entity is maker.entity:
            continue
        owner_here = owner
        thing = _at(ms, patient.i) or next((o for o in ms if o.head.head.i == patient.i and not o.coref
                                            and o.head.dep_ in {"compound", "nmod"}), None)
        _emit(sent, out, "partnersWith", maker, owner, 0.75, None)
        if thing is not None and thing.entity.type in THINGS:
            _emit(sent, out, "develops", owner, thing, 0.75, None)
            blocked.add((maker.entity.id, "develops", thing.entity.id))


#: Verbs whose pronoun subject is a product, not a company ("it will be folded into X").
PRODUCT_PRONOUN_VERBS = {"fold", "integrate", "plug", "connect", "embed", "bundle", "interoperate",
                         "run", "port", "merge"}


def product_pronouns(doc, ments: list[Ment]) -> list[Ment]:
    """'Acme's gateway, Shield, flags leaks. It will be folded into X': a subject 'it' of a
    verb only products take refers to the product the last sentence was about (replacing the
    company the generic coreference chose)."""
    sent_of = sentence_of(doc)
    sents = doc.user_data["_sents"]
    out = list(ments)
    for t in doc:
        if t.lower_ not in {"it", "they"} or t.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        plural = t.lower_ == "they"
        v = t.head
        verbs = [v] + [c for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        # "They run X" (plural hardware running software) needs no "on"
        if not any(w.lemma_ in PRODUCT_PRONOUN_VERBS and (w.lemma_ != "run" or plural or any(
                c.lower_ == "on" for c in w.children)) for w in verbs):
            continue
        n = sent_of[t.i]
        if n == 0:
            continue
        prev = sents[n - 1]
        cands = sorted((m for m in ments if not m.coref and m.toks and sent_of[m.head.i] == n - 1),
                       key=lambda m: min(m.toks))
        ante = None
        for m in cands:
            h = m.head
            if h.dep_ == "poss" or h.dep_ == "compound" and h.head.dep_ == "poss":
                continue  # the owner in "Acme's gateway"
            if m.entity.type != "Product":
                break  # the sentence is about something else
            if plural:
                # "Acme's Blackhole cards compete ... They run X": a plural category noun
                noun = h.head if h.dep_ in {"compound", "nmod"} else None
                if noun is not None and noun.tag_ == "NNS" and noun.dep_ in {"nsubj", "nsubjpass"}:
                    ante = m
                break
            if h.dep_ in {"nsubj", "nsubjpass"} or h.dep_ == "appos" and h.head.dep_ in {
                    "nsubj", "nsubjpass", "ROOT"} or h.head.i == prev.root.i:
                ante = m
            break
        if ante is None:
            continue
        out = [m for m in out if not (m.coref and m.head.i == t.i)]
        out.append(Ment(head=t, toks={t.i}, entity=ante.entity, coref=True))
    return out


MANAGED = {"managed", "hosted", "fully-managed", "serverless"}
SERVICE_HEADS = {"service", "services", "offering", "offerings", "hosting", "version", "versions"}


def _managed_services(sent, ms: list[Ment], out: list[Relation], retyped: set) -> None:
    """'a provider of managed PostgreSQL services': the provider runs someone's product as a
    service; it supports the product rather than developing it."""
    doc = sent.doc
    for m in ms:
        if m.coref or m.entity.type != "Product":
            continue
        lo, hi = min(m.toks), max(m.toks)
        before = {doc[q].lower_ for q in range(max(sent.start, lo - 2), lo)}
        after = doc[hi + 1].lower_ if hi + 1 < sent.end else ""
        if before & MANAGED and after in SERVICE_HEADS:
            retyped.add((m.entity.id, sent.start_char))


ALLIANCE_NOUNS = {"alliance", "partnership", "collaboration", "tie-up", "pact", "joint"}
EVENT_SUBJECTS = {"move", "deal", "agreement", "announcement", "decision", "launch", "step",
                  "expansion", "contract", "investment", "acquisition", "purchase"}


def _implicit_alliances(doc, sent, ms: list[Ment], ments: list[Ment], out: list[Relation]) -> None:
    """'The move widens an alliance with Y': an alliance with no owner named in the sentence
    belongs to the company the passage is about."""
    for t in sent:
        if t.lower_ not in ALLIANCE_NOUNS or t.pos_ != "NOUN":
            continue
        if any(c.dep_ in {"poss", "compound"} for c in t.children):
            continue  # "X's alliance", "the X-Y alliance" are read elsewhere
        w = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "with"), None)
        y = _at(ms, next((c.i for c in w.children if c.dep_ == "pobj"), -1)) if w is not None else None
        if y is None or y.coref or y.entity.type not in ORGS:
            continue
        verb = t.head
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is None or subj.lower_ not in EVENT_SUBJECTS or _negated_verb(verb):
            continue
        others = [m for m in ms if not m.coref and m.entity.type in ORGS and m.entity is not y.entity]
        if others:
            continue  # another company is named: the owner is not implicit
        x = _salient_company(doc, sent, ments, sent.start, exclude=y.entity)
        if x is not None and x.entity is not y.entity:
            _emit(sent, out, "partnersWith", x, y, 0.6, None)


def _inside(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'the Z2 processor inside the Go S and the Ally X', 'the A14 chip in the iPhone 12':
    a component in products."""
    doc = sent.doc
    for p in ms:
        if p.coref or p.entity.type != "Product":
            continue
        k = max(p.toks) + 1
        while k < sent.end and k - max(p.toks) <= 2 and doc[k].is_lower and doc[k].pos_ == "NOUN" \
                and (doc[k].lower_ in PRODUCT_WORDS or doc[k].lower_ in APPOSITIVE_PRODUCTS):
            k += 1
        if k == max(p.toks) + 1 or k >= sent.end or doc[k].lower_ not in {"inside", "in", "powering"}:
            continue  # the category noun is required: "X in March" is no component
        j = k + 1
        if j < sent.end and doc[j].lower_ in {"both", "all", "each"}:
            j += 1
        for o in _list_from(ms, doc, j, sent.end, doc[k].lower_):
            if o.entity.type == "Product":
                _emit(sent, out, "integratesWith", p, o, 0.7, None)


#: Hyphenated participles after a name: "SoftBank-owned Arm", "Apple-designed M1".
HYPHEN_PARTICIPLES = {"owned": "acquired", "controlled": "acquired", "made": "develops",
                      "designed": "develops", "built": "develops", "developed": "develops"}


def _hyphen_participles(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'SoftBank-owned Arm' (acquired), 'the Apple-designed M1 chip' (develops)."""
    doc = sent.doc
    for a in ms:
        if a.coref or a.entity.type not in ORGS:
            continue
        k = max(a.toks) + 1
        if k + 2 >= sent.end or doc[k].text != "-" or doc[k + 1].lower_ not in HYPHEN_PARTICIPLES:
            continue
        pred = HYPHEN_PARTICIPLES[doc[k + 1].lower_]
        b = _starting_near(ms, k + 2, doc, slack=2)
        if b is None or b.coref:
            continue
        if pred == "acquired" and b.entity.type in ORGS or pred == "develops" and b.entity.type in THINGS:
            _emit(sent, out, pred, a, b, 0.75, None)


def _runs(sent, ms: list[Ment], out: list[Relation]) -> None:
    """'They run X' / 'the chip runs X': hardware or a platform running software."""
    for v in sent:
        if v.lemma_ != "run" or v.pos_ != "VERB" or _negated_verb(v):
            continue
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in v.children if c.dep_ == "dobj"), None)
        a = _at(ms, subj.i) if subj is not None else None
        b = _at(ms, obj.i) if obj is not None else None
        if a is not None and b is not None and a.entity.type == "Product" and b.entity.type == "Product":
            _emit(sent, out, "integratesWith", a, b, 0.7, None)


def _not_acquisitions(sent, ms: list[Ment], blocked: set) -> None:
    """'X bought back shares from investors including Y', 'X bought a stake from Y': buying
    shares from someone is not buying them."""
    doc = sent.doc
    for t in sent:
        if t.lemma_ not in {"buy", "purchase", "acquire"}:
            continue
        shares = any(c.dep_ == "prt" and c.lower_ == "back" for c in t.children) or any(
            c.dep_ == "dobj" and c.lemma_ in {"share", "stake", "bond", "debt", "note", "stock"} for c in t.children)
        if not shares:
            continue
        subj = _controller_subject(t, ms) or _subject_of(t, ms, doc)
        if subj is None:
            continue
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in {"from", "in"} or c.dep_ == "dobj":
                inside = {w.i for w in c.subtree}
                for m in ms:
                    if m.toks & inside:
                        blocked.add((subj.entity.id, "acquired", m.entity.id))


def extract(doc, ments: list[Ment]) -> tuple[list[Relation], set]:
    """Pattern relations of a parsed doc, and (subject, predicate, object) keys they refute."""
    out: list[Relation] = []
    blocked: set = set()
    retyped: set = set()
    sent_of = sentence_of(doc)
    by_sent: dict[int, list[Ment]] = {}
    for m in ments:
        if m.toks:
            by_sent.setdefault(sent_of[m.head.i], []).append(m)
    for n, sent in enumerate(doc.user_data["_sents"]):
        ms = _ordered(by_sent.get(n, []))
        if not ms:
            continue
        if _headline(sent):
            continue
        _verb_lists(sent, ms, out)
        _verb_objects(sent, ms, out)
        _supplies(sent, ms, ments, out)
        _supply_surface(sent, ms, out)
        _buys_from(sent, ms, out)
        _set_against(sent, ms, out)
        _bare_titles(doc, sent, ms, ments, out)
        _owner_appositives(doc, sent, ms, out)
        _whose(doc, sent, ms, out)
        _contract_making(doc, sent, ms, out, blocked)
        _managed_services(sent, ms, out, retyped)
        _not_acquisitions(sent, ms, blocked)
        _implicit_alliances(doc, sent, ms, ments, out)
        _inside(sent, ms, out)
        _runs(sent, ms, out)
        _hyphen_participles(sent, ms, out)
        en_broad.possessed_names(doc, sent, ms, out, blocked)
        en_broad.memberships(doc, sent, ms, out)
        en_broad.available_through(doc, sent, ms, out)
        en_broad.possessed_relations(doc, sent, ms, out)
        en_broad.listed_appositives(doc, sent, ms, out)
        en_broad.passive_makers(doc, sent, ms, out)
        en_broad.under_licences(doc, sent, ms, out)
    doc.user_data["_managed"] = retyped
    return out, blocked


def retype_managed(doc, relations: list[Relation]) -> list[Relation]:
    """develops -> supports for products named as someone's managed service in that sentence."""
    retyped = doc.user_data.get("_managed") or set()
    if not retyped:
        return relations
    spans = {}
    for obj, start_char in retyped:
        sent = next(s for s in doc.user_data["_sents"] if s.start_char == start_char)
        text, start, _ = evidence_span(sent)
        spans.setdefault(obj, set()).add(start)
    for r in relations:
        if r.predicate == "develops" and r.object in spans and r.start in spans[r.object]:
            r.predicate = "supports"
    return relations
