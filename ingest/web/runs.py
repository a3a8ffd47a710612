"""Run records: each ingest run is an ``eco:IngestRun`` (a ``prov:Activity``) in the runs graph.

The record is written when the run starts (so a run killed midway is still
visible, without an end time) and rewritten, in one update, when it ends.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from kg.namespace import ECO, PROV, RDF, RDFS, RUN, RUNS_GRAPH, XSD
from kg.store import Store

MAX_FAILURES_RECORDED = 500
FAILURE_SEP = " — "


@dataclass
class RunRecord:
    """What one run did; the counts are items (feed entries, pages, files), not requests."""

    iri: str
    started: datetime
    ended: datetime | None = None
    status: str = "running"  # running, completed, stopped, failed; a killed run stays 'running', no end
    sources: list[str] = field(default_factory=list)
    fetched: int = 0
    unchanged: int = 0
    new: int = 0
    updated: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    label: str = "ecokg ingest"

    def fail(self, item: str, reason: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_FAILURES_RECORDED:
            self.failures.append((item, reason))

    def summary(self) -> str:
        return (
            f"{self.fetched} fetched, {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )


def new_run(sources: list[str], label: str = "ecokg ingest", now: datetime | None = None) -> RunRecord:
    started = now or datetime.now(UTC)  # to the microsecond: runs of one second still sort
    iri = str(RUN[f"{started.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"])
    return RunRecord(iri=iri, started=started, sources=list(sources), label=label)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _dt(value: datetime) -> ox.Literal:
    return ox.Literal(value.astimezone(UTC).isoformat().replace("+00:00", "Z"), datatype=_n(XSD.dateTime))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD.integer))


def run_quads(run: RunRecord) -> list[ox.Quad]:
    """The run as quads in the runs graph (pure)."""
    g, s = _n(RUNS_GRAPH), _n(run.iri)
    out = [
        ox.Quad(s, _n(RDF.type), _n(ECO.IngestRun), g),
        ox.Quad(s, _n(RDF.type), _n(PROV.Activity), g),
        ox.Quad(s, _n(RDFS.label), ox.Literal(run.label), g),
        ox.Quad(s, _n(PROV.startedAtTime), _dt(run.started), g),
        ox.Quad(s, _n(ECO.runStatus), ox.Literal(run.status), g),
    ]
    if run.ended:
        out.append(ox.Quad(s, _n(PROV.endedAtTime), _dt(run.ended), g))
    for src in run.sources:
        out.append(ox.Quad(s, _n(ECO.source), ox.Literal(src), g))
    for name in ("fetched", "unchanged", "new", "updated", "failed"):
        out.append(ox.Quad(s, _n(ECO[name]), _int(getattr(run, name)), g))
    for item, reason in run.failures:
        out.append(ox.Quad(s, _n(ECO.failure), ox.Literal(f"{item}{FAILURE_SEP}{reason}"), g))
    return out


@contextmanager
def recorded_run(store: Store, sources: list[str], label: str) -> Iterator[RunRecord]:
    """Record a file, folder or upload ingest as a run, like a sources run: written at the start (a killed
    run stays visible) and rewritten at the end with its counts and status."""
    run = new_run(sources, label=label)
    write_run(store, run)
    try:
        yield run
    except BaseException as exc:
        run.status = "stopped" if isinstance(exc, KeyboardInterrupt) else "failed"
        if not isinstance(exc, KeyboardInterrupt):
            run.fail("(run)", f"{type(exc).__name__}: {exc}")
        run.ended = datetime.now(UTC)
        try:
            write_run(store, run)
        except Exception:  # noqa: BLE001 - the store is failing: the run's own error is the one to report
            pass
        raise
    run.status = "completed"
    run.ended = datetime.now(UTC)
    write_run(store, run)


def count_report(run: RunRecord, report) -> None:
    """The counts and failures of an ``IngestReport`` onto the run (files read count as fetched)."""
    run.new += len(report.new)
    run.updated += len(report.updated)
    run.unchanged += len(report.unchanged)
    run.fetched += len(report.new) + len(report.updated) + len(report.unchanged)
    for item, reason in report.failed:
        run.fail(str(item), reason)


def write_run(store: Store, run: RunRecord) -> None:
    """Replace this run's triples in the runs graph, in one update (one transaction)."""
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in run_quads(run))
    g = _n(RUNS_GRAPH)
    store.update(  # type: ignore[attr-defined]
        f"DELETE WHERE {{ GRAPH {g} {{ {_n(run.iri)} ?p ?o }} }} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}",
        graphs=[str(RUNS_GRAPH)],  # the only graph it writes: the changes cache can follow it (kg.warm_cache)
    )


def _value(term) -> str | None:
    return None if term is None else term.value


def list_runs(store: Store, limit: int = 20) -> list[RunRecord]:
    """The most recent runs, newest first, with their failures."""
    q = f"""
    SELECT ?run ?start ?end ?status ?label ?fetched ?unchanged ?new ?updated ?failed WHERE {{
      GRAPH <{RUNS_GRAPH}> {{
        ?run a <{ECO.IngestRun}> ; <{PROV.startedAtTime}> ?start .
        OPTIONAL {{ ?run <{PROV.endedAtTime}> ?end }}
        OPTIONAL {{ ?run <{ECO.runStatus}> ?status }}
        OPTIONAL {{ ?run <{RDFS.label}> ?label }}
        OPTIONAL {{ ?run <{ECO.fetched}> ?fetched }}
        OPTIONAL {{ ?run <{ECO.unchanged}> ?unchanged }}
        OPTIONAL {{ ?run <{ECO.new}> ?new }}
        OPTIONAL {{ ?run <{ECO.updated}> ?updated }}
        OPTIONAL {{ ?run <{ECO.failed}> ?failed }}
      }}
    }} ORDER BY DESC(?start) DESC(?run) LIMIT {int(limit)}
    """
    runs: list[RunRecord] = []
    for row in store.query(q, union=False):
        run_iri, start, end, status, label, *counts = (_value(t) for t in row)
        rec = RunRecord(
            iri=run_iri,
            started=datetime.fromisoformat(start),
            ended=datetime.fromisoformat(end) if end else None,
            status=status or "unknown",
            label=label or "",
        )
        for name, value in zip(("fetched", "unchanged", "new", "updated", "failed"), counts, strict=True):
            setattr(rec, name, int(value) if value is not None else 0)
        if rec.status == "running" and rec.ended is None:
            rec.status = "running or killed"
        runs.append(rec)
    for rec in runs:
        sq = f"""SELECT ?s ?f WHERE {{ GRAPH <{RUNS_GRAPH}> {{
                 OPTIONAL {{ {_n(rec.iri)} <{ECO.source}> ?s }} OPTIONAL {{ {_n(rec.iri)} <{ECO.failure}> ?f }} }} }}"""
        sources, failures = set(), set()
        for s, f in store.query(sq, union=False):
            if s is not None:
                sources.add(s.value)
            if f is not None:
                failures.add(f.value)
        rec.sources = sorted(sources)
        rec.failures = sorted(tuple(x.split(FAILURE_SEP, 1)) if FAILURE_SEP in x else (x, "") for x in failures)
    return runs


def format_runs(runs: list[RunRecord], *, failures: bool = True) -> str:
    """Runs as text for `ecokg runs` (newest first)."""
    if not runs:
        return "no runs recorded yet"
    lines = []
    for r in runs:
        took = f"{(r.ended - r.started).total_seconds():.0f}s" if r.ended else "-"
        lines.append(
            f"{r.started.strftime('%Y-%m-%d %H:%M:%S')}Z  {r.status:17s} {took:>6s}  {r.summary()}"
            f"  [{', '.join(r.sources)}]"
        )
        if failures:
            for item, reason in r.failures:
                lines.append(f"    failed {item}: {reason}")
            if r.failed > len(r.failures):
                lines.append(f"    ... and {r.failed - len(r.failures)} more failures")
    return "\n".join(lines)
