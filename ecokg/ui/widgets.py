"""Small display helpers the pages share: labelled fact tables, link columns, store errors."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from ecokg.ui import state
from ecokg.ui.data import Snapshot
from ecokg.ui.evidence import evidence_html
from ecokg.ui.safe import md, safe_url
from kg.analytics import SYMMETRIC_PREDICATES
from kg.namespace import ENDED_STATUS, local_name
from kg.query import safe_csv_cell
from kg.store import StoreError

EMPTY = "–"  # what an empty cell shows (Streamlit's default placeholder reads "None")
ROW_PX = 35  # st.dataframe's row height


def table_height(rows: int, most: int = 20) -> int:
    """Pixels for a table showing up to ``most`` rows without scrolling (the default shows about ten)."""
    return ROW_PX * (max(1, min(rows, most)) + 1) + 3


def show_table(df: pd.DataFrame, *, key: str, container=None, rows: int = 10, **kwargs) -> object:
    """st.dataframe with the app's defaults: no index, empty cells blank, ``rows`` rows visible."""
    target = container if container is not None else st
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", EMPTY)
    kwargs.setdefault("height", table_height(len(df), rows) if len(df) > 10 else "auto")
    return target.dataframe(df, key=key, **kwargs)


def show_evidence(table: pd.DataFrame, *, container=None, show_predicate: bool = True) -> None:
    """Evidence rows as escaped, expandable sentences with their articles' titles and links."""
    (container if container is not None else st).html(evidence_html(table, show_predicate))


def require_snapshot() -> Snapshot:
    """The snapshot, or a clear message and a stopped page when there is no readable store."""
    try:
        return state.snapshot()
    except StoreError as exc:
        st.warning(f"No graph to show yet: {md(exc)}. Add articles on the Ingest page or run `ecokg ingest`.")
        st.stop()
        raise  # unreachable: st.stop raises


def profile_link(iri: str) -> str:
    """A relative link to an entity's profile page (opens in a new tab from tables)."""
    return "profile?entity=" + quote(iri, safe="")


def link_or_none(url: object) -> str | None:
    return safe_url(url)


def csv_text(df: pd.DataFrame, drop: tuple[str, ...] = ("profile",)) -> str:
    """A table as CSV for download, every cell through safe_csv_cell (no spreadsheet formulas)."""
    out = df.drop(columns=[c for c in drop if c in df.columns]).map(safe_csv_cell)
    out.columns = [safe_csv_cell(c) for c in out.columns]
    return out.to_csv(index=False)


def labelled_facts(snap: Snapshot, facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Facts with display labels for both sides (for st.dataframe: text, never HTML)."""
    names = snap.labels(lang)
    out = pd.DataFrame(
        {
            "subject": facts["s"].map(lambda i: names.get(i, local_name(i))),
            "predicate": facts["p"],
            "object": facts["o"].map(lambda i: names.get(i, local_name(i))),
            "articles": facts["articles"],
            "confidence": facts["confidence"],
            "first": facts["first_date"],
            "last": facts["last_date"],
        }
    )
    return out


def evidence_table(rows: list[dict[str, object]], snap: Snapshot, lang: str, centre: str | None = None) -> pd.DataFrame:
    """Assertion rows (from kg.queries) as a display table with safe links."""
    rec = []
    for r in rows:
        s, o = str(r["s"]), str(r["o"])
        other = o if centre is None or s == centre else s
        rec.append(
            {
                "predicate": local_name(str(r["p"])),
                "direction": "" if local_name(str(r["p"])) in SYMMETRIC_PREDICATES
                else "→" if centre is None or s == centre else "←",
                "entity": snap.label(other, lang),
                "evidence": str(r.get("evidence") or ""),
                "confidence": float(r.get("conf") or 0.0),
                "date": r.get("date"),
                "article": str(r.get("title") or r.get("url") or local_name(str(r["art"]))),
                "source": link_or_none(r.get("url")),
                "profile": profile_link(other),
                "status": ENDED_STATUS if r.get("status") == ENDED_STATUS else "",  # a sentence that ends it
            }
        )
    return pd.DataFrame(
        rec,
        columns=["predicate", "direction", "entity", "evidence", "confidence", "date", "article", "source", "profile",
                 "status"],
    )


EVIDENCE_COLUMNS = {
    "source": st.column_config.LinkColumn("source", help="the article (http/https links only)"),
    "profile": st.column_config.LinkColumn("profile", display_text="open", help="the other entity's profile"),
    "confidence": st.column_config.NumberColumn("confidence", format="%.2f"),
    "evidence": st.column_config.TextColumn("evidence", width="large"),
}
MEASURE_FORMAT = "%.4g"  # significant digits: an eigenvector of 1e-8 reads 1e-8, not 0.00000


def measure_columns(names: tuple[str, ...] | list[str]) -> dict[str, object]:
    """Column configuration for centrality values (significant digits, right-aligned numbers)."""
    return {m: st.column_config.NumberColumn(m, format=MEASURE_FORMAT, width="small") for m in names}
