"""Ingest: paste or upload articles, see what was extracted, add it to the graph with one click."""

import pandas as pd
import streamlit as st

from ecokg.ui import ingest_flow, state
from ecokg.ui.safe import md
from ecokg.ui.widgets import show_table
from ingest.text import ArticleError
from ingest.web.sources import SourcesError, add_source, default_sources_path
from ingest.web.view import last_runs
from kg.store import StoreError, StoreLockedError

st.title("Ingest articles")
st.caption("Paste text or upload .txt, .md or .html files. Nothing is stored until you press **Add to graph**.")

paste_tab, upload_tab = st.tabs(["Paste text", "Upload files"])
with paste_tab:
    pasted = st.text_area("Article text", key="in_text", height=220)
    c1, c2 = st.columns(2)
    title = c1.text_input("Title (optional)", key="in_title")
    url = c2.text_input("Source URL (optional)", key="in_url")
with upload_tab:
    files = st.file_uploader(
        "Files", type=["txt", "md", "html", "htm"], accept_multiple_files=True, key="in_files",
        max_upload_size=ingest_flow.upload_max_mb(),
        help=f"At most {ingest_flow.upload_max_files()} files of {ingest_flow.upload_max_mb()} MB each.",
    )

if st.button("Extract", type="primary", key="in_extract"):
    articles, problems = [], []
    if pasted.strip():
        try:
            articles.append(ingest_flow.pasted_article(pasted, title, url))
        except ArticleError as exc:
            problems.append(str(exc))
    chosen, refused = ingest_flow.check_uploads(files or [])
    problems += refused
    for up in chosen:
        try:
            articles.append(ingest_flow.uploaded_article(up.name, up.getvalue()))
        except ArticleError as exc:
            problems.append(str(exc))
    for p in problems:
        st.error(md(p))
    if not articles and not problems:
        st.warning("Nothing to extract: paste some text or choose files.")
    st.session_state.pop("in_report", None)
    if articles:
        try:
            with st.spinner("Extracting entities and relations…"):
                st.session_state["in_preview"] = ingest_flow.extract(articles)
        except Exception as exc:  # noqa: BLE001 - shown to the analyst, nothing written
            st.session_state.pop("in_preview", None)
            st.error(f"Extraction failed: {md(exc)}")

previews = st.session_state.get("in_preview") or []
for i, pv in enumerate(previews):
    ext = pv.extraction
    st.subheader(f"{md(pv.article.title or pv.article.source)}")
    st.caption(f"language {ext.lang} · {len(ext.entities)} entities · {len(ext.relations)} relations")
    st.html(ingest_flow.displacy_html(pv))
    names = {e.id: e.name for e in ext.entities}
    show_table(
        pd.DataFrame(
            [
                {"subject": names.get(r.subject, r.subject), "predicate": r.predicate,
                 "object": names.get(r.object, r.object), "confidence": r.confidence, "evidence": r.evidence}
                for r in ext.relations
            ],
            columns=["subject", "predicate", "object", "confidence", "evidence"],
        ),
        key=f"in_rel_{i}",
        column_config={"confidence": st.column_config.NumberColumn("confidence", format="%.2f", width="small"),
                       "evidence": st.column_config.TextColumn("evidence", width="large")},
    )

if previews and st.button(f"Add to graph ({len(previews)} article(s))", key="in_add"):
    try:
        writer = state.open_writer()
    except StoreLockedError as exc:
        st.error(f"The store is busy: {md(exc)}. Try again when the other writer has finished.")
    except StoreError as exc:
        st.error(md(exc))
    else:
        try:
            report = ingest_flow.write(writer, previews)
        except Exception as exc:  # noqa: BLE001 - each article is one transaction: nothing half-written
            report = None
            st.error(f"Writing failed, nothing was added: {md(exc)}")
        finally:
            writer.close()
        if report is not None:
            st.session_state["in_report"] = report
            st.session_state.pop("in_preview", None)
            st.rerun()

report = st.session_state.get("in_report")
if report is not None:
    if report.failed:
        for source, reason in report.failed:
            st.error(f"{md(source)}: {md(reason)}")
    st.success(f"Done: {md(report.summary())}. The other pages show the new facts now.")

st.divider()
st.header("Web sources and runs")
st.caption(
    "Feeds, pages and sitemaps listed in the sources file are fetched by `ecokg ingest --sources` "
    "or `ecokg schedule`. Addresses on this machine or a private network are refused here."
)
with st.form("in_source_form", clear_on_submit=True):
    c1, c2, c3 = st.columns([1, 3, 1])
    kind = c1.selectbox("Kind", ["feed", "url", "sitemap"], key="in_src_kind")
    src_url = c2.text_input("URL", key="in_src_url", placeholder="https://example.com/feed.xml")
    src_lang = c3.selectbox("Language", ["", "en", "zh"], key="in_src_lang")
    if st.form_submit_button("Add source"):
        try:
            src = add_source(
                default_sources_path(), {"kind": kind, "url": src_url.strip(), "lang": src_lang or None}
            )
        except SourcesError as exc:
            st.error(md(exc))
        else:
            st.success(f"Added {md(src.name)} ({md(src.kind)} {md(src.target)}) to {md(default_sources_path())}.")

try:
    run_rows, failure_rows = last_runs(state.store(), limit=10)
except StoreError:  # no store yet: nothing has run
    run_rows, failure_rows = [], []
except Exception as exc:  # noqa: BLE001 - an unreadable run log must not hide the rest of the page
    st.error(f"Cannot read the run log: {md(exc)}")
    run_rows, failure_rows = [], []
if run_rows:
    st.subheader("Last runs")
    show_table(pd.DataFrame(run_rows), key="in_runs")
    st.subheader("Failures of those runs")
    if failure_rows:
        show_table(pd.DataFrame(failure_rows), key="in_failures")
    else:
        st.caption("None.")
else:
    st.caption("No web ingest runs recorded yet.")
