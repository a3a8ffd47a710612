"""A leading front-matter block in text and Markdown files (pure).

The team's corpus articles start with

    ---
    title: Docker and CoreOS found the Open Container Initiative
    date: 2015-06-22
    lang: en
    url: https://example.org/oci
    ---

The block is metadata, not article text: it is cut off before extraction and its
fields become the article's title, date, language and URL. Only simple
``key: value`` lines are read (no YAML parser: nothing in a file may build objects).
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>(?:[^\n]*\n){0,40}?)---[ \t]*(?:\n|\Z)")
_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
KEYS = frozenset({"title", "date", "lang", "language", "url", "author", "source"})


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(fields, text without the block); ({}, text) when the text has no front matter.

    A block counts only when it opens on the first line and every line in it is
    ``key: value`` (or blank or a ``#`` comment), so a Markdown horizontal rule is not taken for one.
    """
    m = _BLOCK.match(text)
    if not m:
        return {}, text
    fields: dict[str, str] = {}
    for line in m.group("body").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        lm = _LINE.match(line)
        if not lm:
            return {}, text
        key = lm.group("key").lower()
        value = lm.group("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key in KEYS and value:
            fields["lang" if key == "language" else key] = value
    return fields, text[m.end():].lstrip("\n")


__all__ = ["KEYS", "split_front_matter"]
