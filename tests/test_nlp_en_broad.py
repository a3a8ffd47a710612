"""Broad English rule families (failure modes seen on fresh articles), each with a sentence
that must fire and one that must not. Sentences are invented for these tests."""

from __future__ import annotations

import pytest
from nlp_helpers import has as _has
from nlp_helpers import named_triples

from ingest.nlp import Extractor


@pytest.fixture(scope="module")
def x():
    return Extractor(learned=False)  # the rule stages: what the learned stages decide among


def _run(x, text):
    ex = x.extract(text, "t.txt", "en")
    return {(e.name, e.type) for e in ex.entities}, named_triples(ex.entities, ex.relations)


def test_dateline_with_year_and_joined_places(x):
    ents, _ = _run(x, "AUSTIN, Texas, May 2, 2025 -- Zentrovia said on Monday that it would buy Pellumo.")
    assert not any(n in {"Texas", "AUSTIN"} for n, _ in ents)
    ents, _ = _run(x, "OSLO/BERGEN, Jan 17 - The government on Friday cleared Zentrovia to sell routers.")
    assert not any("BERGEN" in n for n, _ in ents)
    # a body sentence with a dash is not a dateline
    ents, _ = _run(x, "Zentrovia, Pellumo - and Brantel said they would sell routers.")
    assert ("Zentrovia", "Vendor") in ents


def test_given_name_after_capitalised_title(x):
    ents, _ = _run(x, "Chief Executive Maribel Tostrand said Zentrovia would grow. Tostrand said more.")
    assert ("Maribel Tostrand", "Person") in ents
    assert not any(n == "Tostrand" and t != "Person" for n, t in ents)
    # no title before the name: the name is not stretched over the word before it
    ents, _ = _run(x, "Yesterday Zentrovia Labs hired Maribel Tostrand.")
    assert not any(n.startswith("Labs") or n.startswith("Zentrovia Labs Maribel") for n, _ in ents)


def test_possessed_names(x):
    _, rels = _run(x, "Regulators widened rules to cover Zentrovia's Quasar X90 immersion systems.")
    assert _has(rels, "Zentrovia", "develops", "Quasar X90")
    _, rels = _run(x, "Pellumo Corp. will not move its Vigilo deployment tool to a new licence.")
    assert _has(rels, "Pellumo Corp.", "develops", "Vigilo")
    # a relation noun after the possessed name is not ownership
    _, rels = _run(x, "Pellumo praised Zentrovia's Kubernetes support in a note to clients.")
    assert not _has(rels, "Zentrovia", "develops", "Kubernetes")
    # a pronoun does not stand for its own verb's object
    _, rels = _run(x, "Brantel, a payments firm, added Pellumo to its Vigilo checkout component in March.")
    assert not _has(rels, "Pellumo", "develops", "Vigilo")


def test_possessed_company_unit(x):
    _, rels = _run(x, "The software is sold by Zentrovia's Pellumo unit, the companies said.")
    assert _has(rels, "Zentrovia", "acquired", "Pellumo")
    _, rels = _run(x, "Zentrovia's Pellumo deal closed in March.")
    assert not _has(rels, "Zentrovia", "acquired", "Pellumo")


def test_determined_name_before_category_noun_is_a_product(x):
    ents, _ = _run(x, "Pellumo Corp. hosts the Vantrix runtime, and engineers keep working on Vantrix.")
    assert ("Vantrix", "Product") in ents
    # a company noun after the name does not make it a product
    ents, _ = _run(x, "Analysts said the Vantrix company would keep hiring, Vantrix said.")
    assert ("Vantrix", "Product") not in ents


def test_capitalised_the_inside_a_name(x):
    ents, rels = _run(x, "The Quorvik Group's pitch is simple. Pellumo Corp. has partnered with The Quorvik Group "
                         "since 2021.")
    assert ("The Quorvik Group", "Vendor") in ents
    assert _has(rels, "Pellumo Corp.", "partnersWith", "The Quorvik Group")
    # a sentence-initial 'The' stays outside the name
    ents, _ = _run(x, "The Quorvik Group said it would hire. Analysts liked Quorvik Group.")
    assert not any(n.startswith("The ") for n, _ in ents)


def test_coordinated_names_are_two(x):
    ents, rels = _run(x, "Tokyo Electron competes with Brantel Systems and Quorvik Research in etching tools.")
    assert not any(" and " in n for n, _ in ents)
    assert _has(rels, "Tokyo Electron", "competesWith", "Quorvik Research")
    # a body's name with lower-case words keeps its 'and'
    ents, _ = _run(x, "The Department of Health and Human Services fined Brantel Systems on Tuesday.")
    assert any(n == "Department of Health and Human Services" for n, _ in ents)


def test_memberships(x):
    _, rels = _run(x, "Pellumo Corp. is a founding member of the Quorvik Foundation, the nonprofit that "
                      "hosts the Vantrix runtime.")
    assert _has(rels, "Pellumo Corp.", "contributesTo", "Quorvik Foundation")
    _, rels = _run(x, "The Quorvik Foundation, a nonprofit group whose members include Pellumo Corp. and "
                      "Brantel Inc., certified the design.")
    assert _has(rels, "Brantel Inc.", "contributesTo", "Quorvik Foundation")
    # members of a company's list are not members of a body
    _, rels = _run(x, "Pellumo Corp.'s board members include Brantel Inc. and Quorvik Systems.")
    assert not any(r[1] == "contributesTo" for r in rels)


def test_available_through(x):
    _, rels = _run(x, "The Vantrix X2 is available through Amazon Bedrock and Google's Vertex AI.")
    assert _has(rels, "Vantrix X2", "integratesWith", "Amazon Bedrock")
    assert _has(rels, "Vantrix X2", "integratesWith", "Vertex AI")
    # a place is not a platform
    _, rels = _run(x, "The Vantrix X2 is available in Frankfurt and Montreal from Zentrovia Cloud.")
    assert not any(r[1] == "integratesWith" and "Frankfurt" in (r[0], r[2]) for r in rels)


def test_event_with_year_and_org_domains(x):
    ents, _ = _run(x, "Pellumo Corp. will make its case at Quorvik Summit 2026 next month, and Brantel.org "
                      "will administer the framework.")
    assert ("Quorvik Summit 2026", "Event") in ents or ("Quorvik Summit", "Event") in ents
    assert ("Brantel.org", "Organization") in ents


def test_possessed_relation_nouns(x):
    _, rels = _run(x, "Pellumo Corp.'s deal with Brantel Inc. lets advertisers reach more viewers.")
    assert _has(rels, "Pellumo Corp.", "partnersWith", "Brantel Inc.")
    # a deal that is over relates nobody
    _, rels = _run(x, "Pellumo Corp.'s failed deal with Brantel Inc. cost it a year.")
    assert not _has(rels, "Pellumo Corp.", "partnersWith", "Brantel Inc.")


def test_plural_appositive_distributes_over_list(x):
    _, rels = _run(x, "The release is aimed at Brantel Inc. and Quorvik Corp., Pellumo Corp.'s two most "
                      "aggressive competitors.")
    assert _has(rels, "Brantel Inc.", "competesWith", "Pellumo Corp.")
    assert _has(rels, "Quorvik Corp.", "competesWith", "Pellumo Corp.")
    # a single name before the appositive is left to the appositive rules
    _, rels = _run(x, "The release is aimed at Brantel Inc., Pellumo Corp.'s biggest supplier of chips.")
    assert not _has(rels, "Brantel Inc.", "competesWith", "Pellumo Corp.")


def test_cofounded_by_and_versioned_short_name(x):
    ents, rels = _run(x, "Last month I lived in Vantrix 0.182 full-time. Vantrix is built by Vantrix Industries, "
                         "the startup co-founded by Nathan Brolley.")
    assert ("Nathan Brolley", "Person") in ents
    assert ("Vantrix", "Product") in ents and ("Vantrix Industries", "Vendor") in ents
    # no version: the bare name stays with the company
    ents, _ = _run(x, "Vantrix Industries said on Monday that Vantrix would hire 40 engineers.")
    assert ("Vantrix", "Product") not in ents


def test_passive_makers(x):
    _, rels = _run(x, "Engineers like the Vantrix 2.0 runtime. Vantrix was developed by Pellumo Corp. in 2019.")
    assert _has(rels, "Pellumo Corp.", "develops", "Vantrix")
    # a chip built by a contractor is not the contractor's product
    _, rels = _run(x, "Pellumo Corp.'s new Vantrix X2 chips are built by Brantel Inc. in Taiwan.")
    assert not _has(rels, "Brantel Inc.", "develops", "Vantrix X2")


def test_ceasing_verbs_undo_the_relation(x):
    _, rels = _run(x, "Pellumo Corp. has stopped developing Vantrix 2.0 this year.")
    assert not _has(rels, "Pellumo Corp.", "develops", "Vantrix")
    _, rels = _run(x, "Pellumo Corp. keeps developing Vantrix 2.0 this year.")
    assert _has(rels, "Pellumo Corp.", "develops", "Vantrix")


def test_pronoun_in_relative_clause_means_the_described_name(x):
    _, rels = _run(x, "Pellumo Corp. leans on deals with Brantel Inc., which embeds Pellumo Corp.'s models "
                      "in its Vantrix 2.0 suite.")
    assert _has(rels, "Brantel Inc.", "develops", "Vantrix")
    assert not _has(rels, "Pellumo Corp.", "develops", "Vantrix")


def test_category_acronyms_are_not_names(x):
    ents, _ = _run(x, "Pellumo Corp. is steering people back to Vantrix, its flagship IDE, and its CDN business grew.")
    assert not any(n in {"IDE", "CDN"} for n, _ in ents)
    # an acronym inside a longer name is kept
    ents, _ = _run(x, "Pellumo Corp. adopted Unified ID 2.0 last year.")
    assert any("ID" in n for n, _ in ents)


def test_pronoun_appositive_owner(x):
    _, rels = _run(x, "Pellumo Corp. is steering people back to Vantrix 2.0, its flagship editor.")
    assert _has(rels, "Pellumo Corp.", "develops", "Vantrix")
    # 'its rival for' is a relation noun with its own object, not ownership
    _, rels = _run(x, "Pellumo Corp. is steering people to Vantrix 2.0, its answer to rivals.")
    assert not _has(rels, "Pellumo Corp.", "develops", "Vantrix")


def test_designator_continues_leftwards(x):
    ents, rels = _run(x, "Quorvik to buy a startup\n\nQuorvik Computing said on Wednesday it would acquire "
                         "Pellumo Corp., a Finnish startup.")
    assert ("Quorvik Computing", "Vendor") in ents
    assert not any(n == "Computing" for n, _ in ents)
    # a designator after a lower-case word stays as it was
    ents, _ = _run(x, "Cloud Computing is growing fast, Pellumo Corp. said.")
    assert ("Cloud Computing", "Vendor") not in ents


def test_series_name_of_hyphenated_model(x):
    ents, _ = _run(x, "Pellumo Corp. will launch its Vantrix-1-36Q system this year. Brantel Inc. will supply "
                      "parts for the Vantrix machines.")
    assert ("Vantrix-1-36Q", "Product") in ents
    assert not any(n == "Vantrix" for n, _ in ents)


def test_first_name_alone_refers_to_the_person(x):
    ents, _ = _run(x, "Vantrix Industries was co-founded by Nathan Brolley, a former engineer. "
                      "(Nathan has clearly not forgotten.)")
    assert ("Nathan Brolley", "Person") in ents
    assert not any(n == "Nathan" for n, _ in ents)


def test_place_before_based_company(x):
    ents, _ = _run(x, "Regulators said the Brantsville-based vendor Pellumo Corp. charged fees.")
    assert not any(n == "Brantsville" for n, _ in ents)
    # a product before -based is kept
    ents, _ = _run(x, "Pellumo Corp. sells a Kubernetes-based platform.")
    assert ("Kubernetes", "Product") in ents


def test_dateline_credit_is_named(x):
    ents, _ = _run(x, "OSLO, June 4 (Reuters) - Zentrovia said on Wednesday it would acquire Pellumo Corp.")
    assert ("Reuters", "Organization") in ents
    assert not any(n == "OSLO" for n, _ in ents)
    # a credit that is no known organisation adds nothing
    ents, _ = _run(x, "OSLO, June 4 (Staff) - Zentrovia said on Wednesday it would acquire Pellumo Corp.")
    assert not any(n == "Staff" for n, _ in ents)


def test_under_a_licence(x):
    _, rels = _run(x, "Pellumo Corp. keeps publishing smaller models under the Apache 2.0 licence.")
    assert _has(rels, "Pellumo Corp.", "supports", "Apache License")
    _, rels = _run(x, "Vantrix 2.0, which remains under the Mozilla Public License 2.0, is backed by startups.")
    assert _has(rels, "Vantrix", "supports", "Mozilla Public License")
    # a product no longer under the licence does not use it
    _, rels = _run(x, "Pellumo Corp. will not publish Vantrix 2.0 under the Apache 2.0 licence.")
    assert not _has(rels, "Pellumo Corp.", "supports", "Apache License")
