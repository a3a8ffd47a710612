"""The analysts' corrections applied to the frames of the time views (``kg.timeline``, ``kg.changes``): pure.

The other views pass rows through ``Overlay.assertion_rows`` one dict at a time; the time
views read 100k-row pandas frames, so here only the rows a correction can touch go through
the overlay (their subject or object is merged, split, not an entity, or in a rejected
fact), and the rest pass untouched. Asserted facts become rows whose article is the
correction itself, dated the day it was made (when the graph learnt the fact), so
``ecokg changes`` lists them in the span holding that day, with the analyst as source.
"""

from __future__ import annotations

import pandas as pd

from kg.curation.overlay import Overlay
from kg.curation.records import correction_iri


def _touched(ov: Overlay) -> set[str]:
    """Entities whose rows a correction may change or drop."""
    out = set(ov.merged) | {e for e, _ in ov.split} | ov.junk
    for s, _p, o in ov.rejected:
        out.update((s, o))
    for s, _p, o, _a in ov.rejected_in:
        out.update((s, o))
    return out


def correct_rows(f: pd.DataFrame, ov: Overlay) -> pd.DataFrame:
    """Rows with ``s``, ``p`` (local name), ``o`` and ``art``, corrected: sides resolved in their article,
    rows of rejected facts, of non-entities and of facts a merge made reflexive left out."""
    if not ov or f.empty:
        return f
    touched = _touched(ov)
    cand = (f["s"].isin(touched) | f["o"].isin(touched)).to_numpy()
    if not cand.any():
        return f
    f = f.copy()
    sub = f[cand]
    keep = []
    new_s, new_o = [], []
    for s, p, o, art in zip(sub["s"], sub["p"], sub["o"], sub["art"], strict=True):
        rs, ro = ov.resolve(s, art), ov.resolve(o, art)
        new_s.append(rs)
        new_o.append(ro)
        keep.append(ov.keeps(rs, p, ro, art))
    idx = sub.index
    f.loc[idx, "s"] = new_s
    f.loc[idx, "o"] = new_o
    drop = idx[~pd.Series(keep, index=idx, dtype=bool)]
    return f.drop(index=drop)


def asserted_frame(ov: Overlay, columns: list[str]) -> pd.DataFrame:
    """The facts analysts asserted as timed rows: article = the correction, date = the day it was made."""
    made = {correction_iri(c.id): c for c in ov.asserted}
    rows = []
    for r in ov.asserted_rows():
        c = made[r["art"]]
        row = {k: "" for k in columns}
        row.update(s=r["s"], p=r["p"], o=r["o"], art=r["art"], conf=r["conf"], evidence=r["evidence"],
                   date=c.when[:10], status="", event="")
        rows.append(row)
    return pd.DataFrame(rows, columns=columns, dtype=object)


def asserted_articles(ov: Overlay) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Correction IRI -> (title, url, date) as ``kg.changes.Context.articles`` holds articles."""
    out = {}
    for c in ov.asserted:
        url = c.source if c.source and c.source.startswith(("http://", "https://")) else None
        title = f"asserted by {c.who}" + (f" ({c.source})" if c.source and not url else "")
        out[correction_iri(c.id)] = (title, url, c.when[:10])
    return out


def correct_descriptions(labels: dict[str, str], types: dict[str, str], markets: dict[str, set[str]],
                         ov: Overlay, lang: str = "en") -> None:
    """Names, types and markets as corrected, in place: renames (English), retypes and splits'
    new entities, and a merged-away entity's markets given to the entity it went into."""
    if not ov:
        return
    for e, name in ov.names.items():
        if lang == "en" or e not in labels:
            labels[e] = name
    types.update(ov.types)
    for members in markets.values():
        gone = [e for e in members if e in ov.merged]
        members.update(ov.resolve(e) for e in gone)


__all__ = ["asserted_articles", "asserted_frame", "correct_descriptions", "correct_rows"]
