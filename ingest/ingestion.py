"""Ingestion: articles in, one named graph per article out, incrementally.

An article whose text is unchanged (same content hash, under its own key or,
for the web, another URL) costs one lookup and nothing else. A changed article
is re-extracted and its graph replaced in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.nlp.relations.event_time import date_relations
from ingest.text import ArticleError, iter_article_files, read_article
from kg.catalog import Catalog, load_catalog
from kg.entity_index import ensure_entity_index
from kg.model import Article, Extraction
from kg.namespace import CATALOG_GRAPH, ECO, article_iri
from kg.rdf import article_quads, catalog_hash, catalog_quads
from kg.store import Store

ExtractBatch = Callable[[Sequence[Article]], list[Extraction]]
Progress = Callable[[str, str], None]  # (source, outcome)


@dataclass
class IngestReport:
    """What one ingest did, per article."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.failed += other.failed

    def summary(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )


def local_extract_batch(articles: Sequence[Article]) -> list[Extraction]:
    """Extract in this process with the cached pipeline (spaCy/jieba load once)."""
    from ingest.nlp import get_extractor

    extractor = get_extractor()
    return list(extractor.extract_many((a.text, a.source, a.lang) for a in articles))


def ensure_catalog(store: Store, catalog: Catalog | None = None) -> bool:
    """Write the catalog graph when the catalog changed; True if it was written.

    Every writer calls this first, so it also builds the entity graph of a store
    written before that graph existed (``kg.entity_index``), before the catalog
    write adds to it.
    """
    ensure_entity_index(store)
    cat = catalog or load_catalog()
    digest = catalog_hash(cat)
    if store.graph_hash(str(CATALOG_GRAPH)) == digest:
        return False
    import pyoxigraph as ox

    g = ox.NamedNode(str(CATALOG_GRAPH))
    quads = catalog_quads(cat)
    quads.append(ox.Quad(g, ox.NamedNode(str(ECO.contentHash)), ox.Literal(digest), g))
    store.replace_graph(str(CATALOG_GRAPH), quads)
    return True


class HashIndex:
    """The stored content hashes, read in one query and kept current as this run writes graphs.

    Planning 10,000 unchanged articles then costs 10,000 dictionary lookups
    instead of 10,000 SPARQL queries.
    """

    def __init__(self, by_graph: dict[str, str]) -> None:
        self.by_graph = dict(by_graph)
        self.by_hash: dict[str, set[str]] = {}
        for graph, digest in self.by_graph.items():
            self.by_hash.setdefault(digest, set()).add(graph)

    @classmethod
    def load(cls, store: Store) -> HashIndex:
        return cls(store.content_hashes())

    def graph_hash(self, graph: str) -> str | None:
        return self.by_graph.get(graph)

    def graph_by_hash(self, digest: str) -> str | None:
        graphs = self.by_hash.get(digest)
        return next(iter(graphs)) if graphs else None

    def record(self, graph: str, digest: str) -> None:
        """A graph was (re)written with this content hash."""
        old = self.by_graph.get(graph)
        if old is not None:
            self.by_hash.get(old, set()).discard(graph)
        self.by_graph[graph] = digest
        self.by_hash.setdefault(digest, set()).add(graph)


def plan(store: Store, article: Article, index: HashIndex | None = None) -> str:
    """'new', 'updated' or 'unchanged' for one article, from the stored content hash.

    With an ``index`` the hashes come from it (no query); without, from the store.
    """
    lookup = index or store
    iri = article_iri(article.key)
    stored = lookup.graph_hash(iri)
    if stored == article.content_hash:
        return "unchanged"
    if stored is None:
        other = lookup.graph_by_hash(article.content_hash)
        return "unchanged" if other and other != iri else "new"
    return "updated"


def ingest_articles(
    store: Store,
    articles: Iterable[Article],
    *,
    extract_batch: ExtractBatch = local_extract_batch,
    run_iri: str | None = None,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> IngestReport:
    """Extract and write every new or changed article; each article is one transaction."""
    report = IngestReport()
    pending: list[tuple[Article, str]] = []
    index = HashIndex.load(store)

    def flush() -> None:
        if not pending:
            return
        batch = [a for a, _ in pending]
        extractions: list[Extraction | None]
        try:
            extractions = list(extract_batch(batch))
        except Exception:  # one bad batch must not end the run: retry one by one
            extractions = []
            for a in batch:
                try:
                    extractions.extend(extract_batch([a]))
                except Exception as one_exc:  # noqa: BLE001 - reported, never silent
                    extractions.append(None)
                    report.failed.append((a.source, f"extraction failed: {one_exc!r}"))
        for (article, outcome), extraction in zip(pending, extractions, strict=True):
            if extraction is None:
                continue
            date_relations(extraction.relations, article.date)  # "last March" needs the article's date
            try:
                store.replace_graph(article_iri(article.key), article_quads(article, extraction, run_iri))
            except Exception as exc:  # noqa: BLE001 - the store stays as it was for this article
                report.failed.append((article.source, f"store write failed: {exc}"))
                continue
            index.record(article_iri(article.key), article.content_hash)
            getattr(report, outcome).append(article.source)
            if progress:
                progress(article.source, outcome)
        pending.clear()

    for article in articles:
        outcome = plan(store, article, index)
        if outcome == "unchanged":
            report.unchanged.append(article.source)
            if progress:
                progress(article.source, outcome)
            continue
        pending.append((article, outcome))
        if len(pending) >= batch_size:
            flush()
    flush()
    return report


def read_articles(paths: Sequence[str | Path], report: IngestReport) -> Iterable[Article]:
    """Articles from files and folders; unreadable ones go to the report's failures."""
    files, missing = iter_article_files(list(paths))
    report.failed.extend(missing)
    for f in files:
        try:
            yield read_article(f)
        except ArticleError as exc:
            report.failed.append((exc.source, exc.reason))


def ingest_paths(
    store: Store,
    paths: Sequence[str | Path],
    *,
    extract_batch: ExtractBatch = local_extract_batch,
    run_iri: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest files and folders of .txt/.md/.html articles."""
    ensure_catalog(store)
    report = IngestReport()
    result = ingest_articles(
        store, read_articles(paths, report), extract_batch=extract_batch, run_iri=run_iri, progress=progress
    )
    report.merge(result)
    return report


def recorded(store: Store, sources: Sequence[str], label: str, ingest: Callable[[], IngestReport]) -> IngestReport:
    """Run ``ingest`` as one run of the run log (what `ecokg runs` lists), with its counts and failures."""
    from ingest.web.runs import count_report, recorded_run

    with recorded_run(store, [str(s) for s in sources], label) as run:
        report = ingest()
        count_report(run, report)
    return report


def resolve_article(store: Store, ref: str) -> str | None:
    """An article graph IRI from a path, URL, article IRI or source key; None if not stored."""
    candidates = [ref]
    p = Path(ref)
    if p.exists():
        candidates.insert(0, p.resolve().as_uri())
    graphs = set(store.article_graphs())
    for c in candidates:
        if c in graphs:
            return c
        iri = article_iri(c)
        if iri in graphs:
            return iri
    return None


def remove_article(store: Store, ref: str) -> str | None:
    """Drop one article's graph; returns its IRI, or None when nothing matched."""
    iri = resolve_article(store, ref)
    if iri is None:
        return None
    store.remove_graph(iri)
    return iri
