"""Competition matrix: rivalries, partnerships and acquisitions among the top vendors, products or standards."""

import pandas as pd
import streamlit as st

from ecokg.ui import data, state
from ecokg.ui.safe import md
from ecokg.ui.widgets import EMPTY, evidence_table, require_snapshot, show_evidence
from kg import analytics

MATRIX_PREDICATES = ("competesWith", "partnersWith", "acquired")
COMPARABLE = ("Vendor", "Product", "Standard", "Organization", "Person", "Event")
PLURAL = {"Vendor": "vendors", "Product": "products", "Standard": "standards", "Organization": "organizations",
          "Person": "people", "Event": "events"}
MAX_K = 30
SYMBOL = {"competesWith": "rivals", "partnersWith": "partners"}  # words: emoji need fonts CI lacks

st.title("Competition matrix")
snap = require_snapshot()
lang = state.lang()
base = state.current_filter()
f = state.with_predicates(base, MATRIX_PREDICATES)
st.caption(
    "Rivalries, partnerships and acquisitions between the top entities of one type (vendors, products, "
    "standards, ...). The sidebar's dates, confidence, article and type filters apply; its predicate choice "
    "does not. Click a cell to read its evidence."
)

LINKS = "links in this matrix"
types = snap.entities["type"]
c0, c1, c2 = st.columns([2, 2, 3])
etype = c0.selectbox("Compare", COMPARABLE, format_func=PLURAL.get, key="mx_type",
                     help="Which kind of entity the rows and columns are.")
kind = PLURAL[etype]
rank_by = c1.selectbox(f"Top {kind} by", [LINKS, *state.MEASURE_NAMES],
                       format_func=lambda m: state.MEASURE_NAMES.get(m, m), key="mx_measure",
                       help="'links in this matrix' counts an entity's rivalries, partnerships and acquisitions "
                            "with others of its type; the measures come from the whole filtered graph.")
members = set(types.index[types == etype])
facts = state.facts(f)
if rank_by == LINKS:
    tfacts = facts[facts["s"].isin(members) & facts["o"].isin(members) & (facts["s"] != facts["o"])]
    links = pd.concat([tfacts["s"], tfacts["o"]]).value_counts()
    ranked = sorted(links.index, key=lambda e: (-int(links[e]), e))
else:
    everything = state.with_predicates(base, analytics.PREDICATE_GROUPS["everything"])
    table = state.centrality(everything, rank_by)
    pool = table[table["entity"].isin(members)]
    ranked = analytics.top_nodes(pool, rank_by, len(pool)) if not pool.empty else []
available = len(ranked)
if available < 2:
    st.info(f"Fewer than two {kind} with rivalries, partnerships or acquisitions in the filtered graph."
            if rank_by == LINKS else f"Fewer than two {kind} in the filtered graph.")
    st.stop()
if available > 2:  # the slider's range is what exists: its key carries the type, as the range depends on it
    k = c2.slider(f"How many {kind}", 2, min(MAX_K, available), min(12, available), key=f"mx_k_{etype}",
                  help=f"{available:,} {kind} available.")
else:
    k = 2
    c2.caption(f"The only two {kind} available.")
top = list(ranked[:k])

inside = facts[facts["s"].isin(top) & facts["o"].isin(top)]
cells: dict[tuple[str, str], list[str]] = {}
for s, p, o, n in inside[["s", "p", "o", "articles"]].itertuples(index=False, name=None):
    if p == "acquired":
        cells.setdefault((s, o), []).append(f"acquired ({n})")
        cells.setdefault((o, s), []).append(f"acquired by ({n})")
    else:
        cells.setdefault((s, o), []).append(f"{SYMBOL[p]} ({n})")
        cells.setdefault((o, s), []).append(f"{SYMBOL[p]} ({n})")

labels = [snap.label(e, lang) for e in top]
unique = [f"{lab} [{i + 1}]" if labels.count(lab) > 1 else lab for i, lab in enumerate(labels)]
grid = pd.DataFrame(
    [[" · ".join(cells.get((r, c), [])) if r != c else "—" for c in top] for r in top], index=unique, columns=unique
)
event = st.dataframe(grid, on_select="rerun", selection_mode="single-cell", key="mx_grid", placeholder=EMPTY)
st.caption(f"{len(inside):,} facts between these {len(top)} {kind}. Numbers are supporting articles; "
           "rivals and partners read the same both ways, acquisitions say who bought whom.")

sel = getattr(event, "selection", None)
chosen = list(getattr(sel, "cells", []) or []) if sel is not None else []
pair: tuple[str, str] | None = None
if chosen:
    row, col = chosen[0]
    c_i = unique.index(col) if isinstance(col, str) else int(col)
    pair = (top[int(row)], top[c_i])
else:
    st.caption("Or pick a pair:")
    linked = [(r, c) for r in top for c in top if r != c and (r, c) in cells]
    a0, b0 = linked[0] if linked else (top[0], top[1])
    p1, p2 = st.columns(2)
    a = p1.selectbox(etype, top, index=top.index(a0), format_func=lambda i: snap.label(i, lang), key=f"mx_a_{etype}")
    others = [t for t in top if t != a]
    b = p2.selectbox(f"and {etype.lower()}", others, index=others.index(b0) if b0 in others else 0,
                     format_func=lambda i: snap.label(i, lang), key=f"mx_b_{etype}")
    pair = (a, b) if a and b else None

if pair is not None and pair[0] != pair[1]:
    a, b = pair
    st.subheader(f"{md(snap.label(a, lang))} and {md(snap.label(b, lang))}")
    rows = [r for r in data.pair_assertions(snap, a, b) if r["p"] in MATRIX_PREDICATES]
    if rows:
        ev = evidence_table(rows, snap, lang, centre=a)
        show_evidence(ev)
    else:
        st.caption("No rivalry, partnership or acquisition recorded between them.")
