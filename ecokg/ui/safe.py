"""Untrusted text stays text: escaping for Markdown, HTML, JSON-in-script and link targets.

Article text, entity names, evidence and titles come from the web. Anything
shown through Markdown-rendering Streamlit calls (st.markdown, st.header,
st.error, labels) goes through ``md``; links are only ever http(s) URLs.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&\"'])")
_QID = re.compile(r"^Q\d+$")
# GitHub-flavoured Markdown turns bare URLs, www. names and e-mail addresses into links even when
# their punctuation is backslash-escaped; an invisible word joiner breaks the pattern, not the text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|javascript|data)(?=\s*[:.])|(?<=@)")
_JOINER = "\u2060"


def md(text: object) -> str:
    """Text for a Markdown context: every Markdown/HTML metacharacter backslash-escaped, one line."""
    s = "" if text is None else str(text)
    s = s.replace("\r", " ").replace("\n", " ")
    s = _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, s)
    return _MD_SPECIAL.sub(r"\\\1", s)


def html_text(text: object) -> str:
    """Text for an HTML context (quotes too, so it is safe inside attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: object) -> str | None:
    """The URL if it is a plain http(s) link, else None (no javascript:, data:, file: ...)."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if any(c in u for c in "\"'<> \t\n\\"):
        return None
    return u


def wikidata_url(iri: str) -> str | None:
    """https link to a Wikidata item from an owl:sameAs IRI, only for well-formed QIDs."""
    qid = iri.rstrip("/").rsplit("/", 1)[-1]
    return f"https://www.wikidata.org/wiki/{qid}" if _QID.match(qid) else None


def script_json(value: object) -> str:
    """JSON to embed inside a <script> element: no '<', '>', '&' or line separators survive raw."""
    s = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        s.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
