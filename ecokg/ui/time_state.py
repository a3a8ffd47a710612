"""Cached time views for the app: the timed assertions, the changes and the ranks per period.

Read once per store generation; each (span, market) or (period, market) result is cached,
so moving the date range back and forth costs nothing. The functions are those of the CLI
(``kg.changes.changes``, ``kg.timeline.rank_by_period``): the page shows the CLI's figures.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecokg.ui import state
from kg import timeline
from kg.changes import Changes, Context, changes, read_context, restrict_to_market


@st.cache_resource(max_entries=2, show_spinner="Reading the facts in time…")
def _frame(loc: str, gen: int) -> tuple[pd.DataFrame, Context]:
    store = state._store(loc, gen)
    return timeline.timed_assertions(store), read_context(store)


def frame_and_context() -> tuple[pd.DataFrame, Context]:
    return _frame(state.location(), state.generation())


@st.cache_resource(max_entries=16, show_spinner="Comparing the two dates…")
def _changes(loc: str, gen: int, start: str, end: str, market: str | None) -> Changes:
    frame, ctx = _frame(loc, gen)
    return changes(state._store(loc, gen), start, end, market, frame=frame, ctx=ctx)


def changes_between(start: str, end: str, market: str | None) -> Changes:
    return _changes(state.location(), state.generation(), start, end, market)


@st.cache_resource(max_entries=8, show_spinner="Ranking every period…")
def _ranks(loc: str, gen: int, per: str, market: str | None) -> pd.DataFrame:
    frame, ctx = _frame(loc, gen)
    return timeline.rank_by_period(restrict_to_market(frame, ctx, market), per, communities=False)  # ranks only


def ranks_by_period(per: str, market: str | None) -> pd.DataFrame:
    """period, end, entity, pagerank, rank, community: as `ecokg analyze --per`."""
    return _ranks(state.location(), state.generation(), per, market)


__all__ = ["changes_between", "frame_and_context", "ranks_by_period"]
