"""Relation rules about products and standards: who makes, backs, rivals,
integrates or carries what (Chinese cue words, see `zh_rel`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.nlp.mentions.zh_ner import Ment
from ingest.nlp.relations.zh_args import (
    BREAK,
    ORGS,
    THINGS,
    Arg,
    Ctx,
    clause_start,
    gap,
    head_of,
    left_of,
    list_before,
    list_from,
    modality,
    pick,
    right_of,
)
from ingest.nlp.relations.zh_rel_base import (
    PERSON,
    VENDOR,
    Cand,
    _mk,
    _sent_rx,
    _subject,
    _topic,
    head_list,
    subject_group,
    thing_after,
)

# ------------------------------------------------------------------ develops

DEV_CUE = re.compile(
    r"(?:推出|发布(?!会)|发表|开发(?!人员|者|商|团队|工具|环境|板|社区|大会|过程|周期|模式|语言|效率)|打造|"
    r"研发(?!人员|团队|中心|投入|费用)|研制|自研|设计(?!师)|上线|制造(?!商|业)|发明|发行(?!股|债|价|量|人))"
    r"(?:了|出)?|开源了"
)
DEV_BY = re.compile(r"(?:是)?由\s?")
DEV_BY_VERB = re.compile(r"^[^,;。]{0,30}?(开发|推出|打造|维护|研发|提出|设计|发明|创建|发起|主导|制造|出品|发布|制定|起草|编写)")
DEV_FROM = re.compile(r"出自|来自")
DEV_OWN = re.compile(r"(?:自带|自己|自家|自有|旗下|自主研发|自研)的?")


def rule_develops(ctx: Ctx) -> Iterator[Cand]:
    for m in _sent_rx(ctx, DEV_CUE):
        if ctx.folded[m.start() - 1:m.start()] == "由":
            continue
        first = right_of(ctx, m.end(), THINGS, max_gap=12)
        if first is not None and BASIS.match(gap(ctx, m.end(), first.start)):
            # "推出了基于RISC-V架构的X处理器": what is launched is X, not its basis
            first = _launched_after_basis(ctx, first)
        if first is None:
            c = _made_by(ctx, m)
            if c:
                yield c
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        objs = list_from(ctx, first, THINGS)
        s, conf = _subject(ctx, m.start(), ORGS | PERSON, 0.75 * mod, exclude=tuple(objs))
        for subj in _co_subjects(ctx, s, ORGS | PERSON, objs):
            for o in objs:
                c = _mk(ctx, subj, "develops", pick(ctx, o, THINGS), conf)
                if c:
                    yield c
    for m in _sent_rx(ctx, re.compile(r"(?:将|把)\s?")):  # "谷歌将Y开源"
        y = right_of(ctx, m.end(), THINGS, max_gap=0)
        if y is None or not re.match(r"\s?(?:正式|全面|完全)?开源", gap(ctx, y.end, y.end + 6)):
            continue
        s, conf = _subject(ctx, m.start(), ORGS | PERSON, 0.7, exclude=(y,))
        c = _mk(ctx, s, "develops", pick(ctx, y, THINGS), conf)
        if c:
            yield c
    for m in _sent_rx(ctx, DEV_BY):
        tail = ctx.folded[m.end():ctx.sent[1]]
        v = DEV_BY_VERB.match(tail)
        if not v:
            continue
        verb_at = m.end() + v.start(1)
        maker = left_of(ctx, verb_at, ORGS | PERSON, max_gap=10, cross_clause=False)
        if maker is None or maker.at.start < m.end():
            # "由固态技术协会(JEDEC)于今年4月正式发布": the maker right after 由
            first = right_of(ctx, m.end(), ORGS | PERSON, max_gap=0)
            maker = pick(ctx, first, ORGS | PERSON) if first is not None and first.end <= verb_at else None
            if maker is None:
                continue
        thing = left_of(ctx, m.start(), THINGS, max_gap=40, cross_clause=False)
        if thing is None:
            # "由X开发的Y"
            after = right_of(ctx, verb_at, THINGS, max_gap=4)
            thing = pick(ctx, after, THINGS) if after else None
        makers = [maker]
        if maker.at in ctx.sm:  # "由X和Y联合开发": both make it
            makers = [a for a in (pick(ctx, n, ORGS | PERSON) for n in list_before(ctx, maker.at, ORGS | PERSON)
                                  if n.start >= m.end()) if a is not None] or [maker]
        for mk in makers:
            c = _mk(ctx, mk, "develops", thing, 0.8)
            if c:
                yield c
    for m in _sent_rx(ctx, DEV_FROM):
        maker_m = right_of(ctx, m.end(), ORGS | PERSON, max_gap=2)
        if maker_m is None:
            continue
        rest = gap(ctx, maker_m.end, maker_m.end + 12)
        if not re.match(r"\s?(?:之手|的?[\u4e00-\u9fff]{0,4}(?:项目|产品|技术|工具|平台|框架))", rest):
            continue
        thing = left_of(ctx, m.start(), THINGS, max_gap=14)
        c = _mk(ctx, pick(ctx, maker_m, ORGS | PERSON), "develops", thing, 0.75)
        if c:
            yield c
    for m in _sent_rx(ctx, DEV_OWN):
        thing_m = right_of(ctx, m.end(), THINGS, max_gap=8)
        if thing_m is None:
            continue
        s = left_of(ctx, m.start(), ORGS, max_gap=12, cross_clause=False)
        c = _mk(ctx, s, "develops", pick(ctx, thing_m, THINGS), 0.75)
        if c:
            yield c


BASIS = re.compile(r"^\s?(?:一款|一个|一套|新款|新的)?\s?(?:基于|采用|使用|支持|支援|兼容|搭载|面向|针对|符合)")


def _launched_after_basis(ctx: Ctx, basis: Ment) -> Ment | None:
    """The product after "基于X…的": the head of the phrase the basis modifies."""
    for n in ctx.sm:
        if n.start >= basis.end and n.kind != "pron":
            g = gap(ctx, basis.end, n.start)
            if "的" in g and len(g) <= 14 and not BREAK.search(g) and pick(ctx, n, THINGS):
                return n
            return None
    return None


def _made_by(ctx: Ctx, m: re.Match[str]) -> Cand | None:
    """"Kubernetes是谷歌开发的容器编排系统": the thing is before the maker."""
    if not ctx.folded.startswith("的", m.end()):
        return None
    maker = left_of(ctx, m.start(), ORGS | PERSON, max_gap=2, cross_clause=False)
    if maker is None:
        return None
    thing = left_of(ctx, maker.at.start, THINGS, max_gap=3, cross_clause=False, exclude=(maker.at,))
    if thing is None or not re.fullmatch(r"\s?(?:是|为|,|乃)\s?(?:由)?\s?", gap(ctx, thing.at.end, maker.at.start)):
        return None
    mod = modality(ctx, m.start())
    return _mk(ctx, maker, "develops", thing, 0.75 * mod) if mod else None


def _co_subjects(ctx: Ctx, s: Arg | None, types: frozenset[str], objs: list[Ment]) -> list[Arg]:
    """"与英特尔及微软联手推出X": the listed partners and the one who joins them."""
    if s is None:
        return []
    if s.at is None or s.at.kind == "pron" or s.at not in ctx.sm:
        return [s]
    listed = list_before(ctx, s.at, types)
    out = [a for a in (pick(ctx, m, types) for m in listed) if a is not None]
    first = listed[0]
    if re.search(r"(?:与|和|同|跟|联合|携手)\s?$", ctx.folded[max(ctx.sent[0], first.start - 3):first.start]):
        lead = left_of(ctx, first.start - 1, types, max_gap=60, exclude=tuple(listed) + tuple(objs))
        if lead is None and ctx.topic is not None and ctx.topic.sense.type in types:
            lead = ctx.topic
        if lead is not None:
            out.append(lead)
    return out or [s]


def rule_possessive(ctx: Ctx) -> Iterator[Cand]:
    """"微软Windows" / "苹果的 iOS": a maker's product is develops;
    a company's standard (a code scheme it backs) is supports."""
    for i, x in enumerate(ctx.sm[:-1]):
        y = ctx.sm[i + 1]
        g = gap(ctx, x.end, y.start)
        if not re.fullmatch(r"\s?(?:的)?\s?", g):
            continue
        if x.kind == "pron" and x.text.strip() not in ("其", "它的", "其自家"):
            continue
        xs = pick(ctx, x, ORGS)  # "其Azure云平台": its
        ys = pick(ctx, y, THINGS)
        if xs is None or ys is None:
            continue
        maker = ys.sense.maker
        if maker:
            if maker == xs.sense.name:
                c = _mk(ctx, xs, "develops", ys, 0.7)
            elif ys.sense.type == "Standard":
                c = _mk(ctx, xs, "supports", ys, 0.55)
            else:
                c = None
        elif ys.sense.type == "Standard":
            c = _mk(ctx, xs, "supports", ys, 0.55)
        elif xs.sense.type == "Vendor":
            c = _mk(ctx, xs, "develops", ys, 0.6 if not ys.sense.in_catalog else 0.5)
        else:
            c = None
        if c:
            yield c


# ------------------------------------------------------------------ competesWith

COMPETE_CUE = (r"竞争|抗衡|较量|对抗|争夺|对决|PK|角逐|争霸|叫板|一较高下|正面交锋|之争|之战|大战|混战|厮杀|"
               r"打擂台|难解难分|短兵相接|贴身肉搏|分庭抗礼")
COMPETE_WITH = re.compile(r"(?:与|和|同|跟)\s?")
RIVAL_OF = re.compile(r"的\s?(?:主要|最大的?|直接|头号)?(?:竞争对手|对手|竞品|替代品|替代方案)")
MORE_RIVALS = re.compile(r"[,;]\s?[^,;。]{0,8}?(?:则有|还有|也有|另有)\s?")
FACING = re.compile(r"面临(?:着)?(?:来自)?\s?")
VERSUS = re.compile(r"\s?(?:vs\.?|VS\.?|PK|对决|对阵)\s?")
SECOND_TO = re.compile(r"仅次于\s?")
BEATS = re.compile(r"(?:超越|超过|击败|打败|赶超|领先于|对标|挑战)(?:了)?\s?")
THREATEN = re.compile(r"(?:威胁|冲击|挑战|撼动|颠覆)(?:了|到)?\s?")
COMPETITORS = ORGS | THINGS


MUTUAL_RIVALS = re.compile(
    r"(?:都|均|一直|向来|互为|彼此)?\s?(?:是|为)\s?(?:多年的?|长期的?|最大的?|主要的?|直接的?|老牌的?)?\s?"
    r"(?:老|死|头号)?(?:竞争对手|对手|宿敌|冤家)"
)


def rule_mutual_rivals(ctx: Ctx) -> Iterator[Cand]:
    """"X和Y是多年的老对手", "X与Y互为竞争对手": the listed names are rivals of each other."""
    for m in _sent_rx(ctx, MUTUAL_RIVALS):
        last = left_of(ctx, m.start(), COMPETITORS, max_gap=2, cross_clause=False)
        if last is None or last.at not in ctx.sm or modality(ctx, m.end()) is None:
            continue
        group = [a for a in (pick(ctx, n, COMPETITORS) for n in list_before(ctx, last.at, COMPETITORS)) if a]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                c = _mk(ctx, a, "competesWith", b, 0.7)
                if c:
                    yield c


def rule_competes(ctx: Ctx) -> Iterator[Cand]:
    cue_rx = re.compile(COMPETE_CUE)
    consumed: set[int] = set()
    for m in _sent_rx(ctx, COMPETE_WITH):
        if m.start() in consumed:
            continue
        y = right_of(ctx, m.end(), COMPETITORS, max_gap=1)
        if y is None:
            continue
        heads = head_list(ctx, y, COMPETITORS)
        for h in heads[:-1]:
            consumed.update(range(h.end, h.end + 3))
        tail = heads[-1].end
        cue = cue_rx.search(ctx.folded, tail, min(ctx.sent[1], tail + 16))
        if cue is None or BREAK.search(gap(ctx, tail, cue.start())):
            continue
        if re.match(r"对手|力|优势", ctx.folded[cue.end():cue.end() + 2]) and "的" in gap(ctx, tail, cue.start()):
            continue  # "与X的竞争对手" is not X competing
        mod = modality(ctx, cue.start())
        if mod is None or modality(ctx, m.start()) is None:
            continue  # "并不是要和X竞争": the negation sits before 和, far from the cue
        s, conf = _subject(ctx, m.start(), COMPETITORS, 0.75 * mod, exclude=tuple(heads))
        if all(pick(ctx, h, THINGS) for h in heads) and not (
                s is not None and s.sense.type == "Vendor" and all(any(x.type == "Vendor" for x in h.senses)
                                                                   for h in heads)):
            # "推出了Bard,与ChatGPT竞争": products compete with products
            # (but a company against cloud brands that are companies too stays a company rivalry)
            t = left_of(ctx, m.start(), THINGS, max_gap=30, exclude=tuple(heads), pronouns=False)
            if t is not None:
                s = t
        subjects = [s]
        if s is not None and s.at in ctx.sm and s.at.kind != "pron":
            group = list_before(ctx, s.at, COMPETITORS) + list_from(ctx, s.at, COMPETITORS)[1:]
            subjects = [pick(ctx, x, COMPETITORS) for x in group if x not in heads]
        for subj in subjects:
            for h in heads:
                c = _mk(ctx, subj, "competesWith", pick(ctx, h, COMPETITORS), conf)
                if c:
                    yield c
    for m in _sent_rx(ctx, RIVAL_OF):
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        x = left_of(ctx, m.start(), COMPETITORS, max_gap=1, cross_clause=False)
        if x is None:  # "阿里云在国内的主要竞争对手"
            x = left_of(ctx, m.start(), COMPETITORS, max_gap=10, cross_clause=False)
            if x is None or not re.fullmatch(r"\s?在[\u4e00-\u9fff]{1,6}\s?", gap(ctx, x.at.end, m.start())):
                continue
        # Y(、Z)是X的竞争对手
        y = left_of(ctx, x.at.start, COMPETITORS, max_gap=4, cross_clause=False, exclude=(x.at,))
        if y is not None and re.search(r"是\s?$", gap(ctx, y.at.end, x.at.start)):
            for v in list_before(ctx, y.at, COMPETITORS):
                c = _mk(ctx, pick(ctx, v, COMPETITORS), "competesWith", x, 0.75 * mod)
                if c:
                    yield c
            continue
        if re.search(r"作为\s?$", ctx.folded[max(ctx.sent[0], x.at.start - 3):x.at.start]):
            # "作为X的主要竞争对手,Y此前推出了…": Y is the rival
            comma = re.match(r"[^,;。]{0,4}?,\s?", ctx.folded[m.end():ctx.sent[1]])
            y = right_of(ctx, m.end() + comma.end(), COMPETITORS, max_gap=4) if comma else None
            c = _mk(ctx, x, "competesWith", pick(ctx, y, COMPETITORS), 0.7 * mod) if y else None
            if c:
                yield c
            continue
        after = re.match(r"\s?(?:是|有|包括|如|:)?\s?", ctx.folded[m.end():])
        f = right_of(ctx, m.end() + (after.end() if after else 0), COMPETITORS, max_gap=2)
        if f is not None:
            for v in list_from(ctx, f, COMPETITORS):
                c = _mk(ctx, x, "competesWith", pick(ctx, v, COMPETITORS), 0.75 * mod)
                if c:
                    yield c
    for m in _sent_rx(ctx, FACING):
        y = right_of(ctx, m.end(), COMPETITORS, max_gap=6)
        if y is None:
            continue
        y = head_of(ctx, y, COMPETITORS)
        while True:  # "甲骨文Exadata平台的竞争": the last name before 的竞争
            nxt = right_of(ctx, y.end, COMPETITORS, max_gap=1)
            if nxt is None:
                break
            y = nxt
        if not re.match(r"^[\u4e00-\u9fff]{0,4}\s?的?\s?竞争", gap(ctx, y.end, y.end + 8)):
            continue
        x = _topic(ctx, COMPETITORS, exclude=(y,))
        c = _mk(ctx, x, "competesWith", pick(ctx, y, COMPETITORS), 0.7)
        if c:
            yield c
            # "…面临着X的竞争,开源领域则有Y": the rivals go on in the next clauses
            for more in MORE_RIVALS.finditer(ctx.folded, y.end, ctx.sent[1]):
                z = right_of(ctx, more.end(), COMPETITORS, max_gap=12)
                c2 = _mk(ctx, x, "competesWith", pick(ctx, z, COMPETITORS), 0.55) if z else None
                if c2:
                    yield c2
    for m in _sent_rx(ctx, VERSUS):
        x = left_of(ctx, m.start(), COMPETITORS, max_gap=0, cross_clause=False)
        y = right_of(ctx, m.end(), COMPETITORS, max_gap=0)
        if x is not None and y is not None:
            c = _mk(ctx, x, "competesWith", pick(ctx, y, COMPETITORS), 0.75)
            if c:
                yield c
    for m in _sent_rx(ctx, BEATS):  # "X超越Y", "X直接对标Y"
        y = right_of(ctx, m.end(), COMPETITORS, max_gap=0)
        if y is None:
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        ya = pick(ctx, y, COMPETITORS)
        same = ORGS if ya and ya.sense.type in ORGS else THINGS
        x = left_of(ctx, m.start(), same, max_gap=8, cross_clause=False, exclude=(y,))
        c = _mk(ctx, x, "competesWith", ya, 0.6 * mod)
        if c:
            yield c
    for m in _sent_rx(ctx, SECOND_TO):
        y = right_of(ctx, m.end(), ORGS, max_gap=1)
        if y is None or not re.match(r"\s?(?:之后)?的?\s?第[二三四2-4]", gap(ctx, y.end, y.end + 8)):
            continue
        x = left_of(ctx, m.start(), ORGS, max_gap=6, cross_clause=False)
        c = _mk(ctx, x, "competesWith", pick(ctx, y, ORGS), 0.7)
        if c:
            yield c
    for m in _sent_rx(ctx, THREATEN):
        y = right_of(ctx, m.end(), COMPETITORS, max_gap=8)
        if y is None or not re.match(r"\s?的?\s?(?:地位|霸主|统治|市场|生意|王座|核心业务|龙头)", gap(ctx, y.end, y.end + 6)):
            continue
        ya = pick(ctx, y, COMPETITORS)
        same = ORGS if ya and ya.sense.type in ORGS else THINGS
        x, _ = _subject(ctx, m.start(), same, 0.6, exclude=(y,))
        if x is not None and x.ment.cued and x.sense != x.ment.chosen:
            x = Arg(x.ment, x.ment.chosen, x.at)  # "容器技术X" stays the product
        if x is None:
            x = left_of(ctx, m.start(), COMPETITORS, max_gap=60, exclude=(y,))
        c = _mk(ctx, x, "competesWith", ya, 0.6)
        if c:
            yield c


# ------------------------------------------------------------------ supports

SUPPORT_CUE = re.compile(r"(?:宣布|将|已|正式|全面|开始|也|均|都|一直)?(?:支持|支援|采用|押宝|拥抱|兼容|力挺|押注|选择了|投票支持)(?:了)?\s?")
ADOPTS = re.compile(r"^(?:宣布|将|已|正式|全面|开始|也|均|都|一直)?(?:采用|选择了)")
GAIN_SUPPORT = re.compile(r"(?:获得|得到|受到)(?:了)?\s?")
SUPPORT_LIST = re.compile(r"支持的?[\u4e00-\u9fff]{0,6}?(?:环境|平台|系统|云|语言|框架)[^。]{0,12}?(?:包含|包括|有|涵盖)(?:了)?\s?")
LOCATIVE = re.compile(r"^\s?(?:平台|环境|系统|之)?\s?(?:中|上|里|内)\s?(?:支持|运行|部署|使用)\s?")
VOTE = re.compile(r"投(?:给|票给)?(?:了)?\s?")
DEVICE_MAKER = re.compile(r"^\s?(?:设备|手机|终端|硬件)?\s?(?:供应商|厂商|制造商|生产商)")
BACKERS = ORGS | THINGS


OFFERED_ON = re.compile(r"在\s?")


def _modified_head(ctx: Ctx, obj: Ment) -> Ment | None:
    """The product a relative clause describes: "支持X的Y服务" -> Y."""
    for n in ctx.sm:
        if n.start >= obj.end and n.kind != "pron":
            g = gap(ctx, obj.end, n.start)
            if re.fullmatch(r"\s?的\s?(?:[\u4e00-\u9fff]{0,4}(?:版本|产品|服务|平台|数据库|工具|芯片|系统))?\s?", g) \
                    and pick(ctx, n, THINGS) is not None:
                return n
            return None
    return None


def rule_supports(ctx: Ctx) -> Iterator[Cand]:
    # "MI250已被橡树岭国家实验室采用": the adopter supports it
    for m in _sent_rx(ctx, re.compile(r"被\s?")):
        x = right_of(ctx, m.end(), BACKERS, max_gap=2)
        if x is None or not re.match(r"\s?(?:所|广泛)?(?:采用|支持|支援|选用)", gap(ctx, x.end, x.end + 6)):
            continue
        y = left_of(ctx, m.start(), THINGS, max_gap=10, cross_clause=False)
        c = _mk(ctx, pick(ctx, x, BACKERS), "supports", y, 0.65)
        if c:
            yield c
    for m in _sent_rx(ctx, SUPPORT_CUE):
        mod = modality(ctx, m.start())
        if mod is None or re.search(r"不\s?$|是否\s?$", ctx.folded[m.start() - 2:m.start()]):
            continue
        first = thing_after(ctx, m.end(), max_gap=2)
        if first is None:
            continue
        objs = list_from(ctx, first, THINGS)
        # "在Azure平台中支持Kafka": the place is not the backer
        excl = list(objs)
        for n in ctx.sm:
            if n.end <= m.start() and LOCATIVE.match(gap(ctx, n.end, m.end())):
                excl.append(n)
        s, conf = _subject(ctx, m.start(), BACKERS, 0.7 * mod, exclude=tuple(excl))
        rel = _modified_head(ctx, objs[-1])
        if rel is not None:  # "兼容Kafka的Quillstone服务": the thing so described backs it
            s = pick(ctx, rel, THINGS)
        for subj in subject_group(ctx, s, BACKERS, tuple(excl)):  # "华为和小米的手机都支持5G"
            for o in objs:
                oa = pick(ctx, o, THINGS)
                # a product adopting another product (a phone using a chip) has it inside
                pred = ("integratesWith" if subj.sense.type == "Product" and oa is not None
                        and oa.sense.type == "Product" and ADOPTS.match(m.group(0)) else "supports")
                c = _mk(ctx, subj, pred, oa, conf)
                if c:
                    yield c
    for m in _sent_rx(ctx, GAIN_SUPPORT):
        x = right_of(ctx, m.end(), BACKERS, max_gap=1)
        if x is None or not re.match(r"^[\u4e00-\u9fff]{0,4}?的?\s?(?:[\u4e00-\u9fff]{0,2})支持",
                                     gap(ctx, x.end, x.end + 8)):
            continue
        y = _topic(ctx, THINGS, exclude=(x,))
        if y is None:
            continue
        c = _mk(ctx, pick(ctx, x, BACKERS), "supports", y, 0.65)
        if c:
            yield c
    for m in _sent_rx(ctx, SUPPORT_LIST):
        first = right_of(ctx, m.end(), THINGS | ORGS, max_gap=2)
        if first is None:
            continue
        s = _topic(ctx, BACKERS)
        for o in list_from(ctx, first, THINGS | ORGS):
            a = pick(ctx, o, THINGS)
            if a is None:  # a company listed among platforms: skip
                continue
            c = _mk(ctx, s, "supports", a, 0.65)
            if c:
                yield c
    for m in _sent_rx(ctx, VOTE):
        target = right_of(ctx, m.end(), THINGS | ORGS, max_gap=6)
        if target is None:
            continue
        target = head_of(ctx, target, THINGS)
        t = pick(ctx, target, THINGS)
        if t is None:
            continue
        cs = clause_start(ctx, m.start())
        for v in ctx.sm:
            if cs <= v.start and v.end <= m.start() and v.kind != "pron":
                a = pick(ctx, v, ORGS)
                if a is not None:
                    c = _mk(ctx, a, "supports", t, 0.6)
                    if c:
                        yield c
    # "X是(仅次于Y的)第二大Windows设备供应商": device makers back the platform
    for i, p in enumerate(ctx.sm):
        pa = pick(ctx, p, THINGS)
        if pa is None or not DEVICE_MAKER.match(gap(ctx, p.end, p.end + 8)):
            continue
        cs = clause_start(ctx, p.start)
        for v in ctx.sm[:i]:
            if v.start >= cs:
                a = pick(ctx, v, VENDOR)
                if a is not None:
                    c = _mk(ctx, a, "supports", pa, 0.6)
                    if c:
                        yield c


# ------------------------------------------------------------------ integratesWith

RUNS_ON = re.compile(r"(?:运行|部署|构建|跑|建立|搭建)(?:在|于)\s?")
ON_TOP = re.compile(r"^\s?(?:平台|环境|系统)?\s?(?:之)?\s?(?:上|中|之上)")
BASED_ON = re.compile(r"(?:基于|以)\s?")
BASED_TAIL = re.compile(r"^\s?(?:环境|平台|系统|架构|标准|协议|技术|框架)?\s?(?:为基础|为核心|为底层|构建|开发|打造|的)")
INTEGRATE = re.compile(r"(?:整合|集成|结合|融合|对接|打通|内置|嵌入|接入)(?:了)?\s?")
IS_EDITION = re.compile(r"^\s?是\s?(?:企业级|商业版|企业版|商业化的|托管的?|增强版的?|定制版的?)\s?")
IN_PLACE = re.compile(r"在\s?")
COMPONENT = re.compile(r"^\s?(?:组件|模块|插件)")


def rule_integrates(ctx: Ctx) -> Iterator[Cand]:
    # "TPU芯片仅在谷歌云上提供": runs on
    for m in _sent_rx(ctx, OFFERED_ON):
        x = right_of(ctx, m.end(), THINGS, max_gap=0)
        if x is None or not re.match(r"\s?(?:平台|环境|系统)?\s?(?:之)?上\s?(?:提供|运行|部署|可用|上线|推出)",
                                     gap(ctx, x.end, x.end + 10)):
            continue
        y, conf = _subject(ctx, m.start(), THINGS, 0.6, exclude=(x,))
        c = _mk(ctx, y, "integratesWith", pick(ctx, x, THINGS), conf)
        if c:
            yield c
    for m in _sent_rx(ctx, RUNS_ON):
        x = right_of(ctx, m.end(), THINGS, max_gap=1)
        if x is None or not ON_TOP.match(gap(ctx, x.end, x.end + 6)):
            continue
        y = left_of(ctx, m.start(), THINGS, max_gap=12, cross_clause=False)
        c = _mk(ctx, y, "integratesWith", pick(ctx, x, THINGS), 0.7)
        if c:
            yield c
    for m in _sent_rx(ctx, BASED_ON):
        x = right_of(ctx, m.end(), THINGS, max_gap=1)
        if x is None or not BASED_TAIL.match(gap(ctx, x.end, x.end + 8)):
            continue
        y = right_of(ctx, x.end, THINGS, max_gap=8, exclude=(x,))
        ya = pick(ctx, y, THINGS) if y else left_of(ctx, m.start(), THINGS, max_gap=14, exclude=(x,))
        xa = pick(ctx, x, THINGS)
        # built on a product: integrates; built on a standard: implements it
        pred = "supports" if xa is not None and xa.sense.type == "Standard" else "integratesWith"
        c = _mk(ctx, ya, pred, xa, 0.65)
        if c:
            yield c
    for m in _sent_rx(ctx, INTEGRATE):
        x = right_of(ctx, m.end(), THINGS, max_gap=2)
        if x is not None:
            y = left_of(ctx, m.start(), THINGS, max_gap=30, exclude=(x,))
            for o in list_from(ctx, x, THINGS):
                c = _mk(ctx, y, "integratesWith", pick(ctx, o, THINGS), 0.65)
                if c:
                    yield c
            continue
        # "(和|与)X[架构/生态系]结合": the sentence topic integrates X
        w = None
        for n in reversed(ctx.sm):
            if n.end <= m.start():
                g = gap(ctx, n.end, m.start())
                if len(g) <= 6 and not BREAK.search(g):
                    w = n
                break
        if w is None or not re.search(r"(?:和|与|同|跟)[^,;。]{0,8}$",
                                      ctx.folded[max(ctx.sent[0], w.start - 10):w.start]):
            continue
        y = _topic(ctx, THINGS, exclude=(w,))
        c = _mk(ctx, y, "integratesWith", pick(ctx, w, THINGS), 0.6)
        if c:
            yield c
    for x in ctx.sm:
        em = IS_EDITION.match(gap(ctx, x.end, x.end + 12))
        if em:
            y = right_of(ctx, x.end + em.end(), THINGS, max_gap=0)
            if y is not None:
                c = _mk(ctx, pick(ctx, x, THINGS), "integratesWith", pick(ctx, y, THINGS), 0.65)
                if c:
                    yield c
    for m in _sent_rx(ctx, IN_PLACE):
        x = right_of(ctx, m.end(), THINGS, max_gap=0)
        if x is None:
            continue
        loc = LOCATIVE.match(gap(ctx, x.end, x.end + 12))
        if not loc:
            continue
        y = right_of(ctx, x.end + loc.end(), THINGS, max_gap=0)
        if y is not None:
            c = _mk(ctx, pick(ctx, x, THINGS), "integratesWith", pick(ctx, y, THINGS), 0.6)
            if c:
                yield c
    for x in ctx.sm:
        if not COMPONENT.match(gap(ctx, x.end, x.end + 4)):
            continue
        xa = pick(ctx, x, THINGS)
        y = left_of(ctx, x.start, {"Product"}, max_gap=30, exclude=(x,))
        c = _mk(ctx, y, "integratesWith", xa, 0.55)
        if c:
            yield c


CARRIES = re.compile(r"(?:搭载|配备|内置|装载|预载|预装|预置|内建)(?:了|有)?\s?")
#: "搭载X处理器的Y": after the carried part, a short noun and 的 lead to the carrier
CARRIER_OF = re.compile(r"\s?[\u4e00-\u9fff]{0,5}?(?:系列)?\s?的\s?(?:新款|全新|新一代)?\s?")
USED_IN = re.compile(r"(?:被)?(?:用于|应用于|搭载于|集成于|内置于|装在)\s?")
FOUNDRY = re.compile(r"(?:由|为|给|向)\s?")


def rule_hardware(ctx: Ctx) -> Iterator[Cand]:
    """"iPhone 12搭载A14芯片" / "M1芯片被用于MacBook Air" (integrates);
    "由台积电代工" (a supplier: partners)."""
    head: Arg | None = None  # "搭载X处理器的Y": Y, the subject of later clauses that lack one
    for m in _sent_rx(ctx, CARRIES):
        y = thing_after(ctx, m.end(), max_gap=4)
        if y is not None:
            last = list_from(ctx, y, THINGS)[-1]
            mod = CARRIER_OF.match(ctx.folded, last.end)
            z = thing_after(ctx, mod.end(), max_gap=0) if mod else None
            if z is not None and modality(ctx, m.start()) is not None:
                head = pick(ctx, z, THINGS)
                for o in list_from(ctx, y, THINGS):
                    c = _mk(ctx, head, "integratesWith", pick(ctx, o, THINGS), 0.65)
                    if c:
                        yield c
                continue
        x = left_of(ctx, m.start(), THINGS, max_gap=60, exclude=(y,) if y else (), cross_clause=False)
        if x is None and head is not None:
            x = head
        elif x is None:
            x, _ = _subject(ctx, m.start(), THINGS, 0.65, exclude=(y,) if y else ())
        if x is not None and y is not None:
            for o in list_from(ctx, y, THINGS):
                c = _mk(ctx, x, "integratesWith", pick(ctx, o, THINGS), 0.65)
                if c:
                    yield c
    for m in _sent_rx(ctx, USED_IN):
        y = thing_after(ctx, m.end(), max_gap=2)
        x, _ = _subject(ctx, m.start(), THINGS, 0.6, exclude=(y,) if y else ())
        if x is not None and y is not None:
            for o in list_from(ctx, y, THINGS):
                c = _mk(ctx, x, "integratesWith", pick(ctx, o, THINGS), 0.6)
                if c:
                    yield c
    for m in _sent_rx(ctx, FOUNDRY):
        f = right_of(ctx, m.end(), VENDOR, max_gap=0)
        if f is None or not re.match(r"\s?(?:代工|供货|供应|独家供应)", gap(ctx, f.end, f.end + 4)):
            continue
        buyer = left_of(ctx, m.start(), VENDOR, max_gap=30, exclude=(f,))
        c = _mk(ctx, buyer, "partnersWith", pick(ctx, f, VENDOR), 0.6)
        if c:
            yield c


DESCRIBED_CO = re.compile(r"^\s?(?![母子]公司)[\u4e00-\u9fff]{0,8}?(?<![母子])(?:公司|厂商|企业|供应商|开发商|初创公司)\s?$")


def rule_described_company(ctx: Ctx) -> Iterator[Cand]:
    """"开源数据库公司Zentra", "流处理软件开发商Confluent": a company
    described by a product or standard backs it (makes it, if it says 制造商/开发商)."""
    for i, v in enumerate(ctx.sm):
        va = pick(ctx, v, VENDOR)
        if va is None or i == 0 or v.kind == "pron":
            continue
        p = ctx.sm[i - 1]
        if p.kind == "pron" or not p.senses:
            continue
        g = gap(ctx, p.end, v.start)
        if not DESCRIBED_CO.match(g):
            continue
        pa = pick(ctx, p, THINGS)
        if pa is None or pick(ctx, p, ORGS) is not None and p.chosen.type in ORGS:
            continue
        pred = "develops" if re.search(r"开发商|制造商", g) else "supports"
        c = _mk(ctx, va, pred, pa, 0.55)
        if c:
            yield c


