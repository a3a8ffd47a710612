"""SPARQL: an editor with example queries, results as a table, CSV/JSON download; read-only and bounded."""

import math

import pandas as pd
import streamlit as st

from ecokg.ui import sparql_editor, state
from ecokg.ui.examples import EXAMPLES
from ecokg.ui.safe import md
from ecokg.ui.widgets import show_table
from kg import query as kq
from kg.query import (
    QueryError,
    QueryMemoryLimit,
    QueryTimeout,
    UpdateRefused,
    run_query,
    to_csv,
    to_sparql_json,
)
from kg.query_pool import default_budget
from kg.store import StoreError

st.title("SPARQL")
st.caption(
    "Read-only: INSERT, DELETE, LOAD, CLEAR, DROP and other updates are refused. Prefixes eco:, ent:, art:, "
    "ecog:, schema:, prov:, rdfs:, skos:, owl:, xsd: are predeclared (Ctrl+Space completes them). The default graph "
    "is the union of all articles. Each query runs in a process of its own, stopped at the time limit or when the "
    f"queries running together pass {default_budget() >> 20:,} MB of memory ($ECOKG_QUERY_MAX_MEMORY)."
)


def _load_example() -> None:
    st.session_state["sq_text"] = EXAMPLES[st.session_state["sq_example"]]
    st.session_state["sq_version"] = st.session_state.get("sq_version", 0) + 1  # the editor takes the new text


st.selectbox("Example queries", list(EXAMPLES), key="sq_example", on_change=_load_example)
if "sq_text" not in st.session_state:
    st.session_state["sq_text"] = next(iter(EXAMPLES.values()))
version = st.session_state.setdefault("sq_version", 0)
typed = sparql_editor.editor(st.session_state["sq_text"], version, key="sq_editor")
ctrl_enter = False
if isinstance(typed, dict) and typed.get("version") == version and isinstance(typed.get("text"), str):
    st.session_state["sq_text"] = typed["text"]  # what the analyst typed since the last example
    if typed.get("run") and typed["run"] != st.session_state.get("sq_last_run"):
        st.session_state["sq_last_run"] = typed["run"]
        ctrl_enter = True
text = st.session_state["sq_text"]
c1, c2, c3 = st.columns([1, 1, 2])
most_s, most_rows = max(1, math.ceil(kq.DEFAULT_TIMEOUT_S)), max(1, kq.DEFAULT_MAX_ROWS)  # the operator's bounds
timeout = c1.number_input("Time limit (s)", 1, most_s, min(10, most_s), key="sq_timeout",
                          help=f"At most {most_s} s ($ECOKG_QUERY_TIMEOUT).")
max_rows = c2.number_input("Row cap", 1, most_rows, min(1000, most_rows), key="sq_rows",
                           help=f"At most {most_rows:,} rows ($ECOKG_QUERY_MAX_ROWS).")
run = c3.button("Run query", type="primary", key="sq_run") or ctrl_enter

if run:
    st.session_state.pop("sq_result", None)
    try:
        result = run_query(state.store(), text, timeout=float(min(timeout, most_s)), max_rows=int(min(max_rows, most_rows)))
    except UpdateRefused as exc:
        st.error(f"Refused: {md(exc)}", icon=":material/block:")
    except QueryTimeout as exc:
        st.error(f"Time limit hit: {md(exc)}", icon=":material/timer_off:")
    except QueryMemoryLimit as exc:
        st.error(f"Memory limit hit: {md(exc)}", icon=":material/memory:")
    except (QueryError, StoreError) as exc:
        st.error("The query could not run:")
        st.code(str(exc), language=None, wrap_lines=True)  # the library's message as it is: plain text
    else:
        st.session_state["sq_result"] = result

result = st.session_state.get("sq_result")
if result is not None:
    if result.kind == "ask":
        st.success(f"ASK: {'yes' if result.boolean else 'no'}")
    else:
        df = pd.DataFrame(result.as_python(), columns=result.columns)
        if result.truncated:
            st.warning(md(result.message), icon=":material/content_cut:")
        st.caption(f"{len(df):,} row(s)")
        show_table(df, key="sq_table", rows=20)
    d1, d2 = st.columns(2)
    d1.download_button("Download CSV", to_csv(result), file_name="results.csv", mime="text/csv", key="sq_csv")
    d2.download_button(
        "Download JSON", to_sparql_json(result), file_name="results.srj",
        mime="application/sparql-results+json", key="sq_json",
    )
