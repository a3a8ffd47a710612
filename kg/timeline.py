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
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kg.analytics import SYMMETRIC_PREDICATES  # the contract's constants, as kg.analytics holds them
from kg.namespace import ENDED_STATUS, sparql_prefixes  # ENDED_STATUS: re-exported for readers of frames
from kg.queries import Fact
from kg.store import Store

if TYPE_CHECKING:
    from kg.curation.overlay import Overlay

COLUMNS = ["a", "s", "p", "o", "art", "conf", "evidence", "date", "status", "when", "k", "dnum", "wnum"]
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
_ECO_NS = "https://w3id.org/ecokg/ns#"


def timed_assertions(store: Store, evidence: bool = True) -> pd.DataFrame:
    """Every assertion with its confidence, time, status and article date (symmetric facts in one order)."""
    from kg.sparql_frame import select_frame

    ev = "OPTIONAL { ?a eco:evidence ?ev }" if evidence else ""
    f = select_frame(
        store,
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
        % ev,
    )
    if "ev" in f.columns:
        f = f.rename(columns={"ev": "evidence"})
    return _finish(f, _overlay(store), evidence=evidence)


def timed_facts(store: Store, graphs: Iterable[str] | None = None, asserted: bool = True) -> pd.DataFrame:
    """The timed frame without confidence and evidence, read from the direct triples (the fast path).

    One row per (article, fact) that the article states as holding, from its fact triple
    (one index scan instead of a join over assertion nodes), plus one row per ending
    assertion; event dates come from the few assertions that carry one (the earliest per
    article and fact). ``conf`` is NaN and ``evidence`` empty: ``kg.changes`` reads the
    evidence of the rows it reports, ``evidence_rows``.
    """
    from kg.analytics import PREDICATES
    from kg.sparql_frame import select_frame

    def read(values: str) -> tuple[pd.DataFrame, ...]:
        P = sparql_prefixes()
        preds = " ".join(f"eco:{p}" for p in PREDICATES)
        hold = select_frame(store, P + "SELECT ?s ?p ?o ?art WHERE { VALUES ?p { %s } %s GRAPH ?art { ?s ?p ?o } }"
                            % (preds, values))
        events = select_frame(store, P + """SELECT ?s ?p ?o ?art (MIN(STR(?e)) AS ?event) WHERE { %s GRAPH ?art {
            ?a eco:eventDate ?e ; eco:subject ?s ; eco:predicate ?p ; eco:object ?o
            FILTER NOT EXISTS { ?a eco:status ?st } } } GROUP BY ?s ?p ?o ?art""" % values)
        ends = select_frame(store, P + """SELECT ?s ?p ?o ?art ?event ?status WHERE { %s GRAPH ?art {
            ?a eco:status ?status ; eco:subject ?s ; eco:predicate ?p ; eco:object ?o
            OPTIONAL { ?a eco:eventDate ?event } } }""" % values)
        dates = select_frame(store, P + "SELECT ?art ?date WHERE { %s GRAPH ?art { ?art schema:datePublished ?date } }"
                             % values)
        return hold, events, ends, dates

    if graphs is None:
        hold, events, ends, dates = read("")
    else:  # only these named graphs (``kg.warm_cache``): the same rows the whole read gives for them
        parts = [read(v) for v in graph_values(graphs, "art")] or [read("VALUES ?art { }")]
        hold, events, ends, dates = (pd.concat([p[i] for p in parts], ignore_index=True) for i in range(4))
    if not events.empty:
        hold = hold.merge(events, on=["s", "p", "o", "art"], how="left")
    else:
        hold["event"] = ""
    hold["status"] = ""
    f = pd.concat([hold, ends[["s", "p", "o", "art", "event", "status"]]], ignore_index=True)
    f["date"] = f["art"].map(dict(zip(dates["art"], dates["date"], strict=True)))
    f["conf"] = np.nan
    f["evidence"] = ""
    f["a"] = None  # no assertion IRIs on this path: kg.changes tells rows apart by (art, s, p, o, status)
    return _finish(f, _overlay(store), evidence=False, asserted=asserted)


def graph_values(graphs: Iterable[str], var: str, chunk: int = 500) -> list[str]:
    """``VALUES ?var { <g> ... }`` clauses naming these graphs, ``chunk`` per clause (validated IRIs)."""
    import pyoxigraph as ox

    names = sorted(set(graphs))
    return ["VALUES ?%s { %s }" % (var, " ".join(str(ox.NamedNode(g)) for g in names[k:k + chunk]))
            for k in range(0, len(names), chunk)]


def _overlay(store: Store) -> Overlay:
    """The analysts' active corrections (``kg.curation``): the time views show the graph as corrected."""
    from kg.curation.actions import load_overlay

    return load_overlay(store)


def _finish(f: pd.DataFrame, ov: Overlay | None = None, evidence: bool = True, asserted: bool = True) -> pd.DataFrame:
    """Strings from CSV to the timed frame: local predicate names, days, None for absent, one symmetric order.

    With an overlay, the rows are corrected and the asserted facts added (their sentence in
    ``evidence`` only when the frame carries sentences; else ``kg.changes.evidence_rows`` adds it);
    ``asserted=False`` leaves the asserted facts out (a read of some graphs only, ``kg.warm_cache``).
    """
    if not f.empty:
        f = f.copy()
        p = f["p"].astype(str)
        f["p"] = p.where(~p.str.startswith(_ECO_NS), p.str.slice(len(_ECO_NS)))
    if ov:
        from kg.curation.frames import asserted_frame, correct_rows

        extra = asserted_frame(ov, list(f.columns)) if asserted else pd.DataFrame(columns=list(f.columns))
        if not evidence and "evidence" in extra.columns:
            extra["evidence"] = ""
        if "a" in extra.columns:
            extra["a"] = None
        f = correct_rows(f, ov)
        f = pd.concat([f, extra], ignore_index=True) if not extra.empty else f
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    raw = f["event"].fillna("").astype(str)
    f["shown"] = raw.where(raw != "", None).astype("object")  # the event date at its own precision, for people
    for col in ("date", "event"):
        v = f[col].fillna("").astype(str)
        v = v.where(v.str.len() != 4, v + "-01-01")
        v = v.where(v.str.len() != 7, v + "-01")
        f[col] = v.str.slice(0, 10).where(v != "", None).astype("object")
    f["status"] = f["status"].where(f["status"].fillna("") != "", None).astype("object")
    f["conf"] = pd.to_numeric(f["conf"], errors="coerce")
    if "evidence" not in f.columns:
        f["evidence"] = ""
    out = frame_of(f[["a", "s", "p", "o", "art", "conf", "evidence", "date", "status", "event"]])
    out["shown"] = f["shown"].to_numpy() if len(out) == len(f) else None
    return out


def first_day(value: str | None) -> str | None:
    """The first day of an ISO date of year, month or day precision ("2015" -> "2015-01-01")."""
    if not value:
        return None
    if len(value) == 4:
        return value + "-01-01"
    if len(value) == 7:
        return value + "-01"
    return value[:10] if _DAY.match(value[:10]) else None


def frame_of(rows: Iterable[tuple] | pd.DataFrame) -> pd.DataFrame:
    """(a, s, p, o, art, conf, evidence, article date, status, event day) rows as the timed frame.

    Adds ``when`` (event day, else article day) and ``k``, an integer code per fact, which
    ``merge`` groups on.
    """
    cols = ["a", "s", "p", "o", "art", "conf", "evidence", "date", "status", "event"]
    f = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=cols)
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    f = f.reset_index(drop=True)
    sym = (f["p"].isin(SYMMETRIC_PREDICATES) & (f["o"] < f["s"])).to_numpy()
    if sym.any():
        f.loc[sym, ["s", "o"]] = f.loc[sym, ["o", "s"]].to_numpy()
    f["when"] = f["event"].where(f["event"].notna(), f["date"])
    f["conf"] = f["conf"].astype(float)
    f["k"] = pd.factorize(f["s"] + "\x1f" + f["p"] + "\x1f" + f["o"])[0]
    f["dnum"], f["wnum"] = _num(f["date"]), _num(f["when"])  # numeric days, computed once per read
    return f[COLUMNS]


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


def _num(col: pd.Series) -> pd.Series:
    """ISO days as floats (2015-06-22 -> 20150622.0, None -> NaN): groupby min/max on them run in C."""
    num = pd.to_numeric(col.astype("string").str.replace("-", "", regex=False), errors="coerce")
    return pd.Series(num.to_numpy(dtype="float64", na_value=np.nan), index=col.index)


def _iso(values: pd.Series) -> pd.Series:
    """The inverse of ``_num``: floats back to ISO days, NaN to None (vectorised)."""
    out = pd.Series([None] * len(values), index=values.index, dtype="object")
    ok = values.notna().to_numpy()
    if ok.any():
        digits = values[ok].astype("int64").astype(str).str.zfill(8)
        out[ok] = (digits.str.slice(0, 4) + "-" + digits.str.slice(4, 6) + "-" + digits.str.slice(6, 8)).to_numpy(
            dtype=object)
    return out


def merge(frame: pd.DataFrame, dates: bool = True) -> pd.DataFrame:
    """Assertions -> one row per fact: support (articles, noisy-OR confidence, seen dates) and end.

    ``active`` is whether the fact holds at the end of the assertions given: some holding
    assertion, and no ending one dated after the last holding one. ``dates=False`` skips the
    tuple of supporting dates (the costliest column) when only the graph is wanted.
    """
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MERGED})
    f = frame[["s", "p", "o", "art", "conf", "date", "when", "status"]]
    if "k" in frame.columns:  # frame_of normalised the symmetric facts and coded them
        f = f.assign(k=frame["k"])
    else:
        sym = (f["p"].isin(SYMMETRIC_PREDICATES) & (f["o"] < f["s"])).to_numpy()
        if sym.any():  # x competesWith y is y competesWith x
            f = f.copy()
            f.loc[sym, ["s", "o"]] = f.loc[sym, ["o", "s"]].to_numpy()
        f = f.assign(k=pd.factorize(f["s"] + "\x1f" + f["p"] + "\x1f" + f["o"])[0])
    d = frame["dnum"] if "dnum" in frame.columns else _num(f["date"])
    w = frame["wnum"] if "wnum" in frame.columns else _num(f["when"])
    ak = pd.factorize(f["art"])[0]
    # one int64 key per (fact, article): groupby on it runs in C without a MultiIndex
    f = f.assign(d=d, w=w, conf=f["conf"].astype(float), kak=f["k"].to_numpy() * (int(ak.max()) + 1) + ak)
    names = f.drop_duplicates("k").set_index("k")[["s", "p", "o"]]
    ended_mask = (f["status"] == ENDED_STATUS).to_numpy()
    hold, ends = f[~ended_mask], f[ended_mask]
    per_art = hold.groupby("kak", sort=False).agg(k=("k", "first"), conf=("conf", "max"), d=("d", "min"),
                                                  w=("w", "max"))
    per_art["miss"] = np.log1p(-per_art["conf"].fillna(0.0).clip(upper=1 - 1e-12))
    g = per_art.groupby("k", sort=False)
    facts = g.agg(articles=("conf", "size"), miss=("miss", "sum"), d0=("d", "min"), d1=("d", "max"),
                  last_w=("w", "max"))
    if dates:
        facts["dates"] = g["d"].agg(lambda d: tuple(_iso(d.dropna().sort_values())))
    else:
        facts["dates"] = None
    facts["confidence"] = (1.0 - np.exp(facts["miss"])).round(4)
    if ends.empty:
        facts["end_w"] = np.nan
    else:
        end_at = ends.groupby("k", sort=False)["w"].max().rename("end_w")
        if facts.empty:
            facts = end_at.to_frame().assign(articles=0, miss=0.0, d0=np.nan, d1=np.nan, last_w=np.nan, dates=None,
                                             confidence=0.0)
        else:
            facts = facts.join(end_at, how="outer")
    facts["articles"] = facts["articles"].fillna(0).astype(int)
    facts["confidence"] = facts["confidence"].fillna(0.0)
    lw, ew = facts["last_w"], facts["end_w"]
    facts["active"] = (facts["articles"] > 0) & (ew.isna() | (lw.notna() & (lw > ew)))
    if dates:
        facts["dates"] = facts["dates"].map(lambda d: d if isinstance(d, tuple) else ())
    facts["first_date"], facts["last_date"], facts["ended"] = _iso(facts["d0"]), _iso(facts["d1"]), _iso(facts["end_w"])
    facts = facts.join(names)
    out = facts.reset_index(drop=True)[MERGED]
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
                   start: str | None = None, end: str | None = None, communities: bool = True) -> pd.DataFrame:
    """PageRank and rank (1 = first) of entities in the graph as of each period's end.

    Columns: period, end, entity, pagerank, rank, community (-1 with ``communities=False``, which
    skips the camps). ``entities`` keeps only those rows.
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
        pr, comm = pagerank_and_communities(facts, communities=communities)
        ranked = sorted(pr, key=lambda e: (-round(pr[e], 10), e))
        for i, e in enumerate(ranked, start=1):
            if wanted is None or e in wanted:
                rows.append((period.label, period.end, e, pr[e], i, comm.get(e, -1)))
    return pd.DataFrame(rows, columns=["period", "end", "entity", "pagerank", "rank", "community"])


__all__ = ["COLUMNS", "MERGED", "Period", "TimeError", "as_of", "check_window", "date_bounds", "facts_as_of",
           "facts_in_window", "first_day", "frame_of", "in_window", "merge", "parse_day", "periods", "rank_by_period", "seen_in",
           "graph_values", "timed_assertions", "timed_facts", "to_facts"]
