"""The time controls of the app: the explorer's "as of a date / window" filter.

The slice is ``kg.timeline``'s, the same as the CLI's ``--as-of`` and ``--from/--to``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from ecokg.ui.data import GraphFilter, Snapshot

MODES = ("all time", "as of a date", "window")


def time_bounds(snap: Snapshot) -> tuple[dt.date, dt.date] | None:
    """First and last assertion times in the store (event dates, else article dates), or None."""
    lo, hi = snap.date_bounds
    if not lo or not hi:
        return None
    return dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)


def time_filter(snap: Snapshot, f: GraphFilter, key: str) -> GraphFilter:
    """A radio (all time / as of / window) and its dates; returns the filter with the slice applied."""
    bounds = time_bounds(snap)
    if bounds is None:
        return f
    lo, hi = bounds
    c1, c2 = st.columns([2, 3])
    mode = c1.radio("Time", MODES, horizontal=True, key=f"{key}_time",
                    help="As of a date: the facts that hold then (ended ones left out). Window: the facts seen in it.")
    if mode == "as of a date":
        day = c2.date_input("As of", value=hi, min_value=lo, max_value=hi, key=f"{key}_asof", format="YYYY-MM-DD")
        return replace(f, as_of=day.isoformat(), date_from=None, date_to=None)
    if mode == "window":
        picked = c2.date_input("Window", value=(lo, hi), min_value=lo, max_value=hi, key=f"{key}_window",
                               format="YYYY-MM-DD")
        start, end = (tuple(picked) + (hi,))[:2] if isinstance(picked, (tuple, list)) else (picked, hi)
        start = start or lo
        return replace(f, as_of=None, date_from=start.isoformat(), date_to=(end or hi).isoformat())
    return f


__all__ = ["MODES", "time_bounds", "time_filter"]
