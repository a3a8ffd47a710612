"""Competition matrix: rivalries, partnerships and acquisitions among the top vendors."""

import pandas as pd
import streamlit as st

from kg import analytics
from kg.ui import data, state
from kg.ui.safe import md
from kg.ui.widgets import EVIDENCE_COLUMNS, evidence_table, require_snapshot

MATRIX_PREDICATES = ("competesWith", "partnersWith", "acquired")
SYMBOL = {"competesWith": "rivals", "partnersWith": "partners"}  # words: emoji need fonts CI lacks

st.title("Competition matrix")
snap = require_snapshot()
lang = state.lang()
base = state.current_filter()
f = state.with_predicates(base, MATRIX_PREDICATES)
st.caption(
    "Rivalries, partnerships and acquisitions between the top vendors. The sidebar's dates, confidence, "
    "article and type filters apply; its predicate choice does not. Click a cell to read its evidence."
)

LINKS = "links in this matrix"
c1, c2 = st.columns(2)
rank_by = c1.selectbox("Top vendors by", [LINKS, *state.MEASURE_NAMES],
                       format_func=lambda m: state.MEASURE_NAMES.get(m, m), key="mx_measure",
                       help="'links in this matrix' counts a vendor's rivalries, partnerships and acquisitions; "
                            "the measures come from the whole filtered graph.")
k = c2.slider("How many vendors", 3, 30, 12, key="mx_k")

types = snap.entities["type"]
vendor_set = set(types.index[types == "Vendor"])
facts = state.facts(f)
if rank_by == LINKS:
    vfacts = facts[facts["s"].isin(vendor_set) & facts["o"].isin(vendor_set)]
    links = pd.concat([vfacts["s"], vfacts["o"]]).value_counts()
    top = sorted(links.index, key=lambda e: (-int(links[e]), e))[:k]
else:
    everything = state.with_predicates(base, analytics.PREDICATE_GROUPS["everything"])
    table = state.centrality(everything, rank_by)
    vendors = table[table["entity"].isin(vendor_set)]
    top = analytics.top_nodes(vendors, rank_by, k) if not vendors.empty else []
if len(top) < 2:
    st.info("Fewer than two vendors with rivalries, partnerships or acquisitions in the filtered graph.")
    st.stop()

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
event = st.dataframe(grid, on_select="rerun", selection_mode="single-cell", key="mx_grid")
st.caption(f"{len(inside):,} facts between these {len(top)} vendors. Numbers are supporting articles.")

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
    a = p1.selectbox("Vendor", top, index=top.index(a0), format_func=lambda i: snap.label(i, lang), key="mx_a")
    others = [t for t in top if t != a]
    b = p2.selectbox("and vendor", others, index=others.index(b0) if b0 in others else 0,
                     format_func=lambda i: snap.label(i, lang), key="mx_b")
    pair = (a, b) if a and b else None

if pair is not None and pair[0] != pair[1]:
    a, b = pair
    st.subheader(f"{md(snap.label(a, lang))} and {md(snap.label(b, lang))}")
    rows = [r for r in data.pair_assertions(snap, a, b) if r["p"] in MATRIX_PREDICATES]
    if rows:
        ev = evidence_table(rows, snap, lang, centre=a)
        st.dataframe(ev, hide_index=True, column_config=EVIDENCE_COLUMNS, key="mx_evidence")
    else:
        st.caption("No rivalry, partnership or acquisition recorded between them.")
