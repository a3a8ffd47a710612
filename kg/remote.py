"""An external SPARQL 1.1 server as the store, over the standard HTTP protocols.

Reads go through the SPARQL 1.1 Protocol, article graphs are replaced with one
Graph Store Protocol PUT and dropped with one DELETE, and ``update`` sends a
SPARQL 1.1 Update request. The server's URL picks the endpoint layout:

- ``http://host:7878``                      Oxigraph server: /query, /update, /store
- ``http://host:7200/repositories/REPO``    GraphDB (RDF4J): REPO, REPO/statements, REPO/rdf-graphs/service
- ``https://host:8182/sparql``              Amazon Neptune: /sparql, /sparql, /sparql/gsp/
- ``http://host:3030/DATASET``              Apache Jena Fuseki: /DATASET/query, /update, /data

Credentials come only from the environment (``ECOKG_STORE_USER`` and
``ECOKG_STORE_PASSWORD`` for HTTP basic auth, or ``ECOKG_STORE_TOKEN`` for a
bearer token), never from the URL, so the location can be shown safely.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyoxigraph as ox
import requests

from kg import entity_index
from kg.store import Store, StoreError, refuse_derived_graph

CONNECT_TIMEOUT_S = 5.0
RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_CANCELLED = re.compile(rb"cancel|timeout|timed out", re.IGNORECASE)


def read_timeout() -> float:
    """Seconds to wait for a server's answer (ECOKG_STORE_TIMEOUT, default 120)."""
    return float(os.environ.get("ECOKG_STORE_TIMEOUT", "120"))


@dataclass(frozen=True)
class Endpoints:
    """Where one server takes queries, updates and Graph Store requests."""

    kind: str
    query: str
    update: str
    graph_store: str
    union_params: dict[str, str] = field(default_factory=dict)  # ask for the union as default graph


def endpoints_for(url: str) -> Endpoints:
    """The endpoint layout for a server URL (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"not a SPARQL server URL: {url!r}")
    if parts.username or parts.password:
        raise StoreError(
            "credentials in the store URL are refused: set ECOKG_STORE_USER and ECOKG_STORE_PASSWORD "
            "(or ECOKG_STORE_TOKEN) in the environment instead"
        )
    if parts.query or parts.fragment:
        raise StoreError(f"the store URL must not carry a query or fragment: {url!r}")
    base = url.rstrip("/")
    path = parts.path.rstrip("/")
    if path == "":
        return Endpoints("oxigraph", base + "/query", base + "/update", base + "/store", {"union-default-graph": ""})
    if re.search(r"/repositories/[^/]+$", path):
        return Endpoints("graphdb", base, base + "/statements", base + "/rdf-graphs/service")
    if path.endswith("/sparql"):
        return Endpoints("neptune", base, base, base + "/gsp/")
    return Endpoints("fuseki", base + "/query", base + "/update", base + "/data")


def _auth_session() -> requests.Session:
    session = requests.Session()
    user = os.environ.get("ECOKG_STORE_USER")
    password = os.environ.get("ECOKG_STORE_PASSWORD")
    token = os.environ.get("ECOKG_STORE_TOKEN")
    if token and user:
        raise StoreError("set either ECOKG_STORE_TOKEN or ECOKG_STORE_USER/ECOKG_STORE_PASSWORD, not both")
    if user:
        session.auth = (user, password or "")
    elif token:
        session.headers["Authorization"] = f"Bearer {token}"
    return session


class RemoteStore(Store):
    """A SPARQL 1.1 server behind the ``Store`` interface; results come back as pyoxigraph terms."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.endpoints = endpoints_for(url)
        self.location = url.rstrip("/")
        self.read_only = read_only
        self._session = _auth_session()
        self.query("ASK {}", union=False)  # fail early, with a message, when the server is not there

    # -- reading
    def query(self, sparql: str, *, union: bool = True, substitutions: dict | None = None):
        """Run a query; SELECT gives QuerySolutions, ASK a QueryBoolean, CONSTRUCT an iterator of Triples."""
        if substitutions:
            sparql += _values_clause(substitutions)
        params = dict(self.endpoints.union_params) if union else {}
        resp = self._request(  # URL-encoded POST: the form every SPARQL 1.1 server accepts
            "POST", self.endpoints.query, params=params, data={"query": sparql}, headers={"Accept": RESULTS_ACCEPT}
        )
        return _parse_results(resp)

    def quad_count(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return int(next(iter(res))["n"].value)

    # -- writing
    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """One Graph Store PUT swaps the graph's content; the entity graph is kept by one Update before it.

        The Update retracts what only the old graph said and adds the new
        descriptions; for the moment between the two requests the entity graph
        already describes the new content while the article graph still holds
        the old. Two requests, not one transaction: a SPARQL 1.1 server has no
        way to group a Graph Store PUT with an Update.
        """
        self._require_writable()
        refuse_derived_graph(graph)
        described = entity_index.index_quads(quads)
        body = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in described)
        self.update(f"{entity_index.retract_update(graph)} ;\nINSERT DATA {{ GRAPH {entity_index.GRAPH} {{\n{body}}} }}")
        body = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
        self._request(
            "PUT",
            self.endpoints.graph_store,
            params={"graph": graph},
            data=body.encode("utf-8"),
            headers={"Content-Type": "application/n-triples"},
        )

    def remove_graph(self, graph: str) -> bool:
        self._require_writable()
        refuse_derived_graph(graph)
        self.update(entity_index.retract_update(graph))
        resp = self._request("DELETE", self.endpoints.graph_store, params={"graph": graph}, ok_missing=True)
        return resp.status_code != 404

    def update(self, sparql: str, graphs: Iterable[str] | None = None) -> None:
        """One SPARQL 1.1 Update request (the server applies it as one transaction); ``graphs`` is
        for the embedded store's changes cache (a remote store has none)."""
        self._require_writable()
        self._request("POST", self.endpoints.update, data={"update": sparql})

    def close(self) -> None:
        self._session.close()

    # -- plumbing
    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError("this store is open read-only")

    def _request(self, method: str, url: str, *, ok_missing: bool = False, **kwargs) -> requests.Response:
        try:
            resp = self._session.request(method, url, timeout=(CONNECT_TIMEOUT_S, read_timeout()), **kwargs)
        except requests.Timeout as exc:
            raise TimeoutError(f"the SPARQL server at {self.location} did not answer in time") from exc
        except requests.ConnectionError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {self.location}: {exc}") from exc
        if resp.status_code == 404 and ok_missing:
            return resp
        if resp.status_code in (401, 403):
            raise StoreError(
                f"the SPARQL server at {self.location} refused {method} ({resp.status_code}): "
                "check ECOKG_STORE_USER/ECOKG_STORE_PASSWORD or ECOKG_STORE_TOKEN"
            )
        if resp.status_code in (503, 504) and _CANCELLED.search(resp.content):
            raise TimeoutError(f"the SPARQL server stopped the request at its time limit: {resp.text[:200]}")
        if resp.status_code >= 400:
            raise StoreError(f"{method} {url} failed ({resp.status_code}): {resp.text[:500]}")
        return resp

    def __repr__(self) -> str:
        return f"RemoteStore({self.location!r}, kind={self.endpoints.kind!r})"


def _values_clause(substitutions: dict) -> str:
    """A trailing VALUES block: like pyoxigraph's substitutions, it binds projected variables."""
    from kg.query import as_term

    names = [f"?{getattr(k, 'value', k)}" for k in substitutions]
    for name in names:  # names are pasted: only plain variable names (values go through as_term)
        if not re.fullmatch(r"\?[A-Za-z_]\w*", name):
            raise ValueError(f"bad variable name {name[1:]!r}")
    terms = [str(as_term(v)) for v in substitutions.values()]
    return f"\nVALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _parse_results(resp: requests.Response):
    """pyoxigraph results from a response, after checking the whole body parses.

    Some servers (Oxigraph among them) stream results and, when their time limit
    cancels a query mid-stream, end the 200 response with an error text instead
    of the rest of the document; that must surface as a timeout, not as data.
    """
    media = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    body = resp.content
    results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
    if results_format is not None:
        problem = _unreadable(body, results_format)
        if problem:
            raise _broken(body, problem)
        return ox.parse_query_results(body, results_format)
    rdf_format = ox.RdfFormat.from_media_type(media) if media else None
    if rdf_format is None:
        raise StoreError(f"the SPARQL server answered with an unexpected content type {media!r}")
    try:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, rdf_format)]
    except SyntaxError as exc:
        raise _broken(body, str(exc)) from None
    return _TripleIterator(triples)


def _unreadable(body: bytes, results_format: ox.QueryResultsFormat) -> str | None:
    """The parse error of a results document, if any (parsed here so no parser outlives this frame)."""
    try:
        parsed = ox.parse_query_results(body, results_format)
        if isinstance(parsed, ox.QuerySolutions):
            for _ in parsed:
                pass
    except SyntaxError as exc:
        return str(exc)
    return None


def _broken(body: bytes, problem: str) -> Exception:
    if _CANCELLED.search(body[-300:]):
        return TimeoutError("the SPARQL server stopped the query at its time limit")
    return StoreError(f"the SPARQL server sent an unreadable result: {problem}")


class _TripleIterator:
    """CONSTRUCT/DESCRIBE results: an iterator of Triples, like pyoxigraph's QueryTriples."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self._it: Iterator[ox.Triple] = iter(triples)

    def __iter__(self) -> Iterator[ox.Triple]:
        return self

    def __next__(self) -> ox.Triple:
        return next(self._it)


__all__ = ["Endpoints", "RemoteStore", "endpoints_for"]
