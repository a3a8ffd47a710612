"""The one place where ecokg spells IRIs.

Every module that needs an IRI imports it from here, as rdflib's own
``rdflib.namespace`` does for the W3C vocabularies.
"""

from __future__ import annotations

import hashlib

from rdflib import Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg.model import entity_id

ECO = Namespace("https://w3id.org/ecokg/ns#")
ENT = Namespace("https://w3id.org/ecokg/entity/")
ART = Namespace("https://w3id.org/ecokg/article/")
RUN = Namespace("https://w3id.org/ecokg/run/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
WD = Namespace("http://www.wikidata.org/entity/")
# Analysts' corrections (kg/curation/) and the people who made them.
COR = Namespace("https://w3id.org/ecokg/correction/")
AGENT = Namespace("https://w3id.org/ecokg/agent/")

CATALOG_GRAPH = ECO["graph/catalog"]
ONTOLOGY_GRAPH = ECO["graph/ontology"]
ANALYTICS_GRAPH = ECO["graph/analytics"]
RUNS_GRAPH = ECO["graph/runs"]
# One description per entity (types, labels, aliases, sameAs), derived from the article and catalog
# graphs by the store on every write: see kg/entity_index.py.
ENTITIES_GRAPH = ECO["graph/entities"]
# Analysts' corrections with their PROV, applied on top of the extracted graph: see kg/curation/.
CURATION_GRAPH = ECO["graph/curation"]
GRAPHS = Namespace(str(ECO) + "graph/")
# Facts in time (kg/ontology.ttl): an assertion's status ("ended"), the event date its sentence gives,
# and the date an ended fact stopped; an article date given without a day says its precision.
STATUS = ECO.status
EVENT_DATE = ECO.eventDate
END_DATE = ECO.endDate
DATE_PRECISION = ECO.datePrecision
ENDED_STATUS = "ended"

PREFIXES: dict[str, str] = {
    "eco": str(ECO),
    "ent": str(ENT),
    "art": str(ART),
    "run": str(RUN),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dct": str(DCT),
    "wd": str(WD),
    "ecog": str(GRAPHS),
    "cor": str(COR),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, to put in front of a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def entity_iri(type_: str, name: str) -> str:
    """IRI of an entity from its type and canonical name (stable across runs)."""
    return str(ENT[entity_id(type_, name)])


def entity_iri_from_id(eid: str) -> str:
    return str(ENT[eid])


def article_iri(key: str) -> str:
    """IRI of an article (and of its named graph) from its canonical key (URL or file URI)."""
    return str(ART[hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]])


def class_iri(type_: str) -> str:
    return str(ECO[type_])


def predicate_iri(predicate: str) -> str:
    return str(ECO[predicate])


def local_name(iri: str) -> str:
    """The part after the namespace, for display ('vendor-microsoft', 'competesWith')."""
    for ns in (ENT, ECO, ART, RUN, COR):
        if iri.startswith(str(ns)):
            return iri[len(str(ns)) :]
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
