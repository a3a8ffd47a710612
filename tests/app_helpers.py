"""Reading what the app shows through AppTest: the evidence lists that st.html renders."""

from __future__ import annotations

import html
import re

_ITEM = re.compile(
    r'<details><summary><span class="rel">(?P<rel>.*?)</span><span class="cut">.*?</span>'
    r'(?P<ended><span class="ended"[^>]*>ended</span>)?</summary>'
    r'<div class="sent">(?P<sent>.*?)</div><div class="src">(?P<src>.*?)</div></details>',
    re.S,
)
_LINK = re.compile(r'<a href="([^"]*)"')


def evidence_items(at) -> list[dict[str, object]]:
    """Every evidence item on the page: relation line, the full sentence, and the links (unescaped)."""
    out = []
    for el in at.html:
        for m in _ITEM.finditer(el.proto.body):
            out.append({
                "relation": html.unescape(m.group("rel")),
                "evidence": html.unescape(m.group("sent")),
                "links": [html.unescape(u) for u in _LINK.findall(m.group("src"))],
                "source_html": m.group("src"),
                "ended": m.group("ended") is not None,  # the "ended" badge
            })
    return out


def network_data(at) -> dict:
    """The JSON the explorer's network page was given, its compact edges spelled out as the page does."""
    import json

    srcdoc = at.get("iframe")[0].proto.srcdoc
    start = srcdoc.index("var DATA = ") + len("var DATA = ")
    end = srcdoc.index(";\n", start)
    data = json.loads(srcdoc[start:end])
    everyone = data["nodes"] + data["extraNodes"]

    def unpack(a: list) -> dict:
        st = data["preds"][a[2]]
        out = {"from": everyone[a[0]]["id"], "to": everyone[a[1]]["id"], "pred": st["name"], "directed": st["directed"],
               "articles": a[3], "conf": a[4],
               "ev": [dict(zip(("title", "url", "date"), data["arts"][r[1]], strict=True), text=r[0], conf=r[2])
                      for r in a[5]]}
        if len(a) > 6:
            out["anchor"], out["other"] = everyone[a[6]]["id"], everyone[a[7]]["id"]
        return out

    data["edges"] = [unpack(a) for a in data["edges"]]
    data["extraEdges"] = [unpack(a) for a in data["extraEdges"]]
    return data
