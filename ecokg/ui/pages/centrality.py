"""Centrality and communities of the filtered graph: the full table (CSV) and the camps."""

import pandas as pd
import streamlit as st

from ecokg.ui import state
from ecokg.ui.safe import md
from ecokg.ui.widgets import (
    EVIDENCE_COLUMNS,
    csv_text,
    measure_columns,
    profile_link,
    require_snapshot,
    show_table,
)
from kg.namespace import ENT

ENT_NS = str(ENT)

st.title("Centrality and communities")
snap = require_snapshot()
lang = state.lang()
f = state.current_filter()
st.caption(
    "Computed on the graph the sidebar filter selects (predicates preset: competition only, alliances only, "
    "everything, ...). Symmetric predicates count both ways; directed ones from subject to object."
)

table = state.centrality(f, full=True)
g = state.graph(f)
st.info(f"**Method:** {md(table.attrs.get('method', ''))} · {g.number_of_nodes():,} entities, "
        f"{len(state.facts(f)):,} facts. See the README (Centrality methods) for definitions.")
if table.empty:
    st.stop()

types = snap.entities["type"]
names = snap.labels(lang)
view = table.copy()
view.insert(0, "label", view["entity"].map(lambda i: names.get(i, i)))
view.insert(1, "type", view["entity"].map(lambda i: types.get(i, "")))
view.insert(2, "profile", view["entity"].map(profile_link))
# The whole IRI in the CSV; in the grid its ent: form (the prefix is predeclared in every query), which fits.
grid = view.assign(entity=view["entity"].map(lambda i: "ent:" + i[len(ENT_NS):] if i.startswith(ENT_NS) else i))
grid = grid[[c for c in grid.columns if c != "entity"][:3] + ["entity"] + [c for c in grid.columns if c != "entity"][3:]]
show_table(
    grid,
    key="ce_table", rows=25,
    column_config={
        "label": st.column_config.TextColumn("label", width="medium", pinned=True),
        "entity": st.column_config.TextColumn("IRI", width="medium", help="ent: is " + ENT_NS),
        "profile": EVIDENCE_COLUMNS["profile"],
        "degree": st.column_config.NumberColumn("degree", format="%d", width="small"),
        "community": st.column_config.NumberColumn("community", format="%d", width="small"),
        **measure_columns(["weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank"]),
    },
)

csv = csv_text(view[[c for c in view.columns if c != "entity"] + ["entity"]])  # the full IRI, last
st.download_button("Download CSV", csv, file_name="centrality.csv", mime="text/csv", key="ce_csv")

st.subheader("Camps")
groups, quality = state.camps(f)
st.caption(
    f"{len(groups):,} communities, modularity {quality:.3f}. "
    "Members are listed by PageRank within each camp."
)
pr = table.set_index("entity")["pagerank"]
max_camps = (  # a slider needs two distinct ends: one camp (a narrow filter) needs none
    st.slider("Camps to list", 1, min(50, len(groups)), min(8, len(groups)), key="ce_camps")
    if len(groups) > 1 else len(groups)
)
for i, grp in enumerate(groups[:max_camps]):
    members = sorted(grp, key=lambda e: -float(pr.get(e, 0.0)))
    head = ", ".join(names.get(e, e) for e in members[:3])
    box = st.expander(f"Camp {i} · {len(grp)} members · {md(head)}", expanded=i == 0, key=f"ce_exp_{i}",
                      on_change="rerun")
    if box.open:  # lazy: closed camps cost nothing to draw
        show_table(
            pd.DataFrame(
                {
                    "entity": [names.get(e, e) for e in members],
                    "type": [types.get(e, "") for e in members],
                    "pagerank": [float(pr.get(e, 0.0)) for e in members],
                    "profile": [profile_link(e) for e in members],
                }
            ),
            key=f"ce_camp_{i}", container=box,
            column_config={"profile": EVIDENCE_COLUMNS["profile"], **measure_columns(["pagerank"])},
        )
