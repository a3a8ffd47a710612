"""The digest `ecokg schedule --digest DIR` writes after every run: what the run changed.

Before a run the store's timed facts are read; after it, again; ``kg.changes.compute``
lists what the run added or ended (new rivalries, alliances, acquisitions, products,
standards, backers, centrality movers, camps). Each run writes, once:

- ``DIR/<run id>.md``: the changes as Markdown;
- ``DIR/feed.atom``: an Atom feed of the last ``KEEP`` runs, one entry per run, newest first
  (rebuilt from ``DIR/digest.json``, the entries so far; replaced atomically, so a feed
  reader never sees half a file).

A run that changed nothing still gets its entry ("No changes"), so a subscriber sees that
the scheduler is alive.

Both reads go through the changes cache (``kg.time_cache``), which the run's writer carries
over to the store's new generation (``kg.warm_cache``): the read after a run is warm, as is
the one before it (the previous run's read after). They are the inputs of `ecokg changes`.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from kg.changes import Changes, compute, gc_paused
from kg.changes_format import ATOM, FEED_ID, item_html, to_markdown
from kg.time_cache import TimeInputs, read_inputs
from kg.timeline import frame_of

KEEP = 50
FEED = "feed.atom"
STATE = "digest.json"


@dataclass
class DigestEntry:
    id: str
    title: str
    updated: str  # xsd:dateTime, UTC
    markdown_file: str
    html: str


def snapshot(location: str) -> TimeInputs:
    """The timed facts, context and sentences as they stand (read before and after a run)."""
    return read_inputs(location)


def empty_frame() -> pd.DataFrame:
    """The frame before the first run (no store yet: everything it writes is new)."""
    return frame_of([]).assign(shown=pd.Series(dtype="object"))


def run_changes(before: pd.DataFrame, after: TimeInputs) -> Changes:
    """What the store gained from ``before`` (a snapshot's frame) to ``after``, with the new rows' sentences."""
    ident = ["art", "s", "p", "o", "status"]
    seen = before[ident].assign(status=before["status"].fillna("")).drop_duplicates()
    marked = after.frame.assign(status=after.frame["status"].fillna("")).merge(seen, on=ident, how="left",
                                                                               indicator=True)
    new_rows = after.frame[(marked["_merge"] == "left_only").to_numpy()]
    with gc_paused():
        return compute(before, after.frame, after.context, new_rows=new_rows,
                       evidence=after.evidence_of(set(new_rows["art"])))


def digest_run(location: str, before: pd.DataFrame, run_id: str, finished: datetime,
               folder: str | Path) -> DigestEntry:
    """Compare the store with ``before`` (a snapshot's frame), write the run's Markdown and the feed; returns
    the new entry."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ch = run_changes(before, snapshot(location))
    when = finished.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    short = _safe(run_id)
    title = f"ecokg run {short}: {ch.count:,} change{'s' if ch.count != 1 else ''}"
    md_name = f"{short}.md"
    md = to_markdown(ch, title=f"What changed in run {short}").replace(
        "the beginning to now", f"the previous run to {when}")
    _write_atomic(folder / md_name, md)
    html = "".join(item_html(i) for items in ch.sections.values() for i in items) or "<p>No changes.</p>"
    entry = DigestEntry(f"{FEED_ID}:run:{_safe(run_id)}", title, when, md_name, html)
    entries = [entry, *[e for e in _load(folder) if e.id != entry.id]][:KEEP]
    _write_atomic(folder / STATE, json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=1))
    _write_atomic(folder / FEED, feed_xml(entries))
    return entry


def feed_xml(entries: list[DigestEntry]) -> str:
    """The Atom feed of the digest entries (newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(feed, "id", FEED_ID + ":digest")
    sub(feed, "title", "ecokg: what changed after each run")
    sub(feed, "updated", entries[0].updated if entries else "1970-01-01T00:00:00Z")
    sub(sub(feed, "author"), "name", "ecokg")
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        sub(entry, "updated", e.updated)
        sub(entry, "link", href=e.markdown_file, rel="alternate", type="text/markdown")
        sub(entry, "content", e.html, type="html")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _load(folder: Path) -> list[DigestEntry]:
    try:
        raw = json.loads((folder / STATE).read_text(encoding="utf-8"))
        return [DigestEntry(**r) for r in raw if isinstance(r, dict)]
    except (OSError, ValueError, TypeError):
        return []  # no digest yet, or a damaged state file: start the feed again


def _safe(run_id: str) -> str:
    tail = run_id.rstrip("/").rsplit("/", 1)[-1]
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in tail)[:80] or "run"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["FEED", "KEEP", "STATE", "DigestEntry", "digest_run", "feed_xml", "snapshot"]
