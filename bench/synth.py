"""A seeded synthetic ecosystem graph for tests and benchmarks.

Builds N entities and M merged facts as real article graphs through
``kg.rdf.article_quads`` (the same mapping ingestion uses), so the app, the
queries and the benchmarks read exactly the shape a real store holds: labels in
English and, for a share of entities, Chinese; aliases; Wikidata-style links;
articles with dates and languages; assertions with evidence and confidence.

Degrees are heavy-tailed: endpoints are drawn with Zipf-like weights, so a few
hubs touch hundreds of facts and most entities only a handful.

    python bench/synth.py --entities 5000 --facts 20000 --store /tmp/synth-store
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.entity_index import index_quads  # noqa: E402
from kg.model import ENTITY_TYPES, SYMMETRIC_PREDICATES, Article, Entity, Extraction, Relation  # noqa: E402
from kg.rdf import article_quads  # noqa: E402

# Which (subject type, object type) pairs each predicate joins.
PREDICATE_TYPES: dict[str, list[tuple[str, str]]] = {
    "competesWith": [("Vendor", "Vendor"), ("Product", "Product"), ("Standard", "Standard")],
    "partnersWith": [("Vendor", "Vendor"), ("Vendor", "Organization")],
    "acquired": [("Vendor", "Vendor")],
    "develops": [("Vendor", "Product"), ("Vendor", "Standard"), ("Organization", "Standard")],
    "supports": [("Vendor", "Standard"), ("Vendor", "Product")],
    "contributesTo": [("Vendor", "Product"), ("Vendor", "Organization"), ("Person", "Product")],
    "integratesWith": [("Product", "Product")],
    "sponsors": [("Vendor", "Organization"), ("Vendor", "Event")],
    "leads": [("Person", "Vendor"), ("Person", "Organization")],
}
PREDICATE_SHARE = {
    "competesWith": 0.2, "partnersWith": 0.16, "acquired": 0.05, "develops": 0.2, "supports": 0.12,
    "contributesTo": 0.08, "integratesWith": 0.1, "sponsors": 0.04, "leads": 0.05,
}
TYPE_SHARE = {"Vendor": 0.34, "Product": 0.3, "Standard": 0.1, "Organization": 0.1, "Person": 0.12, "Event": 0.04}
VERBS = {
    "competesWith": "competes head to head with", "partnersWith": "announced a partnership with",
    "acquired": "agreed to acquire", "develops": "launched", "supports": "will support",
    "contributesTo": "contributes engineers to", "integratesWith": "now runs on",
    "sponsors": "is the main sponsor of", "leads": "is the chief executive of",
}
VERBS_ZH = {
    "competesWith": "与", "partnersWith": "宣布与", "acquired": "将收购", "develops": "推出了",
    "supports": "支持", "contributesTo": "为", "integratesWith": "集成", "sponsors": "赞助", "leads": "领导",
}
_SYL = ["ka", "lo", "mi", "zen", "tor", "vex", "qua", "ry", "sol", "nim", "bra", "dex", "ion", "phi", "ul", "cor"]
_ZH = "云智数联华星腾科信达网讯通创新源极光易天海宇盛恒泰安捷维"
_SUFFIX = {
    "Vendor": ["Systems", "Labs", "Cloud", "Networks", "Inc."],
    "Product": ["Engine", "OS", "DB", "Studio", "Mesh"],
    "Standard": ["Spec", "Protocol", "Format"],
    "Organization": ["Foundation", "Alliance", "Consortium"],
    "Person": [""],
    "Event": ["Con 2015", "Summit 2016", "World 2017"],
}


@dataclass
class SynthEntity:
    entity: Entity
    weight: float


@dataclass
class SynthGraph:
    """What was generated, for tests that want to know the answer."""

    entities: list[Entity] = field(default_factory=list)
    facts: set[tuple[str, str, str]] = field(default_factory=set)
    articles: int = 0
    quads: int = 0


def _name(rng: random.Random, type_: str, i: int) -> str:
    word = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()
    if type_ == "Person":
        last = "".join(rng.choice(_SYL) for _ in range(2)).capitalize()
        return f"{word} {last} {i}"
    return f"{word}{i} {rng.choice(_SUFFIX[type_])}".strip()


def make_entities(rng: random.Random, n: int, zh_share: float = 0.4) -> dict[str, list[SynthEntity]]:
    """Entities per type with Zipf-like weights (rank r gets 1/r^0.9)."""
    by_type: dict[str, list[SynthEntity]] = {t: [] for t in ENTITY_TYPES}
    types = list(TYPE_SHARE)
    shares = [TYPE_SHARE[t] for t in types]
    for i in range(n):
        t = types[i % len(types)] if i < len(types) else rng.choices(types, shares)[0]
        name = _name(rng, t, i)
        labels = {}
        if rng.random() < zh_share:
            labels["zh"] = "".join(rng.choice(_ZH) for _ in range(rng.randint(2, 4))) + str(i)
        aliases = [name.split(" ")[0]] if rng.random() < 0.3 else []
        qid = f"Q{90_000_000 + i}" if rng.random() < 0.2 else None
        ent = Entity(name=name, type=t, aliases=aliases, wikidata=qid, labels=labels)
        rank = len(by_type[t]) + 1
        by_type[t].append(SynthEntity(ent, 1.0 / rank**0.9))
    return by_type


def make_facts(
    rng: random.Random, by_type: dict[str, list[SynthEntity]], m: int
) -> list[tuple[Entity, str, Entity]]:
    """M distinct (subject, predicate, object) facts, endpoints drawn by weight."""
    preds = list(PREDICATE_SHARE)
    pshare = [PREDICATE_SHARE[p] for p in preds]
    cum = {t: _cumulative([e.weight for e in es]) for t, es in by_type.items() if es}
    seen: set[tuple[str, str, str]] = set()
    out: list[tuple[Entity, str, Entity]] = []
    tries = 0
    while len(out) < m and tries < m * 50:
        tries += 1
        p = rng.choices(preds, pshare)[0]
        st, ot = rng.choice(PREDICATE_TYPES[p])
        if st not in cum or ot not in cum:
            continue
        s = rng.choices(by_type[st], cum_weights=cum[st])[0].entity
        o = rng.choices(by_type[ot], cum_weights=cum[ot])[0].entity
        if s.id == o.id:
            continue
        a, b = (s.id, o.id)
        if p in SYMMETRIC_PREDICATES and b < a:
            a, b = b, a
        if (a, p, b) in seen:
            continue
        seen.add((a, p, b))
        out.append((s, p, o))
    return out


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _evidence(s: Entity, p: str, o: Entity, lang: str) -> str:
    if lang == "zh":
        sz, oz = s.labels.get("zh", s.name), o.labels.get("zh", o.name)
        if p == "competesWith":
            return f"{sz}与{oz}展开竞争。"
        if p == "contributesTo":
            return f"{sz}为{oz}贡献代码。"
        return f"{sz}{VERBS_ZH[p]}{oz}。"
    return f"{s.name} {VERBS[p]} {o.name}."


def build_articles(
    rng: random.Random,
    facts: list[tuple[Entity, str, Entity]],
    per_article: int = 8,
    extra_support: float = 0.3,
    start: date = date(2014, 1, 1),
    days: int = 365 * 4,
) -> list[tuple[Article, Extraction]]:
    """Spread facts over articles; about `extra_support` of facts are repeated by a second article."""
    stated = list(facts) + [f for f in facts if rng.random() < extra_support]
    rng.shuffle(stated)
    out: list[tuple[Article, Extraction]] = []
    for k in range(0, len(stated), per_article):
        chunk = stated[k : k + per_article]
        lang = "zh" if rng.random() < 0.3 else "en"
        day = start + timedelta(days=rng.randrange(days))
        ents: dict[str, Entity] = {}
        rels: list[Relation] = []
        lines: list[str] = []
        for s, p, o in chunk:
            ents[s.id], ents[o.id] = s, o
            ev = _evidence(s, p, o, lang)
            pos = sum(len(x) + 1 for x in lines)
            lines.append(ev)
            conf = round(rng.uniform(0.45, 0.98), 2)
            rels.append(Relation(s.id, p, o.id, ev, conf, pos, pos + len(ev)))
        n = len(out)
        title = f"合成文章 {n}" if lang == "zh" else f"Synthetic article {n}"
        text = title + "\n" + "\n".join(lines)
        url = f"https://synthetic.invalid/article/{n}"
        art = Article(source=url, text=text, key=url, title=title, date=day.isoformat(), lang=lang, url=url)
        out.append((art, Extraction(source=url, lang=lang, entities=list(ents.values()), relations=rels)))
    return out


def generate(entities: int, facts: int, seed: int = 7) -> tuple[SynthGraph, list[tuple[Article, Extraction]]]:
    """The synthetic graph description and its articles (nothing written yet)."""
    rng = random.Random(seed)
    by_type = make_entities(rng, entities)
    triples = make_facts(rng, by_type, facts)
    arts = build_articles(rng, triples)
    g = SynthGraph(entities=[e.entity for es in by_type.values() for e in es], articles=len(arts))
    for s, p, o in triples:
        g.facts.add((s.id, p, o.id))
    return g, arts


def write_store(path: str | Path, entities: int = 5000, facts: int = 20000, seed: int = 7) -> SynthGraph:
    """Generate and bulk-load into an Oxigraph store folder (created if missing)."""
    import pyoxigraph as ox

    g, arts = generate(entities, facts, seed)
    store = ox.Store(str(path))
    quads: list[ox.Quad] = []
    base = time.time()
    from datetime import UTC, datetime

    for i, (art, ext) in enumerate(arts):
        when = datetime.fromtimestamp(base - (len(arts) - i) * 60, UTC)
        quads.extend(article_quads(art, ext, ingested_at=when))
    quads.extend(index_quads(quads))  # the entity graph the store keeps on every write
    store.bulk_extend(quads)
    store.flush()
    g.quads = len(quads)
    del store
    return g


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities", type=int, default=5000)
    ap.add_argument("--facts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--store", required=True, help="folder for the Oxigraph store (created)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    g = write_store(args.store, args.entities, args.facts, args.seed)
    print(
        f"{len(g.entities)} entities, {len(g.facts)} facts, {g.articles} articles, "
        f"{g.quads} quads in {time.perf_counter() - t0:.1f} s -> {args.store}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ------------------------------------------------------------------ hostile content for escaping tests
XSS_MARKER_ID = "xss-injected"
HOSTILE_NAME = '<img src=x onerror="window.__xss=1"><b id="xss-injected">Evil</b> Corp'
HOSTILE_PRODUCT = "**Bold** [click me](https://evil.example/steal) <script>window.__xss=2</script>"
HOSTILE_EVIDENCE = (
    '<script>window.__xss=3;alert(3)</script> <img src=x onerror="alert(4)"> '
    "[a link](javascript:alert(5)) <iframe src=\"https://evil.example/\"></iframe> competes with"
)
HOSTILE_TITLE = '<script>alert("title")</script>[Read more](https://evil.example/) <svg onload=alert(6)>'


def hostile_article(partner: Entity | None = None, day: str = "2016-05-01") -> tuple[Article, Extraction]:
    """An article whose names, title, URL and evidence are HTML/JS/Markdown payloads.

    Rendered anywhere in the app it must show as plain text and run nothing;
    a script that did run would set ``window.__xss``, an injected element would
    carry the id ``xss-injected``, and an alert would open a dialog.
    """
    evil = Entity(name=HOSTILE_NAME, type="Vendor", aliases=["<svg/onload=alert(7)>"],
                  labels={"zh": "<b>恶意</b>公司"})
    prod = Entity(name=HOSTILE_PRODUCT, type="Product")
    ents = [evil, prod]
    rels = [Relation(evil.id, "develops", prod.id, HOSTILE_EVIDENCE, 0.9, 0, len(HOSTILE_EVIDENCE))]
    if partner is not None:
        ents.append(partner)
        rels.append(Relation(evil.id, "competesWith", partner.id, HOSTILE_EVIDENCE, 0.95, 0, len(HOSTILE_EVIDENCE)))
    text = HOSTILE_TITLE + "\n" + HOSTILE_EVIDENCE
    url = "javascript:alert(8)//https://evil.example/"
    art = Article(source=url, text=text, key="urn:test:hostile", title=HOSTILE_TITLE, date=day, lang="en", url=url)
    return art, Extraction(source=url, lang="en", entities=ents, relations=rels)


def write_hostile(path: str | Path, partner: Entity | None = None) -> Entity:
    """Add the hostile article to a store folder; returns the hostile vendor."""
    import pyoxigraph as ox

    art, ext = hostile_article(partner)
    store = ox.Store(str(path))
    quads = article_quads(art, ext)
    store.bulk_extend(quads + index_quads(quads))
    store.flush()
    del store
    return ext.entities[0]
