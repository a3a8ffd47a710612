"""English mention detection: catalog spans, statistical NER and cue rules.

Each candidate mention carries type votes from every source that saw it (the
catalog, the NER label, the words around it). Votes are summed per linked entity
later, so one clear cue ("Mirantis CEO", "Flocker 1.0", "the X spec") types every
mention of the name, and the small model's label noise is outvoted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.nlp.mentions.en_lexicon import (
    CORP_DESIGNATORS,
    CORP_SUFFIXES,
    EVENT_WORDS,
    EXCHANGES,
    GIVEN_NAMES,
    LAUNCH_VERBS,
    NON_NAMES,
    ORG_WORDS,
    PLACES,
    PRODUCT_VERBS,
    PRODUCT_WORDS,
    STANDARD_WORDS,
    TITLE_WORDS,
    VENDOR_NOUNS,
    VENDOR_VERBS,
    WEAK_ORG_WORDS,
)
from ingest.nlp.mentions.gazetteer import Gazetteer
from kg.catalog import CatalogEntry

NER_KEEP = {"ORG", "PRODUCT", "PERSON", "WORK_OF_ART", "EVENT", "GPE", "LAW", "FAC", "LOC", "NORP"}
NER_VOTES = {
    "ORG": {"Vendor": 1.0},
    "PRODUCT": {"Product": 1.0},
    "PERSON": {"Person": 1.0},
    "WORK_OF_ART": {"Product": 0.5},
    "EVENT": {"Event": 1.0},
    "LAW": {"Standard": 1.0},
    "GPE": {"Vendor": 0.5},
    "NORP": {"Vendor": 0.3},
    "FAC": {"Product": 0.3},
    "LOC": {"Product": 0.3, "Vendor": 0.2},
}
_VERSION = re.compile(r"^v?\d+(\.\d+)+[a-z]?$|^v\d+$", re.I)
_YEAR = re.compile(r"^(19[89]\d|20[0-4]\d)$")
_NAME_CHARS = re.compile(r"[A-Za-z0-9]")


@dataclass
class Cand:
    """One mention of a would-be entity, with evidence for its type."""

    start: int  # char offsets in the doc text
    end: int
    text: str
    votes: Counter = field(default_factory=Counter)
    entries: list[CatalogEntry] = field(default_factory=list)
    version: str = ""  # a version number written after a product name
    year: str = ""  # a year written after an event name
    in_title: bool = False
    defines: str = ""  # the long form this acronym was defined as
    senses: Counter = field(default_factory=Counter)  # company vs product context
    labels: list[str] = field(default_factory=list)  # NER labels seen on this span
    key_override: str = ""  # a linking key other than the name's own
    canonical: str = ""  # a preferred canonical name
    owner: Cand | None = None  # for "X's architecture": the mention of X
    abbrev: Cand | None = None  # the acronym defined right after this long form

    @property
    def key(self) -> str:
        return self.key_override or name_key(self.text)


def name_key(name: str) -> str:
    """Linking key: case, punctuation, possessive and corporate suffix ignored."""
    s = name.strip()
    s = re.sub(r"(’s|'s|’|')$", "", s)
    s = re.sub(r"^(the|The)\s+", "", s)
    words = s.split()
    while len(words) > 1 and words[-1].lower().rstrip(",") in CORP_SUFFIXES | CORP_DESIGNATORS | {"."}:
        words.pop()
    s = " ".join(words)
    return re.sub(r"[\s.,·'’\"“”()\-]+", "", s).casefold()


def _coordinated_halves(name: str) -> tuple[int, int] | None:
    """'Applied Materials and Lam Research': (end of the first name, start of the second) when a
    span the NER ran over 'and' is two names; None when it reads as one body's name
    ('Department of Health and Human Services', 'Ministry of Economy, Trade and Industry')."""
    m = re.fullmatch(r"(.+?) and (.+)", name)
    if m is None:
        return None
    words = name.split()
    if any(w.islower() and w != "and" for w in words) or words.count("and") > 1 \
            or not m.group(1)[:1].isupper() or not m.group(2)[:1].isupper() or "," in name:
        return None
    if any(w.lower().strip(",.") in ORG_WORDS for w in words):
        return None
    return len(m.group(1)), m.start(2)


def _name_article(doc, start: int, end: int) -> bool:
    """'rival to The Trade Desk': a capitalised 'The' inside a lower-case sentence, right
    before a capitalised name, is part of the name."""
    t = doc[start]
    if t.text != "The" or t.is_sent_start or start == 0 or end - start < 2:
        return False
    prev = doc[start - 1]
    return (prev.is_lower and prev.is_alpha or prev.text in {",", "(", "and"}) \
        and doc[start + 1].text[:1].isupper() and doc[start + 1].pos_ == "PROPN"


def _clean_span(doc, start: int, end: int) -> tuple[int, int] | None:
    """Token range without leading determiners/titles and trailing possessives/punctuation."""
    while start < end and (doc[start].lower_ in {"the", "a", "an", "its", "their", "our"}
                           or doc[start].is_punct or doc[start].is_space):
        if _name_article(doc, start, end):
            break
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct
                           and doc[end - 1].text not in {".", ")"} or doc[end - 1].is_space
                           or doc[end - 1].text in {"’", "'"}):
        end -= 1
    if end > start and doc[end - 1].text == "." and doc[end - 2].lower_ not in CORP_SUFFIXES | {"inc", "corp", "co", "ltd"}:
        end -= 1
    if end - start > 1 and _VERSION.match(doc[end - 1].text):
        end -= 1  # "Flocker 1.0": the version is not part of the name
    if end <= start:
        return None
    return start, end


def _title_lines(text: str) -> list[tuple[int, int]]:
    """Char ranges of headline-like lines (most words capitalised, no final period)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line)]
        if 3 <= len(words) <= 20 and not line.rstrip().endswith((".", ":", "”", '"')):
            caps = sum(w[0].isupper() for w in words if w.lower() not in {"a", "an", "the", "of", "to", "in", "on", "for", "and", "as", "at", "by", "with"})
            if caps >= 0.7 * len(words):
                out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def detect(doc, gaz: Gazetteer) -> list[Cand]:
    """All candidate mentions in a parsed English doc, non-overlapping, in text order."""
    text = doc_text(doc)
    titles = _title_lines(text)
    cands: list[Cand] = []
    # 1. catalog
    spans: dict[tuple[int, int], list[CatalogEntry]] = {}
    for s, e, entry in gaz.find(text):
        spans.setdefault((s, e), []).append(entry)
    for (s, e), entries in spans.items():
        c = Cand(s, e, text[s:e], entries=entries)
        for entry in entries:
            c.votes[entry.type] += 3.0 / len(entries)
        cands.append(c)
    # 2. statistical NER, possibly extending a catalog span ("Docker Trusted Registry")
    for span in doc.ents:
        if span.label_ not in NER_KEEP:
            continue
        se = _clean_span(doc, span.start, span.end)
        if se is None:
            continue
        s_tok, e_tok = se
        if span.label_ == "NORP" and re.search(r"(ese|ish|ian|an|i|ch|ic)$", doc[e_tok - 1].lower_):
            continue  # "British", "Japanese": nationalities, not names
        trim_dot = False
        for k in range(s_tok, e_tok - 1):
            if doc[k].text.endswith(".") and len(doc[k].text) <= 3 and doc[k + 1].text[:1].isupper() \
                    and doc[k].lower_ not in CORP_SUFFIXES and doc[k].lower_ not in {"co.", "inc.", "st.", "jr."}:
                e_tok, trim_dot = k + 1, len(doc[k].text) > 1  # "Ally X. Qualcomm": a sentence ends
                break
        poss = next((k for k in range(s_tok, e_tok - 1) if doc[k].tag_ == "POS"), None)
        if poss is not None and poss > s_tok:
            # "Acme's Rocket X1": the owner and the possessed name are two mentions
            os_, oe = doc[s_tok].idx, doc[poss - 1].idx + len(doc[poss - 1].text)
            if not any(c.start < oe and os_ < c.end for c in cands):
                owner = Cand(os_, oe, text[os_:oe], labels=["ORG"])
                owner.votes["Vendor"] += 1.0
                cands.append(owner)
            s_tok = poss + 1
        last_tok = doc[e_tok - 1]
        if not trim_dot and last_tok.text.endswith(".") and 1 < len(last_tok.text) <= 3 \
                and last_tok.lower_ not in CORP_SUFFIXES and last_tok.lower_ not in {"co.", "inc.", "jr."} \
                and (e_tok >= len(doc) or doc[e_tok].is_space or doc[e_tok].text[:1].isupper()):
            trim_dot = True  # "Tesla's Model Y." at a sentence end: the period is not the name's
        s, e = doc[s_tok].idx, doc[e_tok - 1].idx + len(doc[e_tok - 1].text) - (1 if trim_dot else 0)
        halves = _coordinated_halves(text[s:e])
        if halves is not None and span.label_ != "PERSON":
            for s0, e0 in ((s, s + halves[0]), (s + halves[1], e)):
                if not any(c.start < e0 and s0 < c.end for c in cands):
                    h = Cand(s0, e0, text[s0:e0], labels=[span.label_])
                    for t, v in NER_VOTES[span.label_].items():
                        h.votes[t] += v
                    cands.append(h)
            continue
        inside = [c for c in cands if c.start < e and s < c.end]
        swallowed_maker = False
        if inside:
            # a longer name made of capitalised words swallows the catalog names inside it
            # ("Docker Trusted Registry", "Amazon Elastic Compute Service for Kubernetes")
            if all(s <= c.start and c.end <= e for c in inside) and _one_name(doc[s_tok:e_tok]) \
                    and not any((c.start, c.end) == (s, e) for c in inside):
                swallowed_maker = any(c0.start == s and any(x.type == "Vendor" for x in c0.entries)
                                      for c0 in inside)
                for c0 in inside:
                    cands.remove(c0)
            else:
                continue
        c = Cand(s, e, text[s:e], labels=[span.label_])
        if swallowed_maker and doc[e_tok - 1].lower_.rstrip(".") in CORP_DESIGNATORS | CORP_SUFFIXES:
            c.votes["Vendor"] += 2.0  # "Maker Networks": a company of the maker's group
        elif swallowed_maker:
            c.votes["Product"] += 2.0  # "Maker Store": a company's name opening a product's
        for t, v in NER_VOTES[span.label_].items():
            c.votes[t] += v
        if span.label_ == "PERSON" and e_tok - s_tok == 1:
            c.votes["Person"] -= 0.6  # one-word PERSON labels are mostly brand names
            c.votes["Vendor"] += 0.5
        elif span.label_ == "PERSON" and _personal_name(doc[s_tok:e_tok]):
            c.votes["Person"] += 0.6
        cands.append(c)
    _extend_ner(doc, cands)
    _titled_given_names(doc, cands)
    _designator_heads(doc, cands)
    _punctuated_names(doc, cands)
    # 3. rules: corporate suffixes, org words, acronym definitions
    cands.extend(_suffix_names(doc, cands))
    cands.extend(_propn_names(doc, cands))
    cands = _dedupe(cands)
    _event_editions(doc, cands)
    _sub_brands(doc, cands)
    cands.extend(_model_numbers(doc, cands))
    cands.extend(_model_names(doc, cands))
    cands.extend(_owned_standards(doc, cands, gaz))
    _repeat_names(doc, cands)
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    for c in cands:
        c.in_title = any(a <= c.start and c.end <= b for a, b in titles)
        _context_votes(doc, c)
        if not c.entries or len({e.type for e in c.entries}) > 1:
            _usage_cues(doc, c)  # also decides company vs product for an ambiguous catalog name
    _acronyms(doc, cands)
    return [c for c in cands if _plausible(c, text)]


#: Names written with inner punctuation: "Run:ai", "X.com", "Node.js", "Lum.io".
_PUNCT_NAME = re.compile(r"(?<![\w.:/@-])[A-Z][A-Za-z0-9]*[:.][a-z][a-z0-9]{1,5}(?![\w@/-]|[.:][A-Za-z0-9])")


def _punctuated_names(doc, cands: list[Cand]) -> None:
    """Names with a colon or dot inside ("Run:ai", "Lum.io"): one mention, whatever the
    tokenizer and the NER made of the pieces."""
    text = doc_text(doc)
    for m in _PUNCT_NAME.finditer(text):
        s, e = m.start(), m.end()
        inside = [c for c in cands if c.start < e and s < c.end]
        if any(c.entries for c in inside) or any(c.start < s or c.end > e for c in inside):
            continue
        labels = [lab for c in inside for lab in c.labels]
        for c in inside:
            cands.remove(c)
        n = Cand(s, e, text[s:e], labels=labels)
        n.votes["Vendor"] += 0.6
        cands.append(n)


def _repeat_names(doc, cands: list[Cand]) -> None:
    """A multi-word name found once is the same name wherever its exact text recurs
    ("Prompt Security" at a sentence start, where the tagger read "Prompt" as an adjective)."""
    text = doc_text(doc)
    names = {c.text for c in cands if " " in c.text.strip() and not c.entries and not c.key_override
             and c.text[:1].isupper() and len(c.text) > 4 and "\n" not in c.text}
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(r"(?<![\w.-])" + re.escape(name) + r"(?![\w-])", text):
            s, e = m.start(), m.end()
            over = [c for c in cands if c.start < e and s < c.end]
            if any((c.start, c.end) == (s, e) for c in over) or any(c.entries for c in over) \
                    or any(c.start < s or c.end > e for c in over):
                continue
            for c in over:
                cands.remove(c)
            cands.append(Cand(s, e, name, labels=[lab for c in over for lab in c.labels]))


def _extend_ner(doc, cands: list[Cand]) -> None:
    """'Hyundai | Mobis', 'Circle | Internet Group': a name the NER cut short continues over
    the capitalised proper nouns right after it (not titles, places or other names)."""
    starts = {c.start for c in cands}
    text = doc_text(doc)
    for c in cands:
        if c.entries or "PERSON" in c.labels:
            continue
        toks = _tokens(doc, c)
        if not toks or not toks[-1].whitespace_:
            continue
        j = k = toks[-1].i + 1
        while k < len(doc) and k - j < 3 and (doc[k].pos_ == "PROPN" or doc[k].is_upper and len(doc[k]) <= 3
                                              and doc[k].lower_ in PRODUCT_WORDS) and doc[k].is_alpha \
                and doc[k].text[:1].isupper() and not doc[k].is_sent_start and doc[k].idx not in starts \
                and (doc[k].lower_ not in NON_NAMES or doc[k].is_upper and doc[k].lower_ in PRODUCT_WORDS) \
                and doc[k].lower_ not in TITLE_WORDS and doc[k].lower_ not in PLACES and doc[k].tag_ != "POS":
            k += 1
            if not doc[k - 1].whitespace_:
                break
        if k == j:
            continue
        e = doc[k - 1].idx + len(doc[k - 1].text)
        if any(o is not c and o.start < e and c.end <= o.start for o in cands):
            continue
        c.end, c.text = e, text[c.start:e]
        if doc[k - 1].lower_ in PRODUCT_WORDS:
            c.votes["Product"] += 1.5  # "Vesta OS", "Nimbus Cloud": a product's category in its name


#: Title words that end a title right before a personal name ("Chief Financial Officer P").
NAME_TITLES = TITLE_WORDS | {"officer", "analyst", "spokesperson", "spokesman", "spokeswoman",
                             "secretary", "minister", "director", "partner", "engineer", "economist"}


def _designator_heads(doc, cands: list[Cand]) -> None:
    """'Rigetti | Computing said': a lone corporate designator the NER cut from its name
    ('Computing', 'Systems', 'Technologies') continues leftwards over the capitalised word."""
    text = doc_text(doc)
    for c in cands:
        toks = _tokens(doc, c)
        if c.entries or len(toks) != 1 or toks[0].lower_ not in CORP_DESIGNATORS or toks[0].i == 0:
            continue
        prev = doc[toks[0].i - 1]
        if not (prev.is_alpha and prev.text[:1].isupper() and prev.whitespace_) \
                or prev.lower_ in NON_NAMES or prev.lower_ in TITLE_WORDS \
                or any(o is not c and o.start <= prev.idx < o.end for o in cands):
            continue
        c.start, c.text = prev.idx, text[prev.idx:c.end]
        c.labels = ["ORG"]
        c.votes = Counter({"Vendor": 2.0})


def _titled_given_names(doc, cands: list[Cand]) -> None:
    """'Chief Executive Subodh | Kulkarni': the NER often drops the given name after a
    capitalised title. A PERSON name continues leftwards over one or two plain capitalised
    words when a title word stands right before them; the title makes it a person."""
    starts = {c.end for c in cands}
    for c in cands:
        if "PERSON" not in c.labels or c.entries:
            continue
        toks = _tokens(doc, c)
        if not toks:
            continue
        k = toks[0].i
        j = k
        while j - 1 >= 0 and k - j < 2 and doc[j - 1].is_alpha and doc[j - 1].text[:1].isupper() \
                and doc[j - 1].text[1:].islower() and doc[j - 1].lower_ not in NAME_TITLES \
                and doc[j - 1].lower_ not in NON_NAMES and doc[j - 1].lower_ not in PLACES \
                and doc[j - 1].idx + len(doc[j - 1].text) not in starts and doc[j - 1].whitespace_:
            j -= 1
        if j == k or j == 0 or doc[j - 1].lower_ not in NAME_TITLES:
            continue
        c.start, c.text = doc[j].idx, doc_text(doc)[doc[j].idx:c.end]
        c.votes["Person"] += 1.6
        c.senses["Human"] += 1


def _personal_name(toks) -> bool:
    """Two to four plain capitalised words: the shape of a personal name."""
    return 2 <= len(toks) <= 4 and all(
        t.text[:1].isupper() and t.text[1:].islower() and t.is_alpha or t.text in {"-", "."}
        or (len(t.text) == 2 and t.text.endswith(".")) for t in toks)


def _one_name(span) -> bool:
    """Whether a multi-word span reads as one proper name (not a headline fragment)."""
    words = [t for t in span if not t.is_punct]
    if any(t.is_punct and t.text not in {"&", "-", ".", "'", "’"} for t in span):
        return False  # "DockerCon, Docker Inc.": a list, not one name
    if len(words) < 2 or span[0].is_sent_start and sentence_span(span.doc, span.start).text.strip() == span.text.strip():
        return False
    for t in words:
        if t.tag_ == "POS" or t.pos_ in {"VERB", "AUX"} and not t.text[:1].isupper():
            return False
        if not (t.text[:1].isupper() or t.text[:1].isdigit() or t.lower_ in {"for", "of", "and", "&", "on"}):
            return False
    return words[-1].lower_ not in {"for", "of", "and", "on"} and _VERB_FREE(words)


def _VERB_FREE(words) -> bool:
    return not any(t.pos_ == "VERB" and t.tag_ in {"VBZ", "VBD", "VBP"} for t in words)


def _extends(doc, char_from: int, char_to: int) -> bool:
    toks = [t for t in doc if char_from <= t.idx < char_to]
    return bool(toks) and all(t.text[:1].isupper() or t.text[:1].isdigit() for t in toks) \
        and not any(t.tag_ == "POS" or t.pos_ == "VERB" for t in toks)


def _suffix_names(doc, cands: list[Cand]) -> list[Cand]:
    """'X Inc.' / 'X Corp.' names the NER missed."""
    out = []
    for t in doc:
        if t.lower_.rstrip(".") in {"inc", "corp", "ltd", "llc", "plc", "gmbh", "corporation"} and t.i > 0:
            j = t.i
            while j > 0 and doc[j - 1].text[:1].isupper() and doc[j - 1].lower_ not in NON_NAMES:
                j -= 1
            if j == t.i:
                continue
            end_tok = t.i + 1
            s, e = doc[j].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
            if not any(c.start <= s and e <= c.end for c in cands):
                c = Cand(s, e, doc_text(doc)[s:e])
                out.append(c)
    return out


#: Designators that name the whole company, not a unit of it ("Acme Group" is Acme).
_GROUPISH = frozenset({"group", "holdings", "holding", "international", "incorporated",
                       "corporation", "company", "limited", "enterprises"})
_NOT_BRAND = frozenset(w for w in NON_NAMES if w not in PRODUCT_WORDS and w not in {
    "cloud", "enterprise", "open", "source", "one", "new", "update"})


_EDITION = re.compile(r"((?:\s+(?:\+|&|[A-Z][\w:.-]*)){1,4})\s+((?:19|20)\d\d)\b")


def _event_editions(doc, cands: list[Cand]) -> None:
    """'KubeCon + CloudNativeCon Europe 2023': a catalog event followed by capitalised words and
    a year is that full edition name (the words in between are part of it)."""
    text = doc_text(doc)
    for c in list(cands):
        if not any(e.type == "Event" for e in c.entries):
            continue
        m = _EDITION.match(text, c.end)
        if not m:
            continue
        inside = [o for o in cands if o is not c and c.end <= o.start < m.start(2)]
        if any(o.entries and not any(e.type == "Event" for e in o.entries) for o in inside):
            continue
        n = Cand(c.start, m.end(1), text[c.start:m.end(1)], entries=[])
        n.votes["Event"] += 4.0
        for o in inside:
            cands.remove(o)
        cands[cands.index(c)] = n


def _sub_brands(doc, cands: list[Cand]) -> None:
    """'Confluent Cloud', 'Azure Event Hubs': a catalog name followed by capitalised words
    the catalog does not know is a product of its own (replaces the shorter candidate)."""
    starts = {c.start for c in cands if c.entries}
    for i, c in enumerate(list(cands)):
        if c not in cands:
            continue
        i = cands.index(c)
        if not c.entries or not any(e.type in {"Vendor", "Product"} for e in c.entries):
            continue
        toks = _tokens(doc, c)
        if not toks or doc[toks[-1].i].whitespace_ == "" :
            continue
        j = toks[-1].i + 1
        end = j
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() \
                and doc[end].is_alpha and doc[end].lower_ not in _NOT_BRAND \
                and doc[end].lower_ not in TITLE_WORDS and doc[end].idx not in starts \
                and not doc[end].is_sent_start:
            end += 1
            if not doc[end - 1].whitespace_:
                break
        if end == j or doc[end - 1].lower_.rstrip(".") in CORP_SUFFIXES:
            continue
        e_char = doc[end - 1].idx + len(doc[end - 1].text)
        inside = [o for o in cands if o is not c and o.start >= c.end and o.start < e_char]
        if any(o.entries or o.end > e_char for o in inside):
            continue
        if doc[end - 1].lower_ in CORP_DESIGNATORS and any(e.type == "Vendor" for e in c.entries) \
                and end - j <= 2 and doc[end - 1].lower_ not in _GROUPISH:
            # "Samsung Networks": a unit of the company, a company of its own
            n = Cand(c.start, e_char, doc_text(doc)[c.start:e_char])
            n.votes["Vendor"] += 2.5
            cands[cands.index(c)] = n
            for o in inside:
                cands.remove(o)
            continue
        if doc[end - 1].lower_ in CORP_DESIGNATORS and any(e.type == "Vendor" for e in c.entries) \
                and end - j <= 2:
            # "Circle Internet Group", "Acme Holdings": the company's full name, same entity
            c.end, c.text = e_char, doc_text(doc)[c.start:e_char]
            c.entries = [e for e in c.entries if e.type == "Vendor"]
            for o in inside:
                cands.remove(o)
            continue
        n = Cand(c.start, e_char, doc_text(doc)[c.start:e_char])
        n.votes["Product"] += 2.0
        cands[i] = n
        for o in inside:
            cands.remove(o)


_MODEL = re.compile(r"\s(\d{1,4}|[XS]\d{0,2})(\s(Pro|Max|Plus|Mini|Ultra|Lite|Air))?(?![\w%.,]?\d)")


def _model_numbers(doc, cands: list[Cand]) -> list[Cand]:
    """'iPhone 12' after a catalog product 'iPhone', 'Wi-Fi 7' after the standard 'Wi-Fi':
    a model or generation of its own, named in full (it replaces the shorter candidate)."""
    out: list[Cand] = []
    replaced: list[Cand] = []
    text = doc_text(doc)
    for c in cands:
        catalog_product = any(e.type == "Product" for e in c.entries)
        generation = any(e.type == "Standard" for e in c.entries) and not catalog_product
        if c.entries and not (catalog_product or generation):
            continue
        m = _MODEL.match(text, c.end)
        if not m or re.match(r"\s*(%|percent|per|million|billion|years?|days?|months?)\b", text[m.end():m.end() + 10]):
            continue
        if _YEAR.match(m.group(1)):
            continue
        if not catalog_product and not re.match(r"\s+[a-z]", text[m.end():m.end() + 3]) and not m.group(3):
            continue  # outside the catalog, "Name 835 processor": a model number before a noun
        if generation and (len(m.group(1)) > 2 or m.group(3)):
            continue  # a standard's generation is a small number ("Wi-Fi 7", "USB 4")
        n = Cand(c.start, m.end(), text[c.start:m.end()], labels=list(c.labels))
        n.votes["Standard" if generation else "Product"] += 3.0
        out.append(n)
        replaced.append(c)  # the bare product is not mentioned here
    for c in replaced:
        cands.remove(c)
    return out


#: A model designation on its own: letters then digits ("H200", "MI350X", "A14"), not a
#: quarter or half-year ("Q3", "H1").
_MODEL_TOKEN = re.compile(r"^(?!Q\d$|H[12]$)[A-Z]{1,3}-?\d{2,5}[A-Za-z]{0,2}$")
#: The last word of a model name: a designation, a small number or one capital letter
#: ("Blackhole P150", "Gaudi 3", "Command A").
_MODEL_TAIL = re.compile(r"^(?:[A-Z]{1,3}-?\d{1,5}[A-Za-z]{0,2}|\d{1,3}[A-Za-z]?|[A-HJ-Z])$")


#: Variant words closing a model name ("Galaxy S25 Ultra").
VARIANT_WORDS = frozenset({"pro", "max", "plus", "mini", "ultra", "lite", "air", "edge", "neo", "se"})


def is_model_tail(word: str) -> bool:
    """Whether a word reads as a model designation closing a product name."""
    return bool(_MODEL_TAIL.match(word)) and not _YEAR.match(word)


def _model_names(doc, cands: list[Cand]) -> list[Cand]:
    """Product model names outside the catalog.

    "Command A model", "Blackhole P150": a name the NER cut before its model designation is
    extended to it; a name ending in one is a product ("Gaudi 3", "Mistral Medium 3"); a bare
    designation owned by a company or naming a product noun ("Nvidia's H200", "the MI350
    accelerator") is a product of its own.
    """
    out = []
    n = len(doc)
    text = doc_text(doc)
    taken = {t.i for c in cands for t in _tokens(doc, c)}
    for c in list(cands):
        toks = _tokens(doc, c)
        if not toks:
            continue
        b = toks[0].i
        if not c.entries and _MODEL_TOKEN.match(toks[0].text):
            while b - 1 >= 0 and toks[0].i - b < 2 and (b - 1) not in taken and doc[b - 1].pos_ == "PROPN" \
                    and doc[b - 1].is_alpha and doc[b - 1].text[:1].isupper() and not doc[b].is_sent_start \
                    and doc[b - 1].lower_ not in NON_NAMES and doc[b - 1].lower_ not in TITLE_WORDS \
                    and doc[b - 1].whitespace_:
                b -= 1  # "Quasar | X90": the series name the NER left out
            if b < toks[0].i:
                c.start, c.text = doc[b].idx, text[doc[b].idx:c.end]
                c.votes["Product"] += 1.0
                taken.update(range(b, toks[0].i))
                toks = _tokens(doc, c)
        last = toks[-1]
        j = last.i + 1
        # "ROG Ally X", "Snapdragon G3 Gen 3": capitalised words ending in a model designation
        k = j
        while k < n and k - j < 4 and doc[k - 1].whitespace_ and not doc[k].is_sent_start and k not in taken \
                and (doc[k].is_alpha and doc[k].text[:1].isupper() or is_model_tail(doc[k].text)) \
                and doc[k].lower_ not in NON_NAMES and doc[k].lower_ not in TITLE_WORDS:
            k += 1
        while k > j and not (is_model_tail(doc[k - 1].text) and doc[k - 1].text != "I"
                             or doc[k - 1].lower_ in VARIANT_WORDS):
            k -= 1
        if k - j >= 2 and (not c.entries or all(e.type == "Product" for e in c.entries)) \
                and (k >= n or not doc[k].text[:1].isupper()) \
                and (any(ch.isdigit() for ch in doc[j:k].text) or doc[k - 1].text.isupper()):
            e_char = doc[k - 1].idx + len(doc[k - 1].text)
            if c.entries:
                nc = Cand(c.start, e_char, text[c.start:e_char], labels=list(c.labels))
                c.votes.clear()
                c.entries = []
                out.append(nc)
            else:
                nc = c
                c.end, c.text = e_char, text[c.start:e_char]
            nc.votes["Product"] += 3.0
            taken.update(range(j, k))
            continue
        if c.entries:
            continue
        if last.whitespace_ and j < n and j not in taken and is_model_tail(doc[j].text) \
                and doc[j].text != "I" and not doc[j].is_sent_start and len(toks) <= 3 \
                and (j + 1 >= n or not doc[j + 1].text[:1].isupper() or doc[j + 1].is_punct) \
                and not re.match(r"\s*(%|percent|per|million|billion|years?|days?|months?|nm|gb|tb)\b",
                                 text[doc[j].idx + len(doc[j].text):][:12], re.I) \
                and (len(doc[j].text) > 1 or j + 1 < n and (doc[j + 1].lower_ in PRODUCT_WORDS
                                                            or doc[j + 1].is_punct)):
            c.end = doc[j].idx + len(doc[j].text)
            c.text = text[c.start:c.end]
            c.votes["Product"] += 2.0
            taken.add(j)
        elif len(toks) >= 2 and is_model_tail(last.text) and toks[0].text[:1].isupper() \
                and not _personal_name(toks):
            c.votes["Product"] += 1.5
    for t in doc:
        if t.i in taken or not _MODEL_TOKEN.match(t.text) or t.is_sent_start:
            continue
        prev = doc[t.i - 1] if t.i else None
        nxt = doc[t.i + 1] if t.i + 1 < n else None
        owned = prev is not None and prev.tag_ == "POS" and t.i >= 2 and (t.i - 2) in taken
        typed = nxt is not None and nxt.lower_ in PRODUCT_WORDS and nxt.pos_ == "NOUN"
        if not (owned or typed):
            continue
        b = t.i
        while b - 1 >= 0 and t.i - b < 2 and (b - 1) not in taken and doc[b - 1].pos_ == "PROPN" \
                and doc[b - 1].is_alpha and doc[b - 1].text[:1].isupper() and not doc[b].is_sent_start \
                and doc[b - 1].lower_ not in NON_NAMES and doc[b - 1].lower_ not in TITLE_WORDS \
                and doc[b - 1].whitespace_:
            b -= 1  # "the Instinct MI350 accelerator": the series name before the designator
        c = Cand(doc[b].idx, t.idx + len(t.text), text[doc[b].idx:t.idx + len(t.text)])
        c.votes["Product"] += 2.0
        out.append(c)
        taken.add(t.i)
    return out


#: Heads that turn "X" into X's standard ("Arm's architecture", "the OCI runtime spec").
_STD_HEAD = re.compile(
    r"(?:’s|'s)?((?:\s+[a-z][a-z-]+){0,2}?)\s+(architecture|instruction set|ISA|spec|specification|"
    r"standard|format|protocol|license|licence)\b")
_ISA = {"architecture", "instruction set", "isa"}


def _owned_standards(doc, cands: list[Cand], gaz: Gazetteer) -> list[Cand]:
    """A standard named after its owner: 'Arm's architecture', 'the Arm instruction set'.

    The standard gets its own candidate (overlapping the owner's), named "Owner head";
    instruction-set synonyms share one key so they link to one entity.
    """
    out = []
    text = doc_text(doc)
    for c in cands:
        if not c.text[:1].isupper():
            continue
        m = _STD_HEAD.match(text, c.end)
        if not m:
            continue
        mid = m.group(1).strip()
        if mid and any(w in NON_NAMES or w in {"and", "or", "of"} for w in mid.split()):
            continue
        span = doc.char_span(m.start(1), m.end(), alignment_mode="expand")
        if span is None or any(t.pos_ not in {"NOUN", "PROPN", "ADJ"} and not (
                t.lower_ == "set" and m.group(2).lower() == "instruction set") for t in span if not t.is_space):
            continue  # "Apple does not license ...": a verb, not a standard's name
        head = m.group(2)
        if any(e.type == "Standard" for e in c.entries):
            continue  # "the RISC-V instruction set" is RISC-V itself
        possessive = m.group(0)[:2] in ("'s", "’s")
        elsewhere = [o for o in cands if o is not c and o.key == c.key]
        org_like = any(e.type in {"Vendor", "Organization"} for e in c.entries) or possessive or (
            not c.entries and any(o.votes.get("Vendor", 0) + o.votes.get("Organization", 0) >= 1
                                  and not o.senses.get("Product") for o in elsewhere))
        if not org_like:
            if not c.entries and "'" not in m.group(0)[:2] and "’" not in m.group(0)[:2]:
                c.votes["Standard"] += 3.0  # "the USDC standard": the name is the standard's
            continue
        owner = re.sub(r"(’s|'s)$", "", c.text)
        name = f"{owner} {mid + ' ' if mid else ''}{head}"
        std = Cand(c.start, m.end(), text[c.start:m.end()])
        cls = "isa" if head.lower() in _ISA else head.lower()
        std.key_override = name_key(owner) + "|" + (mid.lower() + " " if mid and cls != "isa" else "") + cls
        std.canonical = name if cls != "isa" else f"{owner} architecture"
        std.votes["Standard"] += 3.0
        entries = [e for e in gaz.lookup(std.canonical) if e.type == "Standard"]
        std.entries = entries
        std.owner = c
        out.append(std)
    return out


def _propn_names(doc, cands: list[Cand]) -> list[Cand]:
    """Capitalised proper-noun runs the NER missed ("Arm", "Open Container Initiative").

    Runs break at titles ("Mirantis | CEO | Adrian Ionel"); a lone word must not be a common
    capitalised word, and a sentence-initial one counts only as a subject or when the same
    word is also capitalised mid-sentence.
    """
    taken = [(c.start, c.end) for c in cands]
    mid = {t.text for t in doc if not t.is_sent_start and t.pos_ == "PROPN"}
    out = []
    i = 0
    n = len(doc)
    while i < n:
        if not _name_token(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n and not doc[j].is_sent_start and (
                _name_token(doc[j]) and doc[j - 1].whitespace_
                or doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_
                and j + 1 < n and doc[j + 1].text[:1].isalnum() and doc[j + 1].text[:1].upper() == doc[j + 1].text[:1]):
            if doc[j].text == "-":
                j += 2  # "RISC-V", "O-RAN": one name across the hyphen
                continue
            j += 1
        i0, i = i, j
        # trim weak words at the ends ("Open" alone is no name, "Open Container Initiative" is)
        while i0 < j and (doc[i0].lower_ in NON_NAMES and (j - i0 == 1 or doc[i0].lower_ in _TRIM)
                          or doc[i0].is_sent_start and doc[i0].lower_.endswith("ly")):
            i0 += 1  # "Latterly Pivotal": a sentence adverb is not part of the name
        while j > i0 and doc[j - 1].lower_ in NON_NAMES and (j - i0 == 1 or doc[j - 1].lower_ in _TRIM):
            j -= 1
        if j <= i0:
            continue
        span = doc[i0:j]
        s, e = span.start_char, span.end_char
        if any(a < e and s < b for a, b in taken):
            continue
        nxt = doc[j] if j < n else None
        if span[0].is_sent_start and len(span) == 1 and span[0].text not in mid \
                and span[0].dep_ not in {"nsubj", "nsubjpass", "poss"} \
                and not (nxt is not None and (nxt.lower_ in TITLE_WORDS or nxt.tag_ == "POS")):
            continue
        if span.text.lower() in NON_NAMES or span.text.lower() in PLACES:
            continue
        c = Cand(s, e, span.text)
        c.votes["Vendor"] += 0.5
        out.append(c)
    return out


def doc_prev_plain(t) -> bool:
    """The word before is ordinary running text (not a quote, colon or line start)."""
    p = t.doc[t.i - 1]
    return p.text not in {'"', "“", "‘", "'", ":", "(", "-", "—", "–"} and "\n" not in p.text


#: Words trimmed from the ends of a proper-noun run (never part of a name's edge).
_TRIM = frozenset(w for w in NON_NAMES if w not in PRODUCT_WORDS and w not in {
    "open", "cloud", "enterprise", "source", "one", "global", "new", "first", "next"})


def _name_token(t) -> bool:
    if t.lower_ in TITLE_WORDS:
        return False
    if re.fullmatch(r"[2-6]G", t.text):
        return True  # "5G": a mobile generation standard
    if t.pos_ == "NOUN" and t.is_title and t.is_alpha and not t.is_sent_start and t.i > 0 \
            and doc_prev_plain(t):
        return True  # "issued by Circle": a capitalised word mid-sentence is a name
    if t.pos_ in {"NOUN", "ADJ"} and t.is_alpha and t.text[:1].isupper() and not t.is_sent_start \
            and re.search(r"[a-z][A-Z]", t.text) and t.i > 0 and doc_prev_plain(t):
        return True  # "its PhariaAI platform": camel case mid-sentence is a name
    if t.pos_ != "PROPN":
        return False
    if t.is_alpha:
        return t.text[:1].isupper() or any(ch.isupper() for ch in t.text[1:])
    return t.text[:1].isupper() and any(ch.isdigit() for ch in t.text)


def _dedupe(cands: list[Cand]) -> list[Cand]:
    """Drop candidates overlapping a longer (or catalog) one; keep text order."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), -len(c.entries)))
    out: list[Cand] = []
    for c in cands:
        if out and c.start < out[-1].end:
            prev = out[-1]
            if (c.start, c.end) == (prev.start, prev.end):
                prev.votes.update(c.votes)
                prev.entries = prev.entries or c.entries
            continue
        out.append(c)
    return out


def _tokens(doc, c: Cand):
    return tokens_in(doc, c.start, c.end)


def doc_text(doc) -> str:
    """The doc's text, computed once (Doc.text re-joins every token on each access)."""
    text = doc.user_data.get("_text")
    if text is None:
        text = doc.user_data["_text"] = doc.text
    return text


def sentence_of(doc) -> list[int]:
    """Sentence number of every token (computed once per doc; Token.sent is slow)."""
    cache = doc.user_data.get("_sent_of")
    if cache is None:
        cache = [0] * len(doc)
        spans = list(doc.sents)
        for n, sent in enumerate(spans):
            for i in range(sent.start, sent.end):
                cache[i] = n
        doc.user_data["_sent_of"] = cache
        doc.user_data["_sents"] = spans
    return cache


def sentence_span(doc, tok_i: int):
    """The sentence Span containing token tok_i."""
    n = sentence_of(doc)[tok_i]
    return doc.user_data["_sents"][n]


def tokens_in(doc, start: int, end: int) -> list:
    """Tokens starting inside [start, end) (via the doc's char index, not a scan)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if start <= t.idx < end]


def _context_votes(doc, c: Cand) -> None:
    """Type votes from the name itself and the words around it."""
    toks = _tokens(doc, c)
    if not toks:
        return
    words = [t.lower_ for t in toks]
    last = words[-1].rstrip(".")
    ids = {t.i for t in toks}
    # the syntactic head ("Call of Duty" -> Call) for dependency cues; the last token for neighbours
    head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[-1])
    nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
    prev = doc[toks[0].i - 1] if toks[0].i > 0 else None
    if c.text.lower().endswith(".org") and not c.entries:
        c.votes["Organization"] += 2.5  # "Prebid.org": a non-profit's own domain name
    if last in {w.rstrip(".") for w in CORP_SUFFIXES}:
        c.votes["Vendor"] += 2.5
    org_word = next((w for w in words if w in ORG_WORDS), None)
    if org_word and (org_word not in WEAK_ORG_WORDS or "of" in words or "for" in words):
        c.votes["Organization"] += 2.5
    if last in STANDARD_WORDS or (nxt is not None and nxt.lower_ in STANDARD_WORDS and nxt.pos_ == "NOUN"):
        c.votes["Standard"] += 1.5
    if last in EVENT_WORDS or (len(words) == 1 and re.search(r"[a-z]Con$", toks[0].text)):
        c.votes["Event"] += 1.5
    # version numbers / model numbers after a name
    if nxt is not None and _VERSION.match(nxt.text):
        c.version = nxt.text
        c.votes["Product"] += 1.5
    if nxt is not None and _YEAR.match(nxt.text):
        c.year = nxt.text
        if c.votes["Event"] > 0 or c.votes.get("Vendor", 0) < 1:
            c.votes["Event"] += 1.0
        if prev is not None and prev.lower_ in {"at", "during", "attend", "attended", "attending"} \
                and not c.entries:
            c.votes["Event"] += 2.0  # "speak at Cannes Lions 2025": a named gathering with its year
    if any(ch.isdigit() for ch in c.text) and not _YEAR.search(c.text):
        c.votes["Product"] += 0.7
    # company vs product senses of the surrounding syntax
    senses = c.senses
    if nxt is not None and nxt.lower_ in PRODUCT_WORDS and nxt.pos_ in {"NOUN", "PROPN", "VERB"}:
        senses["Product"] += 1
        if nxt.lower_ in THING_CATEGORIES and nxt.is_lower and not c.entries and _determined(doc, toks[0]):
            c.votes["Product"] += 1.2  # "the Wasmtime runtime", "its older Nexo network"
    based = re.match(r"-based((?:\s+[a-z-]+){1,3})", doc_text(doc)[c.end:c.end + 60])
    if based and not c.entries and any(w in COMPANY_NOUNS | {
            "companies", "firms", "startups", "vendors", "makers", "group", "developer", "developers"}
            for w in based.group(1).split()):
        senses["Place"] += 1  # "the Tampa-based vendor": where the company is, not a name to keep
        c.votes.clear()
        return
    if re.match(r"-(as-a-|based\b|native\b|compatible\b|powered\b|enabled\b)", doc_text(doc)[c.end:c.end + 12]):
        senses["Product"] += 1
    if nxt is not None and nxt.lower_ in VENDOR_NOUNS:
        senses["Vendor"] += 1
    if nxt is not None and nxt.tag_ == "POS":
        n2 = doc[nxt.i + 1] if nxt.i + 1 < len(doc) else None
        while n2 is not None and n2.dep_ in {"amod", "compound", "nummod"} and n2.i + 1 < len(doc):
            n2 = doc[n2.i + 1]
        if n2 is not None and n2.lower_ in VENDOR_NOUNS:
            senses["Vendor"] += 1
        elif n2 is not None and n2.lower_ in PRODUCT_WORDS:
            senses["Vendor"] += 0.5
    if nxt is not None and nxt.text == "(" and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_.split(":")[0] in EXCHANGES:
        senses["Vendor"] += 2  # stock ticker
    if c.end in doc.user_data.get("ticker_at", ()):
        senses["Vendor"] += 2  # a stock ticker followed the name (removed before parsing)
        senses["Ticker"] += 1
    desc = _appositive_head(doc, toks[-1])
    if desc is None and head.dep_ == "appos" and head.head.pos_ == "NOUN" and head.head.i < head.i \
            and doc[toks[0].i - 1].text == ",":
        desc = head.head  # "Acme's gateway, Shield,": the name describes the noun before it
    if desc is not None:
        if desc.lower_ in COMPANY_NOUNS or desc.lower_ in RELATION_NOUNS and any(
                ch.dep_ in {"compound", "poss"} for ch in desc.children):
            senses["Vendor"] += 1.5
            if not c.entries:
                c.votes["Vendor"] += 1.0
        elif desc.lower_ in APPOSITIVE_STANDARDS:
            if not c.entries:
                c.votes["Standard"] += 2.5  # "X, the middleware standard published by Y"
        elif desc.lower_ in APPOSITIVE_ORGS:
            if not c.entries:
                c.votes["Organization"] += 2.5  # "X, the industry body that ..."
        elif desc.lower_ in PRODUCT_WORDS or desc.lower_ in APPOSITIVE_PRODUCTS:
            senses["Product"] += 1.5
            if not c.entries:
                c.votes["Product"] += 1.0
        if (desc.lower_ in COMPANY_NOUNS or desc.lower_ in PRODUCT_WORDS or desc.lower_ in APPOSITIVE_PRODUCTS) \
                and not c.entries and c.votes.get("Person", 0) > 0:
            c.votes["Person"] -= 1.0  # described as a thing or a company: not a person
    if nxt is not None and nxt.lower_ in APPOSITIVE_ORGS and nxt.is_lower and not c.entries \
            and head.head.i == nxt.i:
        c.votes["Organization"] += 2.0  # "the AUTOSAR consortium"
    ids = {t.i for t in toks}
    shead = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), head)
    if len(toks) >= 2 and _YEAR.match(toks[-1].text) and not c.entries and (
            prev is not None and prev.lower_ in {"at", "during", "attend", "attended", "attending"}
            or shead.dep_ == "pobj" and shead.head.lower_ == "of" and shead.head.head.lemma_ in EVENT_HOSTS):
        c.votes["Event"] += 2.0  # "the sponsor of Black Hat USA 2025", "at Expo 2025"
    if not c.entries and "GPE" in c.labels and head.dep_ == "conj":
        root = head
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        before_root = doc[root.left_edge.i - 1] if root.left_edge.i > 0 else None
        if before_root is not None and before_root.lower_ in {"in", "near", "from"}:
            senses["Place"] += 1  # "regions in Frankfurt and Montreal"
    if not c.entries and len(toks) == 1 and head.dep_ in {"compound", "nmod", "npadvmod"} \
            and head.head.i > head.i and head.head.dep_ == "appos" \
            and doc[head.i + 1: head.head.i + 1].text.lower().replace(" ", "").endswith(
                ("start-up", "startup", "company", "firm")) \
            and any(ch.lower_ in {"the", "a"} for ch in head.head.children):
        senses["Place"] += 1  # "X, the Heidelberg start-up": where the company is
        c.votes.clear()
        return
    if prev is not None and prev.pos_ == "NOUN" and (prev.head.i == head.i or head.head.i == prev.i) \
            and not c.entries:
        # "security firm PingSafe", "the chatbot Claude": a classifier noun before the name
        if prev.lower_ in CLASSIFIER_COMPANIES:
            c.votes["Vendor"] += 1.5
        elif prev.lower_ in PRODUCT_WORDS or prev.lower_ in APPOSITIVE_PRODUCTS:
            c.votes["Product"] += 1.0
    if head.dep_ in {"compound", "nmod"} and not c.entries:
        top = head.head
        while top.dep_ == "compound" and top.head.pos_ == "NOUN" and top.head.i != top.i:
            top = top.head
        owned = any(ch.dep_ == "poss" for ch in top.children)
        if top.i != (nxt.i if nxt is not None else -1) and top.pos_ == "NOUN" and (
                top.lower_ in PRODUCT_WORDS or top.lower_ in APPOSITIVE_PRODUCTS):
            senses["Product"] += 1  # "its Element checkout component"
        chain, k = [], head.head
        while k.pos_ == "NOUN" and len(chain) < 4:
            chain.append(k)
            if k.i == top.i or k.head.i == k.i:
                break
            k = k.head
        if owned and any(w.lower_ in PRODUCT_WORDS or w.lower_ in APPOSITIVE_PRODUCTS for w in chain):
            c.votes["Product"] += 1.0  # "whose Falcon platform": a company's named product
    if nxt is not None and nxt.tag_ == "POS" and nxt.i + 1 < len(doc) and \
            doc[nxt.i + 1].lower_ in {"sponsor", "maintainers", "developers", "codebase", "fork", "users",
                                       "crowd", "community", "roadmap", "source"}:
        senses["Product"] += 1  # "Xen's primary sponsor": a project has sponsors
    if head.dep_ in {"nsubj", "nsubjpass"} or (head.dep_ == "conj" and head.head.dep_ == "nsubj"):
        verb = head.head if head.dep_ != "conj" else head.head.head
        if verb.lemma_ in VENDOR_VERBS:
            senses["Vendor"] += 1
        elif verb.lemma_ in PRODUCT_VERBS:
            senses["Product"] += 1
    arg = head.head if head.dep_ == "compound" and head.head.pos_ == "NOUN" else head
    if arg.dep_ == "pobj" and arg.head.lower_ == "of" and arg.head.head.lemma_ in {
            "maker", "developer", "creator", "manufacturer", "version", "release"}:
        c.votes["Product"] += 1.5
    if head.dep_ == "pobj" and head.head.dep_ == "agent":
        senses["Vendor"] += 1  # "issued by Circle": the doer of a passive
        if not c.entries:
            c.votes["Vendor"] += 0.4
    if head.dep_ == "dobj" and head.head.lemma_ in LAUNCH_VERBS:
        c.votes["Product"] += 1.5
        senses["Product"] += 1
    if head.dep_ == "dobj" and head.head.lemma_ in {"acquire", "buy", "purchase"}:
        senses["Vendor"] += 1
    if prev is not None and prev.lower_ in {"of", "on", "with", "for"} and prev.head.lemma_ in {
            "version", "run", "support", "instance", "top", "deploy", "release", "build", "use",
            "built", "runs", "compatible", "port", "migrate", "available"}:
        senses["Product"] += 1
    if prev is not None and prev.lower_ in TITLE_WORDS:
        c.votes["Person"] += 0.8
        if _personal_name(toks) and not c.entries:
            c.votes["Person"] += 0.8  # "chief executive Jane Roe": a title before a full name
        senses["Human"] += 1
    if toks[0].lower_ in GIVEN_NAMES and len(toks) >= 2:
        senses["Human"] += 1
    if head.dep_ == "nsubj" and head.head.lemma_ in SPEECH_VERBS and len(toks) >= 2:
        senses["Human"] += 1  # "Ekholm said", "Kreps argues"
    if nxt is not None and nxt.text == "," and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ == "who":
        senses["Human"] += 1
    if desc_title(doc, toks[-1]):
        senses["Human"] += 1  # "Sam Altman, OpenAI's chief executive"
    if _personal_name(toks) and toks[0].lower_ in GIVEN_NAMES and not c.entries:
        c.votes["Person"] += 2.0  # "Adrian Ionel": a given name and a surname
    if nxt is not None and nxt.text == "," and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ == "who":
        c.votes["Person"] += 1.0
    if nxt is not None and nxt.lower_ in {"ceo", "cto", "cfo", "founder", "chairman", "president"}:
        c.votes["Vendor"] += 0.8
        c.votes["Person"] -= 1.0
    first = toks[0]
    if head.dep_ == "conj":
        root = head
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        first = doc[root.left_edge.i] if root.left_edge.i < root.i else root
    before = doc[first.i - 1] if first.i > 0 else None
    if before is not None and before.tag_ == "POS" and nxt is not None and nxt.lower_ in PRODUCT_WORDS:
        senses["Product"] += 1  # "Nvidia's Drive AGX Orin chip"
    if nxt is not None and nxt.lower_ in {"unit", "subsidiary", "division", "affiliate"} \
            and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ not in {"of", "'s", "’s"}:
        senses["Vendor"] += 1  # "IBM's Red Hat unit", "its Acme subsidiary": an owned company
        if not c.entries:
            c.votes["Vendor"] += 1.5
    if head.dep_ == "compound" and head.head.pos_ == "NOUN" and any(
            t.tag_ == "POS" or t.lower_ in {"new", "latest", "upcoming", "next-generation"}
            for t in doc[max(0, first.i - 2): first.i]):
        senses["Product"] += 1  # "Nokia's new AirScale base station"
    if re.match(r"\s+(co-?founder|founder|ceo|cto|cfo|chief|president|chairman|chairwoman)\b",
                doc_text(doc)[c.end:c.end + 14], re.I):
        senses["Vendor"] += 1  # "Slack co-founder Stewart Butterfield"
    if head.dep_ in {"dobj", "pobj"} and (head.head.lemma_ == "join" or head.head.head.lemma_ == "join") \
            and any(t.lower_ in {"member", "members"} for t in head.head.subtree):
        c.votes["Organization"] += 1.5  # "joined the X Alliance as a founding member"
    if before is not None and before.lower_ in {"on", "onto", "atop"}:
        senses["Product"] += 1  # things run on products, not on companies
    if nxt is not None and nxt.lower_ in FACILITY_NOUNS and nxt.is_lower and not c.entries \
            and len(toks) <= 2 and not any(t.text.isupper() for t in toks):
        c.votes.clear()  # "its De Soto factory": a site, named after a place
        return
    if nxt is not None and nxt.lower_ in {"companies", "firms", "index", "list", "ranking"}:
        c.votes.clear()  # "Global 500 companies", "Fortune 100 list": not a name
        return
    if prev is not None and prev.lower_ in {"in", "near"} and c.votes.get("Vendor", 0) < 1:
        senses["Place"] += 1
    # outside the catalog, the syntax of each mention is evidence for its type
    if not c.entries:
        c.votes["Product"] += 0.8 * senses.get("Product", 0)
        c.votes["Vendor"] += 0.4 * senses.get("Vendor", 0)


#: Category nouns that, after "the/its NAME", make NAME the thing of that category.
THING_CATEGORIES = frozenset({
    "platform", "runtime", "network", "engine", "framework", "library", "toolkit", "tool", "tools",
    "browser", "app", "database", "kernel", "os", "compiler", "sdk", "suite", "software", "chip",
    "chips", "processor", "processors", "chatbot", "assistant", "hypervisor", "orchestrator",
    "distribution", "distro", "codebase", "firmware", "handset", "smartphone", "console"})


def _determined(doc, first) -> bool:
    """A name after 'the', 'its', 'their' or a possessive, optionally with adjectives between."""
    j = first.i - 1
    while j >= 0 and first.i - j <= 3 and doc[j].is_lower and doc[j].pos_ == "ADJ":
        j -= 1
    return j >= 0 and (doc[j].lower_ in {"the", "its", "their"} or doc[j].tag_ == "POS")


#: Appositive heads that describe a company ("Arm, the British chip designer").
COMPANY_NOUNS = frozenset({"company", "startup", "firm", "vendor", "maker", "provider", "giant",
                           "chipmaker", "manufacturer", "developer", "designer", "supplier",
                           "subsidiary", "carrier", "operator", "retailer", "publisher", "rival",
                           "competitor", "unit", "conglomerate", "owner", "parent", "investor",
                           "arm", "affiliate", "spinoff", "spin-off", "lender", "bank", "insurer",
                           "automaker", "carmaker", "foundry", "distributor", "integrator"})
#: Appositive heads that describe a product ("Fargate, a serverless option").
APPOSITIVE_PRODUCTS = frozenset({"option", "offering", "clone", "alternative", "fork", "project",
                                 "product", "feature", "solution", "implementation", "successor",
                                 "language", "protocol", "game", "model", "variant", "assistant",
                                 "chatbot", "gateway", "accelerator", "wallet", "component",
                                 "card", "cards", "agent", "copilot", "marketplace", "store",
                                 "console", "processor", "headset", "robot", "drone", "vehicle",
                                 "layer", "emulator", "interface", "module", "middleware",
                                 "handheld", "smartwatch", "sedan", "suv", "database"})
#: Nouns whose "of" object is an event ("the sponsor of X 2025").
EVENT_HOSTS = frozenset({"sponsor", "sponsorship", "edition", "attendee", "attendees", "keynote",
                         "host", "organizer", "organiser", "exhibitor", "exhibitors", "sidelines"})
#: Nouns after a place-like name that make it a site ("the Austin plant").
FACILITY_NOUNS = frozenset({"factory", "plant", "fab", "campus", "facility", "site", "mine",
                            "warehouse", "headquarters", "gigafactory", "refinery", "port"})
#: Appositive heads naming a business relationship ("X, a former Acme customer"): a company.
RELATION_NOUNS = frozenset({"customer", "client", "partner", "supplier", "licensee", "member",
                            "backer", "shareholder", "ally", "rival", "competitor", "buyer",
                            "seller", "reseller", "distributor", "contractor", "challenger"})
#: Appositive heads that describe a standard or a non-commercial body.
APPOSITIVE_STANDARDS = frozenset({"standard", "specification", "spec", "protocol", "format",
                                  "licence", "license", "codec", "architecture", "framework-standard"})
APPOSITIVE_ORGS = frozenset({"foundation", "consortium", "alliance", "body", "regulator", "agency",
                             "association", "nonprofit", "non-profit", "charity", "university",
                             "institute", "watchdog", "ministry", "commission", "coalition"})
#: Classifier nouns right before a name that make it a company ("security firm PingSafe").
CLASSIFIER_COMPANIES = frozenset({"company", "startup", "start-up", "firm", "vendor", "chipmaker",
                                  "carmaker", "automaker", "conglomerate", "lender", "bank",
                                  "subsidiary", "rival", "competitor", "insurer", "retailer",
                                  "operator", "carrier", "foundry", "supplier", "distributor"})


SPEECH_VERBS = frozenset({"say", "tell", "add", "note", "explain", "argue", "write", "believe",
                          "think", "recall", "insist", "warn", "hint", "predict", "testify"})


#: Verbs whose direct object is software or hardware ("Google created Kubernetes").
THING_OBJECT_VERBS = frozenset({"make", "create", "develop", "build", "design", "host", "use",
                                "deploy", "adopt", "run", "power", "maintain", "release", "ship",
                                "launch", "install", "download", "open-source", "update", "upgrade",
                                "integrate", "license", "embed", "preinstall", "bundle"})
#: Nouns for people ("researchers including X", "X, a former engineer").
PERSON_NOUNS = frozenset({"researchers", "researcher", "executives", "executive", "engineers",
                          "engineer", "founders", "founder", "people", "employees", "analysts",
                          "analyst", "investors", "investor", "leaders", "leader", "scientists",
                          "scientist", "officials", "official", "developers", "co-founders",
                          "veteran", "entrepreneur", "professor", "spokesperson"})


def _usage_cues(doc, c: Cand) -> None:
    """Product or person evidence from how a name outside the catalog is used."""
    toks = _tokens(doc, c)
    if not toks or not (c.votes or c.entries):
        return
    ids = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[-1])
    gov = head.head
    product = 0.0
    if head.dep_ == "dobj" and gov.lemma_ in THING_OBJECT_VERBS:
        product += 1  # "Google created Kubernetes", "the CNCF hosts Prometheus"
    if head.dep_ == "pobj" and gov.lower_ == "behind":
        product += 1  # "the startup behind ChatGPT"
    if any(ch.dep_ == "relcl" and ch.lemma_ in {"develop", "build", "create", "design", "release",
                                                  "write", "launch", "invent"}
           and any(g.dep_ == "nsubjpass" for g in ch.children) for ch in head.children):
        product += 1  # "Apache Pulsar, which was developed at Yahoo"
    first = toks[0]
    if first.i > 0 and doc[first.i - 1].tag_ == "POS" and not c.senses.get("Human") \
            and first.lower_ not in GIVEN_NAMES:
        product += 0.8  # "Microsoft's Xbox": a company's named thing
    desc = _appositive_head(doc, toks[-1])
    if desc is not None and desc.lower_ not in COMPANY_NOUNS and desc.lower_ not in PERSON_NOUNS \
            and desc.lower_ not in TITLE_WORDS and desc.lower_ not in ORG_WORDS \
            and desc.lower_ not in PRODUCT_WORDS and desc.lower_ not in APPOSITIVE_PRODUCTS \
            and desc.lower_ not in RELATION_NOUNS:
        product += 1.0  # "Envoy, the proxy ...": described as a thing, not a company
    if product:
        c.senses["Product"] += product
        if not c.entries:
            c.votes["Product"] += 0.8 * product
    if head.dep_ == "pobj" and gov.dep_ == "agent" and gov.head.lemma_ in {
            "found", "co-found", "cofound", "lead", "head", "run", "chair"}:
        c.senses["Human"] += 1  # "founded by Zach Abrams"
    if head.dep_ in {"pobj", "conj"}:
        root = head
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        if root.dep_ == "pobj" and root.head.lower_ in {"including", "as", "like"} \
                and root.head.head.lower_ in PERSON_NOUNS:
            c.senses["Human"] += 1  # "former OpenAI researchers including Dario Amodei"


def desc_title(doc, last) -> bool:
    """', (the|X's) ... CEO/founder/analyst ...' right after a name: it describes a person."""
    i = last.i + 1
    if i >= len(doc) or doc[i].text != ",":
        return False
    words = [t.lower_ for t in doc[i + 1: i + 7]]
    return any(w in TITLE_WORDS or w in {"analyst", "spokesperson", "spokesman", "spokeswoman",
                                         "researcher", "engineer", "professor", "manager",
                                         "executive", "officer", "co-founder"} for w in words[:5])


def _appositive_head(doc, head):
    """Head noun of ', a/an/the ... NOUN' right after a name (its description), if any.

    A possessor inside the description is skipped: in ", the company's assistant" and
    ", Acme's software stack" the head is the possessed noun.
    """
    i = head.i + 1
    n = len(doc)
    if i + 2 >= n or doc[i].text != ",":
        return None
    first = doc[i + 1]
    if first.lower_ in {"a", "an", "the", "its", "their"}:
        j = i + 2
    elif first.pos_ == "PROPN" and any(doc[k].tag_ == "POS" for k in range(i + 2, min(n, i + 5))):
        j = i + 1  # ", Acme's open-source software stack"
    else:
        return None
    last = None
    while j < n and j < i + 12 and (doc[j].pos_ in {"ADJ", "NOUN", "PROPN", "ADV", "NUM"}
                                    or doc[j].text == "-" or doc[j].tag_ in {"POS", "VBG"}
                                    or doc[j].tag_ == "VBN" and doc[j - 1].text == "-"):
        if doc[j].tag_ == "POS":
            last = None  # the possessor is not the head
        elif doc[j].pos_ == "NOUN":
            last = doc[j]
        j += 1
    return last


def _acronyms(doc, cands: list[Cand]) -> None:
    """'Long Name (ACR)', 'Long Name, or ACR': the acronym candidate records the long form it abbreviates."""
    for i, c in enumerate(cands[:-1]):
        nxt = cands[i + 1]
        between = doc_text(doc)[c.end:nxt.start]
        if not nxt.text.isupper():
            continue
        if between.strip() == "(" and doc_text(doc)[nxt.end:nxt.end + 1] == ")":
            if _initials_match(nxt.text, c.text) or (len(c.text.split()) >= 2 and set(nxt.text) & set(_caps(c.text))):
                nxt.defines = c.text
                c.abbrev = nxt
        elif re.fullmatch(r",? or (?:the )?", between) and _initials_match(nxt.text, c.text):
            nxt.defines = c.text  # "the Open Container Project, or OCP,"
            c.abbrev = nxt
    # "Long Name (ACR)" where the acronym was not a candidate yet
    for m in re.finditer(r"\(([A-Z][A-Za-z0-9]{1,7})\)", doc_text(doc)):
        s, e = m.start(1), m.end(1)
        if any(c.start <= s < c.end for c in cands):
            continue
        prevs = [c for c in cands if c.end <= m.start() and doc_text(doc)[c.end:m.start()].strip() == ""]
        if prevs and _initials_match(m.group(1), prevs[-1].text):
            a = Cand(s, e, m.group(1), defines=prevs[-1].text)
            a.votes.update(prevs[-1].votes)
            cands.append(a)
    cands.sort(key=lambda c: c.start)


def _caps(s: str) -> str:
    return "".join(w[0] for w in s.split() if w[:1].isupper())


def _initials_match(acr: str, long: str) -> bool:
    letters = [w[0].upper() for w in re.findall(r"[A-Za-z][\w-]*", long)
               if w.lower() not in {"of", "and", "for", "the", "on", "in", "&"} or w[0].isupper()]
    letters_all = [w[0].upper() for w in re.findall(r"[A-Za-z][\w-]*", long)]
    a = acr.upper()
    return a in ("".join(letters), "".join(letters_all)) or (len(a) >= 2 and "".join(letters).endswith(a) and len(letters) - len(a) <= 1)


#: Acronyms naming a kind of product, never one product or company on their own.
CATEGORY_ACRONYMS = frozenset({
    "ide", "ides", "cdn", "cdns", "plc", "plcs", "ehr", "ehrs", "api", "apis", "sdk", "sdks", "cpu",
    "cpus", "gpu", "gpus", "llm", "llms", "saas", "paas", "iaas", "waf", "crm", "erp", "vm", "vms",
    "vpn", "vpns", "iot", "ai", "id", "cli", "gui", "ui", "ux", "dsp", "dsps", "ssp", "ssps"})


def _plausible(c: Cand, text: str = "") -> bool:
    """Drop junk: numbers, dates, tickers, places, generic capitalised words, cut-off names."""
    t = c.text.strip()
    if text and not c.entries:
        if c.end >= len(text.rstrip()) and text.rstrip()[-1:].isalnum():
            return False  # the article was cut mid-name
        if re.search(r"\((" + "|".join(EXCHANGES) + r")\s*:\s*$", text[max(0, c.start - 12):c.start], re.I):
            return False  # a ticker symbol
    if not _NAME_CHARS.search(t) or len(t) < 2 and not c.entries:
        return False
    if c.entries:
        return True
    low = t.lower()
    if low in NON_NAMES or low in PLACES or low.split(":")[0] in EXCHANGES:
        return False
    if low in CATEGORY_ACRONYMS:
        return False  # "its flagship IDE", "the company's core CDN business": a kind of thing
    if re.fullmatch(r"[\d\s.,$%€£¥-]+", t) or _YEAR.match(t):
        return False
    if ":" in t and t.split(":")[0].lower() in EXCHANGES:
        return False
    if t[0].islower() and not re.search(r"[A-Z0-9]", t[1:]):
        return False
    if t.endswith("-") or low.endswith(("-as-a-service",)):
        return False
    if text and t.isupper() and len(t) <= 3 and re.match(r"-[a-z]", text[c.end:c.end + 2]):
        return False  # "a QR-code wallet": an acronym inside a common compound
    return True
