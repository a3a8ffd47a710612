"""Sentence spans of an article, for both languages, as character offsets.

The relation model pairs entity mentions within a sentence and across neighbouring sentences, so it
needs sentences without a parser: Chinese has none here and the English parse is not on hand once
extraction is done. Hard-wrapped texts (a line break inside a sentence) keep the sentence whole; a
short line without end punctuation (a headline, a caption) is a sentence of its own.
"""

from __future__ import annotations

import re

_END = re.compile(
    r"[。！？!?；;]+[”」』\"')）]*"  # CJK and exclamation/question ends (a semicolon ends a clause-sentence too)
    r"|\.[”\"')]*(?=\s+[^a-z\s])"  # a full stop before a word that does not start in lower case
    r"|\n[ \t]*\n"
)
_ABBREV = frozenset({"mr", "ms", "mrs", "dr", "st", "vs", "co", "jr", "sr", "no", "inc", "corp", "ltd", "etc",
                     "u.s", "u.k", "e.g", "i.e", "jan", "feb", "aug", "sept", "oct", "nov", "dec"})
_WORD_BEFORE = re.compile(r"([\w.]+)\.[”\"')]*$")
_WRAP_MIN = 60  # a line at least this long that ends without punctuation continues on the next line
_ENDS = tuple("。！？!?.;；:：”\"」")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in order, covering the text's non-blank content."""
    cuts: set[int] = {0, len(text)}
    for m in _END.finditer(text):
        if m.group().startswith("."):
            w = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.end())
            word = w.group(1).lower() if w else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
        cuts.add(m.end())
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.rstrip()
        if stripped and (len(stripped) < _WRAP_MIN or stripped.endswith(_ENDS)):
            cuts.add(end)
        pos = end + 1
    out: list[tuple[int, int]] = []
    bounds = sorted(cuts)
    for a, b in zip(bounds, bounds[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        e = b
        while e > a and text[e - 1].isspace():
            e -= 1
        if e > a:
            out.append((a, e))
    return out


def sentence_index(spans: list[tuple[int, int]], offset: int) -> int:
    """The index of the sentence containing `offset` (binary search over sorted spans)."""
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
