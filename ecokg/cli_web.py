"""`ecokg sources`, `ecokg schedule`, `ecokg runs`, and `ecokg ingest --sources`.

Registered through ``ecokg.cli.EXTENSIONS``. Each command is a thin layer over
``sources``, ``runner``, ``schedule`` and ``runs``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator

from ingest.web.sources import SourcesError, default_sources_path, load_sources


class _Err(Exception):
    pass


def register(sub, common: argparse.ArgumentParser) -> None:
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument(
        "--file", "--sources", dest="file", default=None,
        help="the sources file (default: $ECOKG_SOURCES or corpus/sources.toml)",
    )
    # The actions take --file too (`sources list --file F`), but must not reset one given before the action
    # (`sources --file F list`): argparse lets a subparser's default overwrite the parent's value.
    action_files = argparse.ArgumentParser(add_help=False)
    action_files.add_argument("--file", "--sources", dest="file", default=argparse.SUPPRESS,
                              help="the sources file (default: $ECOKG_SOURCES or corpus/sources.toml)")

    p = sub.add_parser("sources", parents=[files], help="list, add or remove web sources and folders")
    ssub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = ssub.add_parser("list", parents=[action_files], help="show the sources")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_sources_list)
    a = ssub.add_parser("add", parents=[action_files], help="add a feed, URL, sitemap or folder")
    a.add_argument("target", help="the URL, or the folder for --kind folder")
    a.add_argument("--kind", choices=["feed", "url", "sitemap", "folder"], default="feed")
    a.add_argument("--name", default=None, help="a unique name (default: from the URL)")
    a.add_argument("--tag", action="append", default=[], dest="tags", help="a tag (repeatable)")
    a.add_argument("--lang", choices=["en", "zh"], default=None, help="language hint")
    when = a.add_mutually_exclusive_group()
    when.add_argument("--every", default=None, help="interval such as 30m, 6h, 1d")
    when.add_argument("--cron", default=None, help="cron expression such as '0 */6 * * *'")
    a.add_argument("--max-items", type=int, default=None)
    a.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests only)")
    a.set_defaults(func=cmd_sources_add)
    a = ssub.add_parser("remove", parents=[action_files], help="remove a source by name or URL")
    a.add_argument("ref")
    a.set_defaults(func=cmd_sources_remove)

    p = sub.add_parser("schedule", parents=[common, files], help="keep running, ingesting each source when due")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--digest", default=None, metavar="DIR",
                   help="after every run, write what it changed to DIR as Markdown and an Atom feed (DIR/feed.atom)")
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("runs", parents=[common], help="list the recent ingest runs and their failures")
    p.add_argument("--limit", "-n", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-failures", action="store_true", help="counts only")
    p.set_defaults(func=cmd_runs)


def add_ingest_arguments(p: argparse.ArgumentParser) -> None:
    """The web part of `ecokg ingest` (ecokg.cli calls this on its ingest parser)."""
    p.add_argument("--sources", default=None, metavar="FILE", help="run the sources of a sources.toml once")
    p.add_argument("--source", action="append", default=[], dest="only", metavar="NAME",
                   help="with --sources: only this source (repeatable)")
    p.add_argument("--due", action="store_true",
                   help="with --sources: only the sources whose every/cron schedule says they are due (for cron)")


# ---------------------------------------------------------------- helpers
def _cli_error(msg: str) -> Exception:
    from ecokg.cli import CliError

    return CliError(msg)


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event, quiet: bool = False) -> Iterator[None]:
    """SIGINT/SIGTERM ask the run to stop after the articles in hand; a second one interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if not quiet:
            print(f"\n{signal.Signals(signum).name}: finishing the articles in hand, then stopping "
                  "(send again to abort)", file=sys.stderr)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


class _Progress:
    """A tqdm bar on a terminal; failures as lines otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.bar = None
        self.quiet = quiet
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="item", file=sys.stderr, dynamic_ncols=True, leave=True)

    def grow(self, n: int) -> None:
        if self.bar is not None:
            self.bar.total += n
            self.bar.refresh()

    def tick(self, item: str, outcome: str) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(outcome, refresh=False)
        elif not self.quiet and outcome in ("new", "updated"):
            print(f"  {outcome:9s} {item}", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_once(store_location: str | None, sources_path: str, only: list[str], *, quiet: bool = False,
             stop: threading.Event | None = None, label: str = "ecokg ingest", due_only: bool = False,
             extract_batch=None):
    """One run over the (selected, enabled) sources, under the run lock; returns the RunRecord.

    With `due_only`, only the sources whose schedule says they are due; None when none is.
    `extract_batch` (default: in this process) is where extraction runs, e.g. a pool of worker processes.
    """
    from ingest.ingestion import local_extract_batch
    from ingest.web.lock import RunLock, lock_path_for
    from ingest.web.runner import run_sources
    from ingest.web.state import FetchState, state_path_for
    from kg.store import default_location, open_store

    try:
        sf = load_sources(sources_path)
    except SourcesError as exc:
        raise _cli_error(str(exc)) from None
    chosen = [s for s in sf.sources if (s.name in only if only else s.enabled)]
    missing = set(only) - {s.name for s in sf.sources}
    if missing:
        raise _cli_error(f"no source named {', '.join(sorted(missing))} in {sf.path}")
    if not chosen:
        raise _cli_error(f"no sources to run in {sf.path}")
    location = store_location or default_location()
    stop = stop or threading.Event()
    with RunLock(lock_path_for(location), "an ingest run"):
        if due_only:
            import time

            from ingest.web.schedule import due_sources, last_complete_start

            with FetchState(state_path_for(location)) as state:
                last = last_complete_start(state.source_times())
            chosen = due_sources(chosen, last, time.time())
            if not chosen:
                return None
        with open_store(location) as store, FetchState(state_path_for(location)) as state:
            progress = _Progress(quiet)
            try:
                run = run_sources(store, chosen, state=state, settings=sf.fetch, stop=stop,
                                  tick=progress.tick, grow=progress.grow, label=label,
                                  extract_batch=extract_batch or local_extract_batch)
            finally:
                progress.close()
    return run


def _report(run, quiet: bool) -> None:
    for item, reason in run.failures:
        print(f"failed {item}: {reason}", file=sys.stderr)
    print(f"run {run.iri} {run.status}: {run.summary()}")


# ---------------------------------------------------------------- commands
def cmd_ingest_sources(args: argparse.Namespace, extract_batch=None) -> int:
    from ingest.web.lock import LockedError

    stop = threading.Event()
    try:
        with stop_on_signals(stop, args.quiet):
            run = run_once(args.store, args.sources, args.only, quiet=args.quiet, stop=stop, due_only=args.due,
                           extract_batch=extract_batch)
    except LockedError as exc:
        print(f"ecokg ingest: {exc}", file=sys.stderr)
        return 3
    if run is None:
        print("no source is due")
        return 0
    _report(run, args.quiet)
    if run.status == "stopped":
        return 130
    return 1 if run.failed and not (run.new or run.updated or run.unchanged) else 0


def run_scheduler(location: str, path: str, *, stop: threading.Event, max_runs: int | None = None,
                  quiet: bool = False, digest: str | None = None) -> int:
    """Hold the scheduler lock and start runs as sources come due, until `stop`; returns runs started.

    With `digest`, each run's changes are written to that folder (``ingest.web.digest``).
    Raises LockedError at once when another scheduler serves this store.
    """
    from ingest.web.lock import RunLock, lock_path_for
    from ingest.web.schedule import last_complete_start, schedule_loop
    from ingest.web.state import FetchState, state_path_for

    def last_started() -> dict[str, float | None]:
        with FetchState(state_path_for(location)) as st:
            return last_complete_start(st.source_times())

    def run_due(due) -> None:
        names = [s.name for s in due]
        print(f"run: {', '.join(names)}", file=sys.stderr, flush=True)
        before = _digest_snapshot(location) if digest else None
        run = run_once(location, path, names, quiet=True, stop=stop, label="ecokg schedule")
        _report(run, quiet)
        if digest and before is not None and run is not None:
            _write_digest(location, before, run, digest)
        sys.stdout.flush()

    def warn(msg: str) -> None:
        print(f"ecokg schedule: {msg}", file=sys.stderr, flush=True)

    with RunLock(lock_path_for(location, "schedule"), "a scheduler for this store"):
        if not quiet:
            print(f"ecokg schedule: watching {path} for {location} (Ctrl-C or SIGTERM to stop)",
                  file=sys.stderr, flush=True)
        return schedule_loop(path, last_started, run_due, stop=stop, max_runs=max_runs, on_error=warn)


def _digest_snapshot(location: str):
    from ingest.web.digest import empty_frame, snapshot

    try:
        return snapshot(location).frame
    except Exception:  # noqa: BLE001 - no store yet: everything the first run writes is new
        return empty_frame()


def _write_digest(location: str, before, run, folder: str) -> None:
    """The run's digest; a failure is reported and the scheduler goes on (the run itself is stored)."""
    from datetime import UTC, datetime

    from ingest.web.digest import digest_run

    try:
        entry = digest_run(location, before, run.iri, run.ended or datetime.now(UTC), folder)
        print(f"digest: {entry.title} -> {folder}", file=sys.stderr, flush=True)
    except Exception as exc:  # noqa: BLE001
        print(f"ecokg schedule: digest not written: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)


def cmd_schedule(args: argparse.Namespace) -> int:
    from ingest.web.lock import LockedError
    from kg.store import default_location

    location = args.store or default_location()
    path = args.file or default_sources_path()
    try:
        load_sources(path)
    except SourcesError as exc:
        raise _cli_error(str(exc)) from None
    stop = threading.Event()
    try:
        with stop_on_signals(stop, args.quiet):
            run_scheduler(location, path, stop=stop, quiet=args.quiet, digest=args.digest)
    except LockedError as exc:
        print(f"ecokg schedule: {exc}", file=sys.stderr)
        return 3
    print("ecokg schedule: stopped", file=sys.stderr)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from ingest.web.runs import format_runs, list_runs
    from kg.store import open_store

    with open_store(args.store, read_only=True) as store:
        runs = list_runs(store, args.limit)
    if args.json:
        print(json.dumps([
            {
                "run": r.iri, "started": r.started.isoformat(), "ended": r.ended.isoformat() if r.ended else None,
                "status": r.status, "sources": r.sources, "fetched": r.fetched, "new": r.new,
                "updated": r.updated, "unchanged": r.unchanged, "failed": r.failed,
                "failures": [{"item": i, "reason": why} for i, why in r.failures],
            }
            for r in runs
        ], ensure_ascii=False))
    else:
        print(format_runs(runs, failures=not args.no_failures))
    return 0


def cmd_sources_list(args: argparse.Namespace) -> int:
    try:
        sf = load_sources(args.file)
    except SourcesError as exc:
        raise _cli_error(str(exc)) from None
    if args.json:
        print(json.dumps([
            {"name": s.name, "kind": s.kind, "target": s.target, "tags": list(s.tags), "lang": s.lang,
             "schedule": s.schedule, "allow_private": s.allow_private, "enabled": s.enabled}
            for s in sf.sources
        ], ensure_ascii=False))
        return 0
    if not sf.sources:
        print(f"no sources in {sf.path}")
        return 0
    for s in sf.sources:
        flags = " ".join(f for f in (
            f"lang={s.lang}" if s.lang else "", f"tags={','.join(s.tags)}" if s.tags else "",
            "allow_private" if s.allow_private else "", "" if s.enabled else "disabled") if f)
        print(f"{s.name:24s} {s.kind:8s} {s.target}  ({s.schedule}) {flags}".rstrip())
    return 0


def cmd_sources_add(args: argparse.Namespace) -> int:
    from ingest.web.sources import add_source

    path = args.file or default_sources_path()
    raw = {
        "name": args.name, "kind": args.kind, "tags": args.tags, "lang": args.lang, "every": args.every,
        "cron": args.cron, "max_items": args.max_items, "allow_private": args.allow_private or None,
    }
    raw["path" if args.kind == "folder" else "url"] = args.target
    try:
        src = add_source(path, raw)
    except SourcesError as exc:
        raise _cli_error(str(exc)) from None
    print(f"added {src.name} ({src.kind} {src.target}, {src.schedule}) to {path}")
    return 0


def cmd_sources_remove(args: argparse.Namespace) -> int:
    from ingest.web.sources import remove_source

    path = args.file or default_sources_path()
    try:
        src = remove_source(path, args.ref)
    except SourcesError as exc:
        raise _cli_error(str(exc)) from None
    print(f"removed {src.name} ({src.target}) from {path}")
    return 0
