"""Values from users reach SPARQL only as escaped terms: hostile names cannot change a query."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import queries
from kg.model import Article, Entity, Extraction, Relation
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


# ------------------------------------------------------------------ every place a value meets query text
SPARQL_HOSTILE = [*HOSTILE, "x } ; INSERT DATA { <urn:a> <urn:b> <urn:c> } #", "SELECT", "\n}\n#\n", "' OR '1'='1"]


@pytest.mark.parametrize("text", SPARQL_HOSTILE)
def test_bound_literals_match_themselves_exactly(text):
    """A hostile string bound as a literal is one literal: the query finds it and only it."""
    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode("urn:x:e"), ox.NamedNode("urn:x:label"), ox.Literal(text)))
    s.add(ox.Quad(ox.NamedNode("urn:x:other"), ox.NamedNode("urn:x:label"), ox.Literal("other")))
    q = bind_terms("SELECT ?e WHERE { ?e <urn:x:label> ?q }", {"q": text})
    assert [sol["e"].value for sol in s.query(q)] == ["urn:x:e"]
    assert len(s) == 2


@pytest.mark.parametrize("graph", ["urn:x:g> } } ; DROP ALL ; #", 'http://x/"} #', "not an iri at all"])
def test_store_graph_lookups_refuse_iris_that_would_close_the_term(store, graph):
    with pytest.raises(ValueError):
        store.graph_hash(graph)
    with pytest.raises(ValueError):
        store.remove_graph(graph)


def test_remote_values_clause_escapes_values_and_refuses_bad_names():
    from kg.remote import _values_clause

    clause = _values_clause({"q": 'x" } DROP ALL #'})
    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode("urn:x:e"), ox.NamedNode("urn:x:p"), ox.Literal('x" } DROP ALL #')))
    assert [sol["e"].value for sol in s.query("SELECT ?e ?q WHERE { ?e <urn:x:p> ?q }" + clause)] == ["urn:x:e"]
    for bad in ("q) } DROP ALL {(", "q x", "", "1q"):
        with pytest.raises(ValueError):
            _values_clause({bad: "x"})


def test_run_log_with_hostile_names_and_failures_reads_back_verbatim(store):
    from datetime import UTC, datetime

    from ingest.web.runs import RunRecord, list_runs, write_run

    run = RunRecord(iri="https://w3id.org/ecokg/run/hostile", started=datetime(2026, 11, 27, tzinfo=UTC),
                    label=HOSTILE[0], status="completed")
    run.sources = HOSTILE[:3]
    run.failures = [(h, "reason } #") for h in HOSTILE[3:]]
    write_run(store, run)
    [back] = list_runs(store)
    assert back.label == HOSTILE[0]
    assert back.sources == sorted(HOSTILE[:3])
    assert back.failures == sorted((h, "reason } #") for h in HOSTILE[3:])
