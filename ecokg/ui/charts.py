"""Bar charts as plain HTML and CSS: counts by type, by predicate, by month.

``st.bar_chart`` loads and compiles Vega-Lite in the browser, about half a
second of a page's first draw in a new tab (bench/README.md, figure 6); these
counts need no axes or interaction, so a few ``<div>`` bars show them at no
cost. Labels go through ``html_text`` (entity types and predicates are ours,
but months and names could come from data).
"""

from __future__ import annotations

import pandas as pd

from ecokg.ui.safe import html_text

_STYLE = """<style>
.eco-bars{font-size:0.85rem;line-height:1.2;}
.eco-bars .row{display:flex;align-items:center;margin:2px 0;}
.eco-bars .lab{flex:0 0 9.5em;text-align:right;padding-right:.5em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;}
.eco-bars .bar{background:#4e79a7;height:14px;border-radius:2px;min-width:1px;}
.eco-bars .val{padding-left:.4em;color:rgba(90,90,90,1);}
.eco-cols{display:flex;align-items:flex-end;gap:2px;height:150px;border-bottom:1px solid #ccc;font-size:0.75rem;}
.eco-cols .col{flex:1 1 0;background:#4e79a7;min-height:1px;border-radius:2px 2px 0 0;position:relative;}
.eco-cols-x{display:flex;gap:2px;font-size:0.7rem;color:rgba(90,90,90,1);}
.eco-cols-x span{flex:1 1 0;overflow:visible;white-space:nowrap;text-align:left;width:0;}
</style>"""


def bars_html(counts: pd.Series) -> str:
    """Horizontal bars, one per index value, with the count after each bar."""
    top = float(counts.max()) if len(counts) else 0.0
    rows = []
    for label, value in counts.items():
        share = 0.0 if top <= 0 else float(value) / top
        rows.append(
            f'<div class="row" title="{html_text(label)}: {int(value):,}"><span class="lab">{html_text(label)}</span>'
            f'<span class="bar" style="width:calc((100% - 13em) * {share:.4f})"></span>'
            f'<span class="val">{int(value):,}</span></div>'
        )
    return _STYLE + '<div class="eco-bars">' + "".join(rows) + "</div>"


def columns_html(counts: pd.Series, every: int = 0) -> str:
    """Vertical bars over time (index: month labels in order); a label under every ``every``-th bar."""
    top = float(counts.max()) if len(counts) else 0.0
    step = every or max(1, len(counts) // 12)
    cols, xs = [], []
    for i, (label, value) in enumerate(counts.items()):
        height = 0.0 if top <= 0 else 100.0 * float(value) / top
        cols.append(f'<div class="col" style="height:{height:.1f}%" title="{html_text(label)}: {int(value):,}"></div>')
        xs.append(f"<span>{html_text(label) if i % step == 0 else ''}</span>")
    return (_STYLE + f'<div class="eco-cols" aria-label="most: {int(top):,}">' + "".join(cols) + "</div>"
            + '<div class="eco-cols-x">' + "".join(xs) + "</div>"
            + f'<div class="eco-cols-x">highest bar: {int(top):,} (point at a bar for its count)</div>')
