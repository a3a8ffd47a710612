"""Run records as plain rows for the app (a table of runs, a table of failures).

The app calls ``last_runs(store)`` and shows both lists with ``st.dataframe``;
kept here, beside the run records, so the app needs no SPARQL of its own.
"""

from __future__ import annotations

from ingest.web.runs import RunRecord, list_runs
from kg.store import Store


def run_rows(runs: list[RunRecord]) -> list[dict]:
    """One row per run, newest first."""
    return [
        {
            "started": r.started.strftime("%Y-%m-%d %H:%M:%S"),
            "status": r.status,
            "seconds": int((r.ended - r.started).total_seconds()) if r.ended else None,
            "sources": ", ".join(r.sources),
            "fetched": r.fetched,
            "new": r.new,
            "updated": r.updated,
            "unchanged": r.unchanged,
            "failed": r.failed,
            "run": r.iri,
        }
        for r in runs
    ]


def failure_rows(runs: list[RunRecord]) -> list[dict]:
    """One row per recorded failure, newest run first."""
    return [
        {"started": r.started.strftime("%Y-%m-%d %H:%M:%S"), "item": item, "reason": reason, "run": r.iri}
        for r in runs
        for item, reason in r.failures
    ]


def last_runs(store: Store, limit: int = 10) -> tuple[list[dict], list[dict]]:
    """(runs, failures) of the last `limit` runs, ready for a table."""
    runs = list_runs(store, limit)
    return run_rows(runs), failure_rows(runs)
