"""The active corrections applied to rows read from the extracted graph (pure: no store here).

Every view that ecokg builds (the app's snapshot, ``kg.queries.facts`` for
analytics and exports, entity descriptions, the gold export) reads rows from
the article graphs and passes them through an ``Overlay``:

- an entity IRI is *resolved*: a split sends it, in the split's articles, to
  the new entity; a merge sends it to the entity it was merged into (chains
  followed);
- an assertion is dropped when its fact (after resolution) is rejected
  everywhere or in its article, when a side is not an entity, or when a merge
  made it a fact about one entity with itself;
- facts analysts asserted are added, with the correction as their "article";
- types and names follow retype and rename; a merged entity's names become
  aliases of the entity it went into, a renamed one's old name an alias.

Corrections apply in the order they were made.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.curation.model import Correction, fact_key
from kg.curation.records import correction_iri
from kg.namespace import entity_iri

ASSERTED_CONFIDENCE = 1.0


class Overlay:
    """Lookups compiled from the active corrections."""

    def __init__(self, corrections: Iterable[Correction] = ()) -> None:
        self.corrections = [c for c in corrections if c.active]
        self.split: dict[tuple[str, str], str] = {}  # (entity, article) -> entity it means there
        self.merged: dict[str, str] = {}  # merged-away entity -> the entity it went into
        self.names: dict[str, str] = {}  # entity -> its corrected (English) name
        self.old_names: dict[str, list[str]] = {}  # entity -> names it had before a rename
        self.types: dict[str, str] = {}  # entity -> corrected type
        self.junk: set[str] = set()  # not entities
        self.rejected: set[tuple[str, str, str]] = set()  # facts rejected everywhere
        self.rejected_in: set[tuple[str, str, str, str]] = set()  # (fact..., article)
        self.asserted: list[Correction] = []
        for c in self.corrections:
            self._add(c)

    def _add(self, c: Correction) -> None:
        if c.kind == "merge" and c.entity and c.into:
            self.merged[c.entity] = c.into
        elif c.kind == "split" and c.entity and c.name and c.type:
            new = entity_iri(c.type, c.name)
            for art in c.articles:
                self.split[(c.entity, art)] = new
            self.types.setdefault(new, c.type)
            self.names.setdefault(new, c.name)
        elif c.kind == "rename" and c.entity and c.name:
            self.names[c.entity] = c.name
        elif c.kind == "retype" and c.entity and c.type:
            self.types[c.entity] = c.type
        elif c.kind == "not-entity" and c.entity:
            self.junk.add(c.entity)
        elif c.kind == "reject" and c.fact:
            key = fact_key(*c.fact)
            if c.articles:
                self.rejected_in.update((*key, a) for a in c.articles)
            else:
                self.rejected.add(key)
        elif c.kind == "assert" and c.fact:
            self.asserted.append(c)

    def __bool__(self) -> bool:
        return bool(self.corrections)

    # ------------------------------------------------------------------ entities
    def resolve(self, iri: str, article: str | None = None) -> str:
        """The entity an IRI stands for after splits (in that article) and merges."""
        for _ in range(64):  # chains of merges and splits; the checks refuse cycles
            nxt = self.split.get((iri, article), iri) if article is not None and self.split else iri
            nxt = self.merged.get(nxt, nxt)
            if nxt == iri:
                return iri
            iri = nxt
        return iri

    def is_entity(self, iri: str) -> bool:
        return iri not in self.junk

    def affected_entities(self) -> set[str]:
        """Entities whose mentions or descriptions the corrections change (for recounting)."""
        out = set(self.merged) | set(self.merged.values()) | self.junk
        for (e, _), new in self.split.items():
            out.update((e, new))
        return out

    def merged_into(self, iri: str) -> list[str]:
        """Entities merged (directly or through a chain) into this one."""
        return [e for e in self.merged if e != iri and self.resolve(e) == iri]

    def raw_iris(self, iri: str) -> list[str]:
        """The extracted IRIs that may stand for this entity after corrections (itself included)."""
        out = {iri, *self.merged_into(iri)}
        out |= {e for (e, _), new in self.split.items() if self.resolve(new) == iri}
        return sorted(out)

    # ------------------------------------------------------------------ facts
    def keeps(self, s: str, p: str, o: str, article: str | None) -> bool:
        """Whether an assertion (already resolved) survives the corrections."""
        if s in self.junk or o in self.junk or s == o:
            return False
        key = fact_key(s, p, o)
        if key in self.rejected:
            return False
        return not (article is not None and (*key, article) in self.rejected_in)

    def assertion_rows(self, rows: Iterable[dict], *, with_asserted: bool = True) -> list[dict]:
        """Assertion rows (keys s, p, o, art, conf, evidence, ...) corrected; asserted facts added."""
        out = []
        for r in rows:
            art = r.get("art")
            s, o = self.resolve(r["s"], art), self.resolve(r["o"], art)
            if not self.keeps(s, r["p"], o, art):
                continue
            if s != r["s"] or o != r["o"]:
                r = {**r, "s": s, "o": o}
            out.append(r)
        if with_asserted:
            out.extend(self.asserted_rows())
        return out

    def asserted_rows(self) -> list[dict]:
        """The facts analysts asserted, as assertion rows whose article is the correction itself."""
        out = []
        for c in self.asserted:
            s, p, o = c.fact  # type: ignore[misc]
            s, o = self.resolve(s), self.resolve(o)
            if s in self.junk or o in self.junk or s == o:
                continue
            text = c.evidence or c.note or ""
            if c.source:
                text = f"{text} (analyst: {c.who}; source: {c.source})".strip()
            out.append({"s": s, "p": p, "o": o, "art": correction_iri(c.id), "conf": ASSERTED_CONFIDENCE,
                        "evidence": text, "date": None})
        return out

    # ------------------------------------------------------------------ descriptions
    def type_of(self, iri: str, extracted: str | None) -> str | None:
        return self.types.get(iri, extracted)

    def entity_types(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """(entity, type) pairs -> entity -> type, corrected (merged-away and junk entities left out)."""
        out: dict[str, str] = {}
        for e, t in pairs:
            if e in self.merged or e in self.junk:
                continue
            out.setdefault(e, t)
        for e, t in self.types.items():
            if e not in self.junk and e not in self.merged:
                out[e] = t
        return out

    def labels(self, labels: dict[str, dict[str, str]], aliases: dict[str, list[str]]) -> tuple[
        dict[str, dict[str, str]], dict[str, list[str]]
    ]:
        """Labels per language and aliases, corrected: renames, and the names of merged-away entities
        as aliases of the entity they went into. Inputs are not changed."""
        labels = {e: dict(v) for e, v in labels.items()}
        aliases = {e: list(v) for e, v in aliases.items()}
        for e, name in self.names.items():
            old = labels.setdefault(e, {}).get("en")
            if old and old != name:
                aliases.setdefault(e, []).append(old)
            labels[e]["en"] = name
        for e in list(self.merged):
            into = self.resolve(e)
            extra = [*labels.get(e, {}).values(), *aliases.get(e, [])]
            have = set(aliases.get(into, [])) | set(labels.get(into, {}).values())
            aliases.setdefault(into, []).extend(n for n in dict.fromkeys(extra) if n not in have)
        for e in self.junk | set(self.merged):
            labels.pop(e, None)
            aliases.pop(e, None)
        return labels, aliases

    def mention_counts(self, counts: dict[str, int], pairs: Iterable[tuple[str, str]]) -> dict[str, int]:
        """Articles mentioning each entity, corrected. ``pairs`` are the (entity, article) mentions of
        every entity in ``affected_entities()``; the others keep their count."""
        affected = self.affected_entities()
        out = {e: n for e, n in counts.items() if e not in affected}
        arts: dict[str, set[str]] = {}
        for e, art in pairs:
            r = self.resolve(e, art)
            if r not in self.junk:
                arts.setdefault(r, set()).add(art)
        for e, found in arts.items():
            out[e] = len(found)
        return out
