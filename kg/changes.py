"""What changed in the ecosystem between two states of the graph, with the sentences that say so.

``compute`` compares the facts that hold *before* with those that hold *after*
(``kg.timeline.merge``) and lists, each item with its evidence sentences and articles:

- new and ended rivalries (competesWith) and alliances (partnersWith), new acquisitions;
- new products and standards (first named in a fact after the before state);
- standards gaining backers (new subjects of supports / contributesTo / develops / sponsors);
- the entities whose PageRank rank rose or fell most (present in both graphs);
- communities merged (two camps of before mostly in one camp after) or split (one camp of
  before spread over several after, each holding at least 2 and a quarter of its members).

``changes(store, start, end)`` takes the graph as of the day before ``start`` and as of
``end`` (dates of the assertions, ``kg.timeline``); the scheduler's digest takes the store
before and after a run. Same input, same output: every list is sorted, the camps are seeded.
"""

from __future__ import annotations

import copy
import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kg.analytics import SYMMETRIC_PREDICATES  # the contract's constants, as kg.analytics holds them
from kg.graph_fast import pagerank_and_communities
from kg.namespace import ENDED_STATUS, sparql_prefixes
from kg.sparql_frame import select_frame
from kg.store import Store
from kg.timeline import TimeError, check_window, graph_values, in_window, merge, parse_day, timed_facts

if TYPE_CHECKING:
    from kg.curation.overlay import Overlay

SECTIONS: dict[str, str] = {
    "new_rivalries": "New rivalries",
    "ended_rivalries": "Ended rivalries",
    "new_alliances": "New alliances",
    "ended_alliances": "Ended alliances",
    "acquisitions": "Acquisitions",
    "new_products": "New products",
    "new_standards": "New standards",
    "standards_gaining_backers": "Standards gaining backers",
    "centrality_rose": "Rising in centrality",
    "centrality_fell": "Falling in centrality",
    "communities_merged": "Communities merged",
    "communities_split": "Communities split",
}
FACT_SECTIONS = {"competesWith": ("new_rivalries", "ended_rivalries"),
                 "partnersWith": ("new_alliances", "ended_alliances"),
                 "acquired": ("acquisitions", None)}
BACKING = ("supports", "contributesTo", "develops", "sponsors")
EVIDENCE_PER_ITEM = 3
TOP_MOVERS = 5
MIN_CAMP = 3


@dataclass
class Evidence:
    text: str
    article: str
    title: str | None
    url: str | None
    date: str | None


@dataclass
class Item:
    """One change: a line for people, the entities and fact it is about, and why we believe it."""

    kind: str
    text: str
    date: str | None = None
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    entities: list[str] = field(default_factory=list)
    detail: dict[str, object] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Changes:
    start: str | None
    end: str | None
    market: str | None
    sections: dict[str, list[Item]]

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.sections.values())

    def to_json(self) -> dict:
        return {"from": self.start, "to": self.end, "market": self.market, "count": self.count,
                "sections": {k: [_item_json(i) for i in v] for k, v in self.sections.items()}}


def _item_json(item: Item) -> dict:
    """``dataclasses.asdict`` of an item, without its deep copies (3x faster on 10k items)."""
    out = {f: getattr(item, f) for f in _ITEM_FIELDS}
    out["entities"] = list(item.entities)
    out["detail"] = copy.deepcopy(item.detail)
    out["evidence"] = [{f: getattr(e, f) for f in _EVIDENCE_FIELDS} for e in item.evidence]
    return out


_ITEM_FIELDS = [f.name for f in fields(Item)]
_EVIDENCE_FIELDS = [f.name for f in fields(Evidence)]


@dataclass
class Context:
    """What naming and citing need: labels, types, article metadata (read once per store)."""

    labels: dict[str, str]
    types: dict[str, str]
    articles: dict[str, tuple[str | None, str | None, str | None]]  # art -> (title, url, date)
    markets: dict[str, set[str]] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1]


def read_context(store: Store, lang: str = "en") -> Context:
    """Labels (catalog first; the language asked, else English, else any), types, articles, markets."""
    from kg.namespace import CATALOG_GRAPH, ECO, ENTITIES_GRAPH

    P = sparql_prefixes()
    lab = select_frame(store, P + "SELECT ?g ?e ?l (LANG(?l) AS ?lang) WHERE { VALUES ?g { <%s> <%s> } "
                       "GRAPH ?g { ?e rdfs:label ?l } }" % (CATALOG_GRAPH, ENTITIES_GRAPH))
    labels: dict[str, str] = {}
    if not lab.empty:
        lang_col = lab["lang"].where(lab["lang"] != "", "en")
        lab = lab.assign(score=(lang_col != lang).astype(int) * 2 + (lang_col != "en").astype(int),
                         later=(lab["g"] != str(CATALOG_GRAPH)).astype(int), n=range(len(lab)))
        best = lab.sort_values(["e", "score", "later", "n"], kind="stable").drop_duplicates("e")
        labels = dict(zip(best["e"], best["l"], strict=True))
    ty = select_frame(store, P + "SELECT ?e ?c WHERE { GRAPH ecog:entities { ?e a ?c } }")
    ty = ty[ty["c"].str.startswith(str(ECO))].drop_duplicates("e")
    types = dict(zip(ty["e"], ty["c"].str.slice(len(str(ECO))), strict=True))
    arts_f = select_frame(store, P + """SELECT ?art ?title ?url ?date WHERE { GRAPH ?art { ?art a schema:NewsArticle
        OPTIONAL { ?art schema:headline ?title } OPTIONAL { ?art schema:url ?url }
        OPTIONAL { ?art schema:datePublished ?date } } }""").drop_duplicates("art")
    arts = {a: (t or None, u or None, d[:10] or None) for a, t, u, d in
            zip(arts_f["art"], arts_f["title"], arts_f["url"], arts_f["date"], strict=True)}
    markets: dict[str, set[str]] = defaultdict(set)
    for e, m in select_frame(store, P + "SELECT ?e ?m WHERE { GRAPH ecog:entities { ?e eco:market ?m } }"
                             ).itertuples(index=False, name=None):
        markets[m.casefold()].add(e)
    markets = dict(markets)
    ov = _overlay(store)
    if ov:  # analysts' renames, retypes and merges; asserted facts cite their correction
        from kg.curation.frames import asserted_articles, correct_descriptions

        correct_descriptions(labels, types, markets, ov, lang)
        arts.update(asserted_articles(ov))
    return Context(labels, types, arts, markets)


def _overlay(store: Store) -> Overlay:
    from kg.curation.actions import load_overlay

    return load_overlay(store)


_EVIDENCE = """SELECT ?art ?s ?p ?o ?status ?evidence WHERE { %s
    GRAPH ?art { %s ?a eco:subject ?s ; eco:predicate ?p ; eco:object ?o ; eco:evidence ?evidence
                 OPTIONAL { ?a eco:status ?status } } }"""


EVIDENCE_COLUMNS = ["art", "s", "p", "o", "status", "evidence"]


_SCANS = {"evidence": "SELECT ?art ?a ?evidence WHERE { GRAPH ?art { ?a eco:evidence ?evidence } }",
          "s": "SELECT ?a ?s WHERE { GRAPH ?g { ?a eco:subject ?s } }",
          "p": "SELECT ?a ?p WHERE { GRAPH ?g { ?a eco:predicate ?p } }",
          "o": "SELECT ?a ?o WHERE { GRAPH ?g { ?a eco:object ?o } }",
          "status": "SELECT ?a ?status WHERE { GRAPH ?g { ?a eco:status ?status } }"}


def all_evidence(store: Store, graphs: Iterable[str] | None = None, asserted: bool = True) -> pd.DataFrame:
    """Every evidence sentence of the store (art, s, p, o, status, evidence), as corrected: what the
    disk cache keeps (``kg.time_cache``), so any span is served without reading the store.

    One scan per property, joined on the assertion here: on 130k assertions 4.4 s of CPU where
    the four-way join in one query took 5.6 s. One after the other: side by side they took
    100 MB more at their peak and, on two busy cores, no less wall clock. With ``graphs``, those
    named graphs only, and ``asserted=False`` leaves the analysts' asserted facts out (``kg.warm_cache``).
    """
    P = sparql_prefixes()

    def read(art: str, g: str) -> pd.DataFrame:
        scan = {k: v.replace("GRAPH ?art", art + "GRAPH ?art").replace("GRAPH ?g", g + "GRAPH ?g")
                for k, v in _SCANS.items()}
        ev = select_frame(store, P + scan["evidence"])
        for k in ("s", "p", "o"):
            ev = ev.merge(select_frame(store, P + scan[k]), on="a", how="inner")
        ev = ev.merge(select_frame(store, P + scan["status"]).drop_duplicates("a"), on="a", how="left")
        ev["status"] = ev["status"].fillna("")
        return ev

    if graphs is None:
        parts = [read("", "")]
    else:
        parts = [read(v, v.replace("?art", "?g", 1)) for v in graph_values(graphs, "art")]
    return _finish_evidence(store, parts, None, asserted)


def evidence_rows(store: Store, rows: pd.DataFrame, chunk: int = 500) -> pd.DataFrame:
    """The evidence sentences of the articles of these timed rows: art, s, p, o, status, evidence.

    ``timed_facts`` reads no evidence (it is most of the bytes); ``changes`` reads it here
    for the rows it reports only: the articles published between the earliest and latest
    publication date of the rows (one range scan), and the few undated ones by name.
    """
    P = sparql_prefixes()
    parts = []
    dated = rows["date"].dropna()
    if not dated.empty:
        lo, hi = str(dated.min()), str(dated.max())
        window = ('?art schema:datePublished ?d FILTER(?d >= "%s"^^xsd:date && ?d <= "%s"^^xsd:date)'
                  % (lo[:10], hi[:10])) if _DAYS.match(lo) and _DAYS.match(hi) else ""
        if window:
            parts.append(select_frame(store, P + _EVIDENCE % ("", window)))
    undated = sorted(set(rows.loc[rows["date"].isna(), "art"]))
    for k in range(0, len(undated), chunk):
        values = " ".join(f"<{a}>" for a in undated[k:k + chunk] if a.startswith(("http://", "https://")))
        if values:
            parts.append(select_frame(store, P + _EVIDENCE % ("VALUES ?art { %s }" % values, "")))
    return _finish_evidence(store, parts, set(rows["art"]))


def _finish_evidence(store: Store, parts: list[pd.DataFrame], arts: set[str] | None,
                     asserted: bool = True) -> pd.DataFrame:
    """Local predicate names, corrections applied (asserted facts' sentences added), one symmetric order."""
    ov = _overlay(store)
    parts = [x[EVIDENCE_COLUMNS] for x in parts if not x.empty]
    if not parts and not ov:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EVIDENCE_COLUMNS})
    ev = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {c: pd.Series(dtype="object") for c in EVIDENCE_COLUMNS})
    ev["p"] = ev["p"].str.rsplit("#", n=1).str[-1]
    if ov:
        from kg.curation.frames import asserted_frame, correct_rows

        ev = correct_rows(ev, ov)
        extra = asserted_frame(ov, EVIDENCE_COLUMNS) if asserted else pd.DataFrame()
        ev = pd.concat([ev, extra], ignore_index=True) if not extra.empty else ev
    if arts is not None:
        ev = ev[ev["art"].isin(arts)]
    ev = ev.reset_index(drop=True)
    sym = (ev["p"].isin(SYMMETRIC_PREDICATES) & (ev["o"] < ev["s"])).to_numpy()
    if sym.any():
        ev.loc[sym, ["s", "o"]] = ev.loc[sym, ["o", "s"]].to_numpy()
    ev["status"] = ev["status"].where(ev["status"].fillna("") != "", None)
    return ev


_DAYS = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ------------------------------------------------------------------ computing
def restrict_to_market(frame: pd.DataFrame, ctx: Context, market: str | None) -> pd.DataFrame:
    """Assertions of facts with at least one end in the market (catalog ``eco:market``)."""
    if not market:
        return frame
    members = ctx.markets.get(market.casefold())
    if not members:
        known = ", ".join(sorted(ctx.markets)) or "none"
        raise TimeError(f"no entity belongs to market {market!r} (markets: {known})")
    return frame[frame["s"].isin(members) | frame["o"].isin(members)]


def compute(before: pd.DataFrame, after: pd.DataFrame, ctx: Context, *, new_rows: pd.DataFrame | None = None,
            evidence: pd.DataFrame | None = None, start: str | None = None, end: str | None = None,
            market: str | None = None) -> Changes:
    """The changes from the ``before`` assertions to the ``after`` ones (timed frames, after ⊇ before).

    ``new_rows`` (default: the rows of ``after`` whose ``a`` is not in ``before``) are the
    assertions the changes rest on; ``evidence`` (art, s, p, o, status, evidence) supplies
    their sentences when the frames carry none (``timed_facts``).
    """
    if new_rows is None:  # the rows of after that before lacks, by what they say (two reads of a store differ in row order)
        ident = ["art", "s", "p", "o", "status"]
        seen = before[ident].assign(status=before["status"].fillna("")).drop_duplicates()
        marked = after.assign(status=after["status"].fillna("")).merge(seen, on=ident, how="left", indicator=True)
        new_rows = after[(marked["_merge"] == "left_only").to_numpy()]
    sentences: dict[tuple, list[str]] | None = None
    if evidence is not None:  # (art, s, p, o, status) -> the sentences, one dict instead of a join on strings
        sentences = defaultdict(list)
        cols = [evidence[c].to_numpy(dtype=object, na_value=None) for c in ("art", "s", "p", "o", "status", "evidence")]
        for art, s_, p_, o_, st, text in zip(*cols, strict=True):
            sentences[(art, s_, p_, o_, st or "")].append(text)
    b_all, a_all = merge(before, dates=False), merge(after, dates=False)
    b_act, a_act = b_all[b_all["active"].astype(bool)], a_all[a_all["active"].astype(bool)]
    b_facts = b_act[b_act["p"].isin(list(FACT_SECTIONS))]
    b_keys = set(zip(b_facts["s"].to_numpy(), b_facts["p"].to_numpy(), b_facts["o"].to_numpy(), strict=True))
    ev = _EvidenceIndex(new_rows, ctx, sentences)
    sections: dict[str, list[Item]] = {k: [] for k in SECTIONS}

    for pred, (new_kind, end_kind) in FACT_SECTIONS.items():
        for s, o, first in a_act[a_act["p"] == pred][["s", "o", "first_date"]].itertuples(index=False, name=None):
            if (s, pred, o) in b_keys:
                continue
            rows = ev.fact(s, pred, o, ended=False)
            sections[new_kind].append(_fact_item(new_kind, s, pred, o, rows, ctx, first))
        if end_kind:
            ended = a_all[(a_all["p"] == pred) & ~a_all["active"].astype(bool) & a_all["ended"].notna()]
            for s, o, when in ended[["s", "o", "ended"]].itertuples(index=False, name=None):
                rows = ev.fact(s, pred, o, ended=True)
                if rows:  # ended by an assertion added in this span
                    sections[end_kind].append(_fact_item(end_kind, s, pred, o, rows, ctx, when))

    seen_before = set(b_all["s"]) | set(b_all["o"])
    makers_of: dict[str, list[str]] = defaultdict(list)
    dev = a_act[a_act["p"] == "develops"]
    for maker, made in zip(dev["s"].to_numpy(), dev["o"].to_numpy(), strict=True):
        makers_of[made].append(maker)
    present = sorted((set(a_act["s"]) | set(a_act["o"])) - seen_before)
    for kind, etype in (("new_products", "Product"), ("new_standards", "Standard")):
        for e in present:
            if ctx.types.get(e) != etype:
                continue
            rows = ev.entity(e)
            makers = sorted(makers_of.get(e, ()))
            text = f"{ctx.label(e)}" + (f" (by {', '.join(ctx.label(m) for m in makers)})" if makers else "")
            sections[kind].append(Item(kind, text, _first(rows), entities=[e],
                                       detail={"makers": makers}, evidence=rows))

    backing_b = _backers(b_act, ctx)
    for std, backers in sorted(_backers(a_act, ctx).items()):
        gained = sorted(backers - backing_b.get(std, set()))
        if not gained:
            continue
        rows = [r for g in gained for r in ev.pair(g, std)][:EVIDENCE_PER_ITEM]
        text = (f"{ctx.label(std)}: {', '.join(ctx.label(g) for g in gained)} "
                f"({len(backing_b.get(std, set()))} → {len(backers)} backers)")
        sections["standards_gaining_backers"].append(Item(
            "standards_gaining_backers", text, _first(rows), entities=[std, *gained],
            detail={"gained": gained, "backers_before": len(backing_b.get(std, set())), "backers_after": len(backers)},
            evidence=rows))

    pr_b, comm_b = pagerank_and_communities(b_act)
    pr_a, comm_a = pagerank_and_communities(a_act)
    rank_b, rank_a = _ranks(pr_b), _ranks(pr_a)
    moves = [(rank_b[e] - rank_a[e], e) for e in rank_a if e in rank_b and rank_b[e] != rank_a[e]]
    for kind, chosen in (("centrality_rose", sorted((m for m in moves if m[0] > 0), key=lambda m: (-m[0], m[1]))),
                         ("centrality_fell", sorted((m for m in moves if m[0] < 0), key=lambda m: (m[0], m[1])))):
        for delta, e in chosen[:TOP_MOVERS]:
            rows = ev.entity(e)
            text = f"{ctx.label(e)}: rank {rank_b[e]} → {rank_a[e]} ({'+' if delta > 0 else ''}{delta})"
            sections[kind].append(Item(kind, text, _first(rows), entities=[e], evidence=rows, detail={
                "rank_before": rank_b[e], "rank_after": rank_a[e], "pagerank_before": pr_b[e],
                "pagerank_after": pr_a[e]}))

    merged, split = compare_communities(comm_b, comm_a)
    members_b: dict[int, list[str]] = defaultdict(list)
    for e, c in sorted(comm_b.items()):
        members_b[c].append(e)
    for after_camp, before_camps in merged:
        groups = [members_b[c] for c in before_camps]
        names = [_camp_name(g, pr_a, ctx) for g in groups]
        rows = ev.between(groups)
        sections["communities_merged"].append(Item(
            "communities_merged", " + ".join(names) + " are now one camp", _first(rows),
            entities=sorted({e for g in groups for e in g}), evidence=rows,
            detail={"before": [sorted(g) for g in groups], "after_camp": after_camp}))
    for before_camp, after_camps in split:
        group = members_b[before_camp]
        parts = [sorted(e for e in group if comm_a.get(e) == c) for c in after_camps]
        rows = ev.any_of(group)
        text = f"{_camp_name(group, pr_b, ctx)} split into " + " / ".join(_camp_name(p, pr_a, ctx) for p in parts)
        sections["communities_split"].append(Item(
            "communities_split", text, _first(rows), entities=sorted(group), evidence=rows,
            detail={"before": sorted(group), "after": parts}))

    for kind, items in sections.items():
        if not kind.startswith("centrality_"):
            items.sort(key=lambda i: (i.date or "", i.text, i.subject or "", i.object or ""))
    return Changes(start, end, market, sections)


def compare_communities(before: dict[str, int], after: dict[str, int]) -> tuple[list, list]:
    """(merged, split): [(after camp, [before camps])], [(before camp, [after camps])].

    Only camps of at least ``MIN_CAMP`` members present in both graphs count; a before camp
    belongs to the after camp holding most of its members (ties: the lower number).
    """
    groups: dict[int, list[str]] = defaultdict(list)
    for e, c in before.items():
        if e in after:
            groups[c].append(e)
    home: dict[int, int] = {}
    split = []
    for c, members in sorted(groups.items()):
        if len(members) < MIN_CAMP:
            continue
        counts: dict[int, int] = defaultdict(int)
        for e in members:
            counts[after[e]] += 1
        home[c] = min(counts, key=lambda k: (-counts[k], k))
        big = sorted(k for k, n in counts.items() if n >= 2 and n * 4 >= len(members))
        if len(big) >= 2:
            split.append((c, big))
    by_home: dict[int, list[int]] = defaultdict(list)
    for c, h in home.items():
        by_home[h].append(c)
    merged = [(h, sorted(cs)) for h, cs in sorted(by_home.items()) if len(cs) >= 2]
    return merged, split


def _camp_name(members: list[str], pr: dict[str, float], ctx: Context) -> str:
    top = sorted(members, key=lambda e: (-pr.get(e, 0.0), e))[:3]
    return "{" + ", ".join(ctx.label(e) for e in top) + ("…" if len(members) > 3 else "") + "}"


def _ranks(pr: dict[str, float]) -> dict[str, int]:
    """1 = highest PageRank; scores equal to 10 decimals tie and are ordered by IRI (stable across backends)."""
    if not pr:
        return {}
    names = np.array(list(pr), dtype=object)
    scores = np.round(np.fromiter(pr.values(), dtype=float, count=len(pr)), 10)
    order = np.lexsort((names, -scores))  # the last key sorts first
    return {str(names[i]): r for r, i in enumerate(order, start=1)}


def _backers(active: pd.DataFrame, ctx: Context) -> dict[str, set[str]]:
    """Standard -> the entities that back it (the standards' rows picked in bulk, not one by one)."""
    out: dict[str, set[str]] = defaultdict(set)
    rows = active[active["p"].isin(BACKING)]
    rows = rows[rows["o"].map(ctx.types).eq("Standard").to_numpy()]
    for s, o in rows[["s", "o"]].itertuples(index=False, name=None):
        out[o].add(s)
    return out


def _first(rows: list[Evidence]) -> str | None:
    dates = [r.date for r in rows if r.date]
    return min(dates) if dates else None


def _fact_item(kind: str, s: str, p: str, o: str, rows: list[Evidence], ctx: Context, when: str | None) -> Item:
    verb = {"competesWith": "vs", "partnersWith": "+", "acquired": "acquired"}[p]
    text = f"{ctx.label(s)} {verb} {ctx.label(o)}"
    return Item(kind, text, _first(rows) or when, s, p, o, [s, o], evidence=rows)


class _EvidenceIndex:
    """The assertions added between the two states, indexed by fact, entity and pair.

    Rows are tuples (time or "~" when undated, article, s, p, o, sentence, status, time),
    so a plain sort orders them by time, then article and sentence: the same evidence
    whatever order the store returned the rows in. Lists are sorted when read.
    """

    def __init__(self, rows: pd.DataFrame, ctx: Context, sentences: dict[tuple, list[str]] | None = None) -> None:
        self.ctx = ctx
        self.by_fact: dict[tuple, list] = defaultdict(list)
        self.by_entity: dict[str, list] = defaultdict(list)
        self.by_pair: dict[tuple[str, str], list] = defaultdict(list)
        cols = [rows[c].to_numpy(dtype=object, na_value=None) for c in ("s", "p", "o", "art", "evidence", "when", "status")]
        # the date shown: the event date at the precision the sentence gave ("2014"), else the article's
        shown = rows["shown"] if "shown" in rows.columns else pd.Series([None] * len(rows), index=rows.index)
        cols.append(shown.where(shown.notna(), rows["date"]).to_numpy(dtype=object, na_value=None))
        for s, p, o, art, text, when, status, day in zip(*cols, strict=True):
            texts = sentences.get((art, s, p, o, status or ""), [""]) if sentences is not None else [text]
            for t in texts:
                r = (when or "~", art, s, p, o, t or "", status, day)
                self.by_fact[(s, p, o, status == ENDED_STATUS)].append(r)
                self.by_entity[s].append(r)
                self.by_entity[o].append(r)
                self.by_pair[(s, o)].append(r)

    def _ev(self, rows: list) -> list[Evidence]:
        out, seen = [], set()
        for _key, art, _s, _p, _o, text, _st, when in sorted(rows):
            if (art, text) in seen:
                continue
            seen.add((art, text))
            title, url, pub = self.ctx.articles.get(art, (None, None, None))
            out.append(Evidence(text, art, title, url, when or pub))
            if len(out) >= EVIDENCE_PER_ITEM:
                break
        return out

    def fact(self, s: str, p: str, o: str, ended: bool) -> list[Evidence]:
        return self._ev(self.by_fact.get((s, p, o, ended), []))

    def entity(self, e: str) -> list[Evidence]:
        return self._ev(self.by_entity.get(e, []))

    def pair(self, a: str, b: str) -> list[Evidence]:
        return self._ev(self.by_pair.get((a, b), []) + self.by_pair.get((b, a), []))

    def any_of(self, members: list[str]) -> list[Evidence]:
        return self._ev(sorted(r for e in members for r in self.by_entity.get(e, []))[: EVIDENCE_PER_ITEM * 4])

    def between(self, groups: list[list[str]]) -> list[Evidence]:
        camp = {e: i for i, g in enumerate(groups) for e in g}
        rows = [r for e in sorted(camp) for r in self.by_entity.get(e, [])
                if r[2] in camp and r[4] in camp and camp[r[2]] != camp[r[4]]]
        return self._ev(rows)


# ------------------------------------------------------------------ from the store
def day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def changes(store: Store | None, start: str | None, end: str | None, market: str | None = None,
            frame: pd.DataFrame | None = None, ctx: Context | None = None,
            evidence: pd.DataFrame | Callable[[set[str]], pd.DataFrame] | None = None) -> Changes:
    """The changes from the start of ``start`` to the end of ``end`` (YYYY, YYYY-MM, YYYY-MM-DD or YYYYQn).

    ``frame``, ``ctx`` and ``evidence`` (``all_evidence``, or a function giving the sentences
    of a set of articles) may come from a cache (``kg.time_cache``); the store is read for
    what is not given (none of it: ``store`` may be None).
    """
    lo, hi = parse_day(start), parse_day(end, end=True)
    check_window(lo, hi)
    if store is None and (ctx is None or frame is None):
        raise ValueError("changes without a store needs the frame and the context")
    ctx = ctx or read_context(store)  # type: ignore[arg-type]
    frame = timed_facts(store) if frame is None else frame  # type: ignore[arg-type]
    frame = restrict_to_market(frame, ctx, market)
    before = in_window(frame, None, day_before(lo)) if lo else frame.iloc[0:0]
    after = in_window(frame, None, hi) if hi else frame[frame["when"].notna()]
    new_rows = in_window(frame, lo, hi) if lo else after
    if callable(evidence):
        evidence = evidence(set(new_rows["art"]))
    elif evidence is not None:  # every sentence of the store: keep those of the span's articles
        evidence = evidence[evidence["art"].isin(set(new_rows["art"]))]
    elif not (new_rows["evidence"] != "").any():  # the fast frame: read the reported rows' sentences
        if store is None:
            raise ValueError("changes without a store needs the evidence")
        evidence = evidence_rows(store, new_rows)
    with gc_paused():
        return compute(before, after, ctx, new_rows=new_rows, evidence=evidence, start=lo, end=hi, market=market)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic collector paused for a bulk step.

    The frames hold about a million strings; the step makes few reference cycles but many
    objects, so each collection it triggers rescans all of them (0.5 s of 1.8 s of compute on
    100k facts, bench/README.md figure 8). Resumed afterwards, when it was running before.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


__all__ = ["BACKING", "EVIDENCE_COLUMNS", "SECTIONS", "Changes", "Context", "Evidence", "Item", "all_evidence",
           "changes", "compare_communities", "compute", "day_before", "gc_paused", "evidence_rows", "read_context",
           "restrict_to_market"]
