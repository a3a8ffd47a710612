"""Names beyond the catalog that Chinese news introduces by their frame.

Runs after `zh_detect` and adds mentions where the text itself says what a
string is:

- quoted names after a descriptor or a launch verb (芯片“玄戒X”, 品牌“钠新”,
  推出的“超级e平台”);
- launched product phrases without quotes (发布第二代神行超充电池): a launch
  verb, an optional generation, an unknown word and a product noun;
- model codes after a catalog name (小米15S Pro, 麒麟9020, 华为Mate 70) and
  after a brand the article introduced (深蓝汽车 ... 深蓝S07);
- standard codes (GB 38031-2025, ISO 26262, ASTM F3411);
- companies introduced by ownership (X旗下的Y汽车, 子公司Y科技) or by a
  leader's title (中华电信董事长P);
- Chinese names glossed by a multi-word Latin name (波士顿动力(Boston Dynamics)).

Every new name is then found again wherever else it occurs.
"""

from __future__ import annotations

import re

from ingest.nlp.mentions.zh_match import catalog_entries
from ingest.nlp.mentions.zh_ner import LEAD_TITLES, OTHER_TITLES, Ment, Sense
from ingest.nlp.text.zh_seg import Segmenter
from ingest.nlp.text.zh_text import CJK

#: kinds a new, better-framed name may replace when it covers them
_WEAK = frozenset({"latin", "open", "cand", "listed", "ext"})
#: catalog markets whose product lines take model numbers (麒麟9020 is a new chip)
HARDWARE_MARKETS = frozenset({"chips", "mobile", "hardware", "automotive", "gaming", "aerospace", "telecom"})

PRODUCT_NOUNS = (
    r"操作系统|大模型|处理器|机器人|无人机|服务器|超充电池|电池|芯片|平台|系统|手机|汽车|车型|模型|显卡|基站|基地台|"
    r"框架|引擎|助手|平板|笔记本|手表|耳机|眼镜|头显|电脑|相机|路由器|模组|传感器|雷达|调制解调器|基带|加速卡|加速器|"
    r"内存|显示器|摄像头|晶片|软体|作业系统|伺服器|笔电|记忆体|显示卡"
)
_GENERATION = r"第[一二三四五六七八九十两\d]{1,3}代\s?"
_LEAD_MODIFIERS = re.compile(
    r"(?:新一代|下一代|全新|新款|新型|最新|首款|一款|两款|多款|一系列|系列|新的|新|高端|旗舰|智能|自研的?|自主研发的?|"
    r"自主|国产|该|其|这|本|多|各|一代)+"
)
_FUNCTION = set("的了和与及在为是将把被对向从给以等或并而也都其该这那由于至至于让使用")
_NOT_IN_NAME = re.compile(r"支持|支援|采用|基于|搭载|面向|用于|针对|包括|以及|通过|提供|实现|进行|能够|可以")

# ---------------------------------------------------------------- helpers


_BY_NAME: dict[int, tuple[object, dict]] = {}


def _catalog_entry(gazetteer, sense: Sense):
    got = _BY_NAME.get(id(gazetteer))
    if got is None or got[0] is not gazetteer:
        entries = catalog_entries(gazetteer) or []
        got = _BY_NAME[id(gazetteer)] = (gazetteer, {(e.type, e.name): e for e in entries})
    return got[1].get((sense.type, sense.name))


def _overlapping(ments: list[Ment], s: int, e: int) -> list[Ment]:
    return [m for m in ments if m.start < e and s < m.end]


def _clean_name(name: str) -> bool:
    """A plausible name: not made of function characters, not a phrase."""
    if len(name) < 2 or any(c in _FUNCTION for c in name if "\u4e00" <= c <= "\u9fff") and not re.search(
            r"[A-Za-z0-9]", name):
        return False
    if _NOT_IN_NAME.search(name):
        return False
    return True


def merge_mentions(ments: list[Ment], new: list[Ment]) -> list[Ment]:
    """Add new mentions where they are free, or where they cover weaker ones
    (an unknown Latin run, a catalog name that the new span extends)."""
    out = list(ments)
    for n in sorted(new, key=lambda m: (m.start, -(m.end - m.start))):
        over = _overlapping(out, n.start, n.end)
        ok = True
        for m in over:
            inside = n.start <= m.start and m.end <= n.end
            if not inside:
                ok = False
                break
            if m.kind in _WEAK or m.kind == "cat" and n.kind == "model":
                continue
            if m.kind in ("org", "named") and (m.end - m.start) < (n.end - n.start):
                continue
            ok = False
            break
        if ok:
            for m in over:
                out.remove(m)
            out.append(n)
    return sorted(out, key=lambda m: m.start)


# ---------------------------------------------------------------- quoted names

_QUOTED = re.compile(r"\"([^\"\n]{2,16})\"")
_QUOTE_BODY = re.compile(rf"[{CJK}A-Za-z0-9][{CJK}A-Za-z0-9 \-\+\.·]{{0,14}}")
_DESCR_BEFORE = re.compile(
    rf"(?P<d>品牌|{PRODUCT_NOUNS}|产品|技术|服务|应用|App|APP|架构|计划|计画|项目|标准|协议|规范|方案|算法|工具|软件|系列|"
    r"SUV|轿车|车|功能|功能名|代号)\s?(?:名为|叫做|称为|命名为|定名为)?\s?$"
)
_VERB_BEFORE = re.compile(
    r"(?:推出|发布|发表|亮相|上线|命名为|(?<!被)名为|代号为?|定名为)\s?(?:了|的|其|自家的?|全新的?|新款|新一代)?\s?$"
)
_NOUN_AFTER = re.compile(rf"\s?(?:{PRODUCT_NOUNS}|品牌|系列|标准|协议|规范|架构|App|应用|服务)")
_SPEECH = re.compile(r"(?:说|表示|称|道|指出|强调|认为|宣称|透露|坦言|直言|写道)\s?[:,]?\s?$")
_STANDARD_WORDS = re.compile(r"标准|协议|规范")


def quoted_names(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    out: list[Ment] = []
    for q in _QUOTED.finditer(folded):
        body = q.group(1)
        s, e = q.span(1)
        if any(m.start < e and s < m.end for m in ments):
            continue  # a known name in quotes keeps its own reading
        if not _QUOTE_BODY.fullmatch(body) or body.isdigit() or body.count(" ") > 2:
            continue
        if len(re.findall(f"[{CJK}]", body)) > 8:
            continue
        before = folded[max(0, q.start() - 10):q.start()]
        after = folded[q.end():q.end() + 6]
        if _SPEECH.search(before):
            continue
        d = _DESCR_BEFORE.search(before)
        v = _VERB_BEFORE.search(before)
        a = _NOUN_AFTER.match(after)
        if not (d or v or a):
            continue
        if not _clean_name(body):
            continue
        cue = (d.group("d") if d else "") + (a.group(0) if a else "")
        typ = "Standard" if _STANDARD_WORDS.search(cue) else "Product"
        name = " ".join(text[s:e].split())
        out.append(Ment(s, e, text[s:e], [Sense(typ, name)], "named"))
    return out


_BOOK = re.compile(r"《([^《》\n]{2,16})》")
_BOOK_BEFORE = re.compile(
    r"(?:游戏|手游|端游|新游|新作|大作|作品|推出|发布|上线|代理|运营|开发|研发|打造|应用|App|APP|软件|续作|系列)"
    r"(?:了|的)?\s?$")
_BOOK_AFTER = re.compile(r"\s?(?:游戏|手游|系列|App|APP|应用)")


def book_titled_products(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    """"发布了新游戏《X》", "《X》手游": titles in book marks named as games or apps."""
    out: list[Ment] = []
    for b in _BOOK.finditer(folded):
        s, e = b.span(1)
        inside = [m for m in ments if m.start < e and s < m.end]
        if any(m.start == s and m.end == e or m.start < s or m.end > e for m in inside):
            continue  # the title is a known name, or a name crosses the marks
        if not (_BOOK_BEFORE.search(folded[max(0, b.start() - 6):b.start()]) or _BOOK_AFTER.match(folded, b.end())):
            continue
        if re.search(r"(?:法|条例|规定|办法|报告|白皮书|报|杂志|日报|周刊)$", b.group(1)):
            continue
        out.append(Ment(s, e, text[s:e], [Sense("Product", " ".join(text[s:e].split()))],
                        "model" if inside else "named"))
    return out


# ---------------------------------------------------------------- launched product phrases

_LAUNCH = re.compile(
    r"(?:推出|发布|发表|亮相|量产|上市|研发|打造|展示|公布|首发)(?!会|日|时)(?:了|的|出)?\s?"
)
_ITEM = re.compile(
    rf"(?P<gen>{_GENERATION})?(?P<name>[{CJK}A-Za-z0-9]{{2,8}}?(?:{PRODUCT_NOUNS}))(?![{CJK}])?"
)
_ITEM_SEP = re.compile(r"\s?(?:和|及|以及|与|、)\s?")


def _item_at(folded: str, pos: int, seg: Segmenter, tags: dict[str, str]) -> tuple[int, int, int] | None:
    """(start, name start, end) of a launched product phrase at pos, if any."""
    lead = _LEAD_MODIFIERS.match(folded, pos)
    p = lead.end() if lead else pos
    m = _ITEM.match(folded, p)
    if not m:
        return None
    gen = m.group("gen")
    if lead and not gen and re.search(r"新|代|款|型", lead.group(0)):
        return None  # "新一代智驾芯片": a new kind of thing, not a name
    ns, ne = m.span("name")
    head = _LEAD_MODIFIERS.match(folded, ns)
    if head:
        ns = head.end()
    coded = re.match(rf"([{CJK}]{{2,4}}\d{{1,4}}[A-Za-z]{{0,2}})[{CJK}]", folded[ns:ne])
    if coded and not re.match(_VERBISH, coded.group(1)):
        return (m.start(), ns, ns + coded.end(1))  # "思元690训练芯片": the numbered name
    name = folded[ns:ne]
    stem = re.sub(rf"(?:{PRODUCT_NOUNS})$", "", name)
    if len(stem) < 2 or not _clean_name(stem) or any(c in _FUNCTION for c in stem) or re.match(
            r"还|有|就|也|又|再|更|最|很|仍|均|都|即|便|到|去|来|共|同", stem):
        return None
    if folded[ne:ne + 1] and folded[ne] in "组类厂商业链包板件化型级端线量价":
        return None  # the noun goes on ("芯片组"): not where the name ends
    if re.match(r"[A-Za-z0-9]", stem) and re.search(f"[{CJK}]", stem):
        return None  # "K7折叠相机": the code is the name (see coded_products)
    if not gen:
        toks = seg.window(ns, ns + len(stem))
        if not toks or toks[-1].end != ns + len(stem) or toks[0].start != ns:
            return None
        if not any(tags.get(t.text) is None or tags.get(t.text, "").startswith(("nz", "nr", "nrt"))
                   for t in toks if re.fullmatch(f"[{CJK}]+", t.text)) and not re.search(r"[A-Za-z]", stem):
            return None  # only dictionary words: a description, not a name
    return (m.start(), ns, ne)


def launched_names(text: str, folded: str, seg: Segmenter, tags: dict[str, str],
                   quoted: list[Ment], ments: list[Ment]) -> list[Ment]:
    out: list[Ment] = []
    taken = bytearray(len(folded) + 1)
    for m in ments:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    q_end = {m.end + 1: m for m in quoted}  # position after the closing quote
    for v in _LAUNCH.finditer(folded):
        pos = v.end()
        item = _item_at(folded, pos, seg, tags)
        while True:
            if item is not None:
                s, ns, e = item
                name = text[ns:e]
                if any(taken[ns:e]):  # "Zeta芯片": the name is known already
                    break
                out.append(Ment(s, e, text[s:e], [Sense("Product", name)], "named"))
                end = e
            elif folded[pos:pos + 1] == "\"" and q_end.get(folded.find("\"", pos + 1) + 1):
                end = folded.find("\"", pos + 1) + 1
            else:
                break
            sep = _ITEM_SEP.match(folded, end)
            if not sep:
                break
            pos = sep.end()
            item = _item_at(folded, pos, seg, tags)
    return out


# ---------------------------------------------------------------- model codes

_CODE = re.compile(
    r"\s?(?P<code>(?:[A-Z]{1,4}\s?\d{1,5}[A-Za-z]{0,3}|\d{1,5}[A-Za-z]{1,3}|"
    r"\d{1,5}(?=\s?(?:Pro|Max|Ultra|Plus|系列|手机|芯片|处理器|机型|采用|搭载|配备|首发)))"
    r"(?:\s(?:Pro\+?|Max|Ultra|Plus|Mini|Lite|Air|SE|Turbo|Fold|Flip))*)(?![A-Za-z0-9\.\-])"
)
_NUMBERED = re.compile(r"(?P<code>\d{2,4})(?=[,。、;:)\s]|$)")
_MODEL_NUMBER = re.compile(r"\s?(?P<code>\d{2,5}[A-Za-z]{0,3}(?:\s(?:Pro\+?|Max|Ultra|Plus|Mini|Lite|Air|SE))*)(?![A-Za-z0-9\.\-])")
_NOT_A_MODEL = re.compile(r"\s?(?:年|月|日|%|亿|万|元|美元|个|款|家|位|名|人|倍|天|小时|分钟|公里|千米|米|次|号|nm|纳米|G\b)")
_TRAILING_VERSION = re.compile(r"\s?(\d+)$")


def model_mentions(text: str, folded: str, ments: list[Ment], gazetteer) -> list[Ment]:
    out: list[Ment] = []
    for m in ments:
        if m.kind not in ("cat", "ext") or not m.senses:
            continue
        vendor = next((s for s in m.senses if s.type == "Vendor"), None)
        if vendor is not None and m.chosen.type == "Vendor" and m.kind == "cat":
            c = _CODE.match(folded, m.end)
            if c is None and not re.search(r"[A-Za-z0-9]$", m.text):
                entry = _catalog_entry(gazetteer, vendor)
                if entry is not None and entry.market in ("automotive", "mobile", "hardware"):
                    c = _NUMBERED.match(folded, m.end)  # "极氪007。": a numbered model
            if c and not _NOT_A_MODEL.match(folded, c.end("code") - 0) and not _covered(ments, c.start("code"), c.end()):
                code = " ".join(c.group("code").split())
                if not re.fullmatch(r"\d+", code) or c.start("code") == m.end and not re.search(r"[A-Za-z0-9]$", m.text):
                    # "小米15采用…": a number glued to a Chinese company name before a product word
                    e = c.end()
                    out.append(Ment(m.start, e, text[m.start:e],
                                    [Sense("Product", f"{vendor.name} {code}", maker=vendor.name)], "model"))
            continue
        if len(m.senses) != 1 or m.chosen.type != "Product" or not m.chosen.in_catalog:
            continue
        entry = _catalog_entry(gazetteer, m.chosen)
        if entry is None or entry.market not in HARDWARE_MARKETS:
            continue
        # "华为Mate 70": refine_catalog already took the number as a version
        tv = _TRAILING_VERSION.search(m.text)
        if tv and re.sub(r"\s+", "", m.text).casefold() in {
                re.sub(r"\s+", "", f).casefold() for f in entry.surface_forms()}:
            tv = None  # "A14" is itself a form of "A14 Bionic", not version 14 of it
        if tv and not re.search(r"\d\s?$", m.chosen.name) and len(tv.group(1)) <= 5:
            code = tv.group(1)
            e = m.end
        else:
            c = _MODEL_NUMBER.match(folded, m.end)
            if not c or _NOT_A_MODEL.match(folded, c.end()) or _covered(ments, c.start("code"), c.end()):
                continue
            code = " ".join(c.group("code").split())
            e = c.end()
        if re.search(r"\d$", m.chosen.name):
            continue
        out.append(Ment(m.start, e, text[m.start:e],
                        [Sense("Product", f"{m.chosen.name} {code}", maker=entry.maker or "")], "model"))
    return out


def _covered(ments: list[Ment], s: int, e: int) -> bool:
    return any(m.start < e and s < m.end and m.kind not in _WEAK for m in ments)


_BRAND_SUFFIX = re.compile(r"(?:汽车|科技|集团|公司|电子|智能|动力|机器人|手机)$")


_MAKER_MODEL = re.compile(rf"\s?的?\s?([{CJK}]{{2,4}}\d{{1,4}}[A-Za-z]{{0,2}})(?=\s?(?:{PRODUCT_NOUNS}))")
_VERBISH = (r"发布|推出|发表|亮相|量产|研发|打造|展示|公布|首发|采用|搭载|使用|支持|开发|上市|推|发|用|搭|"
            r"支|采|向|为|与|和|在|将|以")
_SUBSIDIARY_WORD = re.compile(r"物流|健康|金融|音乐|影业|数科|证券|银行|保险|资本|文学|医疗|能源")


def maker_models(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    """"地平线的征程6芯片": a maker's Chinese-named, numbered product before a product noun."""
    out: list[Ment] = []
    for m in ments:
        if m.kind != "cat" or not m.senses or m.chosen.type != "Vendor":
            continue
        c = _MAKER_MODEL.match(folded, m.end)
        if not c or _covered(ments, c.start(1), c.end(1)):
            continue
        s, e = c.span(1)
        name = text[s:e]
        if re.match(r"第|新|全|该|其|这|每|约|近|超|逾", name) or re.match(_VERBISH, folded[s:e]):
            continue
        out.append(Ment(s, e, name, [Sense("Product", name, maker=m.chosen.name)], "model"))
    return out


def subsidiaries(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    """"京东物流", "阿里健康": a known company's name and a line of business is its
    own company."""
    out: list[Ment] = []
    for m in ments:
        if m.kind != "cat" or not m.senses or m.chosen.type != "Vendor" or not re.search(f"[{CJK}]$", m.text):
            continue
        w = _SUBSIDIARY_WORD.match(folded, m.end)
        if not w or folded[w.end():w.end() + 1] in set("业网中配体系园区行市费成领板块产"):
            continue  # "京东物流业务", "物流网络": a line of business, not a company
        e = w.end()
        out.append(Ment(m.start, e, text[m.start:e], [Sense("Vendor", text[m.start:e])], "model"))
    return out


def brand_models(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    """"深蓝汽车 ... 深蓝S07": a brand's stem glued to a model code is its product."""
    out: list[Ment] = []
    stems: dict[str, Sense] = {}
    for m in ments:
        if m.senses and m.chosen.type == "Vendor":
            surf = folded[m.start:m.end]
            stem = _BRAND_SUFFIX.sub("", surf)
            if stem != surf and len(stem) >= 2 and re.fullmatch(f"[{CJK}]+", stem):
                stems.setdefault(stem, m.chosen)
    for stem, vendor in stems.items():
        for hit in re.finditer(re.escape(stem), folded):
            c = _CODE.match(folded, hit.end())
            if not c or c.start("code") != hit.end() or _NOT_A_MODEL.match(folded, c.end()):
                continue
            code = c.group("code")
            if re.fullmatch(r"\d+", code):
                continue
            s, e = hit.start(), c.end()
            out.append(Ment(s, e, text[s:e], [Sense("Product", " ".join(text[s:e].split()), maker=vendor.name)],
                            "model"))
    return out


# ---------------------------------------------------------------- standard codes

_STD_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<c>(?:GB/T|GB|ISO/IEC|ISO|IEC|IEEE|ASTM|ETSI\s?(?:EN|TS)?|ITU-[TR]|SAE|ANSI|JIS|YD/T|RFC|"
    r"3GPP\s?(?:TS|TR)|NIST\s?SP|FIPS|UN\s?R|ECE\s?R)\s?[A-Z]?\d{1,6}(?:[\.\-:/]\d{1,5})*(?:[a-z]{1,3}\b)?)(?![A-Za-z0-9])"
)


def standard_codes(text: str, folded: str) -> list[Ment]:
    out: list[Ment] = []
    for m in _STD_CODE.finditer(folded):
        s, e = m.span("c")
        name = " ".join(text[s:e].split())
        out.append(Ment(s, e, text[s:e], [Sense("Standard", name)], "named"))
    return out


# ---------------------------------------------------------------- companies by frame

CO_SUFFIX = (
    r"汽车|科技|集团|公司|电子|通信|电信|半导体|银行|证券|控股|动力|机器人|网络|软件|资本|移动|电讯|能源|"
    r"电气|光电|微电子|信息|数码|航空|医药|生物|新能源|智能|工作室群|工作室|游戏|出行"
)
_OWNED_FRAME = re.compile(r"\s?(?:的)?\s?旗下\s?(?:的)?\s?(?:(?P<kind>品牌|子公司|公司|企业|车企)\s?)?\"?")
_CO_NAME = re.compile(rf"(?P<n>[{CJK}A-Za-z0-9]{{2,6}}?(?:{CO_SUFFIX}))(?![{CJK}]{{0,1}}(?:公司|集团))")
_BRAND_NAME = re.compile(rf"(?P<n>[{CJK}A-Za-z0-9]{{2,6}}?)(?=\"|\s?(?:的|,|。|、|和|与|将|已|在|于|也|推出|发布|旗下))")
_SUB_FRAME = re.compile(r"(?:全资|控股)?子公司\s?(?:的)?\s?")


def owned_companies(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    """"长安汽车旗下深蓝汽车", "旗下品牌X", "子公司Y科技": the owned company (or brand)."""
    out: list[Ment] = []
    for m in ments if "旗下" in folded else ():
        if not m.senses or m.chosen.type not in ("Vendor",) and not any(s.type == "Vendor" for s in m.senses):
            continue
        f = _OWNED_FRAME.match(folded, m.end)
        if not f:
            continue
        pos = f.end()
        if _covered(ments, pos, pos + 2):
            continue
        c = _CO_NAME.match(folded, pos)
        if c and _clean_name(re.sub(f"(?:{CO_SUFFIX})$", "", c.group("n"))) and not _generic_co(c.group("n")):
            s, e = c.span("n")
            name = text[s:e]
            if name.endswith("公司"):
                name = name[:-2]
            out.append(Ment(s, e, text[s:e], [Sense("Vendor", name)], "org"))
            continue
        if f.group("kind") in ("品牌", "子公司"):
            b = _BRAND_NAME.match(folded, pos)
            if b and _clean_name(b.group("n")) and not _generic_co(b.group("n")):
                s, e = b.span("n")
                typ = "Product" if f.group("kind") == "品牌" else "Vendor"
                out.append(Ment(s, e, text[s:e], [Sense(typ, text[s:e])], "named"))
    for sub in _SUB_FRAME.finditer(folded):
        pos = sub.end()
        if _covered(ments, pos, pos + 2):
            continue
        c = _CO_NAME.match(folded, pos)
        if c and _clean_name(re.sub(f"(?:{CO_SUFFIX})$", "", c.group("n"))) and not _generic_co(c.group("n")):
            s, e = c.span("n")
            name = text[s:e][:-2] if text[s:e].endswith("公司") else text[s:e]
            out.append(Ment(s, e, text[s:e], [Sense("Vendor", name)], "org"))
    return out


_GENERIC_CO = re.compile(
    rf"^(?:多家|一家|两家|这家|该|其|各|所有|全部|主要|多个|业务|产品|品牌|子|母|海外|国内|全球|中国|美国|日本|韩国|欧洲|"
    rf"上市|科技|汽车|新能源|芯片|互联网|软件|电子|通信|电信)(?:{CO_SUFFIX})?$|^(?:多|各|一|两|三|几|数|若干|该|其|这)"
)


def _generic_co(name: str) -> bool:
    return bool(_GENERIC_CO.search(name))


_TITLE_AT_END = re.compile(rf"(?:{LEAD_TITLES}|发言人)(?:\s?兼\s?(?:{LEAD_TITLES}))*\s?$")
_ORG_END = re.compile(r"(?:大学|学院|协会|学会|基金会|联盟|委员会|研究院|研究所|实验室|政府|会|部|局|署|厅|办公室|法院|议会|医院)$")


def _org_type(name: str) -> str:
    """A body (university, regulator, ministry) or a company, by the name's end."""
    return "Organization" if _ORG_END.search(name) else "Vendor"
_NAME_TOK_STOP = ("p", "c", "u", "v", "d", "r", "m", "q", "t", "f", "a")


def co_name_before(folded: str, end: int, seg: Segmenter, tags: dict[str, str]) -> int | None:
    """Start of an unknown organisation name ending at end ("于长安汽车|旗下"):
    up to three words, no function words, one of them a name or unknown to the
    dictionary (or a company suffix at the end)."""
    toks = seg.token_before(end, 10)
    picked = []
    for tk in reversed(toks):
        if tk.end != (picked[0].start if picked else end) or len(picked) == 3:
            break
        if not re.fullmatch(f"[{CJK}]+", tk.text) or tk.text[0] in _FUNCTION and len(tk.text) == 1:
            break
        tag = tags.get(tk.text) or ""
        if tag.startswith(_NAME_TOK_STOP) and not tag.startswith(("nr", "nt", "nz", "ns")):
            break
        picked.insert(0, tk)
    while picked and picked[0].start == toks[0].start and toks[0].start > 0 and re.match(
            f"[{CJK}]", folded[toks[0].start - 1]):
        picked.pop(0)  # the window cut a word: its first token is unsure
    if not picked:
        return None
    s = picked[0].start
    name = folded[s:end]
    if len(name) < 2 or len(name) > 8:
        return None
    if not any(tags.get(tk.text) is None or tags.get(tk.text, "").startswith(("nt", "nz", "nrt"))
               for tk in picked) and not re.search(f"(?:{CO_SUFFIX})$", name):
        return None
    if _generic_co(name) or re.search(r"(?:部门|团队|业务|事业群|事业部|方面|官方|本人|公司|市场|行业|领域)$", name):
        return None
    return s


def titled_orgs(text: str, folded: str, ments: list[Ment], seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """"中华电信董事长P": the unknown word before a leader's title is the organisation."""
    out: list[Ment] = []
    for p in ments:
        if not p.senses or p.chosen.type != "Person":
            continue
        before = folded[max(0, p.start - 24):p.start]
        t = _TITLE_AT_END.search(before)
        if not t:
            continue
        t_start = p.start - (len(before) - t.start())
        if any(t_start - 12 < m.end <= t_start and m is not p and not re.search(r"[,;:。!?\n]", folded[m.end:t_start])
               for m in ments if m.senses or m.kind == "coref"):
            continue  # a known organisation stands right before the title
        s = co_name_before(folded, t_start, seg, tags)
        if s is None:
            continue
        typ = _org_type(folded[s:t_start])
        out.append(Ment(s, t_start, text[s:t_start], [Sense(typ, text[s:t_start])], "org"))
    return out


_OWNER_CUE = re.compile(r"\s?(?:的)?\s?旗下")


def unknown_owners(text: str, folded: str, ments: list[Ment], seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """"于长安汽车旗下": an unknown company before 旗下."""
    out: list[Ment] = []
    for m in re.finditer(r"旗下", folded):
        e = m.start()
        if folded[e - 1:e] == "的":
            e -= 1
        if any(x.start < e <= x.end for x in ments):
            continue
        s = co_name_before(folded, e, seg, tags)
        if s is not None:
            out.append(Ment(s, e, text[s:e], [Sense("Vendor", text[s:e])], "org"))
    return out


# ---------------------------------------------------------------- Latin glosses of Chinese names

_GLOSS_MULTI = re.compile(r"\s?\(\s?([A-Z][A-Za-z0-9&\.\-]*(?: [A-Z][A-Za-z0-9&\.\-]*){1,4})\s?\)")
_VENDOR_WORDS = re.compile(
    r"\b(?:Inc|Corp|Corporation|Ltd|LLC|Group|Holdings|Motor|Motors|Robotics|Dynamics|Technologies|Technology|"
    r"Electronics|Semiconductor|Systems|Labs|Networks|Telecom|Mobile|Capital|Bank|Co|Company|Industries|Automotive|AI)\b"
)
_ORG_WORDS = re.compile(r"\b(?:Foundation|Alliance|Association|Consortium|University|Institute|Council|Committee|Forum)\b")
_STOP_TAGS = ("p", "c", "u", "v", "d", "r", "m", "q", "t", "f")


_GLOSS_ONE = re.compile(r"\s?\(\s?([A-Z][A-Za-z0-9\-]{2,20})\s?\)\s?(计划|计画|项目|平台|系统|芯片|模型|大模型|服务|框架|引擎|应用)")
_RUN_BEFORE = re.compile(rf"(?:^|[^{CJK}])([{CJK}]{{2,6}})$")


def glossed_projects(text: str, folded: str, ments: list[Ment], seg: Segmenter) -> list[Ment]:
    """"星际之门(Stargate)计划": a word glossed by one Latin name before a product noun."""
    out: list[Ment] = []
    for g in _GLOSS_ONE.finditer(folded):
        end = g.start()
        if any(m.end in (end, end - 1) for m in ments if m.senses and m.kind not in _WEAK):
            continue
        run = _RUN_BEFORE.search(folded[max(0, end - 7):end])
        if run:
            s = end - len(run.group(1))
        else:
            toks = seg.token_before(end, 8)
            if not toks or toks[-1].end != end or not re.fullmatch(f"[{CJK}]{{2,6}}", toks[-1].text):
                continue
            s = toks[-1].start
        sense = Sense("Product", g.group(1))
        out.append(Ment(s, end, text[s:end], [sense], "gloss"))
        gs, ge = g.span(1)
        out.append(Ment(gs, ge, text[gs:ge], [sense], "gloss"))
    return out


_GLOSSED_PERSON = re.compile(
    rf"(?:{LEAD_TITLES}|{OTHER_TITLES})\s?(?P<zh>[{CJK}·]{{2,6}})\s?\(\s?(?P<en>[A-Z][a-z]+(?:[ \-][A-Z][A-Za-z'\-]+){{1,2}})\s?\)"
)


def glossed_people(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    """"执行长梅罗特拉(Sanjay Mehrotra)": a titled transliterated name glossed
    by a Latin personal name is one person, however the parts were read."""
    out = ments
    for g in _GLOSSED_PERSON.finditer(folded):
        zs, ze = g.span("zh")
        es, ee = g.span("en")
        inside = _overlapping(out, zs, ee)
        if any(m.senses and m.chosen.type in ("Vendor", "Organization") and m.kind == "cat" for m in inside):
            continue
        if any(m.kind == "cat" and m.chosen.type == "Person" for m in inside):
            continue  # the catalog knows this person already
        sense = Sense("Person", " ".join(text[es:ee].split()))
        out = [m for m in out if m not in inside]
        out += [Ment(zs, ze, text[zs:ze], [sense], "gloss"), Ment(es, ee, text[es:ee], [sense], "gloss")]
        out.sort(key=lambda m: m.start)
    return out


def glossed_names(text: str, folded: str, ments: list[Ment], seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """"波士顿动力(Boston Dynamics)": the Chinese words before a multi-word
    Latin name in brackets name the same company or body."""
    out: list[Ment] = []
    for g in _GLOSS_MULTI.finditer(folded):
        end = g.start()
        if any(m.end == end or m.end == end - 1 for m in ments if m.senses):
            continue  # already named (apply_glosses handled it)
        eng = g.group(1)
        words = eng.split()
        toks = seg.token_before(end, 12)
        picked = []
        for tk in reversed(toks):
            if tk.end != (picked[0].start if picked else end):
                break
            if not re.fullmatch(f"[{CJK}]+", tk.text) or tk.text in _FUNCTION or len(picked) > len(words):
                break
            tag = tags.get(tk.text) or ""
            if tag.startswith(_STOP_TAGS) and not (picked and tag.startswith("t")):
                break
            picked.insert(0, tk)
        if not picked:
            continue
        s = picked[0].start
        if end - s < 2 or end - s > 10:
            continue
        if _ORG_WORDS.search(eng):
            typ = "Organization"
        elif _VENDOR_WORDS.search(eng) or re.search(f"(?:{CO_SUFFIX})$", folded[s:end]):
            typ = "Vendor"
        else:
            continue  # a product or a phrase: not typed by the gloss alone
        sense = Sense(typ, eng)
        out.append(Ment(s, end, text[s:end], [sense], "gloss"))
        gs, ge = g.span(1)
        out.append(Ment(gs, ge, text[gs:ge], [sense], "gloss"))
    return out


# ---------------------------------------------------------------- extensions of catalog names

_BODY_AFTER = re.compile(r"\s?(?:国际)?(联盟|协会|委员会|工作组|学会|论坛|产业联盟|基金会)")
_BODY_WORDS = {"联盟": (" Alliance", " Consortium"), "产业联盟": (" Alliance",), "协会": (" Association",),
               "委员会": (" Committee", " Council"), "工作组": (" Working Group",), "学会": (" Society",),
               "论坛": (" Forum",), "基金会": (" Foundation", " International")}
_HYPHEN_TAIL = re.compile(r"-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9\-])")
_PAREN_LATIN = re.compile(r"\s?\(\s?([A-Za-z0-9][A-Za-z0-9 \-\.]{1,40}?)\s?\)")
_VENDOR_TAIL = re.compile(r" (?:[A-Z][A-Za-z0-9\-]+)(?: (?:[A-Z][A-Za-z0-9\-]+|\d{1,3}[A-Za-z]?))*(?![A-Za-z0-9])")


def catalog_extensions(text: str, folded: str, ments: list[Ment], gazetteer) -> list[Ment]:
    """"O-RAN联盟" is the alliance, "5G-A(5G-Advanced)" a newer standard, "DJI
    FlightHub 2" a product of DJI."""
    from ingest.nlp.mentions.zh_match import matcher_for

    matcher = matcher_for(gazetteer)
    out: list[Ment] = []
    for m in ments:
        if m.kind != "cat" or not m.senses:
            continue
        types = m.types()
        b = _BODY_AFTER.match(folded, m.end)
        if b and m.chosen.type == "Organization" and len(m.senses) == 1:  # "OWASP基金会": the body, named fully
            e = b.end()
            out.append(Ment(m.start, e, text[m.start:e], list(m.senses), "model"))
            continue
        if b and "Organization" not in types and "Event" not in types:
            sense = None
            base = m.chosen.name
            for suffix in _BODY_WORDS[b.group(1)] + (b.group(1), " International"):
                for e in (matcher.lookup(base + suffix) if matcher else []):
                    if e.type == "Organization":
                        sense = Sense(e.type, e.name, True, e.wikidata or "")
            e = b.end()
            out.append(Ment(m.start, e, text[m.start:e], [sense or Sense("Organization", text[m.start:e].strip())],
                            "model"))
            continue
        h = _HYPHEN_TAIL.match(folded, m.end)
        if h and "Standard" in types and re.search(r"[A-Za-z0-9]$", m.text):
            e = h.end()
            name = " ".join(text[m.start:e].split())
            g = _PAREN_LATIN.match(folded, e)
            if g and g.group(1).casefold().startswith(m.chosen.name.casefold()[:2]):
                gs, ge = g.span(1)
                name = g.group(1).strip()
                out.append(Ment(gs, ge, text[gs:ge], [Sense("Standard", name)], "model"))
            out.append(Ment(m.start, e, text[m.start:e], [Sense("Standard", name)], "model"))
            continue
        vendor = next((x for x in m.senses if x.type == "Vendor"), None)
        if vendor is None and m.chosen.type in ("Product", "Standard"):
            ext = _named_tail(text, folded, m, ments)
            if ext is not None:
                out.append(ext)
                continue
        if vendor is not None and re.search(r"[A-Za-z0-9]$", m.text):
            t = _VENDOR_TAIL.match(folded, m.end)
            if t and not re.fullmatch(r"(?: (?:Inc|Corp|Ltd|Co|Group|CEO|CTO|AI|Cloud|Labs))+", t.group(0)) \
                    and not any(x.kind == "cat" for x in _overlapping(ments, m.end + 1, t.end())):
                e = t.end()
                name = " ".join(text[m.start:e].split())
                out.append(Ment(m.start, e, text[m.start:e], [Sense("Product", name, maker=vendor.name)], "model"))
    return out


_TAIL_TOKEN = re.compile(r" ([A-Z][A-Za-z0-9+]*(?:-[A-Za-z0-9+]+)*|\d{1,4}[A-Za-z+]?)(?![A-Za-z0-9\-\.])")
_GENERIC_TAIL = {"API", "APIs", "SDK", "CLI", "AI", "PC", "App", "APP", "UI", "Beta", "GPU", "CPU", "NPU", "SoC",
                 "Inc", "Corp", "Ltd", "CEO", "CTO", "IP", "OS"}
_CODE_HIT = re.compile(r"[A-Z]{1,3}\d{1,4}[A-Za-z]?")
_LATIN_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9\-\.])([A-Z][A-Za-z]{2,}) $")


def _named_tail(text: str, folded: str, m: Ment, ments: list[Ment]) -> Ment | None:
    """"Snapdragon X Elite", "Android XR", "Ryzen AI 300", "Wi-Fi CERTIFIED 7": a
    catalog product or standard followed by capitalised words (up to a version
    number) is a newer, more specific one by the same maker; "Zenbook A14": a
    catalog model code after an unknown capitalised word is that word's model."""
    s, e = m.start, m.end
    if _CODE_HIT.fullmatch(m.text):
        b = _LATIN_WORD_BEFORE.search(folded, max(0, s - 24), s)
        if b and not _overlapping(ments, b.start(1), b.end(1) - 0) or b and all(
                x.kind in _WEAK for x in _overlapping(ments, b.start(1), b.end(1))):
            s = b.start(1)
            return Ment(s, e, text[s:e], [Sense("Product", " ".join(text[s:e].split()))], "model")
        return None
    if not re.search(r"[A-Za-z0-9]$", m.text):
        return None
    words: list[str] = []
    pos = e
    while len(words) < 4:
        t = _TAIL_TOKEN.match(folded, pos)
        if t is None or any(x.kind == "cat" for x in _overlapping(ments, t.start(1), t.end(1))):
            break
        words.append(t.group(1))
        pos = t.end()
        if t.group(1)[0].isdigit():
            break  # a version number ends the name
    if words and m.chosen.type == "Standard" and re.fullmatch(r"\d{1,2}", words[0]) \
            and not re.search(r"\d$", m.text) and not _NOT_A_MODEL.match(folded, pos):
        words = words[:1]  # "Wi-Fi 8": a numbered generation of a standard is a standard
    elif not words or len(words) == 1 and words[0] in _GENERIC_TAIL or words[0][0].isdigit():
        return None
    if m.chosen.type == "Standard" and not words[-1][0].isdigit():
        return None  # "5G SA" is a mode of 5G, "Wi-Fi CERTIFIED 7" a programme of its own
    name = " ".join(text[s:pos].split())
    return Ment(s, pos, text[s:pos], [Sense(m.chosen.type, name, maker=m.chosen.maker)], "model")


_BARE_CODE = re.compile(rf"(?<![A-Za-z0-9\-\.])([A-Z]{{1,3}}\d{{1,4}}[A-Za-z]{{0,2}})(?![A-Za-z0-9\-])(?=[{CJK}]{{0,4}}?(?:{PRODUCT_NOUNS}))")


_CODE_AFTER_NOUN = re.compile(
    rf"(?:{PRODUCT_NOUNS}|设备|曝光机|光刻机|机台|机型|车型)\s?([A-Z]{{2,5}}[:\-]?\d{{2,5}}[A-Za-z]{{0,2}})(?![A-Za-z0-9\-:])")


def coded_products(text: str, folded: str, ments: list[Ment]) -> list[Ment]:
    """"其G1人形机器人", "M5芯片": a model code right before a product noun;
    "曝光机EXE:5200": one right after it."""
    out: list[Ment] = []
    for c in _CODE_AFTER_NOUN.finditer(folded):
        s, e = c.span(1)
        if not _covered(ments, s, e):
            out.append(Ment(s, e, text[s:e], [Sense("Product", text[s:e])], "named"))
    for c in _BARE_CODE.finditer(folded):
        s, e = c.span(1)
        if _covered(ments, s, e):
            continue
        out.append(Ment(s, e, text[s:e], [Sense("Product", text[s:e])], "named"))
    return out


_PARTNER_FRAME = re.compile(rf"(?:与|和|同|跟)\s?(?=[{CJK}]{{2,8}}?\s?(?:合作|签署|签订|签约|续签|携手|结盟|联手|达成|共建|共同))")
_PARTNER_VERB = re.compile(r"\s?(?:合作|签署|签订|签约|续签|携手|结盟|联手|达成|共建|共同)")


def partner_names(text: str, folded: str, ments: list[Ment], seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """"与台湾大哥大合作": an unknown name between 与 and a partnering verb is a company."""
    out: list[Ment] = []
    for f in _PARTNER_FRAME.finditer(folded):
        pos = f.end()
        if _covered(ments, pos, pos + 1):
            continue
        toks = seg.token_after(pos, 12)
        picked = []
        for tk in toks:
            if tk.start != (picked[-1].end if picked else pos) or len(picked) == 3:
                break
            if _PARTNER_VERB.match(tk.text):
                break
            if not re.fullmatch(f"[{CJK}]+", tk.text):
                picked = []
                break
            picked.append(tk)
        if not picked or not _PARTNER_VERB.match(folded, picked[-1].end):
            continue
        e = picked[-1].end
        name = folded[pos:e]
        tg = [tags.get(tk.text) for tk in picked]
        strong = any(t is None or t.startswith(("nt", "nz", "nrt")) for t in tg)
        places = sum(1 for t in tg if t and t.startswith("ns"))
        if not (strong or places >= 2) or any(t and t.startswith(_NAME_TOK_STOP) and not t.startswith(
                ("nr", "nt", "nz", "ns")) for t in tg):
            continue
        if len(name) < 2 or len(name) > 8 or _generic_co(name) or any(c in _FUNCTION for c in name[:1]):
            continue
        if re.search(r"(?:方面|部门|团队|政府|机构|客户|用户|伙伴|厂商|企业|业者|公司|对手|双方|各方)$", name):
            continue
        out.append(Ment(pos, e, text[pos:e], [Sense(_org_type(name), text[pos:e])], "org"))
    return out


_ACQ_CUE = re.compile(r"(?:收购|并购|买下|吞并|入股|控股)(?:了)?\s?")
_NAME_END = re.compile(r"\s?(?:[,;:。!?、]|的|及|和|与|以|后|之后|一事|$)")


def acquired_names(text: str, folded: str, ments: list[Ment], seg: Segmenter, tags: dict[str, str]) -> list[Ment]:
    """"收购了动视暴雪。": an unknown name right after an acquisition verb is a company."""
    out: list[Ment] = []
    for a in _ACQ_CUE.finditer(folded):
        pos = a.end()
        if _covered(ments, pos, pos + 1) or folded[a.start() - 1:a.start()] == "被":
            continue
        toks = seg.token_after(pos, 10)
        picked = []
        for tk in toks:
            if tk.start != (picked[-1].end if picked else pos) or len(picked) == 2:
                break
            if not re.fullmatch(f"[{CJK}]{{2,4}}", tk.text) or tk.text[0] in _FUNCTION:
                break
            tag = tags.get(tk.text) or ""
            if tag.startswith(_NAME_TOK_STOP) and not tag.startswith(("nr", "nt", "nz", "ns")):
                break
            picked.append(tk)
            if _NAME_END.match(folded, tk.end):
                break
        if not picked or not _NAME_END.match(folded, picked[-1].end):
            continue
        if not any(tags.get(tk.text) is None or tags.get(tk.text, "").startswith(("nt", "nz", "nrt"))
                   for tk in picked):
            continue
        s0, e = picked[0].start, picked[-1].end
        name = folded[s0:e]
        if _generic_co(name) or re.search(r"(?:业务|部门|资产|股份|股权|工厂|团队|项目|平台|技术)$", name):
            continue
        out.append(Ment(s0, e, text[s0:e], [Sense("Vendor", text[s0:e])], "org"))
    return out


# ---------------------------------------------------------------- people

_CJK1 = re.compile(f"[{CJK}]")


def longer_people(text: str, folded: str, ments: list[Ment], seg: Segmenter) -> list[Ment]:
    """"王兴兴表示": a known two-character name that jieba shows going on by one
    character is someone else's three-character name."""
    from ingest.nlp.mentions.zh_names import _NOT_NAME_END

    out: list[Ment] = []
    for m in ments:
        if m.kind != "cat" or not m.senses or m.chosen.type != "Person" or m.end - m.start != 2:
            continue
        nxt = folded[m.end:m.end + 1]
        if not _CJK1.match(nxt) or nxt in _NOT_NAME_END or not _CJK1.match(folded[m.start:m.start + 1]):
            continue
        toks = seg.token_after(m.start, 6)
        if len(toks) < 2 or toks[0].end != m.end or toks[1].text != nxt:
            continue
        e = m.end + 1
        out.append(Ment(m.start, e, text[m.start:e], [Sense("Person", text[m.start:e])], "person"))
    return out


# ---------------------------------------------------------------- more anaphora

_MORE_ANAPHORA = re.compile(
    rf"(?P<v>(?<=[,;:。\n\"])\s?公司(?![的]?(?:股价|股票|名称|总部))|该集团|该厂商|这家[{CJK}]{{0,4}}(?:公司|企业|厂商)|该运营商|该车企)"
    rf"|(?P<p>(?:该|这款|此款|该款|这批|这一)[{CJK}]{{0,2}}?(?:{PRODUCT_NOUNS}|设备|车型|机型|产品|服务|游戏|应用|软件|车辆))"
    r"|(?P<e>(?:该|本届|这场|此次)(?:大会|展会|峰会|博览会|活动|会议))"
)


_MEMBER_OF = re.compile(r"\s?的\s?(?:创始|正式|白金|黄金|首批|重要|贡献|高级)?(?:成员|会员|理事)")


_COMPANY_WORD = re.compile(
    r"\b(?:Studios|Games|Technologies|Labs|Inc|Group|Robotics|Motors|Systems|Networks|Security|Capital|"
    r"Semiconductor|Electronics|Software|Holdings|Corporation|Corp|Ltd|LLC|AI)\.?$")
_DATA_SOURCE = re.compile(r"\s?的?\s?(?:数据|数据显示|报告|统计|调查|研究报告|分析师)")


def company_words(ments: list[Ment], folded: str) -> None:
    """"Mojang Studios", "根据Sensor Tower的数据": unknown Latin names that are companies."""
    firms = set()
    for m in ments:
        if m.kind in ("open", "latin") and m.senses:
            name = m.senses[0].name
            if _COMPANY_WORD.search(name) or _DATA_SOURCE.match(folded, m.end) and re.search(
                    r"(?:根据|据|援引|来自)\s?$", folded[max(0, m.start - 4):m.start]):
                firms.add(name)
    for m in ments:
        if m.kind in ("open", "latin") and m.senses and m.senses[0].name in firms:
            m.senses, m.sense, m.kind = [Sense("Vendor", m.senses[0].name)], 0, "named"


def member_bodies(ments: list[Ment], folded: str) -> None:
    """"…都是EMVCo的成员": an unknown name that has members is an organisation."""
    bodies = set()
    for m in ments:
        if m.kind in ("open", "latin", "cand") and m.senses and _MEMBER_OF.match(folded, m.end):
            bodies.add(m.senses[0].name)
    for m in ments:
        if m.kind in ("open", "latin", "cand") and m.senses and m.senses[0].name in bodies:
            m.senses, m.sense, m.kind = [Sense("Organization", m.senses[0].name)], 0, "named"


def _drop_descriptors(ments: list[Ment], folded: str) -> list[Ment]:
    """"先买后付公司Paidy": an unknown "X公司" right before a named company is
    its description, not another company."""
    out = []
    for i, m in enumerate(ments):
        nxt = ments[i + 1] if i + 1 < len(ments) else None
        if (m.kind == "org" and folded[m.start:m.end].endswith(("公司", "厂商", "企业")) and nxt is not None
                and nxt.start - m.end <= 1 and nxt.senses and nxt.chosen.type == "Vendor"):
            continue
        out.append(m)
    return out


def more_refs(ments: list[Ment], refs: list[Ment], text: str, folded: str) -> list[Ment]:
    """Bare 公司 at a clause start, 该集团, 该电池, 这批设备: the nearest fitting
    company or product before them."""
    from ingest.nlp.linking.zh_link import _antecedent

    occupied = bytearray(len(folded) + 1)
    for m in ments + refs:
        occupied[m.start:m.end] = b"\x01" * (m.end - m.start)
    base = sorted(ments, key=lambda m: m.start)
    out: list[Ment] = []
    for hit in _MORE_ANAPHORA.finditer(folded):
        s, e = hit.span()
        if folded[s] == " ":
            s += 1
        if any(occupied[s:e]):
            continue
        types = {"Vendor"} if hit.group("v") else {"Event"} if hit.group("e") else {"Product"}
        ante = _antecedent(base, s, types)
        if ante is None:
            continue
        senses = [x for x in ante.senses if x.type in types] or list(ante.senses)
        out.append(Ment(s, e, text[s:e], senses, "coref", ref=ante))
    return out


# ---------------------------------------------------------------- everything


def propagate_new(text: str, folded: str, ments: list[Ment], new: list[Ment]) -> list[Ment]:
    """Further occurrences of the names found here."""
    known: dict[str, list[Sense]] = {}
    for m in new:
        key = folded[m.start:m.end]
        if len(key) >= 2 and m in ments:
            known.setdefault(key, list(m.senses))
        # "第二代刀片电池": the bare name is found again too
        g = re.match(_GENERATION, key)
        if g and m in ments and len(key) - g.end() >= 2:
            known.setdefault(key[g.end():], list(m.senses))
    if not known:
        return ments
    occupied = bytearray(len(folded) + 1)
    for m in ments:
        occupied[m.start:m.end] = b"\x01" * (m.end - m.start)
    add = []
    rx = re.compile("|".join(re.escape(k) for k in sorted(known, key=len, reverse=True)))
    for hit in rx.finditer(folded):
        s, e = hit.span()
        if any(occupied[s:e]):
            continue
        key = hit.group(0)
        if re.match(r"[A-Za-z0-9]", key[0]) and s > 0 and re.match(r"[A-Za-z0-9]", folded[s - 1]):
            continue
        if re.search(r"[A-Za-z0-9]$", key) and re.match(r"[A-Za-z0-9]", folded[e:e + 1]):
            continue
        add.append(Ment(s, e, text[s:e], list(known[key]), "named"))
        occupied[s:e] = b"\x01" * (e - s)
    return sorted(ments + add, key=lambda m: m.start)


def _link_model_aliases(ments: list[Ment]) -> None:
    """"Mate 70" beside "华为Mate 70": the shorter form is the same model."""
    models = {}
    for m in ments:
        if m.kind == "model":
            models[re.sub(r"\s+", "", m.text).casefold()] = m.senses
    if not models:
        return
    for m in ments:
        if m.kind in _WEAK or m.kind == "cat" and m.chosen.type == "Product":
            key = re.sub(r"\s+", "", m.text).casefold()
            for full, senses in models.items():
                if full != key and full.endswith(key) and re.search(r"\d", key) and len(key) >= 3:
                    m.senses, m.sense, m.kind = list(senses), 0, "model"
                    break


def open_mentions(text: str, folded: str, ments: list[Ment], seg: Segmenter, tags: dict[str, str],
                  gazetteer) -> list[Ment]:
    """The article's mentions with the names found by their frame added."""
    quoted = quoted_names(text, folded, ments) + book_titled_products(text, folded, ments)
    new = quoted + launched_names(text, folded, seg, tags, quoted, ments) + standard_codes(text, folded)
    new += model_mentions(text, folded, ments, gazetteer) + maker_models(text, folded, ments)
    new += subsidiaries(text, folded, ments)
    new += catalog_extensions(text, folded, ments, gazetteer) + coded_products(text, folded, ments)
    new += partner_names(text, folded, ments, seg, tags) + acquired_names(text, folded, ments, seg, tags)
    owners = unknown_owners(text, folded, ments, seg, tags)
    new += owners + owned_companies(text, folded, ments + owners)
    new += titled_orgs(text, folded, ments, seg, tags)
    new += glossed_names(text, folded, ments, seg, tags) + glossed_projects(text, folded, ments, seg)
    merged = merge_mentions(ments, new)
    merged = glossed_people(text, folded, merged)
    people = longer_people(text, folded, merged, seg)
    if people:
        merged = [m for m in merged if not any(p.start == m.start for p in people)] + people
        merged.sort(key=lambda m: m.start)
    more = brand_models(text, folded, merged)
    if more:
        merged = merge_mentions(merged, more)
        new += more
    merged = propagate_new(text, folded, merged, new)
    _link_model_aliases(merged)
    member_bodies(merged, folded)
    company_words(merged, folded)
    merged = _drop_descriptors(merged, folded)
    return merged
