"""Chinese extraction (ingest/nlp/zh.py and ingest/nlp/*/zh_*.py): entities, linking, relation rules.

Runs the real segmenter (jieba through spaCy) over sentences written for these
tests, with a small catalog of well-known names. Each rule family has a
sentence it must fire on and one it must not.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from nlp_helpers import has, named_triples

from ingest.nlp.mentions.gazetteer import Gazetteer
from ingest.nlp.text.zh_text import fold, sentences
from ingest.nlp.zh import extract_zh
from kg.catalog import parse_catalog

ROWS = [
    ("Vendor", "Docker Inc.", "Docker公司", "Docker|Docker 公司", ""),
    ("Product", "Docker", "", "Docker Engine", "Docker Inc."),
    ("Vendor", "Google", "谷歌", "", ""),
    ("Vendor", "Microsoft", "微软", "微軟", ""),
    ("Vendor", "Huawei", "华为", "華為", ""),
    ("Vendor", "Red Hat", "红帽", "紅帽", ""),
    ("Vendor", "IBM", "", "", ""),
    ("Vendor", "Oracle", "甲骨文", "", ""),
    ("Vendor", "Tencent", "腾讯", "", ""),
    ("Vendor", "Alibaba", "阿里巴巴", "", ""),
    ("Vendor", "Baidu", "百度", "", ""),
    ("Vendor", "Apple", "苹果公司", "", ""),
    ("Vendor", "Samsung", "三星", "", ""),
    ("Vendor", "Intel", "英特尔", "英特爾", ""),
    ("Vendor", "CoreOS", "", "", ""),
    ("Product", "Kubernetes", "", "K8s", "Google"),
    ("Product", "Android", "安卓", "", "Google"),
    ("Product", "OpenStack", "", "", ""),
    ("Product", "Linux", "", "", ""),
    ("Product", "Windows Server", "", "", "Microsoft"),
    ("Standard", "5G", "", "", ""),
    ("Standard", "OAuth", "", "", ""),
    ("Organization", "Linux Foundation", "Linux基金会", "", ""),
    ("Organization", "Reuters", "路透社", "", ""),
    ("Event", "DockerCon", "", "", ""),
    ("Event", "KubeCon", "", "", ""),
    ("Person", "Satya Nadella", "萨蒂亚·纳德拉", "纳德拉", ""),
]


@pytest.fixture(scope="module")
def gaz(tmp_path_factory) -> Gazetteer:
    path: Path = tmp_path_factory.mktemp("cat") / "catalog.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["type", "name", "name_zh", "aliases", "wikidata", "market", "maker"])
        for t, n, zh, al, mk in ROWS:
            w.writerow([t, n, zh, al, "", "", mk])
    return Gazetteer(parse_catalog(path))


def run(text: str, gaz: Gazetteer):
    ents, rels = extract_zh(text, gaz)
    return ents, rels, named_triples(ents, rels)


def ent(ents, name: str):
    return next((e for e in ents if e.name == name), None)


# ------------------------------------------------------------------ text utilities


def test_fold_keeps_offsets_and_simplifies():
    t = "微軟與華為合作。"
    f = fold(t)
    assert len(f) == len(t)
    assert f.startswith("微软与华为合作")


def test_sentences_split_on_ascii_period_before_cjk_but_not_after_inc():
    t = "Docker Inc .制造了产品.然后发布了新版本!最后"
    spans = [t[s:e] for s, e in sentences(t)]
    assert spans[0] == "Docker Inc .制造了产品."
    assert spans[1] == "然后发布了新版本!"
    assert spans[2] == "最后"


# ------------------------------------------------------------------ entities


def test_catalog_names_inside_chinese_map_to_english(gaz):
    ents, _, _ = run("谷歌和微軟都在使用Kubernetes。", gaz)
    g, ms = ent(ents, "Google"), ent(ents, "Microsoft")
    assert g and g.type == "Vendor" and "谷歌" in g.aliases
    assert ms and "微軟" in ms.aliases
    assert ent(ents, "Kubernetes").type == "Product"


def test_unknown_latin_names_typed_by_context(gaz):
    ents, _, _ = run("初创公司Zephyrix推出了Quillstone平台,并遵循Brontal协议,加入了Vexor基金会。", gaz)
    assert ent(ents, "Zephyrix").type == "Vendor"
    assert ent(ents, "Quillstone").type == "Product"
    assert ent(ents, "Brontal").type == "Standard"
    assert ent(ents, "Vexor基金会").type == "Organization"


def test_jargon_and_cut_off_latin_are_not_names(gaz):
    ents, _, _ = run("这个API让CEO和IT部门都很满意,但是Zyl", gaz)
    assert ents == []


def test_version_is_alias_of_product(gaz):
    ents, _, _ = run("本周Zentra公司推出Quarkly 2.1产品。", gaz)
    p = ent(ents, "Quarkly")
    assert p and p.type == "Product" and "Quarkly 2.1" in p.aliases


def test_transliterated_person_with_gloss(gaz):
    ents, _, _ = run("腾讯CEO萨姆·彼得斯(Sam Peters)表示满意。", gaz)
    p = ent(ents, "Sam Peters")
    assert p and p.type == "Person" and "萨姆·彼得斯" in p.aliases


def test_chinese_person_after_title(gaz):
    ents, _, _ = run("腾讯董事长马化腾发出内部信。", gaz)
    p = ent(ents, "马化腾")
    assert p and p.type == "Person"


def test_title_without_name_gives_no_person(gaz):
    ents, _, _ = run("腾讯董事长发出内部信。", gaz)
    assert not [e for e in ents if e.type == "Person"]


def test_media_in_book_title_marks(gaz):
    ents, _, _ = run("他在英国杂志《科技周刊》的专访中表示满意。书名《三体》很有名。", gaz)
    assert ent(ents, "科技周刊").type == "Organization"
    assert ent(ents, "三体") is None


def test_event_takes_year(gaz):
    ents, _, _ = run("KubeCon 2019大会上,很多人谈论KubeCon。", gaz)
    e = ent(ents, "KubeCon 2019")
    assert e and e.type == "Event" and "KubeCon" in e.aliases


def test_university_by_suffix(gaz):
    ents, _, _ = run("该算法由芬兰奥卢大学的团队提出。", gaz)
    u = ent(ents, "奥卢大学")
    assert u and u.type == "Organization"


# ------------------------------------------------------------------ linking


def test_docker_company_vs_product(gaz):
    ents, _, _ = run("Docker公司宣布了新战略。开发者在容器中运行Docker 技术。", gaz)
    assert ent(ents, "Docker Inc.").type == "Vendor"
    assert ent(ents, "Docker").type == "Product"


def test_docker_inc_with_translation_spaces(gaz):
    ents, _, _ = run("Docker Inc .发布的新版本很受欢迎。", gaz)
    e = ent(ents, "Docker Inc.")
    assert e and e.type == "Vendor"


def test_coreference_该公司_leads(gaz):
    _, _, t = run("本周Zentra公司发布了新工具。该公司首席执行官萨姆·彼得斯说,这很重要。", gaz)
    assert ("萨姆·彼得斯", "leads", "Zentra") in t


def test_traditional_names_link(gaz):
    ents, _, t = run("華為與微軟宣布合作。", gaz)
    assert ent(ents, "Huawei") and ent(ents, "Microsoft")
    assert has(t, "Huawei", "partnersWith", "Microsoft")


# ------------------------------------------------------------------ relation rules


def test_acquired_fires(gaz):
    _, _, t = run("IBM将收购红帽,交易金额为340亿美元。", gaz)
    assert ("IBM", "acquired", "Red Hat") in t


def test_acquired_passive_and_denied(gaz):
    _, _, t = run("红帽被IBM收购。", gaz)
    assert ("IBM", "acquired", "Red Hat") in t
    _, _, t = run("甲骨文否认将收购红帽。", gaz)
    assert not any(p == "acquired" for _, p, _ in t)


def test_partners_fires_and_restricted_cooperation_counts(gaz):
    _, _, t = run("微软昨天表示,将暂停与腾讯在云计算方面的合作。", gaz)
    assert has(t, "Microsoft", "partnersWith", "Tencent")


def test_partners_not_on_cooccurrence(gaz):
    _, _, t = run("谷歌和华为都发布了财报。", gaz)
    assert not any(p == "partnersWith" for _, p, _ in t)


def test_joint_acquisition_announcement_is_not_partnership(gaz):
    _, _, t = run("甲骨文与腾讯共同宣布已达成收购协议,甲骨文将收购腾讯。", gaz)
    assert ("Oracle", "acquired", "Tencent") in t
    assert not has(t, "Oracle", "partnersWith", "Tencent")


def test_develops_list_and_passive(gaz):
    _, _, t = run("Zentra公司推出了数据库Quillstone、浏览器Brontal,以及编辑器Vexa Studio。", gaz)
    for p in ("Quillstone", "Brontal", "Vexa Studio"):
        assert ("Zentra", "develops", p) in t
    _, _, t = run("Quillstone——一个主要出自谷歌的开源项目。", gaz)
    assert ("Google", "develops", "Quillstone") in t


def test_develops_not_for_use(gaz):
    _, _, t = run("华为在手机上使用安卓。", gaz)
    assert not any(p == "develops" for _, p, _ in t)


def test_sponsors_distributes_over_list(gaz):
    _, _, t = run("腾讯、百度和谷歌是Linux基金会的赞助商。", gaz)
    for s in ("Tencent", "Baidu", "Google"):
        assert (s, "sponsors", "Linux Foundation") in t


def test_sponsors_not_for_mere_listing(gaz):
    _, _, t = run("腾讯、百度和谷歌是Linux基金会的会员。", gaz)
    assert not any(p == "sponsors" for _, p, _ in t)


def test_leads_title_chain(gaz):
    _, _, t = run("阿里巴巴创始人、腾讯董事长马化腾与华为总裁任正非一起出席了会议。", gaz)
    assert ("马化腾", "leads", "Alibaba") in t
    assert ("马化腾", "leads", "Tencent") in t
    assert ("任正非", "leads", "Huawei") in t
    assert ("任正非", "leads", "Tencent") not in t


def test_competes_and_negation(gaz):
    _, _, t = run("OpenStack与Kubernetes竞争激烈。", gaz)
    assert has(t, "OpenStack", "competesWith", "Kubernetes")
    _, _, t = run("OpenStack与Kubernetes不再竞争。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)


def test_competes_rival_of(gaz):
    _, _, t = run("三星是华为的主要竞争对手。", gaz)
    assert has(t, "Samsung", "competesWith", "Huawei")


def test_supports_with_place(gaz):
    _, _, t = run("微软宣布在Windows Server系统中支持Kubernetes。", gaz)
    assert ("Microsoft", "supports", "Kubernetes") in t
    assert has(t, "Windows Server", "integratesWith", "Kubernetes")
    _, _, t = run("微软不支持Kubernetes。", gaz)
    assert not any(p == "supports" for _, p, _ in t)


def test_contributes(gaz):
    _, _, t = run("华为为OpenStack做出了贡献。", gaz)
    assert ("Huawei", "contributesTo", "OpenStack") in t
    _, _, t = run("华为为OpenStack写了一篇文章。", gaz)
    assert not any(p == "contributesTo" for _, p, _ in t)


def test_integrates_runs_on(gaz):
    _, _, t = run("Kubernetes运行在OpenStack之上。", gaz)
    assert has(t, "Kubernetes", "integratesWith", "OpenStack")
    _, _, t = run("Kubernetes和OpenStack都很流行。", gaz)
    assert not any(p == "integratesWith" for _, p, _ in t)


def test_possessive_develops_uses_maker(gaz):
    _, _, t = run("谷歌的Android操作系统很流行,华为的Android手机也很多。", gaz)
    assert ("Google", "develops", "Android") in t
    assert ("Huawei", "develops", "Android") not in t


def test_relations_have_verbatim_evidence(gaz):
    text = "IBM將收購紅帽。"
    _, rels, t = run(text, gaz)
    assert ("IBM", "acquired", "Red Hat") in t
    for r in rels:
        assert text[r.start:r.end] == r.evidence and 0 <= r.confidence <= 1


def test_unexplained_acronyms_typed_by_list_or_dropped(gaz):
    ents, _, _ = run("华为、ZOPO和vivax都发布了新手机,但是IDK的影响不大。", gaz)
    assert ent(ents, "ZOPO").type == "Vendor"
    assert ent(ents, "vivax").type == "Vendor"
    assert ent(ents, "IDK") is None


def test_clause_subject_is_sentence_topic(gaz):
    _, _, t = run("腾讯还加入了Linux基金会,成为白金会员,并为OpenStack贡献了大量代码。", gaz)
    assert ("Tencent", "contributesTo", "Linux Foundation") in t
    assert ("Tencent", "contributesTo", "OpenStack") in t
    assert ("Linux Foundation", "contributesTo", "OpenStack") not in t


def test_rivals_listed_before_是(gaz):
    _, _, t = run("腾讯和百度都是阿里巴巴在国内的主要竞争对手。", gaz)
    assert has(t, "Tencent", "competesWith", "Alibaba")


def test_compete_list_of_possessives(gaz):
    _, _, t = run("OpenStack将与谷歌的Kubernetes和微软的Windows Server竞争。", gaz)
    assert has(t, "OpenStack", "competesWith", "Kubernetes")
    assert has(t, "OpenStack", "competesWith", "Windows Server")
    assert not has(t, "Kubernetes", "competesWith", "Windows Server")


def test_hardware_and_supplier(gaz):
    _, _, t = run("苹果公司的Zeta芯片由三星代工生产,被用于Omni Phone等产品中。", gaz)
    assert has(t, "Apple", "partnersWith", "Samsung")
    assert has(t, "Zeta", "integratesWith", "Omni Phone")


def test_leads_by_appointment(gaz):
    _, _, t = run("CoreOS首席执行官将由前红帽高管Alex Polvi担任。", gaz)
    assert ("Alex Polvi", "leads", "CoreOS") in t
    _, _, t = run("CoreOS首席执行官Alex Polvi表示,这由红帽决定。", gaz)
    assert ("Alex Polvi", "leads", "Red Hat") not in t


def test_sponsors_unknown_sponsee_and_event_with_year(gaz):
    _, _, t = run("腾讯和百度是开源中国的赞助商。百度还赞助了2021年KubeCon大会。", gaz)
    assert ("Tencent", "sponsors", "开源中国") in t
    assert ("Baidu", "sponsors", "KubeCon 2021") in t


def test_develops_thing_before_maker(gaz):
    _, _, t = run("Kubernetes是谷歌开发的开源容器编排系统。", gaz)
    assert ("Google", "develops", "Kubernetes") in t
    _, _, t = run("Kubernetes是谷歌最喜欢的开源系统。", gaz)
    assert ("Google", "develops", "Kubernetes") not in t


def test_acquisition_noun_and_long_passive(gaz):
    _, _, t = run("2018年,IBM宣布完成对红帽的收购。", gaz)
    assert ("IBM", "acquired", "Red Hat") in t
    _, _, t = run("红帽被IBM以每股190美元的价格收购。", gaz)
    assert ("IBM", "acquired", "Red Hat") in t
    _, _, t = run("IBM对红帽的评价很高。", gaz)
    assert not any(p == "acquired" for _, p, _ in t)


def test_ownership(gaz):
    _, _, t = run("Zoomly是腾讯旗下的视频会议应用。腾讯的子公司Zentra公司表现不错。", gaz)
    assert ("Tencent", "develops", "Zoomly") in t
    assert ("Tencent", "acquired", "Zentra") in t


def test_supplier_list_and_parent_company_partner(gaz):
    _, _, t = run("三星是苹果公司和谷歌的主要供应商。", gaz)
    assert has(t, "Samsung", "partnersWith", "Apple")
    assert has(t, "Samsung", "partnersWith", "Google")
    _, _, t = run("甲骨文与Zoomly母公司腾讯达成协议。", gaz)
    assert has(t, "Oracle", "partnersWith", "Tencent")


def test_carries_chip_through_maker(gaz):
    _, _, t = run("苹果公司发布了新款Omni Phone手机,搭载三星Zeta处理器。", gaz)
    assert has(t, "Omni Phone", "integratesWith", "Zeta")


def test_traditional_surname_folds_for_titles(gaz):
    ents, _, t = run("華為董事長劉德平表示,明年將推出新手機。", gaz)
    assert ("劉德平", "leads", "Huawei") in t


def test_list_does_not_run_across_a_clause(gaz):
    _, _, t = run("谷歌随即推出了对标产品Quillstone,与Kubernetes展开竞争。", gaz)
    assert ("Google", "develops", "Quillstone") in t
    assert ("Google", "develops", "Kubernetes") not in t
    assert has(t, "Quillstone", "competesWith", "Kubernetes")


def test_competing_subject_list(gaz):
    _, _, t = run("三星與英特爾也在擴大代工業務,與華為競爭。", gaz)
    assert has(t, "Samsung", "competesWith", "Huawei")
    assert has(t, "Intel", "competesWith", "Huawei")


def test_chinese_company_names_beyond_catalog(gaz):
    ents, _, t = run("百度与智能汽车公司集度合作。集度CEO夏一平表示满意。该公司史上最贵的交易。", gaz)
    assert ent(ents, "集度").type == "Vendor"
    assert ("夏一平", "leads", "集度") in t
    assert ent(ents, "史上") is None
    ents, _, _ = run("科技公司和互联网公司纷纷表示支持。", gaz)
    assert not [e for e in ents if e.type == "Vendor"]


def test_acronym_gloss_after_described_name(gaz):
    ents, _, _ = run("谷歌启动了Kubernetes安全计划(KSPX)。", gaz)
    e = ent(ents, "KSPX")
    assert e and e.type == "Product" and "Kubernetes安全计划" in e.aliases


def test_company_described_by_product(gaz):
    _, _, t = run("甲骨文收购 Linux 开源软件公司Zentra。", gaz)
    assert ("Oracle", "acquired", "Zentra") in t
    assert ("Zentra", "supports", "Linux") in t
    _, _, t = run("红帽和Linux都很重要。", gaz)
    assert ("Red Hat", "supports", "Linux") not in t


def test_descriptor_before_name_and_之争(gaz):
    _, _, t = run("数据仓库厂商Zentra和数据湖公司Quillix近年来竞争日益激烈。", gaz)
    assert has(t, "Zentra", "competesWith", "Quillix")
    _, _, t = run("深度解析:OpenStack与Kubernetes之争", gaz)
    assert has(t, "OpenStack", "competesWith", "Kubernetes")


def test_plain_negation_drops_soft_negation_keeps(gaz):
    _, _, t = run("我们说OpenStack不是在和Kubernetes竞争。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)
    ents, rels, t = run("有人认为 OpenStack 并非真正与 Kubernetes 竞争。", gaz)
    assert has(t, "OpenStack", "competesWith", "Kubernetes")
    assert all(r.confidence <= 0.5 for r in rels if r.predicate == "competesWith")


def test_surname_reference_and_event_with_plus(gaz):
    ents, _, _ = run("Zentra首席执行官Ali Ghodsi在Data + AI Summit 2022大会上发言。Ghodsi说道,这很重要。", gaz)
    p = ent(ents, "Ali Ghodsi")
    assert p and p.type == "Person" and "Ghodsi" in p.aliases
    assert ent(ents, "Data + AI Summit 2022").type == "Event"


def test_donation_to_foundation(gaz):
    _, _, t = run("华为推出了Zephyr OS,并将其捐赠给Linux基金会。", gaz)
    assert ("Huawei", "contributesTo", "Linux Foundation") in t
    assert ("Huawei", "develops", "Zephyr OS") in t


def test_developer_nouns_are_not_develops(gaz):
    _, _, t = run("Zentra是OpenStack的主要竞争对手,它允许开发人员使用Python。", gaz)
    assert not any(p == "develops" for _, p, _ in t)


def test_membership_and_passive_adoption(gaz):
    _, _, t = run("华为是Linux基金会(LF)的成员。", gaz)
    assert ("Huawei", "contributesTo", "Linux Foundation") in t
    _, _, t = run("Zeta芯片已被三星采用。", gaz)
    assert ("Samsung", "supports", "Zeta") in t


def test_threat_to_position_and_offered_on(gaz):
    _, _, t = run("英特尔推出Zeta芯片,挑战三星霸主地位。", gaz)
    assert has(t, "Intel", "competesWith", "Samsung")
    _, _, t = run("谷歌自研的Zeta芯片仅在OpenStack上提供。", gaz)
    assert has(t, "Zeta", "integratesWith", "OpenStack")


def test_product_anaphora_for_chips(gaz):
    _, _, t = run("英特尔发布了Zeta芯片,该芯片由其子公司Habanix Labs开发。", gaz)
    assert ("Habanix Labs", "develops", "Zeta") in t


def test_appointment_and_beating_rivals(gaz):
    _, _, t = run("腾讯任命马晓轩为首席执行官。", gaz)
    assert ("马晓轩", "leads", "Tencent") in t
    _, _, t = run("三星超越苹果公司,成为全球最大的手机厂商。", gaz)
    assert has(t, "Samsung", "competesWith", "Apple")
    _, _, t = run("三星超过100亿美元的投资计划。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)


def test_jargon_gloss_is_not_a_name(gaz):
    ents, _, _ = run("基础设施即代码(IaCX)工具越来越流行。", gaz)
    assert ent(ents, "IaCX") is None


def test_joined_hands_partner_must_follow_directly(gaz):
    _, _, t = run("百度与吉利汽车联手成立了智能汽车公司集度。", gaz)
    assert not has(t, "Baidu", "partnersWith", "集度")
    _, _, t = run("甲骨文与Zoomly母公司腾讯达成协议。", gaz)
    assert ("Tencent", "supports", "Zoomly") not in t


def test_pronoun_subjects_and_possessives(gaz):
    _, _, t = run("Zentra公司上周融资成功。它还推出了Quillstone工具。", gaz)
    assert ("Zentra", "develops", "Quillstone") in t
    _, _, t = run("微软表示,其Quillstone平台将支持更多语言。", gaz)
    assert ("Microsoft", "develops", "Quillstone") in t


def test_unknown_names_take_company_reading_from_relations(gaz):
    ents, _, t = run("Zephyrix收购了Quillstone。Zephyrix的股价大涨。", gaz)
    assert ("Zephyrix", "acquired", "Quillstone") in t
    assert ent(ents, "Zephyrix").type == "Vendor"
    assert len([e for e in ents if e.name == "Zephyrix"]) == 1
    ents, _, _ = run("开发者可以下载Quillstone并在本地运行。", gaz)
    assert ent(ents, "Quillstone").type == "Product"


def test_launch_based_on_a_standard(gaz):
    _, _, t = run("阿里巴巴推出了基于Zyx架构的Quillstone处理器。", gaz)
    assert ("Alibaba", "develops", "Quillstone") in t
    assert ("Alibaba", "develops", "Zyx") not in t
    assert ("Quillstone", "supports", "Zyx") in t


def test_long_article_extracts_throughout(gaz):
    """A long article is processed whole (speed is measured in bench/bench_extract.py, not here)."""
    para = ("本周Zentra公司推出了Quillstone平台。该公司首席执行官萨姆·彼得斯表示,"
            "Quillstone将与OpenStack竞争,并运行在Kubernetes之上。腾讯和百度是Linux基金会的赞助商。\n")
    text = para * 200  # about 20,000 characters
    ents, rels = extract_zh(text, gaz)
    quill = next(e for e in ents if e.name == "Quillstone")
    assert rels and len(quill.mentions) >= 400  # every paragraph was read, the last one too
    assert max(m.end for m in quill.mentions) > len(text) - len(para)


def test_more_business_phrasings(gaz):
    _, _, t = run("甲骨文将Zentra公司收入囊中。", gaz)
    assert ("Oracle", "acquired", "Zentra") in t
    _, _, t = run("苹果公司选择三星作为其芯片供应商。", gaz)
    assert has(t, "Apple", "partnersWith", "Samsung")
    _, _, t = run("华为是OpenStack的最大贡献者之一。", gaz)
    assert ("Huawei", "contributesTo", "OpenStack") in t


def test_company_suffix_mention_propagates_bare_name(gaz):
    ents, _, t = run("Zentra公司成立于2015年。后来腾讯收购了Zentra。", gaz)
    assert ("Tencent", "acquired", "Zentra") in t
    assert len([e for e in ents if e.name == "Zentra"]) == 1


def test_supply_joint_venture_open_sourcing(gaz):
    _, _, t = run("三星向苹果公司供货。", gaz)
    assert has(t, "Samsung", "partnersWith", "Apple")
    _, _, t = run("百度与腾讯成立合资公司。", gaz)
    assert has(t, "Baidu", "partnersWith", "Tencent")
    _, _, t = run("谷歌将Quillstone开源。", gaz)
    assert ("Google", "develops", "Quillstone") in t
    _, _, t = run("Zephyr搜索已经接入Quillstone模型。", gaz)
    assert has(t, "Zephyr", "integratesWith", "Quillstone")


def test_coordinated_subjects_and_distant_cue(gaz):
    _, _, t = run("华为和三星的手机都支持5G。", gaz)
    assert ("Huawei", "supports", "5G") in t and ("Samsung", "supports", "5G") in t
    _, _, t = run("英特尔与三星在数据中心市场展开激烈竞争,而腾讯则专注于游戏。", gaz)
    assert has(t, "Intel", "competesWith", "Samsung")
    assert not has(t, "Tencent", "competesWith", "Samsung")


def test_unknown_event_with_year_by_occasion(gaz):
    ents, _, _ = run("三星在Zeta Expo 2024上展示了新手机。英特尔在Tech Day 2023期间发布了新芯片。", gaz)
    assert ent(ents, "Zeta Expo 2024").type == "Event"
    assert ent(ents, "Tech Day 2023").type == "Event"


def test_foundation_hosting_sponsors_project(gaz):
    _, _, t = run("Quillstone目前由Linux基金会托管。", gaz)
    assert ("Linux Foundation", "sponsors", "Quillstone") in t
    _, _, t = run("Linux基金会旗下的开源项目Quillstone发布了新版本。", gaz)
    assert ("Linux Foundation", "sponsors", "Quillstone") in t
    _, _, t = run("Quillstone由腾讯托管。", gaz)
    assert not any(p == "sponsors" for _, p, _ in t)


def test_rivals_continue_in_later_clauses(gaz):
    _, _, t = run("腾讯在游戏领域面临着百度的竞争,在云计算领域则有阿里巴巴,在社交领域还有谷歌。", gaz)
    for rival in ("Baidu", "Alibaba", "Google"):
        assert has(t, "Tencent", "competesWith", rival)
    _, _, t = run("腾讯在游戏领域表现很好,在云计算领域则有阿里巴巴的帮助。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)


def test_product_adopting_product_integrates(gaz):
    _, _, t = run("Omni Phone采用Zeta芯片。", gaz)
    assert has(t, "Omni Phone", "integratesWith", "Zeta")
    _, _, t = run("三星采用Zeta芯片。", gaz)
    assert ("Samsung", "supports", "Zeta") in t


def test_full_width_latin_letters(gaz):
    ents, _, t = run("微软宣布将收购Ｚｅｎｔｒａ公司。", gaz)
    assert ("Microsoft", "acquired", "Zentra") in t


def test_university_name_with_common_word_needs_a_place(gaz):
    ents, _, _ = run("研究由慕尼黑工业大学的团队完成。他毕业于一所工业大学。", gaz)
    assert ent(ents, "慕尼黑工业大学").type == "Organization"
    assert ent(ents, "工业大学") is None


def test_该公司_is_the_topic_company(gaz):
    _, _, t = run("微软收购了Zentra公司。该公司首席执行官萨姆·彼得斯表示,交易很顺利。", gaz)
    assert ("萨姆·彼得斯", "leads", "Microsoft") in t


def test_body_named_by_common_words_with_acronym(gaz):
    ents, _, t = run("腾讯还加入了全球电池联盟(GBAX)。", gaz)
    e = ent(ents, "GBAX")
    assert e and e.type == "Organization" and "全球电池联盟" in e.aliases
    assert ("Tencent", "contributesTo", "GBAX") in t


def test_as_rival_apposition(gaz):
    _, _, t = run("作为腾讯的主要竞争对手,阿里巴巴此前推出了新的社交应用。", gaz)
    assert has(t, "Tencent", "competesWith", "Alibaba")
    _, _, t = run("作为腾讯的长期合作伙伴,阿里巴巴此前推出了新应用。", gaz)
    assert not any(p == "competesWith" for _, p, _ in t)


def test_joint_makers_after_由(gaz):
    _, _, t = run("Quillstone由腾讯和百度联合开发。", gaz)
    assert ("Tencent", "develops", "Quillstone") in t
    assert ("Baidu", "develops", "Quillstone") in t


def test_relative_clause_backer_and_version_sense(gaz):
    _, _, t = run("甲骨文推出了兼容OpenStack的Quillstone服务。", gaz)
    assert ("Quillstone", "supports", "OpenStack") in t
    assert ("Oracle", "develops", "Quillstone") in t
    ents, _, _ = run("Docker公司表示,Docker 20.10版本修复了漏洞。", gaz)
    assert "Docker 20.10" in ent(ents, "Docker").aliases


def test_其中_is_not_a_pronoun(gaz):
    _, _, t = run("Kubernetes很流行。而Zentra之所以能够跨云,其中Quillstone组件占了重要的角色。", gaz)
    assert not has(t, "Quillstone", "integratesWith", "Kubernetes")


def test_founders_lead_what_they_found(gaz):
    _, _, t = run("马化腾于1998年创立了腾讯。百度由李彦宏创办。", gaz)
    assert ("马化腾", "leads", "Tencent") in t or ("Pony Ma", "leads", "Tencent") in t
    assert any(s in ("李彦宏", "Robin Li") and p == "leads" and o == "Baidu" for s, p, o in t)
    _, _, t = run("腾讯创立了一个新的基金。", gaz)
    assert not any(p == "leads" for _, p, _ in t)


def test_title_after_the_name(gaz):
    ents, _, t = run("腾讯马晓轩董事长表示,明年将加大投入。", gaz)
    assert ent(ents, "马晓轩").type == "Person"
    assert ("马晓轩", "leads", "Tencent") in t
    ents, _, _ = run("公司董事长表示,明年将加大投入。", gaz)
    assert not [e for e in ents if e.type == "Person"]


def test_glossed_mixed_name_found_before_its_gloss(gaz):
    text = "腾讯力推Quill容器服务,整合Kubernetes。腾讯推出了Quill容器服务(Quill Container Service,简称QCSX)。"
    ents, _, t = run(text, gaz)
    e = ent(ents, "Quill Container Service")
    assert e and len(e.mentions) >= 3 and "QCSX" in e.aliases
    assert has(t, "Quill Container Service", "integratesWith", "Kubernetes")
