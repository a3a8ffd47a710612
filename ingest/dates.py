"""Dates written in articles, English and Chinese, parsed without guessing (pure functions).

Articles carry their publication date in many shapes: "June 22, 2015", "22 June 2015",
"2015年6月22日", "2015/06/22", "2015-06-22", or only a month ("2015年6月", "June 2015"). ecokg
keeps dates as ISO strings whose length is their precision: "2015" (year), "2015-06" (month),
"2015-06-22" (day). Only the first lines of an article are searched for its publication
date (a dateline or a date in the first paragraph); a date later in the text is about some
event, not about the article.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_ZH_NUM = "〇零一二三四五六七八九十"

#: Patterns of one date each, most precise first; every one names year, and month / day where it has them.
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<!\d)" + _YEAR + r"\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号號]"),
    re.compile(r"(?<![\d/.-])" + _YEAR + r"(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d/.-]*\d)"),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR + r"\b", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b", re.IGNORECASE),
    re.compile(r"(?<!\d)" + _YEAR + r"\s*年\s*(?P<month>\d{1,2})\s*月(?!\s*\d)"),
    re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.IGNORECASE),
)


def iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """The ISO string of a date of year, month or day precision; None when it does not exist."""
    if not 1900 <= year <= 2099:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    year = int(parts["year"])
    if parts.get("mon"):
        month: int | None = MONTHS[parts["mon"].lower().rstrip(".")]
    else:
        month = int(parts["month"]) if parts.get("month") else None
    day = int(parts["day"]) if parts.get("day") else None
    return iso(year, month, day)


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every date in the text as (start, end, iso), in text order, overlapping shapes resolved to the most precise."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _from_match(m)
            if value:
                found.append((m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return sorted(found)


def parse_date(value: str | None) -> str | None:
    """One date written alone ("2015-06-22", "June 22, 2015", "2015年6月", "2015") as ISO, else None.

    Front matter and metadata values go through here; a timestamp keeps its date part.
    """
    if not value:
        return None
    text = str(value).strip().strip("\"'")
    m = re.fullmatch(r"((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?(?:[T ][\d:.+\-Z]*)?", text)
    if m:
        return iso(int(m.group(1)), int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None)
    hits = find_dates(text)
    return hits[0][2] if hits else None


#: How far into the text a publication date may stand: a dateline or the first paragraph.
LEAD_CHARS = 400


def publication_date(text: str) -> str | None:
    """The article's date from its dateline or first paragraph, or None.

    The first non-empty lines up to the end of the first paragraph (at most
    ``LEAD_CHARS`` characters) are searched; the first date found wins.
    """
    lead = _lead(text)
    hits = find_dates(lead)
    return hits[0][2] if hits else None


def _lead(text: str) -> str:
    stripped = text.lstrip()
    paragraphs = [p for p in re.split(r"\n\s*\n", stripped[: LEAD_CHARS * 2]) if p.strip()]
    if not paragraphs:
        return ""
    lead = paragraphs[0]
    if len(paragraphs) > 1 and len(lead) < 120:  # a headline or a dateline alone: the first paragraph too
        lead += "\n" + paragraphs[1]
    return lead[:LEAD_CHARS]


def first_day(value: str | None) -> str | None:
    """The first day of a date of any precision ("2015" -> "2015-01-01"), for ordering and windows."""
    if not value:
        return None
    if len(value) == 4:
        return value + "-01-01"
    if len(value) == 7:
        return value + "-01"
    return value[:10]


def precision(value: str) -> str:
    """'year', 'month' or 'day', from the length of an ISO date string."""
    return {4: "year", 7: "month"}.get(len(value), "day")


__all__ = ["DATE_PATTERNS", "LEAD_CHARS", "MONTHS", "find_dates", "first_day", "iso", "parse_date", "precision",
           "publication_date"]
