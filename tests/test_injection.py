"""Values from users reach SPARQL only as escaped terms: hostile names cannot change a query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ingest.model import Article, Entity, Extraction, Relation
from kg import queries
from kg.namespace import article_iri
from kg.query import QueryResult, bind_terms, to_csv
from kg.rdf import article_quads

HOSTILE = [
    'Evil" } ; DROP ALL ; #',
    "Robert'); DELETE WHERE { ?s ?p ?o } #",
    "line one\nline two } UNION { ?s ?p ?o }",
    "# just a comment",
    "SELECT * WHERE { ?s ?p ?o }",
    "\\\" \\u0022 \\n",
    "<http://example.org/x> }",
]


def _store_with(store, names: list[str]) -> None:
    ents = [Entity(name=n, type="Vendor", aliases=[n]) for n in names]
    rels = [
        Relation(ents[i].id, "competesWith", ents[i + 1].id, f"{names[i]} competes with {names[i + 1]}", 0.9)
        for i in range(len(ents) - 1)
    ]
    art = Article(source="hostile.txt", text="x", key="file:///hostile.txt")
    store.replace_graph(article_iri(art.key), article_quads(art, Extraction("hostile.txt", "en", ents, rels)))


@pytest.mark.parametrize("name", HOSTILE)
def test_search_with_hostile_text_finds_the_entity_and_changes_nothing(store, name):
    _store_with(store, ["Acme", name, "Globex"])
    before = store.quad_count()
    found = queries.find_entities(store, name)
    assert [r["label"] for r in found] == [name]
    assert store.quad_count() == before


def test_hostile_labels_round_trip_through_profile_queries(store):
    _store_with(store, HOSTILE)
    for row in queries.entities(store):
        ev = queries.evidence_for(store, str(row["e"]))
        assert ev and all(r["evidence"] for r in ev)


def test_bind_terms_escapes_literals_and_validates_iris():
    q = bind_terms("SELECT ?s WHERE { ?s rdfs:label ?q }", {"q": 'x" } DROP ALL #'})
    assert q == 'SELECT ?s WHERE { ?s rdfs:label "x\\" } DROP ALL #" }'
    with pytest.raises(ValueError):
        bind_terms("SELECT ?s WHERE { ?e ?p ?o }", {"e": ox.NamedNode("http://x> } DROP ALL")})
    with pytest.raises(ValueError):
        bind_terms("SELECT ?s WHERE { ?s ?p ?o }", {"s) } DROP ALL {(": "x"})


def test_csv_export_neutralises_formulas():
    rows = [(ox.Literal(v),) for v in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain")]
    csv_text = to_csv(QueryResult(kind="select", columns=["v"], rows=rows))
    lines = csv_text.splitlines()[1:]
    assert [line.lstrip('"')[0] for line in lines[:4]] == ["'"] * 4
    assert lines[4] == "plain"
