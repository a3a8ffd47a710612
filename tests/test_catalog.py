"""The catalog of well-known entities (kg/catalog.csv) loads and holds true, consistent rows."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from kg.catalog import CATALOG_PATH, Catalog, CatalogEntry, parse_catalog
from kg.model import ENTITY_TYPES

HEADER = ["type", "name", "name_zh", "aliases", "wikidata", "market", "maker"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return parse_catalog(CATALOG_PATH)


def _find(catalog: Catalog, type_: str, name: str) -> CatalogEntry:
    for e in catalog.entries:
        if e.type == type_ and e.name == name:
            return e
    raise AssertionError(f"no {type_} row named {name!r}")


def _lookup(catalog: Catalog, form: str, type_: str | None = None) -> list[CatalogEntry]:
    hits = catalog.by_surface().get(form.casefold(), [])
    return [e for e in hits if type_ is None or e.type == type_]


def test_header_is_exact():
    with CATALOG_PATH.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEADER


def test_size(catalog):
    assert len(catalog) >= 600


def test_every_type_present(catalog):
    present = {e.type for e in catalog.entries}
    assert present == set(ENTITY_TYPES)


def test_ids_unique(catalog):
    ids = [e.id for e in catalog.entries]
    assert len(ids) == len(set(ids))


def test_makers_name_existing_rows(catalog):
    names = {e.name for e in catalog.entries}
    bad = [(e.name, e.maker) for e in catalog.entries if e.maker and e.maker not in names]
    assert not bad, bad


def test_makers_only_on_products_and_standards(catalog):
    bad = [e.name for e in catalog.entries if e.maker and e.type not in ("Product", "Standard")]
    assert not bad, bad


def test_no_surface_form_shared_within_a_type(catalog):
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in catalog.entries:
        for form in e.surface_forms():
            owners[(e.type, form.casefold())].add(e.name)
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    assert not shared, shared


def test_wikidata_ids_unique(catalog):
    seen: dict[str, str] = {}
    for e in catalog.entries:
        if e.wikidata:
            assert e.wikidata not in seen, (e.name, seen.get(e.wikidata))
            seen[e.wikidata] = e.name


def test_no_blank_or_padded_fields(catalog):
    for e in catalog.entries:
        for form in e.surface_forms():
            assert form == form.strip() and form, e.name
        assert e.market, f"{e.name} has no market tag"


@pytest.mark.parametrize(
    ("form", "type_", "name"),
    [
        ("微软", "Vendor", "Microsoft"),
        ("微軟", "Vendor", "Microsoft"),
        ("谷歌", "Vendor", "Google"),
        ("华为", "Vendor", "Huawei"),
        ("華為", "Vendor", "Huawei"),
        ("阿里云", "Vendor", "Alibaba Cloud"),
        ("安卓", "Product", "Android"),
        ("三星", "Vendor", "Samsung"),
        ("路透社", "Organization", "Reuters"),
        ("AWS", "Vendor", "Amazon Web Services"),
        ("红帽", "Vendor", "Red Hat"),
        ("Docker, Inc.", "Vendor", "Docker Inc."),
        ("Docker 公司", "Vendor", "Docker Inc."),
        ("Docker Engine", "Product", "Docker"),
        ("Swarm", "Product", "Docker Swarm"),
        ("EKS", "Product", "Amazon EKS"),
        ("鸿蒙", "Product", "HarmonyOS"),
        ("英伟达", "Vendor", "Nvidia"),
        ("安谋", "Vendor", "Arm"),
        ("OCI", "Organization", "Open Container Initiative"),
        ("CNCF", "Organization", "Cloud Native Computing Foundation"),
        ("AWS re:Invent", "Event", "re:Invent"),
        ("Mobile World Congress", "Event", "MWC"),
        ("羅睿蘭", "Person", "Ginni Rometty"),
        ("黄仁勋", "Person", "Jensen Huang"),
        ("Server Side Public License", "Standard", "SSPL"),
    ],
)
def test_known_surface_forms(catalog, form, type_, name):
    assert [e.name for e in _lookup(catalog, form, type_)] == [name]


def test_company_product_split(catalog):
    vendor = _find(catalog, "Vendor", "Docker Inc.")
    product = _find(catalog, "Product", "Docker")
    assert vendor.id != product.id
    assert product.maker == "Docker Inc."
    # a bare "Docker" is not an alias of the company: the extractor decides which one it means
    assert [e.name for e in _lookup(catalog, "Docker")] == ["Docker"]
    mongo_vendor = _find(catalog, "Vendor", "MongoDB Inc.")
    mongo_product = _find(catalog, "Product", "MongoDB")
    assert mongo_product.maker == mongo_vendor.name


def test_facts(catalog):
    assert _find(catalog, "Vendor", "Microsoft").wikidata == "Q2283"
    assert _find(catalog, "Vendor", "Google").wikidata == "Q95"
    assert _find(catalog, "Vendor", "Apple Inc.").wikidata == "Q312"
    assert _find(catalog, "Vendor", "IBM").wikidata == "Q37156"
    assert _find(catalog, "Product", "Windows").maker == "Microsoft"
    assert _find(catalog, "Product", "Kubernetes").maker == "Google"
    assert _find(catalog, "Product", "rkt").maker == "CoreOS"
    assert _find(catalog, "Standard", "appc").maker == "CoreOS"
    assert _find(catalog, "Standard", "Arm architecture").maker == "Arm"
    # types follow the schema conventions
    for type_, name in [
        ("Standard", "RISC-V"),
        ("Standard", "x86"),
        ("Standard", "Python"),
        ("Standard", "GPL"),
        ("Standard", "5G"),
        ("Standard", "Polar code"),
        ("Product", ".NET"),
        ("Product", "Node.js"),
        ("Organization", "3GPP"),
        ("Organization", "United States Department of Commerce"),
        ("Organization", "Tsinghua University"),
        ("Organization", "The New Stack"),
        ("Vendor", "Gartner"),
        ("Vendor", "RedMonk"),
        ("Vendor", "SoftBank Group"),
        ("Event", "DockerCon"),
    ]:
        _find(catalog, type_, name)


def test_events_have_no_year(catalog):
    import re

    for e in catalog.entries:
        if e.type == "Event":
            for form in e.surface_forms():
                assert not re.search(r"\b(19|20)\d\d\b", form), form
