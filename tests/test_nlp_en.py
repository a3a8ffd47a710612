"""English extraction rules: for each rule family, a sentence it must fire on and one it must not.

Real spaCy, no mocks. Most tests run with an empty catalog so that the rules, not the
catalog, are under test; a few use a tiny in-code catalog.
"""

from __future__ import annotations

import pytest
from nlp_helpers import has, named_triples

from ingest.nlp import Extractor, detect_lang, get_extractor
from ingest.nlp.mentions.gazetteer import Gazetteer
from ingest.nlp.relations.relations_common import type_ok
from kg.catalog import Catalog, CatalogEntry
from kg.model import Extraction


@pytest.fixture(scope="module")
def bare() -> Extractor:
    return Extractor(learned=False, catalog=Catalog([]))


@pytest.fixture(scope="module")
def small() -> Extractor:
    return Extractor(learned=False, catalog=Catalog([
        CatalogEntry("Vendor", "Docker Inc.", aliases=("Docker, Inc.",)),
        CatalogEntry("Product", "Docker", aliases=("Docker Engine",), maker="Docker Inc."),
        CatalogEntry("Vendor", "Red Hat", aliases=("Red Hat Inc.",)),
        CatalogEntry("Vendor", "Arm", aliases=("Arm Holdings",)),
        CatalogEntry("Standard", "Arm architecture", aliases=("Arm ISA",), maker="Arm"),
        CatalogEntry("Product", "Kubernetes", aliases=("K8s",)),
        CatalogEntry("Product", "libcontainer", maker="Docker Inc."),
        CatalogEntry("Event", "DockerCon"),
        CatalogEntry("Vendor", "Microsoft", name_zh="微软"),
    ]))


def ents(x: Extractor, text: str) -> dict[str, str]:
    return {e.name: e.type for e in x.extract(text, "t.txt", "en").entities}


def rels(x: Extractor, text: str) -> set[tuple[str, str, str]]:
    ex = x.extract(text, "t.txt", "en")
    return named_triples(ex.entities, ex.relations)


# --- entity rules -------------------------------------------------------------------------


def test_corporate_suffix_makes_a_vendor(bare):
    assert ents(bare, "Zentrix Systems Inc. announced new storage arrays on Monday.").get(
        "Zentrix Systems Inc.") == "Vendor"
    assert "Monday" not in ents(bare, "The arrays ship on Monday.")


def test_organization_words(bare):
    e = ents(bare, "Qualcomm complained to the Federal Trade Commission about the deal.")
    assert e.get("Federal Trade Commission") == "Organization"
    assert "Qualcomm" in e and e["Qualcomm"] != "Organization"


def test_version_number_is_a_product_cue(bare):
    ex = bare.extract("Last week ClusterHQ released Flocker 1.0 for container data.", "t", "en")
    flocker = next(e for e in ex.entities if e.name == "Flocker")
    assert flocker.type == "Product" and "Flocker 1.0" in flocker.aliases
    assert not any(e.name.startswith("1.") for e in ex.entities)


def test_owner_named_standard(small):
    e = ents(small, "Apple licenses the Arm instruction set for its chips.")
    assert e.get("Arm architecture") == "Standard"
    e2 = ents(small, "Arm opened an office in Shanghai.")
    assert "Arm architecture" not in e2


def test_person_from_title_context(bare):
    text = "Mirantis CEO Adrian Ionel said the deal closed. Ionel says customers will benefit."
    ex = bare.extract(text, "t", "en")
    person = next(e for e in ex.entities if e.name == "Adrian Ionel")
    assert person.type == "Person" and "Ionel" in person.aliases
    assert not any(e.name == "Ionel" for e in ex.entities)


def test_two_word_company_is_not_a_person(small):
    assert ents(small, "Red Hat and VMware remain the largest competitors.").get("Red Hat") == "Vendor"


def test_event_gets_its_year(small):
    e = ents(small, "Docker showed the feature at DockerCon 2015 in San Francisco.")
    assert e.get("DockerCon 2015") == "Event"
    assert "San Francisco" not in e


def test_junk_is_dropped(bare):
    e = ents(bare, "Shares of Oracle (NYSE: ORCL) rose 3% in January, beating the Global 500 companies.")
    assert "ORCL" not in e and "January" not in e and "Global 500" not in e


def test_headline_only_names_are_dropped(bare):
    e = ents(bare, "Restructured Acme Sells Platform Business To Globex\n\nAcme Inc. said it sold a unit.")
    assert "Platform Business" not in e


def test_language_detection():
    assert detect_lang("Docker announced support for Kubernetes.") == "en"
    assert detect_lang("红帽收购了 CoreOS，Kubernetes 的竞争加剧。") == "zh"
    assert detect_lang("微軟與紅帽宣布合作。") == "zh"  # Traditional Chinese
    assert detect_lang("Docker 公司 announced Swarm mode and many other English words here today.") == "en"


# --- relation rules -----------------------------------------------------------------------


def test_acquisition_active_passive_nominal(bare):
    assert has(rels(bare, "Globex Corp. acquired Initech Inc. last year."), "Globex Corp.", "acquired", "Initech Inc.")
    r = rels(bare, "British chip designer Arm is currently owned by Japanese tech giant SoftBank.")
    assert has(r, "SoftBank", "acquired", "Arm")
    r = rels(bare, "Regulators are studying Nvidia's proposed acquisition of Arm.")
    assert has(r, "Nvidia", "acquired", "Arm")
    r = rels(bare, "Samsung Electronics has agreed to acquire Harman International for $8 billion.")
    assert has(r, "Samsung Electronics", "acquired", "Harman International")


def test_sell_to_means_the_buyer_acquired(small):
    r = rels(small, "Globex Corp. has sold Initech Inc. to Mirantis for $100 million.")
    assert has(r, "Mirantis", "acquired", "Initech Inc.")
    assert not any(p == "acquired" and s == "Globex Corp." for s, p, o in r)


def test_rumours_and_negation_drop(bare):
    assert not any(p == "acquired" for _, p, _ in rels(
        bare, "Analysts said rumours that Intel would buy MediaTek were unfounded."))
    assert not any(p == "competesWith" for _, p, _ in rels(
        bare, "Kreps said Confluent Inc. is not really competing with Microsoft."))


def test_develops_from_launch_and_maker(bare):
    r = rels(bare, "Qualcomm unveiled the Snapdragon 835 processor on Tuesday.")
    assert has(r, "Qualcomm", "develops", "Snapdragon 835")
    r = rels(bare, "Harman, the maker of JBL speakers, will operate as a subsidiary.")
    assert has(r, "Harman", "develops", "JBL")


def test_possessive_product_is_developed_by_owner(small):
    r = rels(small, "The OCI runtime spec grew out of Docker's libcontainer project.")
    assert has(r, "Docker Inc.", "develops", "libcontainer")


def test_partnership_and_coordination(bare):
    r = rels(bare, "Docker Inc. also has an IT services alliance with IBM in place.")
    assert has(r, "Docker Inc.", "partnersWith", "IBM")
    r = rels(bare, "Red Hat and VMware collectively now represent the largest competitors.")
    assert not any(p == "competesWith" for _, p, _ in r)


def test_competition(bare):
    r = rels(bare, "Nvidia, which is a rival to chipmakers such as AMD and Intel, wants the deal.")
    assert has(r, "Nvidia", "competesWith", "AMD") and has(r, "Nvidia", "competesWith", "Intel")


def test_supports(small):
    r = rels(small, "Docker announced support for Kubernetes at its conference.")
    assert has(r, "Docker Inc.", "supports", "Kubernetes")
    r = rels(small, "Docker Inc. did not announce support for Kubernetes.")
    assert not any(p == "supports" for _, p, _ in r)


def test_contributes_to(bare):
    r = rels(bare, "Intel Corp. has joined the Open Container Initiative as a founding member.")
    assert has(r, "Intel Corp.", "contributesTo", "Open Container Initiative")


def test_integrates_with(small):
    r = rels(small, "Mirantis will focus on the instance of Docker that runs on Kubernetes.")
    assert has(r, "Docker", "integratesWith", "Kubernetes")


def test_sponsors_event(small):
    r = rels(small, "DockerCon 2016 was sponsored by Microsoft this year.")
    assert has(r, "Microsoft", "sponsors", "DockerCon 2016")


def test_leads_patterns(bare):
    assert has(rels(bare, "Mirantis CEO Adrian Ionel said the deal closed."), "Adrian Ionel", "leads", "Mirantis")
    assert has(rels(bare, "Jim Zemlin, head of the Linux Foundation, spoke first."),
               "Jim Zemlin", "leads", "Linux Foundation")
    assert not any(p == "leads" for _, p, _ in rels(bare, "Adrian Ionel met Mirantis customers in Boston."))


def test_coreference_the_company(bare):
    text = ("Mirantis CEO Adrian Ionel spoke on Monday. Mirantis is now in direct competition with "
            "Pivotal. Ionel says Cisco and VMware now represent the company's two largest competitors.")
    r = rels(bare, text)
    assert has(r, "Mirantis", "competesWith", "VMware")


# --- contract -----------------------------------------------------------------------------


def test_contract_evidence_confidence_types(small):
    text = ("Docker Inc. announced support for Kubernetes. Red Hat acquired CoreOS Inc. in 2018, "
            "and Red Hat CEO Jim Whitehurst said CoreOS would join OpenShift.")
    ex = small.extract(text, "t.txt")
    assert isinstance(ex, Extraction) and ex.lang == "en"
    types = {e.id: e.type for e in ex.entities}
    assert ex.relations
    for r in ex.relations:
        assert text[r.start:r.end] == r.evidence
        assert 0.0 <= r.confidence <= 1.0
        assert type_ok(r.predicate, types[r.subject], types[r.object])
    keys = [r.key() for r in ex.relations]
    assert len(keys) == len(set(keys))
    for e in ex.entities:
        for a in e.aliases:
            assert a in text


def test_tickers_do_not_break_offsets(small):
    text = ("Shares of Oracle (NYSE: ORCL) fell. Docker Inc. (NASDAQ: DOCK) announced support for "
            "Kubernetes, and Microsoft's (NASDAQ: MSFT) Azure runs Docker.")
    ex = small.extract(text, "t", "en")
    assert not any(e.name in {"ORCL", "MSFT", "NYSE", "NASDAQ"} for e in ex.entities)
    for e in ex.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    assert ex.relations and all(text[r.start:r.end] == r.evidence for r in ex.relations)


def test_extract_many_keeps_order_and_languages(small):
    items = [("Docker announced support for Kubernetes.", "a.txt", None),
             ("微软宣布支持 Kubernetes。", "b.txt", None),
             ("Red Hat acquired CoreOS Inc.", "c.txt", "en")]
    out = list(small.extract_many(items))
    assert [x.source for x in out] == ["a.txt", "b.txt", "c.txt"]
    assert [x.lang for x in out] == ["en", "zh", "en"]


def test_get_extractor_is_cached():
    assert get_extractor() is get_extractor()


def test_gazetteer_case_and_boundaries():
    g = Gazetteer(Catalog([CatalogEntry("Vendor", "Arm"), CatalogEntry("Vendor", "Oracle"),
                           CatalogEntry("Product", "Kubernetes Engine"),
                           CatalogEntry("Vendor", "Microsoft", name_zh="微软")]))
    found = lambda t: [(t[s:e], x.name) for s, e, x in g.find(t)]  # noqa: E731
    assert found("Arm sells designs") == [("Arm", "Arm")]
    assert found("my arm hurts; an oracle spoke") == []
    assert found("Armada and Armor") == []
    assert found("the kubernetes engine team") == [("kubernetes engine", "Kubernetes Engine")]
    assert found("微软宣布") == [("微软", "Microsoft")]
    assert "微软" in g.jieba_words()
    assert [e.name for e in g.lookup("ORACLE")] == ["Oracle"]


def test_language_hints_are_normalised(small):
    from ingest.nlp.pipeline import normalize_lang

    assert normalize_lang("zh-CN", "Docker") == "zh" and normalize_lang("en-US", "微软") == "en"
    assert normalize_lang(None, "微软宣布") == "zh" and normalize_lang("fr", "Docker won") == "en"
    assert small.extract("Docker announced support for Kubernetes.", "a", "en-GB").lang == "en"


def test_robust_on_odd_input(small):
    for text in ["", "   ", "\n\n", "Inc.", "(NASDAQ: MSFT)", "Apple, " * 200, "🙂 Apple 🙂",
                 "ＡＰＰＬＥ and Ｇｏｏｇｌｅ", "re:Invent 2017 and DockerCon '15"]:
        ex = small.extract(text, "odd")
        for e in ex.entities:
            for m in e.mentions:
                assert text[m.start:m.end] == m.text
        assert all(text[r.start:r.end] == r.evidence for r in ex.relations)


def test_convention_phrases(bare):
    """Phrasings the annotation conventions name explicitly (schema.md)."""
    r = rels(bare, "Cisco Systems joined Microsoft Corp. to announce a new hybrid cloud offering.")
    assert has(r, "Cisco Systems", "partnersWith", "Microsoft Corp.")
    r = rels(bare, "Intel Corp. has joined the Linux Foundation as a founding member.")
    assert has(r, "Intel Corp.", "contributesTo", "Linux Foundation")
    r = rels(bare, "Lenovo Group will acquire Motorola Mobility from Google Inc. for $2.9 billion.")
    assert has(r, "Lenovo Group", "acquired", "Motorola Mobility")
    assert not any(s == "Google Inc." and p == "acquired" for s, p, _ in r)
    r = rels(bare, "Globex Corp. and Initech Inc. are the largest suppliers of memory chips.")
    assert not any(p == "partnersWith" for _, p, _ in r)


def test_support_from_a_list(small):
    r = rels(small, "Kubernetes is winning, given support from Microsoft, Red Hat and Docker Inc.")
    assert has(r, "Microsoft", "supports", "Kubernetes") and has(r, "Red Hat", "supports", "Kubernetes")
    assert has(r, "Docker Inc.", "supports", "Kubernetes")
    assert not any(p == "supports" for _, p, _ in rels(small, "Kubernetes got no support from Microsoft."))


def test_coordination_reciprocals_and_cofounders(bare):
    r = rels(bare, "Siemens AG and Nvidia Corp. signed a partnership agreement on Monday.")
    assert has(r, "Siemens AG", "partnersWith", "Nvidia Corp.")
    r = rels(bare, "Analysts expect a fierce rivalry between Globex Corp. and Initech Inc.")
    assert has(r, "Globex Corp.", "competesWith", "Initech Inc.")
    r = rels(bare, "Figma Inc. was co-founded by Dylan Field and Evan Wallace.")
    assert has(r, "Dylan Field", "leads", "Figma Inc.") and has(r, "Evan Wallace", "leads", "Figma Inc.")
    r = rels(bare, "Instagram, a unit of Meta Platforms Inc., launched a new app.")
    assert any(p == "acquired" and s == "Meta Platforms Inc." for s, p, _ in r)


def test_as_title_and_customers(bare):
    r = rels(bare, "Tim Cook, who succeeded Steve Jobs as Apple's chief executive, spoke on Monday.")
    assert has(r, "Tim Cook", "leads", "Apple")
    r = rels(bare, "Tesla Inc. uses Nvidia Corp.'s chips in its data centers.")
    assert has(r, "Tesla Inc.", "partnersWith", "Nvidia Corp.")
    assert not any(p == "partnersWith" for _, p, _ in rels(bare, "Tesla Inc. does not use Nvidia Corp.'s chips."))
