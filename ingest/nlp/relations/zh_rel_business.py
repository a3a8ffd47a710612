"""Relation rules about companies: acquisitions, ownership, partners,
sponsors, leaders and contributions (Chinese cue words, see `zh_rel`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.nlp.mentions.zh_ner import LEAD_TITLES, Ment, Sense
from ingest.nlp.relations.zh_args import (
    BREAK,
    NEGATION,
    ORGS,
    THINGS,
    Arg,
    Ctx,
    gap,
    left_of,
    list_before,
    list_from,
    modality,
    pick,
    right_of,
)
from ingest.nlp.relations.zh_rel_base import (
    PERSON,
    SPONSORED,
    VENDOR,
    Cand,
    _appositive,
    _mk,
    _sent_rx,
    _subject,
)

# ------------------------------------------------------------------ acquired

ACQ = re.compile(r"(?<!被)(?:收购|并购|买下|吞并|购入|收入囊中)")


def rule_acquired(ctx: Ctx) -> Iterator[Cand]:
    for m in _sent_rx(ctx, ACQ):
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        after = ctx.folded[m.end():m.end() + 3]
        if re.match(r"(?:价|案|协议|交易|要约|价格|金额|计划|传闻|一事|消息)", after):
            pass  # a noun use: "收购协议" has no object after it
        obj = right_of(ctx, m.end(), VENDOR | {"Product"}, max_gap=10)
        if obj is None:
            continue
        obj = _appositive(ctx, obj)
        o = pick(ctx, obj, VENDOR | {"Product"})
        s, conf = _subject(ctx, m.start(), VENDOR, 0.85 * mod, exclude=(obj,))
        c = _mk(ctx, s, "acquired", o, conf)
        if c:
            yield c
    # "将Y收入囊中"
    for m in _sent_rx(ctx, re.compile(r"(?:将|把)\s?")):
        y = right_of(ctx, m.end(), VENDOR | {"Product"}, max_gap=0)
        if y is None or not re.match(r"\s?(?:收入囊中|收入麾下|纳入麾下|收归旗下)", gap(ctx, y.end, y.end + 6)):
            continue
        s, conf = _subject(ctx, m.start(), VENDOR, 0.8, exclude=(y,))
        c = _mk(ctx, s, "acquired", pick(ctx, y, VENDOR | {"Product"}), conf)
        if c:
            yield c
    # "完成对Y的收购"
    for m in _sent_rx(ctx, re.compile(r"对\s?")):
        y = right_of(ctx, m.end(), VENDOR | {"Product"}, max_gap=0)
        if y is None or not re.match(r"\s?(?:的)?\s?(?:收购|并购)", gap(ctx, y.end, y.end + 5)):
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        s, conf = _subject(ctx, m.start(), VENDOR, 0.85 * mod, exclude=(y,))
        c = _mk(ctx, s, "acquired", pick(ctx, y, VENDOR | {"Product"}), conf)
        if c:
            yield c
    # passive: Y被X收购
    for m in _sent_rx(ctx, re.compile(r"被\s?")):
        x = right_of(ctx, m.end(), VENDOR, max_gap=2)
        if x is None:
            continue
        tail = gap(ctx, x.end, x.end + 24)
        if not re.match(r"[^,;。]{0,18}?(?:收购|并购|买下)", tail):
            continue
        y = left_of(ctx, m.start(), VENDOR | {"Product"}, max_gap=12, cross_clause=False)
        c = _mk(ctx, pick(ctx, x, VENDOR), "acquired", y, 0.85)
        if c:
            yield c


# ------------------------------------------------------------------ partnersWith

PARTNER_CUE = (r"合作|联手|连手|携手|结盟|伙伴关系|战略联盟|联合推出|共同推出|共同开发|共同发布|共同宣布|共同打造|"
               r"达成协议|签署|合资|共建|联合研发|联合开发|续签|签订|签约|策略联盟")
PARTNER_WITH = re.compile(r"(?:与|和|同|跟|联合|携手|联手|牵手)\s?")
PARTNER_OF = re.compile(r"的\s?(?:主要|重要|核心|长期|最大的?|独家|关键)?\s?(?:(?:战略)?(?:合作)?伙伴|供应商|代工厂)")


def _owned_after(ctx: Ctx, m: Ment) -> Ment:
    for n in ctx.sm:
        if n.start >= m.end:
            if re.fullmatch(r"\s?(?:的)?\s?旗下(?:的)?\s?", gap(ctx, m.end, n.start)) and pick(ctx, n, ORGS):
                return n
            break
    return m


def rule_partners(ctx: Ctx) -> Iterator[Cand]:
    cue_rx = re.compile(PARTNER_CUE)
    for m in _sent_rx(ctx, PARTNER_WITH):
        verb = m.group(0).strip() in ("携手", "联手", "牵手", "联合")
        first = right_of(ctx, m.end(), ORGS | THINGS, max_gap=1, descr=not verb)
        if first is None:
            continue
        first = _appositive(ctx, first)  # "与TikTok母公司字节跳动"
        first = _owned_after(ctx, first)  # "与微软旗下的Mojang续签": the company under the owner
        if pick(ctx, first, ORGS) is None:
            continue
        partners = list_from(ctx, first, ORGS)
        tail_start = partners[-1].end
        gl = re.compile(r"\s?\([^()]{1,40}\)").match(ctx.folded, tail_start)
        if gl:
            tail_start = gl.end()  # "与PayPay公司(PayPay Corporation)达成合作"
        cue = cue_rx.search(ctx.folded, tail_start, min(ctx.sent[1], tail_start + 16))
        verb_cue = m.group(0).strip() in ("携手", "联手", "牵手", "联合")
        if cue is None and not verb_cue:
            continue
        if cue is not None and BREAK.search(gap(ctx, tail_start, cue.start())):
            continue
        if cue is not None and (NEGATION.search(gap(ctx, tail_start, cue.start())) or any(
                tail_start <= n.start < cue.start() and pick(ctx, n, ORGS)
                and not re.fullmatch(r"\s?\(\s?", gap(ctx, tail_start, n.start))  # a gloss: "X公司(X Corp.)"
                for n in ctx.sm if n.kind != "pron")):
            continue  # "A与B之间并无合作", "A与B亦与C续签合作": not (or not this) partnership
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        s, conf = _subject(ctx, m.start(), ORGS, 0.8 * mod, exclude=tuple(partners))
        subjects = [s]
        if s is not None and s.at in ctx.sm and s.at.kind != "pron":  # "A与B亦与C续签协议"
            subjects = [a for a in (pick(ctx, x, ORGS) for x in list_before(ctx, s.at, ORGS)) if a] or [s]
        for subj in subjects:
            for p in partners:
                c = _mk(ctx, subj, "partnersWith", pick(ctx, p, ORGS), conf)
                if c:
                    yield c
    # "选择Y作为合作伙伴"
    for m in _sent_rx(ctx, re.compile(r"(?:选择|选定|选中)(?:了)?\s?")):
        y = right_of(ctx, m.end(), ORGS, max_gap=0)
        if y is None or not re.match(r"\s?(?:作为|为|成为)(?:其|它的)?(?:[\u4e00-\u9fff]{0,4})?(?:合作伙伴|供应商|伙伴)",
                                     gap(ctx, y.end, y.end + 14)):
            continue
        s, conf = _subject(ctx, m.start(), ORGS, 0.75, exclude=(y,))
        c = _mk(ctx, s, "partnersWith", pick(ctx, y, ORGS), conf)
        if c:
            yield c
    # X是Y的合作伙伴 / X的合作伙伴Y
    for m in _sent_rx(ctx, PARTNER_OF):
        x = left_of(ctx, m.start(), ORGS, max_gap=1, cross_clause=False)
        if x is None:
            continue
        listed = list_before(ctx, x.at, ORGS)
        before = left_of(ctx, listed[0].start, ORGS, max_gap=3, cross_clause=False, exclude=tuple(listed))
        if before is not None and re.search(r"是\s?$", gap(ctx, before.at.end, listed[0].start)):
            for p in listed:  # "台积电是苹果和高通的主要供应商"
                c = _mk(ctx, before, "partnersWith", pick(ctx, p, ORGS), 0.75)
                if c:
                    yield c
            continue
        y = right_of(ctx, m.end(), ORGS, max_gap=3)
        if y is not None:
            for p in list_from(ctx, y, ORGS):
                c = _mk(ctx, x, "partnersWith", pick(ctx, p, ORGS), 0.75)
                if c:
                    yield c


# ------------------------------------------------------------------ sponsors

SPONSOR_IS = re.compile(r"是\s?")
SPONSOR_OF = re.compile(r"^\s?的\s?(?:主要|独家|官方|首席|钻石|白金|黄金)?(?:赞助商|赞助方|赞助者|赞助人|金主)")
SPONSOR_VERB = re.compile(r"(?:赞助|委托|资助)(?:了)?\s?")


def rule_sponsors(ctx: Ctx) -> Iterator[Cand]:
    for m in _sent_rx(ctx, SPONSOR_IS):
        w = right_of(ctx, m.end(), SPONSORED, max_gap=1)
        if w is None:
            w = _unnamed_sponsee(ctx, m.end())
        if w is None or not SPONSOR_OF.match(gap(ctx, w.end, w.end + 10)):
            continue
        last = left_of(ctx, m.start(), ORGS, max_gap=2, cross_clause=False)
        if last is None:
            continue
        for s in list_before(ctx, last.at, ORGS):
            c = _mk(ctx, pick(ctx, s, ORGS), "sponsors", pick(ctx, w, SPONSORED), 0.85)
            if c:
                yield c
    for m in _sent_rx(ctx, SPONSOR_VERB):
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        obj = right_of(ctx, m.end(), SPONSORED, max_gap=8)
        if obj is None:
            continue
        s = left_of(ctx, m.start(), ORGS, max_gap=30, exclude=(obj,))
        c = _mk(ctx, s, "sponsors", pick(ctx, obj, SPONSORED), 0.8 * mod)
        if c:
            yield c


_SPONSEE = re.compile(r"\s?([\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9\.\- ]{1,11}?)(?=\s?的\s?(?:主要|独家|官方|首席)?赞助)")
_NOT_A_NAME = re.compile(r"^(?:这|那|该|本|此|其|我|你|他|她|它|各|每|一|多|许多|很多|所有)|(?:活动|比赛|节目|项目|会议|大会)$")


def _unnamed_sponsee(ctx: Ctx, pos: int) -> Ment | None:
    """"X是开源中国的赞助商": what is sponsored is named even if nothing knows the name."""
    m = _SPONSEE.match(ctx.folded, pos)
    if not m or _NOT_A_NAME.search(m.group(1)) or BREAK.search(m.group(1)):
        return None
    s, e = m.span(1)
    name = ctx.folded[s:e].strip()
    typ = "Event" if re.search(r"(?:峰会|博览会|年会|节)$", name) else "Organization"
    return Ment(s, e, ctx.folded[s:e], [Sense(typ, name)], "org")


# ------------------------------------------------------------------ leads

TITLE_END = re.compile(rf"(?<!副)(?:{LEAD_TITLES})(?:\s?兼\s?(?:{LEAD_TITLES}))*\s?$")
DESCRIPTOR = re.compile(r"^\s?(?:的)?\s?[\u4e00-\u9fffA-Za-z ]{0,8}?\s?$")
AFTER_PERSON = re.compile(
    r"^\s?(?:,|是|为|担任|出任|作为|现任|身为|系)?\s?")
AFTER_TITLE = re.compile(rf"^\s?(?:的)?\s?[\u4e00-\u9fffA-Za-z ]{{0,8}}?(?<!副)(?:{LEAD_TITLES})")


FOUNDED = re.compile(r"(?:联合)?(?:创立|创办|创建|创始)(?:了)?\s?")


def rule_founders(ctx: Ctx) -> Iterator[Cand]:
    """"P于2012年创立了X" / "X由P创办": founders lead what they found."""
    for m in _sent_rx(ctx, FOUNDED):
        org = right_of(ctx, m.end(), ORGS, max_gap=0)
        if org is not None:
            p = left_of(ctx, m.start(), PERSON, max_gap=12, cross_clause=False)
            c = _mk(ctx, p, "leads", pick(ctx, org, ORGS), 0.8)
            if c:
                yield c
            continue
        p = left_of(ctx, m.start(), PERSON, max_gap=2, cross_clause=False)
        if p is None or not re.search(r"由\s?$", ctx.folded[max(ctx.sent[0], p.at.start - 3):p.at.start]):
            continue
        org_arg = left_of(ctx, p.at.start, ORGS, max_gap=6, cross_clause=False)
        if org_arg is not None and re.search(r"(?:是|为)?\s?由\s?$", gap(ctx, org_arg.at.end, p.at.start)):
            c = _mk(ctx, p, "leads", org_arg, 0.8)
            if c:
                yield c


BARE_TITLE_START = re.compile(r"\s?(?:其|公司|该公司|联席|共同|现任|新任|集团)?\s?")


def rule_leads(ctx: Ctx) -> Iterator[Cand]:
    for p in ctx.sm:
        if p.kind in ("pron", "coref") or not p.senses or p.chosen.type != "Person":
            continue
        person = Arg(p, p.chosen)
        orgs: list[Arg] = []
        pos = p.start
        titled = False
        for _ in range(4):  # "阿里巴巴创始人、腾讯董事长X"
            t = TITLE_END.search(ctx.folded[max(ctx.sent[0], pos - 24):pos])
            if not t:
                break
            titled = True
            t_start = pos - (len(ctx.folded[max(ctx.sent[0], pos - 24):pos]) - t.start())
            org = left_of(ctx, t_start, ORGS, max_gap=9, cross_clause=False)
            if org is not None and DESCRIPTOR.match(gap(ctx, org.at.end, t_start)):
                orgs.append(org)
                pos = org.at.start
            else:
                pos = t_start
            sep = re.search(r"(?:、|,|和|及)\s?$", ctx.folded[max(ctx.sent[0], pos - 2):pos])
            if not sep:
                break
            pos -= len(sep.group(0))
        if titled and not orgs and ctx.topic is not None and ctx.topic.sense.type in ORGS \
                and BARE_TITLE_START.fullmatch(ctx.folded, ctx.sent[0], t_start):
            # "拼多多并未加入。联席CEO陈磊表示…": a bare title opening the sentence is the topic's
            orgs.append(ctx.topic)
        elif titled and not orgs and re.search(r"[,;]\s?(?:其|公司|该公司|联席|共同|现任)?\s?$",
                                               ctx.folded[max(ctx.sent[0], t_start - 6):t_start]):
            # "爱奇艺是百度旗下的平台,创始人兼CEO P…": a bare title opening a clause is the sentence topic's
            first = next((n for n in ctx.sm if n.kind != "pron" and n.senses), None)
            a = pick(ctx, first, ORGS) if first is not None and first.start < t_start else None
            if a is not None and a.at is not p:
                orgs.append(a)
        # "X, Y公司的CEO" / "X担任Y的CEO"
        am = AFTER_PERSON.match(ctx.folded[p.end:ctx.sent[1]])
        if am:
            o_m = right_of(ctx, p.end + am.end(), ORGS, max_gap=0)
            if o_m is not None and AFTER_TITLE.match(ctx.folded[o_m.end:o_m.end + 14]):
                a = pick(ctx, o_m, ORGS)
                if a is not None:
                    orgs.append(a)
        # "腾讯马晓轩董事长表示": the company, the person, then the title
        tm = re.match(rf"\s?(?<!副)(?:{LEAD_TITLES})(?=\s?(?:表示|说|称|指出|认为|强调|透露|在|也|还|曾|,|。))",
                      ctx.folded[p.end:p.end + 10])
        if tm:
            org = left_of(ctx, p.start, ORGS, max_gap=1, cross_clause=False)
            if org is not None:
                orgs.append(org)
        # "GitHub执行长将由P担任"
        bm = re.search(rf"(?<!副)(?:{LEAD_TITLES})\s?(?:一职)?\s?(?:将|已|现)?\s?由\s?(?:前\s?)?[^,。]{{0,16}}$",
                       ctx.folded[max(ctx.sent[0], p.start - 30):p.start])
        if bm and re.match(r"\s?(?:担任|出任|接任|接替)", ctx.folded[p.end:p.end + 4]):
            t_start = p.start - (min(30, p.start - ctx.sent[0]) - bm.start())
            org = left_of(ctx, t_start, ORGS, max_gap=3, cross_clause=False)
            if org is not None:
                orgs.append(org)
        # "X任命P为CEO"
        am2 = re.search(r"(?:任命|聘请|聘任|提名)\s?$", ctx.folded[max(ctx.sent[0], p.start - 4):p.start])
        if am2 and re.match(rf"\s?(?:为|担任|出任)\s?(?:公司)?(?:新任?)?(?:{LEAD_TITLES})",
                            ctx.folded[p.end:p.end + 12]):
            org = left_of(ctx, p.start - len(am2.group(0)), ORGS, max_gap=12, cross_clause=False)
            if org is not None:
                orgs.append(org)
        for o in orgs:
            c = _mk(ctx, person, "leads", o, 0.85)
            if c:
                yield c


# ------------------------------------------------------------------ contributesTo

CONTRIB = re.compile(r"(?:为|向|对)\s?")
DONATE = re.compile(r"(?:捐赠|捐献|贡献|移交|托管)(?:给|予|到)\s?")
CONTRIB_VERB = re.compile(r"^[^,;。]{0,8}?(?:做出|作出|贡献)")
JOIN = re.compile(r"(?:加入|成为)(?:了)?\s?")
IS_MEMBER = re.compile(r"(?:(?:皆|均|都|同|也|亦|已)(?:是|为|為)|是)\s?")
MEMBER = re.compile(r"^\s?(?:的)?\s?(?:创始|正式|白金|黄金|首批)?(?:成员|会员|董事会|理事会|委员会|理事)")


def rule_contributes(ctx: Ctx) -> Iterator[Cand]:
    for m in _sent_rx(ctx, CONTRIB):
        o = right_of(ctx, m.end(), THINGS | {"Organization"}, max_gap=1)
        if o is None or not CONTRIB_VERB.match(gap(ctx, o.end, o.end + 12)):
            continue
        s, conf = _subject(ctx, m.start(), ORGS | PERSON, 0.75, exclude=(o,))
        c = _mk(ctx, s, "contributesTo", pick(ctx, o, THINGS | {"Organization"}), conf)
        if c:
            yield c
    for m in _sent_rx(ctx, DONATE):  # "将其捐赠给Linux基金会"
        o = right_of(ctx, m.end(), {"Organization"} | THINGS, max_gap=1)
        if o is None:
            continue
        s, conf = _subject(ctx, m.start(), ORGS | PERSON, 0.7, exclude=(o,))
        c = _mk(ctx, s, "contributesTo", pick(ctx, o, {"Organization"} | THINGS), conf)
        if c:
            yield c
    for m in _sent_rx(ctx, re.compile(r"的\s?(?:主要|最大的?|重要|核心)?\s?贡献者")):  # "X是Y的最大贡献者"
        o = left_of(ctx, m.start(), THINGS | {"Organization"}, max_gap=1, cross_clause=False)
        if o is None:
            continue
        s = left_of(ctx, o.at.start, ORGS | PERSON, max_gap=3, cross_clause=False, exclude=(o.at,))
        if s is not None and re.search(r"是\s?$", gap(ctx, s.at.end, o.at.start)):
            c = _mk(ctx, s, "contributesTo", o, 0.75)
            if c:
                yield c
    for m in _sent_rx(ctx, IS_MEMBER):  # "X是CNCF的成员", "X、Y与Z皆为JEDEC会员"
        o = right_of(ctx, m.end(), {"Organization"}, max_gap=1)
        if o is None:
            continue
        rest = re.sub(r"^\s?\([^()]{1,30}\)", "", gap(ctx, o.end, o.end + 40))
        if not re.match(r"\s?(?:的)?\s?(?:创始|正式|白金|黄金|首批|重要|核心|董事)?(?:成员|会员|理事)", rest):
            continue
        if not rest.lstrip().startswith("的") and m.group(0).strip() == "是":
            continue  # "是CNCF成员" without 的 only after 皆/均/都/也
        s = left_of(ctx, m.start(), ORGS | PERSON, max_gap=3, cross_clause=False)
        members = [s] if s is None or s.at not in ctx.sm else [
            a for a in (pick(ctx, n, ORGS | PERSON) for n in list_before(ctx, s.at, ORGS | PERSON)) if a]
        for x in members:
            c = _mk(ctx, x, "contributesTo", pick(ctx, o, {"Organization"}), 0.75)
            if c:
                yield c
    for m in _sent_rx(ctx, JOIN):
        o = right_of(ctx, m.end(), {"Organization"} | THINGS, max_gap=1)
        if o is None:
            continue
        oa = pick(ctx, o, {"Organization"} | THINGS)
        if oa is None:
            continue
        if not (MEMBER.match(gap(ctx, o.end, o.end + 8)) or oa.sense.type == "Organization"):
            continue
        s, conf = _subject(ctx, m.start(), ORGS | PERSON, 0.7, exclude=(o,))
        c = _mk(ctx, s, "contributesTo", oa, conf)
        if c:
            yield c


OWNER_AFTER = re.compile(r"^\s?(?:的)?\s?(?:旗下|子公司|母公司|子品牌|全资子公司)(?:的)?\s?")
OWNED_BY = re.compile(r"(?:是|为)\s?$")
BELONGS = re.compile(r"(?:归|属于)\s?")
BARE_OWNED = re.compile(r"(?<![是为])旗下(?:的)?\s?(?=[\u4e00-\u9fff]{0,6}?(?:子公司|品牌|平台|产品|笔电|笔记本|手机|芯片|"
                        r"业务|公司|应用|App|服务)?\s?[A-Za-z\u4e00-\u9fff])")
BEHIND = re.compile(r"背后(?:的)?(?:大?股东|金主|老板|东家)?(?:是|为)\s?")


def rule_ownership(ctx: Ctx) -> Iterator[Cand]:
    """Present ownership: "X旗下的Y", "X的子公司Y", "Y是X旗下的", "TikTok母公司字节跳动",
    "Y归X所有": a company owned is acquired, a product owned is developed."""
    for x in ctx.sm:
        om = OWNER_AFTER.match(ctx.folded[x.end:x.end + 8])
        if not om:
            continue
        word = om.group(0)
        pos = x.end + om.end()
        y = right_of(ctx, pos, VENDOR | THINGS, max_gap=8)
        if "母公司" in word:  # "TikTok母公司字节跳动": y owns x
            owner, owned = (pick(ctx, y, VENDOR) if y else None), x
        else:
            owner, owned = pick(ctx, x, VENDOR), y
            if owner is None and "旗下" in word:  # "Linux基金会旗下的项目Y": it hosts Y
                host = pick(ctx, x, {"Organization"})
                if host is not None and y is not None and pick(ctx, y, THINGS) is not None:
                    c = _mk(ctx, host, "sponsors", pick(ctx, y, THINGS), 0.65)
                    if c:
                        yield c
                continue
            if owned is None:  # "Y是X旗下的…"
                prev = left_of(ctx, x.start, VENDOR | THINGS, max_gap=3, cross_clause=False, exclude=(x,))
                if prev is not None and OWNED_BY.search(gap(ctx, prev.at.end, x.start)):
                    owned = prev.at
        if owner is None or owned is None:
            continue
        c = _own(ctx, owner, owned)
        if c:
            yield c
    for m in _sent_rx(ctx, BARE_OWNED):  # "华硕…,旗下电竞笔电Y", "阿里巴巴则把旗下Y并入…"
        if any(n.end == m.start() or n.end == m.start() - 1 and ctx.folded[n.end] == "的" for n in ctx.sm):
            continue  # "X旗下": handled above
        y = right_of(ctx, m.end(), VENDOR | THINGS, max_gap=8)
        if y is None or modality(ctx, m.start()) is None:
            continue
        owner, _ = _subject(ctx, m.start(), VENDOR, 0.6, exclude=(y,))
        if owner is not None:
            c = _own(ctx, owner, y)
            if c:
                yield c
    for m in _sent_rx(ctx, BELONGS):
        x = right_of(ctx, m.end(), VENDOR, max_gap=0)
        if x is None:
            continue
        bare = re.match(r"\s?(?:集团)?\s?(?:[,;。]|$)", gap(ctx, x.end, x.end + 4))
        if not re.match(r"\s?(?:所有|旗下|控制)", gap(ctx, x.end, x.end + 4)) and not bare:
            continue
        owned = left_of(ctx, m.start(), VENDOR | THINGS, max_gap=8, cross_clause=False)
        if bare and owned is not None and pick(ctx, owned.at, VENDOR) is None:
            continue  # "Y属于X" alone: only a company belongs to a company
        if owned is not None:
            c = _own(ctx, pick(ctx, x, VENDOR), owned.at)
            if c:
                yield c


def rule_behind(ctx: Ctx) -> Iterator[Cand]:
    """"Y背后是X", "Y背后的大股东是X": the company behind a company owns it."""
    for m in _sent_rx(ctx, BEHIND):
        owned = left_of(ctx, m.start(), VENDOR, max_gap=1, cross_clause=False)
        x = right_of(ctx, m.end(), VENDOR, max_gap=0)
        if owned is None or x is None or pick(ctx, owned.at, VENDOR) is None or modality(ctx, m.start()) is None:
            continue
        c = _mk(ctx, pick(ctx, x, VENDOR), "acquired", pick(ctx, owned.at, VENDOR), 0.6)
        if c:
            yield c


HOSTED = re.compile(r"^[^,;。]{0,6}?(?:托管|孵化|管理|运营)")


def rule_hosting(ctx: Ctx) -> Iterator[Cand]:
    """"Y由X基金会托管/孵化": a foundation hosting a project sponsors it."""
    for m in _sent_rx(ctx, re.compile(r"(?:是)?由\s?")):
        x = right_of(ctx, m.end(), {"Organization"}, max_gap=2)
        if x is None or not HOSTED.match(gap(ctx, x.end, x.end + 12)):
            continue
        y, conf = _subject(ctx, m.start(), THINGS, 0.7, exclude=(x,))
        c = _mk(ctx, pick(ctx, x, {"Organization"}), "sponsors", y, conf)
        if c:
            yield c


def _own(ctx: Ctx, owner: Arg | None, owned: Ment) -> Cand | None:
    a = pick(ctx, owned, VENDOR | THINGS)  # its own reading first: a product or a company
    if a is not None and a.sense.type == "Vendor":
        return _mk(ctx, owner, "acquired", a, 0.65)
    return _mk(ctx, owner, "develops", pick(ctx, owned, THINGS), 0.65)


