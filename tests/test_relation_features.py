"""The relation model's candidates and features, one shape of real journalism at a time, in both languages."""

from __future__ import annotations

from ingest.nlp.learned import negated
from ingest.nlp.relations.relation_features import candidates, stem
from ingest.nlp.text.sentences import sentence_spans
from kg.model import Entity, Mention, Relation


def ents(text: str, *specs: tuple[str, str]) -> list[Entity]:
    """Entities with a mention at every occurrence of their name in text."""
    out = []
    for name, type_ in specs:
        e = Entity(name=name, type=type_)
        i = text.find(name)
        while i >= 0:
            e.mentions.append(Mention(i, i + len(name), name))
            i = text.find(name, i + len(name))
        assert e.mentions, name
        out.append(e)
    return out


def feats(cands, a: str, b: str) -> set[str]:
    """The features of the (a, b) candidate (entity ids end with the slug of the name)."""
    found = [c for c in cands if c.subject.endswith(a) and c.object.endswith(b)]
    assert found, (a, b, [(c.subject, c.object) for c in cands])
    return set(found[0].features)


def test_sentences_keep_wrapped_lines_and_split_headlines():
    text = ("Acme ships Rocket\nAcme Corp said on Monday that its new runtime, which it built over two years\n"
            "of work, is ready. Globex disagreed.\n微软与谷歌合作。双方表示满意！")
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got[0] == "Acme ships Rocket"
    assert got[1].startswith("Acme Corp said") and got[1].endswith("is ready.")
    assert got[2:] == ["Globex disagreed.", "微软与谷歌合作。", "双方表示满意！"]


def test_a_list_looks_alike_for_every_member():
    text = "The Open Container Initiative is backed by Cisco, VMware, IBM and Intel."
    es = ents(text, ("Open Container Initiative", "Organization"), ("Cisco", "Vendor"), ("VMware", "Vendor"),
              ("IBM", "Vendor"), ("Intel", "Vendor"))
    cs = candidates(text, "en", es)
    first, last = feats(cs, "cisco", "vmware"), feats(cs, "ibm", "intel")
    assert "list_between" in first and "list_between" in last
    far = feats(cs, "initiative", "intel")
    assert "b:back" in far and "nent=3" in far  # the cue stays visible, the other members masked by type


def test_a_possessive_is_an_adjacent_pair():
    text = "Google's Kubernetes won the orchestration war."
    cs = candidates(text, "en", ents(text, ("Google", "Vendor"), ("Kubernetes", "Product")))
    f = feats(cs, "google", "kubernetes")
    assert "adjacent='s" in f and "dir=ab" in f
    assert "dir=ba" in feats(cs, "kubernetes", "google")


def test_an_apposition_shows_the_role_word_between():
    text = "Alex Polvi, chief executive of CoreOS, said rkt is ready."
    cs = candidates(text, "en", ents(text, ("Alex Polvi", "Person"), ("CoreOS", "Vendor")))
    f = feats(cs, "polvi", "coreos")
    assert {"b:chief", "cue_b:leads", "first:,"} <= f


def test_chinese_list_and_cues():
    text = "开放容器计划得到了思科、威睿和英特尔的支持。"
    es = ents(text, ("开放容器计划", "Organization"), ("思科", "Vendor"), ("威睿", "Vendor"), ("英特尔", "Vendor"))
    cs = candidates(text, "zh", es)
    pair = [c.features for c in cs if (c.subject, c.object) == (es[1].id, es[2].id)][0]
    assert "list_between" in pair
    f = [c.features for c in cs if {c.subject, c.object} == {es[0].id, es[3].id}][0]
    assert "cue_o:supports" in f or "cue_b:supports" in f


def test_chinese_possessive_de():
    text = "Docker 的 libcontainer 很受欢迎。"
    es = ents(text, ("Docker", "Vendor"), ("libcontainer", "Product"))
    f = [c.features for c in candidates(text, "zh", es) if c.subject == es[0].id][0]
    assert "adjacent=的" in f


def test_negation_is_a_feature_and_a_veto_in_both_languages():
    text = "CoreOS is not really competing with Docker, Polvi said."
    es = ents(text, ("CoreOS", "Vendor"), ("Docker", "Vendor"))
    assert "neg" in feats(candidates(text, "en", es), "coreos", "docker")
    assert negated(text, "en")
    assert negated("他们将 appc 描述为不是真正与 Docker 的 libcontainer 竞争。", "zh")
    # an ending is not a denial: it is kept, and marked ended (ingest.nlp.relations.end_cues)
    assert not negated("两家公司已终止合作。", "zh") and not negated("Microsoft and Novell ended their partnership.", "en")
    assert not negated("CoreOS competes with Docker.", "en") and not negated("阿里云与腾讯云竞争。", "zh")


def test_coreference_pairs_reach_into_the_next_sentence():
    text = "Docker Inc. raised $40 million. The funding round was led by Sequoia Capital."
    es = ents(text, ("Docker Inc.", "Vendor"), ("Sequoia Capital", "Vendor"))
    cs = candidates(text, "en", es)
    f = feats(cs, "sequoia-capital", "docker-inc")
    assert "cross" in f
    (c,) = [c for c in cs if c.subject == es[1].id]
    assert text[c.start:c.end] == text  # evidence spans both sentences


def test_rule_votes_are_features_with_direction():
    text = "Microsoft acquired GitHub in 2018."
    es = ents(text, ("Microsoft", "Vendor"), ("GitHub", "Vendor"))
    rule = Relation(es[0].id, "acquired", es[1].id, text, 0.9)
    cs = candidates(text, "en", es, [rule])
    assert "rule:acquired" in feats(cs, "microsoft", "github")
    assert "rule:rev:acquired" in feats(cs, "github", "microsoft")


def test_stem_joins_inflections():
    assert stem("acquires") == stem("acquired") == stem("acquiring") == "acquir"
    assert stem("Partnership") == "partnership"
