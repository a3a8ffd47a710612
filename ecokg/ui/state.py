"""Streamlit glue: the cached read-only store, cached tables per filter, and the shared sidebar.

The store is opened read-only (a snapshot) and cached per ``store_generation``:
when an ingest commits, the generation moves and the next run reads the new
data without a restart. Filtered facts and centrality tables are cached per
(generation, filter) so switching pages never recomputes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import networkx as nx
import pandas as pd
import streamlit as st

from ecokg.ui import data, graph_view
from ecokg.ui.data import GraphFilter, Snapshot
from ecokg.ui.safe import md
from kg import analytics
from kg.model import ENTITY_TYPES, PREDICATES
from kg.store import EmbeddedStore, Store, StoreError, default_location, open_store, store_generation

LANGS = {"English": "en", "中文": "zh"}
QUICK = ("degree", "weighted_degree", "eigenvector", "pagerank")
MEASURE_NAMES = {
    "pagerank": "PageRank",
    "degree": "degree",
    "weighted_degree": "weighted degree",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "eigenvector": "eigenvector",
}


def location() -> str:
    return default_location()


def generation() -> int:
    loc = location()
    return 0 if loc.startswith(("http://", "https://")) else store_generation(loc)


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(loc: str, gen: int) -> Store:
    return open_store(loc, read_only=True)


def store() -> Store:
    """The read-only store for the current generation (raises StoreError with a message)."""
    return _store(location(), generation())


@st.cache_resource(max_entries=2, show_spinner="Reading the graph…")
def _snapshot(loc: str, gen: int) -> Snapshot:
    return data.read_snapshot(_store(loc, gen), gen)


def snapshot() -> Snapshot:
    return _snapshot(location(), generation())


# Bounds: a 5,000-entity graph is tens of MB in networkx; a few filters' worth stay in memory.
@st.cache_resource(max_entries=16, show_spinner=False)
def _facts(loc: str, gen: int, f: GraphFilter) -> pd.DataFrame:
    return data.filter_facts(_snapshot(loc, gen), f)


def facts(f: GraphFilter) -> pd.DataFrame:
    """Merged facts passing the filter (cached per generation and filter; do not mutate)."""
    return _facts(location(), generation(), f)


@st.cache_resource(max_entries=8, show_spinner=False)
def _graph(loc: str, gen: int, f: GraphFilter) -> nx.MultiDiGraph:
    return data.graph_of(_facts(loc, gen, f))


def graph(f: GraphFilter) -> nx.MultiDiGraph:
    return _graph(location(), generation(), f)


@st.cache_resource(max_entries=16, show_spinner="Computing centrality…")
def _centrality(loc: str, gen: int, f: GraphFilter, full: bool) -> pd.DataFrame:
    measures = analytics.MEASURES if full else QUICK
    return analytics.centrality_table(_graph(loc, gen, f), measures=measures)


def centrality(f: GraphFilter, measure: str | None = None, full: bool = False) -> pd.DataFrame:
    """The centrality table of the filtered graph.

    Path measures (betweenness, closeness) cost most, so they are computed only
    when a page asks for them; once computed for a filter, that table is reused.
    """
    key = (location(), generation(), f)
    done = st.session_state.setdefault("_full_done", set())
    if full or measure in ("betweenness", "closeness") or key in done:
        table = _centrality(*key, True)
        done.add(key)
        return table
    return _centrality(*key, False)


@st.cache_resource(max_entries=16, show_spinner=False)
def _camps(loc: str, gen: int, f: GraphFilter) -> tuple[list[list[str]], float]:
    table = _centrality(loc, gen, f, True)
    groups = [sorted(grp) for _, grp in table.groupby("community")["entity"]]
    groups.sort(key=lambda grp: (-len(grp), grp[0]))
    return groups, analytics.modularity(_graph(loc, gen, f), groups)


def camps(f: GraphFilter) -> tuple[list[list[str]], float]:
    """Communities of the filtered graph (from the centrality table) and their modularity."""
    return _camps(location(), generation(), f)


@st.cache_resource(max_entries=16, show_spinner=False)
def _layout(loc: str, gen: int, f: GraphFilter, measure: str, n: int, _nodes: list[str], _drawn: pd.DataFrame):
    return graph_view.spread(analytics.layout(_nodes, zip(_drawn["s"], _drawn["o"], strict=True)))


def layout(f: GraphFilter, measure: str, n: int, nodes: list[str], facts: pd.DataFrame) -> dict:
    """Positions of the drawn nodes, cached per (filter, measure, N): the nodes follow from those."""
    return _layout(location(), generation(), f, measure, n, nodes, facts)


@st.cache_resource(max_entries=2, show_spinner=False)
def _evidence_index(loc: str, gen: int) -> dict:
    return graph_view.evidence_index(_snapshot(loc, gen))


def evidence_index() -> dict[tuple[str, str, str], list[dict[str, object]]]:
    """The best evidence sentences of every fact (for the explorer's edge clicks), once per generation."""
    return _evidence_index(location(), generation())


def lang() -> str:
    return LANGS.get(st.session_state.get("lang", "English"), "en")


def current_filter() -> GraphFilter:
    """The filter the sidebar built in this run (defaults when the sidebar was not drawn)."""
    f = st.session_state.get("_graph_filter")
    return f if isinstance(f, GraphFilter) else GraphFilter()


def open_writer() -> EmbeddedStore:
    """The store opened for writing, briefly (raises StoreLockedError when another process writes)."""
    loc = location()
    if loc.startswith(("http://", "https://")):
        raise StoreError("this app writes only to a local store; ingest into the remote server with its own tools")
    return EmbeddedStore(loc)


# ------------------------------------------------------------------ sidebar
def sidebar(snap: Snapshot) -> GraphFilter:
    """Language switch and the graph filter, shared by every page (widget state persists across pages)."""
    sb = st.sidebar
    sb.radio("Labels", list(LANGS), key="lang", horizontal=True)
    sb.subheader("Graph filter")
    preset = sb.selectbox(
        "Predicates", [*analytics.PREDICATE_GROUPS, "custom"], key="f_preset",
        help="Which relations form the graph: rivalries only, alliances only, or everything.",
    )
    if preset == "custom":
        preds = tuple(sb.multiselect("Custom predicates", PREDICATES, default=list(PREDICATES), key="f_preds"))
    else:
        preds = analytics.PREDICATE_GROUPS[preset]
    types = tuple(sb.multiselect("Entity types", ENTITY_TYPES, default=list(ENTITY_TYPES), key="f_types"))
    lo, hi = snap.date_bounds
    date_from = date_to = None
    if lo and hi and lo < hi:
        d0, d1 = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
        picked = sb.slider("Article dates", min_value=d0, max_value=d1, value=(d0, d1), key="f_dates",
                           format="YYYY-MM-DD")
        if picked != (d0, d1):
            date_from, date_to = picked[0].isoformat(), picked[1].isoformat()
    min_conf = sb.slider("Minimum confidence", 0.0, 1.0, 0.0, 0.05, key="f_conf")
    min_arts = int(sb.number_input("Minimum supporting articles", 1, 1000, 1, key="f_arts"))
    search = sb.text_input("Search names", key="f_search", help="Keeps facts touching an entity whose name or alias contains this text.")
    focus, hops = _focus_widget(snap)
    f = GraphFilter(
        types=types or ENTITY_TYPES, predicates=preds or PREDICATES, date_from=date_from, date_to=date_to,
        min_confidence=float(min_conf), min_articles=min_arts, search=search.strip(), focus=focus, hops=hops,
    )
    st.session_state["_graph_filter"] = f
    return f


def _focus_widget(snap: Snapshot) -> tuple[str | None, int]:
    """A name box rather than a 5,000-option list (which every rerun would ship to the browser)."""
    sb = st.sidebar
    text = sb.text_input("Neighbourhood of", key="f_focus", placeholder="an entity name",
                         help="Keeps only entities within k hops of the best match for this name.")
    focus = resolve_entity(snap, text)
    if text.strip():
        if focus is None:
            sb.caption("No entity matches that name.")
        else:
            sb.caption("Centre: " + md(snap.label(focus, lang())))
    hops = int(sb.slider("within k hops", 1, 4, 1, key="f_hops", disabled=focus is None))
    return focus, hops


def resolve_entity(snap: Snapshot, text: str) -> str | None:
    """The entity a name means: an exact label or alias match first, else the most-mentioned containing it."""
    q = text.strip().casefold()
    if not q:
        return None
    hits = snap.entities.loc[sorted(data.search_entities(snap, q))]
    if hits.empty:
        return None
    exact = hits[hits["search"].map(lambda s: q in s.split("\x1f"))]
    pool = exact if not exact.empty else hits
    return str(pool.sort_values(["articles"], ascending=False).index[0])


def with_predicates(f: GraphFilter, predicates: tuple[str, ...]) -> GraphFilter:
    return replace(f, predicates=predicates)
