"""Graph explorer: the filtered network, top N nodes by a measure; find, expand, evidence, export."""

import streamlit as st

from ecokg.ui import graph_view, network, state
from ecokg.ui.time_controls import time_filter
from ecokg.ui.widgets import require_snapshot
from kg import analytics

EXPAND_PER_NODE = 8  # neighbours a click on "expand" can add to a node
EXPAND_MOST = 800  # and in all, so that a big drawing stays a page of about a MB

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
zh_names, en_names = snap.labels("zh"), snap.labels("en")


def node_payload(iri: str) -> dict[str, object]:
    label = snap.label(iri, lang)
    t = types.get(iri, "")
    comm = int(scores.at[iri, "community"]) if iri in scores.index else -1
    colour = network.TYPE_COLOURS.get(t, "#9c9c9c") if colour_by == "entity type" else network.community_colour(comm)
    v = float(values.get(iri, 0.0))
    return {
        "id": iri, "label": label, "type": t, "value": 1.0 + 99.0 * v / vmax, "color": colour,
        "names": " | ".join({label, en_names.get(iri, ""), zh_names.get(iri, "")}).casefold(),
        "tip": f"{label} · {t or 'untyped'} · {state.MEASURE_NAMES[measure]} {v:.4g} · camp {comm}",
    }


# Positions: the seeded layout of this drawing, but every node drawn before keeps its place.
fresh = state.layout(f, measure, top_n, shown, sub)
pos = graph_view.stable_positions(st.session_state.get("ex_pos", {}), fresh, list(zip(sub["s"], sub["o"], strict=True)))
st.session_state["ex_pos"] = pos
nodes = []
for iri in shown:
    n = node_payload(iri)
    n["x"], n["y"] = round(pos[iri][0], 1), round(pos[iri][1], 1)
    nodes.append(n)
evidence = state.evidence_index()
cols = ["s", "p", "o", "articles", "confidence"]
edges = [
    network.edge_payload(s, p, o, int(n), float(c), evidence.get((s, p, o)))
    for s, p, o, n, c in sub[cols].itertuples(index=False, name=None)
]
outward = graph_view.neighbours_out(facts, keep, per_node=EXPAND_PER_NODE, most=EXPAND_MOST)
extra_edges = []
for s, p, o, n, c, anchor, other in outward[[*cols, "anchor", "other"]].itertuples(index=False, name=None):
    e = network.edge_payload(s, p, o, int(n), float(c), evidence.get((s, p, o), [])[:1])
    e["anchor"], e["other"] = anchor, other
    extra_edges.append(e)
extra_nodes = [node_payload(i) for i in dict.fromkeys(outward["other"])]
if colour_by == "entity type":
    colours = {t: c for t, c in network.TYPE_COLOURS.items() if t}
else:
    camps = sorted({int(scores.at[i, "community"]) for i in shown})
    colours = {f"camp {c}": network.community_colour(c) for c in camps[:12]}
key_items = network.legend(colours, list(f.predicates))
st.iframe(network.network_html(nodes, edges, height=640, legend_items=key_items, extra_nodes=extra_nodes,
                               extra_edges=extra_edges), height=760)

st.subheader("Open a profile")
names = snap.labels(lang)
pick = st.selectbox("Entity", shown, format_func=lambda i: names.get(i, i), key="ex_pick")
if st.button("Open profile", key="ex_open") and pick:
    st.switch_page("ecokg/ui/pages/profile.py", query_params={"entity": pick})
