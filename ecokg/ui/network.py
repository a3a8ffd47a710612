"""The explorer's network as one self-contained HTML page (vis-network inlined, nothing fetched).

pyvis would pull Bootstrap and vis from a CDN; this page (``ecokg/static/network.html``)
inlines the vis-network build vendored in ``ecokg/static`` and receives nodes, edges,
the neighbours a click may add and each edge's evidence as JSON that cannot close
the script element. Labels are drawn on a canvas; tooltips and panels are built
with ``textContent``, so entity names and sentences stay text. "Open profile"
moves the parent Streamlit page to ``?entity=<iri>`` through the History API and
a ``popstate`` event, which Streamlit turns into a page switch without reloading.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ecokg.ui.safe import script_json
from kg.model import SYMMETRIC_PREDICATES

VIS_JS = Path(__file__).resolve().parents[1] / "static" / "vis-network.min.js"

TYPE_COLOURS = {
    "Vendor": "#4e79a7",
    "Product": "#f28e2b",
    "Standard": "#59a14f",
    "Organization": "#b07aa1",
    "Person": "#e15759",
    "Event": "#edc948",
    "": "#9c9c9c",
}
COMMUNITY_COLOURS = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf",
]
PREDICATE_STYLE: dict[str, dict[str, object]] = {
    "competesWith": {"color": "#d62728", "dashes": False, "width": 2},
    "partnersWith": {"color": "#2ca02c", "dashes": [6, 4], "width": 2},
    "acquired": {"color": "#111111", "dashes": False, "width": 3},
    "develops": {"color": "#1f77b4", "dashes": False, "width": 1},
    "supports": {"color": "#17becf", "dashes": [2, 3], "width": 1},
    "contributesTo": {"color": "#9467bd", "dashes": [2, 3], "width": 1},
    "integratesWith": {"color": "#ff7f0e", "dashes": [8, 3, 2, 3], "width": 1},
    "sponsors": {"color": "#bcbd22", "dashes": [4, 4], "width": 1},
    "leads": {"color": "#8c564b", "dashes": False, "width": 2},
}


@lru_cache(maxsize=1)
def vis_js() -> str:
    return VIS_JS.read_text(encoding="utf-8")


def community_colour(index: int) -> str:
    return COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)] if index >= 0 else "#9c9c9c"


def edge_payload(s: str, p: str, o: str, articles: int, confidence: float,
                 evidence: list[dict[str, object]] | None = None) -> dict[str, object]:
    """One fact as a vis edge: style by predicate, an arrow (mid-edge, clear of labels) only if directed."""
    style = PREDICATE_STYLE.get(p, {"color": "#777777", "dashes": False, "width": 1})
    return {
        "id": f"{s}|{p}|{o}",
        "from": s,
        "to": o,
        "pred": p,
        "articles": int(articles),
        "conf": round(float(confidence), 2),
        "color": style["color"],
        "arrows": "" if p in SYMMETRIC_PREDICATES else "middle",
        "ev": evidence or [],
    }


def legend(colours: dict[str, str], predicates: list[str]) -> list[dict[str, object]]:
    """Legend entries (node colours, then edge styles) for ``network_html``; labels are ours, not data."""
    out: list[dict[str, object]] = [{"kind": "node", "label": k, "color": c} for k, c in colours.items()]
    for p in predicates:
        style = PREDICATE_STYLE.get(p, {"color": "#777777", "dashes": False})
        arrow = "↔" if p in SYMMETRIC_PREDICATES else "→"
        out.append({"kind": "edge", "label": f"{p} {arrow}", "color": style["color"], "dashed": bool(style["dashes"])})
    return out


def compact(nodes: list[dict[str, object]], edges: list[dict[str, object]],
            extra_nodes: list[dict[str, object]], extra_edges: list[dict[str, object]]) -> dict[str, object]:
    """The drawing as the page receives it: edges by node index, predicates and articles once each.

    A drawing of 150 nodes with its expandable neighbours and evidence is
    thousands of edges; spelling each IRI, style and article title per edge
    made that several MB per rerun. Here an edge is
    ``[from, to, predicate, articles, confidence, evidence]`` (``+ [anchor, other]``
    for an expandable one), an evidence row ``[sentence, article, confidence]``.
    """
    index = {str(n["id"]): i for i, n in enumerate([*nodes, *extra_nodes])}
    preds: list[str] = []
    arts: dict[tuple[object, object, object], int] = {}

    def pred(p: str) -> int:
        if p not in preds:
            preds.append(p)
        return preds.index(p)

    def ev(rows: list[dict[str, object]]) -> list[list[object]]:
        out = []
        for r in rows:
            key = (r.get("title"), r.get("url"), r.get("date"))
            out.append([r.get("text", ""), arts.setdefault(key, len(arts)), r.get("conf")])
        return out

    def edge(e: dict[str, object]) -> list[object]:
        return [index[str(e["from"])], index[str(e["to"])], pred(str(e["pred"])), e["articles"], e["conf"],
                ev(e.get("ev") or [])]  # type: ignore[arg-type]

    styles = {}
    for p in [str(e["pred"]) for e in (*edges, *extra_edges)]:
        if p not in styles:
            st = PREDICATE_STYLE.get(p, {"color": "#777777", "dashes": False, "width": 1})
            styles[p] = {"name": p, "color": st["color"], "dashes": st["dashes"], "width": st["width"],
                         "directed": p not in SYMMETRIC_PREDICATES}
    out = {
        "nodes": nodes, "extraNodes": extra_nodes,
        "edges": [edge(e) for e in edges],
        "extraEdges": [[*edge(e), index[str(e["anchor"])], index[str(e["other"])]] for e in extra_edges],
    }
    out["preds"] = [styles[p] for p in preds]
    out["arts"] = [list(k) for k in arts]
    return out


def network_html(nodes: list[dict[str, object]], edges: list[dict[str, object]], height: int = 640,
                 profile_path: str = "profile", legend_items: list[dict[str, object]] | None = None,
                 extra_nodes: list[dict[str, object]] | None = None,
                 extra_edges: list[dict[str, object]] | None = None) -> str:
    """The page: nodes have id, label, tip, color, value, names and x, y; edges come from ``edge_payload``.

    The layout arrives finished (``kg.analytics.layout`` kept stable by
    ``ecokg.ui.graph_view.stable_positions``), so the browser draws it as it is,
    with physics off: a node keeps its place from one drawing to the next.
    ``extra_nodes``/``extra_edges`` (edges with an ``anchor``, the drawn node
    they leave from, and the ``other`` end) are what "expand" adds on a click.
    """
    payload = compact(nodes, edges, extra_nodes or [], extra_edges or [])
    payload.update({"profile": profile_path, "legend": legend_items or []})
    data = script_json(payload)
    return _TEMPLATE.replace("__HEIGHT__", str(int(height))).replace("__VIS__", vis_js()).replace("__DATA__", data)


_TEMPLATE = (Path(__file__).resolve().parents[1] / "static" / "network.html").read_text(encoding="utf-8")
