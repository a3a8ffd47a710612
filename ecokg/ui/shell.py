"""The app's frame: page configuration, navigation and the shared sidebar.

Pages are files under ``ecokg/ui/pages`` (paths relative to app.py, as
``st.navigation`` and ``AppTest.switch_page`` expect).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ecokg.ui import state
from ecokg.ui.safe import md
from kg.store import StoreError

PAGES_DIR = Path(__file__).resolve().parent / "pages"
PAGES: tuple[tuple[str, str, str], ...] = (
    # (file, title, url path). No icons: Streamlit fetches :material: favicons from Google's CDN,
    # and emoji need a colour-emoji font the CI machine lacks.
    ("overview.py", "Overview", "overview"),
    ("explorer.py", "Graph explorer", "explorer"),
    ("centrality.py", "Centrality & communities", "centrality"),
    ("profile.py", "Entity profile", "profile"),
    ("matrix.py", "Competition matrix", "matrix"),
    ("changes.py", "What changed", "changes"),
    ("sparql.py", "SPARQL", "sparql"),
    ("ingest.py", "Ingest", "ingest"),
    ("corrections.py", "Corrections", "corrections"),
)


def pages() -> list:
    """The navigation: every page at its own URL path, the first also at the app root.

    Streamlit serves its default page only at ``/`` and answers "Page not found"
    for the default's own path, so the first page is listed twice: the visible
    default (root, under the placeholder path ``home``) and a hidden twin at
    ``/overview``, so that a link or bookmark to ``/overview`` opens it.
    """
    file, title, path = PAGES[0]
    out = [st.Page(PAGES_DIR / file, title=title, url_path="home", default=True)]
    out += [st.Page(PAGES_DIR / f, title=t, url_path=p) for f, t, p in PAGES[1:]]
    out.append(st.Page(PAGES_DIR / file, title=title, url_path=path, visibility="hidden"))
    return out


def main() -> None:
    st.set_page_config(page_title="ecokg", layout="wide")  # no page_icon: see PAGES
    nav = st.navigation(pages())
    try:
        snap = state.snapshot()
    except StoreError as exc:
        st.sidebar.info(f"No store yet: {md(exc)}")
    else:
        state.sidebar(snap)
    nav.run()
