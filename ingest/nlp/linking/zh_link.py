"""Linking for Chinese mentions: company-or-product senses, coreference, entities.

A name like "Docker" is the company where the words around it talk about a
company (公司, 收购, 合作, CEO, 战略, 融资) and the product where they talk about
software (技术, 容器, 版本, 运行, 镜像). Expressions like 该公司 or 后者 point
back to the nearest fitting entity. Finally mentions become `Entity` objects
keyed by (type, canonical name), with the surface forms as aliases.
"""

from __future__ import annotations

import bisect
import re

from ingest.nlp.mentions.zh_ner import Ment, Sense
from ingest.nlp.text.zh_text import Occupancy, sentences
from kg.model import Entity, Mention

VENDOR_CUES = re.compile(
    r"公司|收购|并购|合作|联手|携手|赞助|CEO|首席|创始|创办|董事|总裁|战略|融资|投资|估值|上市|裁员|员工|"
    r"高管|伙伴|财报|营收|收入|市值|股价|出售|卖给|聘请|团队|厂商|业务|商业|客户|宣布|表示|声明"
)
PRODUCT_CUES = re.compile(
    r"技术|容器|版本|运行|镜像|引擎|部署|安装|下载|环境|集群|功能|特性|漏洞|更新|代码|开源项目|"
    r"工具|平台|系统|软件|产品|使用|采用|支持|兼容|集成|整合|基于|之上|上运行|中运行|设备|用户"
)
_CLAUSE = re.compile(r"[,;:!?。，；：\n]")


def _window(folded: str, m: Ment, width: int = 10) -> tuple[str, str]:
    """Text before and after a mention, cut at clause punctuation."""
    before = folded[max(0, m.start - width):m.start]
    after = folded[m.end:m.end + width]
    b = _CLAUSE.split(before)[-1]
    a = _CLAUSE.split(after)[0]
    return b, a


def choose_senses(ments: list[Ment], folded: str) -> None:
    """Pick company vs product (and other) senses of ambiguous mentions from nearby words."""
    for m in ments:
        if len(m.senses) < 2:
            continue
        b, a = _window(folded, m)
        # the closest cue wins: after-cues first ("Docker 技术"), then before
        score = {"Vendor": 0.0, "Product": 0.0}
        for text, weight in ((a[:4], 3.0), (b[-4:], 2.0), (a, 1.0), (b, 1.0)):
            score["Vendor"] += weight * len(VENDOR_CUES.findall(text))
            score["Product"] += weight * len(PRODUCT_CUES.findall(text))
        pref = "Vendor" if score["Vendor"] > score["Product"] else "Product"
        m.cued = score["Vendor"] != score["Product"]
        for i, s in enumerate(m.senses):
            if s.type == pref:
                m.sense = i
                break
        else:
            m.sense = 0


# ---------------------------------------------------------------- abbreviations

_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,7}")
# between a long form and its abbreviation: "开放容器计划（OCP）", "开放容器计划 OCP", "…，简称 OCP"
_DEFINES = re.compile(r"\s*(?:\(\s*|[,，]?\s*(?:简称|又称|即)\s*)?")
_FUNCTION_WORDS = {"of", "and", "for", "the", "on", "in", "&"}


def _initials(form: str) -> set[str]:
    """Initials of a Latin name, with and without its small function words."""
    words = re.findall(r"[A-Za-z][\w-]*", form)
    return {"".join(w[0] for w in words).upper(),
            "".join(w[0] for w in words if w.lower() not in _FUNCTION_WORDS).upper()}


def _english_forms(sense: Sense, gazetteer) -> list[str]:
    forms = [sense.name]
    if gazetteer is not None and sense.in_catalog:
        for e in gazetteer.lookup(sense.name):
            if e.name == sense.name and e.type == sense.type:
                forms.extend(e.aliases)
    return [f for f in forms if re.fullmatch(r"[\x00-\x7f]+", f)]


def link_defined_abbreviations(ments: list[Ment], folded: str, gazetteer=None) -> None:
    """"开放容器计划（OCP）": an abbreviation written right after a long form whose English
    name it abbreviates means that long form's entity, whatever else the catalog files it
    under (OCP is also the Open Compute Project); every mention of it in the article follows."""
    base = sorted((m for m in ments if m.senses and m.kind not in ("coref", "pron")), key=lambda m: m.start)
    meaning: dict[str, Sense] = {}
    for long, short in zip(base, base[1:], strict=False):
        text = folded[short.start:short.end]
        if not _ACRONYM.fullmatch(text) or text in meaning or long.end > short.start:
            continue
        gap = folded[long.end:short.start]
        m = _DEFINES.fullmatch(gap)
        if m is None or "(" in gap and not folded[short.end:short.end + 2].lstrip().startswith(")"):
            continue
        sense = long.chosen
        if sense == short.chosen or _ACRONYM.fullmatch(sense.name):
            continue
        if any(text in _initials(f) for f in _english_forms(sense, gazetteer)):
            meaning[text] = sense
    if not meaning:
        return
    for m in base:
        sense = meaning.get(folded[m.start:m.end])
        if sense is not None:
            m.senses = [sense]
            m.sense = 0


# ---------------------------------------------------------------- coreference

VENDOR_ANAPHORA = r"该公司|这家公司|此公司|该厂商|这家厂商|该企业|这家企业|该集团|这家初创公司|该初创公司"
PRODUCT_ANAPHORA = (
    r"该产品|这款产品|这个产品|该平台|这个平台|该项目|这个项目|该服务|这项服务|该系统|该工具|这个工具|"
    r"该芯片|这款芯片|该处理器|该模型|这款手机|该手机|该应用|这款应用|该软件|这款软件|"
    r"这套[\u4e00-\u9fff]{0,4}(?:服务|平台|系统|方案|产品)|这款[\u4e00-\u9fff]{0,4}(?:服务|平台|系统|产品|软件)"
)
_ANAPHORA = re.compile(rf"(?P<v>{VENDOR_ANAPHORA})|(?P<p>{PRODUCT_ANAPHORA})|(?P<l>后者)")
_PRONOUN = re.compile(r"它们|他们|它|(?<![尤极与])其(?![中实次他余后间])")  # "其中", "其实" are not "its"


def _antecedent(ments: list[Ment], pos: int, types: set[str], skip: int = 0) -> Ment | None:
    """Nearest mention before pos (within ~400 chars) that can have one of the types."""
    lo, hi = 0, len(ments)
    while lo < hi:  # ments are sorted by start: skip those starting at or after pos
        mid = (lo + hi) // 2
        if ments[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    for m in reversed(ments[:lo]):
        if m.end > pos or m.kind in ("coref", "pron"):
            continue
        if pos - m.end > 400:
            return None
        mtypes = {m.chosen.type} if m.kind == "open" else m.types()
        if types & mtypes:
            if skip == 0:
                return m
            skip -= 1
    return None


def _topic_antecedent(ments: list[Ment], starts: list[int], pos: int, folded: str) -> Ment | None:
    """"该公司" is the company the discourse is about: the first company of its own
    sentence (before it), else of the sentence before ("微软收购了GitHub。该公司…" is 微软)."""
    spans = sentences(folded)
    here = bisect.bisect_right([a for a, _ in spans], pos) - 1
    if here < 0 or not spans[here][0] <= pos < spans[here][1]:
        return None
    for k in (here, here - 1):
        if k < 0:
            break
        a, b = spans[k]
        end = min(b, pos)
        lo = bisect.bisect_left(starts, a)
        first = next((m for m in ments[lo:bisect.bisect_left(starts, end)] if m.end <= end
                      and m.kind not in ("coref", "pron")
                      and "Vendor" in ({m.chosen.type} if m.kind == "open" else m.types())), None)
        if first is not None:
            return first
    return None


def coref_mentions(ments: list[Ment], text: str, folded: str) -> list[Ment]:
    """Mentions for 该公司 / 这套服务 / 后者 with their antecedents resolved."""
    out: list[Ment] = []
    base = sorted(ments, key=lambda m: m.start)
    starts = [m.start for m in base]
    occ = Occupancy(len(folded))
    for m in base:
        occ.take(m.start, m.end)
    for hit in _ANAPHORA.finditer(folded):
        s, e = hit.span()
        if not occ.free(s, e):
            continue
        if hit.group("v"):
            types = {"Vendor"}
        elif hit.group("p"):
            types = {"Product"}
        else:
            types = {"Product", "Standard"}
        ante = _topic_antecedent(base, starts, s, folded) if hit.group("v") else None
        ante = ante or _antecedent(base, s, types)
        if ante is None:
            continue
        senses = [x for x in ante.senses if x.type in types] or list(ante.senses)
        out.append(Ment(s, e, text[s:e], senses, "coref", ref=ante))
    for hit in _PRONOUN.finditer(folded):
        s, e = hit.span()
        if not occ.free(s, e):
            continue
        out.append(Ment(s, e, text[s:e], [], "pron"))
    return out


def resolve_pronoun(p: Ment, ments: list[Ment], types: set[str]) -> Ment | None:
    """The entity a pronoun (它/其/他们) stands for, given the types its slot needs."""
    return _antecedent(ments, p.start, types)


# ---------------------------------------------------------------- events

_RELATIVE_YEAR = re.compile(r"(?:今年|去年|明年|本届|上届|下届|前年)\s?$")


def settle_events(ments: list[Ment], folded: str) -> None:
    """A bare conference name is the edition named with a year in the article,
    unless it says 今年/去年 (then another edition: keep the bare name)."""
    editions: dict[str, Sense] = {}
    for m in ments:
        if m.kind == "coref" or not m.senses:
            continue
        s = m.chosen
        if s.type == "Event" and re.search(r"\s(?:19|20)\d\d$", s.name):
            editions.setdefault(s.name.rsplit(" ", 1)[0].casefold(), s)
    for m in ments:
        if not m.senses or m.chosen.type != "Event":
            continue
        s = m.chosen
        if re.search(r"\s(?:19|20)\d\d$", s.name):
            continue
        ed = editions.get(s.name.casefold())
        if ed is not None and not _RELATIVE_YEAR.search(folded[max(0, m.start - 4):m.start]):
            m.senses = [ed]
            m.sense = 0


# ---------------------------------------------------------------- entities


def build_entities(ments: list[Ment]) -> tuple[list[Entity], dict[int, str]]:
    """Entities from mentions; also a map id(mention) -> entity id."""
    ents: dict[tuple[str, str], Entity] = {}
    mid: dict[int, str] = {}
    for m in sorted(ments, key=lambda x: x.start):
        if m.kind in ("coref", "pron", "weak") or not m.senses:
            continue
        s = m.chosen
        if not s.type or not s.name:
            continue
        key = (s.type, s.name)
        ent = ents.get(key)
        if ent is None:
            ent = ents[key] = Entity(name=s.name, type=s.type, wikidata=s.wikidata or None,
                                     in_catalog=s.in_catalog)
        surface = " ".join(m.text.split())
        if surface and surface != s.name and surface not in ent.aliases:
            ent.aliases.append(surface)
        if re.search(r"[\u4e00-\u9fff]", surface) and "zh" not in ent.labels:
            ent.labels["zh"] = surface
        ent.mentions.append(Mention(m.start, m.end, m.text))
        mid[id(m)] = ent.id
    return list(ents.values()), mid


def sense_entity(s: Sense) -> Entity:
    """An entity for a sense chosen by a relation (no mention of its own yet)."""
    return Entity(name=s.name, type=s.type, wikidata=s.wikidata or None, in_catalog=s.in_catalog)
