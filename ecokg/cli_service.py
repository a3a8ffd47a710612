"""Subcommands for running ecokg as a service: serve, analyze, reindex, backup, restore, import.

Also the ingest options for parallel and distributed extraction (``--executor``,
``--scheduler``, ``--workers``) and ``--analyze``, which ``ecokg.cli`` adds to its ingest parser.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kg.store import StoreError, default_location, open_store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from kg.query import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S

    p = sub.add_parser(
        "serve", parents=[common], help="a read-only SPARQL 1.1 endpoint over the merged graph (Oxigraph server)"
    )
    p.add_argument("--bind", default="127.0.0.1:7878", help="HOST:PORT to listen on (default 127.0.0.1:7878)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per query (default $ECOKG_QUERY_TIMEOUT or 30)")
    p.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, help="row cap (default $ECOKG_QUERY_MAX_ROWS or 10000)")
    p.add_argument(
        "--refresh", type=float, default=10.0, help="seconds between checks for new writes (0: serve one snapshot)"
    )
    p.add_argument("--verbose", "-v", action="store_true", help="log every request")
    p.add_argument(
        "--allow-service", action="store_true", help="allow federated SERVICE queries (outbound HTTP requests)"
    )
    p.add_argument(
        "--cors", action="append", default=[], metavar="ORIGIN",
        help="let web pages from ORIGIN (e.g. https://app.example.org, or * for any) read the answers; "
        "repeat for more origins (default: none)",
    )
    p.add_argument(
        "--max-memory", type=memory_size, default=None, metavar="SIZE",
        help="memory (RSS) this endpoint and all its running queries may use together, e.g. 512M or 2G "
        "(default $ECOKG_QUERY_MAX_MEMORY or 1G); the query using most is stopped (503) past it",
    )
    p.add_argument(
        "--max-queries", type=process_count, default=12, metavar="N",
        help="queries running at once, each in its own worker process (default 12); more wait for a slot",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("analyze", parents=[common], help="compute centrality and communities, store them as RDF")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--as-of", default=None, metavar="DATE",
                      help="only the facts that hold as of DATE (YYYY, YYYY-MM, YYYY-MM-DD or YYYYQn)")
    when.add_argument("--per", choices=["year", "quarter"], default=None,
                      help="print PageRank ranks and camps per period (the graph as of each period's end); stores nothing")
    p.add_argument("--from", dest="date_from", default=None, metavar="DATE", help="only facts seen from DATE")
    p.add_argument("--to", dest="date_to", default=None, metavar="DATE", help="only facts seen up to DATE")
    p.add_argument("--top", type=int, default=10, help="with --per: entities listed per period (default 10)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "reindex", parents=[common], help="rebuild the entity graph (one description per entity) from the others"
    )
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("backup", parents=[common], help="back up the embedded store into a new folder")
    p.add_argument("target", help="a folder that does not exist yet")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="put a backup in place of the embedded store")
    p.add_argument("backup", help="a folder made by `ecokg backup`")
    p.add_argument("--force", action="store_true", help="replace a store that is not empty")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("import", parents=[common], help="load an RDF file, replacing each named graph it holds")
    p.add_argument("file", help="an .nq, .trig, .ttl or .jsonld file (for example from `ecokg export`)")
    p.add_argument("--format", choices=["nq", "trig", "ttl", "nt", "jsonld", "rdfxml"], default=None,
                   help="the file's format (default: from its name)")
    p.add_argument("--graph", default=None, metavar="IRI",
                   help="the named graph for formats without graphs (Turtle, JSON-LD, ...) or default-graph triples")
    p.set_defaults(func=cmd_import)


def memory_size(value: str) -> int:
    """argparse type of --max-memory: bytes from 512M, 2G, ... (at least 64 MB)."""
    from kg.query_pool import MB, parse_size

    try:
        n = parse_size(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if n < 64 * MB:
        raise argparse.ArgumentTypeError(f"at least 64M (got {value!r})")
    return n


def process_count(value: str) -> int:
    """argparse type of every ``--workers``: a whole number of processes, at least 1."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, at least 1 (got {value!r})")
    return n


def default_workers() -> int:
    """Worker processes when --workers is not given: one less than the CPUs this process may use, at least 1."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 2
    return max(1, cpus - 1)


def add_ingest_arguments(p: argparse.ArgumentParser) -> None:
    """The ingest options this module owns."""
    p.add_argument(
        "--executor", choices=["local", "processes", "dask"], default="local",
        help="where extraction runs: in this process (local, the default), in worker processes on this machine "
        "(processes) or on a Dask cluster (dask)",
    )
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786) for --executor dask")
    p.add_argument(
        "--workers", type=process_count, default=None, metavar="N",
        help="with --executor processes: N worker processes, each loading its own models; with --executor dask: "
        "a local cluster of N processes (default for both: CPUs - 1, at least 1)",
    )
    p.add_argument("--analyze", action="store_true", help="recompute the stored analytics after the run")


def check_executor_options(args: argparse.Namespace) -> str:
    """The executor asked for, or StoreError (exit 2) when --workers/--scheduler do not go with it."""
    executor = getattr(args, "executor", "local") or "local"
    workers = getattr(args, "workers", None)
    scheduler = getattr(args, "scheduler", None)
    if executor == "local" and workers is not None:
        raise StoreError(f"--workers {workers}: worker processes need --executor dask or --executor processes")
    if executor != "dask" and scheduler:
        raise StoreError(f"--scheduler needs --executor dask (not {executor})")
    return executor


@contextmanager
def extract_batch_for(args: argparse.Namespace) -> Iterator:
    """The extract_batch function the ingest options ask for (the local one by default).

    With --executor processes it is a ``ProcessExtractor``: its workers start on the first batch
    that needs extracting (a run with nothing new starts none) and stop when the block ends.
    """
    from ingest.ingestion import local_extract_batch

    executor = check_executor_options(args)
    if executor == "local":
        yield local_extract_batch
        return
    if executor == "processes":
        from ingest.parallel import ProcessExtractor

        with ProcessExtractor(args.workers or default_workers()) as pool:
            yield pool
        return
    from ingest.executors import dask_client, dask_extract_batch

    with dask_client(scheduler=args.scheduler, workers=args.workers) as client:
        yield dask_extract_batch(client)


def after_ingest(args: argparse.Namespace, store) -> None:
    """Run the analytics after an ingest when --analyze was given."""
    if getattr(args, "analyze", False):
        from kg.materialize import materialize

        summary = materialize(store)
        print(f"analytics: {summary}", file=sys.stderr)


# ------------------------------------------------------------------ commands
def _location(args: argparse.Namespace) -> str:
    return args.store or default_location()


def _embedded_only(location: str, what: str) -> None:
    if location.startswith(("http://", "https://")):
        raise StoreError(f"{what} works on the embedded store; {location} is a SPARQL server (use its own tools)")


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.server import ServeOptions, serve

    location = _location(args)
    _embedded_only(location, "ecokg serve")
    from kg.query import service_allowed

    allow = args.allow_service or service_allowed()
    opts = ServeOptions(
        location, args.bind, args.timeout, args.max_rows, args.refresh, args.verbose, allow, tuple(args.cors),
        args.max_memory, args.max_queries,
    )
    return serve(opts)


def cmd_analyze(args: argparse.Namespace) -> int:
    from kg import timeline
    from kg.materialize import materialize

    try:
        lo = timeline.parse_day(args.date_from)
        hi = timeline.parse_day(args.date_to, end=True)
        timeline.check_window(lo, hi)
        as_of = timeline.parse_day(args.as_of, end=True)
    except timeline.TimeError as exc:
        raise StoreError(str(exc)) from None
    if args.as_of and (lo or hi):
        raise StoreError("--as-of and --from/--to: give one or the other")
    if args.per:
        from kg.changes import read_context

        with open_store(args.store, read_only=True) as store:
            frame = timeline.timed_assertions(store, evidence=False)
            labels = read_context(store).labels
        print(format_periods(timeline.rank_by_period(frame, args.per, start=lo, end=hi), args.top, labels))
        return 0
    with open_store(args.store) as store:
        if as_of:
            summary = materialize(store, facts=timeline.facts_as_of(store, as_of), scope=f"as of {as_of}")
        elif lo or hi:
            summary = materialize(store, facts=timeline.facts_in_window(store, lo, hi),
                                  scope=f"seen from {lo or 'the start'} to {hi or 'the end'}")
        else:
            summary = materialize(store)
    print(f"analytics written: {summary}")
    return 0


def format_periods(table, top: int, labels: dict[str, str] | None = None) -> str:
    """Per period: entities, camps (merged or split since the last period) and the top entities by PageRank rank."""
    from kg.changes import compare_communities

    if table.empty:
        return "no dated facts"
    labels = labels or {}
    lines = []
    previous: dict[str, int] = {}
    camps_before: dict[str, int] | None = None
    for period, rows in table.groupby("period", sort=True):
        camps_now = dict(zip(rows["entity"], rows["community"], strict=True))
        line = f"{period}: {len(rows):,} entities, {rows[rows['community'] >= 0]['community'].nunique():,} camps"
        if camps_before is not None:
            merged, split = compare_communities(camps_before, camps_now)
            line += f" ({len(merged)} merged, {len(split)} split since the last period)"
        lines.append(line)
        for r in rows.sort_values("rank").head(max(0, top)).itertuples(index=False):
            before = previous.get(r.entity)
            move = "new" if before is None else (f"{before - r.rank:+d}" if before != r.rank else "=")
            lines.append(f"  {r.rank:4d}  {r.pagerank:.5f}  {move:>5s}  {labels.get(r.entity, r.entity)}")
        previous = dict(zip(rows["entity"], rows["rank"], strict=True))
        camps_before = camps_now
    return "\n".join(lines)


def cmd_reindex(args: argparse.Namespace) -> int:
    from kg.entity_index import rebuild

    with open_store(args.store) as store:
        n = rebuild(store)
    print(f"entity graph rebuilt: {n:,} description triples")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from kg.backup import backup

    location = _location(args)
    _embedded_only(location, "ecokg backup")
    info = backup(location, args.target)
    print(f"backed up {info.quads:,} quads from {location} to {args.target} ({info.method})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kg.backup import restore

    location = _location(args)
    _embedded_only(location, "ecokg restore")
    quads = restore(args.backup, location, force=args.force)
    print(f"restored {quads:,} quads from {args.backup} into {location}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    import shutil
    from pathlib import Path

    from kg.backup import import_format, import_graphs, read_graphs

    graphs = read_graphs(args.file, import_format(args.file, args.format), args.graph)  # all checked first
    location = _location(args)
    created = not location.startswith(("http://", "https://")) and not Path(location).exists()
    try:
        with open_store(args.store) as store:
            n_graphs, quads = import_graphs(store, graphs)
    except BaseException:
        if created:  # a failed import into a new store leaves nothing behind
            shutil.rmtree(location, ignore_errors=True)
        raise
    print(f"imported {quads:,} quads into {n_graphs:,} named graphs")
    return 0


__all__ = [
    "add_ingest_arguments", "after_ingest", "check_executor_options", "default_workers", "extract_batch_for",
    "process_count", "register",
]
