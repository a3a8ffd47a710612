"""Pure mapping from an article and its extraction to RDF quads.

One named graph per article holds the article's description, the entities it
mentions (type, labels, aliases, sameAs), each relation triple and an assertion
node with the evidence. Removing or replacing the graph removes or replaces
exactly what the article said.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime

import pyoxigraph as ox

from kg.catalog import Catalog
from kg.model import Article, Entity, Extraction
from kg.namespace import (
    CATALOG_GRAPH,
    DATE_PRECISION,
    ECO,
    END_DATE,
    ENDED_STATUS,
    EVENT_DATE,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    STATUS,
    WD,
    XSD,
    article_iri,
    class_iri,
    entity_iri,
    entity_iri_from_id,
    predicate_iri,
)

EXTRACTOR_VERSION = "ecokg/0.1.0"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # a day, a month or a year
_PRECISION = {4: "year", 7: "month"}
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def first_day(value: str) -> str:
    """'2015' -> '2015-01-01', '2015-06' -> '2015-06-01', a day stays itself."""
    return value + ("-01-01" if len(value) == 4 else "-01" if len(value) == 7 else "")


def date_literal(value: str) -> ox.Literal:
    """An ISO date of year, month or day precision as xsd:gYear, xsd:gYearMonth or xsd:date."""
    return _typed(value, _DATE_TYPES[len(value)])


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


A = _n(RDF.type)
LABEL = _n(RDFS.label)
ALT = _n(SKOS.altLabel)
SAME = _n(OWL.sameAs)


def lang_of(text: str) -> str:
    """'zh' when the string holds Chinese characters, else 'en' (for literal tags)."""
    return "zh" if _CJK.search(text) else "en"


def text_literal(text: str) -> ox.Literal:
    return ox.Literal(text, language=lang_of(text))


def _typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(datatype))


def entity_quads(entity: Entity, graph: ox.NamedNode) -> list[ox.Quad]:
    """Type, labels, aliases and Wikidata link of one entity, in the given graph."""
    node = _n(entity_iri(entity.type, entity.name))
    out = [
        ox.Quad(node, A, _n(class_iri(entity.type)), graph),
        ox.Quad(node, LABEL, text_literal(entity.name), graph),
    ]
    for lang, label in entity.labels.items():
        if label != entity.name:
            out.append(ox.Quad(node, LABEL, ox.Literal(label, language=lang), graph))
    for alias in entity.aliases:
        if alias != entity.name:
            out.append(ox.Quad(node, ALT, text_literal(alias), graph))
    if entity.wikidata:
        out.append(ox.Quad(node, SAME, _n(WD[entity.wikidata]), graph))
    return out


def _assertion_iri(art: str, key: tuple[str, str, str], evidence: str) -> str:
    digest = hashlib.sha1("\x1f".join((*key, evidence)).encode("utf-8")).hexdigest()[:16]
    return f"{art}/assertion/{digest}"


def article_quads(
    article: Article,
    extraction: Extraction,
    run_iri: str | None = None,
    ingested_at: datetime | None = None,
) -> list[ox.Quad]:
    """All quads of one article's named graph."""
    art_iri = article_iri(article.key)
    art = _n(art_iri)
    g = art
    out: list[ox.Quad] = [
        ox.Quad(art, A, _n(SCHEMA.NewsArticle), g),
        ox.Quad(art, A, _n(PROV.Entity), g),
        ox.Quad(art, _n(ECO.sourceKey), ox.Literal(article.key), g),
        ox.Quad(art, _n(ECO.contentHash), ox.Literal(article.content_hash), g),
        ox.Quad(art, _n(SCHEMA.inLanguage), ox.Literal(extraction.lang), g),
        ox.Quad(art, _n(SCHEMA.wordCount), _typed(len(article.text.split()), XSD.integer), g),
        # the text the extraction was made from: corrections export it as training data (kg/curation/gold.py)
        ox.Quad(art, _n(SCHEMA.text), ox.Literal(article.text), g),
    ]
    if article.url:
        out.append(ox.Quad(art, _n(SCHEMA.url), ox.Literal(article.url), g))
    else:  # a file: its absolute file: IRI (the key), the same from whichever folder the command ran in
        local = article.key if article.key.startswith("file:") else article.source
        out.append(ox.Quad(art, _n(SCHEMA.url), ox.Literal(local), g))
    if article.title:
        out.append(ox.Quad(art, _n(SCHEMA.headline), text_literal(article.title), g))
    if article.author:
        out.append(ox.Quad(art, _n(SCHEMA.author), ox.Literal(article.author), g))
    published = article.date if article.date and _DATE.match(article.date) else None
    if published:  # always an xsd:date, so dates compare; a month or year says so beside it
        out.append(ox.Quad(art, _n(SCHEMA.datePublished), _typed(first_day(published), XSD.date), g))
        if len(published) in _PRECISION:
            out.append(ox.Quad(art, _n(DATE_PRECISION), ox.Literal(_PRECISION[len(published)]), g))
    when = (ingested_at or datetime.now(UTC)).replace(microsecond=0)
    out.append(ox.Quad(art, _n(PROV.generatedAtTime), _typed(when.isoformat(), XSD.dateTime), g))
    if run_iri:
        out.append(ox.Quad(art, _n(PROV.wasGeneratedBy), _n(run_iri), g))

    for entity in extraction.entities:
        out.extend(entity_quads(entity, g))
        node = _n(entity_iri(entity.type, entity.name))
        out.append(ox.Quad(art, _n(ECO.mentions), node, g))
        if entity.mentions:
            out.append(ox.Quad(art, _n(SCHEMA.mentions), node, g))

    seen: set[str] = set()
    for rel in extraction.relations:
        s, p, o = _n(entity_iri_from_id(rel.subject)), _n(predicate_iri(rel.predicate)), _n(
            entity_iri_from_id(rel.object)
        )
        ended = rel.status == ENDED_STATUS
        if not ended:  # an ended relation is recorded on its assertion only: the article says it no longer holds
            out.append(ox.Quad(s, p, o, g))
        a_iri = _assertion_iri(art_iri, rel.key(), rel.evidence + ("\x1fended" if ended else ""))
        if a_iri in seen:
            continue
        seen.add(a_iri)
        a = _n(a_iri)
        out.extend(
            [
                ox.Quad(a, A, _n(ECO.Assertion), g),
                ox.Quad(a, _n(ECO.subject), s, g),
                ox.Quad(a, _n(ECO.predicate), p, g),
                ox.Quad(a, _n(ECO.object), o, g),
                ox.Quad(a, _n(ECO.evidence), text_literal(rel.evidence), g),
                ox.Quad(a, _n(ECO.confidence), _typed(round(float(rel.confidence), 4), XSD.double), g),
                ox.Quad(a, _n(ECO.charStart), _typed(rel.start, XSD.integer), g),
                ox.Quad(a, _n(ECO.charEnd), _typed(rel.end, XSD.integer), g),
                ox.Quad(a, _n(PROV.wasDerivedFrom), art, g),
                ox.Quad(a, _n(ECO.extractor), ox.Literal(EXTRACTOR_VERSION), g),
            ]
        )
        event = rel.event_date if rel.event_date and _DATE.match(rel.event_date) else None
        if event:
            out.append(ox.Quad(a, _n(EVENT_DATE), date_literal(event), g))
        if ended:
            out.append(ox.Quad(a, _n(STATUS), ox.Literal(ENDED_STATUS), g))
            end = event or published
            if end:
                out.append(ox.Quad(a, _n(END_DATE), _typed(first_day(end), XSD.date), g))
        if run_iri:
            out.append(ox.Quad(a, _n(PROV.wasGeneratedBy), _n(run_iri), g))
    return _dedupe(out)


def _dedupe(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    seen: set[ox.Quad] = set()
    out = []
    for q in quads:
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def catalog_quads(catalog: Catalog) -> list[ox.Quad]:
    """The catalog as RDF in its own graph: labels in both languages, aliases, sameAs, market."""
    g = _n(CATALOG_GRAPH)
    out: list[ox.Quad] = []
    for e in catalog.entries:
        node = _n(entity_iri(e.type, e.name))
        out.append(ox.Quad(node, A, _n(class_iri(e.type)), g))
        out.append(ox.Quad(node, LABEL, ox.Literal(e.name, language="en"), g))
        if e.name_zh:
            out.append(ox.Quad(node, LABEL, ox.Literal(e.name_zh, language="zh"), g))
        for alias in e.aliases:
            out.append(ox.Quad(node, ALT, text_literal(alias), g))
        if e.wikidata:
            out.append(ox.Quad(node, SAME, _n(WD[e.wikidata]), g))
        if e.market:
            out.append(ox.Quad(node, _n(ECO.market), ox.Literal(e.market), g))
    return _dedupe(out)


def catalog_hash(catalog: Catalog) -> str:
    h = hashlib.sha256()
    for e in catalog.entries:
        h.update(repr(e).encode("utf-8"))
    return "sha256:" + h.hexdigest()
