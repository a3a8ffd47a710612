"""Evidence sentences as an HTML list: escaped text, the article's title and link, expandable.

A table cell cuts a sentence off and cannot link its article; Markdown would
render link syntax that the article itself contains. So each assertion is a
``<details>`` element: the summary names the relation and starts the sentence,
opening it shows the whole sentence, its article (title, link, date) and the
confidence. A sentence that ends its relation ("ended its partnership") carries an
"ended" badge, so nobody reads it as support. Every piece of text goes through ``html_text`` and every link
through ``safe_url`` (or is a relative profile link we build), so the list is
safe for ``st.html``.
"""

from __future__ import annotations

import math

import pandas as pd

from ecokg.ui.safe import html_text, safe_url
from kg.namespace import ENDED_STATUS

SUMMARY_CHARS = 140

STYLE = """<style>
.eco-ev{font-size:0.92rem;line-height:1.45;}
.eco-ev details{border-bottom:1px solid rgba(128,128,128,.25);padding:3px 0;}
.eco-ev summary{cursor:pointer;list-style-position:outside;margin-left:1.1em;}
.eco-ev .rel{font-weight:600;white-space:nowrap;margin-right:.4em;}
.eco-ev .sent{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0 .2em 1.1em;}
.eco-ev .src{color:rgba(90,90,90,1);font-size:0.85rem;margin:0 0 .3em 1.1em;}
.eco-ev .ended{font-size:0.75rem;font-weight:600;text-transform:uppercase;color:#fff;background:#b54708;
  border-radius:3px;padding:0 .35em;margin-left:.4em;white-space:nowrap;}
</style>"""
ENDED_BADGE = ('<span class="ended" title="this sentence says the relation ended: it does not support it">'
               "ended</span>")


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def short(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first ``limit`` characters of a sentence, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def relation_text(row: pd.Series | dict, show_predicate: bool = True) -> str:
    """'→ develops · Flocker' (directed, from the centre), '← acquired · X' (towards it), 'competesWith · Y'."""
    arrow = str(row.get("direction") or "")
    other = "" if _blank(row.get("entity")) else str(row["entity"])
    if show_predicate:
        parts = [" ".join(x for x in (arrow, str(row.get("predicate", ""))) if x), other]
    else:
        parts = [" ".join(x for x in (arrow, other) if x)]
    if not _blank(row.get("subject")):
        parts.insert(0, str(row["subject"]))
    return " · ".join(p for p in parts if p)


def evidence_html(table: pd.DataFrame, show_predicate: bool = True) -> str:
    """An evidence table (``ecokg.ui.widgets.evidence_table``) as a list of expandable, escaped items."""
    items = []
    for _, row in table.iterrows():
        sentence = "" if _blank(row.get("evidence")) else str(row["evidence"])
        url = safe_url(row.get("source"))
        title = "" if _blank(row.get("article")) else str(row["article"])
        article = (
            f'<a href="{html_text(url)}" target="_blank" rel="noopener noreferrer">{html_text(title or url)}</a>'
            if url else html_text(title or "(article without a link)")
        )
        meta = [article]
        if not _blank(row.get("date")):
            meta.append(html_text(row["date"]))
        conf = row.get("confidence")
        if not _blank(conf):
            meta.append(f"confidence {float(conf):.2f}")
        profile = row.get("profile")
        if isinstance(profile, str) and profile.startswith("profile?entity="):
            meta.append(f'<a href="{html_text(profile)}" target="_self">open {html_text(row.get("entity", ""))}</a>')
        ended = row.get("status") == ENDED_STATUS  # "ended its partnership" is an end, not support
        if ended:
            meta.insert(0, "this sentence ends the relation")
        items.append(
            "<details><summary>"
            f'<span class="rel">{html_text(relation_text(row, show_predicate))}</span>'
            f'<span class="cut">{html_text(short(sentence))}</span>{ENDED_BADGE if ended else ""}</summary>'
            f'<div class="sent">{html_text(sentence)}</div>'
            f'<div class="src">{" · ".join(meta)}</div></details>'
        )
    return STYLE + '<div class="eco-ev">' + "".join(items) + "</div>"
