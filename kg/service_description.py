"""The SPARQL 1.1 Service Description of ``ecokg serve`` (what ``GET /query`` without a query returns).

Clients and crawlers ask the endpoint what it is: the query language, the result
formats, that the default graph is the union of the named graphs, and that it is
read-only (no ``sd:SPARQL11Update``). https://www.w3.org/TR/sparql11-service-description/
"""

from __future__ import annotations

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")

RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description(endpoint_url: str, *, timeout: float, max_rows: int, max_memory: int) -> list[ox.Triple]:
    """The triples describing the endpoint at ``endpoint_url`` and its bounds."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint_url)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), graph),
        ox.Triple(graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(
            service, RDFS_COMMENT,
            ox.Literal(
                f"ecokg: a read-only knowledge graph of technology ecosystems; updates are refused. Each query may "
                f"run {timeout:g} s and return {max_rows:,} rows; all queries together may use "
                f"{max_memory >> 20:,} MB of memory."
            ),
        ),
    ]  # fmt: skip
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    return triples


def serialize(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    return ox.serialize(triples, format=fmt, prefixes={"sd": SD, "formats": FORMATS}) or b""
