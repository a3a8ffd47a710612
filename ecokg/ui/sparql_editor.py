"""The SPARQL page's editor: CodeMirror 5 (vendored in ``ecokg/static/sparql_editor``) as a Streamlit component.

Highlighting, line numbers, bracket matching and completion of the predeclared
prefixes and the vocabulary's terms, served by the app itself (nothing from a
CDN). The page owns the text: it sends ``text`` with a ``version`` and the
editor replaces its content only when the version changes (an example picked);
what the analyst types comes back as ``{"text", "version", "run"}``, where
``run`` is a fresh number when Ctrl+Enter was pressed.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

from kg.analytics import PREDICATES
from kg.namespace import PREFIXES

EDITOR_DIR = Path(__file__).resolve().parents[1] / "static" / "sparql_editor"
CLASSES = ("Vendor", "Product", "Standard", "Organization", "Person", "Event", "Assertion")
TERMS = (
    "eco:subject", "eco:predicate", "eco:object", "eco:evidence", "eco:confidence", "eco:charStart", "eco:charEnd",
    "eco:contentHash", "eco:market", "eco:pageRank", "rdfs:label", "skos:altLabel", "owl:sameAs",
    "schema:NewsArticle", "schema:url", "schema:headline", "schema:datePublished", "schema:inLanguage",
    "prov:wasDerivedFrom", "ecog:entities", "ecog:catalog", "ecog:analytics",
)
KEYWORDS = (
    "SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "GRAPH", "UNION", "VALUES", "GROUP BY", "ORDER BY", "DESC",
    "LIMIT", "COUNT", "SAMPLE", "LANG", "CONTAINS", "LCASE", "STR", "ASK", "CONSTRUCT", "DESCRIBE", "BIND",
)

_component = components.declare_component("sparql_editor", path=str(EDITOR_DIR))


def completions() -> list[str]:
    """What Ctrl+Space offers: every predeclared prefix, the ontology's terms, SPARQL keywords."""
    words = [f"{p}:" for p in PREFIXES]
    words += [f"eco:{p}" for p in PREDICATES] + [f"eco:{c}" for c in CLASSES] + list(TERMS) + list(KEYWORDS)
    return list(dict.fromkeys(words))


def editor(text: str, version: int, *, key: str, height: int = 300) -> dict | None:
    """Draw the editor; returns what the analyst last typed (with its version), or None before any edit."""
    return _component(text=text, version=version, words=completions(), height=height, key=key, default=None)
