"""What the app reads from the store, as pandas tables, and the graph filter applied to them.

A ``Snapshot`` is read once per store generation (a handful of bulk queries);
every filter change then works on these tables in memory, so pages stay fast.
No Streamlit here: these are plain functions the tests and benchmarks call too.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from kg import queries, timeline
from kg.analytics import build_graph, neighbourhood
from kg.curation import view as curation_view
from kg.curation.actions import load_overlay
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.namespace import local_name
from kg.queries import Fact
from kg.store import Store

FACT_COLUMNS = ["s", "p", "o", "articles", "confidence", "first_date", "last_date"]


@dataclass
class Snapshot:
    """Everything the graph pages need, read in bulk from one store generation."""

    assertions: pd.DataFrame  # s, p, o, art, conf, evidence, date, status ("ended" or None), when
    entities: pd.DataFrame  # index iri: type, label_en, label_zh, articles, search
    articles: pd.DataFrame  # art, url, title, date, lang, ingested
    generation: int = 0
    _labels: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    @property
    def date_bounds(self) -> tuple[str | None, str | None]:
        dates = self.assertions["when" if "when" in self.assertions.columns else "date"].dropna()
        if dates.empty:
            return None, None
        return str(dates.min()), str(dates.max())

    def label(self, iri: str, lang: str = "en") -> str:
        """The entity's label in the language, else English, else any label, else its local name."""
        return self.labels(lang).get(iri) or local_name(iri)

    def labels(self, lang: str = "en") -> dict[str, str]:
        """iri -> display label for every entity, computed once per language (do not mutate)."""
        cached = self._labels.get(lang)
        if cached is None:
            e = self.entities
            primary = e["label_zh"] if lang == "zh" else e["label_en"]
            out = primary.where(primary.astype(bool), e["label_en"])
            out = out.where(out.astype(bool), e["label_zh"])
            out = out.where(out.astype(bool), pd.Series([local_name(i) for i in e.index], index=e.index))
            cached = self._labels[lang] = out.to_dict()
        return cached


def read_snapshot(store: Store, generation: int = 0) -> Snapshot:
    """Bulk-read assertions, entities and articles (a few queries, no per-entity round trips).

    The queries run side by side: Oxigraph evaluates them outside the GIL, so
    the first load takes about the longest query rather than the sum.
    """
    jobs = {
        "articles": queries.articles, "assertions": queries.assertion_rows, "types": queries.entity_types,
        "counts": queries.mention_counts, "labels": queries.raw_labels, "aliases": queries.alt_labels,
        "corrections": load_overlay,
    }
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="ecokg-snapshot") as pool:
        futures = {name: pool.submit(fn, store) for name, fn in jobs.items()}
        got = {name: fut.result() for name, fut in futures.items()}
    got = curation_view.snapshot_tables(store, got)  # analysts' corrections on top of what was extracted

    arts = pd.DataFrame(got["articles"], columns=["art", "url", "title", "date", "lang", "ingested"])
    arts["date"] = arts["date"].map(_iso_date)
    date_of = dict(zip(arts["art"], arts["date"], strict=False))

    a = pd.DataFrame(got["assertions"], columns=["s", "p", "o", "art", "conf", "evidence", "status", "event"])
    a["date"] = a["art"].map(date_of)
    a["conf"] = a["conf"].astype(float)
    # an assertion's time (kg.timeline): the event date its sentence gives, else its article's date
    event = a["event"].map(lambda v: timeline.first_day(v) if isinstance(v, str) else None)
    a["when"] = event.where(event.notna(), a["date"])
    a = a.drop(columns=["event"])

    types: dict[str, str] = {}
    for r in got["types"]:
        if r["type"] in ENTITY_TYPES:
            types.setdefault(str(r["e"]), str(r["type"]))
    counts = got["counts"]
    names = got["labels"]
    aliases: dict[str, list[str]] = {}
    for r in got["aliases"]:
        aliases.setdefault(str(r["e"]), []).append(str(r["label"]))
    iris = sorted(set(counts) | set(a["s"]) | set(a["o"]))
    rows = []
    for iri in iris:
        lab = names.get(iri, {})
        en = lab.get("en") or ""
        zh = lab.get("zh") or ""
        words = [en, zh, *lab.values(), *aliases.get(iri, [])]
        rows.append(
            {
                "iri": iri,
                "type": types.get(iri, ""),
                "label_en": en,
                "label_zh": zh,
                "aliases": " | ".join(aliases.get(iri, [])),
                "articles": counts.get(iri, 0),
                "search": "\x1f".join(w.casefold() for w in words if w),
            }
        )
    ents = pd.DataFrame(rows, columns=["iri", "type", "label_en", "label_zh", "aliases", "articles", "search"])
    ents = ents.set_index("iri")
    return Snapshot(assertions=a, entities=ents, articles=arts, generation=generation)


def entity_assertions(snap: Snapshot, iri: str) -> list[dict[str, object]]:
    """Every assertion about an entity with its article's url, title and date, from memory.

    Same rows as ``kg.queries.entity_evidence`` (predicate as a local name), ordered
    by predicate then confidence, without a store round trip per profile.
    """
    a = snap.assertions
    return _with_articles(snap, a[(a["s"] == iri) | (a["o"] == iri)])


def pair_assertions(snap: Snapshot, x: str, y: str) -> list[dict[str, object]]:
    """Every assertion joining two entities, either way round (as ``kg.queries.evidence_between``)."""
    a = snap.assertions
    return _with_articles(snap, a[((a["s"] == x) & (a["o"] == y)) | ((a["s"] == y) & (a["o"] == x))])


def _with_articles(snap: Snapshot, rows: pd.DataFrame) -> list[dict[str, object]]:
    if rows.empty:
        return []
    arts = snap.articles.set_index("art")[["url", "title"]]
    rows = rows.join(arts, on="art").sort_values(["p", "conf"], ascending=[True, False])
    out = []
    for r in rows.itertuples(index=False):
        out.append({"s": r.s, "p": r.p, "o": r.o, "evidence": r.evidence, "conf": r.conf, "art": r.art,
                    "url": _nan_none(r.url), "title": _nan_none(r.title), "date": _nan_none(r.date),
                    "status": _nan_none(getattr(r, "status", None))})  # "ended": the sentence ends the relation
    return out


def _iso_date(value: object) -> str | None:
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        return value[:10]
    return None


# ------------------------------------------------------------------ filtering
@dataclass(frozen=True)
class GraphFilter:
    """The analyst's filter; hashable so results can be cached per filter."""

    types: tuple[str, ...] = ENTITY_TYPES
    predicates: tuple[str, ...] = PREDICATES
    date_from: str | None = None
    date_to: str | None = None
    min_confidence: float = 0.0
    min_articles: int = 1
    search: str = ""
    focus: str | None = None
    hops: int = 1
    as_of: str | None = None  # the graph as of a day (kg.timeline.as_of); else date_from/date_to is a window


def merge_assertions(a: pd.DataFrame) -> pd.DataFrame:
    """Assertions -> merged facts: articles per fact and noisy-OR confidence over the articles.

    Symmetric facts are merged whatever their argument order (x competesWith y = y competesWith x).
    """
    if "status" in a.columns:
        a = a[a["status"] != timeline.ENDED_STATUS]  # a sentence that ends a fact does not support it
    if a.empty:
        return pd.DataFrame(columns=FACT_COLUMNS)
    a = a.copy()
    sym = a["p"].isin(SYMMETRIC_PREDICATES) & (a["o"] < a["s"])
    a.loc[sym, ["s", "o"]] = a.loc[sym, ["o", "s"]].to_numpy()
    per_art = a.groupby(["s", "p", "o", "art"], sort=False).agg(conf=("conf", "max"), date=("date", "first"))
    per_art["miss"] = np.log1p(-per_art["conf"].clip(upper=1 - 1e-12))
    grouped = per_art.groupby(level=["s", "p", "o"], sort=False)
    facts = grouped.agg(
        articles=("conf", "size"), miss=("miss", "sum"), first_date=("date", "min"), last_date=("date", "max")
    )
    facts["confidence"] = (1.0 - np.exp(facts["miss"])).round(4)
    facts = facts.reset_index()[FACT_COLUMNS]
    return facts


def filter_facts(snap: Snapshot, f: GraphFilter) -> pd.DataFrame:
    """The merged facts that pass the filter (dates first, then merging, then the rest)."""
    a = snap.assertions
    if set(f.predicates) != set(PREDICATES):
        a = a[a["p"].isin(f.predicates)]
    if f.as_of or f.date_from or f.date_to:  # the same slices as the CLI's --as-of and --from/--to
        sliced = (timeline.as_of(a, f.as_of, dates=False) if f.as_of
                  else timeline.seen_in(a, f.date_from, f.date_to, dates=False))
        facts = sliced[FACT_COLUMNS]
    else:
        facts = merge_assertions(a)
    if facts.empty:
        return facts
    facts = facts[(facts["confidence"] >= f.min_confidence - 1e-9) & (facts["articles"] >= f.min_articles)]
    if set(f.types) != set(ENTITY_TYPES):
        types = snap.entities["type"]
        ok = set(types.index[types.isin(f.types)])
        facts = facts[facts["s"].isin(ok) & facts["o"].isin(ok)]
    if f.search.strip():
        hits = search_entities(snap, f.search)
        facts = facts[facts["s"].isin(hits) | facts["o"].isin(hits)]
    if f.focus:
        g = graph_of(facts)
        near = neighbourhood(g, f.focus, f.hops)
        facts = facts[facts["s"].isin(near) & facts["o"].isin(near)]
    return facts.reset_index(drop=True)


def search_entities(snap: Snapshot, text: str) -> set[str]:
    """Entities with a label or alias containing the text (case-insensitive, any language)."""
    q = text.strip().casefold()
    if not q:
        return set(snap.entities.index)
    s = snap.entities["search"]
    return set(s.index[s.str.contains(q, regex=False)])


def to_facts(facts: pd.DataFrame) -> list[Fact]:
    """DataFrame rows as ``kg.queries.Fact`` (what ``build_graph`` takes)."""
    out = []
    for s, p, o, n, c, d0, d1 in facts[FACT_COLUMNS].itertuples(index=False, name=None):
        out.append(Fact(s, p, o, int(n), float(c), _nan_none(d0), _nan_none(d1)))
    return out


def _nan_none(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(v)


def graph_of(facts: pd.DataFrame) -> nx.MultiDiGraph:
    return build_graph(to_facts(facts))


# ------------------------------------------------------------------ summaries for the overview
def articles_by_month(snap: Snapshot) -> pd.DataFrame:
    """Number of articles per publication month (articles without a date left out)."""
    d = snap.articles["date"].dropna()
    if d.empty:
        return pd.DataFrame({"month": [], "articles": []})
    months = d.str.slice(0, 7).value_counts().sort_index()
    return pd.DataFrame({"month": months.index, "articles": months.to_numpy()})


def counts_by_type(snap: Snapshot) -> pd.Series:
    e = snap.entities
    return e[e["articles"] > 0]["type"].replace("", "(untyped)").value_counts().sort_index()


def counts_by_predicate(snap: Snapshot) -> pd.Series:
    facts = merge_assertions(snap.assertions)
    if facts.empty:
        return pd.Series(dtype="int64")
    return facts["p"].value_counts().sort_index()
