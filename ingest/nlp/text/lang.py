"""Language detection for article text: English or Chinese.

Only two languages are in scope, so a character census is enough and far cheaper
than a statistical detector: text is Chinese when CJK ideographs make up a fair
share of its letters (mixed zh/en tech text keeps many Latin product names, so
the threshold is well below one half).
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

#: CJK characters per Latin word above which text counts as Chinese. One Chinese
#: word is about 1.5 characters, so 0.3 means "about a fifth of the words are Chinese".
CJK_SHARE = 0.3


def cjk_count(text: str) -> int:
    """Number of CJK ideographs (Simplified and Traditional share the blocks)."""
    return len(_CJK.findall(text))


def detect_lang(text: str) -> str:
    """Return "zh" when CJK ideographs are a substantial share of the text, else "en".

    The share compares CJK characters with Latin words (not letters), since one
    English word carries roughly the content of one to two Chinese characters.
    """
    cjk = cjk_count(text)
    if cjk == 0:
        return "en"
    latin_words = len(_LATIN_WORD.findall(text))
    return "zh" if cjk >= CJK_SHARE * (cjk + latin_words) else "en"
