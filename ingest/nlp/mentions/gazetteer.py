"""Catalog lookup over raw text, shared by the English and Chinese extractors.

`Gazetteer.find` does a leftmost-longest scan for every surface form of every
catalog entry. Case rules keep common words from firing: short or all-caps
forms ("Arm", "AWS", "Go") match only in their exact case, longer forms match
case-insensitively except that a capitalised one-word form never matches an
all-lowercase word ("Oracle" is not "oracle", "Swarm" is not "swarm"). Latin
forms need word boundaries; CJK forms do not, since Chinese has no spaces.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from kg.catalog import Catalog, CatalogEntry, parse_catalog

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: Latin word characters: a Latin form must not touch these, but may touch CJK ("用Docker公司").
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f_]")
#: Forms this short (in characters) or all-caps match only in their exact case.
SHORT_FORM = 5


def _has_cjk(s: str) -> bool:
    return bool(_CJK.search(s))


def _exact_case(form: str) -> bool:
    """Whether a form is too short or too acronym-like to match case-insensitively."""
    letters = [c for c in form if c.isalpha()]
    return len(form) <= SHORT_FORM or (bool(letters) and all(c.isupper() for c in letters))


def _pattern(form: str) -> str:
    """Regex for one form: flexible inner white space, word boundaries at Latin ends."""
    parts = [re.escape(p) for p in form.split()]
    body = r"\s+".join(parts)
    # "Inc." may also appear as "Inc" or "Inc ." (a translation artefact)
    if body.endswith(r"\."):
        body = body[:-2] + r"\s?\.?"
    left = ""  # the scan in Gazetteer.find only tries word starts for Latin forms
    latin_end = r"(?![0-9A-Za-z\u00c0-\u024f_])"
    right = latin_end if form[-1].isalnum() and not _has_cjk(form[-1]) else ""
    if form[-1] == ".":
        right = latin_end
    return left + body + right


_SUFFIX = re.compile(r",?\s+(Inc\.?|Corp\.?|Corporation|Ltd\.?|LLC|Co\.|Limited|plc|GmbH|AG)$")


def _company_short_form(e: CatalogEntry) -> str | None:
    """'Docker Inc.' is also called 'Docker' (which may name its product too)."""
    if e.type != "Vendor":
        return None
    short = _SUFFIX.sub("", e.name).strip()
    return short if short != e.name and len(short) >= 3 else None


class Gazetteer:
    """Longest-match lookup of catalog surface forms in text."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or Catalog([])
        self._index: dict[str, list[CatalogEntry]] = self.catalog.by_surface()
        self._extra: dict[CatalogEntry, list[str]] = {}
        for e in self.catalog.entries:
            short = _company_short_form(e)
            if short and e not in self._index.get(short.casefold(), []):
                self._index.setdefault(short.casefold(), []).append(e)
                self._extra.setdefault(e, []).append(short)
        # forms bucketed by their first two characters, longest first, each with an
        # anchored regex (flexible inner white space, Latin word boundary at the end)
        self._buckets: dict[str, list[tuple[int, re.Pattern[str], bool]]] = {}
        for form in self._index_forms():
            if len(form) < 2:
                continue
            flags = 0 if _exact_case(form) else re.IGNORECASE
            rx = re.compile(_pattern(form), flags)
            self._buckets.setdefault(form[:2].casefold(), []).append((len(form), rx, flags == 0))
        for forms in self._buckets.values():
            forms.sort(key=lambda f: -f[0])

    def _index_forms(self) -> list[str]:
        forms: dict[str, None] = {}
        for e in self.catalog.entries:
            for f in e.surface_forms() + self._extra.get(e, []):
                if f.strip():
                    forms[f.strip()] = None
        return list(forms)

    def lookup(self, surface: str) -> list[CatalogEntry]:
        """Entries known by this surface form (case-insensitive, spacing-normalised)."""
        key = " ".join(surface.split()).casefold()
        hits = self._index.get(key)
        if hits is None and key.endswith(" ."):
            hits = self._index.get(key[:-2] + ".")
        if hits is None and key.endswith(("inc", "corp", "ltd", "co")):
            hits = self._index.get(key + ".")
        return list(hits or [])

    def find(self, text: str) -> list[tuple[int, int, CatalogEntry]]:
        """Non-overlapping (start, end, entry) spans, leftmost-longest first.

        An ambiguous form yields one span per entry it names, with equal offsets,
        so the caller can choose by context (e.g. company vs product).
        """
        out: list[tuple[int, int, CatalogEntry]] = []
        if not self._buckets:
            return out
        n = len(text)
        i = 0
        while i < n - 1:
            ch = text[i]
            if ch.isspace() or (ch.isalnum() and not _has_cjk(ch) and i and _WORD.match(text[i - 1])):
                i += 1  # a Latin form starts at a word boundary; CJK forms anywhere
                continue
            best = None
            for _, rx, exact in self._buckets.get(text[i:i + 2].casefold(), ()):
                m = rx.match(text, i)
                if m is None or (not exact and not self._case_ok(m.group(0))):
                    continue
                entries = self.lookup(m.group(0))
                if entries and (best is None or m.end() > best[0]):
                    best = (m.end(), entries)
            if best is None:
                i += 1
                continue
            out.extend((i, best[0], entry) for entry in best[1])
            i = best[0]
        return out

    def _case_ok(self, got: str) -> bool:
        """Reject an all-lowercase hit for a form that is only known capitalised."""
        if not got.islower() or " " in got.strip():
            return True
        return any(f == f.lower() for e in self.lookup(got) for f in e.surface_forms()
                   if f.casefold() == got.casefold())

    def products_by_tail(self, surface: str) -> list[CatalogEntry]:
        """Products named "<Maker> <surface>" ('MongoDB Atlas' for 'Atlas'), for short mentions."""
        if not hasattr(self, "_tails"):
            tails: dict[str, list[CatalogEntry]] = {}
            for e in self.catalog.entries:
                words = e.name.split()
                if e.type == "Product" and len(words) >= 2:
                    tails.setdefault(" ".join(words[1:]).casefold(), []).append(e)
            self._tails = tails
        return list(self._tails.get(" ".join(surface.split()).casefold(), []))

    def jieba_words(self) -> list[str]:
        """Surface forms the Chinese segmenter should keep whole (those with CJK)."""
        return [f for f in self._index_forms() if _has_cjk(f)]

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer over the project catalog (`ECOKG_CATALOG` overrides), cached."""
        return _default_gazetteer(os.environ.get("ECOKG_CATALOG", ""))


@lru_cache(maxsize=4)
def _default_gazetteer(path: str) -> Gazetteer:
    from kg.catalog import CATALOG_PATH

    p = Path(path) if path else CATALOG_PATH
    if not p.exists():
        return Gazetteer(Catalog([]))
    return Gazetteer(parse_catalog(p))
