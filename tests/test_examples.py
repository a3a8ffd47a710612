"""The SPARQL page's examples answer their questions on a store written the way ingestion writes it."""

from __future__ import annotations

import pytest

from ingest.model import Article, Entity, Extraction, Relation
from kg.namespace import article_iri
from kg.query import run_query
from kg.rdf import article_quads
from kg.ui.examples import EXAMPLES

VMWARE = Entity(name="VMware", type="Vendor", labels={"zh": "威睿"})
MICROSOFT = Entity(name="Microsoft", type="Vendor", labels={"zh": "微软"})
NUTANIX = Entity(name="Nutanix", type="Vendor")
BROADCOM = Entity(name="Broadcom", type="Vendor")
GOOGLE = Entity(name="Google", type="Vendor")
OCI = Entity(name="OCI", type="Standard")


def _rel(s: Entity, p: str, o: Entity, evidence: str, conf: float = 0.9) -> Relation:
    return Relation(subject=s.id, predicate=p, object=o.id, evidence=evidence, confidence=conf)


ARTICLES = [
    ("urn:ex:1", "2024-01-10", [VMWARE, MICROSOFT, OCI, GOOGLE], [
        _rel(VMWARE, "competesWith", MICROSOFT, "VMware competes with Microsoft in virtualization."),
        _rel(GOOGLE, "supports", OCI, "Google supports the OCI image format."),
    ]),
    ("urn:ex:2", "2024-03-02", [VMWARE, MICROSOFT, NUTANIX, OCI, MICROSOFT], [
        _rel(MICROSOFT, "competesWith", VMWARE, "Microsoft Hyper-V takes on VMware.", 0.8),
        _rel(NUTANIX, "competesWith", VMWARE, "Nutanix is a rival of VMware."),
        _rel(MICROSOFT, "supports", OCI, "Microsoft backs OCI."),
    ]),
    ("urn:ex:3", "2023-11-22", [BROADCOM, VMWARE, GOOGLE, OCI], [
        _rel(BROADCOM, "acquired", VMWARE, "Broadcom completed its acquisition of VMware."),
        _rel(GOOGLE, "develops", OCI, "Google helped write the OCI specs."),
        _rel(GOOGLE, "supports", OCI, "Google still supports OCI."),
    ]),
]


@pytest.fixture()
def filled(store):
    for key, day, ents, rels in ARTICLES:
        art = Article(source=key, text=" ".join(r.evidence for r in rels), key=key, title=key, date=day, lang="en", url=key)
        store.replace_graph(article_iri(key), article_quads(art, Extraction(source=key, lang="en", entities=ents, relations=rels)))
    return store


def _rows(store, name: str) -> list[dict[str, str]]:
    res = run_query(store, EXAMPLES[name])
    return [{c: (v if v is None else v.value) for c, v in zip(res.columns, row, strict=True)} for row in res.rows]


def test_every_example_runs(filled):
    for name in EXAMPLES:
        run_query(filled, EXAMPLES[name])  # raises on a syntax error or a refused query


def test_rivals_counts_articles_either_way_round(filled):
    rows = {r["name"]: r for r in _rows(filled, "Rivals of an entity (edit the name)")}
    assert set(rows) == {"Microsoft", "Nutanix"}
    assert rows["Microsoft"]["articles"] == "2" and rows["Nutanix"]["articles"] == "1"


def test_evidence_for_a_rivalry_best_first(filled):
    rows = _rows(filled, "Evidence for a rivalry (edit the entity IRIs)")
    assert [r["evidence"] for r in rows] == [
        "VMware competes with Microsoft in virtualization.",
        "Microsoft Hyper-V takes on VMware.",
    ]


def test_acquisitions_and_standards(filled):
    acq = _rows(filled, "Acquisitions by date")
    assert [(r["buyerName"], r["targetName"], r["date"]) for r in acq] == [("Broadcom", "VMware", "2023-11-22")]
    std = _rows(filled, "Standards by number of backers")
    assert [(r["name"], r["backers"]) for r in std] == [("OCI", "2")]  # Google (twice) and Microsoft
    who = {(r["name"], r["how"].rsplit("#", 1)[-1], r["articles"]) for r in _rows(filled, "Who backs a standard (edit the name)")}
    assert who == {("Google", "supports", "2"), ("Google", "develops", "1"), ("Microsoft", "supports", "1")}


def test_most_cited_and_newest_articles(filled):
    cited = _rows(filled, "Most-cited facts")
    assert (cited[0]["s"], cited[0]["o"], cited[0]["articles"]) == (
        "https://w3id.org/ecokg/entity/vendor-google", "https://w3id.org/ecokg/entity/standard-oci", "2")
    assert len(cited) == 7 and all(r["articles"] == "1" for r in cited[1:])
    arts = [r["date"] for r in _rows(filled, "Articles by publication date, newest first")]
    assert arts == ["2024-03-02", "2024-01-10", "2023-11-22"]


def test_chinese_labels_from_the_entity_graph(filled):
    rows = {(r["en"], r["zh"]) for r in _rows(filled, "Entities with Chinese labels")}
    assert rows == {("VMware", "威睿"), ("Microsoft", "微软")}
