"""What changed: the items of `ecokg changes` for a date range, and centrality rank over time."""

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from ecokg.ui import state, time_state
from ecokg.ui.safe import md
from ecokg.ui.widgets import EVIDENCE_COLUMNS, link_or_none, require_snapshot
from kg import timeline
from kg.changes import SECTIONS

st.title("What changed")
snap = require_snapshot()
lang = state.lang()
frame, ctx = time_state.frame_and_context()
lo, hi = timeline.date_bounds(frame)
if lo is None or hi is None:
    st.info("No fact carries a date yet: articles need a publication date (front matter, metadata or a dateline).")
    st.stop()
first, last = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
default_start = max(first, dt.date(last.year, 1, 1))

c1, c2, c3 = st.columns([2, 2, 2])
start = c1.date_input("From", value=default_start, min_value=first, max_value=last, key="wc_from", format="YYYY-MM-DD")
end = c2.date_input("To", value=last, min_value=first, max_value=last, key="wc_to", format="YYYY-MM-DD")
markets = ["(all markets)", *sorted(ctx.markets)]
picked_market = c3.selectbox("Market", markets, key="wc_market", help="Facts touching an entity of this catalog market.")
market = None if picked_market == markets[0] else picked_market
if start > end:
    st.warning("The range starts after it ends.")
    st.stop()

ch = time_state.changes_between(start.isoformat(), end.isoformat(), market)
command = f"ecokg changes --from {start} --to {end}" + (f" --market {market}" if market else "")
st.caption(f"{ch.count:,} changes between the graph as of the day before {start} and as of {end}. "
           f"The same list on the command line: {md(command)}")

for kind, label in SECTIONS.items():
    items = ch.sections[kind]
    if not items:
        continue
    st.subheader(f"{label} ({len(items):,})")
    rows = []
    for item in items:
        ev = item.evidence[0] if item.evidence else None
        rows.append({  # "" rather than None: an empty cell, not the word "None"
            "change": item.text,
            "date": item.date or "",
            "evidence": " · ".join(e.text for e in item.evidence),
            "article": (ev.title or ev.url or ev.article) if ev else "",
            "source": (link_or_none(ev.url) if ev else None) or "",
        })
    st.dataframe(pd.DataFrame(rows, columns=["change", "date", "evidence", "article", "source"]), hide_index=True,
                 column_config={"evidence": EVIDENCE_COLUMNS["evidence"], "source": EVIDENCE_COLUMNS["source"],
                                "change": st.column_config.TextColumn("change", width="medium")},
                 key=f"wc_{kind}")
if not ch.count:
    st.info("Nothing changed between these dates.")

st.header("Centrality over time")
per = st.radio("Period", ["year", "quarter"], horizontal=True, key="wc_per",
               help="PageRank rank in the graph as of each period's end (as `ecokg analyze --per`).")
ranks = time_state.ranks_by_period(per, market)
if ranks.empty:
    st.stop()
names = snap.labels(lang)
latest = ranks[ranks["period"] == ranks["period"].max()].sort_values("rank")
options = list(dict.fromkeys([*latest["entity"].head(200), *st.session_state.get("wc_entities", [])]))
chosen = st.multiselect("Entities", options, default=list(latest["entity"].head(5)), key="wc_entities",
                        format_func=lambda i: names.get(i, i))
view = ranks[ranks["entity"].isin(chosen)].copy()
view["name"] = view["entity"].map(lambda i: names.get(i, i))
if view.empty:
    st.caption("Pick entities to follow their rank.")
else:
    chart = alt.Chart(view).mark_line(point=True).encode(
        x=alt.X("period:O", title=per),
        y=alt.Y("rank:Q", scale=alt.Scale(reverse=True), title="rank by PageRank (1 = first)"),
        color=alt.Color("name:N", title="entity"),
        tooltip=["name", "period", "rank", alt.Tooltip("pagerank:Q", format=".5f")],
    )
    st.altair_chart(chart, width="stretch")
    table = view.pivot_table(index="name", columns="period", values="rank", aggfunc="min")
    st.dataframe(table, key="wc_rank_table")
