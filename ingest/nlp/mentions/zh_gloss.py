"""Glosses and repeated names: "萨蒂亚·纳德拉(Satya Nadella)", "(简称GKE)".

A Latin name in brackets after a Chinese one names the same entity (and gives
it its English canonical name); an abbreviation becomes an alias. A name found
once by its context (a title, a cue) is then found wherever else it occurs.
"""

from __future__ import annotations

import re

from ingest.nlp.mentions.zh_ner import (
    Ment,
    Sense,
    cue_type,
)
from ingest.nlp.text.zh_seg import Segmenter
from ingest.nlp.text.zh_text import CJK, Occupancy

_GLOSS = re.compile(r"\s?\(\s?([A-Za-z][^()\n]{0,80}?)\s?\)")
_ABBR = re.compile(r"(?:简称|缩写为?|以下简称|又称)\s?[\"“]?([A-Za-z][A-Za-z0-9\-\+]{1,20})")

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
            elif (head := _named_body_before(seg, tags, g.start(), text, folded, eng)) is not None:
                gm.senses, gm.kind = list(head.senses), "gloss"  # "全球电池联盟(GBA)"
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


_BODY_SUFFIX = re.compile(r"(?:联盟|协会|学会|委员会|基金会|联合会|组织|研究院|研究所|实验室|学院|大学)$")
_STOP_TAGS = ("v", "p", "c", "u", "d", "r", "m", "q", "f", "t", "y", "e", "o", "z")


def _named_body_before(seg: Segmenter, tags: dict[str, str], pos: int, text: str, folded: str,
                       eng: str) -> Ment | None:
    """A body named by ordinary words and glossed by its acronym ("全球电池联盟(GBA)"):
    the words back to the verb or particle before them, as an Organization."""
    if not re.fullmatch(r"[A-Z][A-Za-z0-9&\-]{1,11}", eng):
        return None
    end = pos - 1 if folded[pos - 1:pos] == " " else pos
    toks = seg.token_before(end, 12)
    if not toks or toks[-1].end != end or not _BODY_SUFFIX.search(toks[-1].text):
        return None
    start = toks[-1].start
    for t in reversed(toks[:-1]):
        tag = tags.get(t.text) or ""
        if t.end != start or not re.fullmatch(f"[{CJK}]+", t.text) or tag.startswith(_STOP_TAGS):
            break
        start = t.start
        if end - start >= 10:
            break
    if end - start < 4:
        return None
    return Ment(start, end, text[start:end], [Sense("Organization", eng)], "gloss")


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
            surface = folded[m.start:m.end]
            known.setdefault(surface, list(m.senses))
            name = m.senses[0].name if m.senses else ""
            if m.kind == "latin" and len(name) >= 2 and surface.startswith(name):
                known.setdefault(name, list(m.senses))  # "Zentra" after "Zentra公司"
    if not known:
        return ments
    glossed = {folded[m.start:m.end]: m.senses for m in ments if m.kind == "gloss"}
    for m in ments:  # "GKE" seen before "(…简称GKE)" explained it
        if m.kind == "latin" and folded[m.start:m.end] in glossed:
            m.senses = list(glossed[folded[m.start:m.end]])
            m.kind = "gloss"
    occ = Occupancy(len(folded))
    for m in ments:
        if m.kind != "cand":
            occ.take(m.start, m.end)
    out = list(ments)
    mixed = {k for k, v in glossed.items() if re.search(r"[A-Za-z]", k) and re.search(f"[{CJK}]", k)}
    starts = sorted(out, key=lambda m: m.start)
    rx = re.compile("|".join(re.escape(k) for k in sorted(known, key=len, reverse=True)))
    for hit in rx.finditer(folded):
        s, e = hit.span()
        key = hit.group(0)
        if not occ.free(s, e):
            # a glossed mixed name ("Pivotal容器服务") wins over the shorter names inside it
            inner = [m for m in starts if m.start < e and s < m.end]
            if key not in mixed or not inner or any(m.start < s or m.end > e or m.kind == "gloss" for m in inner):
                continue
            for m in inner:
                out.remove(m)
            occ.used[s:e] = bytes(e - s)
        if re.match(r"[A-Za-z0-9]", key[0]) and s > 0 and re.match(r"[A-Za-z0-9]", folded[s - 1]):
            continue
        if re.search(r"[A-Za-z0-9]$", key) and e < len(folded) and re.match(r"[A-Za-z0-9]", folded[e]):
            continue
        out.append(Ment(s, e, text[s:e], list(known[key]), "person" if known[key][0].type == "Person"
                        else "latin"))
        occ.take(s, e)
    return [m for m in out if m.kind != "cand" or occ.free(m.start, m.end)]


_SURNAME_SET: set[str] = set()


