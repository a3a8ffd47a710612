"""The date a sentence gives its event, resolved against the article's date (pure).

"In 2013 Docker was released", "last March", "去年三月", "2014年12月", "two years ago":
a fact's own time is often not its article's. ``event_date(sentence, anchor)`` returns the
first such time in the sentence as ISO with its precision ("2013", "2015-03",
"2015-06-22"), or None. Expressions relative to the article ("last year", "去年",
"last month", "yesterday") need the article's date (``anchor``, ISO of any precision) and
give None without it; absolute ones ("June 22, 2015", "in 2013") do not.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ingest.dates import MONTHS, find_dates, iso

_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9, "十": 10}
_EN_NUMBERS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_ZH_MONTH = r"(?P<zm>十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])\s*月(?![\d份]*[日号號])"
_ZH_NUM = r"(?P<n>[一二两兩三四五六七八九十]|\d{1,2})"

#: (name, pattern) in the order they are tried at each position; the earliest match in the sentence wins.
RELATIVE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("zh_year_month", re.compile(r"(?P<rel>去年|今年|明年|前年)\s*" + _ZH_MONTH)),
    ("zh_year", re.compile(r"(?P<rel>去年|今年|明年|前年)")),
    ("zh_month", re.compile(r"(?P<rel>上个月|上個月|本月|这个月|這個月|下个月|下個月)")),
    ("zh_day", re.compile(r"(?P<rel>昨天|昨日|今天|今日|前天)")),
    ("zh_ago", re.compile(_ZH_NUM + r"\s*(?P<unit>年|个月|個月)前")),
    ("en_rel_month", re.compile(r"\b(?P<rel>last|this|next)\s+(?P<mon>" + _MONTH_NAMES + r")\b", re.IGNORECASE)),
    ("en_rel", re.compile(r"\b(?P<rel>last|this|next|earlier\s+this|later\s+this)\s+(?P<unit>year|month|week)\b",
                          re.IGNORECASE)),
    ("en_day", re.compile(r"\b(?P<rel>yesterday|today)\b", re.IGNORECASE)),
    ("en_ago", re.compile(r"\b(?P<n>\d{1,2}|one|a|an|two|three|four|five|six|seven|eight|nine|ten)\s+"
                          r"(?P<unit>years?|months?)\s+ago\b", re.IGNORECASE)),
    ("en_in_month", re.compile(r"\b(?:in|since|by|until|during|early|late|mid-?)\s+(?P<mon>" + _MONTH_NAMES
                               + r")\b(?![\s.,]*(?:\d{1,2}\b|(?:19|20)\d\d))", re.IGNORECASE)),
)
#: A year alone: after "in", "since", "by", "during", "early", "late", "mid", "of", "from", or before 年.
YEAR_ONLY = (
    re.compile(r"\b(?:in|since|by|during|early|late|mid-?|of|from|until|through)\s+(?:the\s+(?:year|end\s+of)\s+)?"
               r"(?P<year>(?:19|20)\d\d)\b(?!\s*[-/.]\d)", re.IGNORECASE),
    re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d\d)\s*年(?!\s*(?:\d|[一二三四五六七八九十]+\s*月))"),
)


def _anchor_date(anchor: str | None) -> date | None:
    if not anchor or len(anchor) < 4 or not anchor[:4].isdigit():
        return None
    parts = anchor[:10].split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_ZH_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    return _ZH_DIGITS.get(text, 0)


def _shift_month(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) + months
    return total // 12, total % 12 + 1


def _relative(name: str, m: re.Match[str], a: date) -> str | None:
    g = m.groupdict()
    rel = (g.get("rel") or "").lower()
    if name in ("zh_year_month", "zh_year"):
        year = a.year + {"前年": -2, "去年": -1, "今年": 0, "明年": 1}[rel]
        return iso(year, _zh_number(g["zm"])) if name == "zh_year_month" else iso(year)
    if name == "zh_month":
        offset = -1 if rel in ("上个月", "上個月") else 1 if rel in ("下个月", "下個月") else 0
        return iso(*_shift_month(a, offset))
    if name in ("zh_day", "en_day"):
        back = {"昨天": 1, "昨日": 1, "前天": 2, "yesterday": 1}.get(rel, 0)
        return (a - timedelta(days=back)).isoformat()
    if name in ("zh_ago", "en_ago"):
        n = _zh_number(g["n"]) if name == "zh_ago" else (int(g["n"]) if g["n"].isdigit() else _EN_NUMBERS[g["n"].lower()])
        if g["unit"].startswith(("年", "year")):
            return iso(a.year - n)
        return iso(*_shift_month(a, -n))
    if name == "en_rel_month":
        month = MONTHS[g["mon"].lower()]
        if rel == "this":
            return iso(a.year, month)
        if rel == "next":
            return iso(a.year + (1 if month <= a.month else 0), month)
        return iso(a.year - (1 if month >= a.month else 0), month)  # the latest such month before the article
    if name == "en_rel":
        unit = g["unit"].lower()
        step = -1 if rel == "last" else 1 if rel == "next" else 0
        if unit == "year":
            return iso(a.year + step)
        if unit == "month":
            return iso(*_shift_month(a, step))
        return (a + timedelta(weeks=step)).isoformat()
    if name == "en_in_month":  # "in March" with no year: the latest March not after the article
        month = MONTHS[g["mon"].lower()]
        return iso(a.year - (1 if month > a.month else 0), month)
    return None


def event_date(sentence: str, anchor: str | None = None) -> str | None:
    """The first date the sentence states for its event (absolute, year only, or relative to ``anchor``)."""
    if not sentence:
        return None
    candidates: list[tuple[int, str]] = [(s, v) for s, _e, v in find_dates(sentence)]
    for pattern in YEAR_ONLY:
        for m in pattern.finditer(sentence):
            if not any(s <= m.start("year") < s + 30 and v.startswith(m.group("year")) for s, v in candidates):
                candidates.append((m.start("year"), m.group("year")))
    a = _anchor_date(anchor)
    if a is not None:
        for name, pattern in RELATIVE:
            for m in pattern.finditer(sentence):
                value = _relative(name, m, a)
                if value:
                    candidates.append((m.start(), value))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], -len(c[1])))
    return candidates[0][1]


__all__ = ["RELATIVE", "YEAR_ONLY", "date_relations", "event_date"]


def date_relations(relations: list, anchor: str | None) -> None:
    """Give each relation the event date its evidence states (relative to the article date ``anchor``).

    Called where the article's date is known (ingestion, ``ecokg extract``), after extraction.
    A date the extractor already set is kept.
    """
    for rel in relations:
        if rel.event_date is None:
            rel.event_date = event_date(rel.evidence, anchor)
