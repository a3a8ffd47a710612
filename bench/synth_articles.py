"""Seeded synthetic articles in English and Chinese, built from templates.

Names come from the catalog (``kg/catalog.csv``) when it exists, else from a
built-in list of well-known vendors and products, plus a long tail of made-up
companies and products. Names are drawn with Zipf weights, so a few vendors
appear everywhere and most rarely: the merged graph gets a heavy-tailed degree
distribution, as real coverage does.

Each article comes with the extraction its templates encode (entities with
mention offsets, relations with evidence), so benchmarks can fill a store
without running the extractor. ``python bench/synth_articles.py OUT --n 100``
writes article files.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.model import Article, Entity, Extraction, Mention, Relation, entity_id

# ------------------------------------------------------------------ names
_VENDORS = [
    ("Microsoft", "微软"), ("Google", "谷歌"), ("Amazon", "亚马逊"), ("Alibaba", "阿里巴巴"),
    ("Tencent", "腾讯"), ("Huawei", "华为"), ("Baidu", "百度"), ("IBM", ""), ("Oracle", "甲骨文"),
    ("Intel", "英特尔"), ("NVIDIA", "英伟达"), ("AMD", ""), ("Red Hat", "红帽"), ("VMware", ""),
    ("Docker Inc.", ""), ("Mirantis", ""), ("SUSE", ""), ("Canonical", ""), ("Cisco", "思科"),
    ("Apple", "苹果"), ("Samsung", "三星"), ("Xiaomi", "小米"), ("ByteDance", "字节跳动"),
    ("Salesforce", ""), ("SAP", ""), ("Dell", "戴尔"), ("Lenovo", "联想"), ("Qualcomm", "高通"),
    ("Arm", ""), ("Meta", ""), ("Cloudflare", ""), ("Databricks", ""), ("Snowflake", ""),
    ("MongoDB", ""), ("Elastic", ""), ("Confluent", ""), ("HashiCorp", ""), ("GitLab", ""),
]
_PRODUCTS = [
    ("Azure", "", "Microsoft"), ("Windows Server", "", "Microsoft"), ("Google Cloud", "谷歌云", "Google"),
    ("Android", "安卓", "Google"), ("TensorFlow", "", "Google"), ("AWS", "亚马逊云科技", "Amazon"),
    ("Alibaba Cloud", "阿里云", "Alibaba"), ("Tencent Cloud", "腾讯云", "Tencent"),
    ("HarmonyOS", "鸿蒙", "Huawei"), ("Ernie Bot", "文心一言", "Baidu"), ("Db2", "", "IBM"),
    ("Oracle Database", "", "Oracle"), ("Xeon", "至强", "Intel"), ("CUDA", "", "NVIDIA"),
    ("EPYC", "", "AMD"), ("OpenShift", "", "Red Hat"), ("vSphere", "", "VMware"),
    ("Docker Enterprise", "", "Docker Inc."), ("Docker Swarm", "", "Docker Inc."),
    ("Ubuntu", "", "Canonical"), ("iOS", "", "Apple"), ("Snapdragon", "骁龙", "Qualcomm"),
    ("PyTorch", "", "Meta"), ("WeChat", "微信", "Tencent"), ("Kafka", "", "Confluent"),
    ("Terraform", "", "HashiCorp"), ("Elasticsearch", "", "Elastic"), ("Kubernetes", "", "Google"),
]
_STANDARDS = [("OCI", ""), ("HTTP/3", ""), ("5G", ""), ("USB-C", ""), ("RISC-V", ""), ("OpenAPI", ""),
              ("Wi-Fi 7", ""), ("WebAssembly", ""), ("SQL", ""), ("TLS 1.3", "")]
_ORGS = [("Linux Foundation", "Linux基金会"), ("Cloud Native Computing Foundation", "云原生计算基金会"),
         ("Apache Software Foundation", "Apache软件基金会"), ("W3C", ""), ("IETF", ""),
         ("OpenInfra Foundation", ""), ("Eclipse Foundation", "")]
_PEOPLE = [("Satya Nadella", "萨提亚·纳德拉", "Microsoft"), ("Sundar Pichai", "桑达尔·皮查伊", "Google"),
           ("Jensen Huang", "黄仁勋", "NVIDIA"), ("Lisa Su", "苏姿丰", "AMD"),
           ("Adrian Ionel", "", "Mirantis"), ("Pony Ma", "马化腾", "Tencent"), ("Robin Li", "李彦宏", "Baidu")]
_EVENTS = [("DockerCon", ""), ("KubeCon", ""), ("re:Invent", ""), ("Google I/O", ""), ("WWDC", ""),
           ("Mobile World Congress", "世界移动通信大会")]

_SYL = ["nor", "va", "la", "qu", "ori", "x", "tel", "dyn", "ark", "zen", "lum", "cor", "syn", "tra",
        "vel", "mon", "pix", "rio", "sol", "ter", "bex", "cal", "fin", "gra", "hal", "ion", "jet", "kor"]
_CO_SUFFIX = ["Systems", "Labs", "Networks", "Software", "Technologies", "Data", "Cloud", "AI"]
_PR_SUFFIX = ["DB", "Edge", "Flow", "Mesh", "Stack", "OS", "Hub", "Studio", "Engine", "Vault"]
MARKETS = [("cloud", "云计算"), ("container", "容器"), ("database", "数据库"), ("AI chip", "AI芯片"),
           ("smartphone", "智能手机"), ("observability", "可观测性"), ("edge computing", "边缘计算")]
CITIES = [("San Francisco", "旧金山"), ("Barcelona", "巴塞罗那"), ("Shanghai", "上海"), ("Las Vegas", "拉斯维加斯")]


@dataclass(frozen=True)
class Name:
    """One nameable thing: canonical name, Chinese name (may be empty), type, maker."""

    name: str
    zh: str
    type: str
    maker: str = ""

    def surface(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else self.name


@dataclass
class Pools:
    """Names per type, in popularity order, with cumulative Zipf weights for fast draws."""

    by_type: dict[str, list[Name]]
    cum: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t, names in self.by_type.items():
            self.cum[t] = list(itertools.accumulate(1.0 / (i + 1) ** 1.05 for i in range(len(names))))

    def draw(self, rng: random.Random, type_: str) -> Name:
        return rng.choices(self.by_type[type_], cum_weights=self.cum[type_])[0]


def _made_up(rng: random.Random, n: int, suffixes: list[str], taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        stem = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()
        name = f"{stem} {rng.choice(suffixes)}"
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def _catalog_names() -> dict[str, list[Name]] | None:
    try:
        from kg.catalog import CATALOG_PATH, parse_catalog

        if not CATALOG_PATH.exists():
            return None
        cat = parse_catalog(CATALOG_PATH)
    except Exception:  # noqa: BLE001 - a broken catalog falls back to the built-in names
        return None
    out: dict[str, list[Name]] = {}
    for e in cat.entries:
        out.setdefault(e.type, []).append(Name(e.name, e.name_zh, e.type, e.maker))
    needed = ("Vendor", "Product", "Standard", "Organization", "Person", "Event")
    return out if all(out.get(t) for t in needed) else None


def build_pools(seed: int = 7, tail_vendors: int = 400, tail_products: int = 800) -> Pools:
    """Catalog (or built-in) names first, then a seeded long tail of made-up vendors and products."""
    rng = random.Random(seed)
    by_type = _catalog_names() or {
        "Vendor": [Name(n, z, "Vendor") for n, z in _VENDORS],
        "Product": [Name(n, z, "Product", m) for n, z, m in _PRODUCTS],
        "Standard": [Name(n, z, "Standard") for n, z in _STANDARDS],
        "Organization": [Name(n, z, "Organization") for n, z in _ORGS],
        "Person": [Name(n, z, "Person", m) for n, z, m in _PEOPLE],
        "Event": [Name(n, z, "Event") for n, z in _EVENTS],
    }
    taken = {n.name for names in by_type.values() for n in names}
    vendors = _made_up(rng, tail_vendors, _CO_SUFFIX, taken)
    by_type["Vendor"] = by_type["Vendor"] + [Name(v, "", "Vendor") for v in vendors]
    by_type["Product"] = by_type["Product"] + [
        Name(p, "", "Product", rng.choice(vendors)) for p in _made_up(rng, tail_products, _PR_SUFFIX, taken)
    ]
    return Pools(by_type)


# ------------------------------------------------------------------ templates
# Slots: {V1} {V2} vendors, {P1} {P2} products, {S1} standard, {O1} organization,
# {H1} person, {E1} event; relations as (slot, predicate, slot).
EN_FACTS = [
    ("{V1} announced on {date} that it has agreed to acquire {V2} for ${n} million.", [("V1", "acquired", "V2")]),
    ("{V1} competes with {V2} in the {market} market.", [("V1", "competesWith", "V2")]),
    ("{V1} and {V2} announced a partnership to bring {P1} to more customers.", [("V1", "partnersWith", "V2")]),
    ("{P1}, developed by {V1}, now integrates with {P2}.", [("V1", "develops", "P1"), ("P1", "integratesWith", "P2")]),
    ("{V1} said {P1} will support {S1} in its next release.", [("P1", "supports", "S1")]),
    ("{V1} is a major contributor to {P1}, the open-source project hosted by the {O1}.",
     [("V1", "contributesTo", "P1")]),
    ("{V1} sponsors {E1}, which takes place in {city} this year.", [("V1", "sponsors", "E1")]),
    ("{H1}, chief executive of {V1}, said the company would double its investment in {market}.",
     [("H1", "leads", "V1")]),
    ("{P1} from {V1} is the main rival of {P2} from {V2}.",
     [("P1", "competesWith", "P2"), ("V1", "develops", "P1"), ("V2", "develops", "P2")]),
]
EN_FILLER = [
    "Analysts expect spending on {market} to grow {k} percent over the next {k} years.",
    "The company reported revenue of ${n} million for the quarter, up {k} percent from a year earlier.",
    "Customers have been asking for simpler pricing, better documentation and fewer surprises on the bill.",
    "The move follows months of speculation about the future of the business and its largest customers.",
    "According to a survey of {n} IT decision makers, adoption remains uneven across industries.",
    "{V1} declined to comment on the financial terms of the arrangement.",
    "Developers who spoke to us at the conference were cautiously optimistic about the roadmap.",
    "It is not yet clear how the changes will affect existing contracts or support commitments.",
]
ZH_FACTS = [
    ("{V1}于{date}宣布，已同意以{n}亿美元收购{V2}。", [("V1", "acquired", "V2")]),
    ("{V1}与{V2}在{market}市场展开激烈竞争。", [("V1", "competesWith", "V2")]),
    ("{V1}和{V2}宣布建立合作伙伴关系，共同推广{P1}。", [("V1", "partnersWith", "V2")]),
    ("由{V1}开发的{P1}现已与{P2}实现集成。", [("V1", "develops", "P1"), ("P1", "integratesWith", "P2")]),
    ("{V1}表示，{P1}的下一个版本将支持{S1}标准。", [("P1", "supports", "S1")]),
    ("{V1}是{O1}托管的开源项目{P1}的主要贡献者。", [("V1", "contributesTo", "P1")]),
    ("{V1}赞助了今年在{city}举行的{E1}。", [("V1", "sponsors", "E1")]),
    ("{V1}首席执行官{H1}表示，公司将加大在{market}领域的投入。", [("H1", "leads", "V1")]),
    ("{V1}的{P1}是{V2}旗下{P2}的主要竞争对手。",
     [("P1", "competesWith", "P2"), ("V1", "develops", "P1"), ("V2", "develops", "P2")]),
]
ZH_FILLER = [
    "分析人士预计，未来{k}年{market}支出将增长{k}%。",
    "该公司公布的季度营收为{n}亿美元，同比增长{k}%。",
    "客户一直希望获得更简单的定价、更好的文档以及更少的账单意外。",
    "此举是在外界对该业务及其最大客户的前景猜测数月之后做出的。",
    "一项针对{n}名IT决策者的调查显示，各行业的采用情况仍然参差不齐。",
    "{V1}拒绝透露此次合作的财务条款。",
    "在大会上接受采访的开发者对产品路线图持谨慎乐观的态度。",
    "目前尚不清楚这些变化将如何影响现有合同和支持承诺。",
]
_SLOT_TYPE = {"V": "Vendor", "P": "Product", "S": "Standard", "O": "Organization", "H": "Person", "E": "Event"}


@dataclass
class SynthArticle:
    """A generated article and the extraction its templates encode."""

    name: str
    lang: str
    title: str
    date: str
    text: str
    extraction: Extraction

    def article(self, key_prefix: str = "synth://") -> Article:
        key = key_prefix + self.name
        return Article(source=key, text=self.text, key=key, title=self.title, date=self.date, lang=self.lang)


class _Builder:
    """Accumulates text, mentions and relations for one article."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.parts: list[str] = []
        self.pos = 0
        self.entities: dict[str, Entity] = {}
        self.relations: list[Relation] = []

    def add_text(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def add_sentence(self, rng: random.Random, pools: Pools, template: str, rels: list) -> None:
        names: dict[str, Name] = {}
        for slot in _slots(template) | {s for r in rels for s in (r[0], r[2])}:
            names[slot] = pools.draw(rng, _SLOT_TYPE[slot[0]])
        if "V1" in names and "P1" in names and names["P1"].maker and rng.random() < 0.7:
            names["V1"] = Name(names["P1"].maker, _zh_of(pools, names["P1"].maker), "Vendor")
        if names.get("V1") == names.get("V2"):
            names["V2"] = pools.by_type["Vendor"][-1 - rng.randrange(50)]
        start = self.pos
        values = _values(rng, self.lang)
        spans: dict[str, tuple[int, int]] = {}
        for lit, slot in _split(template):
            if lit:
                self.add_text(lit.format(**values))
            if slot:
                surface = names[slot].surface(self.lang)
                spans[slot] = (self.pos, self.pos + len(surface))
                self.add_text(surface)
        sentence = "".join(self.parts)[start:]
        for slot, (s, e) in spans.items():
            n = names[slot]
            ent = self.entities.get(entity_id(n.type, n.name))
            if ent is None:
                labels = {"zh": n.zh} if n.zh else {}
                ent = self.entities[entity_id(n.type, n.name)] = Entity(name=n.name, type=n.type, labels=labels)
            ent.mentions.append(Mention(s, e, sentence[s - start : e - start]))
        for a, pred, b in rels:
            sa, sb = names[a], names[b]
            self.relations.append(
                Relation(entity_id(sa.type, sa.name), pred, entity_id(sb.type, sb.name), sentence,
                         round(rng.uniform(0.5, 0.95), 2), start, self.pos)
            )


def _zh_of(pools: Pools, vendor: str) -> str:
    for n in pools.by_type["Vendor"][:200]:
        if n.name == vendor:
            return n.zh
    return ""


def _slots(template: str) -> set[str]:
    return {slot for _, slot in _split(template) if slot}


def _split(template: str) -> list[tuple[str, str | None]]:
    """Literal text and entity slots, in order (other {fields} stay in the literal text)."""
    out: list[tuple[str, str | None]] = []
    buf = ""
    i = 0
    while i < len(template):
        if template[i] == "{" and template[i + 1 : i + 2] in _SLOT_TYPE and template[i + 2 : i + 3].isdigit():
            j = template.index("}", i)
            out.append((buf, template[i + 1 : j]))
            buf, i = "", j + 1
        else:
            buf += template[i]
            i += 1
    out.append((buf, None))
    return out


def _values(rng: random.Random, lang: str) -> dict[str, object]:
    zh = lang == "zh"
    y, m, d = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return {
        "date": f"{y}年{m}月{d}日" if zh else f"{['January','February','March','April','May','June','July','August','September','October','November','December'][m-1]} {d}, {y}",
        "n": rng.randint(2, 900),
        "k": rng.randint(2, 40),
        "market": rng.choice(MARKETS)[1 if zh else 0],
        "city": rng.choice(CITIES)[1 if zh else 0],
    }


def make_article(rng: random.Random, pools: Pools, index: int, lang: str, size: int) -> SynthArticle:
    """One article of about ``size`` words (English) or characters (Chinese)."""
    facts, filler = (ZH_FACTS, ZH_FILLER) if lang == "zh" else (EN_FACTS, EN_FILLER)
    b = _Builder(lang)
    lead = pools.draw(rng, "Vendor")
    title = (f"{lead.surface('zh')}的下一步：{rng.choice(MARKETS)[1]}市场观察" if lang == "zh"
             else f"What comes next for {lead.name} in the {rng.choice(MARKETS)[0]} market")
    b.add_text(title + "\n\n")
    measure = (lambda: b.pos) if lang == "zh" else (lambda: sum(len(p.split()) for p in b.parts))
    sep = "" if lang == "zh" else " "
    while measure() < size:
        for i in range(rng.randint(3, 5)):
            if i:
                b.add_text(sep)
            if rng.random() < 0.45:
                tpl, rels = rng.choice(facts)
                b.add_sentence(rng, pools, tpl, rels)
            else:
                b.add_sentence(rng, pools, rng.choice(filler), [])
        b.add_text("\n\n")
    text = "".join(b.parts).rstrip() + "\n"
    y, m, d = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    name = f"{index:06d}_{lang}"
    ext = Extraction(source=name, lang=lang, entities=list(b.entities.values()), relations=b.relations)
    return SynthArticle(name, lang, title, f"{y:04d}-{m:02d}-{d:02d}", text, ext)


def generate(n: int, seed: int = 7, zh_share: float = 0.3, en_words: int = 400, zh_chars: int = 700,
             pools: Pools | None = None, start: int = 0) -> Iterator[SynthArticle]:
    """``n`` seeded articles, a ``zh_share`` of them Chinese; same seed, same articles."""
    pools = pools or build_pools(seed)
    rng = random.Random(seed * 1_000_003 + start)
    for i in range(start, start + n):
        lang = "zh" if rng.random() < zh_share else "en"
        yield make_article(rng, pools, i, lang, zh_chars if lang == "zh" else en_words)


def write_corpus(folder: str | Path, n: int, **kw) -> list[Path]:
    """Write ``n`` articles as NAME.txt files into ``folder``; returns the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in generate(n, **kw):
        p = out / f"{a.name}.txt"
        p.write_text(a.text, encoding="utf-8")
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", help="folder to write NAME.txt files into")
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--zh-share", type=float, default=0.3)
    p.add_argument("--en-words", type=int, default=400)
    p.add_argument("--zh-chars", type=int, default=700)
    a = p.parse_args(argv)
    paths = write_corpus(a.out, a.n, seed=a.seed, zh_share=a.zh_share, en_words=a.en_words, zh_chars=a.zh_chars)
    print(f"wrote {len(paths)} articles to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
