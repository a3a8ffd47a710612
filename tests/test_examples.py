"""The SPARQL page's examples answer their questions on a store written the way ingestion writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecokg.ui.examples import EXAMPLES
from kg.model import Article, Entity, Extraction, Relation
from kg.namespace import article_iri
from kg.query import run_query
from kg.rdf import article_quads

VMWARE = Entity(name="VMware", type="Vendor", labels={"zh": "威睿"})
MICROSOFT = Entity(name="Microsoft", type="Vendor", labels={"zh": "微软"})
NUTANIX = Entity(name="Nutanix", type="Vendor")
BROADCOM = Entity(name="Broadcom", type="Vendor")
GOOGLE = Entity(name="Google", type="Vendor")
OCI = Entity(name="OCI", type="Standard")
DOCKER = Entity(name="Docker Inc.", type="Vendor", aliases=["Docker"])
COREOS = Entity(name="CoreOS", type="Vendor")
ENGINE = Entity(name="Docker Engine", type="Product")


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
    ("urn:ex:4", "2015-06-22", [DOCKER, MICROSOFT, COREOS, ENGINE, OCI], [
        _rel(DOCKER, "partnersWith", MICROSOFT, "Docker and Microsoft joined forces.", 0.8),
        _rel(COREOS, "competesWith", DOCKER, "CoreOS took on Docker with rkt."),
        _rel(DOCKER, "develops", ENGINE, "Docker Inc. builds Docker Engine."),
        _rel(DOCKER, "supports", OCI, "Docker supports the OCI image format."),
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


def test_rivals_and_partners_of_an_entity(filled):
    rows = {(r["name"], r["relation"].rsplit("#", 1)[-1], r["articles"])
            for r in _rows(filled, "Rivals and partners of an entity (edit the name)")}
    assert rows == {("Microsoft", "partnersWith", "1"), ("CoreOS", "competesWith", "1")}  # either way round


def test_evidence_between_two_entities(filled):
    rows = _rows(filled, "Evidence between two entities (edit the entity IRIs)")
    assert [(r["relation"].rsplit("#", 1)[-1], r["evidence"]) for r in rows] == [
        ("partnersWith", "Docker and Microsoft joined forces.")]


def test_acquisitions_and_what_an_entity_backs(filled):
    acq = _rows(filled, "Acquisitions by date")
    assert [(r["buyerName"], r["targetName"], r["date"]) for r in acq] == [("Broadcom", "VMware", "2023-11-22")]
    std = _rows(filled, "Standards by number of related entities")
    assert [(r["name"], r["related"]) for r in std] == [("OCI", "3")]  # Google, Microsoft, Docker
    backs = {(r["name"], r["how"].rsplit("#", 1)[-1], r["articles"])
             for r in _rows(filled, "What an entity develops, supports or sponsors (edit the name)")}
    assert backs == {("Docker Engine", "develops", "1"), ("OCI", "supports", "1")}


def test_most_cited_connected_and_newest(filled):
    cited = _rows(filled, "Most-cited facts")
    assert (cited[0]["s"], cited[0]["o"], cited[0]["articles"]) == (
        "https://w3id.org/ecokg/entity/vendor-google", "https://w3id.org/ecokg/entity/standard-oci", "2")
    assert len(cited) == 11 and all(r["articles"] == "1" for r in cited[1:])
    top = {r["name"]: r["neighbours"] for r in _rows(filled, "Most-connected entities (distinct neighbours)")}
    assert top["VMware"] == "3" and top["Docker Inc."] == "4" and top["OCI"] == "3"
    arts = [r["date"] for r in _rows(filled, "Articles, newest first")]
    assert arts == ["2024-03-02", "2024-01-10", "2023-11-22", "2015-06-22"]


def test_chinese_labels_from_the_entity_graph(filled):
    rows = {(r["en"], r["zh"]) for r in _rows(filled, "Entities with Chinese labels")}
    assert rows == {("VMware", "威睿"), ("Microsoft", "微软")}


def test_every_example_returns_rows_on_the_default_corpus(tmp_path):
    """What `make run` opens on: corpus/ ingested as it ships; every example must answer something."""
    from ingest.ingestion import ingest_paths
    from kg.store import EmbeddedStore

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    with EmbeddedStore(tmp_path / "store") as store:
        report = ingest_paths(store, [corpus])
        assert not report.failed
        empty = [name for name, q in EXAMPLES.items() if not run_query(store, q).rows]
    assert not empty, f"examples with no rows on the default corpus: {empty}"
