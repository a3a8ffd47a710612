"""Catalog matching that works inside Chinese text.

Chinese has no spaces, so a Latin name is usually glued to CJK characters
("收购GitHub的", "微软Windows系统"). Regex word boundaries treat CJK as
word characters and miss those names, so this matcher only requires that a
Latin end is not next to another Latin letter or digit. Spacing is flexible
("Docker公司" = "Docker 公司", "Docker Inc ." = "Docker Inc.") and the text is
matched both as written and folded to Simplified, so Traditional forms work
whether or not the catalog lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.catalog import CatalogEntry

_LATIN = re.compile(r"[A-Za-z0-9]")
_ALNUM_TAIL = re.compile(r"[A-Za-z0-9]$")
#: Forms this short, or all-caps, must match in their exact case.
SHORT_FORM = 5


def norm_key(form: str) -> str:
    """Index key: case-folded, no white space, no trailing dot ("Inc." = "Inc")."""
    return re.sub(r"\s+", "", form.casefold()).rstrip(".")


def _form_atoms(form: str) -> list[str]:
    """Regex atoms for one form, with optional white space between script changes."""
    out: list[str] = []
    prev = ""
    for ch in form.strip():
        if ch.isspace():
            if out and out[-1] != r"\s*":
                out.append(r"\s*")
            prev = " "
            continue
        if prev and prev != " " and (_LATIN.match(prev) is None) != (_LATIN.match(ch) is None):
            if out[-1] != r"\s*":
                out.append(r"\s*")
        out.append(r"\s?\." if ch == "." else re.escape(ch.casefold()))
        prev = ch
    if out and out[-1] == r"\s?\.":  # "Inc." also as "Inc" or "Inc ."
        out[-1] = r"(?:\s?\.)?"
    return out


def _trie_regex(forms: list[str]) -> str:
    """One regex for many forms, shaped as a trie so matching stays fast.

    Children are tried before a form ends at a node, so the longest form wins.
    """
    root: dict = {}
    for f in forms:
        node = root
        for a in _form_atoms(f):
            node = node.setdefault(a, {})
        node[""] = {}

    def emit(node: dict) -> str:
        # optional white space last: "HarmonyOS NEXT" must not stop at "Harmony OS"'s end
        kids = [a + emit(sub) for a, sub in sorted(node.items(), key=lambda kv: (kv[0] == r"\s*", kv[0])) if a]
        if not kids:
            return ""
        body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body if len(kids) == 1 and len(body) <= 2 else "(?:" + body + ")"

    return emit(root)


_COMPANY_SUFFIX = re.compile(r",?\s+(?:Inc\.?|Corp\.?|Corporation|Ltd\.?|LLC|Co\.|Limited|plc|GmbH|AG)$")


def company_short_forms(e: CatalogEntry) -> list[str]:
    """'Docker Inc.' is also called 'Docker' (which may name its product too)."""
    if e.type != "Vendor":
        return []
    short = _COMPANY_SUFFIX.sub("", e.name).strip()
    return [short] if short != e.name and len(short) >= 3 else []


@dataclass(frozen=True)
class Hit:
    """A catalog match: span and the entries the surface may name."""

    start: int
    end: int
    entries: tuple[CatalogEntry, ...]


class CatalogMatcher:
    """Leftmost-longest matcher over every catalog surface form."""

    def __init__(self, entries: list[CatalogEntry]) -> None:
        self.index: dict[str, list[CatalogEntry]] = {}
        self.exact: dict[str, set[str]] = {}
        all_forms: set[str] = set()
        for e in entries:
            for f in e.surface_forms() + company_short_forms(e):
                all_forms.add(f.strip())
                f = f.strip()
                if not f:
                    continue
                k = norm_key(f)
                if not k:
                    continue
                lst = self.index.setdefault(k, [])
                if e not in lst:
                    lst.append(e)
                self.exact.setdefault(k, set()).add(re.sub(r"\s+", "", f).rstrip("."))
        forms = sorted(f for f in all_forms if f)
        self.rx = re.compile(_trie_regex(forms), re.IGNORECASE) if forms else None

    def lookup(self, surface: str) -> list[CatalogEntry]:
        """Entries for a surface form (case-insensitive, spacing-free)."""
        return list(self.index.get(norm_key(surface), []))

    def _case_ok(self, got: str) -> bool:
        key = norm_key(got)
        compact = re.sub(r"\s+", "", got).rstrip(".")
        forms = self.exact.get(key, set())
        if compact in forms:
            return True
        letters = [c for c in compact if c.isalpha() and c.isascii()]
        if not letters:
            return True
        for f in forms:
            if len(f) <= SHORT_FORM or all(c.isupper() for c in f if c.isalpha() and c.isascii()):
                continue  # exact-case form, exact match already failed
            if compact.islower() and not f.islower():
                continue
            return True
        return False

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping hits, leftmost-longest, Latin ends not glued to Latin."""
        if self.rx is None:
            return []
        out: list[Hit] = []
        pos = 0
        n = len(text)
        while pos < n:
            m = self.rx.search(text, pos)
            if m is None:
                break
            s, e = m.span()
            got = m.group(0)
            while e > s and text[e - 1].isspace():
                e -= 1
            got = text[s:e]
            ok = e > s and self._case_ok(got)
            if ok and _LATIN.match(got[0]) and s > 0 and _LATIN.match(text[s - 1]):
                ok = False
            if ok and _ALNUM_TAIL.search(got) and e < n and _LATIN.match(text[e]):
                # allow a camel-case join onto an acronym: "OracleERP"
                ok = got[-1].islower() and _glued_ok(text[e:e + 12])
            entries = self.lookup(got) if ok else []
            if entries:
                out.append(Hit(s, e, tuple(entries)))
                pos = e
            else:
                pos = s + 1
        return out


_GLUED_JARGON = re.compile(r"(?:IaaS|PaaS|SaaS|FaaS|CaaS|API|SDK|AI|IoT|App|OS)(?![a-z])|[A-Z]{2,}(?![a-z])")


def _glued_ok(rest: str) -> bool:
    """A catalog name may be glued to an acronym or jargon word ("OracleERP")."""
    return _GLUED_JARGON.match(rest) is not None


def catalog_entries(gazetteer) -> list[CatalogEntry] | None:
    """The catalog behind a gazetteer, when it exposes one."""
    cat = getattr(gazetteer, "catalog", None)
    entries = getattr(cat, "entries", None)
    return list(entries) if entries is not None else None


_CACHE: dict[int, tuple[object, CatalogMatcher]] = {}


def matcher_for(gazetteer) -> CatalogMatcher | None:
    """The (cached) matcher for a gazetteer's catalog; None if it hides its catalog."""
    key = id(gazetteer)
    got = _CACHE.get(key)
    if got is not None and got[0] is gazetteer:
        return got[1]
    entries = catalog_entries(gazetteer)
    if entries is None:
        return None
    m = CatalogMatcher(entries)
    _CACHE[key] = (gazetteer, m)
    return m


def find_hits(text: str, folded: str, gazetteer) -> list[Hit]:
    """Catalog hits in the text as written and folded to Simplified, merged."""
    m = matcher_for(gazetteer)
    if m is None:  # plain gazetteer interface: use its own find
        groups: dict[tuple[int, int], list[CatalogEntry]] = {}
        for s, e, entry in list(gazetteer.find(text)) + list(gazetteer.find(folded)):
            lst = groups.setdefault((s, e), [])
            if entry not in lst:
                lst.append(entry)
        cands = [Hit(s, e, tuple(v)) for (s, e), v in groups.items()]
    else:
        cands = m.find(text)
        if folded != text:
            cands += m.find(folded)
    cands.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[Hit] = []
    last = -1
    for h in cands:
        if h.start >= last:
            out.append(h)
            last = h.end
    return out
