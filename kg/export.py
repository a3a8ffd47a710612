"""Writing the graph out: N-Quads/TriG (everything), Turtle/JSON-LD (the merged graph), GraphML (entities).

Turtle, JSON-LD and GraphML are the graph as analysts corrected it (``kg.curation``); N-Quads and TriG are the
store as it is, the curation graph included, for backups and moves.
"""

from __future__ import annotations

from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg import queries
from kg.analytics import build_graph
from kg.curation import records as curation_records
from kg.curation.actions import load_overlay
from kg.curation.view import corrected_triples
from kg.store import Store

_RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nq": ox.RdfFormat.N_QUADS,
                "trig": ox.RdfFormat.TRIG}


def export(store: Store, fmt: str, out: BinaryIO) -> None:
    """Write the store in one of: nq / trig (all graphs), ttl / jsonld (union graph), graphml (entity graph)."""
    if fmt == "trig":
        res = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        quads = (ox.Quad(sol["s"], sol["p"], sol["o"], sol["g"]) for sol in res)
        ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=dict(queries.PREFIXES))
        return
    if fmt == "nq":
        quads = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        for sol in quads:
            out.write(f"{sol['s']} {sol['p']} {sol['o']} {sol['g']} .\n".encode())
        return
    if fmt in ("ttl", "jsonld"):
        if curation_records.exists(store):  # corrections applied, their records left out (the nq dump keeps them)
            overlay = load_overlay(store)
            triples = corrected_triples(_named_quads(store), overlay)
        else:
            triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        kwargs = {"prefixes": dict(queries.PREFIXES)} if fmt == "ttl" else {}
        ox.serialize(triples, out, _RDF_FORMATS[fmt], **kwargs)
        return
    if fmt == "graphml":
        g = build_graph(queries.facts(store))
        names = queries.labels(store)
        simple = nx.DiGraph()
        for n in g.nodes:
            lab = names.get(n, {})
            simple.add_node(n, label=lab.get("en") or next(iter(lab.values()), n), label_zh=lab.get("zh", ""))
        for u, v, data in g.edges(data=True):
            simple.add_edge(u, v, predicate=data["predicate"], weight=data["weight"], confidence=data["confidence"])
        nx.write_graphml(simple, out)
        return
    raise ValueError(f"unknown export format {fmt!r}")


def _named_quads(store: Store):
    """(subject, predicate, object, graph) of every named graph: straight from the embedded store's
    index (a third of the cost of a SPARQL scan), else through SPARQL."""
    native = getattr(store, "oxigraph", None)
    if native is not None:
        for q in native.quads_for_pattern(None, None, None, None):
            if isinstance(q.graph_name, ox.NamedNode):
                yield q.subject, q.predicate, q.object, q.graph_name
        return
    for sol in store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False):
        yield tuple(sol)
