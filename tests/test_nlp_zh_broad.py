"""Chinese extraction: broad rule families (boundaries, types, cue sets).

Every sentence here is written for these tests (none is taken from any
evaluation article). Each family has a sentence it must fire on and one it
must not.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from nlp_helpers import named_triples

from ingest.nlp.mentions.gazetteer import Gazetteer
from ingest.nlp.zh import extract_zh
from kg.catalog import parse_catalog

ROWS = [
    # type, name, name_zh, aliases, market, maker
    ("Vendor", "Samsung", "三星", "", "hardware", ""),
    ("Vendor", "Qualcomm", "高通", "", "chips", ""),
    ("Vendor", "Apple Inc.", "苹果", "Apple", "hardware", ""),
    ("Vendor", "Microsoft", "微软", "微軟", "software", ""),
    ("Vendor", "Alibaba", "阿里巴巴", "", "internet", ""),
    ("Product", "Snapdragon", "骁龙", "", "chips", "Qualcomm"),
    ("Product", "Galaxy", "盖乐世", "", "mobile", "Samsung"),
    ("Product", "A14 Bionic", "", "A14", "chips", "Apple Inc."),
    ("Standard", "Wi-Fi", "", "WiFi", "telecom", ""),
    ("Standard", "5G", "", "", "telecom", ""),
    ("Organization", "JEDEC", "固态技术协会", "", "chips", ""),
]


@pytest.fixture(scope="module")
def gaz(tmp_path_factory) -> Gazetteer:
    path: Path = tmp_path_factory.mktemp("cat") / "catalog.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["type", "name", "name_zh", "aliases", "wikidata", "market", "maker"])
        for t, n, zh, al, market, mk in ROWS:
            w.writerow([t, n, zh, al, "", market, mk])
    return Gazetteer(parse_catalog(path))


def run(text: str, gaz: Gazetteer):
    ents, rels = extract_zh(text, gaz)
    names = {(e.type, e.name) for e in ents}
    triples = named_triples(ents, rels)
    return names, triples


# ---------------------------------------------------------------- name boundaries


def test_catalog_product_extended_by_capitalised_words(gaz):
    names, t = run("新机搭载高通Snapdragon Z Prime处理器,续航提升两成。", gaz)
    assert ("Product", "Snapdragon Z Prime") in names
    assert ("Product", "Snapdragon") not in names
    names, _ = run("三星Galaxy XQ头显运行自家系统。", gaz)
    assert ("Product", "Galaxy XQ") in names
    names, _ = run("该芯片支持Snapdragon API调用。", gaz)
    assert ("Product", "Snapdragon API") not in names


def test_standard_extended_only_up_to_a_version(gaz):
    names, _ = run("首批设备通过Wi-Fi CERTIFIED 9认证。", gaz)
    assert ("Standard", "Wi-Fi CERTIFIED 9") in names
    names, _ = run("运营商扩建5G SA网络。", gaz)
    assert not any(n == "5G SA" for _, n in names)


def test_model_code_after_unknown_word(gaz):
    names, _ = run("新款Vivobook A14笔电上市后销量强劲。", gaz)
    assert ("Product", "Vivobook A14") in names
    assert ("Product", "A14 Bionic 14") not in names
    names, _ = run("苹果A14芯片性能强劲。", gaz)
    assert ("Product", "A14 Bionic") in names
    assert not any(n == "A14 Bionic 14" for _, n in names)


# ---------------------------------------------------------------- competesWith arguments


def test_rival_after_place_word_and_glossed_list_item(gaz):
    _, t = run("三星在存储市场与美国高通、苹果竞争。", gaz)
    assert ("Samsung", "competesWith", "Qualcomm") in t and ("Samsung", "competesWith", "Apple Inc.") in t
    _, t = run("三星与高通(Qualcomm)及苹果直接竞争。", gaz)
    assert ("Samsung", "competesWith", "Apple Inc.") in t
    _, t = run("三星在美国市场销量增长,高通表示满意。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)


def test_compete_cue_synonyms(gaz):
    _, t = run("阿里巴巴同三星展开混战。", gaz)
    assert ("Alibaba", "competesWith", "Samsung") in t
    _, t = run("阿里巴巴同三星展开合作研究。", gaz)
    assert ("Alibaba", "competesWith", "Samsung") not in t


# ---------------------------------------------------------------- Traditional characters


def test_traditional_folding_is_broad_and_keeps_simplified_text():
    from ingest.nlp.text.zh_text import fold

    assert fold("由基金會託管") == "由基金会托管"
    simp = "由基金会托管,著名的干部后来在里面"
    assert fold(simp) == simp.replace("著", "着")  # the old table's choice for 著 stays


# ---------------------------------------------------------------- develops by 由, members


def test_passive_maker_after_you_with_gloss_and_time(gaz):
    _, t = run("Wi-Fi规范由高通(Qualcomm)于去年3月正式发布。", gaz)
    assert ("Qualcomm", "develops", "Wi-Fi") in t
    _, t = run("Wi-Fi规范由于成本原因,高通去年才发布产品。", gaz)
    assert ("Qualcomm", "develops", "Wi-Fi") not in t


def test_listed_companies_all_members(gaz):
    _, t = run("三星、高通与苹果皆为JEDEC会员。", gaz)
    members = {s for s, p, o in t if p == "contributesTo" and o == "JEDEC"}
    assert members == {"Samsung", "Qualcomm", "Apple Inc."}
    _, t = run("三星表示,这是JEDEC会议上的成员发言。", gaz)
    assert not any(p == "contributesTo" for _, p, _ in t)


# ---------------------------------------------------------------- rumours that are denied


def test_denied_rumour_is_not_a_relation(gaz):
    _, t = run("市场传出三星将收购高通,三星对此不予置评。", gaz)
    assert ("Samsung", "acquired", "Qualcomm") not in t
    _, t = run("对于有关三星将收购高通的报道,三星表示目前没有这样的计划。", gaz)
    assert ("Samsung", "acquired", "Qualcomm") not in t
    _, t = run("市场传出三星将收购高通,交易预计明年完成。", gaz)
    assert ("Samsung", "acquired", "Qualcomm") in t


# ---------------------------------------------------------------- integratesWith: carrier frames


def test_carrier_after_carried_part_and_preloaded_software(gaz):
    _, t = run("搭载高通骁龙处理器的三星Galaxy热销,并预载Snapdragon Z Prime驱动。", gaz)
    assert ("Galaxy", "integratesWith", "Snapdragon") in t
    assert ("Galaxy", "integratesWith", "Snapdragon Z Prime") in t
    _, t = run("三星表示不会搭载骁龙的芯片。", gaz)
    assert not any(p == "integratesWith" for _, p, _ in t)


# ---------------------------------------------------------------- people glossed in Latin


def test_titled_transliteration_glossed_by_latin_name(gaz):
    names, t = run("高通執行長艾蒙特拉(Cristiano Amonra)表示,需求強勁。", gaz)
    assert ("Person", "Cristiano Amonra") in names
    assert ("Cristiano Amonra", "leads", "Qualcomm") in t
    names, _ = run("高通發表新平台(Snapdragon Z Prime)。", gaz)
    assert not any(t == "Person" for t, _ in names)


# ---------------------------------------------------------------- leads: a bare title takes the topic


def test_bare_title_opening_a_sentence_leads_the_topic(gaz):
    _, t = run("值得注意的是,三星今年并未涨价。联席CEO金明浩在会上表示,公司将专注于芯片。", gaz)
    assert ("金明浩", "leads", "Samsung") in t
    _, t = run("三星今年并未涨价。分析师金明浩认为需求疲弱。", gaz)
    assert not any(p == "leads" for _, p, _ in t)


# ---------------------------------------------------------------- partnersWith: supplies, named partners


def test_supplied_company_and_named_partners(gaz):
    _, t = run("三星表示,明年量产,首批产品将供应苹果新一代手机。", gaz)
    assert ("Samsung", "partnersWith", "Apple Inc.") in t or ("Apple Inc.", "partnersWith", "Samsung") in t
    _, t = run("在供应链方面,三星的主要代工伙伴为高通与苹果。", gaz)
    assert {("Samsung", "partnersWith", "Qualcomm"), ("Samsung", "partnersWith", "Apple Inc.")} <= t
    _, t = run("三星表示供应商苹果的产能紧张。", gaz)
    assert not any(p == "partnersWith" for _, p, _ in t)


# ---------------------------------------------------------------- acquired: ownership phrasings


def test_company_behind_or_owning_a_company(gaz):
    _, t = run("高通背后是三星,大家都不差钱。", gaz)
    assert ("Samsung", "acquired", "Qualcomm") in t
    _, t = run("高通属于三星集团。", gaz)
    assert ("Samsung", "acquired", "Qualcomm") in t
    _, t = run("这项专利属于三星。三星背后的原因是成本。", gaz)
    assert not any(p == "acquired" for _, p, _ in t)


def test_bare_qixia_takes_the_clause_owner(gaz):
    _, t = run("阿里巴巴则把旗下高通并入新公司。", gaz)
    assert ("Alibaba", "acquired", "Qualcomm") in t
    _, t = run("三星营收增长,旗下手机Galaxy XQ销量大增。", gaz)
    assert ("Samsung", "develops", "Galaxy XQ") in t
    _, t = run("苹果表示,三星是旗下供应商之一的说法不实。", gaz)
    assert not any(p == "acquired" for _, p, _ in t)


def test_mobility_platform_names_are_companies(gaz):
    names, t = run("阿里巴巴旗下的远航出行正与三星合作。", gaz)
    assert ("Vendor", "远航出行") in names
    assert ("Alibaba", "acquired", "远航出行") in t
    names, _ = run("阿里巴巴希望改善市民的绿色出行。", gaz)
    assert not any(n.endswith("出行") for _, n in names)


def test_clause_initial_title_and_name_boundary(gaz):
    names, t = run("高通是美国的芯片公司,创始人兼CEO王磊这两年一直在讲降本。", gaz)
    assert ("Person", "王磊") in names
    assert ("王磊", "leads", "Qualcomm") in t
    _, t = run("高通发布财报,分析师王磊认为不错。", gaz)
    assert not any(p == "leads" for _, p, _ in t)


def test_numbered_generation_of_a_standard(gaz):
    names, _ = run("第一批支持Wi-Fi 9的设备将在明年出现。", gaz)
    assert ("Standard", "Wi-Fi 9") in names
    names, _ = run("Wi-Fi 3年内将普及。", gaz)
    assert ("Standard", "Wi-Fi 3") not in names


def test_negation_before_the_rival_marker(gaz):
    _, t = run("三星表示它并不是要和高通的新款芯片竞争,而是作为补充。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)
    _, t = run("三星表示它要和高通的新款芯片竞争。", gaz)
    assert any(p == "competesWith" for _, p, _ in t)


def test_listed_names_that_are_rivals_of_each_other(gaz):
    _, t = run("三星和高通是多年的老对手,两家都在扩产。", gaz)
    assert ("Samsung", "competesWith", "Qualcomm") in t or ("Qualcomm", "competesWith", "Samsung") in t
    _, t = run("三星和高通都不是对手,而是伙伴。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)
