"""Assemble all mentions of a Chinese article (catalog and beyond).

Order of trust: catalog names first, then names with explicit form (foreign
names joined by '·', a name right after a title, a Latin name glossing a
Chinese one), then Latin runs typed by their context words. Overlaps are
resolved by that order, then by length.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ingest.nlp.zh_match import Hit, matcher_for
from ingest.nlp.zh_ner import (
    _COUNTRY_PREFIX,
    _GENERIC_ORG_PREFIX,
    _MEDIA_AFTER,
    _MEDIA_BEFORE,
    _MEDIA_BOOK,
    _PRESS,
    _TITLE_AFTER,
    _TITLE_BEFORE,
    LEAD_TITLES,
    ORG_SUFFIX,
    OTHER_TITLES,
    Ment,
    Sense,
    cue_type,
    dot_names,
    hits_to_ments,
    is_name_token,
    latin_runs,
    plausible_latin_name,
    split_generic,
    strip_version,
)
from ingest.nlp.zh_seg import Segmenter, Tok
from ingest.nlp.zh_text import CJK

PRIORITY = {"open": 3, "cand": 6, "cat": 0, "weak": 0, "gloss": 0, "ext": 0, "person": 1, "event": 1, "org": 2, "latin": 3, "media": 2}

_YEAR_AFTER = re.compile(r"\s?((?:19[89]|20[0-4])\d)(?!\d)")
_YEAR_BEFORE = re.compile(r"((?:19[89]|20[0-4])\d)\s?年\s?$")
_EVENT_SUFFIX = re.compile(r"\s?(?:大会|峰会|年会|开发者大会|技术大会|博览会|展会)")
_VERSION_AFTER = re.compile(r"\s?[vV]?\d+(?:\.\d+)+(?![\d.])|\s[vV]?\d{1,2}(?![\d.年月日%])")
_VENDOR_SUFFIX = re.compile(r"\s?(?:(?:有限)?公司|Inc\b\.?|集团|Corp\b\.?)")
_HOLDING_SUFFIX = re.compile(r"\s?控股(?!股)")
_COMMUNITY_SUFFIX = re.compile(r"\s?(社区|社群|基金会)")
_EVENT_NAME = re.compile(r"(?:Con|Conf|Summit|World|world|Expo|Forum|Days|Week|Live|Connect|Ignite|Invent)$")
_GLOSS = re.compile(r"\s?\(\s?([A-Za-z][^()\n]{0,80}?)\s?\)")
_ABBR = re.compile(r"(?:简称|缩写为?|以下简称|又称)\s?[\"“]?([A-Za-z][A-Za-z0-9\-\+]{1,20})")


def _overlaps(a: Ment, b: Ment) -> bool:
    return a.start < b.end and b.start < a.end


def resolve_overlaps(ments: list[Ment]) -> list[Ment]:
    """Keep the most trusted, then longest, of overlapping mentions."""
    ranked = sorted(ments, key=lambda m: (PRIORITY.get(m.kind, 5), -(m.end - m.start), m.start))
    kept: list[Ment] = []
    used: set[int] = set()
    for m in ranked:
        span = range(m.start, m.end)
        if not any(i in used for i in span):
            kept.append(m)
            used.update(span)
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
    if "Product" in types and len(types) == 1:
        ver = _VERSION_AFTER.match(rest)
        if ver and re.search(r"[A-Za-z0-9]$", m.text):
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
    for run in latin_runs(masked):
        inside = [c for c in cat_sorted if c.start < run.end and run.start < c.end]
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
            if y and _EVENT_NAME.search(p.text[: y.start()]):
                out.append(Ment(p.start, p.end, text[p.start:p.end], [Sense("Event", p.text)], "event"))
                continue
            org = _ORG_TAIL.match(folded, p.end)
            if org:  # "Vexor基金会": the body, named as written
                e = org.end()
                out.append(Ment(p.start, e, text[p.start:e], [Sense("Organization", text[p.start:e])], "org"))
                continue
            out.append(Ment(p.start, p.end, text[p.start:p.end], [Sense(cue or "", name)], "latin"))
    return out


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


# ---------------------------------------------------------------- people


_TITLE_ANY = re.compile(rf"(?<!副)(?:{LEAD_TITLES}|{OTHER_TITLES})(?:兼(?:{LEAD_TITLES}))*\s?")


def _name_at_start(toks: list[Tok], tags: dict[str, str]) -> tuple[int, int] | None:
    """A person's name made of the first token(s) of a window, if any."""
    if not toks:
        return None
    t = toks[0]
    if is_name_token(t.text, tags):
        return (t.start, t.end)
    if (len(t.text) == 1 and t.text in _SURNAME_SET and len(toks) > 1
            and 1 <= len(toks[1].text) <= 2 and toks[1].start == t.end
            and all("\u4e00" <= c <= "\u9fff" for c in toks[1].text)
            and (tags.get(toks[1].text) or "n").startswith("n")):
        return (t.start, toks[1].end)  # "卢/泰文": jieba split an unknown name
    return None


def person_mentions(text: str, folded: str, seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """Foreign names with '·', and Chinese names next to a title."""
    out: list[Ment] = []
    for s, e in dot_names(folded):
        out.append(Ment(s, e, text[s:e], [Sense("Person", text[s:e])], "person"))
    for m in _TITLE_ANY.finditer(folded):
        cand = _name_at_start(seg.token_after(m.end(), 7), tags)
        if cand:
            s, e = cand
            out.append(Ment(s, e, text[s:e], [Sense("Person", text[s:e])], "person"))
    for m in _APPOINT.finditer(folded):  # "任命马晓轩为首席执行官"
        cand = _name_at_start(seg.token_after(m.end(), 7), tags)
        if cand and re.match(r"\s?(?:为|担任|出任)", folded[cand[1]:cand[1] + 3]):
            s, e = cand
            out.append(Ment(s, e, text[s:e], [Sense("Person", text[s:e])], "person"))
    for m in _TITLE_AFTER_ANY.finditer(folded):
        toks = seg.token_before(m.start(), 6)
        if toks and toks[-1].end == m.start():
            t = toks[-1]
            cand = None
            if is_name_token(t.text, tags):
                cand = (t.start, t.end)
            elif len(toks) > 1 and toks[-2].end == t.start and len(toks[-2].text) == 1 \
                    and toks[-2].text in _SURNAME_SET and 1 <= len(t.text) <= 2 and tags.get(t.text) is None:
                cand = (toks[-2].start, t.end)
            if cand:
                s, e = cand
                out.append(Ment(s, e, text[s:e], [Sense("Person", text[s:e])], "person"))
    return out


_APPOINT = re.compile(r"(?:任命|聘请|聘任|提名)\s?")
_TITLE_AFTER_ANY = re.compile(r"(?<=[\u4e00-\u9fff])(?:教授|博士|先生|女士|院士)")


def latin_people(ments: list[Ment], folded: str) -> None:
    """A Latin name after a title or before 教授/表示 is a person."""
    for m in ments:
        if m.kind != "latin":
            continue
        before = folded[max(0, m.start - 12):m.start]
        after = folded[m.end:m.end + 4]
        if _TITLE_BEFORE.search(before) or _TITLE_AFTER.match(after):
            words = m.text.split()
            if 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
                m.senses = [Sense("Person", m.senses[0].name)]
                m.kind = "person"


# ---------------------------------------------------------------- organisations and media


def org_mentions(text: str, folded: str, seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """Universities, foundations, associations named by suffix; press by 据X社报道."""
    out: list[Ment] = []
    for sm in ORG_SUFFIX.finditer(folded):
        toks = seg.token_before(sm.end(), 10)
        if not toks or toks[-1].end != sm.end():
            continue
        t = toks[-1]
        suffix_len = sm.end() - sm.start()
        if len(t.text) > suffix_len:
            s, e = t.start, t.end  # one token: "清华大学"
        else:
            if len(toks) < 2:
                continue
            p = toks[-2]
            if p.end != t.start or not re.fullmatch(f"[{CJK}]{{2,6}}", p.text):
                continue
            tag = tags.get(p.text)
            if tag is not None and not tag.startswith(("n", "j")):
                continue  # "联合实验室": a common word, not a name
            s, e = p.start, t.end
        name = folded[s:e]
        cm = _COUNTRY_PREFIX.match(name)
        if cm and len(name) - cm.end() >= 3:
            s += cm.end()
            name = folded[s:e]
        prefix = name[: len(name) - suffix_len]
        if not prefix or prefix in _GENERIC_ORG_PREFIX or len(prefix) < 2:
            continue
        out.append(Ment(s, e, text[s:e], [Sense("Organization", text[s:e])], "org"))
    for m in _PRESS.finditer(folded):
        s, e = m.span(1)
        out.append(Ment(s, e, text[s:e], [Sense("Organization", text[s:e])], "org"))
    for m in _MEDIA_BOOK.finditer(folded):
        s, e = m.span(1)
        if _MEDIA_BEFORE.search(folded[max(0, m.start() - 6):m.start()]) or _MEDIA_AFTER.match(
                folded[m.end():m.end() + 6]):
            out.append(Ment(s, e, text[s:e], [Sense("Organization", text[s:e])], "media"))
    return out


_CO_AFTER = re.compile(r"(?:有限)?公司|集团|科技|汽车|电子|半导体|资本|控股")
_CO_BEFORE = re.compile(r"(?:初创|创业|科技|软件|芯片|汽车|互联网)?公司\s?|名为\s?")
_NAME_TAGS = ("nr", "nz", "nt")


_JARGON_TAILS = frozenset({"ai", "ml", "iot", "vr", "ar", "xr", "app", "apps", "web"})
_FUNCTION_CHARS = set("由其该这此被对在与和为将把从向给以及或并而但也都就还又再已曾")


def _unknown_name(tok: Tok, tags: dict[str, str]) -> bool:
    """A jieba token that is no common word: unknown to the dictionary or tagged as a name."""
    if not re.fullmatch(f"[{CJK}]{{2,4}}", tok.text) or tok.text[0] in _FUNCTION_CHARS:
        return False
    tag = tags.get(tok.text)
    return tag is None or tag.startswith(_NAME_TAGS)


def cn_company_mentions(text: str, folded: str, seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """Chinese company names the catalog lacks: "蔚来公司", "公司集度", "一家名为集度的公司".

    Only a word jieba does not know (or tags as a name) counts, so "科技公司"
    and "这家公司" stay generic.
    """
    out: list[Ment] = []
    for m in _CO_AFTER.finditer(folded):
        toks = seg.token_before(m.start(), 6)
        if not toks or toks[-1].end != m.start() or not _unknown_name(toks[-1], tags):
            continue
        t = toks[-1]
        if folded[m.start():m.end()] in ("公司", "有限公司"):
            out.append(Ment(t.start, m.end(), text[t.start:m.end()], [Sense("Vendor", text[t.start:t.end])], "org"))
        else:
            out.append(Ment(t.start, m.end(), text[t.start:m.end()], [Sense("Vendor", text[t.start:m.end()])],
                            "org"))
    for m in _CO_BEFORE.finditer(folded):
        if folded[max(0, m.start() - 1):m.start()] in set("该这此本贵我其母子分各两三多一每那家"):
            continue  # "该公司史上": an anaphor, not a descriptor
        toks = seg.token_after(m.end(), 6)
        if not toks or toks[0].start != m.end() or not _unknown_name(toks[0], tags):
            continue
        t = toks[0]
        if m.group(0).startswith("名为") and not folded.startswith("的", t.end):
            continue
        out.append(Ment(t.start, t.end, text[t.start:t.end], [Sense("Vendor", text[t.start:t.end])], "org"))
    return out


# ---------------------------------------------------------------- glosses


def apply_glosses(ments: list[Ment], text: str, folded: str, seg: Segmenter,
                  tags: dict[str, str]) -> list[Ment]:
    """'萨蒂亚·纳德拉(Satya Nadella)': the Latin gloss names the same entity.

    The gloss becomes the canonical name of a non-catalog mention (or the
    catalog sense it names is given to the Chinese mention), and an
    abbreviation ("简称GKE") becomes an alias.
    """
    by_end = {m.end: m for m in ments}
    by_start = {m.start: m for m in ments}
    added: list[Ment] = []
    for g in _GLOSS.finditer(folded):
        inner = g.group(1)
        gs = g.start(1)
        eng = re.split(r"[,;，；]", inner)[0].strip()
        if not eng or len(eng) > 60:
            continue
        head = _mention_before(by_end, g.start(), folded)
        gm = by_start.get(gs)
        if head is None and gm is not None and gm.kind not in ("cand",):
            head = _gloss_head(eng, g.start(), text, folded, seg, tags, gm)
            if head is not None:
                added.append(head)
        if head is None and (gm is None or gm.kind in ("cand", "latin")) and gm is not None:
            # "Linux内核项目(LKP)": a known name + descriptor, glossed by an acronym
            head = _described_head(ments, g.start(), text, folded, eng)
            if head is not None:
                gm.senses, gm.kind = list(head.senses), "gloss"
                added.append(head)
            elif _common_phrase_before(seg, tags, g.start(), folded):
                gm.kind = "cand"  # "基础设施即代码(IaC)": jargon spelled out, not a name
        if head is None:
            continue
        if gm is not None and gm.kind == "cat" and head.kind != "cat":
            head.senses = list(gm.senses)
            head.kind = "gloss" if head.kind not in ("person",) else head.kind
        elif head.kind != "cat":
            if gm is not None and gm.kind in ("latin", "ext", "person") and len(gm.text) >= len(eng):
                gm.senses = list(head.senses)
            base = head.senses[0]
            head.senses = [Sense(base.type or "Product", eng)]
            if gm is not None and gm.kind != "cat":
                gm.senses = list(head.senses)
        for am in _ABBR.finditer(inner):
            a = am.group(1)
            s = gs + am.start(1)
            old = by_start.get(s)
            if old is None or old.kind != "cat":
                if old is not None:
                    ments.remove(old)
                added.append(Ment(s, s + len(a), text[s:s + len(a)], list(head.senses), "gloss"))
    return ments + added


def _gloss_head(eng: str, pos: int, text: str, folded: str, seg: Segmenter,
                tags: dict[str, str], gm: Ment) -> Ment | None:
    """The Chinese name a Latin gloss explains: from the gloss's first word
    ("谷歌容器引擎(Google Kubernetes Engine)") or the uncommon word before it."""
    first = eng.split()[0]
    window = folded[max(0, pos - 16):pos]
    k = window.rfind(first)
    if k >= 0 and re.fullmatch(rf"[A-Za-z0-9 \-]*[{CJK}][{CJK}A-Za-z0-9 \-]*", window[k + len(first):] or "x"):
        s = pos - len(window) + k
        e = pos - 1 if folded[pos - 1] == " " else pos
        if e - s > len(first):
            return Ment(s, e, text[s:e], list(gm.senses), "gloss")
    end = pos - 1 if folded[pos - 1:pos] == " " else pos
    toks = seg.token_before(end, 8)
    tok = toks[-1] if toks and toks[-1].end == end else None
    if tok and re.fullmatch(f"[{CJK}]{{2,6}}", tok.text):
        tag = tags.get(tok.text)
        if tag is None or tag.startswith(("nr", "nz", "nt", "ns")):
            return Ment(tok.start, tok.end, text[tok.start:tok.end], list(gm.senses), "gloss")
    return None


_DESCRIBED = re.compile(rf"^\s?[{CJK}]{{0,6}}?(项目|平台|服务|系统|软件|框架|基金会|联盟|协会|委员会|协议|标准|规范|计划)\s?$")


def _described_head(ments: list[Ment], pos: int, text: str, folded: str, eng: str) -> Ment | None:
    """The span "known name + descriptor" before a gloss, as a new entity named by the gloss."""
    if not re.fullmatch(r"[A-Z][A-Za-z0-9\-\.]{1,14}", eng):
        return None
    for m in reversed(ments):
        if m.end > pos or m.kind == "cand":
            continue
        d = _DESCRIBED.match(folded[m.end:pos])
        if not d or pos - m.start > 20:
            return None
        typ = cue_type(folded, d.start(1), d.start(1)) or "Product"
        typ = {"项目": "Product", "计划": "Product"}.get(d.group(1), _SUFFIX_TYPE.get(d.group(1), typ))
        e = pos - 1 if folded[pos - 1] == " " else pos
        return Ment(m.start, e, text[m.start:e], [Sense(typ, eng)], "gloss")
    return None


_SUFFIX_TYPE = {"基金会": "Organization", "联盟": "Organization", "协会": "Organization",
                "委员会": "Organization", "协议": "Standard", "标准": "Standard", "规范": "Standard"}


def _common_phrase_before(seg: Segmenter, tags: dict[str, str], pos: int, folded: str) -> bool:
    """Whether the words right before a gloss are ordinary dictionary words."""
    end = pos - 1 if folded[pos - 1:pos] == " " else pos
    toks = seg.token_before(end, 8)
    if not toks or toks[-1].end != end or not re.fullmatch(f"[{CJK}]+", toks[-1].text):
        return False
    tag = tags.get(toks[-1].text)
    return tag is not None and not tag.startswith(("nr", "nz", "nt", "ns"))


def _mention_before(by_end: dict[int, Ment], pos: int, folded: str) -> Ment | None:
    m = by_end.get(pos)
    if m is None and pos > 0 and folded[pos - 1] == " ":
        m = by_end.get(pos - 1)
    return m


def propagate(ments: list[Ment], text: str, folded: str) -> list[Ment]:
    """Find further occurrences of names discovered by context (庫克 after its title)."""
    known: dict[str, list[Sense]] = {}
    for m in ments:
        if m.kind in ("person", "latin", "ext", "org", "gloss", "media") and len(m.text.strip()) >= 2:
            known.setdefault(folded[m.start:m.end], list(m.senses))
    if not known:
        return ments
    glossed = {folded[m.start:m.end]: m.senses for m in ments if m.kind == "gloss"}
    for m in ments:  # "GKE" seen before "(…简称GKE)" explained it
        if m.kind == "latin" and folded[m.start:m.end] in glossed:
            m.senses = list(glossed[folded[m.start:m.end]])
            m.kind = "gloss"
    taken = sorted((m.start, m.end) for m in ments if m.kind != "cand")
    out = list(ments)
    rx = re.compile("|".join(re.escape(k) for k in sorted(known, key=len, reverse=True)))
    for hit in rx.finditer(folded):
        s, e = hit.span()
        if any(a < e and s < b for a, b in taken):
            continue
        key = hit.group(0)
        if re.match(r"[A-Za-z0-9]", key[0]) and s > 0 and re.match(r"[A-Za-z0-9]", folded[s - 1]):
            continue
        if re.search(r"[A-Za-z0-9]$", key) and e < len(folded) and re.match(r"[A-Za-z0-9]", folded[e]):
            continue
        out.append(Ment(s, e, text[s:e], list(known[key]), "person" if known[key][0].type == "Person"
                        else "latin"))
        taken.append((s, e))
    return [m for m in out if m.kind != "cand" or not any(a < m.end and m.start < b for a, b in taken)]


_SURNAME_SET: set[str] = set()


def _init_surnames() -> None:
    from ingest.nlp.zh_ner import SURNAMES

    _SURNAME_SET.update(SURNAMES)


_init_surnames()


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
