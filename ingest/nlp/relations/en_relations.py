"""English relations from dependency paths between entity mentions.

For each pair of entity mentions in a sentence, the words on the dependency path
between them are looked up in a trigger lexicon (verb and noun lemmas mapped to
predicates); the role of each mention relative to the trigger (subject, passive
agent, possessor, object, prepositional object...) orients asymmetric
predicates. Conjuncts inherit the role of their head, so "A and B teamed up"
and "rival to A, B and C" distribute. Negation drops a relation; hedges lower its
confidence. Simple coreference maps "the company", "it", "its" to the most
salient earlier company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.nlp.mentions.en_lexicon import LEAD_TITLES, PRODUCT_WORDS
from ingest.nlp.mentions.en_mentions import COMPANY_NOUNS, doc_text, sentence_of, sentence_span, tokens_in
from ingest.nlp.relations.relations_common import ORGS, THINGS, type_ok
from kg.model import Entity, Relation

#: verb lemma -> predicate (roles: nsubj/agent = subject, object = object)
VERB_TRIGGERS: dict[str, str] = {
    "acquire": "acquired", "buy": "acquired", "purchase": "acquired", "own": "acquired",
    "takeover": "acquired", "absorb": "acquired",
    "develop": "develops", "build": "develops", "create": "develops", "make": "develops",
    "launch": "develops", "release": "develops", "unveil": "develops", "introduce": "develops",
    "design": "develops", "ship": "develops", "maintain": "develops", "produce": "develops",
    "manufacture": "develops", "author": "develops", "invent": "develops", "open-source": "develops",
    "issue": "develops", "publish": "develops", "certify": "supports",
    "partner": "partnersWith", "collaborate": "partnersWith", "cooperate": "partnersWith",
    "ally": "partnersWith", "team": "partnersWith", "supply": "partnersWith",
    "compete": "competesWith", "rival": "competesWith", "vie": "competesWith",
    "battle": "competesWith", "challenge": "competesWith",
    "support": "supports", "adopt": "supports", "back": "supports", "endorse": "supports",
    "implement": "supports", "embrace": "supports", "license": "supports", "use": "supports",
    "champion": "supports", "standardize": "supports", "standardise": "supports",
    "contribute": "contributesTo", "donate": "contributesTo",
    "integrate": "integratesWith", "underpin": "integratesWith", "plug": "integratesWith",
    "sponsor": "sponsors", "commission": "sponsors", "fund": "sponsors", "host": "sponsors",
    "found": "leads", "head": "leads", "lead": "leads", "chair": "leads",
    "co-found": "leads", "cofound": "leads",
    "power": "integratesWith", "join": "contributesTo",
    "trail": "competesWith", "overtake": "competesWith", "outsell": "competesWith",
    "control": "acquired",
}
#: noun lemma -> predicate (possessor / compound / "by" = subject, "of"/"to"/"for" = object)
NOUN_TRIGGERS: dict[str, str] = {
    "acquisition": "acquired", "purchase": "acquired", "takeover": "acquired",
    "buyout": "acquired", "merger": "acquired", "ownership": "develops",
    "subsidiary": "acquired", "division": "acquired", "project": "sponsors",
    "unit": "acquired", "affiliate": "acquired",
    "conjunction": "partnersWith", "seat": "contributesTo", "owner": "acquired", "parent": "acquired",
    "maker": "develops", "developer": "develops", "creator": "develops", "author": "develops",
    "manufacturer": "develops", "vendor": "develops", "provider": "develops",
    "partner": "partnersWith", "partnership": "partnersWith", "alliance": "partnersWith",
    "collaboration": "partnersWith", "supplier": "partnersWith", "ally": "partnersWith",
    "cooperation": "partnersWith", "venture": "partnersWith",
    "rival": "competesWith", "competitor": "competesWith", "competition": "competesWith",
    "alternative": "competesWith", "clone": "competesWith", "challenger": "competesWith",
    "contender": "competesWith", "rivalry": "competesWith", "versus": "competesWith",
    "archrival": "competesWith", "arch-rival": "competesWith", "nemesis": "competesWith",
    "vs": "competesWith", "vs.": "competesWith", "foe": "competesWith",
    "support": "supports", "backing": "supports", "adoption": "supports",
    "endorsement": "supports", "backer": "supports", "supporter": "supports",
    "adopter": "supports", "licensee": "supports", "implementation": "supports",
    "contributor": "contributesTo", "contribution": "contributesTo", "member": "contributesTo",
    "component": "integratesWith", "core": "integratesWith", "integration": "integratesWith",
    "plugin": "integratesWith", "sponsor": "sponsors", "sponsorship": "sponsors",
    "ceo": "leads", "cto": "leads", "cfo": "leads", "coo": "leads", "founder": "leads",
    "co-founder": "leads", "cofounder": "leads", "chairman": "leads", "chairwoman": "leads",
    "chair": "leads", "president": "leads", "chief": "leads", "head": "leads", "boss": "leads",
    "leader": "leads",
}
#: Verb + particle/preposition that change the predicate.
PHRASAL: dict[tuple[str, str], str] = {
    ("run", "on"): "integratesWith", ("build", "for"): "integratesWith",
    ("deploy", "on"): "integratesWith", ("work", "with"): "partnersWith",
    ("commit", "to"): "supports", ("depend", "on"): "supports", ("rely", "on"): "supports",
    ("base", "on"): "supports", ("join", "forces"): "partnersWith", ("team", "up"): "partnersWith",
    ("sign", "with"): "partnersWith", ("run", "by"): "sponsors", ("available", "on"): "integratesWith",
    ("compete", "with"): "competesWith", ("compete", "against"): "competesWith",
    ("take", "on"): "competesWith", ("join", "as"): "contributesTo",
    ("committed", "to"): "supports", ("roll", "out"): "develops", ("develop", "on"): "integratesWith",
    ("build", "on"): "integratesWith", ("differ", "from"): "competesWith",
    ("compare", "with"): "competesWith", ("compare", "to"): "competesWith",
    ("switch", "to"): "supports", ("migrate", "to"): "supports",
    ("port", "to"): "integratesWith", ("integrate", "with"): "integratesWith",
    ("integrate", "into"): "integratesWith", ("plug", "into"): "integratesWith",
    ("offer", "on"): "integratesWith", ("host", "on"): "integratesWith",
    ("make", "for"): "integratesWith", ("supply", "to"): "partnersWith",
    ("vote", "for"): "supports", ("side", "with"): "supports",
    ("compatible", "with"): "integratesWith", ("interoperable", "with"): "integratesWith",
    ("bundle", "with"): "integratesWith", ("ship", "with"): "integratesWith",
    ("pair", "with"): "integratesWith", ("preinstall", "on"): "integratesWith",
    ("launch", "on"): "integratesWith", ("deploy", "to"): "integratesWith",
    ("fold", "into"): "integratesWith", ("add", "to"): "integratesWith",
}
SYMMETRIC = {"competesWith", "partnersWith", "integratesWith"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
HEDGES = {"reportedly", "may", "might", "could", "allegedly", "possibly", "consider",
          "considering", "expected", "likely"}
#: Words that put a claim in doubt: such relations are dropped.
DOUBTS = {"rumor", "rumors", "rumour", "rumours", "rumored", "rumoured", "speculate",
          "speculation", "unfounded", "false", "untrue", "baseless", "hoax", "reports", "report"}
DENIALS = {"deny", "dismiss", "reject", "refute"}
COREF_NOUNS = {"company", "firm", "vendor", "startup", "giant", "maker", "provider", "group"}
COREF_PRONOUNS = {"it", "its"}
MAX_PATH = 7
#: Nouns naming the doer: their possessor is the object ("Xen's sponsor", "Docker's maker").
AGENT_NOUNS = {"maker", "developer", "creator", "manufacturer", "vendor", "provider", "author",
               "owner", "parent", "sponsor", "backer", "supporter", "adopter", "licensee",
               "contributor", "member", "rival", "competitor", "challenger", "contender",
               "partner", "ally", "supplier", "clone", "alternative", "foe", "archrival",
               "arch-rival", "nemesis"}
#: Nouns naming the thing owned: their possessor is the owner ("the Intel subsidiary Mobileye").
PATIENT_NOUNS = {"subsidiary", "division", "project", "unit", "affiliate"}
#: Common-noun heads that stand for the name modifying them ("the MongoDB server").
GENERIC_HEADS = {"server", "platform", "project", "service", "software", "database", "engine",
                 "system", "framework", "technology", "tool", "tools", "code", "runtime",
                 "product", "products", "cloud", "company", "firm", "team", "brand", "stack",
                 "distribution", "kernel", "os", "format", "protocol", "architecture", "chip",
                 "chips", "processor", "processors", "hypervisor", "container", "containers",
                 "orchestrator", "library", "language", "standard", "specification", "spec",
                 "suite", "app", "device", "devices", "phone", "smartphone", "smartphones",
                 "speakers", "headphones", "cars", "vehicles", "tvs", "drones", "printers",
                 "cameras", "servers", "laptops", "tablets", "phones", "line",
                 "family", "series", "model", "models", "edition", "registry", "cluster",
                 "clusters", "instance", "image", "images", "browser", "services", "business",
                 "unit", "division", "assets", "operations", "portfolio", "chatbot", "assistant",
                 "bot", "game", "console", "headset", "vehicle", "car", "handset", "stablecoin",
                 "token", "coin", "wallet", "network", "modem", "gpu", "cpu", "soc", "accelerator"}
GENERIC_HEADS |= {"proposal", "board", "committee", "council", "consortium", "scheme", "module",
                  "kit", "adapter", "sensor", "controller", "card", "subsystem"}
GENERIC_HEADS |= {w for w in PRODUCT_WORDS if w not in {
    "user", "users", "support", "integration", "version", "versions", "release", "edition",
    "deployment", "deployments", "environment", "environments", "orchestration", "operating",
    "model", "models"}}
#: "the N of X" stands for X ("the 3.6 version of the MongoDB server").
VERSION_NOUNS = {"version", "versions", "instance", "release", "edition", "variant", "build",
                 "copy", "port", "flavor", "flavour", "implementation"}
#: "all of X", "many of X": a quantifier stands for X.
QUANTIFIERS = {"all", "some", "many", "most", "each", "both", "several", "one", "any", "none",
               "half", "much", "part"}
#: "rivals such as A", "licensees including B": A and B stand for the list's noun.
LIST_PREPS = {"as", "including", "like", "especially", "notably", "particularly"}
#: Prepositions that may introduce the object of a noun or verb trigger, per predicate.
OBJECT_PREPS: dict[str, set[str]] = {
    "acquired": {"of"},
    "develops": {"of", "behind", "for"},
    "partnersWith": {"with", "between", "to", "among", "alongside"},
    "competesWith": {"to", "with", "of", "against", "for", "versus", "vs", "vs.", "from", "than"},
    "supports": {"for", "of", "to", "on", "behind", "into"},
    "contributesTo": {"to", "of", "in", "on"},
    "integratesWith": {"of", "for", "with", "in", "into", "to", "on", "inside", "including", "alongside"},
    "sponsors": {"of", "for", "to"},
    "leads": {"of", "at"},
}
#: Verbs whose subject owns a noun trigger in their object ("X announced support for Y").
LIGHT_VERBS = {"be", "become", "remain", "represent", "have", "emerge", "see", "announce", "offer",
               "provide", "give", "get", "gain", "form", "sign", "seal", "strike", "complete",
               "close", "enter", "establish", "forge", "expand", "extend", "deepen", "end",
               "throw", "pledge", "add", "bring", "declare", "confirm", "make", "take", "show"}


@dataclass
class Ment:
    """A mention usable as a relation argument: token head and entity."""

    head: object  # spaCy Token
    toks: set  # token indices of the mention
    entity: Entity
    coref: bool = False
    owner_toks: set | None = None  # for a standard named after its owner
    appos: bool = False  # the head noun of an appositive description of the entity


def _head_of(doc, start: int, end: int):
    toks = tokens_in(doc, start, end)
    if not toks:
        return None, set()
    ids = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[-1])
    return head, ids


def _path(a, b) -> list | None:
    """Tokens on the dependency path from a to b (inclusive), via their lowest common ancestor."""
    up_a = [a] + list(a.ancestors)
    idx = {t.i: n for n, t in enumerate(up_a)}
    down = []
    t = b
    while t.i not in idx:
        down.append(t)
        if t.head.i == t.i:
            return None
        t = t.head
    return up_a[: idx[t.i] + 1] + list(reversed(down))


def _trigger(tok, path_ids: set) -> str | None:
    """Predicate triggered by a token on the path (with its particles/prepositions)."""
    lemma = tok.lemma_.lower()
    low = tok.lower_
    if lemma.startswith(("co-found", "cofound")) and tok.pos_ in {"VERB", "AUX"}:
        lemma = "found"  # "co-founded" (one token; the lemmatizer mangles it)
    kids = {c.lower_ for c in tok.children if c.dep_ in {"prt", "prep", "agent", "dobj"}}
    for (v, p), pred in PHRASAL.items():
        if v in (lemma, low) and p in kids:
            if p in {"on", "for", "with", "to", "by", "against"}:
                # the preposition must lead to the other argument
                if any(c.lower_ == p and c.i in path_ids for c in tok.children):
                    return pred
                continue
            return pred
    if low == "behind" and tok.dep_ == "prep" and tok.head.pos_ == "NOUN":
        return "develops"  # "the startup behind ChatGPT", "the team behind X"
    if tok.pos_ in {"VERB", "AUX"}:
        return VERB_TRIGGERS.get(lemma)
    if tok.pos_ in {"NOUN", "PROPN", "ADJ", "ADP", "X"}:
        return NOUN_TRIGGERS.get(lemma) or NOUN_TRIGGERS.get(low)
    return None


def _role(m_head, trig, path: list) -> str | None:
    """'S' (subject side), 'O' (object side) or None, of a mention relative to a trigger.

    Agent nouns ("maker", "sponsor", "rival") name the subject themselves, so their
    possessor or "of" object is the object ("Xen's sponsor, Citrix").
    """
    r = _raw_role(m_head, trig, path)
    if r is not None and trig.lemma_.lower() in PATIENT_NOUNS:
        if trig.lemma_.lower() == "project" and r.startswith("S") and m_head.dep_ in {"compound", "amod", "nmod"}:
            return "O"  # "the libcontainer project": the project's own name
        if r in {"S:poss", "S"} or r == "O:of":
            return "S"  # the owner: "Intel's subsidiary", "a project of the Linux Foundation"
        return "O" if r in {"S:appos", "S:attr"} or r.startswith("O") else None
    if r is None or trig.lemma_.lower() not in AGENT_NOUNS or trig.pos_ not in {"NOUN", "PROPN"}:
        return r
    if r == "S:poss" or r.startswith("O:"):
        return "O"
    if r in {"S:appos", "S:attr"}:
        return "S"
    return r.split(":")[0]


def _arg_head(m_head, trig):
    """The token standing for a mention as an argument, or None when it only modifies one.

    "the MongoDB server", "the version of DocumentDB" stand for the named thing;
    "Arm licensees" or "Amazon's version" do not stand for Arm or Amazon.
    """
    t = m_head
    while True:
        h = t.head
        if h.i == t.i or h.i == trig.i:
            return t
        if t.dep_ in {"compound", "nmod", "amod"} and h.pos_ in {"NOUN", "PROPN"}:
            # climb a noun-noun chain ("Docker Swarm orchestration engine") to its head
            top = h
            while top.dep_ == "compound" and top.head.pos_ in {"NOUN", "PROPN"} and top.head.i != trig.i:
                top = top.head
            indefinite = any(c.lower_ in {"a", "an", "another", "any", "some"} and c.dep_ == "det"
                             for c in top.children)  # not the model letter of "Command A"
            dets = [*top.children, *t.children]  # "the" may hang on either noun
            definite = any(c.lower_ in {"the", "its", "their"} or c.dep_ == "poss" for c in dets) \
                and top.tag_ == "NN" and top.lower_ not in AGENT_NOUNS
            if (top.lower_ in GENERIC_HEADS or definite) and not indefinite and top.dep_ != "appos":
                t = top
                continue
            return None
        if t.dep_ == "pobj" and h.lower_ == "of" and h.head.lower_ in VERSION_NOUNS and h.head.i != trig.i:
            t = h.head
            continue
        if t.dep_ == "poss" and h.i != trig.i:
            return None
        return t


def _raw_role(m_head, trig, path: list) -> str | None:
    if m_head.i == trig.i:
        return None
    arg = _arg_head(m_head, trig)
    if arg is None:
        return None
    m_head = arg
    # walk from the mention up to the trigger, if the trigger governs it
    t = m_head
    anc = {a.i for a in m_head.ancestors}
    if trig.i in anc:
        prev = None
        while t.head.i != trig.i:
            prev, t = t, t.head
            # an intermediate noun ("63% of X workloads") means the name is not the argument
            if t.pos_ in {"NOUN", "PROPN", "NUM", "PRON"} and prev.dep_ not in {"conj", "appos"} \
                    and t.lower_ not in VERSION_NOUNS and prev.lower_ not in LIST_PREPS \
                    and not (t.lower_ in QUANTIFIERS and prev.lower_ == "of"):
                return None
            if t.pos_ in {"VERB", "AUX"} and t.lemma_ not in {"include", "such"}:
                return None
        d = t.dep_
        # conjuncts inherit the role of the first conjunct
        while d == "conj" and t.head.i != trig.i:
            break
        if d in {"nsubj", "csubj", "poss", "compound", "nmod", "amod"}:
            passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in trig.children)
            if passive and d == "nsubj":
                return "O"
            return "S:poss" if d in {"poss", "compound", "nmod"} else "S"
        if d == "agent" or (d == "prep" and t.lower_ == "by"):
            return "S"
        if d == "prep" and t.lower_ == "from":
            # "support from X": X supports; "acquire Y from X": X is the seller, not a party
            if trig.lemma_ in {"differ", "diverge", "split", "break"}:
                return "O:from"  # "Mongo differs from Oracle"
            return "S" if trig.pos_ in {"NOUN", "PROPN"} else None
        if d == "prep" and t.lower_ in {"at", "in"} and trig.tag_ == "VBN" and trig.lemma_ in {
                "develop", "create", "build", "invent", "design", "found", "write", "make"}:
            return "S"  # "created at LinkedIn", "developed at Yahoo"
        if d == "appos" and trig.pos_ in {"NOUN", "PROPN"}:
            return "S:appos"  # "Xen's primary sponsor, Citrix": Citrix is the sponsor
        if d in {"nsubjpass", "dobj", "attr", "oprd", "dative", "pobj", "appos", "acomp", "xcomp", "ccomp"}:
            return "O"
        if d == "prep":
            return "O:" + t.lower_
        if d == "conj":
            return _role(trig, trig, path)
        return None
    # "the version of X that Y developed": the clause on the governing noun is about X
    if m_head.dep_ == "pobj" and m_head.head.lower_ == "of" and m_head.head.head.i in {
            a.i for a in trig.ancestors} and m_head.head.head.i != trig.i:
        m_head = m_head.head.head
    # the trigger sits below the mention: relative clause, apposition, participle
    if m_head.i in {a.i for a in trig.ancestors}:
        t = trig
        while t.head.i != m_head.i:
            t = t.head
        d = t.dep_
        if any(c.lower_ == "whose" for c in t.subtree):
            return None  # "Sony, whose PlayStation competes with Xbox": the console does, not Sony
        # the clause the trigger heads decides: "X, the platform created at Y" / "founded by"
        clause = trig.head if trig.dep_ == "conj" and trig.head.dep_ in {"relcl", "acl"} else trig
        if clause.dep_ == "acl" and clause.i != t.i:
            return "O" if trig.tag_ == "VBN" else "S"
        if clause.dep_ == "relcl" and clause.i != t.i:
            d, trig_for_pron = "relcl", clause
        elif d == "relcl":
            trig_for_pron = t
        else:
            trig_for_pron = trig
        if d == "relcl":
            verb = trig_for_pron if trig_for_pron.dep_ == "relcl" else t
            if trig.i != verb.i and not (trig.head.i == verb.i and trig.dep_ in {
                    "attr", "acomp", "xcomp", "dobj", "oprd", "conj", "advcl"}):
                return None  # the trigger sits deeper in the clause, on another argument
            if trig.dep_ == "acomp" and trig.tag_ == "VBN" and any(c.dep_ == "agent" for c in trig.children):
                return "O"  # "X, which is majority-owned by Y"
            if any(c.lower_ == "whose" for c in trig_for_pron.subtree):
                return None  # "Google, whose Bard chatbot is a rival": Bard is, not Google
            pron = next((c for c in trig_for_pron.children if c.tag_ in {"WDT", "WP"} or c.lower_ in {"that", "which", "who"}), None)
            if pron is None:
                return "O"
            if pron.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in trig.children):
                return "O"
            return "S" if pron.dep_ == "nsubj" else "O"
        if d == "acl":
            if trig.i != t.i:
                return None  # the trigger sits further down, on another argument
            return "O" if trig.tag_ == "VBN" else "S"
        if d in {"appos", "compound", "nmod"}:
            return "S:appos"
        if d == "prep" and t.i == trig.i and trig.lower_ == "behind":
            return "S"
        return None
    # "Vodafone picked it to supply ...": the controlling verb's object does the supplying
    if trig.pos_ == "VERB" and trig.dep_ == "xcomp" and m_head.dep_ == "dobj" and m_head.head.i == trig.head.i:
        return "S"
    # "X has agreed to acquire Y", "X plans to support Y": the controlling verb's subject
    if trig.pos_ in {"VERB", "AUX"} and m_head.dep_ in {"nsubj", "conj"} \
            and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in trig.children):
        v = trig
        hops = 0
        while v.dep_ in {"xcomp", "conj"} and hops < 3 and v.head.i != v.i:
            v = v.head
            hops += 1
            subj = _conj_root(m_head)
            if subj.head.i == v.i and subj.dep_ == "nsubj":
                passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in trig.children)
                return "O" if passive else "S"
    # both below a common verb: the subject of a light verb owns a noun trigger
    agentive = trig.lemma_.lower() in AGENT_NOUNS
    # "X remains committed to Y", "X is compatible with Y": the predicate adjective's subject
    if trig.pos_ in {"ADJ", "VERB"} and trig.dep_ in {"acomp", "xcomp", "oprd"}:
        t = _conj_root(m_head)
        if t.dep_ in {"nsubj", "nsubjpass"} and t.head.i == trig.head.i:
            by = any(c.dep_ == "agent" or c.lower_ == "by" for c in trig.children)
            return "O" if trig.tag_ == "VBN" and by else "S"  # "X is owned by Y"
    if trig.pos_ in {"NOUN", "PROPN"} and (agentive or not any(c.dep_ == "poss" for c in trig.children)):
        t = _conj_root(m_head)
        verb = t.head
        if t.dep_ in {"nsubj", "nsubjpass"} and verb.lemma_ in LIGHT_VERBS and trig.i in {
                x.i for x in verb.subtree} and _depth_below(trig, verb) <= 3:
            return "S:attr" if verb.lemma_ in {"be", "become", "remain", "emerge", "represent"} else "S"
    return None


def _depth_below(t, top) -> int:
    n = 0
    while t.i != top.i and t.head.i != t.i:
        t = t.head
        n += 1
    return n


def _conj_root(tok):
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


#: Verbs of ceasing: "X has stopped developing Y", "X discontinued work on Y" undo the relation.
CEASING = {"stop", "cease", "quit", "halt", "discontinue", "abandon", "end", "drop"}


def _negated(trig, sent) -> bool:
    if trig.dep_ in {"xcomp", "ccomp"} and trig.tag_ == "VBG" and trig.head.lemma_ in CEASING:
        return True  # "JetBrains has stopped developing Fleet"
    scope = [trig, trig.head] if trig.dep_ in {"xcomp", "dobj", "attr", "pobj"} else [trig]
    if trig.dep_ == "pobj":
        scope.append(trig.head.head)
    for t in scope:
        for c in t.children:
            if c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ in {"advmod", "det", "neg"}):
                return True
            if c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
                return True
    root = next((t for t in sent if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_ not in DENIALS:
        return False
    # "X denied a report ... to buy Y, the service that Z acquired": a relative clause on a
    # name states a fact of its own, outside the denial
    t = trig
    while t.i != root.i and t.head.i != t.i:
        if _described_fact(t):
            return False
        t = t.head
    return True


def _headline(sent) -> bool:
    """A title line (no final punctuation, mostly capitalised): parsed too poorly to trust."""
    words = [t for t in sent if t.is_alpha]
    if not words or sent.text.rstrip().endswith((".", "!", "?", "”", '"')):
        return False
    caps = sum(t.text[0].isupper() for t in words if len(t.text) > 3)
    if caps >= 0.6 * len([t for t in words if len(t.text) > 3]):
        return True
    # a sentence-case headline: the article's first line, unpunctuated, then a blank line
    text = doc_text(sent.doc)
    after = (sent.text + text[sent.end_char:sent.end_char + 2])[len(sent.text.rstrip()):]
    return not text[:sent.start_char].strip() and "\n" in after and len(sent.text.strip()) < 160


def _hedged(sent) -> bool:
    return any(t.lower_ in HEDGES or t.lemma_ in HEDGES for t in sent)


def _doubted(trig, sent) -> bool:
    """The trigger sits in a clause about rumours or denials ("rumours that X would buy Y")."""
    for a in [trig, *trig.ancestors]:
        if a.lower_ in DOUBTS or a.lemma_ in DOUBTS or a.lemma_ in DENIALS:
            return True
        if _described_fact(a):
            return False  # a relative clause on an appositive states a fact of its own
    return False


def _described_fact(t) -> bool:
    """'Y, the service that Z acquired': a relative clause on an appositive description."""
    return t.dep_ in {"relcl", "acl"} and (t.head.dep_ == "appos" or t.head.left_edge.i > 0
                                            and t.doc[t.head.left_edge.i - 1].text == ",")


def sentence_mentions(doc, ments: list[Ment]) -> dict[int, list[Ment]]:
    """Mentions grouped by sentence start token."""
    out: dict[int, list[Ment]] = {}
    for m in ments:
        out.setdefault(sentence_span(doc, m.head.i).start, []).append(m)
    return out


def extract_relations(doc, ments: list[Ment]) -> list[Relation]:
    """Relations between mentions that share a sentence, from dependency paths."""
    rels: list[Relation] = []
    by_sent = sentence_mentions(doc, ments)
    sentence_of(doc)
    for sent in doc.user_data["_sents"]:
        ms = by_sent.get(sent.start, [])
        if len(ms) < 2 or _headline(sent):
            continue
        hedge = _hedged(sent)
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if a.entity is b.entity or a.toks & b.toks:
                    continue
                r = _pair(doc, sent, a, b, hedge, ms)
                if r is not None:
                    rels.append(r)
        rels.extend(_title_pattern(sent, ms))
        rels.extend(_owner_standard(sent, ms, hedge))
        rels.extend(_adjacent_agent_noun(sent, ms, hedge))
        rels.extend(_rival_modifier(sent, ms, hedge))
        rels.extend(_support_from(sent, ms, hedge))
        rels.extend(_as_title(sent, ms))
    rels.extend(_plural_reciprocals(doc, ments))
    return rels


def _type_ok(pred: str, ts: str, to: str) -> bool:
    """Schema constraint, except that a licensee 'supports' a company (read: its standard)."""
    if pred == "supports" and to in ORGS and ts in ORGS:
        return True  # en.py redirects it to the company's standard or drops it
    return type_ok(pred, ts, to)


def _orient(pred: str, a: Ment, b: Ment, ra, rb) -> tuple[Ment, Ment] | None:
    """(subject, object) from roles, falling back to what the types allow."""
    ta, tb = a.entity.type, b.entity.type
    type_ok = _type_ok  # noqa: N806
    if pred in SYMMETRIC:
        both_objects = ra is not None and rb is not None and ra.startswith("O") and rb.startswith("O") \
            and not {ra, rb} & {"O:between", "O:among", "O:versus", "O:vs", "O:vs.", "O:including"}
        if both_objects and pred != "integratesWith":
            return None  # "seen as a rival to B" says nothing about the other object
        return (a, b) if type_ok(pred, ta, tb) else None
    sa = ra is not None and ra.startswith("S")
    sb = rb is not None and rb.startswith("S")
    oa = ra is not None and ra.startswith("O")
    ob = rb is not None and rb.startswith("O")
    if (sa and sb) or (oa and ob):
        return None  # both on one side of the trigger: not its two arguments
    if sa and not sb and type_ok(pred, ta, tb):
        return a, b
    if sb and not sa and type_ok(pred, tb, ta):
        return b, a
    if oa and not ob and type_ok(pred, tb, ta):
        return b, a
    if ob and not oa and type_ok(pred, ta, tb):
        return a, b
    if sa or sb or oa or ob:
        return None  # the roles the parse gives contradict the types: trust neither
    ok_ab, ok_ba = type_ok(pred, ta, tb), type_ok(pred, tb, ta)
    if ok_ab != ok_ba:
        return (a, b) if ok_ab else (b, a)
    return None


def _coordinated(x, y) -> bool:
    """Whether two tokens are conjuncts of one coordination ("A, B and C")."""
    return _conj_root(x).i == _conj_root(y).i


def _blocked(inner: list, a: Ment, b: Ment, others: list[Ment]) -> bool:
    """A path through a third name links that name, not the endpoints (unless coordinated)."""
    ids = {t.i for t in inner}
    for m in others:
        if m.entity is a.entity or m.entity is b.entity or not (m.toks & ids):
            continue
        if _coordinated(m.head, a.head) or _coordinated(m.head, b.head):
            continue
        return True
    return False


_STOP = object()  # a negated or doubted trigger: no other trigger may rescue the pair


def _pair(doc, sent, a: Ment, b: Ment, hedge: bool, others: list[Ment] = ()) -> Relation | None:
    path = _path(a.head, b.head)
    if path is None or sum(1 for t in path[1:] if t.dep_ != "conj") > MAX_PATH:
        return None  # conjunct chains ("A, B, C and D") do not count as distance
    path_ids = {t.i for t in path}
    inner = [t for t in path if t.i not in a.toks and t.i not in b.toks]
    if _blocked(inner, a, b, others):
        return None
    triggers = []
    for t in inner:
        pred = _trigger(t, path_ids)
        if pred is None:
            continue
        if t.lemma_ == "make" and any(c.dep_ in {"ccomp", "oprd", "xcomp"} for c in t.children):
            continue  # causative "make X a Y", not "make X"
        triggers.append((t, pred))
    sell = next((t for t in inner if t.lemma_ == "sell"), None)
    if sell is not None and not any(t is sell for t, _ in triggers):
        triggers.append((sell, "acquired"))
    if not triggers:
        if _coordinated(a.head, b.head):
            return _coordination_reciprocal(sent, a, b, hedge)
        return _no_trigger(doc, sent, a, b, path, hedge)
    # the first trigger on the path whose roles fit wins ("developed at Yahoo and backed by X")
    for trig, pred in triggers:
        r = _with_trigger(sent, a, b, trig, pred, path, hedge)
        if r is _STOP:
            return None
        if r is not None:
            return r
    return None


CUSTOMER_VERBS = {"use", "buy", "purchase", "source", "order", "deploy", "adopt", "rely"}


def _customer(sent, a: Ment, b: Ment, trig, hedge: bool) -> Relation | None:
    """'Tesla uses Nvidia's chips': a company using another's products is its customer."""
    if trig.lemma_ not in CUSTOMER_VERBS or a.entity.type not in ORGS or b.entity.type not in ORGS:
        return None
    for buyer, seller in ((a, b), (b, a)):
        obj = seller.head.head
        if seller.head.dep_ == "poss" and obj.head.i == trig.i and obj.dep_ in {"dobj", "pobj"} \
                and obj.lower_ in PRODUCT_WORDS | GENERIC_HEADS and buyer.head.dep_ == "nsubj" \
                and buyer.head.head.i == trig.i:
            return _rel(sent, buyer, "partnersWith", seller, 0.65, hedge, trig)
    return None


def _with_trigger(sent, a: Ment, b: Ment, trig, pred: str, path: list, hedge: bool):
    """The relation trig expresses between a and b, None if it does not fit, or _STOP."""
    customer = _customer(sent, a, b, trig, hedge)
    if customer is not None:
        return _STOP if _negated(trig, sent) or _doubted(trig, sent) else customer
    if _coordinated(a.head, b.head) and not _reciprocal(trig, pred):
        return None
    ra, rb = _role(a.head, trig, path), _role(b.head, trig, path)
    # an appositive description ("X, a Y clone") stands for X and is the trigger's agent
    described = "O" if trig.lemma_.lower() in PATIENT_NOUNS else "S"
    if a.appos and a.head.i == trig.i:
        ra = described
    if b.appos and b.head.i == trig.i:
        rb = described
    ra, rb = _filter_prep(ra, pred, trig), _filter_prep(rb, pred, trig)
    if (ra is None or rb is None) and len(path) > 3 and trig.lemma_ != "sell":
        return None
    if _negated(trig, sent) or _doubted(trig, sent):
        return _STOP if ra is not None or rb is not None else None
    if trig.lemma_ == "sell":
        # the buyer is the object of "to"; the thing sold is the direct object
        buyer = a if ra == "O:to" else b if rb == "O:to" else None
        if buyer is None:
            return None
        thing = b if buyer is a else a
        if (rb if thing is b else ra) != "O":
            return None
        if not type_ok("acquired", buyer.entity.type, thing.entity.type):
            return None
        return _rel(sent, buyer, "acquired", thing, 0.75, hedge, trig)
    pred = _retype(pred, a.entity.type, b.entity.type, trig)
    if pred is None:
        return None
    if pred == "integratesWith" and [a.entity.type, b.entity.type].count("Standard") == 1:
        # a product that runs on a standard implements it: "X architecture underpins Y"
        thing, std = (a, b) if b.entity.type == "Standard" else (b, a)
        if ra is None and rb is None:
            return None
        return _rel(sent, thing, "supports", std, 0.7, hedge, trig)
    oriented = _orient(pred, a, b, ra, rb)
    if oriented is None:
        return None
    conf = 0.9 - 0.04 * max(0, len(path) - 3)
    if ra is None and rb is None:
        conf -= 0.2
    if a.coref or b.coref:
        conf -= 0.1
    return _rel(sent, oriented[0], pred, oriented[1], conf, hedge, trig)


def _filter_prep(role: str | None, pred: str, trig) -> str | None:
    """Keep an 'O:prep' role only where that preposition can introduce the predicate's object."""
    if role is None or not role.startswith("O:"):
        return role
    prep = role[2:]
    if trig.lemma_ == "sell" and prep == "to":
        return role
    return role if prep in OBJECT_PREPS.get(pred, set()) else None


RECIPROCAL_NOUNS = {"partner", "partners", "rival", "rivals", "competitor", "competitors", "ally",
                    "allies", "foe", "foes", "competition", "rivalry", "partnership", "alliance",
                    "collaboration", "alternative", "alternatives"}


def _coordination_reciprocal(sent, a: Ment, b: Ment, hedge: bool) -> Relation | None:
    """'A and B partnered', 'A and B signed a partnership agreement', 'a rivalry between A and
    B': a reciprocal word governing the coordination relates its members to each other."""
    root = _conj_root(a.head)
    trig = None
    if root.dep_ in {"nsubj", "nsubjpass"}:
        verb = root.head
        if verb.lemma_ in RECIPROCAL and (verb.lemma_ not in {"join", "work"} or any(
                c.lower_ in {"forces", "together"} for c in verb.children)):
            trig = verb
        elif verb.lemma_ in LIGHT_VERBS | {"sign", "strike", "announce", "form", "seal"}:
            for obj in (c for c in verb.children if c.dep_ in {"dobj", "attr"}):
                for n in [obj, *(c for c in obj.children if c.dep_ in {"compound", "amod"})]:
                    if n.lower_ in RECIPROCAL_NOUNS or n.lemma_ in RECIPROCAL_NOUNS:
                        trig = n
        if trig is not None and (_negated(verb, sent) or _doubted(verb, sent)):
            return None
    elif root.dep_ == "pobj" and root.head.lower_ in {"between", "among"} \
            and root.head.head.lemma_ in RECIPROCAL_NOUNS:
        trig = root.head.head
        if _negated(trig, sent) or _doubted(trig, sent):
            return None
    if trig is None:
        return None
    pred = RECIPROCAL.get(trig.lemma_) or NOUN_TRIGGERS.get(trig.lemma_) or NOUN_TRIGGERS.get(trig.lower_)
    if pred not in SYMMETRIC or not type_ok(pred, a.entity.type, b.entity.type):
        return None
    owner = trig if trig.pos_ in {"NOUN", "PROPN"} else None
    if owner is not None and any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in {"to", "of", "with", "against"})
                                 for c in (*owner.children, *owner.head.children) if c.i != root.i):
        return None  # "A and B are the company's rivals": rivals of someone else
    if owner is not None and owner.lower_ in {"rivals", "competitors", "partners", "allies", "alternatives"} \
            and any(c.lower_ == "the" or c.tag_ == "JJS" for c in owner.children):
        return None  # "the largest competitors": of someone left unsaid
    return _rel(sent, a, pred, b, 0.75, hedge, trig)


def _reciprocal(trig, pred: str) -> bool:
    """A trigger that relates the members of a coordination to each other ("A and B partner")."""
    if pred not in SYMMETRIC:
        return False
    if trig.pos_ in {"NOUN", "PROPN"} and trig.lower_ not in RECIPROCAL_NOUNS:
        return False  # "A and B are suppliers" (to someone else), not partners
    owner = [c for c in trig.children if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in {"to", "of", "with", "against"})]
    return not owner


def _retype(pred: str, ta: str, tb: str, trig) -> str | None:
    """Adjust a trigger's predicate to the argument types it actually links."""
    orgs_ab = ta in ORGS and tb in ORGS
    things_ab = ta in THINGS and tb in THINGS
    if pred == "partnersWith" and things_ab:
        return "integratesWith" if trig.lemma_ in {"work", "team"} else None
    if pred == "integratesWith" and orgs_ab:
        return "partnersWith" if trig.lemma_ in {"integration", "work", "make", "build", "supply"} else None
    if pred == "acquired" and {ta, tb} <= THINGS:
        return None
    if pred == "develops" and trig.lemma_ == "ownership" and "Vendor" == tb:
        return "acquired"
    if pred == "develops" and orgs_ab:
        return None
    if pred == "contributesTo" and trig.lemma_ == "join" and "Organization" not in (ta, tb):
        # "Cisco joined Microsoft to announce ...", "joining Google in launching ..."
        return "partnersWith" if orgs_ab else None
    if pred == "integratesWith" and trig.lemma_ in {"develop", "build"} and not things_ab:
        return "develops"
    if pred == "supports" and trig.lemma_ in {"switch", "migrate"} and not (tb in THINGS or ta in THINGS):
        return None
    if pred == "sponsors" and trig.lemma_ == "project" and "Vendor" in (ta, tb) and {ta, tb} & THINGS:
        return "develops"  # "a project of Google"
    if pred == "sponsors" and not ({ta, tb} & {"Organization", "Event"}):
        return "supports" if trig.lemma_ in {"sponsor", "back", "fund"} else None
    if pred == "sponsors" and "Organization" in (ta, tb) and {ta, tb} & THINGS:
        return "sponsors"  # a foundation hosting a project
    if pred == "contributesTo" and trig.lemma_ == "member" and orgs_ab:
        return "contributesTo"
    return pred


def _no_trigger(doc, sent, a: Ment, b: Ment, path: list, hedge: bool) -> Relation | None:
    """Relations carried by syntax alone: "X's Y" (maker of a product), "Y in X",
    "X, a managed Y service" (a product built around another)."""
    for desc, other in ((a, b), (b, a)):
        if desc.appos and len(path) == 2 and other.head.head.i == desc.head.i \
                and other.head.dep_ in {"compound", "nmod"} and desc.head.lower_ in GENERIC_HEADS \
                and desc.entity.type == "Product" and other.entity.type == "Product":
            return _rel(sent, desc, "integratesWith", other, 0.6, hedge, None)
    if len(path) == 2:
        child, parent = (a, b) if a.head.head.i == b.head.i else (b, a)
        d = child.head.dep_
        if d == "poss" and child.entity.type in ORGS and parent.entity.type in THINGS:
            return _rel(sent, child, "develops", parent, 0.7, hedge, None)
        if d == "compound" and child.entity.type == "Vendor" and parent.entity.type == "Standard":
            return _rel(sent, child, "develops", parent, 0.6, hedge, None)
    own = a if a.head.dep_ == "poss" else b if b.head.dep_ == "poss" else None
    if own is not None and own.entity.type in ORGS:
        # "Apple's processors such as the A14": the owner of the list's noun makes its members
        thing = b if own is a else a
        noun = own.head.head
        t = _conj_root(thing.head)
        if thing.entity.type in THINGS and t.dep_ == "pobj" and t.head.lower_ in LIST_PREPS \
                and t.head.head.i == noun.i and noun.lower_ in GENERIC_HEADS:
            return _rel(sent, own, "develops", thing, 0.65, hedge, None)
    generic = [t for t in path[1:-1] if t.lower_ in GENERIC_HEADS]
    if 3 <= len(path) <= 4 and generic and all(t.pos_ in {"NOUN", "PROPN"} for t in path[1:-1]):
        own = a if a.head.dep_ == "poss" else b if b.head.dep_ == "poss" else None
        thing = b if own is a else a
        if own is not None and thing.head.dep_ in {"compound", "amod", "nmod"} \
                and own.head.head.i == generic[-1].i \
                and own.entity.type in ORGS and thing.entity.type in THINGS:
            after = doc_text(sent.doc)[sent.doc[max(thing.toks)].idx:][:40]
            pred = "supports" if re.match(r"\S*?-(as-a-|based|compatible|native|powered)", after) else "develops"
            return _rel(sent, own, pred, thing, 0.65, hedge, None)
    if len(path) == 3 and path[1].lower_ in {"in", "inside"} and path[1].dep_ == "prep":
        inner_m = a if a.head.head.i == path[1].i else b if b.head.head.i == path[1].i else None
        outer = b if inner_m is a else a
        if inner_m is not None and {a.entity.type, b.entity.type} == {"Product"}:
            return _rel(sent, outer, "integratesWith", inner_m, 0.6, hedge, None)
    return None


def _owner_standard(sent, ms: list[Ment], hedge: bool) -> list[Relation]:
    """"Arm's architecture": the owner named in a standard's name develops it."""
    out = []
    for m in ms:
        if m.entity.type != "Standard" or m.owner_toks is None:
            continue
        for o in ms:
            if o.toks == m.owner_toks and o.entity.type in ORGS:
                out.append(_rel(sent, o, "develops", m, 0.7, hedge, None))
    return out


PLURAL_SUBJECTS = {"they", "companies", "firms", "pair", "both", "two", "groups", "partners"}
RECIPROCAL = {"partner": "partnersWith", "team": "partnersWith", "collaborate": "partnersWith",
              "cooperate": "partnersWith", "ally": "partnersWith", "join": "partnersWith",
              "compete": "competesWith", "work": "partnersWith"}


def _plural_reciprocals(doc, ments: list[Ment]) -> list[Relation]:
    """'Nvidia and Mercedes-Benz said they have teamed up': a reciprocal verb whose subject is
    'they' / 'the companies' relates the companies just coordinated, pairwise."""
    out = []
    sent_of = sentence_of(doc)
    orgs = [m for m in ments if m.entity.type in ORGS and not m.coref and m.toks]
    for t in doc:
        pred = RECIPROCAL.get(t.lemma_)
        if pred is None or t.pos_ != "VERB":
            continue
        if t.lemma_ == "join" and not any(c.lower_ == "forces" for c in t.children):
            continue
        if t.lemma_ == "work" and not any(c.lower_ == "together" for c in t.children):
            continue
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ not in PLURAL_SUBJECTS:
            continue
        if any(c.dep_ == "prep" and c.lower_ in {"with", "against"} for c in t.children):
            continue  # "they partnered with X": not with each other
        sent = sentence_span(doc, t.i)
        if _negated(t, sent) or _doubted(t, sent):
            continue
        # the nearest coordination of companies before the verb, in this or the last sentence
        group: list[Ment] = []
        for m in sorted(orgs, key=lambda m: -m.head.i):
            if m.head.i >= t.i or sent_of[t.i] - sent_of[m.head.i] > 1:
                continue
            root = _conj_root(m.head)
            group = [o for o in orgs if _conj_root(o.head).i == root.i]
            if len(group) >= 2:
                break
            group = []
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a.entity is not b.entity:
                    out.append(_rel(sent, a, pred, b, 0.75, _hedged(sent), t))
    return out


def _as_title(sent, ms: list[Ment]) -> list[Relation]:
    """'P, who succeeded Q as X's chief executive', 'P joined as CEO of X': P leads X."""
    out = []
    by_tok = {i: m for m in ms if not m.coref for i in m.toks}
    for t in sent:
        if t.lower_ != "as" or t.dep_ != "prep":
            continue
        title = next((c for c in t.children if c.dep_ == "pobj"), None)
        if title is None or not (title.lower_ in LEAD_TITLES or title.lower_ in {"executive", "officer"}
                                 and any(c.lower_ in {"chief", "executive"} for c in title.children)):
            continue
        org = None
        for c in title.children:
            if c.dep_ in {"poss", "compound"} and c.i in by_tok:
                org = by_tok[c.i]
            if c.dep_ == "prep" and c.lower_ in {"of", "at"}:
                o = next((g for g in c.children if g.dep_ == "pobj"), None)
                if o is not None and o.i in by_tok:
                    org = by_tok[o.i]
        verb = t.head
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None and subj.lower_ in {"who", "that"} and verb.dep_ == "relcl":
            subj = verb.head
        person = by_tok.get(subj.i) if subj is not None else None
        if org is None or person is None or person.entity.type != "Person" or org.entity.type not in ORGS:
            continue
        if _negated(verb, sent):
            continue
        out.append(_rel(sent, person, "leads", org, 0.8, False, t))
    return out


BACKING_NOUNS = {"support", "backing", "endorsement", "commitment", "buy-in"}


def _support_from(sent, ms: list[Ment], hedge: bool) -> list[Relation]:
    """'X ..., given support from A, to B, C and D': every company listed after 'support from'
    supports the thing the sentence is about (the 'for' object, else the subject)."""
    out = []
    doc = sent.doc
    for t in sent:
        if t.lower_ not in BACKING_NOUNS or t.i + 1 >= sent.end or doc[t.i + 1].lower_ != "from":
            continue
        if _negated(t, sent) or _doubted(t, sent):
            continue
        thing = None
        for_obj = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        if for_obj is not None:
            thing = next((m for m in ms if any(k.head.i == for_obj.i for k in [m.head]) and m.entity.type in THINGS), None)
        if thing is None:
            subjects = [m for m in ms if m.head.i < t.i and m.entity.type in THINGS
                        and m.head.dep_ in {"nsubj", "nsubjpass"} and not m.coref]
            thing = subjects[0] if subjects else None
        if thing is None:
            continue
        end = next((k.i for k in doc[t.i + 2: sent.end] if k.pos_ == "VERB" and k.dep_ not in {"amod", "acl"}),
                   sent.end)
        for m in ms:
            if t.i + 1 < m.head.i < end and m.entity.type in ORGS and not m.coref and m.entity is not thing.entity:
                out.append(_rel(sent, m, "supports", thing, 0.6, hedge, t))
    return out


def _rival_modifier(sent, ms: list[Ment], hedge: bool) -> list[Relation]:
    """'moving from Xen to the rival KVM project': a 'rival' X set against another name by
    from/to, over, against or versus competes with it."""
    out = []
    for m in ms:
        if m.coref or not m.toks:
            continue
        noun = m.head.head if m.head.dep_ in {"compound", "nmod"} else m.head
        if not any(c.lower_ in {"rival", "competing", "competitor"} and c.dep_ in {"amod", "compound", "nmod"}
                   for c in noun.children):
            continue
        if noun.dep_ != "pobj" or noun.head.lower_ not in {"to", "over", "against", "versus", "vs", "vs."}:
            continue
        verb = noun.head.head
        for o in ms:
            if o is m or o.entity is m.entity or o.coref or not o.toks:
                continue
            if o.head.dep_ == "pobj" and o.head.head.head.i == verb.i and o.head.head.lower_ in {"from", "of"}:
                if type_ok("competesWith", m.entity.type, o.entity.type):
                    out.append(_rel(sent, o, "competesWith", m, 0.6, hedge, None))
    return out


def _adjacent_agent_noun(sent, ms: list[Ment], hedge: bool) -> list[Relation]:
    """'Apple supplier Qualcomm', 'Flocker maker ClusterHQ': B is the agent noun of A."""
    out = []
    doc = sent.doc
    for a in ms:
        for b in ms:
            if a is b or a.entity is b.entity or b.coref or not a.toks or not b.toks \
                    or a.coref and a.head.lower_ not in {"its", "their"}:
                continue  # "its archrival Snowflake": the resolved 'its' may be the owner
            gap = doc[max(a.toks) + 1: min(b.toks)]
            if not 1 <= len(gap) <= 3 or any(not (t.is_alpha and t.pos_ in {"NOUN", "PROPN", "ADJ"})
                                             and t.tag_ != "POS" for t in gap) \
                    or gap[-1].pos_ != "NOUN" and gap[-1].lemma_.lower() not in AGENT_NOUNS:
                continue
            noun = gap[-1].lemma_.lower()
            pred = NOUN_TRIGGERS.get(noun)
            if pred is None or noun not in AGENT_NOUNS or pred == "leads":
                continue
            pred = _retype(pred, b.entity.type, a.entity.type, gap[-1])
            if pred and type_ok(pred, b.entity.type, a.entity.type):
                out.append(_rel(sent, b, pred, a, 0.75, hedge, gap[-1]))
    return out


def _title_pattern(sent, ms: list[Ment]) -> list[Relation]:
    """'X CEO Y', 'Y, CEO of X', "X's founder Y": leadership from the words between names."""
    out = []
    for p in ms:
        if p.entity.type != "Person":
            continue
        for o in ms:
            if o.entity.type not in ORGS or o is p or not o.toks or not p.toks:
                continue
            lo, hi = sorted((min(p.toks), min(o.toks)))
            first = p if min(p.toks) < min(o.toks) else o
            gap = [t for t in sent.doc[max(first.toks) + 1: hi]]
            if not gap or len(gap) > 5:
                continue
            words = [t.lower_ for t in gap]
            while len(words) > 1 and words[-1] in {"the", "a"}:
                words.pop()
            if not any(w in LEAD_TITLES or w in {"manager", "director"} for w in words):
                continue
            if first is o and all(w in LEAD_TITLES or w in {"and", "&", "'s", "’s", "co", "-", "chief",
                                                               "executive", "officer", "technology",
                                                               "founder", "former"} for w in words):
                out.append(_rel(sent, p, "leads", o, 0.85, False, None))
            elif first is p and words[0] in {",", "the"} | LEAD_TITLES and words[-1] in {"of", "at"} \
                    and any(w in LEAD_TITLES or w in {"manager", "director"} for w in words):
                out.append(_rel(sent, p, "leads", o, 0.85, False, None))
    # "Sam Altman, OpenAI's chief executive, said"
    doc = sent.doc
    for p in ms:
        if p.entity.type != "Person" or not p.toks:
            continue
        i = max(p.toks) + 1
        for o in ms:
            if o.entity.type not in ORGS or not o.toks or min(o.toks) not in {i + 1, i + 2}:
                continue
            if doc[i].text != "," or (min(o.toks) == i + 2 and doc[i + 1].lower_ != "the"):
                continue
            after = [t.lower_ for t in doc[max(o.toks) + 1: max(o.toks) + 5]]
            if after[:1] in (["'s"], ["’s"]) and any(w in LEAD_TITLES for w in after[1:3]):
                out.append(_rel(sent, p, "leads", o, 0.85, False, None))
    return out


def evidence_span(sent) -> tuple[str, int, int]:
    """The sentence as written in the original article (asides masked for parsing restored)."""
    full = sent.doc.user_data.get("orig_text") or doc_text(sent.doc)
    to_orig = sent.doc.user_data.get("to_orig") or (lambda i: i)
    s0, e0 = to_orig(sent.start_char), to_orig(sent.end_char - 1) + 1 if sent.end_char else 0
    raw = full[s0:e0]
    start = s0 + (len(raw) - len(raw.lstrip()))
    text = raw.strip()
    return text, start, start + len(text)


def _rel(sent, s: Ment, pred: str, o: Ment, conf: float, hedge: bool, trig) -> Relation:
    if hedge:
        conf *= 0.8
    text, start, _ = evidence_span(sent)
    return Relation(subject=s.entity.id, predicate=pred, object=o.entity.id, evidence=text,
                    confidence=round(max(0.0, min(1.0, conf)), 3), start=start, end=start + len(text))


def appositive_mentions(doc, ments: list[Ment]) -> list[Ment]:
    """'DocumentDB, a cloud-accessible MongoDB clone built for AWS': the description's head
    noun ('clone') stands for the entity, whatever the parser made of the comma phrase."""
    out = []
    n = len(doc)
    for m in ments:
        if m.coref or m.entity.type == "Person":
            continue
        i = max(m.toks) + 1
        if i < n and doc[i].text == ")":
            i += 1  # "Long Name (LN), the open standard ..."
        if i + 2 >= n or doc[i].text != "," or doc[i + 1].lower_ not in {"a", "an", "the"}:
            continue
        j = i + 2
        head = None
        while j < n and j < i + 12 and (doc[j].pos_ in {"ADJ", "NOUN", "PROPN", "ADV", "NUM"} or doc[j].text == "-"):
            if doc[j].pos_ == "NOUN":
                head = doc[j]
            j += 1
        if head is None or (j < n and doc[j].pos_ == "NOUN"):
            continue
        if any(head.i in o.toks for o in ments):
            continue
        out.append(Ment(head=head, toks=set(), entity=m.entity, coref=True, appos=True))
    # "Google, whose Bard chatbot": 'whose' is the entity's possessive
    for m in ments:
        if m.coref or not m.toks:
            continue
        i = max(m.toks) + 1
        if i + 1 < n and doc[i].text == "," and doc[i + 1].lower_ == "whose":
            out.append(Ment(head=doc[i + 1], toks={doc[i + 1].i}, entity=m.entity, coref=True))
    # "Confluent Cloud is a managed service built on Kafka": the predicate noun stands for X
    for m in ments:
        if m.coref or m.head.dep_ != "nsubj" or m.head.head.lemma_ != "be":
            continue
        if any(c.dep_ == "conj" for c in m.head.children):
            continue  # "A and B are suppliers": the noun describes both, not A alone
        attr = next((c for c in m.head.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
        if attr is None or any(attr.i in o.toks for o in ments):
            continue
        out.append(Ment(head=attr, toks=set(), entity=m.entity, coref=True, appos=True))
    return out


def coref_mentions(doc, ments: list[Ment]) -> list[Ment]:
    """Pseudo-mentions for 'the company', 'the firm', 'it', 'its' resolved to a recent company.

    Salience: the most recent company named as a subject in this or the previous two
    sentences, excluding co-arguments of the same verb (binding).
    """
    out = []
    companies = sorted((m for m in ments if m.entity.type in {"Vendor", "Organization"}),
                       key=lambda m: m.head.i)
    sent_of = sentence_of(doc)
    resolved: dict = {}  # token index of a resolved pronoun -> entity
    first_in_sent: dict = {}
    for m in companies:
        if m.toks and not m.coref:
            first_in_sent.setdefault(sent_of[m.head.i], m)
    for t in doc:
        company_noun = t.lower_ in COREF_NOUNS or t.lower_ in COMPANY_NOUNS or t.lower_.endswith("maker")
        if not company_noun and t.lower_ not in COREF_PRONOUNS:
            continue
        is_np = company_noun and any(c.lower_ == "the" or (c.dep_ == "poss" and c.pos_ == "NOUN")
                                     for c in t.children) and t.pos_ == "NOUN" \
            and not any(c.dep_ in {"compound", "poss"} and c.pos_ == "PROPN" for c in t.children)
        is_pron = t.lower_ in COREF_PRONOUNS and t.pos_ == "PRON"
        if not (is_np or is_pron):
            continue
        if is_np and t.dep_ == "appos":
            continue  # "X, the retail conglomerate": a description of X, not a reference back
        clause = _clause(t)
        best, best_score = None, 0.0
        subj_tok = _clause_subject(clause)
        if is_pron and t.dep_ == "poss" and subj_tok is not None and subj_tok.i in resolved \
                and subj_tok.i < t.i:
            # "It is owned by Y and sells its platform": its = the resolved subject "it"
            out.append(Ment(head=t, toks={t.i}, entity=resolved[subj_tok.i], coref=True))
            resolved[t.i] = resolved[subj_tok.i]
            continue
        for m in companies:
            if m.head.i >= t.i:
                break
            sents_back = sent_of[t.i] - sent_of[m.head.i]
            if sents_back > 2:
                continue
            same_clause = sents_back == 0 and _clause(m.head).i == clause.i
            if same_clause and is_np and m.head.dep_ in {"nsubj", "conj", "dobj", "pobj"}:
                continue  # "A and B represent the company's rivals": not A or B
            if same_clause and is_pron and t.dep_ == "poss" and m.head.dep_ == "nsubj":
                best, best_score = m, 10.0  # "X ... its own Y": the clause subject
                continue
            if sents_back == 0 and is_pron and t.dep_ == "poss" and subj_tok is None and m.toks \
                    and min(m.toks) == sentence_span(doc, t.i).start and not m.coref:
                best, best_score = m, 9.0  # "X, meanwhile, is pitching its Y" (X misparsed)
                continue
            subj = m.head.dep_ in {"nsubj", "nsubjpass"} or (
                m.head.dep_ == "conj" and _conj_root(m.head).dep_ in {"nsubj", "nsubjpass"})
            where = _clause(m.head)
            bonus = 0.0
            if subj and where.dep_ == "ROOT":
                bonus = 0.35
            elif subj and where.head.dep_ == "ROOT" and where.dep_ == "conj":
                bonus = 0.3
            elif subj and where.dep_ != "relcl":
                bonus = 0.15
            score = 1.0 / (1 + sents_back) + bonus
            score += 0.2 if m.entity.type == "Vendor" else 0.0
            if sents_back and m.toks and first_in_sent.get(sent_of[m.head.i]) is m:
                score += 0.15  # the first company a sentence names is its topic
            score += 0.001 * m.head.i
            if score > best_score:
                best, best_score = m, score
        if best is not None:
            out.append(Ment(head=t, toks={t.i} | {c.i for c in t.children if c.lower_ == "the"},
                            entity=best.entity, coref=True))
            resolved[t.i] = best.entity
            if is_pron and t.dep_ in {"nsubj", "nsubjpass"}:
                # "It is owned by Y. ... the company": a pronoun subject keeps its referent salient
                k = next((n for n, m in enumerate(companies) if m.head.i > t.i), len(companies))
                companies.insert(k, Ment(head=t, toks={t.i}, entity=best.entity, coref=True))
    return out


def _clause_subject(clause):
    """The subject token of a clause, or of the clause it is coordinated with."""
    for v in (clause, clause.head if clause.dep_ == "conj" else None):
        if v is None:
            continue
        subj = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            return subj
    return None


#: Definite descriptions that refer back to the latest named event or product.
EVENT_NOUNS = {"event", "conference", "summit", "show", "expo", "gathering", "convention"}
THING_NOUNS = {"chatbot", "chip", "processor", "platform", "service", "app", "software",
               "database", "browser", "phone", "smartphone", "device", "model", "system", "tool",
               "product", "standard", "format", "protocol", "specification", "spec", "engine"}


def description_mentions(doc, ments: list[Ment]) -> list[Ment]:
    """'The event was sponsored by X', 'The chatbot runs on Azure': a bare definite description
    ("the" + noun, nothing else) stands for the latest event / product named in the last two
    sentences, when its noun is not itself part of a name."""
    out = []
    sent_of = sentence_of(doc)
    named = sorted((m for m in ments if not m.coref and m.toks), key=lambda m: m.head.i)
    taken = {i for m in ments for i in m.toks}
    for t in doc:
        low = t.lower_
        if t.pos_ != "NOUN" or t.i in taken or (low not in EVENT_NOUNS and low not in THING_NOUNS):
            continue
        kids = list(t.children)
        if not kids or any(c.lower_ not in {"the"} and c.dep_ not in {"punct"} and c.i < t.i for c in kids) \
                or not any(c.lower_ == "the" for c in kids):
            continue
        want = {"Event"} if low in EVENT_NOUNS else {"Product", "Standard"}
        best = None
        for m in named:
            if m.head.i >= t.i:
                break
            if m.entity.type in want and sent_of[t.i] - sent_of[m.head.i] <= 2:
                best = m
        if best is not None:
            out.append(Ment(head=t, toks={t.i} | {c.i for c in kids if c.lower_ == "the"},
                            entity=best.entity, coref=True))
    return out


def _clause(t):
    while t.dep_ not in {"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj"} or t.pos_ not in {"VERB", "AUX"}:
        if t.head.i == t.i:
            break
        t = t.head
    return t
