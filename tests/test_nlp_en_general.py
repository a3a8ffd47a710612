"""General English rule families: each has a sentence that must fire and one that must not.

The sentences are written for these tests (invented companies and products), so the
rules they check cannot lean on any article's names.
"""

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


def test_dateline_is_not_a_name(x):
    ents, rels = _run(x, "KRAKOW, Poland, May 4 — Zentrovia said on Monday that it would acquire Pellumo, "
                         "a maker of warehouse robots.")
    assert not any(n.startswith("KRAKOW") for n, _ in ents)
    assert _has(rels, "Zentrovia", "acquired", "Pellumo")


def test_model_number_names(x):
    ents, _ = _run(x, "Zentrovia unveiled the Quasar X90 accelerator on Monday. The Quasar chips compete "
                      "with Brantel's K400 in training workloads.")
    assert ("Quasar X90", "Product") in ents
    assert not any(n == "Quasar" for n, _ in ents)
    assert any(n.endswith("K400") and t == "Product" for n, t in ents)
    # a quarter is not a model number
    ents, _ = _run(x, "Zentrovia said revenue rose in Q3 as demand for its software grew.")
    assert not any(n == "Q3" for n, _ in ents)


def test_appositive_types(x):
    ents, _ = _run(x, "Zentrovia bought security firm Pellumo last year. Pellumo's gateway, Vigil Guard, "
                      "blocks leaks, and it works with Tessaro, the company's coding assistant.")
    assert ("Pellumo", "Vendor") in ents
    assert ("Vigil Guard", "Product") in ents
    assert ("Tessaro", "Product") in ents


def test_reciprocal_verb_lists(x):
    _, rels = _run(x, "Zentrovia competes with Brantel and Quorvik for bank contracts, and increasingly "
                      "with Lumetra, the Oslo company that sells payment terminals.")
    for o in ("Brantel", "Quorvik", "Lumetra"):
        assert _has(rels, "Zentrovia", "competesWith", o)
    _, rels = _run(x, "Zentrovia no longer competes with Brantel in Europe.")
    assert not _has(rels, "Zentrovia", "competesWith", "Brantel")


def test_set_against(x):
    _, rels = _run(x, "The purchase puts Zentrovia in direct competition with Brantel, which sells "
                      "similar scanners, and with Quorvik.")
    assert _has(rels, "Zentrovia", "competesWith", "Brantel")
    assert _has(rels, "Zentrovia", "competesWith", "Quorvik")
    _, rels = _run(x, "The purchase puts Zentrovia in a strong position with Brantel as a customer.")
    assert not _has(rels, "Zentrovia", "competesWith", "Brantel")


def test_bare_titles_take_the_company_of_the_sentence(x):
    _, rels = _run(x, "Zentrovia said on Monday it had hired 200 engineers. Chief executive Marta Kowalski "
                      "said the company would open a lab in Gdansk.")
    assert _has(rels, "Marta Kowalski", "leads", "Zentrovia")
    _, rels = _run(x, "Zentrovia said on Monday it had hired 200 engineers, including a former chief "
                      "executive, Marta Kowalski, of a bank.")
    assert not _has(rels, "Marta Kowalski", "leads", "Zentrovia")


def test_owner_appositives_and_whose(x):
    _, rels = _run(x, "Developers use Tessaro, Zentrovia's open-source compiler toolkit, to build apps. "
                      "Brantel, a Zentrovia customer, ships phones.")
    assert _has(rels, "Zentrovia", "develops", "Tessaro")
    assert _has(rels, "Brantel", "partnersWith", "Zentrovia")
    _, rels = _run(x, "Investors prefer Quorvik, the Lisbon company whose Nimbus Vault service stores "
                      "backups.")
    assert _has(rels, "Quorvik", "develops", "Nimbus Vault")


def test_contract_manufacturing(x):
    _, rels = _run(x, "Zentrovia said its Quasar X90 processor will be manufactured by Brantel on a "
                      "5-nanometre process.")
    assert _has(rels, "Brantel", "partnersWith", "Zentrovia")
    assert _has(rels, "Zentrovia", "develops", "Quasar X90")
    assert not _has(rels, "Brantel", "develops", "Quasar X90")


def test_surface_verb_objects(x):
    _, rels = _run(x, "The deal follows a purchase by Zentrovia, which bought payments startup Pellumo "
                      "last month for $40 million.")
    assert _has(rels, "Zentrovia", "acquired", "Pellumo")
    _, rels = _run(x, "Zentrovia denied rumours that it had bought payments startup Pellumo.")
    assert not _has(rels, "Zentrovia", "acquired", "Pellumo")


def test_supplier_lists(x):
    _, rels = _run(x, "Zentrovia makes radar chips. Its Quasar X90 chip ships to carmakers including "
                      "Brantel, Quorvik and Lumetra.")
    for o in ("Brantel", "Quorvik", "Lumetra"):
        assert _has(rels, "Zentrovia", "partnersWith", o)
    _, rels = _run(x, "Zentrovia makes radar chips and competes with carmakers including Brantel.")
    assert not _has(rels, "Zentrovia", "partnersWith", "Brantel")


def test_of_appositives(x):
    _, rels = _run(x, "Pellumo, the payments arm of Zentrovia, said sales rose. Brantel, a longtime "
                      "rival of Quorvik, declined to comment.")
    assert _has(rels, "Zentrovia", "acquired", "Pellumo")
    assert _has(rels, "Brantel", "competesWith", "Quorvik")
    _, rels = _run(x, "Pellumo, the payments arm of the bank, said Zentrovia would help.")
    assert not _has(rels, "Zentrovia", "acquired", "Pellumo")


def test_product_pronoun_subject(x):
    _, rels = _run(x, "Zentrovia's gateway, Vigil Guard, blocks leaks. It will be folded into Brantel's "
                      "Nimbus Vault platform.")
    assert _has(rels, "Vigil Guard", "integratesWith", "Nimbus Vault")
    _, rels = _run(x, "Zentrovia's gateway, Vigil Guard, blocks leaks. It will hire 40 engineers at "
                      "Brantel's Nimbus Vault campus.")
    assert not any(s == "Vigil Guard" or o == "Vigil Guard" for s, p, o in rels if p != "develops")


def test_truncated_ner_names_continue(x):
    ents, _ = _run(x, "Analysts expect Kestrel Mobis, the parts arm of Kestrel Motor Group, to raise "
                      "prices next year.")
    assert ("Kestrel Mobis", "Vendor") in ents


def test_supply_surface(x):
    _, rels = _run(x, "Zentrovia said it had signed a deal to supply its Quasar X90 modems to Brantel "
                      "in Poland.")
    assert _has(rels, "Zentrovia", "partnersWith", "Brantel")
    _, rels = _run(x, "Zentrovia said it had sold its modem business to Brantel in Poland.")
    assert not _has(rels, "Zentrovia", "partnersWith", "Brantel")


def test_group_units_are_companies(x):
    ents, _ = _run(x, "Samsung Networks said it would hire 300 engineers in Dallas next year.")
    assert ("Samsung Networks", "Vendor") in ents


def test_phrasal_surface_integration(x):
    _, rels = _run(x, "Zentrovia said its Quasar X90 handheld will ship with Nimbus OS, the operating "
                      "system developed by Brantel.")
    assert _has(rels, "Quasar X90", "integratesWith", "Nimbus OS")
    _, rels = _run(x, "Zentrovia said its Quasar X90 handheld will not ship with Nimbus OS, the operating "
                      "system developed by Brantel.")
    assert not _has(rels, "Quasar X90", "integratesWith", "Nimbus OS")


def test_managed_service_providers_support(x):
    _, rels = _run(x, "Zentrovia agreed to buy Pellumo, a provider of managed Nimbus DB services, "
                      "for $30 million.")
    assert not _has(rels, "Pellumo", "develops", "Nimbus DB")


def test_possessive_after_misparsed_subject(x):
    _, rels = _run(x, "Brantel makes chips. Zentrovia, meanwhile, is pitching its Quasar X90 chip to "
                      "phone makers.")
    assert not _has(rels, "Brantel", "develops", "Quasar X90")


def test_buys_from_supplier(x):
    _, rels = _run(x, "Zentrovia said it buys modems from Brantel for its new phones.")
    assert _has(rels, "Zentrovia", "partnersWith", "Brantel")
    _, rels = _run(x, "Zentrovia said it bought a 10% stake from Brantel last year.")
    assert not _has(rels, "Zentrovia", "partnersWith", "Brantel")


def test_product_category_word_in_name(x):
    ents, rels = _run(x, "Zentrovia rolled out Vesta OS to developers in Europe.")
    assert ("Vesta OS", "Product") in ents
    assert _has(rels, "Zentrovia", "develops", "Vesta OS")


def test_share_buybacks_are_not_acquisitions(x):
    _, rels = _run(x, "Zentrovia bought back shares from investors, including Brantel Capital.")
    assert not _has(rels, "Zentrovia", "acquired", "Brantel Capital")
    _, rels = _run(x, "Zentrovia bought Brantel Capital, a fund manager, for $2 billion.")
    assert _has(rels, "Zentrovia", "acquired", "Brantel Capital")


def test_relationship_appositives_are_companies(x):
    ents, _ = _run(x, "Drayton, a former Zentrovia customer, switched to chips from Brantel.")
    assert ("Drayton", "Vendor") in ents


def test_implicit_alliance_owner(x):
    _, rels = _run(x, "Zentrovia said on Monday that its chips are now sold in Japan. The move widens "
                      "an alliance with Brantel that began in 2021.")
    assert _has(rels, "Zentrovia", "partnersWith", "Brantel")
    _, rels = _run(x, "Zentrovia said on Monday that its chips are now sold in Japan. The move widens "
                      "an alliance between Quorvik and Brantel.")
    assert not _has(rels, "Zentrovia", "partnersWith", "Brantel")


def test_components_inside_products(x):
    _, rels = _run(x, "Brantel supplies the Quasar X90 processor inside both the Orla S3 and the "
                      "Vesta X2 phones.")
    assert _has(rels, "Quasar X90", "integratesWith", "Orla S3")
    assert _has(rels, "Quasar X90", "integratesWith", "Vesta X2")
    _, rels = _run(x, "Zentrovia picked Brantel to supply 5G radio equipment in Poland.")
    assert not any(p == "develops" for _, p, _ in rels)


def test_punctuated_names(x):
    ents, rels = _run(x, "Zentrovia acquired Lum.io, a maker of browser extensions, for $20 million.")
    assert _has(rels, "Zentrovia", "acquired", "Lum.io")
    ents, rels = _run(x, "Brantel completed its purchase of Run:ai, a startup that makes scheduling software.")
    assert _has(rels, "Brantel", "acquired", "Run:ai")
    ents, _ = _run(x, "Zentrovia said revenue rose. Margins fell.")
    assert not any("." in n for n, _ in ents)


def test_partnered_to_build(x):
    _, rels = _run(x, "Zentrovia has partnered with Brantel to build Orion, a satellite network for farmers.")
    assert _has(rels, "Zentrovia", "partnersWith", "Brantel")
    assert _has(rels, "Zentrovia", "develops", "Orion") and _has(rels, "Brantel", "develops", "Orion")


def test_sites_and_final_periods(x):
    ents, _ = _run(x, "Zentrovia started production at its Dunmore factory, which makes cells for "
                      "Brantel's Orla Y.")
    assert not any(n == "Dunmore" for n, _ in ents)
    assert not any(n.endswith(".") for n, _ in ents)


def test_short_alias_means_the_longer_company_named(x):
    _, rels = _run(x, "LG Energy Solution said it will supply cells to Brantel. The order puts LG in "
                      "direct competition with Zentrovia.")
    assert _has(rels, "LG Energy Solution", "competesWith", "Zentrovia")


def test_repeated_multiword_names(x):
    ents, rels = _run(x, "Zentrovia said on Monday it would acquire Clear Signal, a New York start-up. "
                         "Clear Signal co-founder and chief executive Ida Berg said the deal would close "
                         "in May.")
    assert not any(n == "Signal" for n, _ in ents)
    assert _has(rels, "Ida Berg", "leads", "Clear Signal")


def test_plural_product_pronoun_runs(x):
    _, rels = _run(x, "Zentrovia's Quasar X90 cards compete with Brantel's K400 in training. They run "
                      "Nimbus OS, Zentrovia's open-source software stack.")
    assert _has(rels, "Quasar X90", "integratesWith", "Nimbus OS")
    _, rels = _run(x, "Zentrovia and Brantel compete in training. They run Nimbus OS, an operating system.")
    assert not any(p == "integratesWith" for _, p, _ in rels)


def test_fact_in_appositive_escapes_denial(x):
    _, rels = _run(x, "Quorvik denied a report that it was in talks to buy Pellumo, the Danish payments "
                      "service that Zentrovia acquired in 2021.")
    assert _has(rels, "Zentrovia", "acquired", "Pellumo")
    assert not _has(rels, "Quorvik", "acquired", "Pellumo")


def test_hyphenated_participles(x):
    _, rels = _run(x, "The Zentrovia-designed Quasar X90 chip powers the phone.")
    assert _has(rels, "Zentrovia", "develops", "Quasar X90")
    _, rels = _run(x, "A Zentrovia-owned building in Oslo was sold to Brantel.")
    assert not any(p == "acquired" for _, p, _ in rels)


def test_capitalised_runs_are_not_split_into_sentences(x):
    ents, rels = _run(x, "Zentrovia rolls out Nimbus coin\n\nZentrovia Internet Group rolled out its "
                         "euro-backed Nimbus token on Wednesday. Zentrovia has partnered with Brantel.")
    assert not any(n == "Internet Group" for n, _ in ents)
