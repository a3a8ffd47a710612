"""People, organisations and Chinese company names the catalog does not know.

A Chinese name is found by its frame: a title before it (董事长X, CEO X), a
suffix after it (X大学, X公司), a press phrase (据X社报道), or book-title
marks after a media word (媒体《X》). jieba decides where a name ends, and its
dictionary tells an unknown word (a likely name) from a common one.
"""

from __future__ import annotations

import re

from ingest.nlp.mentions.zh_ner import (
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
    SURNAMES,
    Ment,
    Sense,
    dot_names,
    is_name_token,
)
from ingest.nlp.text.zh_seg import Segmenter, Tok
from ingest.nlp.text.zh_text import CJK

_SURNAME_SET: set[str] = set(SURNAMES)

# ---------------------------------------------------------------- people


_TITLE_ANY = re.compile(rf"(?<!副)(?:{LEAD_TITLES}|{OTHER_TITLES})(?:兼(?:{LEAD_TITLES}))*\s?")


#: single characters that follow a name rather than end it (称, 说, 在, 今日 ...)
_NOT_NAME_END = set("的了在是和与及也将已曾又都还就被把对向从给为说称表示指透讲问答回介认强坦直等今昨明周于并则却仍即这那此近每")


def _name_at_start(toks: list[Tok], tags: dict[str, str]) -> tuple[int, int] | None:
    """A person's name made of the first token(s) of a window, if any."""
    if not toks:
        return None
    t = toks[0]
    if is_name_token(t.text, tags):
        if (len(t.text) == 2 and tags.get(t.text) is None and len(toks) > 1 and toks[1].start == t.end
                and len(toks[1].text) == 1 and "\u4e00" <= toks[1].text <= "\u9fff"
                and toks[1].text not in _NOT_NAME_END):
            return (t.start, toks[1].end)  # "王兴/兴": jieba cut the given name
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
    for m in _TITLE_AFTER_NAME.finditer(folded):  # "马晓轩董事长表示"
        toks = seg.token_before(m.start(), 6)
        if toks and toks[-1].end == m.start() and is_name_token(toks[-1].text, tags):
            t = toks[-1]
            out.append(Ment(t.start, t.end, text[t.start:t.end], [Sense("Person", text[t.start:t.end])], "person"))
    for m in _FOUNDING.finditer(folded):  # "马晓轩于1998年创立了…", "…由马晓轩创办"
        toks = seg.token_before(m.start(), 6)
        if toks and toks[-1].end == m.start() and is_name_token(toks[-1].text, tags):
            t = toks[-1]
            if m.group(0).startswith("于") or folded[max(0, t.start - 1):t.start] == "由":
                out.append(Ment(t.start, t.end, text[t.start:t.end], [Sense("Person", text[t.start:t.end])], "person"))
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


_TITLE_AFTER_NAME = re.compile(
    rf"(?<=[\u4e00-\u9fff])(?:{LEAD_TITLES})(?=\s?(?:表示|说|称|指出|认为|强调|透露|在|也|还|曾|,|。))"
)
_FOUNDING = re.compile(r"于\s?(?:19|20)\d\d\s?年\s?(?:联合)?(?:创立|创办|创建)|(?:联合)?(?:创立|创办|创建)")
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
            head = tags.get(t.text[: len(t.text) - suffix_len])
            if len(toks) >= 2 and head is not None and not head.startswith(_NAME_TAGS + ("ns",)):
                p = toks[-2]  # "慕尼黑/工业大学": a generic "工业大学" takes the place name before it
                if p.end == t.start and re.fullmatch(f"[{CJK}]{{2,5}}", p.text) and (
                        tags.get(p.text) is None or tags[p.text].startswith(_NAME_TAGS + ("ns",))):
                    s = p.start
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
            if tag is not None and not tag.startswith(_NAME_TAGS + ("ns",)):
                # "慕尼黑/工业/大学": a common word needs a name before it ("一所工业大学" is none)
                q = toks[-3] if len(toks) >= 3 else None
                if q is None or q.end != p.start or not re.fullmatch(f"[{CJK}]{{2,5}}", q.text) or not (
                        tags.get(q.text) is None or tags[q.text].startswith(_NAME_TAGS + ("ns",))):
                    continue
                s = q.start
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


_CO_AFTER = re.compile(r"(?:有限)?公司|集团|科技|汽车|电子|半导体|资本|控股|电信|电讯|通信|通讯")
_CO_BEFORE = re.compile(r"(?:初创|创业|科技|软件|芯片|汽车|互联网)?公司\s?|名为\s?")
_NAME_TAGS = ("nr", "nz", "nt")


_FUNCTION_CHARS = set("由其该这此被对在与和为将把从向给以及或并而但也都就还又再已曾于")


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
        if folded[max(0, m.start() - 1):m.start()] in set("该这此本贵我其母子分各两三多一每那家是在"):
            continue  # "该公司史上": an anaphor, not a descriptor
        toks = seg.token_after(m.end(), 6)
        if not toks or toks[0].start != m.end() or not _unknown_name(toks[0], tags):
            continue
        t = toks[0]
        if m.group(0).startswith("名为") and not folded.startswith("的", t.end):
            continue
        out.append(Ment(t.start, t.end, text[t.start:t.end], [Sense("Vendor", text[t.start:t.end])], "org"))
    return out


