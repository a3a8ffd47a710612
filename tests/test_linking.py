"""Linking: every mention of one thing ends up on one entity (and company vs product split)."""

from __future__ import annotations

import pytest

from ingest.nlp import Extractor
from kg.catalog import Catalog, CatalogEntry


@pytest.fixture(scope="module")
def x() -> Extractor:
    return Extractor(learned=False, catalog=Catalog([
        CatalogEntry("Vendor", "Docker Inc.", aliases=("Docker, Inc.",)),
        CatalogEntry("Product", "Docker", aliases=("Docker Engine",), maker="Docker Inc."),
        CatalogEntry("Vendor", "MongoDB Inc."),
        CatalogEntry("Product", "MongoDB", aliases=("Mongo",), maker="MongoDB Inc."),
        CatalogEntry("Product", "MongoDB Atlas", maker="MongoDB Inc."),
        CatalogEntry("Vendor", "Microsoft", name_zh="微软", aliases=("Microsoft Corp.",)),
    ]))


def by_name(ex, name):
    return [e for e in ex.entities if e.name == name]


def test_company_and_product_split_by_context(x):
    text = ("Docker Inc. raised $92 million in new funding. Docker has been working closely with "
            "Microsoft to make Docker containers a core component of Windows.")
    ex = x.extract(text, "t", "en")
    vendor = by_name(ex, "Docker Inc.")
    product = by_name(ex, "Docker")
    assert vendor and vendor[0].type == "Vendor"
    assert product and product[0].type == "Product"
    # "Docker has been working with Microsoft" is the company, "Docker containers" the product
    v_starts = {m.start for m in vendor[0].mentions}
    p_starts = {m.start for m in product[0].mentions}
    assert text.index("Docker has") in v_starts
    assert text.index("Docker containers") in p_starts


def test_company_short_form_without_inc_in_text(x):
    ex = x.extract("MongoDB reported revenue growth of 40%. The MongoDB server runs on Linux.", "t", "en")
    types = {e.type for e in ex.entities if e.name in {"MongoDB Inc.", "MongoDB"}}
    assert types == {"Vendor", "Product"}


def test_acronym_defined_in_text():
    x = Extractor(learned=False, catalog=Catalog([]))
    text = ("Members of the Open Container Initiative (OCI) met on Monday. "
            "The OCI published a draft, and the OCI board approved it.")
    ex = x.extract(text, "t", "en")
    oci = [e for e in ex.entities if "OCI" in e.aliases or e.name == "OCI"]
    assert len(oci) == 1
    assert oci[0].name == "Open Container Initiative" and oci[0].type == "Organization"
    assert len(oci[0].mentions) >= 3


def test_person_surname_and_corporate_suffix_short_forms():
    x = Extractor(learned=False, catalog=Catalog([]))
    text = ("Globex Corp. hired Adrian Ionel as chief executive. Ionel said Globex would expand. "
            "Globex plans to hire 200 engineers.")
    ex = x.extract(text, "t", "en")
    people = [e for e in ex.entities if e.type == "Person"]
    assert [p.name for p in people] == ["Adrian Ionel"] and "Ionel" in people[0].aliases
    globex = [e for e in ex.entities if e.name.startswith("Globex")]
    assert len(globex) == 1 and globex[0].type == "Vendor"
    assert {"Globex", "Globex Corp."} <= {globex[0].name, *globex[0].aliases}


def test_coreference_the_company_resolves_to_recent_subject():
    x = Extractor(learned=False, catalog=Catalog([]))
    text = ("Mirantis CEO Adrian Ionel spoke on Monday. Mirantis is now in direct competition with "
            "Pivotal. Ionel says Cisco and VMware now represent the company's two largest competitors.")
    ex = x.extract(text, "t", "en")
    names = {e.id: e.name for e in ex.entities}
    pairs = {frozenset((names[r.subject], names[r.object])) for r in ex.relations
             if r.predicate == "competesWith"}
    assert frozenset(("Mirantis", "VMware")) in pairs
    assert frozenset(("Cisco", "VMware")) not in pairs


def test_catalog_names_and_product_tail(x):
    ex = x.extract("MongoDB said its cloud database, called Atlas, grew fast.", "t", "en")
    assert by_name(ex, "MongoDB Atlas") and "Atlas" in by_name(ex, "MongoDB Atlas")[0].aliases
    ex = x.extract("Microsoft Corp. and Microsoft announced results.", "t", "en")
    ms = by_name(ex, "Microsoft")
    assert len(ms) == 1 and "Microsoft Corp." in ms[0].aliases
    assert ms[0].labels.get("zh") == "微软"


def test_event_editions_split_by_year():
    x = Extractor(learned=False, catalog=Catalog([CatalogEntry("Event", "DockerCon"), CatalogEntry("Vendor", "Docker Inc.")]))
    text = ("Docker Inc. will show it at DockerCon 2015 next week. DockerCon 2016 will be bigger. "
            "At DockerCon, Docker Inc. talked.")
    events = {e.name: e for e in x.extract(text, "t", "en").entities if e.type == "Event"}
    assert set(events) == {"DockerCon 2015", "DockerCon 2016"}
    assert events["DockerCon 2015"].aliases == ["DockerCon"]
    assert not any(e.name.startswith("DockerCon,") for e in x.extract(text, "t", "en").entities)
