"""What the explorer's network page receives: nodes, edges, neighbours to expand, evidence per edge.

Pure functions over the snapshot's tables (no Streamlit), so tests and the
benchmark build the same payload. The page has no channel back to the server,
so everything a click can show is sent with the drawing, bounded: the
strongest ``per_node`` facts leading out of the drawing from each drawn node,
and the most confident ``per_edge`` evidence sentences of each fact.
"""

from __future__ import annotations

import hashlib
import math

import pandas as pd

from ecokg.ui.data import Snapshot
from ecokg.ui.safe import safe_url
from kg.analytics import SYMMETRIC_PREDICATES

EVIDENCE_CHARS = 320  # a sentence longer than this is cut in the graph (the profile shows it whole)


def evidence_index(snap: Snapshot, per_edge: int = 2) -> dict[tuple[str, str, str], list[dict[str, object]]]:
    """(s, p, o) of a merged fact -> its most confident evidence rows, with article title, link and date.

    Symmetric facts are keyed as ``ecokg.ui.data.merge_assertions`` keys them (the smaller IRI first).
    """
    a = snap.assertions
    if a.empty:
        return {}
    a = a.copy()
    sym = a["p"].isin(SYMMETRIC_PREDICATES) & (a["o"] < a["s"])
    a.loc[sym, ["s", "o"]] = a.loc[sym, ["o", "s"]].to_numpy()
    a = a.sort_values("conf", ascending=False).groupby(["s", "p", "o"], sort=False).head(per_edge)
    arts = snap.articles.drop_duplicates("art").set_index("art")
    titles, urls = arts["title"].to_dict(), arts["url"].to_dict()
    out: dict[tuple[str, str, str], list[dict[str, object]]] = {}
    for s, p, o, art, conf, ev, date in a[["s", "p", "o", "art", "conf", "evidence", "date"]].itertuples(
        index=False, name=None
    ):
        text = str(ev or "")
        out.setdefault((s, p, o), []).append({
            "text": text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…",
            "title": _text(titles.get(art)) or _text(urls.get(art)) or "(untitled article)",
            "url": safe_url(urls.get(art)),
            "date": _text(date),
            "conf": round(float(conf), 2),
        })
    return out


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def spread(pos: dict[str, tuple[float, float]], min_dist: float = 110.0, iterations: int = 60,
           most: int = 800) -> dict[str, tuple[float, float]]:
    """Push apart nodes closer than ``min_dist`` (a force layout packs hubs' neighbours tightly).

    Deterministic (no randomness: coincident nodes separate along a fixed
    direction per index), so the same layout always spreads the same way;
    skipped above ``most`` nodes, where the pairwise step would cost seconds.
    """
    import numpy as np

    keys = list(pos)
    if len(keys) < 2 or len(keys) > most:
        return dict(pos)
    xy = np.array([pos[k] for k in keys], dtype=float)
    nudge = np.stack([np.cos(np.arange(len(keys))), np.sin(np.arange(len(keys)))], axis=1) * 1e-3
    for _ in range(iterations):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1))
        np.fill_diagonal(dist, 1e12)  # never "close" to itself
        close = dist < min_dist
        if not close.any():
            break
        push = np.where(close, (min_dist - dist) / np.maximum(dist, 1e-6) / 2, 0.0)
        d = np.where((dist < 1e-6)[..., None], nudge[:, None, :], d)
        xy += (d * push[..., None]).sum(1) * 0.5
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, xy, strict=True)}


def stable_positions(
    previous: dict[str, tuple[float, float]], fresh: dict[str, tuple[float, float]], edges: list[tuple[str, str]]
) -> dict[str, tuple[float, float]]:
    """Keep the positions an analyst has seen; place only the new nodes.

    When most of the drawing was drawn before (a node or a few added, the
    colouring changed), every node drawn before stays where it was and a new
    node goes next to the nodes it links to (or where the fresh layout put it,
    when it links to none). Otherwise the fresh layout is used as it is.
    """
    kept = [n for n in fresh if n in previous]
    if not previous or len(kept) < 0.5 * len(fresh):
        return dict(fresh)
    out = {n: previous[n] for n in kept}
    new = [n for n in fresh if n not in previous]
    links: dict[str, list[str]] = {}
    for a, b in edges:
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
    for n in new:
        placed = [out[m] for m in links.get(n, []) if m in out]
        if placed:
            cx = sum(p[0] for p in placed) / len(placed)
            cy = sum(p[1] for p in placed) / len(placed)
            angle = int(hashlib.sha1(n.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF * 2 * math.pi
            out[n] = (cx + 90.0 * math.cos(angle), cy + 90.0 * math.sin(angle))
        else:
            out[n] = fresh[n]
    return out


def neighbours_out(facts: pd.DataFrame, drawn: set[str], per_node: int, most: int) -> pd.DataFrame:
    """The facts joining a drawn node to an undrawn one: the strongest ``per_node`` per drawn node.

    Columns of ``facts`` plus ``anchor`` (the drawn end) and ``other``; at most ``most`` rows.
    """
    s_in, o_in = facts["s"].isin(drawn), facts["o"].isin(drawn)
    out = facts[s_in ^ o_in].copy()
    if out.empty:
        return out.assign(anchor=pd.Series(dtype=str), other=pd.Series(dtype=str))
    from_s = out["s"].isin(drawn)
    out["anchor"] = out["s"].where(from_s, out["o"])
    out["other"] = out["o"].where(from_s, out["s"])
    out = out.sort_values(["articles", "confidence", "other"], ascending=[False, False, True])
    return out.groupby("anchor", sort=False).head(per_node).head(most)
