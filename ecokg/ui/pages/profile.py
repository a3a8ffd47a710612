"""Entity profile: type, labels, aliases, Wikidata, relations with evidence, ranks, mention timeline."""

import pandas as pd
import streamlit as st

from ecokg.ui import charts, curation, data, state
from ecokg.ui.safe import md, wikidata_url
from ecokg.ui.widgets import (
    EVIDENCE_COLUMNS,
    csv_text,
    evidence_table,
    link_or_none,
    require_snapshot,
    show_evidence,
    show_table,
)
from kg import analytics, queries
from kg.namespace import local_name

ROWS_PER_PREDICATE = 200  # a hub has thousands; the browser need not draw them all

snap = require_snapshot()
lang = state.lang()
names = snap.labels(lang)
ranked = snap.entities.sort_values("articles", ascending=False).index

wanted = st.query_params.get("entity")
if wanted and wanted not in snap.entities.index:
    st.warning(f"Unknown entity {md(wanted)}; pick one below.")
    wanted = None
if not len(ranked):
    st.title("Entity profile")
    st.info("No entities yet.")
    st.stop()


def _found() -> None:
    """Enter in the Find box switches the profile to the best match (exact name or alias first)."""
    hit = state.resolve_entity(snap, st.session_state.get("pr_find", ""))
    if hit is not None:
        st.session_state["pr_pick"] = hit
        st.query_params["entity"] = hit


find = st.text_input("Find an entity", key="pr_find", placeholder="any name or alias, in any language; Enter opens it",
                     on_change=_found)
pool = ranked[ranked.isin(data.search_entities(snap, find))] if find.strip() else ranked
options = list(pool[:200])  # a short list: thousands of options would ship with every rerun
current = wanted or st.session_state.get("pr_pick")
if current in snap.entities.index and current not in options:
    options.insert(0, current)
if not options:
    st.info("No entity matches; clear the search box.")
    st.stop()
if current in options and st.session_state.get("pr_pick") != current:
    st.session_state["pr_pick"] = current
if st.session_state.get("pr_pick") not in options:
    st.session_state.pop("pr_pick", None)
iri = st.selectbox("Entity", options, format_func=lambda i: names.get(i, i), key="pr_pick",
                   on_change=lambda: st.query_params.update(entity=st.session_state["pr_pick"]))
if st.query_params.get("entity") != iri:
    st.query_params["entity"] = iri

store = state.store()
desc = queries.entity_description(store, iri)
label = snap.label(iri, lang)
etype = ", ".join(sorted(desc["types"])) or "untyped"
st.title(md(label))
st.caption(f"{md(etype)} · {snap.entities.at[iri, 'articles']:,} article(s) mention it")

c1, c2 = st.columns(2)
with c1:
    st.markdown("**Labels**")
    show_table(pd.DataFrame({"language": list(desc["labels"]), "label": list(desc["labels"].values())}),
               key="pr_labels")
    st.markdown("**Aliases**")
    st.text(" · ".join(sorted(desc["aliases"])) or "(none)")
with c2:
    st.markdown("**Identifiers**")
    st.code(iri, language=None)
    links = [u for u in (wikidata_url(s) for s in sorted(desc["sameAs"])) if u]
    for u in links:
        st.link_button("Wikidata: " + u.rsplit("/", 1)[-1], u)
    if not links:
        st.caption("No Wikidata link.")

st.subheader("Ranks")
f = state.current_filter()
table = state.centrality(f, full=True)
if iri in set(table["entity"]):
    r = analytics.ranks(table).set_index("entity").loc[iri]
    vals = table.set_index("entity").loc[iri]
    n = len(table)
    cols = st.columns(len(analytics.MEASURES))
    for col, m in zip(cols, analytics.MEASURES, strict=True):
        col.metric(state.MEASURE_NAMES[m], f"#{int(r[m]):,}", f"{float(vals[m]):.4g}", delta_color="off",
                   delta_arrow="off", help=f"rank among {n:,} entities (1 = highest); the small figure is the value")
    st.caption(f"Ranks among the {n:,} entities of the graph the sidebar filter selects · camp "
               + str(int(vals["community"])))
else:
    st.caption("Not in the filtered graph (widen the sidebar filter to rank it).")

st.subheader("Relations")
rows = data.entity_assertions(snap, iri)  # from the snapshot: no query per profile
ev = evidence_table(rows, snap, lang, centre=iri)
if ev.empty:
    st.caption("No relations recorded.")
else:
    csv = csv_text(ev)
    st.download_button(f"Download all {len(ev):,} evidence rows (CSV)", csv, file_name="evidence.csv",
                       mime="text/csv", key="pr_csv")
for n, (pred, grp) in enumerate(ev.groupby("predicate", sort=True)):
    others = grp["entity"].nunique()
    box = st.expander(f"{md(pred)} · {others} entit{'y' if others == 1 else 'ies'} · {len(grp)} evidence sentence(s)",
                      expanded=n == 0 or len(ev) <= 30, key=f"pr_exp_{pred}", on_change="rerun")
    if box.open:  # lazy: a hub's closed groups cost nothing to draw
        show_evidence(grp.head(ROWS_PER_PREDICATE), container=box, show_predicate=False)
        if len(grp) > ROWS_PER_PREDICATE:
            box.caption(f"The {ROWS_PER_PREDICATE} most confident of {len(grp):,}; the CSV above has them all.")

curation.profile_actions(snap, iri, lang)  # off unless ECOKG_CURATE=1 (ecokg/ui/curation.py)

st.subheader("Mentions over time")
tl = pd.DataFrame(queries.mentions_timeline(store, iri), columns=["art", "date", "title", "url"])
dated = tl["date"].dropna().astype(str).str.slice(0, 7)
if dated.empty:
    st.caption("No dated article mentions it.")
else:
    st.html(charts.columns_html(dated.value_counts().sort_index()))
show_table(
    pd.DataFrame({
        "date": tl["date"],
        "article": [str(t or local_name(a)) for t, a in zip(tl["title"], tl["art"], strict=False)],
        "source": [link_or_none(u) for u in tl["url"]],
    }),
    key="pr_timeline",
    column_config={"date": st.column_config.TextColumn("date", width="small"),
                   "article": st.column_config.TextColumn("article", width="large"),
                   "source": EVIDENCE_COLUMNS["source"]},
)
