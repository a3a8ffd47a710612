"""Facts in time: the graph as of a date, over a window, and per period.

Every assertion has a time, ``when``: the event date its sentence gives (``eco:eventDate``,
"in 2013", "去年三月"), else its article's publication date; an assertion with neither has
no time and stays out of every dated view (it still counts in the timeless graph). An
assertion with ``eco:status "ended"`` says its fact stopped at ``when``.

- A fact is *seen* in a window when a holding assertion's ``when`` falls in it; its
  first/last seen dates and supporting dates are its articles' publication dates.
- A fact *holds as of* a day when it was seen on or before that day and no ending
  assertion dated after its last sighting (and on or before the day) stopped it.
- Periods (year or quarter) are compared through the graph as of each period's end.

Pure functions over a pandas frame of assertions (``timed_assertions`` reads it in one
query), so the CLI, the app, the digest and the benchmarks share every figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingest.model import SYMMETRIC_PREDICATES
from kg.namespace import ENDED_STATUS, sparql_prefixes  # ENDED_STATUS: re-exported for readers of frames
from kg.queries import Fact
from kg.store import Store

COLUMNS = ["a", "s", "p", "o", "art", "conf", "evidence", "date", "status", "when"]
MERGED = ["s", "p", "o", "articles", "confidence", "first_date", "last_date", "dates", "ended", "active"]
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class TimeError(ValueError):
    """A date or window the user gave that cannot be used; str() says why in one line."""


def parse_day(value: str | None, *, end: bool = False) -> str | None:
    """A user's date ("2015", "2015-06", "2015-06-22", "2015Q2") as a day; the last day of the span with ``end``."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-?Q([1-4]))?", text, re.IGNORECASE)
    if m and m.group(2):
        q = int(m.group(2))
        month = 3 * q if end else 3 * q - 2
    elif m:
        month = 12 if end else 1
    else:
        m2 = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
        if not m2:
            raise TimeError(f"not a date: {text!r} (use YYYY, YYYY-MM, YYYY-MM-DD or YYYYQn)")
        if m2.group(3):
            try:
                return pd.Timestamp(text).date().isoformat()
            except ValueError as exc:
                raise TimeError(f"not a date: {text!r}") from exc
        month = int(m2.group(2))
    year = int(text[:4])
    if not 1 <= month <= 12 or not 1900 <= year <= 2199:
        raise TimeError(f"not a date: {text!r}")
    if not end:
        return f"{year:04d}-{month:02d}-01"
    last = pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)
    return last.date().isoformat()


def check_window(start: str | None, end: str | None) -> None:
    if start and end and start > end:
        raise TimeError(f"the window starts ({start}) after it ends ({end})")


# ------------------------------------------------------------------ reading
def timed_assertions(store: Store, evidence: bool = True) -> pd.DataFrame:
    """Every assertion with its time, status and article date, in one query (symmetric facts in one order)."""
    ev = "OPTIONAL { ?a eco:evidence ?ev }" if evidence else ""
    res = store.query(
        sparql_prefixes()
        + """SELECT ?a ?s ?p ?o ?art ?conf ?ev ?date ?status ?event WHERE {
               GRAPH ?art {
                 ?a eco:subject ?s ; eco:predicate ?p ; eco:object ?o ; eco:confidence ?conf .
                 %s
                 OPTIONAL { ?a eco:status ?status }
                 OPTIONAL { ?a eco:eventDate ?event }
                 OPTIONAL { ?art schema:datePublished ?date }
               }
             }"""
        % ev
    )
    rows = []
    for a, s, p, o, art, conf, ev_t, date, status, event in res:
        rows.append((a.value, s.value, p.value.rsplit("#", 1)[-1], o.value, art.value, float(conf.value),
                     ev_t.value if ev_t is not None else "", _day(date), status.value if status is not None else None,
                     _day(event)))
    return frame_of(rows)


def first_day(value: str | None) -> str | None:
    """The first day of an ISO date of year, month or day precision ("2015" -> "2015-01-01")."""
    if not value:
        return None
    if len(value) == 4:
        return value + "-01-01"
    if len(value) == 7:
        return value + "-01"
    return value[:10] if _DAY.match(value[:10]) else None


def _day(term) -> str | None:
    return None if term is None else first_day(term.value)


def frame_of(rows: Iterable[tuple]) -> pd.DataFrame:
    """(a, s, p, o, art, conf, evidence, article date, status, event day) tuples as the timed frame."""
    f = pd.DataFrame(list(rows), columns=["a", "s", "p", "o", "art", "conf", "evidence", "date", "status", "event"])
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    sym = f["p"].isin(SYMMETRIC_PREDICATES) & (f["o"] < f["s"])
    f.loc[sym, ["s", "o"]] = f.loc[sym, ["o", "s"]].to_numpy()
    f["when"] = f["event"].where(f["event"].notna(), f["date"])
    f["conf"] = f["conf"].astype(float)
    return f[COLUMNS].sort_values(["when", "a"], na_position="first", kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ windows
def in_window(frame: pd.DataFrame, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Assertions whose time falls in [start, end] (either open); undated ones only when both are open."""
    check_window(start, end)
    if start is None and end is None:
        return frame
    w = frame["when"]
    keep = w.notna()
    if start:
        keep &= w >= start
    if end:
        keep &= w <= end
    return frame[keep]


def merge(frame: pd.DataFrame, dates: bool = True) -> pd.DataFrame:
    """Assertions -> one row per fact: support (articles, noisy-OR confidence, seen dates) and end.

    ``active`` is whether the fact holds at the end of the assertions given: some holding
    assertion, and no ending one dated after the last holding one. ``dates=False`` skips the
    tuple of supporting dates (the costliest column) when only the graph is wanted.
    """
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MERGED})
    sym = frame["p"].isin(SYMMETRIC_PREDICATES) & (frame["o"] < frame["s"])
    if sym.any():  # x competesWith y is y competesWith x
        frame = frame.copy()
        frame.loc[sym, ["s", "o"]] = frame.loc[sym, ["o", "s"]].to_numpy()
    ended_mask = frame["status"] == ENDED_STATUS
    hold = frame[~ended_mask]
    ends = frame[ended_mask]
    per_art = hold.groupby(["s", "p", "o", "art"], sort=False).agg(conf=("conf", "max"), date=("date", "first"),
                                                                    when=("when", "max"))
    per_art["miss"] = np.log1p(-per_art["conf"].clip(upper=1 - 1e-12))
    g = per_art.groupby(level=["s", "p", "o"], sort=False)
    facts = g.agg(articles=("conf", "size"), miss=("miss", "sum"), first_date=("date", "min"),
                  last_date=("date", "max"), last_when=("when", "max"))
    if dates:
        facts["dates"] = g["date"].agg(lambda d: tuple(sorted(x for x in d if isinstance(x, str))))
    else:
        facts["dates"] = None
    facts["confidence"] = (1.0 - np.exp(facts["miss"])).round(4)
    if ends.empty:
        facts["ended"] = None
    else:
        end_at = ends.groupby(["s", "p", "o"], sort=False)["when"].max()
        facts = facts.join(end_at.rename("ended"), how="outer") if not facts.empty else end_at.rename(
            "ended").to_frame().assign(articles=0, confidence=0.0, first_date=None, last_date=None,
                                       last_when=None, dates=None, miss=0.0)
    facts["articles"] = facts["articles"].fillna(0).astype(int)
    facts["confidence"] = facts["confidence"].fillna(0.0)
    lw, en = facts["last_when"], facts["ended"]
    facts["active"] = (facts["articles"] > 0) & (en.isna() | (lw.notna() & (lw > en.fillna(""))))
    facts["dates"] = facts["dates"].map(lambda d: d if isinstance(d, tuple) else ())
    out = facts.reset_index()[MERGED]
    for c in ("first_date", "last_date", "ended"):
        out[c] = out[c].astype("object").where(out[c].notna(), None)
    return out.sort_values(["s", "p", "o"], kind="stable").reset_index(drop=True)


def as_of(frame: pd.DataFrame, day: str | None, dates: bool = True) -> pd.DataFrame:
    """The facts that hold as of the day (all dated assertions up to it, ends applied)."""
    m = merge(in_window(frame, None, day) if day else frame, dates)
    return m[m["active"].astype(bool)].reset_index(drop=True)


def seen_in(frame: pd.DataFrame, start: str | None, end: str | None, dates: bool = True) -> pd.DataFrame:
    """The facts seen in the window and not ended in it after their last sighting there."""
    m = merge(in_window(frame, start, end), dates)
    return m[m["active"].astype(bool)].reset_index(drop=True)


def to_facts(merged: pd.DataFrame) -> list[Fact]:
    """Merged rows as ``kg.queries.Fact`` (what ``kg.analytics.build_graph`` takes)."""
    return [
        Fact(s, p, o, int(n), float(c), d0, d1, tuple(ds), e)
        for s, p, o, n, c, d0, d1, ds, e in merged[
            ["s", "p", "o", "articles", "confidence", "first_date", "last_date", "dates", "ended"]
        ].itertuples(index=False, name=None)
    ]


def facts_as_of(store: Store, day: str) -> list[Fact]:
    """The store's facts that hold as of a day."""
    return to_facts(as_of(timed_assertions(store, evidence=False), day))


def facts_in_window(store: Store, start: str | None, end: str | None) -> list[Fact]:
    """The store's facts seen in [start, end]."""
    return to_facts(seen_in(timed_assertions(store, evidence=False), start, end))


# ------------------------------------------------------------------ periods
@dataclass(frozen=True)
class Period:
    label: str  # "2015" or "2015Q2"
    start: str
    end: str


def periods(first: str, last: str, per: str = "year") -> list[Period]:
    """The years or quarters from the one holding ``first`` to the one holding ``last``."""
    if per not in ("year", "quarter"):
        raise TimeError(f"unknown period {per!r} (year or quarter)")
    out: list[Period] = []
    y, q = int(first[:4]), (int(first[5:7]) - 1) // 3 + 1 if len(first) >= 7 else 1
    last_y, last_q = int(last[:4]), (int(last[5:7]) - 1) // 3 + 1 if len(last) >= 7 else 4
    if per == "year":
        return [Period(str(yr), f"{yr}-01-01", f"{yr}-12-31") for yr in range(y, last_y + 1)][:500]
    while (y, q) <= (last_y, last_q) and len(out) < 2000:
        label = f"{y}Q{q}"
        out.append(Period(label, parse_day(label) or "", parse_day(label, end=True) or ""))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def date_bounds(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    w = frame["when"].dropna()
    return (str(w.min()), str(w.max())) if not w.empty else (None, None)


def rank_by_period(frame: pd.DataFrame, per: str = "year", entities: Iterable[str] | None = None,
                   start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """PageRank and rank (1 = first) of entities in the graph as of each period's end.

    Columns: period, end, entity, pagerank, rank, community. ``entities`` keeps only those rows.
    """
    from kg.graph_fast import pagerank_and_communities

    lo, hi = date_bounds(frame)
    lo, hi = start or lo, end or hi
    rows: list[tuple] = []
    if lo is None or hi is None:
        return pd.DataFrame(columns=["period", "end", "entity", "pagerank", "rank", "community"])
    wanted = set(entities) if entities is not None else None
    for period in periods(lo, hi, per):
        facts = as_of(frame, period.end, dates=False)
        pr, comm = pagerank_and_communities(facts)
        ranked = sorted(pr, key=lambda e: (-round(pr[e], 10), e))
        for i, e in enumerate(ranked, start=1):
            if wanted is None or e in wanted:
                rows.append((period.label, period.end, e, pr[e], i, comm.get(e, -1)))
    return pd.DataFrame(rows, columns=["period", "end", "entity", "pagerank", "rank", "community"])


__all__ = ["COLUMNS", "MERGED", "Period", "TimeError", "as_of", "check_window", "date_bounds", "facts_as_of",
           "facts_in_window", "first_day", "frame_of", "in_window", "merge", "parse_day", "periods", "rank_by_period", "seen_in",
           "timed_assertions", "to_facts"]
