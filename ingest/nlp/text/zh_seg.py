"""Chinese word segmentation: spaCy's blank Chinese pipeline with jieba.

Loading jieba's dictionary and teaching it the catalog's Chinese names is the
expensive part, so it happens once per process and gazetteer. Segmentation is
used only where word boundaries matter (a person's name after a title, the
left edge of "...大学"), never for the catalog names themselves.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

_LOCK = threading.Lock()
_WORDS_ADDED: set[str] = set()


@dataclass(frozen=True)
class Tok:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _nlp():
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.max_length = 10_000_000
    nlp("初始化")
    return nlp


@lru_cache(maxsize=1)
def pos_tags() -> dict[str, str]:
    """jieba's word -> part-of-speech table (tells names 'nr' from common words)."""
    import jieba.posseg as pseg

    dt = pseg.dt
    if hasattr(dt, "_check_initialized"):
        dt._check_initialized()
    return dict(getattr(dt, "word_tag_tab", {}))


def add_words(words: list[str]) -> None:
    """Teach jieba catalog names once per process (so they stay whole)."""
    import jieba

    with _LOCK:
        for w in words:
            w = w.strip()
            if w and w not in _WORDS_ADDED and " " not in w:
                jieba.add_word(w, freq=50_000)
                _WORDS_ADDED.add(w)


def prepare(gazetteer) -> None:
    """Load the segmenter and add the gazetteer's Chinese names (idempotent)."""
    _nlp()
    words = getattr(gazetteer, "jieba_words", None)
    if callable(words):
        add_words(list(words()))


def tokens(text: str, offset: int = 0) -> list[Tok]:
    """jieba tokens of text, through spaCy's tokenizer, with offsets; spaces dropped."""
    doc = _nlp().make_doc(text)
    out = []
    for t in doc:
        if t.text.strip():
            out.append(Tok(offset + t.idx, offset + t.idx + len(t.text), t.text))
    return out


class Segmenter:
    """Segments only the windows a detector asks about.

    Whole-article segmentation costs more than everything else together, and
    word edges matter only next to a few cues (a title, 大学, a gloss), so
    windows are segmented on demand and cached.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[tuple[int, int], list[Tok]] = {}

    def window(self, start: int, end: int) -> list[Tok]:
        start, end = max(0, start), min(len(self.text), end)
        key = (start, end)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = tokens(self.text[start:end], start) if end > start else []
        return got

    def token_after(self, pos: int, width: int = 8) -> list[Tok]:
        """Tokens of the window starting at pos."""
        return self.window(pos, pos + width)

    def token_before(self, pos: int, width: int = 8) -> list[Tok]:
        """Tokens of the window ending at pos."""
        return self.window(pos - width, pos)
