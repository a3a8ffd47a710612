"""Ingest: paste or upload articles, see what was extracted, add it to the graph with one click."""

import pandas as pd
import streamlit as st

from ingest.text import ArticleError
from kg.store import StoreError, StoreLockedError
from kg.ui import ingest_flow, state
from kg.ui.safe import md

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
    st.dataframe(
        pd.DataFrame(
            [
                {"subject": names.get(r.subject, r.subject), "predicate": r.predicate,
                 "object": names.get(r.object, r.object), "confidence": r.confidence, "evidence": r.evidence}
                for r in ext.relations
            ],
            columns=["subject", "predicate", "object", "confidence", "evidence"],
        ),
        hide_index=True, key=f"in_rel_{i}",
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
