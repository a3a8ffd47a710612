"""Graph explorer: the filtered network, top N nodes by a measure, click a node for its profile."""

import streamlit as st

from kg import analytics
from kg.ui import network, state
from kg.ui.time_controls import time_filter
from kg.ui.widgets import require_snapshot

st.title("Graph explorer")
snap = require_snapshot()
lang = state.lang()
f = time_filter(snap, state.current_filter(), key="ex")

c1, c2, c3 = st.columns([2, 2, 3])
measure = c1.selectbox("Node size", list(state.MEASURE_NAMES), format_func=state.MEASURE_NAMES.get, key="ex_measure")
colour_by = c2.radio("Colour", ["entity type", "community"], horizontal=True, key="ex_colour")
top_n = c3.slider("Draw the top N nodes", 10, 1000, 150, 10, key="ex_topn")

facts = state.facts(f)
table = state.centrality(f, measure)
total_nodes, total_facts = len(table), len(facts)
if total_nodes == 0:
    st.info("No facts pass the filter. Widen it in the sidebar.")
    st.stop()

shown = analytics.top_nodes(table, measure, top_n)
keep = set(shown)
sub = facts[facts["s"].isin(keep) & facts["o"].isin(keep)]
left_out = total_nodes - len(shown)
msg = f"Showing {len(shown):,} of {total_nodes:,} entities and {len(sub):,} of {total_facts:,} facts"
if left_out:
    msg += f"; {left_out:,} entities left out (raise N or narrow the filter to see them)"
st.caption(msg + ". Method: " + table.attrs.get("method", ""))

scores = table.set_index("entity")
values = scores[measure]
vmax = float(values.max()) or 1.0
types = snap.entities["type"]
pos = state.layout(f, measure, top_n, shown, sub)
nodes = []
for iri in shown:
    label = snap.label(iri, lang)
    t = types.get(iri, "")
    comm = int(scores.at[iri, "community"])
    colour = network.TYPE_COLOURS.get(t, "#9c9c9c") if colour_by == "entity type" else network.community_colour(comm)
    v = float(values.get(iri, 0.0))
    nodes.append(
        {
            "id": iri,
            "label": label,
            "value": 1.0 + 99.0 * v / vmax,
            "x": round(pos[iri][0], 1),
            "y": round(pos[iri][1], 1),
            "color": colour,
            "tip": f"{label} · {t or 'untyped'} · {state.MEASURE_NAMES[measure]} {v:.4g} · camp {comm}",
        }
    )
edges = [
    network.edge_payload(s, p, o, int(n), float(c))
    for s, p, o, n, c in sub[["s", "p", "o", "articles", "confidence"]].itertuples(index=False, name=None)
]
if colour_by == "entity type":
    colours = {t: c for t, c in network.TYPE_COLOURS.items() if t}
else:
    camps = sorted({int(scores.at[i, "community"]) for i in shown})
    colours = {f"camp {c}": network.community_colour(c) for c in camps[:12]}
key_items = network.legend(colours, list(f.predicates))
st.iframe(network.network_html(nodes, edges, height=640, legend_items=key_items), height=740)

st.subheader("Open a profile")
names = snap.labels(lang)
pick = st.selectbox("Entity", shown, format_func=lambda i: names.get(i, i), key="ex_pick")
if st.button("Open profile", key="ex_open") and pick:
    st.switch_page("kg/ui/pages/profile.py", query_params={"entity": pick})
