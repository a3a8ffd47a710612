"""Materialised analytics: centrality and communities written back into the graph as RDF.

``materialize`` computes the measures of ``kg.analytics.centrality_table`` on the
merged graph and replaces the analytics graph in one write, so SPARQL can
``ORDER BY ?pr`` on ``eco:pageRank`` and the app can read the numbers instead of
recomputing them. Each entity gets ``eco:degree``, ``eco:weightedDegree``,
``eco:betweenness``, ``eco:closeness``, ``eco:eigenvector``, ``eco:pageRank``,
``eco:community`` and ``eco:computedAt``. The graph node records when, how
(``rdfs:comment``) and from which articles (``eco:contentHash`` over their
content hashes), so a reader can tell whether the numbers are stale.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import pyoxigraph as ox

from kg import queries
from kg.analytics import build_graph, centrality_table
from kg.namespace import ANALYTICS_GRAPH, ECO, RDFS, SCHEMA, XSD
from kg.store import Store

# table column -> (predicate, XSD datatype)
MEASURES: dict[str, tuple[str, str]] = {
    "degree": (str(ECO.degree), str(XSD.integer)),
    "weighted_degree": (str(ECO.weightedDegree), str(XSD.double)),
    "betweenness": (str(ECO.betweenness), str(XSD.double)),
    "closeness": (str(ECO.closeness), str(XSD.double)),
    "eigenvector": (str(ECO.eigenvector), str(XSD.double)),
    "pagerank": (str(ECO.pageRank), str(XSD.double)),
    "community": (str(ECO.community), str(XSD.integer)),
}


@dataclass
class Summary:
    entities: int
    communities: int
    computed_at: str
    method: str

    def __str__(self) -> str:
        return f"{self.entities} entities, {self.communities} communities, at {self.computed_at} ({self.method})"


def input_hash(store: Store) -> str:
    """A fingerprint of the articles the analytics were computed from (their content hashes)."""
    q = (
        "SELECT ?h WHERE { GRAPH ?g { ?g a <%s> ; <%s> ?h } } ORDER BY ?h"
        % (SCHEMA.NewsArticle, ECO.contentHash)
    )
    digest = hashlib.sha256()
    for sol in store.query(q, union=False):
        digest.update(sol["h"].value.encode("utf-8") + b"\n")
    return "analytics:" + digest.hexdigest()


def _xsd_datetime(when: datetime) -> str:
    """UTC as Oxigraph writes it back ('...Z'), so stored and reported times compare equal."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _literal(value: object, datatype: str) -> ox.Literal:
    if datatype == str(XSD.integer):
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(datatype))  # type: ignore[call-overload]
    return ox.Literal(repr(float(value)), datatype=ox.NamedNode(datatype))  # type: ignore[arg-type]


def analytics_quads(table: pd.DataFrame, computed_at: datetime, method: str, source_hash: str) -> list[ox.Quad]:
    """The analytics graph for a centrality table (NaN measures are left out)."""
    g = ox.NamedNode(str(ANALYTICS_GRAPH))
    when = ox.Literal(_xsd_datetime(computed_at), datatype=ox.NamedNode(str(XSD.dateTime)))
    at = ox.NamedNode(str(ECO.computedAt))
    out = [
        ox.Quad(g, at, when, g),
        ox.Quad(g, ox.NamedNode(str(RDFS.comment)), ox.Literal(method), g),
        ox.Quad(g, ox.NamedNode(str(ECO.contentHash)), ox.Literal(source_hash), g),
    ]
    for row in table.itertuples(index=False):
        node = ox.NamedNode(row.entity)
        out.append(ox.Quad(node, at, when, g))
        for column, (pred, datatype) in MEASURES.items():
            value = getattr(row, column)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if column == "community" and int(value) < 0:
                continue
            out.append(ox.Quad(node, ox.NamedNode(pred), _literal(value, datatype), g))
    return out


def materialize(store: Store, method: str = "auto", facts: list[queries.Fact] | None = None,
                scope: str | None = None) -> Summary:
    """Compute the measures on the merged graph and replace the analytics graph in one write.

    ``facts`` (with ``scope`` saying which, e.g. "as of 2015-06-30") computes them on a
    time slice of the graph instead (``kg.timeline``); the method comment records the scope.
    """
    source_hash = input_hash(store)
    table = centrality_table(build_graph(queries.facts(store) if facts is None else facts), method=method)
    computed_at = datetime.now(UTC).replace(microsecond=0)
    how = str(table.attrs.get("method", method)) + (f"; facts {scope}" if scope else "")
    store.replace_graph(str(ANALYTICS_GRAPH), analytics_quads(table, computed_at, how, source_hash))
    n_comm = int(table["community"][table["community"] >= 0].nunique()) if len(table) else 0
    return Summary(len(table), n_comm, _xsd_datetime(computed_at), how)


def read_analytics(store: Store) -> pd.DataFrame:
    """The stored measures as a table shaped like ``centrality_table`` (empty if never computed).

    ``attrs`` carries ``computed_at``, ``method`` and ``stale`` (articles changed since).
    """
    columns = ["entity", *MEASURES]
    q = "SELECT ?e ?p ?v WHERE { GRAPH <%s> { ?e ?p ?v } }" % ANALYTICS_GRAPH
    by_pred = {pred: column for column, (pred, _) in MEASURES.items()}
    rows: dict[str, dict[str, object]] = {}
    meta: dict[str, str] = {}
    graph = str(ANALYTICS_GRAPH)
    for sol in store.query(q, union=False):
        e, p, v = sol["e"].value, sol["p"].value, sol["v"].value
        if e == graph:
            meta[p] = v
            continue
        column = by_pred.get(p)
        if column:
            rows.setdefault(e, {"entity": e})[column] = int(v) if column in ("degree", "community") else float(v)
    table = pd.DataFrame(list(rows.values()), columns=columns)
    if len(table):
        table = table.sort_values(["pagerank", "entity"], ascending=[False, True], ignore_index=True)
    table.attrs["computed_at"] = meta.get(str(ECO.computedAt))
    table.attrs["method"] = meta.get(str(RDFS.comment))
    stored_hash = meta.get(str(ECO.contentHash))
    table.attrs["stale"] = stored_hash is None or stored_hash != input_hash(store)
    return table


__all__ = ["MEASURES", "Summary", "analytics_quads", "input_hash", "materialize", "read_analytics"]
