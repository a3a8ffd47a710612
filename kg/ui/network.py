"""The explorer's network as one self-contained HTML page (vis-network inlined, nothing fetched).

pyvis would pull Bootstrap and vis from a CDN; this page inlines the vis-network
build vendored in ``kg/static`` and passes nodes and edges as JSON that cannot
close the script element. Labels are drawn on a canvas and tooltips are built
with ``textContent``, so entity names stay text. Clicking a node moves the
parent Streamlit page to the profile (``?entity=<iri>``) through the History
API and a ``popstate`` event, which Streamlit turns into a page switch without
reloading the app.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ingest.model import SYMMETRIC_PREDICATES
from kg.ui.safe import script_json

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


def edge_payload(s: str, p: str, o: str, articles: int, confidence: float) -> dict[str, object]:
    style = PREDICATE_STYLE.get(p, {"color": "#777777", "dashes": False, "width": 1})
    return {
        "from": s,
        "to": o,
        "pred": p,
        "tip": f"{p} · {articles} article(s) · confidence {confidence:.2f}",
        "color": {"color": style["color"], "opacity": 0.75},
        "dashes": style["dashes"],
        "width": float(style["width"]) + min(articles, 5) * 0.4,
        "arrows": "" if p in SYMMETRIC_PREDICATES else "to",
    }


def legend(colours: dict[str, str], predicates: list[str]) -> list[dict[str, object]]:
    """Legend entries (node colours, then edge styles) for ``network_html``; labels are ours, not data."""
    out: list[dict[str, object]] = [{"kind": "node", "label": k, "color": c} for k, c in colours.items()]
    for p in predicates:
        style = PREDICATE_STYLE.get(p, {"color": "#777777", "dashes": False})
        arrow = "↔" if p in SYMMETRIC_PREDICATES else "→"
        out.append({"kind": "edge", "label": f"{p} {arrow}", "color": style["color"], "dashed": bool(style["dashes"])})
    return out


def network_html(nodes: list[dict[str, object]], edges: list[dict[str, object]], height: int = 640,
                 profile_path: str = "profile", legend_items: list[dict[str, object]] | None = None) -> str:
    """The page: nodes have id, label, tip, color, value and a starting x, y; edges come from ``edge_payload``.

    The layout arrives precomputed (``kg.analytics.layout``), so the browser runs
    only a short stabilisation before switching physics off.
    """
    # The layout arrives finished; big drawings get fewer polishing steps (each is O(nodes²) in the browser).
    steps = 60 if len(nodes) <= 200 else 25 if len(nodes) <= 500 else 10
    data = script_json({"nodes": nodes, "edges": edges, "profile": profile_path, "steps": steps,
                        "legend": legend_items or []})
    return _TEMPLATE.replace("__HEIGHT__", str(int(height))).replace("__VIS__", vis_js()).replace("__DATA__", data)


_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>
html,body{margin:0;padding:0;font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;}
#net{width:100%;height:__HEIGHT__px;border:1px solid #ddd;box-sizing:border-box;}
#status{font-size:12px;color:#555;padding:2px 4px;height:16px;}
#legend{font-size:11px;color:#333;padding:3px 4px;line-height:18px;}
#legend span{margin-right:12px;white-space:nowrap;}
#legend i{display:inline-block;vertical-align:middle;margin-right:4px;}
.vis-tooltip{position:absolute;background:#fff;border:1px solid #aaa;padding:4px 6px;font-size:12px;
  max-width:360px;white-space:normal;pointer-events:none;}
</style></head>
<body><div id="status">laying out…</div><div id="net"></div><div id="legend"></div>
<script>__VIS__</script>
<script>
(function(){
  var DATA = __DATA__;
  function tip(text){ var el = document.createElement("div"); el.textContent = text; return el; }
  var nodes = DATA.nodes.map(function(n){ return {id:n.id, label:n.label, value:n.value, color:n.color, x:n.x, y:n.y,
      shape:"dot", title: tip(n.tip), font:{face:"Noto Sans CJK SC, Noto Sans, sans-serif", size:14}}; });
  var edges = DATA.edges.map(function(e, i){ return {id:i, from:e.from, to:e.to, color:e.color,
      dashes:e.dashes, width:e.width, arrows:e.arrows, title: tip(e.tip)}; });
  var legendBox = document.getElementById("legend");
  DATA.legend.forEach(function(item){
    var span = document.createElement("span"), mark = document.createElement("i");
    if (item.kind === "node") {
      mark.style.cssText = "width:10px;height:10px;border-radius:50%;background:" + item.color;
    } else {
      mark.style.cssText = "width:22px;height:0;border-top:2px " + (item.dashed ? "dashed " : "solid ") + item.color;
    }
    span.appendChild(mark);
    span.appendChild(document.createTextNode(item.label));
    legendBox.appendChild(span);
  });
  var container = document.getElementById("net");
  var network = new vis.Network(container, {nodes:new vis.DataSet(nodes), edges:new vis.DataSet(edges)}, {
    nodes:{scaling:{min:6,max:40,label:{enabled:true,min:11,max:26,drawThreshold:6}}},
    edges:{smooth:false, selectionWidth:2},
    physics:{solver:"barnesHut", barnesHut:{gravitationalConstant:-6000, springLength:140, avoidOverlap:0.2},
             stabilization:{enabled:true, iterations:DATA.steps, updateInterval:20}},
    interaction:{hover:true, tooltipDelay:150, navigationButtons:false, keyboard:false, hideEdgesOnDrag:true}
  });
  window.ecoNetwork = network;
  window.ecoReady = false;
  function done(){
    network.setOptions({physics:false});
    network.fit({animation:false});
    window.ecoReady = true;
    document.getElementById("status").textContent = "drag to move, scroll to zoom, click a node to open its profile";
  }
  network.once("stabilizationIterationsDone", done);
  if (nodes.length === 0) { done(); }
  function openProfile(id){
    var qs = "?entity=" + encodeURIComponent(id);
    try {
      var w = window.parent;
      var url = new URL(w.location.href);
      url.pathname = url.pathname.replace(/[^\\/]*$/, DATA.profile);
      url.search = qs;
      url.hash = "";
      w.history.pushState({}, "", url.toString());
      w.dispatchEvent(new PopStateEvent("popstate", {state: {}}));
    } catch (err) {
      window.open(DATA.profile + qs, "_blank", "noopener");
    }
  }
  network.on("click", function(params){ if (params.nodes.length) { openProfile(params.nodes[0]); } });
})();
</script></body></html>
"""
