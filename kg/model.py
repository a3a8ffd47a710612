"""The extraction contract as Python types (mirrors ../shared/spec/schema.md).

Everything the extractor returns and everything the store writes goes through these
dataclasses, so the JSON contract, the RDF mapping and the app read one shape.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

ENTITY_TYPES: tuple[str, ...] = ("Vendor", "Product", "Standard", "Organization", "Person", "Event")
SYMMETRIC_PREDICATES: frozenset[str] = frozenset({"competesWith", "partnersWith", "integratesWith"})
ENDED = "ended"  # Relation.status of a relation the text says has stopped
PREDICATES: tuple[str, ...] = (
    "competesWith",
    "partnersWith",
    "acquired",
    "develops",
    "supports",
    "contributesTo",
    "integratesWith",
    "sponsors",
    "leads",
)


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)  # compiled once: the zh rules overflow re's cache


def slugify(name: str) -> str:
    """A stable, IRI-safe slug: NFKC, case-folded, runs of non-word characters to '-'.

    Word characters include CJK, so a Chinese-only name keeps a readable slug.
    """
    s = unicodedata.normalize("NFKC", name).casefold()
    s = _NON_WORD.sub("-", s).strip("-_")
    if not s:
        s = "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    return s[:120]


def entity_id(type_: str, name: str) -> str:
    """The stable id of an entity, derived from its type and canonical name."""
    return f"{type_.lower()}-{slugify(name)}"


@dataclass
class Mention:
    """One place in the text where an entity is named."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """A linked entity: one real-world thing, whatever the article calls it."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # language -> label, e.g. {"zh": "微软"}
    mentions: list[Mention] = field(default_factory=list)
    in_catalog: bool = False

    @property
    def id(self) -> str:
        return entity_id(self.type, self.name)


@dataclass
class Relation:
    """A typed relation between two entity ids, with the sentence that says so."""

    subject: str
    predicate: str
    object: str
    evidence: str
    confidence: float
    start: int = 0  # character offsets of the evidence in the article text
    end: int = 0
    # "ended" when the evidence says the relation stopped ("ended its partnership", "不再是竞争对手");
    # None for a relation the text states as holding.
    status: str | None = None
    # The date the sentence gives the event ("in 2013", "last March", "2014年12月"), resolved against
    # the article's date: ISO with its precision ("2013", "2014-12", "2015-06-22"); None when it gives none.
    event_date: str | None = None

    def key(self) -> tuple[str, str, str]:
        """Identity of the fact; symmetric predicates ignore argument order."""
        s, o = self.subject, self.object
        if self.predicate in SYMMETRIC_PREDICATES and o < s:
            s, o = o, s
        return (s, self.predicate, o)


@dataclass
class Extraction:
    """What one article yields: its entities and relations."""

    source: str
    lang: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def to_json(self) -> dict:
        """The schema.md shape: entities with id/name/type/aliases, relations by id."""
        ents = []
        for e in self.entities:
            d = {"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases)}
            if e.wikidata:
                d["wikidata"] = e.wikidata
            d["mentions"] = [[m.start, m.end] for m in e.mentions]
            ents.append(d)
        rels = []
        for r in self.relations:
            d = asdict(r)
            for optional in ("status", "event_date"):  # only when known: the contract's shape otherwise
                if d[optional] is None:
                    del d[optional]
            rels.append(d)
        return {"source": self.source, "lang": self.lang, "entities": ents, "relations": rels}


@dataclass
class Article:
    """An article's text and metadata, as read from a file or fetched from the web."""

    source: str  # the path or URL it was read from (as given)
    text: str
    key: str  # canonical identity: resolved file URI or canonical URL
    title: str | None = None
    date: str | None = None  # ISO date, when known
    lang: str | None = None  # hint; the extractor detects when None
    url: str | None = None
    author: str | None = None

    @property
    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()
