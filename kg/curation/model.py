"""What a correction is: one analyst's change to what the extracted graph says, with who, when and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES

#: The kinds of correction, in the words of the CLI.
KINDS: tuple[str, ...] = ("merge", "split", "rename", "retype", "reject", "assert", "not-entity")

MAX_NAME = 200  # characters of a name
MAX_TEXT = 2000  # characters of a reason, note, source or evidence
MAX_ARTICLES = 1000  # articles one split names


class CurationError(ValueError):
    """A correction that cannot be made (unknown entity, conflict, bad input), with a one-line message."""


@dataclass(frozen=True)
class Correction:
    """One correction as stored. Fields a kind does not use stay empty.

    - merge: ``entity`` is merged into ``into`` (its names become aliases of ``into``)
    - split: in ``articles``, ``entity`` means another thing, named ``name`` of type ``type``
    - rename: ``entity`` is called ``name`` (the old name stays an alias)
    - retype: ``entity`` is of type ``type``
    - reject: the fact ``fact`` is wrong, in ``articles`` only, or everywhere when empty
    - assert: the fact ``fact`` holds (``note``, ``source``; in ``articles`` with ``evidence`` if given)
    - not-entity: ``entity`` is not a real entity (it and its facts disappear)
    """

    id: str
    kind: str
    who: str
    when: str  # ISO 8601 UTC
    why: str
    entity: str | None = None
    into: str | None = None
    articles: tuple[str, ...] = ()
    name: str | None = None
    type: str | None = None
    fact: tuple[str, str, str] | None = None  # (subject IRI, predicate local name, object IRI)
    note: str | None = None
    source: str | None = None
    evidence: str | None = None
    undone_at: str | None = None
    undone_by: str | None = None
    undo_why: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def summary(self, label=lambda iri: iri) -> str:
        """One line for people: what the correction does."""
        k = self.kind
        where = f" in {len(self.articles)} article(s)" if self.articles else ""
        if k == "merge":
            return f"merge {label(self.entity)} into {label(self.into)}"
        if k == "split":
            return f"split {label(self.entity)}{where} off as {self.name} ({self.type})"
        if k == "rename":
            return f"rename {label(self.entity)} to {self.name}"
        if k == "retype":
            return f"retype {label(self.entity)} as {self.type}"
        if k == "not-entity":
            return f"{label(self.entity)} is not an entity"
        s, p, o = self.fact or ("?", "?", "?")
        verb = "reject" if k == "reject" else "assert"
        scope = where if k == "reject" and self.articles else (" everywhere" if k == "reject" else "")
        return f"{verb} {label(s)} {p} {label(o)}{scope}"


def fact_key(s: str, p: str, o: str) -> tuple[str, str, str]:
    """A fact as compared: symmetric predicates in a fixed argument order."""
    if p in SYMMETRIC_PREDICATES and o < s:
        s, o = o, s
    return (s, p, o)


def check_type(type_: str) -> str:
    for t in ENTITY_TYPES:
        if t.casefold() == (type_ or "").strip().casefold():
            return t
    raise CurationError(f"unknown type {type_!r}: one of {', '.join(ENTITY_TYPES)}")


def check_predicate(p: str) -> str:
    name = (p or "").strip()
    name = name.rsplit("#", 1)[-1].removeprefix("eco:")
    if name not in PREDICATES:
        raise CurationError(f"unknown predicate {p!r}: one of {', '.join(PREDICATES)}")
    return name


def check_text(what: str, value: str | None, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    """A reason, note or name: stripped, bounded, one line for names; required ones non-empty."""
    v = (value or "").strip()
    if not v:
        if required:
            raise CurationError(f"give {what}")
        return None
    if len(v) > limit:
        raise CurationError(f"{what} is too long ({len(v)} characters, at most {limit})")
    if "\x00" in v:
        raise CurationError(f"{what} holds a NUL character")
    return v


def check_name(value: str | None) -> str:
    v = check_text("a name", value, required=True, limit=MAX_NAME)
    assert v is not None
    if "\n" in v or "\r" in v:
        raise CurationError("a name is one line")
    return v
