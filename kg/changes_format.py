"""The changes of ``kg.changes`` for people and programs: Markdown, JSON and Atom.

Atom is built with ElementTree (every text escaped) and is deterministic: ids are
tag URIs hashed from the item, times come from the data, never from the clock, unless
a caller passes ``updated`` (the digest stamps its run).
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET

from kg.changes import SECTIONS, Changes, Item

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:ecokg,2026:changes"


def span(ch: Changes) -> str:
    where = f" in the {ch.market} market" if ch.market else ""
    return f"{ch.start or 'the beginning'} to {ch.end or 'now'}{where}"


def _one_line(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md_escape(text: str) -> str:
    out = text
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def to_markdown(ch: Changes, limit: int = 50, title: str | None = None) -> str:
    """Sections with their items, each followed by up to three quoted sentences and their articles."""
    lines = [f"# {_md_escape(title or 'What changed')}: {_md_escape(span(ch))}", ""]
    lines.append(f"{ch.count:,} changes." if ch.count else "No changes.")
    for kind, label in SECTIONS.items():
        items = ch.sections.get(kind, [])
        if not items:
            continue
        lines += ["", f"## {label} ({len(items):,})", ""]
        for item in items[:limit]:
            when = f" ({item.date})" if item.date else ""
            lines.append(f"- **{_md_escape(item.text)}**{when}")
            for ev in item.evidence:
                source = _md_escape(ev.title or ev.url or ev.article)
                link = f"[{source}](<{ev.url}>)" if ev.url and ev.url.startswith(("http://", "https://")) else source
                lines.append(f"  - “{_md_escape(_one_line(ev.text))}” — {link}{', ' + ev.date if ev.date else ''}")
        if len(items) > limit:
            lines.append(f"- … and {len(items) - limit:,} more (`--format json` lists them all)")
    return "\n".join(lines) + "\n"


def to_json(ch: Changes) -> str:
    return json.dumps(ch.to_json(), ensure_ascii=False, indent=2, sort_keys=False)


def _tag(*parts: str) -> str:
    return FEED_ID + ":" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _time(day: str | None, fallback: str = "1970-01-01") -> str:
    d = (day or fallback)[:10]
    return f"{d}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def item_html(item: Item) -> str:
    """The item's evidence as HTML text (Atom escapes it once more inside type="html")."""
    from html import escape

    parts = [f"<p>{escape(item.text)}</p><ul>"]
    for ev in item.evidence:
        src = escape(ev.title or ev.url or ev.article)
        if ev.url and ev.url.startswith(("http://", "https://")):
            src = f'<a href="{escape(ev.url, quote=True)}">{src}</a>'
        parts.append(f"<li>“{escape(_one_line(ev.text))}” — {src}{', ' + escape(ev.date) if ev.date else ''}</li>")
    parts.append("</ul>")
    return "".join(parts)


def to_atom(ch: Changes, updated: str | None = None) -> str:
    """One feed, one entry per change item (``ecokg changes --format atom``)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", _tag("changes", ch.start or "", ch.end or "", ch.market or ""))
    _sub(feed, "title", f"ecokg: what changed, {span(ch)}")
    _sub(feed, "updated", updated or _time(ch.end))
    _sub(_sub(feed, "author"), "name", "ecokg")
    for kind, label in SECTIONS.items():
        for item in ch.sections.get(kind, []):
            entry = _sub(feed, "entry")
            _sub(entry, "id", _tag(kind, item.text, item.subject or "", item.object or "", ch.start or "", ch.end or ""))
            _sub(entry, "title", f"{label}: {item.text}")
            _sub(entry, "updated", _time(item.date, ch.end or "1970-01-01"))
            _sub(entry, "category", term=kind, label=label)
            _sub(entry, "content", item_html(item), type="html")
            for ev in item.evidence[:1]:
                if ev.url and ev.url.startswith(("http://", "https://")):
                    _sub(entry, "link", href=ev.url, rel="alternate")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def render(ch: Changes, fmt: str, limit: int = 50) -> str:
    if fmt == "json":
        return to_json(ch) + "\n"
    if fmt == "atom":
        return to_atom(ch)
    if fmt == "md":
        return to_markdown(ch, limit)
    raise ValueError(f"unknown format {fmt!r} (md, json or atom)")


__all__ = ["ATOM", "FEED_ID", "render", "span", "to_atom", "to_json", "to_markdown"]
