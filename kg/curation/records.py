"""Corrections as RDF in the curation graph (``ecog:curation``), with PROV: who, when, why.

Each correction is one node ``cor:c-…`` (an ``eco:Correction`` and a
``prov:Activity``) written by one SPARQL Update, so it works the same on the
embedded store and on a remote SPARQL 1.1 server. Undoing adds
``prov:invalidatedAtTime`` (and who, why) to the node: nothing is deleted, the
history stays. Article graphs are never touched.

The correction nodes use their own predicates (``eco:correctionKind``,
``eco:correctedEntity``, ...), none of the article vocabulary, so they add no
fact, assertion or entity description to the union graph.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote

import pyoxigraph as ox

from kg.curation.model import Correction
from kg.namespace import AGENT, COR, CURATION_GRAPH, DCT, ECO, PROV, RDF, RDFS, XSD, class_iri, predicate_iri

G = ox.NamedNode(str(CURATION_GRAPH))
_A = ox.NamedNode(str(RDF.type))
_P = {
    "kind": ECO.correctionKind,
    "entity": ECO.correctedEntity,
    "into": ECO.mergedInto,
    "article": ECO.inArticle,
    "name": ECO.newName,
    "type": ECO.newType,
    "fs": ECO.factSubject,
    "fp": ECO.factPredicate,
    "fo": ECO.factObject,
    "note": ECO.note,
    "source": DCT.source,
    "evidence": ECO.assertedEvidence,
    "who": PROV.wasAssociatedWith,
    "when": PROV.endedAtTime,
    "why": RDFS.comment,
    "undone_at": PROV.invalidatedAtTime,
    "undone_by": ECO.undoneBy,
    "undo_why": ECO.undoReason,
}
P = {k: ox.NamedNode(str(v)) for k, v in _P.items()}
_BY_PRED = {v.value: k for k, v in P.items()}


def new_id() -> str:
    return "c-" + uuid.uuid4().hex[:10]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")  # orders corrections


def correction_iri(cid: str) -> str:
    return str(COR[cid])


def agent_iri(who: str) -> str:
    return str(AGENT[quote(who, safe="")])


def _lit(v: str) -> ox.Literal:
    return ox.Literal(v)


def _when(v: str) -> ox.Literal:
    return ox.Literal(v, datatype=ox.NamedNode(str(XSD.dateTime)))


def _agent_quads(who: str) -> list[ox.Quad]:
    a = ox.NamedNode(agent_iri(who))
    return [ox.Quad(a, _A, ox.NamedNode(str(PROV.Agent)), G), ox.Quad(a, ox.NamedNode(str(RDFS.label)), _lit(who), G)]


def to_quads(c: Correction) -> list[ox.Quad]:
    """The quads of one correction in the curation graph."""
    n = ox.NamedNode(correction_iri(c.id))
    out = [
        ox.Quad(n, _A, ox.NamedNode(str(ECO.Correction)), G),
        ox.Quad(n, _A, ox.NamedNode(str(PROV.Activity)), G),
        ox.Quad(n, P["kind"], _lit(c.kind), G),
        ox.Quad(n, P["who"], ox.NamedNode(agent_iri(c.who)), G),
        ox.Quad(n, P["when"], _when(c.when), G),
        ox.Quad(n, P["why"], _lit(c.why), G),
        *_agent_quads(c.who),
    ]
    if c.entity:
        out.append(ox.Quad(n, P["entity"], ox.NamedNode(c.entity), G))
    if c.into:
        out.append(ox.Quad(n, P["into"], ox.NamedNode(c.into), G))
    for art in c.articles:
        out.append(ox.Quad(n, P["article"], ox.NamedNode(art), G))
    if c.name:
        out.append(ox.Quad(n, P["name"], _lit(c.name), G))
    if c.type:
        out.append(ox.Quad(n, P["type"], ox.NamedNode(class_iri(c.type)), G))
    if c.fact:
        s, p, o = c.fact
        out += [
            ox.Quad(n, P["fs"], ox.NamedNode(s), G),
            ox.Quad(n, P["fp"], ox.NamedNode(predicate_iri(p)), G),
            ox.Quad(n, P["fo"], ox.NamedNode(o), G),
        ]
    for key in ("note", "source", "evidence"):
        v = getattr(c, key)
        if v:
            out.append(ox.Quad(n, P[key], _lit(v), G))
    return out


def _body(quads: Iterable[ox.Quad]) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def insert_update(c: Correction) -> str:
    """SPARQL Update adding one correction (one transaction)."""
    return f"INSERT DATA {{ GRAPH {G} {{\n{_body(to_quads(c))}\n}} }}"


def undo_update(cid: str, who: str, when: str, why: str | None) -> str:
    """SPARQL Update marking a correction undone (kept, with who undid it, when and why)."""
    n = ox.NamedNode(correction_iri(cid))
    quads = [
        ox.Quad(n, P["undone_at"], _when(when), G),
        ox.Quad(n, P["undone_by"], ox.NamedNode(agent_iri(who)), G),
        *_agent_quads(who),
    ]
    if why:
        quads.append(ox.Quad(n, P["undo_why"], _lit(why), G))
    return f"INSERT DATA {{ GRAPH {G} {{\n{_body(quads)}\n}} }}"


def exists(store) -> bool:
    """Whether the store holds any correction (in force or undone)."""
    return bool(store.query(f"ASK {{ GRAPH {G} {{ ?s ?p ?o }} }}", union=False))


def load(store) -> list[Correction]:
    """Every correction in the store (active and undone), oldest first."""
    q = f"SELECT ?c ?p ?v WHERE {{ GRAPH {G} {{ ?c a <{ECO.Correction}> ; ?p ?v }} }}"
    q_agents = f"SELECT ?a ?l WHERE {{ GRAPH {G} {{ ?a a <{PROV.Agent}> ; <{RDFS.label}> ?l }} }}"
    agents = {sol["a"].value: sol["l"].value for sol in store.query(q_agents, union=False)}
    raw: dict[str, dict[str, list[ox.Term]]] = {}
    for sol in store.query(q, union=False):
        key = _BY_PRED.get(sol["p"].value)
        if key:
            raw.setdefault(sol["c"].value, {}).setdefault(key, []).append(sol["v"])
    out = [_from_raw(iri, vals, agents) for iri, vals in raw.items()]
    out = [c for c in out if c is not None]
    out.sort(key=lambda c: (c.when, c.id))
    return out


def _from_raw(iri: str, vals: dict[str, list[ox.Term]], agents: dict[str, str]) -> Correction | None:
    def one(k: str) -> str | None:
        v = vals.get(k)
        return v[0].value if v else None

    kind, when = one("kind"), one("when")
    if not kind or not when:
        return None  # not a whole correction: ignored rather than guessed at
    fact = None
    if one("fs") and one("fp") and one("fo"):
        fact = (one("fs"), one("fp").rsplit("#", 1)[-1], one("fo"))  # type: ignore[union-attr]
    type_ = one("type")
    return Correction(
        id=iri[len(str(COR)):] if iri.startswith(str(COR)) else iri,
        kind=kind,
        who=agents.get(one("who") or "", one("who") or "?"),
        when=when,
        why=one("why") or "",
        entity=one("entity"),
        into=one("into"),
        articles=tuple(sorted(v.value for v in vals.get("article", []))),
        name=one("name"),
        type=type_.rsplit("#", 1)[-1] if type_ else None,
        fact=fact,  # type: ignore[arg-type]
        note=one("note"),
        source=one("source"),
        evidence=one("evidence"),
        undone_at=one("undone_at"),
        undone_by=agents.get(one("undone_by") or "", one("undone_by")),
        undo_why=one("undo_why"),
    )
