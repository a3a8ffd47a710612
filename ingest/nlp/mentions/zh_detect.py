"""Assemble all mentions of a Chinese article (catalog and beyond).

Order of trust: catalog names first, then names with explicit form (foreign
names joined by '·', a name right after a title, a Latin name glossing a
Chinese one), then Latin runs typed by their context words. Overlaps are
resolved by that order, then by length.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from ingest.nlp.mentions.zh_gloss import apply_glosses, propagate
from ingest.nlp.mentions.zh_match import Hit, matcher_for
from ingest.nlp.mentions.zh_names import cn_company_mentions, latin_people, org_mentions, person_mentions
from ingest.nlp.mentions.zh_ner import (
    Ment,
    Sense,
    cue_type,
    hits_to_ments,
    latin_runs,
    plausible_latin_name,
    split_generic,
    strip_version,
)
from ingest.nlp.text.zh_seg import Segmenter
from ingest.nlp.text.zh_text import Occupancy

PRIORITY = {"open": 3, "cand": 6, "cat": 0, "weak": 0, "gloss": 0, "ext": 0, "person": 1, "event": 1, "org": 2, "latin": 3, "media": 2}

_YEAR_AFTER = re.compile(r"\s?((?:19[89]|20[0-4])\d)(?!\d)")
_YEAR_BEFORE = re.compile(r"((?:19[89]|20[0-4])\d)\s?年\s?$")
_EVENT_SUFFIX = re.compile(r"\s?(?:大会|峰会|年会|开发者大会|技术大会|博览会|展会)")
_VERSION_AFTER = re.compile(r"\s?[vV]?\d+(?:\.\d+)+(?![\d.])|\s[vV]?\d{1,2}(?![\d.年月日%])")
_VENDOR_SUFFIX = re.compile(r"\s?(?:(?:有限)?公司|Inc\b\.?|集团|Corp\b\.?)")
_HOLDING_SUFFIX = re.compile(r"\s?控股(?!股)")
_COMMUNITY_SUFFIX = re.compile(r"\s?(社区|社群|基金会)")
_EVENT_NAME = re.compile(r"(?:Con|Conf|Summit|World|world|Expo|Forum|Days|Week|Live|Connect|Ignite|Invent)$")


def resolve_overlaps(ments: list[Ment]) -> list[Ment]:
    """Keep the most trusted, then longest, of overlapping mentions."""
    ranked = sorted(ments, key=lambda m: (PRIORITY.get(m.kind, 5), -(m.end - m.start), m.start))
    kept: list[Ment] = []
    occ = Occupancy(max((m.end for m in ments), default=0))
    for m in ranked:
        if occ.free(m.start, m.end):
            kept.append(m)
            occ.take(m.start, m.end)
    kept.sort(key=lambda m: m.start)
    return kept


# ---------------------------------------------------------------- catalog mentions


def refine_catalog(m: Ment, text: str, folded: str, org_lookup) -> None:
    """Extend a catalog mention over what belongs to it and narrow its senses.

    "Docker公司" is the company, "Kafka 3.0" the product, "DockerCon 2015"
    the 2015 edition, "Kubernetes社区" the community (an Organization).
    """
    rest = folded[m.end:m.end + 12]
    types = m.types()
    if "Event" in types:
        ev = next(s for s in m.senses if s.type == "Event")
        y = _YEAR_AFTER.match(rest)
        ys = _YEAR_BEFORE.search(folded[max(0, m.start - 8):m.start])
        if y:
            m.end += y.end()
            m.senses = [Sense("Event", f"{ev.name} {y.group(1)}", True, ev.wikidata)]
        elif ys:
            m.senses = [Sense("Event", f"{ev.name} {ys.group(1)}", True, ev.wikidata)]
        else:
            m.senses = [ev]
        suf = _EVENT_SUFFIX.match(folded[m.end:m.end + 8])
        if suf:
            m.end += suf.end()
        m.text = text[m.start:m.end]
        return
    h = _HOLDING_SUFFIX.match(rest)
    if h and "Vendor" in types:  # "X控股" is the holding company, not X
        m.end += h.end()
        m.text = text[m.start:m.end]
        m.senses = [Sense("Vendor", m.text.strip())]
        return
    v = _VENDOR_SUFFIX.match(rest)
    if v and "Vendor" in types:
        m.senses = [s for s in m.senses if s.type == "Vendor"]
        m.end += v.end()
        m.text = text[m.start:m.end]
        return
    c = _COMMUNITY_SUFFIX.match(rest)
    if c and "Organization" not in types:
        base = m.chosen.name
        base_senses = list(m.senses)
        org = org_lookup(base)
        m.senses = [org or Sense("Organization", text[m.start:m.end + c.end()].strip())]
        m.end += c.end()
        m.text = text[m.start:m.end]
        if org is None and c.group(1) != "基金会":
            # "Kubernetes 社区": the users (a body only if it acts), or the project itself
            m.kind = "weak"
            m.senses = [s for s in base_senses if s.type in ("Product", "Standard")] + m.senses
        return
    if "Product" in types:
        ver = _VERSION_AFTER.match(rest)
        if ver and re.search(r"[A-Za-z0-9]$", m.text):  # "MongoDB 6.0": a version is the product's
            m.senses = [x for x in m.senses if x.type == "Product"]
            m.end += ver.end()
            m.text = text[m.start:m.end]


def make_org_lookup(gazetteer):
    """base name -> the catalog Organization named after it ("X Foundation"), if any."""
    matcher = matcher_for(gazetteer)

    def lookup(base: str) -> Sense | None:
        if matcher is None:
            return None
        for suffix in (" Foundation", " Community", "基金会", "社区"):
            for e in matcher.lookup(base + suffix):
                if e.type == "Organization":
                    return Sense(e.type, e.name, True, e.wikidata or "")
        return None

    return lookup


# ---------------------------------------------------------------- Latin names


def latin_mentions(text: str, masked: str, folded: str, cat: list[Ment]) -> list[Ment]:
    """Unknown Latin names, typed by context; a catalog name plus more
    capitalised words ("Microsoft Teams") is a new name."""
    out: list[Ment] = []
    cat_sorted = sorted(cat, key=lambda m: m.start)
    starts = [c.start for c in cat_sorted]
    for run in latin_runs(folded):  # folded: wide letters are ASCII there
        k = bisect.bisect_left(starts, run.start) - 1
        inside = [c for c in cat_sorted[max(0, k):bisect.bisect_left(starts, run.end)]
                  if c.start < run.end and run.start < c.end]
        pieces = split_generic(run)
        for p in pieces:
            inner = [c for c in inside if c.start < p.end and p.start < c.end]
            if inner:
                c = inner[-1]
                glued = re.fullmatch(r"[A-Z]{2,}[A-Za-z0-9]*", p.text[c.end - p.start:])
                if glued and c.end > p.start:  # "OracleERP" -> Oracle + ERP
                    s0 = c.end
                    cue = cue_type(folded, s0, p.end)
                    if plausible_latin_name(glued.group(0), cue or "Product"):
                        out.append(Ment(s0, p.end, text[s0:p.end], [Sense(cue or "", glued.group(0))],
                                        "latin"))
                    continue
                c = inner[0]
                tail = p.text[c.end - p.start:]
                if (len(inner) == 1 and c.start == p.start and c.end < p.end
                        and re.fullmatch(r"\s[A-Z][A-Za-z0-9\-]+(?:\s[A-Z][A-Za-z0-9\-]+)*", tail)
                        and not all(w.casefold() in _JARGON_TAILS for w in tail.split())
                        and "Event" not in c.types()):
                    typ = cue_type(folded, p.start, p.end) or "Product"
                    out.append(Ment(p.start, p.end, text[p.start:p.end],
                                    [Sense(typ, strip_version(p.text))], "ext"))
                continue
            if not masked[p.end:].strip():
                continue  # cut off by the end of the excerpt
            name = strip_version(p.text)
            cue = cue_type(folded, p.start, p.end)
            if not plausible_latin_name(name, cue):
                if cue is None and plausible_latin_name(name, "Product") and len(name) >= 3:
                    # "小米、OPPO和vivo": typed later if it sits in a list of known names
                    out.append(Ment(p.start, p.end, text[p.start:p.end], [Sense("", name)], "cand"))
                continue
            y = re.search(r"\s((?:19[89]|20[0-4])\d)$", p.text)
            if y and (_EVENT_NAME.search(p.text[: y.start()]) or _AT_OCCASION.search(folded[max(0, p.start - 3):p.start])
                      and _OCCASION_AFTER.match(folded, p.end)):  # "在CES 2024上"
                out.append(Ment(p.start, p.end, text[p.start:p.end], [Sense("Event", p.text)], "event"))
                continue
            org = _ORG_TAIL.match(folded, p.end)
            if org:  # "Vexor基金会": the body, named as written
                e = org.end()
                out.append(Ment(p.start, e, text[p.start:e], [Sense("Organization", text[p.start:e])], "org"))
                continue
            end = p.end
            if cue == "Vendor":  # "Zentra公司": the suffix belongs to the mention, as for catalog names
                v = _VENDOR_SUFFIX.match(folded, p.end)
                end = v.end() if v else p.end
            out.append(Ment(p.start, end, text[p.start:end], [Sense(cue or "", name)], "latin"))
    return out


_AT_OCCASION = re.compile(r"在\s?$|于\s?$|参加\s?$|出席\s?$")
_OCCASION_AFTER = re.compile(r"\s?(?:上|期间|现场|大会|展会|峰会|开幕)")
_JARGON_TAILS = frozenset({"ai", "ml", "iot", "vr", "ar", "xr", "app", "apps", "web"})
_ORG_TAIL = re.compile(r"\s?(?:基金会|联盟|协会|学会|委员会|社区|社群|大学|研究院|研究所)")


def adopt_short_forms(ments: list[Ment]) -> None:
    """An unknown Latin word that begins a known mixed name ("Turbo" beside
    "Turbo码") is that name's short form."""
    mixed: dict[str, list[Sense]] = {}
    for m in ments:
        if m.kind == "cat":
            lat = re.match(r"[A-Za-z][A-Za-z0-9\-]+(?=\s?[\u4e00-\u9fff])", m.text)
            if lat:
                mixed.setdefault(lat.group(0).casefold(), list(m.senses))
    for m in ments:
        if m.kind == "latin" and m.text.strip().casefold() in mixed:
            m.senses = list(mixed[m.text.strip().casefold()])
            m.kind = "gloss"


_LIST_GAP = re.compile(r"\s?(?:、|和|与|及|以及|或)\s?")


def promote_listed(ments: list[Ment], folded: str) -> list[Ment]:
    """Unexplained acronyms and lower-case words listed beside known names take
    their type ("小米、OPPO和vivo" are all vendors); others are dropped."""
    ms = sorted(ments, key=lambda m: m.start)
    changed = True
    while changed:
        changed = False
        for i, m in enumerate(ms):
            if m.kind != "cand":
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(ms) or ms[j].kind == "cand" or not ms[j].senses:
                    continue
                a, b = (ms[j], m) if j < i else (m, ms[j])
                if _LIST_GAP.fullmatch(folded[a.end:b.start]) and ms[j].chosen.type in (
                        "Vendor", "Product", "Organization", "Standard"):
                    m.senses = [Sense(ms[j].chosen.type, m.senses[0].name)]
                    m.kind = "listed"
                    changed = True
                    break
    return [m for m in ms if m.kind != "cand"]


def surname_references(ments: list[Ment]) -> None:
    """"Ghodsi说道" after "Ali Ghodsi": a lone Latin surname is that person."""
    people: dict[str, list[Sense]] = {}
    for m in ments:
        if m.senses and m.chosen.type == "Person":
            words = m.chosen.name.split()
            if len(words) >= 2 and words[-1][:1].isupper():
                people.setdefault(words[-1], list(m.senses))
    for m in ments:
        if m.kind in ("latin", "cand") and m.text.strip() in people:
            m.senses = list(people[m.text.strip()])
            m.kind = "person"


def type_latin(ments: list[Ment]) -> None:
    """One type per unknown Latin name: the cue seen most often, else Product."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in ments:
        if m.kind == "latin" and m.senses[0].type:
            votes[m.senses[0].name.casefold()][m.senses[0].type] += 1
    for m in ments:
        if m.kind != "latin":
            continue
        v = votes.get(m.senses[0].name.casefold())
        name = m.senses[0].name
        if v:
            m.senses = [Sense(v.most_common(1)[0][0], name)]
        else:  # no cue anywhere: a product by default, a company if the text treats it as one
            m.senses = [Sense("Product", name), Sense("Vendor", name)]
            m.kind = "open"


def detect(text: str, masked: str, folded: str, hits: list[Hit], seg: Segmenter,
           tags: dict[str, str], gazetteer) -> list[Ment]:
    """All entity mentions of an article, overlaps resolved."""
    cat = hits_to_ments(text, hits)
    org_lookup = make_org_lookup(gazetteer)
    for m in cat:
        refine_catalog(m, text, folded, org_lookup)
    lat = latin_mentions(text, masked, folded, cat)
    latin_people(lat, folded)
    people = person_mentions(text, folded, seg, tags)
    orgs = org_mentions(text, folded, seg, tags) + cn_company_mentions(text, folded, seg, tags)
    ments = resolve_overlaps(cat + people + orgs + lat)
    ments = apply_glosses(ments, text, folded, seg, tags)
    ments = resolve_overlaps(ments)
    ments = propagate(ments, text, folded)
    adopt_short_forms(ments)
    surname_references(ments)
    ments = promote_listed(ments, folded)
    type_latin(ments)
    return sorted(ments, key=lambda m: m.start)

