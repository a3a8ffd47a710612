"""Argument finding for Chinese relation patterns.

A pattern finds a cue word (收购, 合作, 推出); the helpers here find its
arguments among the sentence's mentions: the nearest fitting name to the left
(the subject), the names right after it, lists joined by 、/和/及/以及, the
head of "X的Y", and what 其/它/该公司 stand for. Type fitting uses the schema
constraints, which is also how "Docker" is read as the company in one
relation and the product in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.nlp.linking.zh_link import resolve_pronoun
from ingest.nlp.mentions.zh_ner import Ment, Sense

ORGS = frozenset({"Vendor", "Organization"})
THINGS = frozenset({"Product", "Standard"})

BREAK = re.compile(r"[,;:!?。，；：\n]|——|--")
LIST_SEP = re.compile(
    r"^\s?(?:、|和|及|以及|与|或|跟|还有|,以及|,及|,和|,还有)\s?"
    r"(?![与和在对将为是被把从向让给由跟并而])[\u4e00-\u9fffA-Za-z\- ]{0,10}?\s?$"
)
#: a descriptor before a name: "数据湖公司Databricks", "云计算平台Quillstone"
DESCRIPTOR_GAP = re.compile(
    r"\s?(?:[\u4e00-\u9fff]{0,8}(?:公司|厂商|企业|巨头|平台|项目|工具|系统|服务|产品|芯片|处理器|"
    r"标准|协议|框架|数据库|基金会|组织|媒体))\s?"
)
#: a place or origin word before a name ("与南韩SK海力士竞争", "同美国思科"): not a break
PLACE_GAP = re.compile(
    r"\s?(?:南韩|韩国|美国|日本|中国大陆|中国|大陆|台湾|香港|欧洲|德国|法国|英国|瑞典|芬兰|荷兰|瑞士|以色列|印度|"
    r"新加坡|加拿大|国内|本土|海外|美系|日系|韩系|陆系|台系|欧美)\s?"
)
HEDGE = re.compile(r"传闻|据传|传言|或将|可能会?|考虑|有意|谈判|洽谈|据悉|消息称|不是真正|并非真正|不算真正|试图")
NEGATION = re.compile(r"否认|拒绝|放弃|取消|终止了?|未能|并未|没有|不会|不再|停止|无意|不打算|并不|不支持|是否|"
                      r"不是|并非|不在|从未|尚未|并无|暂无|尚无|毫无")
SOFT_NEGATION = re.compile(r"不是真正|并非真正|不算真正|不完全是|并不完全")


@dataclass
class Arg:
    """A relation argument: the mention it rests on and the sense it takes."""

    ment: Ment  # the mention of the entity (the antecedent, for 该公司/其)
    sense: Sense
    at: Ment | None = None  # the mention in the text where the argument sits

    def __post_init__(self) -> None:
        if self.at is None:
            self.at = self.ment


@dataclass
class Ctx:
    """What a pattern can see: the folded text and the article's mentions."""

    folded: str
    ments: list[Ment]  # all mentions of the article (entities, coref, pronouns), by start
    sent: tuple[int, int]
    sm: list[Ment]  # mentions inside the sentence
    topic: Arg | None = None  # the subject carried over from the previous sentence
    ents: list[Ment] | None = None  # ments without pronouns, by start (antecedent search)


def pick(ctx: Ctx, m: Ment, types: frozenset[str] | set[str]) -> Arg | None:
    """The sense of m that fits the types (following coreference), if any."""
    target = m
    if m.kind == "pron":
        if ctx.ents is None:
            ctx.ents = [x for x in ctx.ments if x.kind != "pron"]
        ante = _clause_initial_topic(ctx, m, types) or resolve_pronoun(m, ctx.ents, set(types))
        if ante is None:
            return None
        target = ante
    if target.kind == "coref" and target.ref is not None:
        target = target.ref
    if not target.senses:
        return None
    if target.chosen.type in types:
        return Arg(target, target.chosen, m)
    for s in target.senses:
        if s.type in types:
            return Arg(target, s, m)
    return None


_CLAUSE_INITIAL = re.compile(
    r"[,;:]\s?(?:而|但|也|则|还|并|同时|此外|目前|如今|(?:以|并|从而|进一步)?(?:加强|扩大|完善|提升|巩固|丰富|强化|扩展|拓展))?\s?$")


def _clause_initial_topic(ctx: Ctx, p: Ment, types) -> Ment | None:
    """"X是Y的对手之一,它也…", "X宣布,其G1…": a pronoun opening a later clause
    stands for the sentence's subject, the first fitting name of the sentence."""
    if p.text.strip() not in ("它", "它们", "其"):
        return None
    start = ctx.sent[0]
    if not _CLAUSE_INITIAL.search(ctx.folded[max(ctx.sent[0], p.start - 5):p.start]):
        # "甲骨文此举将加剧其与X的竞争": the subject of the pronoun's own clause
        start = clause_start(ctx, p.start)
        first = next((m for m in ctx.sm if start <= m.start < p.start and m.kind not in ("pron", "coref")
                      and m.senses), None)
        if first is None or not (first.chosen.type in types or any(x.type in types for x in first.senses)):
            return None
        if re.search(r"(?:与|和|同|跟|向|对|为|给|把|将)\s?$", ctx.folded[max(start, first.start - 2):first.start]):
            return None  # the first name is an object, not the clause's subject
        return first
    for m in ctx.sm:
        if m.start >= p.start:
            return None
        if m.kind in ("pron", "coref") or not m.senses:
            continue
        if re.search(r"在[^,。在]{0,7}$", ctx.folded[max(ctx.sent[0], m.start - 8):m.start]):
            continue  # "在X平台上": a place, not the subject
        if m.chosen.type in types or any(s.type in types for s in m.senses):
            return m
        if m.chosen.type in ("Vendor", "Organization", "Person"):
            return None  # the subject is of another kind: no guess
    return None


def gap(ctx: Ctx, a: int, b: int) -> str:
    return ctx.folded[a:b] if b >= a else ""


def left_of(ctx: Ctx, pos: int, types: frozenset[str] | set[str], *, max_gap: int = 40,
            cross_clause: bool = True, exclude: tuple[Ment, ...] = (), pronouns: bool = True) -> Arg | None:
    """Nearest mention ending before pos (in the sentence) with a fitting sense."""
    for m in reversed(ctx.sm):
        if m.end > pos or m in exclude:
            continue
        g = gap(ctx, m.end, pos)
        if len(g) > max_gap:
            return None
        if not cross_clause and BREAK.search(g):
            return None
        if m.kind == "pron" and not pronouns:
            continue
        a = pick(ctx, m, types)
        if a is not None:
            return a
    return None


def right_of(ctx: Ctx, pos: int, types: frozenset[str] | set[str], *, max_gap: int = 12,
             exclude: tuple[Ment, ...] = (), descr: bool = True) -> Ment | None:
    """First mention starting after pos within max_gap, no clause break between."""
    for m in ctx.sm:
        if m.start < pos or m in exclude or m.kind == "pron":
            continue
        g = gap(ctx, pos, m.start)
        if (len(g) > max_gap and not (descr and (DESCRIPTOR_GAP.fullmatch(g) or PLACE_GAP.fullmatch(g)))) \
                or BREAK.search(g):
            return None
        if pick(ctx, m, types) is not None:
            return m
        # a mention of the wrong type in between ends the search
        return None
    return None


def head_of(ctx: Ctx, m: Ment, types: frozenset[str] | set[str]) -> Ment:
    """In "X的Y" (微软的 TypeScript) the head is Y."""
    for n in ctx.sm:
        if n.start >= m.end:
            g = gap(ctx, m.end, n.start)
            if re.fullmatch(r"\s?的\s?", g) and pick(ctx, n, types) is not None:
                return head_of(ctx, n, types)
            if not g.strip() and _maker_glued(m, n) and pick(ctx, n, types) is not None:
                return n  # "英伟达H20": the maker's product
            break
    return m


def _maker_glued(m: Ment, n: Ment) -> bool:
    """A company name glued to a product it makes ("高通骁龙", "英伟达H20")."""
    if not m.senses or not n.senses or m.chosen.type != "Vendor" or len(m.senses) > 1:
        return False
    p = n.chosen
    return p.type == "Product" and (p.maker == m.chosen.name or not p.maker and not p.in_catalog)


def list_from(ctx: Ctx, first: Ment, types: frozenset[str] | set[str]) -> list[Ment]:
    """first and the names listed after it ("A、B和C")."""
    out = [first]
    cur = first
    for n in ctx.sm:
        if n.start < cur.end or n is cur or n.kind == "pron":
            continue
        g = gap(ctx, cur.end, n.start)
        if not LIST_SEP.match(g):
            break
        if pick(ctx, n, types) is None:
            break
        out.append(n)
        cur = n
    return out


def list_before(ctx: Ctx, last: Ment, types: frozenset[str] | set[str]) -> list[Ment]:
    """last and the names listed before it ("腾讯、百度和阿里巴巴")."""
    out = [last]
    cur = last
    for n in reversed(ctx.sm):
        if n.end > cur.start or n.kind == "pron":
            continue
        g = gap(ctx, n.end, cur.start)
        if not re.fullmatch(r"\s?(?:、|,|和|及|以及|与|跟)\s?", g):
            break
        if pick(ctx, n, types) is None:
            break
        out.insert(0, n)
        cur = n
    return out


def clause_start(ctx: Ctx, pos: int) -> int:
    """Start of the clause containing pos (inside the sentence)."""
    s0 = ctx.sent[0]
    seg = ctx.folded[s0:pos]
    ends = [m.end() for m in BREAK.finditer(seg)]
    return s0 + ends[-1] if ends else s0


RUMOR = re.compile(r"传出|传闻|据传|传言|报道|消息称|市场消息|外传")
DENIED = re.compile(r"不予置评|不予评论|不作评论|不予回应|否认|澄清|不属实|并无此事|"
                    r"没有(?:任何)?(?:这样|此类|类似|相关)的?(?:计划|规划|打算|安排)")
_NEXT_SENT = re.compile(r"[^。!?\n]*[。!?\n]?")


def _denied(ctx: Ctx, cue_start: int) -> bool:
    """A denial or no-comment in the rest of the sentence or the next one."""
    end = ctx.sent[1]
    nxt = _NEXT_SENT.match(ctx.folded, min(len(ctx.folded), end + 1))
    stop = nxt.end() if nxt else end
    return DENIED.search(ctx.folded, cue_start, stop) is not None


def modality(ctx: Ctx, cue_start: int) -> float | None:
    """Confidence factor from the clause before a cue: None when negated."""
    s = clause_start(ctx, cue_start)
    window = ctx.folded[max(s, cue_start - 14):cue_start]
    if SOFT_NEGATION.search(ctx.folded[s:cue_start]):
        return 0.5  # "不是真正与X竞争" still says they compete, with a shrug
    if NEGATION.search(window):
        return None
    if RUMOR.search(ctx.folded, ctx.sent[0], ctx.sent[1]) and _denied(ctx, cue_start):
        return None  # "市场传出X将收购Y, X对此不予置评": a rumour the parties deny or will not confirm
    if HEDGE.search(ctx.folded[s:cue_start]):
        return 0.5
    return 1.0
