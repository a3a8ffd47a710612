"""Overview: counts by entity type and predicate, articles by month, top entities, newest facts."""

import pandas as pd
import streamlit as st

from ecokg.ui import charts, data, state
from ecokg.ui.widgets import (
    EVIDENCE_COLUMNS,
    evidence_table,
    measure_columns,
    profile_link,
    require_snapshot,
    show_evidence,
    show_table,
)
from kg import queries

st.title("Ecosystem overview")
snap = require_snapshot()
lang = state.lang()
f = state.current_filter()

facts_all = data.merge_assertions(snap.assertions)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Articles", f"{len(snap.articles):,}")
c2.metric("Entities", f"{int((snap.entities['articles'] > 0).sum()):,}")
c3.metric("Facts", f"{len(facts_all):,}")
c4.metric("Assertions", f"{len(snap.assertions):,}")

left, right = st.columns(2)
with left:
    st.subheader("Entities by type")
    by_type = data.counts_by_type(snap)
    st.html(charts.bars_html(by_type))
with right:
    st.subheader("Facts by predicate")
    by_pred = data.counts_by_predicate(snap)
    st.html(charts.bars_html(by_pred))

st.subheader("Articles by month")
months = data.articles_by_month(snap)
if months.empty:
    st.caption("No article carries a publication date.")
else:
    st.html(charts.columns_html(months.set_index("month")["articles"]))

st.subheader("Top entities")
measure = st.selectbox(
    "Ranked by", list(state.MEASURE_NAMES), format_func=state.MEASURE_NAMES.get, key="ov_measure",
    help="Computed on the graph the sidebar filter selects.",
)
table = state.centrality(f, measure)
top = table.sort_values([measure, "entity"], ascending=[False, True]).head(20)
show_table(
    pd.DataFrame(
        {
            "entity": [snap.label(e, lang) for e in top["entity"]],
            "type": [snap.entities["type"].get(e, "") for e in top["entity"]],
            measure: top[measure].to_numpy(),
            "profile": [profile_link(e) for e in top["entity"]],
        }
    ),
    key="ov_top", rows=20,
    column_config={"entity": st.column_config.TextColumn("entity", width="medium"),
                   "profile": EVIDENCE_COLUMNS["profile"], **measure_columns([measure])},
)
st.caption(f"{len(table):,} entities in the filtered graph · method: {table.attrs.get('method', '')}")

st.subheader("Entities")
query = st.text_input("Find entities by any name or alias", key="ov_find", placeholder="e.g. Docker, 微软")
ents = snap.entities
if query.strip():
    ents = ents.loc[sorted(data.search_entities(snap, query))]
quick = state.centrality(state.current_filter()).set_index("entity")
ents = ents.sort_values("articles", ascending=False).head(500)
show_table(
    pd.DataFrame(
        {
            "entity": [snap.label(e, lang) for e in ents.index],
            "type": ents["type"].to_numpy(),
            "aliases": ents["aliases"].to_numpy(),
            "articles": ents["articles"].to_numpy(),
            "degree": [quick["degree"].get(e) for e in ents.index],
            "pagerank": [quick["pagerank"].get(e) for e in ents.index],
            "profile": [profile_link(e) for e in ents.index],
        }
    ),
    key="ov_entities", rows=15,
    column_config={"entity": st.column_config.TextColumn("entity", width="medium"),
                   "aliases": st.column_config.TextColumn("aliases", width="medium"),
                   "articles": st.column_config.NumberColumn("articles", format="%d", width="small"),
                   "degree": st.column_config.NumberColumn("degree", format="%d", width="small",
                                                           help="blank: not in the filtered graph"),
                   "profile": EVIDENCE_COLUMNS["profile"], **measure_columns(["pagerank"])},
)
st.caption(f"{len(ents):,} shown (most-mentioned first, at most 500); open a profile for relations and evidence.")

st.subheader("Newest facts")
rows = queries.newest_assertions(state.store(), limit=20)
newest = evidence_table(rows, snap, lang)
newest.insert(0, "subject", [snap.label(str(r["s"]), lang) for r in rows])
newest["direction"] = ""
newest["profile"] = [profile_link(str(r["s"])) for r in rows]
newest["entity"] = [snap.label(str(r["o"]), lang) for r in rows]
if rows:
    show_evidence(newest)
else:
    st.caption("No facts yet.")
