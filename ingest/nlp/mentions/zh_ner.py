"""Chinese mention detection: catalog hits plus names the catalog does not know.

Every detector works on the folded text (Simplified, ASCII punctuation, noise
masked) and returns `Ment` spans with candidate senses; choosing between senses
(Docker the company or the product) happens later, in `zh_link`.
Types of unknown names come from the words around them, the way a Chinese
reader types them: "X公司" is a company, "X平台" a product, "X标准" a standard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.nlp.mentions.zh_match import Hit
from ingest.nlp.text.zh_text import CJK

# ---------------------------------------------------------------- data types


@dataclass(frozen=True)
class Sense:
    """One reading of a mention: an entity type and canonical name."""

    type: str
    name: str
    in_catalog: bool = False
    wikidata: str = ""
    maker: str = ""


@dataclass(eq=False)
class Ment:
    """A span of the text that names (or refers to) an entity.

    Compared by identity: two mentions are the same only if they are one object
    (membership tests stay cheap and never confuse equal-looking spans).
    """

    start: int
    end: int
    text: str
    senses: list[Sense]
    kind: str = "cat"  # cat | latin | person | org | media | event | gloss | coref
    sense: int = 0
    alias_extra: list[str] = field(default_factory=list)
    ref: Ment | None = None  # antecedent of a coreferring expression
    cued: bool = False  # the sense was chosen by words around the mention

    @property
    def chosen(self) -> Sense:
        return self.senses[self.sense]

    def types(self) -> set[str]:
        return {s.type for s in self.senses}


def sense_of(entry) -> Sense:
    """A catalog entry as a Sense."""
    return Sense(entry.type, entry.name, True, entry.wikidata or "", entry.maker or "")


# ---------------------------------------------------------------- noise masking

_NOISE = re.compile(
    r"<(svg|script|style)\b.*?</\1>"  # inline markup blocks
    r"|<[^<>\n]{0,400}>"  # tags and <url>
    r"|\]\([^()\s]*\)"  # markdown link targets
    r"|https?://[^\s<>\"()\[\]]+"  # bare urls
    r"|www\.[^\s<>\"()\[\]]+",
    re.S | re.I,
)


def mask_noise(text: str) -> str:
    """Blank out markup and URLs (same length) so they yield no names."""

    def blank(m: re.Match[str]) -> str:
        s = m.group(0)
        if s.startswith("]("):
            return "]" + " " * (len(s) - 1)
        return re.sub(r"[^\n]", " ", s)

    return _NOISE.sub(blank, text)


# ---------------------------------------------------------------- cue words

#: word right after a name -> type of the name (longest cues first)
AFTER_CUES: list[tuple[str, str]] = [
    (r"(?:有限)?公司|集团|Inc\b|Corp\b|Ltd\b|LLC\b|股份|控股|厂商|银行|证券|资本|科技公司|"
     r"(?:联合)?创始人|创办人|首席执行官|执行长|CEO|董事长|总裁|股价|市值|财报|营收", "Vendor"),
    (r"基金会|联盟|协会|学会|委员会|大学|学院|研究院|研究所|实验室|社区|社群|组织|媒体|杂志|日报|周刊|"
     r"论坛|工作组|标准组织|政府|监管", "Organization"),
    (r"标准|规范|协议|格式|指令集|许可证|许可协议|授权协议|编码|码|语言|规格|算法|(?:指令集)?架构", "Standard"),
    (r"产品|平台|工具|项目|服务|版本|系统|软件|框架|引擎|数据库|芯片|处理器|手机|应用|组件|插件|"
     r"发行版|操作系统|商店|浏览器|容器|云|编辑器|客户端|套件|模块|库|助手|机器人|加速器|显卡|服务器|"
     r"笔记本|平板|手表|车型|大模型|模型|游戏|主机|晶片|软体|作业系统|伺服器|笔电|记忆体|资料库|显示卡|播放器|输入法|"
     r"网盘|搜索引擎|钱包|智能体|加速卡|无人机|电动车|SUV|轿车", "Product"),
    (r"大会|峰会|开发者大会|年会|博览会|展会|技术大会", "Event"),
    (r"教授|博士|先生|女士|本人|担任|出任|接任", "Person"),
    (r"表示|指出|称|说道|说|认为", "Speaker"),  # a person only if the name looks like one
]
#: descriptor right before a name ("投资银行 Goldman Sachs", "科技媒体 Wired")
BEFORE_CUES: list[tuple[str, str]] = [
    (r"(?:创业|初创|科技|软件|软体|互联网|芯片|云)?公司|厂商|供应商|开发商|制造商|银行|集团|巨头|"
     r"对手|企业|分析机构|研究机构|咨询公司", "Vendor"),
    (r"媒体|网站|杂志|报纸|基金会|联盟|协会|组织|大学|社区|机构", "Organization"),
    (r"标准|规范|协议|格式|许可证|编码|语言", "Standard"),
    (r"产品|平台|工具|项目|服务|系统|软件|框架|引擎|数据库|芯片|方案|架构|发行版|应用|组件|晶片|软体|资料库", "Product"),
    (r"首席执行官|执行长|CEO|CTO|COO|CFO|创始人|创办人|董事长|总裁|总经理|教授|博士|分析师|工程师|"
     r"发言人|记者|经理|主管|负责人|研究员|作者|总监|高管", "Person"),
]
_AFTER = [(re.compile(r"\s?(?:" + p + ")"), t) for p, t in AFTER_CUES]
_BEFORE = [(re.compile(r"(?:" + p + r")\s?$"), t) for p, t in BEFORE_CUES]


def cue_type(folded: str, s: int, e: int) -> str | None:
    """Type suggested by the words around [s, e), after-cues first."""
    after = folded[e:e + 8]
    for rx, t in _AFTER:
        m = rx.match(after)
        if m:
            if t == "Speaker":  # "Alex Polvi表示" is a person, "Gartner表示" need not be
                if re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}", folded[s:e]):
                    return "Person"
                break
            return t
    before = folded[max(0, s - 8):s]
    for rx, t in _BEFORE:
        if rx.search(before):
            return t
    return None


# ---------------------------------------------------------------- Latin names

_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[\-\+\.&/'_][A-Za-z0-9]+)*[\+#]*"
_LATIN_RUN = re.compile(
    rf"(?<![A-Za-z0-9\-\.]){_WORD}(?:[ \t]?(?:[&+][ \t]?)?(?:(?=[A-Z0-9]){_WORD}|\d+(?:\.\d+)*))*(?![A-Za-z0-9])"
)
_VERSION = re.compile(r"\s(?:v|V)?\d+(?:\.\d+)*$|\s?[vV]\d+(?:\.\d+)*$")
_YEAR = re.compile(r"(?:19[89]\d|20[0-4]\d)$")

#: generic Latin words that cut a run of Latin words ("Intel CEO" -> "Intel")
BREAK_WORDS = frozenset(
    w.casefold()
    for w in (
        "CEO CTO CFO COO CIO CMO CSO VP SVP EVP API APIs SDK SDKs APP APPs IT VM VMs PC PCs "
        "CPU GPU NPU TPU IaaS PaaS SaaS FaaS CaaS DevOps REST RESTful Hypervisor Internet Beta "
        "Alpha GA PR ID UI UX QA FAQ OK CI CD LTS US USA UK EU IPO HR PDF vs VS Mr Dr PhD IP TB GB "
        "MB KB Gbps GHz MHz nm USD RMB GDP AM PM http https www com html Q1 Q2 Q3 Q4 H1 H2 "
        "NO No Yes TV DIY B2B B2C O2O P2P KPI ROI CRM ERP BI DB SQL NoSQL IDE CLI GUI AIoT ICT WiFi "
        "Co-founder Founder President Chairman Chief Officer Director Manager Engineer Analyst "
        "Professor Article".split()
    )
)
#: words that are not a name on their own but may be part of one ("Chrome OS", "Windows Server")
GENERIC = BREAK_WORDS | frozenset(
    w.casefold()
    for w in ("AI ML IoT VR AR XR OS App Apps Web Server Cloud Open Source Pro Max Plus Lite Mini Ultra "
              "Edition Team Day "
              "Days Inc Ltd Co Corp LLC Group The A An Wi Fi Linux's R D T P L E S M N C K X Y Z").split()
)


@dataclass
class LatinRun:
    start: int
    end: int
    text: str


def latin_runs(masked: str) -> list[LatinRun]:
    """Maximal runs of Latin words (with versions) outside markup."""
    out: list[LatinRun] = []
    for m in _LATIN_RUN.finditer(masked):
        s, e = m.span()
        out.append(LatinRun(s, e, m.group(0)))
    return out


def split_generic(run: LatinRun) -> list[LatinRun]:
    """Cut a run at generic words ("Intel CEO" -> "Intel")."""
    parts: list[LatinRun] = []
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", run.text)]
    cur: list[tuple[int, int, str]] = []
    for w in words:
        if w[2].casefold() in BREAK_WORDS and not re.fullmatch(r"\d+(?:\.\d+)*", w[2]):
            if cur:
                parts.append(_mk(run, cur))
            cur = []
        else:
            cur.append(w)
    if cur:
        parts.append(_mk(run, cur))
    return parts


def _mk(run: LatinRun, words: list[tuple[int, int, str]]) -> LatinRun:
    s, e = run.start + words[0][0], run.start + words[-1][1]
    return LatinRun(s, e, run.text[words[0][0]:words[-1][1]])


def strip_version(name: str) -> str:
    """'Kafka 3.0' -> 'Kafka' (a year stays: events carry it)."""
    m = _VERSION.search(name)
    if m and not _YEAR.search(name) and m.start() > 0:
        return name[: m.start()].rstrip()
    return name


def plausible_latin_name(text: str, cue: str | None) -> bool:
    """Whether an unknown Latin run can be a name at all."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    if text.casefold() in GENERIC:
        return False
    if text.islower():  # "bob", "meta": only with a cue saying what it is
        return cue in {"Product", "Standard", "Organization", "Vendor"} and len(text) >= 3
    if text.isupper() and len(text) <= 4 and cue is None:
        return False  # unexplained acronyms are mostly jargon
    return True


# ---------------------------------------------------------------- Chinese names

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
    "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝雷"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "令狐", "慕容", "皇甫", "尉迟", "公孙")

#: characters of transliterated foreign names (Simplified; text is folded first)
TRANSLIT = set(
    "阿埃艾爱安昂奥澳巴芭白拜班邦保鲍贝本比彼毕宾波伯博布查柴达大黛戴丹道德登邓迪蒂底丁东杜敦多朵厄恩尔"
    "法凡范菲费芬丰佛夫弗福伏盖甘冈高戈哥格葛根贡古瓜圭哈海汉豪赫黑亨洪胡华怀霍基吉纪加佳贾杰金居卡凯"
    "坎康考柯科可克肯孔库夸奎昆拉腊莱兰朗劳勒乐雷蕾里理丽利莉连列林琳留柳隆卢鲁路伦罗洛马玛迈麦曼芒梅"
    "美门蒙米密敏明摩莫默姆穆纳娜乃奈南内妮尼涅宁纽努诺欧帕潘庞佩彭皮珀普齐奇恰钱乔切琴丘屈让热仁日"
    "荣如瑞若萨塞赛桑瑟森沙莎山尚绍舍施什史士舒斯思松苏索塔泰坦汤唐特滕提蒂廷通图托瓦外万旺威韦维温"
    "文翁沃乌伍西希锡席夏肖谢辛欣休许雅亚延扬杨耶伊依因英尤于约泽扎詹兹佐祖卓德兹萊嘉琪娅茨斐霞赖"
    "历廉顿姆娃丝莎洁珊薇露茜俄吕拿蒲鲍埃迦迈罕贺赞绮葆奎诗晓莱嘉柯珀琦丹哲杭皓瑟韩朴崔德"
    "得蒂茨赫弗埃尔伊凡妮黎璐雯瑙捷斐昂戈蕊韦姬琼舍当代翰"
)
_DOT_NAME = re.compile(rf"([{CJK}]{{1,6}})[·•・]([{CJK}]{{1,7}})(?:[·•・]([{CJK}]{{1,7}}))?")

LEAD_TITLES = (
    r"首席执行官|执行长|行政总裁|CEO|首席技术官|CTO|首席运营官|COO|首席财务官|CFO|首席[\u4e00-\u9fff]{1,4}官|"
    r"联合创始人|创始人|创办人|董事长|董事会主席|主席|总裁|总经理|社长|会长|掌门人|负责人|一把手"
)
OTHER_TITLES = r"副总裁|高级副总裁|发言人|分析师|工程师|研究员|记者|主编|经理|总监|教授|博士|院士|主任|部长|局长"
_TITLE_BEFORE = re.compile(rf"(?:{LEAD_TITLES}|{OTHER_TITLES})(?:兼(?:{LEAD_TITLES}))?\s?$")
_TITLE_AFTER = re.compile(r"\s?(?:教授|博士|先生|女士|院士)")


def is_name_token(tok: str, tags: dict[str, str]) -> bool:
    """A jieba token that can be a Chinese person name."""
    if not (2 <= len(tok) <= 4) or not all("\u4e00" <= c <= "\u9fff" for c in tok):
        return False
    if len(tok) == 4 and tok[:2] not in COMPOUND_SURNAMES:
        return False
    if tok[0] not in SURNAMES and tok[:2] not in COMPOUND_SURNAMES:
        return False
    tag = tags.get(tok)
    return tag is None or tag.startswith("nr")


def dot_names(folded: str) -> list[tuple[int, int]]:
    """Transliterated names joined by '·' (萨蒂亚·纳德拉): spans of Person mentions."""
    out: list[tuple[int, int]] = []
    for m in _DOT_NAME.finditer(folded):
        first = m.group(1)
        # keep only the transliteration characters at the left edge ("官马克" -> "马克")
        k = len(first)
        while k > 0 and first[k - 1] in TRANSLIT:
            k -= 1
        if len(first) - k < 1:
            continue
        s = m.start(1) + k
        e = m.end()
        # the right part ends where transliteration characters stop
        tail_start = m.start(2)
        j = tail_start
        last = m.end(3) if m.group(3) else m.end(2)
        while j < last and (folded[j] in TRANSLIT or folded[j] in "·•・"):
            j += 1
        e = j
        if e - tail_start < 1:
            continue
        out.append((s, e))
    return out


# ---------------------------------------------------------------- organisations by suffix

ORG_SUFFIX = re.compile(r"大学|学院|基金会|协会|学会|联盟|委员会|研究院|研究所|实验室")
_GENERIC_ORG_PREFIX = set(
    "中国 美国 日本 韩国 欧洲 全球 国际 国家 国内 海外 世界 这个 该 这家 一家 多家 其他 所有 大型 "
    "相关 行业 产业 技术 标准 开源 其 本 我们 他们 各 某 知名 顶尖 著名 顶级 联合 重点 国家级 省级 "
    "市级 企业 高校 名校 一流 多所 这所 该所 两家 三家 研发 创新 人工智能".split()
)
COUNTRIES = (
    "中国|美国|日本|韩国|英国|德国|法国|印度|俄罗斯|加拿大|澳大利亚|以色列|土耳其|荷兰|瑞典|芬兰|瑞士|"
    "新加坡|台湾|香港|欧洲|北美|意大利|西班牙|巴西|越南|爱尔兰|比利时|丹麦|挪威|奥地利"
)
_COUNTRY_PREFIX = re.compile(rf"^(?:{COUNTRIES})")

# news agencies and papers: "据新华社报道", "美联社记者"
_PRESS = re.compile(rf"(?:据|援引|根据)\s?([{CJK}]{{1,4}}(?:社|报|电视台|通讯社))(?=\s?(?:报道|消息|援引|称|的报道))")
_MEDIA_BOOK = re.compile(r"《([^《》\n]{2,20})》")
_MEDIA_BEFORE = re.compile(r"(?:媒体|报纸|杂志|刊物|周刊|日报|网站|电视台)\s?$")
_MEDIA_AFTER = re.compile(r"\s?(?:的)?(?:报道|报导|采访|专访|援引|社论|消息称|称|发文|撰文)")


def hits_to_ments(text: str, hits: list[Hit]) -> list[Ment]:
    """Catalog hits as mentions (several senses where a name is ambiguous)."""
    out = []
    for h in hits:
        senses = []
        for e in h.entries:
            s = sense_of(e)
            if s not in senses:
                senses.append(s)
        out.append(Ment(h.start, h.end, text[h.start:h.end], senses, "cat"))
    return out
