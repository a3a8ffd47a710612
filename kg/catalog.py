"""The catalog of well-known vendors, products, standards, organizations, people and events.

The catalog is data (`kg/catalog.csv`), one row per real-world thing. Columns:

- ``type``: one of the schema's entity types;
- ``name``: the canonical English name (the name the gold files and the graph use);
- ``name_zh``: the usual Simplified Chinese name, if any;
- ``aliases``: other surface forms, any language, separated by ``|``;
- ``wikidata``: a Wikidata QID, only where certain;
- ``market``: a coarse market tag (cloud, containers, chips, mobile, ...);
- ``maker``: for a Product or Standard, the canonical name of the entity that makes it.

Event rows name recurring events without a year (``DockerCon``); the extractor
attaches the year found in the text.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.model import ENTITY_TYPES, entity_id

CATALOG_PATH = Path(__file__).with_name("catalog.csv")


class CatalogError(ValueError):
    """A malformed catalog row; the message names the file and line."""


@dataclass(frozen=True)
class CatalogEntry:
    type: str
    name: str
    name_zh: str = ""
    aliases: tuple[str, ...] = ()
    wikidata: str = ""
    market: str = ""
    maker: str = ""

    @property
    def id(self) -> str:
        return entity_id(self.type, self.name)

    def surface_forms(self) -> list[str]:
        """Every name the entry is known by: canonical, Chinese and aliases."""
        forms = [self.name]
        if self.name_zh:
            forms.append(self.name_zh)
        forms.extend(self.aliases)
        seen: set[str] = set()
        out = []
        for f in forms:
            if f and f not in seen:
                seen.add(f)
                out.append(f)
        return out


@dataclass
class Catalog:
    entries: list[CatalogEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def by_id(self) -> dict[str, CatalogEntry]:
        return {e.id: e for e in self.entries}

    def by_surface(self) -> dict[str, list[CatalogEntry]]:
        """Case-folded surface form -> entries (several where a name is ambiguous)."""
        index: dict[str, list[CatalogEntry]] = {}
        for e in self.entries:
            for f in e.surface_forms():
                index.setdefault(f.casefold(), []).append(e)
        return index


def parse_catalog(path: Path) -> Catalog:
    """Read and validate a catalog CSV; raise CatalogError naming the bad line."""
    entries: list[CatalogEntry] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        required = {"type", "name"}
        if not reader.fieldnames or not required <= set(reader.fieldnames):
            raise CatalogError(f"{path}:1: header must name at least {sorted(required)}")
        for row in reader:
            line = reader.line_num
            type_ = (row.get("type") or "").strip()
            name = (row.get("name") or "").strip()
            if type_ not in ENTITY_TYPES:
                raise CatalogError(f"{path}:{line}: unknown type {type_!r}")
            if not name:
                raise CatalogError(f"{path}:{line}: empty name")
            qid = (row.get("wikidata") or "").strip()
            if qid and not (qid.startswith("Q") and qid[1:].isdigit()):
                raise CatalogError(f"{path}:{line}: bad Wikidata id {qid!r}")
            entry = CatalogEntry(
                type=type_,
                name=name,
                name_zh=(row.get("name_zh") or "").strip(),
                aliases=tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
                wikidata=qid,
                market=(row.get("market") or "").strip(),
                maker=(row.get("maker") or "").strip(),
            )
            if entry.id in seen:
                raise CatalogError(f"{path}:{line}: duplicate of line {seen[entry.id]} ({entry.id})")
            seen[entry.id] = line
            entries.append(entry)
    return Catalog(entries)


@lru_cache(maxsize=4)
def load_catalog(path: str | None = None) -> Catalog:
    """The catalog, parsed once per process ($ECOKG_CATALOG overrides the bundled file)."""
    return parse_catalog(Path(path or os.environ.get("ECOKG_CATALOG") or CATALOG_PATH))
