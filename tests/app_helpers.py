"""Reading what the app shows through AppTest: the evidence lists that st.html renders."""

from __future__ import annotations

import html
import re

_ITEM = re.compile(
    r'<details><summary><span class="rel">(?P<rel>.*?)</span><span class="cut">.*?</span></summary>'
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
            })
    return out


def network_data(at) -> dict:
    """The JSON the explorer's network page was given (nodes, edges, extra nodes and edges)."""
    import json

    srcdoc = at.get("iframe")[0].proto.srcdoc
    start = srcdoc.index("var DATA = ") + len("var DATA = ")
    end = srcdoc.index(";\n", start)
    return json.loads(srcdoc[start:end])
