"""The trained mention finder (a CRF over cheap tokens) on short articles written for the test."""

from __future__ import annotations

from ingest.nlp.mentions.mention_model import MentionModel, gold_tags, tokenize
from kg.model import Entity, Mention


def _ent(name: str, type_: str, text: str) -> Entity:
    i = text.index(name)
    return Entity(name=name, type=type_, mentions=[Mention(i, i + len(name), name)])


def test_tokens_are_cjk_characters_latin_runs_and_symbols():
    assert [t.text for t in tokenize("小鹏G9发布，Ray-Ban Meta 2.0!")] == [
        "小", "鹏", "G9", "发", "布", "，", "Ray-Ban", "Meta", "2.0", "!"]


def test_gold_names_are_tagged_longest_first_and_only_as_whole_words():
    text = "Harmony runs on Arm. HarmonyOS is new; Arm Holdings said so."
    toks = tokenize(text)
    tags = dict(zip((t.text for t in toks), gold_tags(text, toks, [
        {"name": "Arm Holdings", "type": "Vendor", "aliases": ["Arm"]},
        {"name": "HarmonyOS", "type": "Product"}]), strict=False))
    assert tags["Harmony"] == "O"  # "Arm" is not tagged inside "Harmony"
    assert tags["HarmonyOS"] == "B-Product"
    assert tags["Holdings"] == "I-Vendor"


# Short Chinese articles in one pattern: the rules know the maker, the finder learns that the name after
# 推出 is a product the rules missed.
_MAKERS = ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司", "己公司"]
_PRODUCTS = ["星河", "云帆", "天枢", "玄武", "青龙", "白虎"]


def _article(maker: str, product: str) -> tuple[str, list[Entity], list[dict]]:
    text = f"{maker}今天推出{product}系统。{maker}表示，{product}系统将在明年上市。"
    return text, [_ent(maker, "Vendor", text)], [
        {"name": maker, "type": "Vendor"}, {"name": product, "type": "Product"}]


def test_finder_learns_names_the_rules_missed_and_adds_only_new_ones():
    items = [_article(m, p) for m, p in zip(_MAKERS[:5], _PRODUCTS[:5], strict=True)] * 3
    model = MentionModel.fit(items, iterations=50)
    text, ents, _ = _article(_MAKERS[5], _PRODUCTS[5])
    found = model.find(text, ents)
    assert [(e.name, e.type) for e in found] == [("白虎", "Product")]
    assert len(found[0].mentions) == 2  # both places, one entity
    # a name the rules already hold is never added again
    assert model.find(text, [*ents, _ent("白虎", "Product", text)]) == []


def test_finder_round_trips_through_its_file(tmp_path):
    items = [_article(m, p) for m, p in zip(_MAKERS[:5], _PRODUCTS[:5], strict=True)] * 3
    model = MentionModel.fit(items, iterations=30)
    model.save(tmp_path)
    again = MentionModel.load(tmp_path)
    text, ents, _ = _article(_MAKERS[5], _PRODUCTS[5])
    assert again.spans(text, ents) == model.spans(text, ents)
