"""More Chinese relation patterns, written for news from any tech market.

The base rules (`zh_rel_business`, `zh_rel_tech`) read the tightest frames
(X收购Y, 与Y合作, X推出Y). News also states relations through looser but
just as clear frames; these rules read them:

- suppliers, foundries, licences and orders are partnerships (由X代工,
  X为Y供货, 获得X的技术授权, 拿下X的订单, X是Y最重要的供应商之一);
- present ownership (Y由X所拥有, Y是X的全资子公司);
- rivals named loosely (X最主要的竞争对手, 与瑞典Y在亚太竞争, 与X的电动Y竞争,
  #1 and #2 in one market: X位居第一, Y位居第二);
- makers of what a body or maker name states (由X制定的规范, 小米15S Pro);
- products carried, run or integrated through a descriptor (搭载于X新款手机Y,
  运行在X的Y平台上, 与其管理平台Y进行集成, 运行Y操作系统, 在Y平台上线);
- standards met or networks built (符合/满足Y标准, 完成5G组网建设);
- leaders named by a bare title at the start of a clause (the topic company).

Like the base rules they run sentence by sentence with the same topic carried
over, and the schema's type constraints pick each argument's sense.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.nlp.mentions.zh_ner import LEAD_TITLES, Ment
from ingest.nlp.relations.zh_args import (
    BREAK,
    ORGS,
    THINGS,
    Arg,
    Ctx,
    clause_start,
    gap,
    left_of,
    list_before,
    list_from,
    modality,
    pick,
    right_of,
)
from ingest.nlp.relations.zh_rel import sentence_topic
from ingest.nlp.relations.zh_rel_base import PERSON, VENDOR, Cand, _mk, _sent_rx, _subject, _topic

COUNTRY_GAP = (
    r"(?:中国|美国|日本|韩国|英国|德国|法国|印度|瑞典|芬兰|荷兰|瑞士|以色列|加拿大|台湾|欧洲|北美|新加坡|"
    r"澳大利亚|意大利|西班牙|俄罗斯|中国大陆|大陆|本土|国内|海外|当地)?"
)
DESCR = r"[\u4e00-\u9fff]{0,8}?(?:公司|厂商|企业|巨头|设备商|供应商|制造商|开发商|运营商|电信商|品牌|车企|集团)"

# ------------------------------------------------------------------ partners: suppliers, licences, orders

SUPPLIED_BY = re.compile(r"由\s?")
SUPPLY_TAIL = re.compile(r"^[^,;。!?]{0,16}?(?:代工|供货|供应|独家供应|生产制造|代为生产|提供)")
SUPPLIES_TO = re.compile(r"(?:为|向|给)\s?")
SUPPLY_VERB = re.compile(r"^\s?(?:独家|长期|批量)?\s?(?:供货|供应|代工|提供|交付|出货)")
PARTNER_ROLE = re.compile(
    r"\s?(?:的)?\s?(?:[\u4e00-\u9fff]{0,8}?的)?\s?[\u4e00-\u9fff]{0,6}?"
    r"(?:供应商|合作伙伴|代工厂|代工伙伴|代工商|客户)(?:之一)?"
)
IS_ROLE = re.compile(r"(?:是|为|系|成为)\s?$")
CUSTOMERS = re.compile(r"(?:的)?(?:首批|主要|重要|大|核心)?客户(?:包括|包含|有|为|是|涵盖)(?:了)?\s?")
LICENCE = re.compile(r"(?:获得|取得|得到)(?:了)?\s?")
LICENCE_TAIL = re.compile(r"^[^,;。!?]{0,18}?(?:授权|许可)")
LICENSE_TO = re.compile(r"授权给\s?")
ORDER = re.compile(r"(?:拿下|赢得|获得|斩获|中标|取得|签下)(?:了)?\s?")
ORDER_TAIL = re.compile(r"^\s?(?:的)?[^,;。!?]{0,14}?(?:订单|合同|合约|标案|大单)")
SIGN = re.compile(r"(?:与|和|同|跟)\s?")
SIGN_TAIL = re.compile(r"^\s?(?:续签|签署|签订|签约|达成|敲定)")


PROCESS = re.compile(r"(?:采用|使用|基于)\s?")
PROCESS_TAIL = re.compile(r"\s?(?:的)?\s?[^,;。!?]{0,8}?(?:工艺|制程|代工)")
BOTH = re.compile(r"双方\s?(?:将|正在|已经|已|还将|也将|计划|正|近来的?|此前的?|之间的?)?\s?(?:在[^,;。]{0,10})?\s?"
                  r"(?:联合|共同|合作|携手|共建)")


def rule_process_and_both(ctx: Ctx) -> Iterator[Cand]:
    """"该芯片采用台积电5纳米工艺制造": the maker works with the foundry;
    "X已向Y投资…,双方正在联合开发": the two companies of the sentence partner."""
    for m in _sent_rx(ctx, PROCESS):
        f = right_of(ctx, m.end(), VENDOR, max_gap=0)
        if f is None or not PROCESS_TAIL.match(ctx.folded, f.end):
            continue
        maker = left_of(ctx, m.start(), VENDOR, max_gap=30, cross_clause=False, exclude=(f,))
        if maker is None:
            maker = _topic(ctx, VENDOR, exclude=(f,), before=m.start())
        c = _mk(ctx, maker, "partnersWith", pick(ctx, f, VENDOR), 0.55)
        if c:
            yield c
    for m in _sent_rx(ctx, BOTH):
        seen: dict = {}
        for n in ctx.sm:
            if n.end <= m.start() and n.kind != "pron":
                a = pick(ctx, n, ORGS)
                if a is not None and a.sense.type == "Vendor":
                    seen.setdefault(a.sense, a)
        if len(seen) == 2 and modality(ctx, m.start()) is not None:
            a, b = seen.values()
            c = _mk(ctx, a, "partnersWith", b, 0.6)
            if c:
                yield c


#: "首批产品将供应辉达", "代工伙伴为广达与仁宝": the supplied company or the partners named after the cue
SUPPLY_TO = re.compile(r"(?:供应|供货|交付|出货)(?!商|链|量|能力|紧张|短缺)(?:给|予)?\s?")
PARTNERS_ARE = re.compile(r"(?:合作|代工|战略|生态|供应链)?伙伴(?:为|是|包括|有|包含)(?:了)?\s?")


def rule_suppliers(ctx: Ctx) -> Iterator[Cand]:
    for rx in (SUPPLY_TO, PARTNERS_ARE):
        for m in _sent_rx(ctx, rx):
            y = right_of(ctx, m.end(), VENDOR, max_gap=0)
            if y is None or pick(ctx, y, VENDOR) is None:
                continue
            mod = modality(ctx, m.start())
            if mod is None:
                continue
            ys = list_from(ctx, y, VENDOR)
            x, conf = _subject(ctx, m.start(), VENDOR, 0.6 * mod, exclude=tuple(ys))
            for o in ys:
                c = _mk(ctx, x, "partnersWith", pick(ctx, o, VENDOR), conf)
                if c:
                    yield c
    for m in _sent_rx(ctx, SUPPLIED_BY):  # "该芯片由台积电采用3纳米工艺代工"
        f = right_of(ctx, m.end(), VENDOR, max_gap=0)
        if f is None or not SUPPLY_TAIL.match(gap(ctx, f.end, ctx.sent[1])):
            continue
        buyer = left_of(ctx, m.start(), VENDOR, max_gap=40, cross_clause=False, exclude=(f,))
        if buyer is None and ctx.topic is not None and ctx.topic.sense.type == "Vendor":
            buyer = ctx.topic
        if buyer is None:
            buyer = _topic(ctx, VENDOR, exclude=(f,), before=m.start())
        c = _mk(ctx, buyer, "partnersWith", pick(ctx, f, VENDOR), 0.6)
        if c:
            yield c
    for m in _sent_rx(ctx, SUPPLIES_TO):  # "台积电为苹果(与辉达)代工", "向车企供货"
        y = right_of(ctx, m.end(), VENDOR, max_gap=0)
        if y is None:
            continue
        ys = list_from(ctx, y, VENDOR)
        if not SUPPLY_VERB.match(gap(ctx, ys[-1].end, ys[-1].end + 6)):
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        x = left_of(ctx, m.start(), VENDOR, max_gap=20, cross_clause=False, exclude=tuple(ys))
        for o in ys:
            c = _mk(ctx, x, "partnersWith", pick(ctx, o, VENDOR), 0.65 * mod)
            if c:
                yield c
    for m in _sent_rx(ctx, CUSTOMERS):  # "首批客户包括Tenstorrent"
        y = right_of(ctx, m.end(), VENDOR, max_gap=12)
        if y is None or modality(ctx, m.start()) is None:
            continue
        owner = left_of(ctx, m.start(), VENDOR, max_gap=2, cross_clause=False, exclude=(y,))
        if owner is None:
            owner = _topic(ctx, VENDOR, exclude=(y,), before=m.start())
        for o in list_from(ctx, y, VENDOR):
            c = _mk(ctx, owner, "partnersWith", pick(ctx, o, VENDOR), 0.6)
            if c:
                yield c
    for x in ctx.sm:  # "高通仍将是小米最重要的芯片供应商之一"
        if x.kind == "pron" or pick(ctx, x, ORGS) is None:
            continue
        r = PARTNER_ROLE.match(ctx.folded, x.end, ctx.sent[1])
        if not r or BREAK.search(r.group(0)) or re.search(r"竞争|对手", r.group(0)):
            continue
        before = left_of(ctx, x.start, ORGS, max_gap=6, cross_clause=False, exclude=(x,))
        if before is None or not IS_ROLE.search(gap(ctx, before.at.end, x.start)):
            continue
        mod = modality(ctx, x.start)
        if mod is None:
            continue
        for b in list_before(ctx, before.at, ORGS):
            c = _mk(ctx, pick(ctx, b, ORGS), "partnersWith", pick(ctx, x, ORGS), 0.7 * mod)
            if c:
                yield c
    # "已获得X磷酸铁锂电池技术的授权", "将专利授权给Y", "已拿下Y的核心网升级订单": the named vendor
    # partners the clause's subject; a cue may require a tail after the name.
    for cue, tail in ((LICENCE, LICENCE_TAIL), (LICENSE_TO, None), (ORDER, ORDER_TAIL)):
        for m in _sent_rx(ctx, cue):
            y = right_of(ctx, m.end(), VENDOR, max_gap=0)
            if y is None or (tail is not None and not tail.match(gap(ctx, y.end, ctx.sent[1]))):
                continue
            mod = modality(ctx, m.start())
            if mod is None:
                continue
            s, conf = _subject(ctx, m.start(), VENDOR, 0.65 * mod, exclude=(y,))
            c = _mk(ctx, s, "partnersWith", pick(ctx, y, VENDOR), conf)
            if c:
                yield c
    for m in _sent_rx(ctx, SIGN):  # "与Y续签供货协议" (a descriptor or country may come first)
        y = right_of(ctx, m.end(), ORGS, max_gap=12)
        if y is None or not re.fullmatch(rf"\s?{COUNTRY_GAP}(?:{DESCR})?\s?", gap(ctx, m.end(), y.start)):
            continue
        ys = list_from(ctx, y, ORGS)
        if not SIGN_TAIL.match(gap(ctx, ys[-1].end, ys[-1].end + 6)):
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        s, conf = _subject(ctx, m.start(), ORGS, 0.75 * mod, exclude=tuple(ys))
        for o in ys:
            c = _mk(ctx, s, "partnersWith", pick(ctx, o, ORGS), conf)
            if c:
                yield c


MEMBERS_ARE = re.compile(r"(?:都|均|也|皆|同样)?\s?(?:是|为|成为)(?:了)?\s?")
MEMBER_TAIL = re.compile(r"\s?(?:\([^()]{1,30}\))?\s?的\s?(?:创始|正式|白金|黄金|首批|重要|贡献|高级)?(?:成员|会员|理事)")


def rule_listed_members(ctx: Ctx) -> Iterator[Cand]:
    """"A和B都是X的成员": each listed member contributes to the body."""
    for m in _sent_rx(ctx, MEMBERS_ARE):
        o = right_of(ctx, m.end(), {"Organization"}, max_gap=0)
        if o is None or not MEMBER_TAIL.match(ctx.folded, o.end):
            continue
        last = left_of(ctx, m.start(), ORGS, max_gap=2, cross_clause=False, exclude=(o,))
        if last is None or last.at.kind == "pron" or modality(ctx, m.start()) is None:
            continue
        for x in list_before(ctx, last.at, ORGS):
            c = _mk(ctx, pick(ctx, x, ORGS), "contributesTo", pick(ctx, o, {"Organization"}), 0.7)
            if c:
                yield c


# ------------------------------------------------------------------ ownership

OWNED_BY = re.compile(r"由\s?")
OWNED_TAIL = re.compile(r"^(?:\s?\([^()]{1,40}\))?\s?(?:所|全资|间接|直接)?(?:拥有|持有|控股|控制|全资拥有)(?!.{0,4}股份)")
SUBSIDIARY = re.compile(r"(?:是|为|系|成为)\s?")
SUBSIDIARY_TAIL = re.compile(r"^(?:\s?\([^()]{1,40}\))?\s?(?:旗下)?的?\s?(?:全资|控股)?子公司")


def rule_owned(ctx: Ctx) -> Iterator[Cand]:
    for m in _sent_rx(ctx, OWNED_BY):  # "Y目前由(日本)X所拥有"
        x = right_of(ctx, m.end(), VENDOR, max_gap=4)
        if x is not None and not re.fullmatch(rf"\s?{COUNTRY_GAP}\s?", gap(ctx, m.end(), x.start)):
            continue
        if x is None or not OWNED_TAIL.match(gap(ctx, x.end, ctx.sent[1])):
            continue
        if modality(ctx, m.start()) is None:
            continue
        y = left_of(ctx, m.start(), VENDOR | THINGS, max_gap=10, cross_clause=False, exclude=(x,))
        if y is None:
            continue
        c = _owns(ctx, pick(ctx, x, VENDOR), y.at)
        if c:
            yield c
        if y.at.kind == "open":  # an unknown name: whichever reading the article settles on
            for alt in y.at.senses:
                c2 = _mk(ctx, pick(ctx, x, VENDOR), "acquired" if alt.type == "Vendor" else "develops",
                         Arg(y.at, alt), 0.6)
                if c2:
                    yield c2
    for m in _sent_rx(ctx, SUBSIDIARY):  # "Y是X的全资子公司"
        x = right_of(ctx, m.end(), VENDOR, max_gap=0)
        if x is None or not SUBSIDIARY_TAIL.match(gap(ctx, x.end, ctx.sent[1])):
            continue
        if modality(ctx, m.start()) is None:
            continue
        y = left_of(ctx, m.start(), VENDOR, max_gap=8, cross_clause=False, exclude=(x,))
        c = _mk(ctx, pick(ctx, x, VENDOR), "acquired", y, 0.65)
        if c:
            yield c


HOSTED = re.compile(r"\s?(?:的)?\s?旗下(?:的)?\s?")
HOSTED_IS = re.compile(r"(?:是|为|系|属于)\s?$")


def rule_hosted(ctx: Ctx) -> Iterator[Cand]:
    """"X基金会旗下的Y项目", "Y是X基金会旗下的项目": a foundation sponsors the
    body or project that runs under it."""
    for x in ctx.sm:
        xa = pick(ctx, x, {"Organization"})
        if xa is None or x.kind == "pron" or xa.sense.type != "Organization":
            continue
        h = HOSTED.match(ctx.folded, x.end)
        if not h:
            continue
        y = right_of(ctx, h.end(), {"Organization", "Event"}, max_gap=6)
        if y is None:
            prev = left_of(ctx, x.start, {"Organization", "Event"}, max_gap=3, cross_clause=False, exclude=(x,))
            if prev is None or not HOSTED_IS.search(gap(ctx, prev.at.end, x.start)):
                continue
            y = prev.at
        c = _mk(ctx, xa, "sponsors", pick(ctx, y, {"Organization", "Event"}), 0.6)
        if c:
            yield c


GLOSSED_OWNER = re.compile(r"\s?\([^()]{1,40}\)\s?(?:的)?\s?旗下(?:的)?\s?")


def rule_glossed_owner(ctx: Ctx) -> Iterator[Cand]:
    """"信实工业(Reliance Industries)旗下的Jio Platforms": ownership across a gloss."""
    for x in ctx.sm:
        if x.kind == "pron":
            continue
        g = GLOSSED_OWNER.match(ctx.folded, x.end)
        if not g:
            continue
        y = right_of(ctx, g.end(), VENDOR | THINGS, max_gap=6)
        if y is None:
            continue
        c = _owns(ctx, pick(ctx, x, VENDOR), y)
        if c:
            yield c


def _owns(ctx: Ctx, owner: Arg | None, owned: Ment) -> Cand | None:
    a = pick(ctx, owned, VENDOR | THINGS)
    if a is not None and a.sense.type == "Vendor":
        return _mk(ctx, owner, "acquired", a, 0.65)
    return _mk(ctx, owner, "develops", pick(ctx, owned, THINGS), 0.65)


# ------------------------------------------------------------------ rivals

RIVAL_ROLE = re.compile(
    r"\s?(?:的)?\s?(?:在[^,;。]{1,10}?的)?\s?(?:最|头号|首要|第一)?\s?(?:主要|大|直接|强劲|有力|潜在|最大)?的?\s?"
    r"(?:竞争对手|对手|竞品|劲敌)"
)
RIVAL_LEAD = re.compile(r"(?:正|就|则|便|仍|也|依然|同样|恰恰)?是\s?$")
RIVAL_FOLLOW = re.compile(r"\s?(?:正|就|则|便|仍|也|依然|同样|恰恰)?(?:是|有|包括|为|:)\s?")
COMPETE_NEAR = re.compile(r"竞争|抗衡|较量|角逐|争夺|对决|正面交锋")
WITH = re.compile(r"(?:与|和|同|跟)\s?")
MODIFIER = r"(?:新款|最新|旗舰|全新|首款|自研|开源|电动|人形|智能|高端|新一代|下一代|主力|热门|经典|同类|同级)?"
RANK = re.compile(r"(?:位居|排名|排在|重回|夺得|位列|保持|稳居|占据|名列|排)(?:了)?\s?(?:全球|国内|市场)?\s?(?:第一|首位|榜首|第1)")
RANK2 = re.compile(r"(?:位居|排名|排在|位列|名列|排|屈居|居)(?:了)?\s?(?:全球|国内|市场)?\s?(?:第二|次席|亚军|第2)")
SPLIT_RANK = re.compile(r"分列\s?(?:第一、?第二|前两位|前二|一二位|冠亚军)")


GLOSS_AFTER = re.compile(r"\s?\([^()]{1,40}\)")
POSSESSIVE_MOD = re.compile(r"\s?(?:\([^()]{1,40}\))?\s?的\s?(?!\s)(?:新款|最新|旗舰|全新|首款|自研|开源|电动|人形|智能|高端|新一代|下一代|主力|热门|经典)\s?$")


ITS_DESCRIBED = re.compile(
    r"\s?(?:最新|新款|全新|旗舰|自研|首款|新一代)?(?:的)?\s?[\u4e00-\u9fff]{0,5}?"
    r"(?:模型|大模型|芯片|处理器|产品|平台|系统|手机|汽车|车型|机器人|无人机|服务|软件|应用)\s?$"
)


def rule_modified_possessive(ctx: Ctx) -> Iterator[Cand]:
    """"波士顿动力(Boston Dynamics)的电动Atlas机器人": a company's product, with a
    gloss or a modifier between them (the plain "X的Y" is the base rule's);
    "其最新模型Y": its product named after a description."""
    for i, x in enumerate(ctx.sm):
        if x.kind == "pron":
            if x.text.strip() != "其" or i + 1 >= len(ctx.sm):
                continue
            y = ctx.sm[i + 1]
            if not ITS_DESCRIBED.fullmatch(gap(ctx, x.end, y.start)) or not gap(ctx, x.end, y.start).strip():
                continue
            xa, ya = pick(ctx, x, VENDOR), pick(ctx, y, THINGS)
            if xa is not None and ya is not None and ya.sense.type == "Product" and (
                    not ya.sense.maker or ya.sense.maker == xa.sense.name):
                c = _mk(ctx, xa, "develops", ya, 0.6)
                if c:
                    yield c
            continue
        xa = pick(ctx, x, VENDOR)
        if xa is None:
            continue
        for y in ctx.sm[i + 1:i + 4]:
            if y.kind == "pron" or y.start - x.end > 50:
                break
            if POSSESSIVE_MOD.fullmatch(gap(ctx, x.end, y.start)):
                ya = pick(ctx, y, THINGS)
                if ya is not None and ya.sense.type == "Product" and (not ya.sense.maker or ya.sense.maker == xa.sense.name):
                    c = _mk(ctx, xa, "develops", ya, 0.6)
                    if c:
                        yield c
                break


def rule_rivals(ctx: Ctx) -> Iterator[Cand]:
    for x in ctx.sm:  # "它是X最主要的竞争对手", "X的主要竞争对手正是Y与Z"
        if x.kind == "pron":
            continue
        xa = pick(ctx, x, ORGS | THINGS)
        if xa is None:
            continue
        r = RIVAL_ROLE.match(ctx.folded, x.end, ctx.sent[1])
        if not r:
            continue
        mod = modality(ctx, x.start)
        if mod is None:
            continue
        same = ORGS if xa.sense.type in ORGS else THINGS
        before = None
        for n in reversed(ctx.sm):
            if n.end <= x.start and n is not x:
                g = gap(ctx, n.end, x.start)
                if len(g) <= 6 and not BREAK.search(g) and RIVAL_LEAD.search(g):
                    before = n
                break
        if before is not None:
            for b in list_before(ctx, before, ORGS | THINGS) if before.kind != "pron" else [before]:
                c = _mk(ctx, pick(ctx, b, same) or pick(ctx, b, ORGS | THINGS), "competesWith", xa, 0.7 * mod)
                if c:
                    yield c
            continue
        f = RIVAL_FOLLOW.match(ctx.folded, r.end())
        at = r.end() + (f.end() - f.start() if f else 0)
        y = right_of(ctx, at, ORGS | THINGS, max_gap=6)
        if y is not None and not re.fullmatch(rf"\s?(?:{COUNTRY_GAP}的?)?\s?", gap(ctx, at, y.start)):
            y = None
        if y is not None:
            for v in list_from(ctx, y, ORGS | THINGS):
                c = _mk(ctx, xa, "competesWith", pick(ctx, v, same) or pick(ctx, v, ORGS | THINGS), 0.7 * mod)
                if c:
                    yield c
    for m in _sent_rx(ctx, WITH):  # "与瑞典Y在亚太市场竞争", "与X的电动Y进行竞争"
        prev = next((n for n in ctx.sm if n.end in (m.start(), m.start() - 1)), None)
        if prev is not None and re.search(r"(?:与|和|同|跟)[^,;。与和]{0,8}$",
                                          ctx.folded[clause_start(ctx, prev.start):prev.start]):
            continue  # "与A的X和B的Y竞争": a list of rivals, not a new frame
        y = None
        for n in ctx.sm:
            if n.start < m.end() or n.kind == "pron":
                continue
            g = gap(ctx, m.end(), n.start)
            if g and re.fullmatch(rf"\s?{COUNTRY_GAP}(?:{DESCR})?\s?", g) and pick(ctx, n, ORGS | THINGS):
                y = n
            elif not g:
                y = n
            break
        if y is None:
            continue
        head = y
        y_end = y.end
        gl = GLOSS_AFTER.match(ctx.folded, y_end)
        if gl:
            y_end = gl.end()  # "波士顿动力(Boston Dynamics)的…"
        for n in ctx.sm:  # "X的电动Y": the product Y; "X旗下的Y": the company Y
            if n.start >= y_end:
                g = gap(ctx, y_end, n.start)
                if re.fullmatch(rf"\s?(?:\([^()]{{1,40}}\))?\s?的\s?{MODIFIER}\s?", g) and pick(ctx, n, THINGS):
                    head = n
                elif re.fullmatch(r"\s?(?:的)?\s?旗下(?:的)?\s?", g) and pick(ctx, n, ORGS | THINGS):
                    head = n
                break
        if head is y and not gap(ctx, m.end(), y.start):
            continue  # the plain frame is the base rule's
        tail = gap(ctx, head.end, min(ctx.sent[1], head.end + 14))
        cue = COMPETE_NEAR.search(tail)
        if cue is None or BREAK.search(tail[:cue.start()]) or re.match(r"对手|力|优势", tail[cue.end():cue.end() + 2]):
            continue
        mod = modality(ctx, head.end + cue.start())
        if mod is None:
            continue
        ha = pick(ctx, head, ORGS | THINGS)
        same = ORGS if ha.sense.type in ORGS else THINGS
        s = left_of(ctx, m.start(), same, max_gap=30, cross_clause=False, exclude=(y, head))
        if s is None:
            s, _ = _subject(ctx, m.start(), same, 0.7, exclude=(y, head))
        c = _mk(ctx, s, "competesWith", ha, 0.7 * mod)
        if c:
            yield c
    firsts = [m for m in _sent_rx(ctx, RANK)]
    seconds = [m for m in _sent_rx(ctx, RANK2)]
    if firsts and seconds:  # "X...重回第一, Y以微弱差距位居第二"
        a = left_of(ctx, firsts[0].start(), ORGS, max_gap=40, cross_clause=False)
        b = left_of(ctx, seconds[0].start(), ORGS, max_gap=40, cross_clause=False)
        if a is not None and b is not None and a.sense != b.sense:
            c = _mk(ctx, a, "competesWith", b, 0.6)
            if c:
                yield c
    for m in _sent_rx(ctx, SPLIT_RANK):  # "X与Y在装机量上分列第一、第二位"
        last = left_of(ctx, m.start(), ORGS, max_gap=30, cross_clause=False)
        if last is None:
            continue
        group = list_before(ctx, last.at, ORGS)
        if len(group) >= 2:
            c = _mk(ctx, pick(ctx, group[0], ORGS), "competesWith", pick(ctx, group[1], ORGS), 0.6)
            if c:
                yield c


# ------------------------------------------------------------------ makers

SET_BY = re.compile(r"由\s?")
SET_VERB = re.compile(r"\s?(?:[\u4e00-\u9fff]{0,6}?)?(?:牵头|主导|负责|共同|联合)?(?:制定|起草|发布|定义|提出|推出|开发|推动|发起)(?:的|了)?")
THIS_IS = re.compile(r"\s?(?:这|它|该(?:标准|规范|协议|格式))\s?(?:是|为)")


def rule_set_by(ctx: Ctx) -> Iterator[Cand]:
    """"这是一个由标准组织X制定的规范": the body makes the standard before it."""
    for m in _sent_rx(ctx, SET_BY):
        x = right_of(ctx, m.end(), ORGS | PERSON, max_gap=8)
        if x is None:
            continue
        makers = list_from(ctx, x, ORGS | PERSON)
        v = SET_VERB.match(ctx.folded, makers[-1].end)
        if not v:
            continue
        thing = left_of(ctx, m.start(), THINGS, max_gap=20, cross_clause=False)
        if thing is None:
            cs = ctx.folded.rfind(",", ctx.sent[0], m.start())
            if cs < 0 or not THIS_IS.match(ctx.folded, cs + 1):
                continue
            thing = left_of(ctx, cs, THINGS, max_gap=24, cross_clause=False)
        for mk in makers:
            c = _mk(ctx, pick(ctx, mk, ORGS | PERSON), "develops", thing, 0.7)
            if c:
                yield c


# ------------------------------------------------------------------ integrates

CARRIED_IN = re.compile(r"(?:搭载于|搭载在|装载于|应用于|用于|集成于|集成到|内置于|装配于|配备于|首发于)\s?")
RUNS_ON = re.compile(r"(?:运行|部署|构建|跑|搭建)(?:在|于)\s?")
RUNS = re.compile(r"(?<![在于])(?:运行|预装|搭载|采用)(?:着|了)?\s?(?![在于])")
OS_NOUN = re.compile(r"\s?(?:\([^()]{1,30}\))?\s?(?:操作系统|系统|平台|OS)")
WITH_INTEGRATE = re.compile(r"(?:与|和|同|跟)\s?")
INTEGRATE_TAIL = re.compile(r"\s?(?:[\u4e00-\u9fff]{0,4}?)?(?:进行|实现|深度|无缝)?(?:集成|整合|对接|互通|协同工作|打通)")
GO_LIVE = re.compile(r"在\s?")
GO_LIVE_TAIL = re.compile(r"\s?(?:平台|云|商店|应用商店|市场)?\s?(?:上|中)?\s?(?:正式)?(?:上线|推出|发布|提供|可用|开放|运行|部署)")


def _thing_through(ctx: Ctx, pos: int, reach: int = 20) -> Ment | None:
    """The product after pos, looking through makers and descriptors
    ("小米新款旗舰手机小米15S Pro", "英伟达的Jetson Orin平台")."""
    last = pos
    for n in ctx.sm:
        if n.start < last or n.kind == "pron":
            continue
        g = gap(ctx, last, n.start)
        if n.start - pos > reach or BREAK.search(g) or re.search(r"[是将为在和与及、]", g):
            return None
        if pick(ctx, n, THINGS) is not None:
            return n
        if pick(ctx, n, ORGS) is None:
            return None
        last = n.end
    return None


INTEGRATE_THROUGH = re.compile(r"(?:集成|整合|接入|内置|引入)(?:了)?\s?")


def rule_integrate_through(ctx: Ctx) -> Iterator[Cand]:
    """"在其Agentforce平台中集成OpenAI的GPT-5模型": what is integrated sits behind its maker."""
    for m in _sent_rx(ctx, INTEGRATE_THROUGH):
        y = _thing_through(ctx, m.end(), reach=10)
        if y is None or not gap(ctx, m.end(), y.start).strip():
            continue  # the plain frame is the base rule's
        x = left_of(ctx, m.start(), THINGS, max_gap=12, cross_clause=False, exclude=(y,))
        if x is None or modality(ctx, m.start()) is None:
            continue
        c = _mk(ctx, x, "integratesWith", pick(ctx, y, THINGS), 0.6)
        if c:
            yield c


def rule_integrates_more(ctx: Ctx) -> Iterator[Cand]:
    for m in _sent_rx(ctx, CARRIED_IN):
        y = _thing_through(ctx, m.end())
        if y is None:
            continue
        x, _ = _subject(ctx, m.start(), THINGS, 0.6, exclude=(y,))
        if x is None or x.sense.type != "Product":
            continue
        for o in list_from(ctx, y, THINGS):
            c = _mk(ctx, x, "integratesWith", pick(ctx, o, THINGS), 0.6)
            if c:
                yield c
    for m in _sent_rx(ctx, RUNS_ON):
        y = _thing_through(ctx, m.end(), reach=10)
        if y is None:
            continue
        x = left_of(ctx, m.start(), THINGS, max_gap=16, cross_clause=False, exclude=(y,))
        c = _mk(ctx, x, "integratesWith", pick(ctx, y, THINGS), 0.65)
        if c:
            yield c
    for m in _sent_rx(ctx, RUNS):  # "并运行华为自研的HarmonyOS NEXT操作系统"
        y = _thing_through(ctx, m.end(), reach=10)
        if y is None or not (OS_NOUN.match(ctx.folded, y.end) or pick(ctx, y, THINGS).sense.type == "Product"
                             and re.search(r"(?:OS|系统)$", y.text)):
            continue
        x, _ = _subject(ctx, m.start(), THINGS, 0.6, exclude=(y,))
        if x is None or x.sense.type != "Product":
            continue
        c = _mk(ctx, x, "integratesWith", pick(ctx, y, THINGS), 0.6)
        if c:
            yield c
    for m in _sent_rx(ctx, WITH_INTEGRATE):  # "可以与其管理平台Y进行集成"
        y = None
        for n in ctx.sm:
            if n.start < m.end() or n.kind == "pron" and n.start == m.end():
                continue
            g = gap(ctx, m.end(), n.start)
            if len(g) > 14 or BREAK.search(g):
                break
            if pick(ctx, n, THINGS) is not None:
                y = n
                break
        if y is None or not INTEGRATE_TAIL.match(ctx.folded, y.end):
            continue
        x = left_of(ctx, m.start(), THINGS, max_gap=8, cross_clause=False, exclude=(y,))
        if x is not None and re.search(r"[、和及]|结合|整合|集成", gap(ctx, x.at.end, m.start())):
            x = None  # "和A结合、扩大与B整合": A is another object, not the subject
        if x is None:
            x = _topic(ctx, THINGS, exclude=(y,), before=clause_start(ctx, m.start()))
        c = _mk(ctx, x, "integratesWith", pick(ctx, y, THINGS), 0.6)
        if c:
            yield c
    for m in _sent_rx(ctx, GO_LIVE):  # "Y在X平台上线", "Y已在华为鸿蒙平台上线"
        x = _thing_through(ctx, m.end(), reach=8)
        if x is None or not GO_LIVE_TAIL.match(ctx.folded, x.end):
            continue
        y = left_of(ctx, m.start(), THINGS, max_gap=10, cross_clause=False, exclude=(x,))
        c = _mk(ctx, y, "integratesWith", pick(ctx, x, THINGS), 0.6)
        if c:
            yield c


LAUNCH_BASIS = re.compile(r"(?:推出|发布|发表|亮相|上市|展示)(?:了)?\s?(?:一款|新款|全新的?)?\s?(?P<v>搭载|配备|采用|基于|内置|支持|支援)\s?")


def rule_launched_with(ctx: Ctx) -> Iterator[Cand]:
    """"推出搭载高通Snapdragon X Elite晶片的Vivobook S15笔电": the launcher makes
    the product after 的, which carries (or is based on) what comes first."""
    for m in _sent_rx(ctx, LAUNCH_BASIS):
        part = _thing_through(ctx, m.end(), reach=10)
        if part is None:
            continue
        prod = None
        for n in ctx.sm:
            if n.start >= part.end and n.kind != "pron":
                g = gap(ctx, part.end, n.start)
                if "的" in g and len(g) <= 16 and not BREAK.search(g) and pick(ctx, n, {"Product"}):
                    prod = n
                break
        if prod is None:
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        s, conf = _subject(ctx, m.start(), ORGS, 0.7 * mod, exclude=(part, prod))
        c = _mk(ctx, s, "develops", pick(ctx, prod, {"Product"}), conf)
        if c:
            yield c
        pa = pick(ctx, part, THINGS)
        pred = "supports" if pa is not None and pa.sense.type == "Standard" else "integratesWith"
        c = _mk(ctx, pick(ctx, prod, {"Product"}), pred, pa, 0.6 * mod)
        if c:
            yield c


# ------------------------------------------------------------------ supports: standards met, networks built

SUPPORTS_THROUGH = re.compile(r"(?:支持|支援|兼容|采用)(?:了)?\s?")
BASED_THROUGH = re.compile(r"(?:以|基于)\s?")
GLOSSED_BUILT = re.compile(r"\s?\([^()]{1,40}\)\s?(?:来|进行)?(?:开发|构建|打造|研发|为基础|为核心)")
CORE_TAIL = re.compile(r"\s?[\u4e00-\u9fff]{0,6}?\s?(?:为核心|为基础|为底层|为底座)")


SPEECH = re.compile(r"(?:表示|称|指出|说|透露|强调|认为|宣布|介绍)\s?[,:]")


def _content_topic(ctx: Ctx, types: frozenset[str], pos: int, exclude: tuple[Ment, ...] = ()) -> Arg | None:
    """The first fitting name of what is said: after "X表示," when there is one."""
    start = ctx.sent[0]
    for sp in SPEECH.finditer(ctx.folded, ctx.sent[0], pos):
        start = sp.end()
    for m in ctx.sm:
        if m.start < start or m in exclude or m.kind == "pron":
            continue
        if m.end > pos:
            break
        a = pick(ctx, m, types)
        if a is not None:
            return a
    return None


def rule_through_makers(ctx: Ctx) -> Iterator[Cand]:
    """"支持Anthropic开发的MCP标准", "以开源的TT-Metalium软件栈为核心": the
    object sits behind its maker or a modifier."""
    for m in _sent_rx(ctx, SUPPORTS_THROUGH):
        y = _thing_through(ctx, m.end(), reach=14)
        if y is None or gap(ctx, m.end(), y.start).strip() == "":
            continue  # the plain frame is the base rule's
        if not re.search(r"(?:开发|推出|制定|提出|主导|发布|打造)的\s?$", gap(ctx, m.end(), y.start)):
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        s = left_of(ctx, m.start(), THINGS | ORGS, max_gap=20, cross_clause=False, exclude=(y,))
        if s is None:
            s = _content_topic(ctx, THINGS | ORGS, m.start(), exclude=(y,))
        c = _mk(ctx, s, "supports", pick(ctx, y, THINGS), 0.6 * mod)
        if c:
            yield c
    for m in _sent_rx(ctx, BASED_THROUGH):  # "该游戏基于虚幻引擎5(Unreal Engine 5)开发"
        y = right_of(ctx, m.end(), THINGS, max_gap=0)
        if y is not None and GLOSSED_BUILT.match(ctx.folded, y.end):
            ya = pick(ctx, y, THINGS)
            x = left_of(ctx, m.start(), THINGS, max_gap=12, cross_clause=False, exclude=(y,))
            if x is None:
                x = _content_topic(ctx, THINGS, m.start(), exclude=(y,))
            pred = "supports" if ya.sense.type == "Standard" else "integratesWith"
            c = _mk(ctx, x, pred, ya, 0.6)
            if c:
                yield c
            continue
        y = None
        for n in ctx.sm:
            if n.start >= m.end() and n.kind != "pron":
                g = gap(ctx, m.end(), n.start)
                if g and re.fullmatch(r"\s?(?:开源|自研|自家|成熟|现有|既有)的?\s?", g):
                    y = n
                break
        if y is None or not CORE_TAIL.match(ctx.folded, y.end):
            continue
        ya = pick(ctx, y, THINGS)
        if ya is None:
            continue
        x = left_of(ctx, m.start(), THINGS, max_gap=20, cross_clause=False, exclude=(y,))
        if x is None:
            x = _content_topic(ctx, THINGS, m.start(), exclude=(y,))
        pred = "supports" if ya.sense.type == "Standard" else "integratesWith"
        c = _mk(ctx, x, pred, ya, 0.6)
        if c:
            yield c


MEETS = re.compile(r"(?:满足|符合|遵循|遵守|通过|达到|兼容)(?:了)?\s?")
BUILD_NET = re.compile(r"(?:建设|部署|建成|开通|商用|推出|完成|构建|搭建)")
NET_TAIL = re.compile(r"\s?(?:[\u4e00-\u9fff]{0,3}?)(?:独立组网|组网|网络|基站|专网|商用网络)(?:的)?\s?(?:建设|部署|商用|建成)?")


def rule_standards_met(ctx: Ctx) -> Iterator[Cand]:
    for m in _sent_rx(ctx, MEETS):  # "该电池已满足将于明年实施的新国标GB 38031-2025"
        std = None
        for n in ctx.sm:
            if n.start < m.end() or n.kind == "pron":
                continue
            g = gap(ctx, m.end(), n.start)
            if len(g) <= 16 and not BREAK.search(g):
                a = pick(ctx, n, {"Standard"})
                if a is not None and (not g or re.search(r"(?:标准|国标|规范|要求|认证|协议)\s?$", g)):
                    std = n
            break
        if std is None:
            continue
        mod = modality(ctx, m.start())
        if mod is None:
            continue
        s, conf = _subject(ctx, m.start(), THINGS | ORGS, 0.65 * mod, exclude=(std,))
        c = _mk(ctx, s, "supports", pick(ctx, std, {"Standard"}), conf)
        if c:
            yield c
    for n in ctx.sm:  # "协助中华电信在年底前完成全台5G独立组网建设"
        a = pick(ctx, n, {"Standard"})
        if a is None or n.kind == "pron":
            continue
        t = NET_TAIL.match(ctx.folded, n.end)
        if not t or not t.group(0).strip():
            continue
        cs = max(ctx.folded.rfind(ch, ctx.sent[0], n.start) for ch in ",;:")
        cs = max(cs, ctx.sent[0])
        verb_before = BUILD_NET.search(ctx.folded, cs, n.start)
        if not verb_before and not re.search(r"建设|部署|商用|建成", t.group(0)):
            continue
        v = left_of(ctx, n.start, VENDOR, max_gap=24, cross_clause=False, exclude=(n,))
        if v is None or modality(ctx, n.start) is None:
            continue
        c = _mk(ctx, v, "supports", a, 0.55)
        if c:
            yield c


# ------------------------------------------------------------------ leaders named by a bare title

BARE_TITLE = re.compile(rf"(?:^|(?<=[,;:。\"]))\s?(?:公司|该公司|其)?(?<!副)(?:{LEAD_TITLES})(?:\s?兼\s?(?:{LEAD_TITLES}))*\s?$")


def rule_titled_leads(ctx: Ctx) -> Iterator[Cand]:
    for p in ctx.sm:
        if p.kind in ("pron", "coref") or not p.senses or p.chosen.type != "Person":
            continue
        s0 = max(ctx.sent[0], p.start - 16)
        t = BARE_TITLE.search(ctx.folded[s0:p.start])
        if not t or (s0 + t.start() != ctx.sent[0] and not re.match(r"[,;:。\"]", ctx.folded[s0 + t.start() - 1])):
            continue
        if any(s0 + t.start() <= m.start < p.start for m in ctx.sm if m is not p):
            continue
        org = ctx.topic if ctx.topic is not None and ctx.topic.sense.type == "Vendor" else None
        if org is None:
            continue
        c = _mk(ctx, Arg(p, p.chosen), "leads", org, 0.6)
        if c:
            yield c


# ------------------------------------------------------------------ makers named in a product's name


def named_after_maker(ments: list[Ment], sents) -> list[Cand]:
    """"小米15S Pro", "DJI FlightHub 2": a model named after a maker the article
    names (as a company) is that maker's product."""
    vendors = {}
    for m in ments:
        if m.kind not in ("coref", "pron") and m.senses and m.chosen.type == "Vendor":
            vendors.setdefault(m.chosen.name, m)
    out = []
    seen = set()
    for m in ments:
        if m.kind != "model" or not m.senses or m.chosen.type != "Product" or not m.chosen.maker:
            continue
        vm = vendors.get(m.chosen.maker)
        if vm is None or (m.chosen, vm.chosen) in seen:
            continue
        seen.add((m.chosen, vm.chosen))
        span = next(((a, b) for a, b in sents if a <= m.start < b), (m.start, m.end))
        out.append(Cand(Arg(vm, vm.chosen), "develops", Arg(m, m.chosen), 0.55, span[0], span[1]))
    return out


# ------------------------------------------------------------------ lists through quotes

LIST_ON = re.compile(r"^[\"'”」』]?\s?(?:和|及|以及|、)\s?[\"'“「『]?$|^\s?(?:曝光机|光刻机|设备|芯片|处理器|平台|系统|手机|模型|机器人|无人机)\s?$")


def distribute_lists(ctx: Ctx, cands: list[Cand]) -> Iterator[Cand]:
    """"推出的“超级e平台”和第二代刀片电池": what holds for a listed object holds
    for the next one, also across quotation marks."""
    for c in cands:
        if c.pred not in ("develops", "supports", "integratesWith") or c.obj.at not in ctx.sm:
            continue
        cur = c.obj.at
        for n in ctx.sm:
            if n.start < cur.end or n is cur or n.kind == "pron":
                continue
            if not LIST_ON.match(gap(ctx, cur.end, n.start)):
                break
            a = pick(ctx, n, THINGS)
            if a is None or a.sense.type != c.obj.sense.type:
                break
            nc = _mk(ctx, c.subj, c.pred, a, c.conf * 0.95)
            if nc:
                yield nc
            cur = n


RULES = (rule_integrate_through, rule_glossed_owner, rule_launched_with, rule_listed_members, rule_suppliers, rule_process_and_both, rule_through_makers, rule_owned, rule_hosted, rule_modified_possessive, rule_rivals, rule_set_by, rule_integrates_more, rule_standards_met,
         rule_titled_leads)


def more_relations(folded: str, ments: list[Ment], sents: tuple[tuple[int, int], ...],
                   base: list[Cand]) -> list[Cand]:
    """Candidates from these rules over every sentence (the same topic carry-over
    as the base rules), plus the base candidates' list continuations."""
    ments = sorted(ments, key=lambda m: m.start)
    ents = [m for m in ments if m.kind != "pron"]
    by_sent: dict[int, list[Cand]] = {}
    for c in base:
        by_sent.setdefault(c.start, []).append(c)
    out: list[Cand] = []
    topic: Arg | None = None
    age = 0
    i = 0
    for s, e in sents:
        while i < len(ments) and ments[i].start < s:
            i += 1
        j = i
        while j < len(ments) and ments[j].start < e:
            j += 1
        sm = [m for m in ments[i:j] if m.end <= e]
        if not any(m.kind != "pron" for m in sm):
            continue
        ctx = Ctx(folded, ments, (s, e), sm, topic)
        if hasattr(ctx, "ents"):
            ctx.ents = ents
        mine: list[Cand] = []
        for rule in RULES:
            mine.extend(rule(ctx))
        mine.extend(distribute_lists(ctx, by_sent.get(s, []) + mine))
        out.extend(mine)
        t = sentence_topic(ctx)
        if t is not None:
            topic, age = t, 0
        else:
            age += 1
            if age > 2:
                topic = None
        if "\n" in folded[e:e + 2] and not re.match(r"\s*(?:而|但|并且|此外|同时|另外|随后|接着|之后|其后|然而|不过)",
                                                    folded[e:e + 12].lstrip()):
            topic = None
    return out


_MODIFYING = re.compile(
    r"\s?(?:手机|芯片|基站|网络|设备|终端|模组|路由器|产品|方案|服务|专网|汽车|车型|笔记本|笔电|电脑|平板|晶片)")


_PART_NOUN = re.compile(r"\s?(?:芯片|处理器|晶片|SoC|模组|基带|电池|屏幕|传感器|GPU|CPU|显卡|内存|摄像头|雷达)")


def drop_modifier_standards(cands: list[Cand], folded: str) -> list[Cand]:
    """"推出廉价5G手机": a standard naming the kind of a product is not what was made;
    "该车辆采用X的Y芯片": a product adopting a part carries it (integratesWith)."""
    out = []
    for c in cands:
        if c.pred == "develops" and c.obj.sense.type == "Standard" and c.obj.at is not None \
                and _MODIFYING.match(folded, c.obj.at.end):
            continue
        if c.pred == "supports" and c.subj.sense.type == "Product" and c.obj.sense.type == "Product" \
                and c.obj.at is not None and _PART_NOUN.match(folded, c.obj.at.end):
            c = Cand(c.subj, "integratesWith", c.obj, c.conf, c.start, c.end)
        out.append(c)
    return out

