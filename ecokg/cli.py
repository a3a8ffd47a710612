"""`ecokg`: the command line, a thin layer over the library functions the app and tests call too.

Feature modules add their own subcommands: each module listed in ``EXTENSIONS``
has ``register(subparsers, common)``, where ``common`` is the parent parser that
carries ``--store``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.store import StoreError, default_location, open_store

# Modules that add subcommands (sources, schedule, serve, analyze, backup, ...).
EXTENSIONS: tuple[str, ...] = ("ecokg.cli_web", "ecokg.cli_service", "ecokg.cli_curation", "ecokg.cli_time",
                              "ecokg.cli_train")


class CliError(Exception):
    """An error to print as one line and exit 2."""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        default=None,
        help="store folder or SPARQL endpoint URL (default: $ECOKG_STORE or data/store)",
    )
    return common


def _add_workers_argument(p: argparse.ArgumentParser) -> None:
    from ecokg.cli_service import process_count

    p.add_argument(
        "--workers", type=process_count, default=1, metavar="N",
        help="extract with N processes, each loading its own models (default 1: in this process)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="ecokg", description="Knowledge graph of technology ecosystems from English and Chinese articles."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", parents=[common], help="extract articles into the store (files or folders)")
    p.add_argument("paths", nargs="*", help=".txt, .md or .html files, or folders of them")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    importlib.import_module("ecokg.cli_web").add_ingest_arguments(p)
    importlib.import_module("ecokg.cli_service").add_ingest_arguments(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", parents=[common], help="remove articles (by path, URL or article IRI)")
    p.add_argument("articles", nargs="+")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("extract", help="extract entities and relations without touching the store")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["jsonl", "json", "table"], default="jsonl")
    p.add_argument("--lang", choices=["en", "zh"], default=None, help="skip language detection")
    _add_workers_argument(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval", help="score extraction against gold annotations (or cross-validate training)")
    p.add_argument("--gold", required=True, nargs="+", metavar="DIR",
                   help="folder(s) of NAME.gold.json files (with the articles beside them for --cv)")
    p.add_argument("files", nargs="*", help="the articles NAME.txt to extract and score (not with --cv)")
    p.add_argument("--cv", type=int, default=0, metavar="K",
                   help="K-fold cross-validation of the learned stages over the gold folders, grouped by article")
    p.add_argument("--verbose", "-v", action="store_true", help="list misses and false alarms")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    _add_workers_argument(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("sparql", parents=[common], help="run a read-only SPARQL query over the merged graph")
    p.add_argument("query", nargs="?", help="the query text (or use -f)")
    p.add_argument("-f", "--file", help="read the query from a file")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--timeout", type=float, default=None, help="seconds (default $ECOKG_QUERY_TIMEOUT or 30)")
    p.add_argument("--max-rows", type=int, default=None, help="row cap (default $ECOKG_QUERY_MAX_ROWS or 10000)")
    p.set_defaults(func=cmd_sparql)

    p = sub.add_parser("stats", parents=[common], help="counts by entity type and predicate")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", parents=[common], help="write the graph as nq, trig, ttl, jsonld or graphml")
    p.add_argument("--format", choices=["ttl", "nq", "trig", "jsonld", "graphml"], default="nq")
    p.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    for name in EXTENSIONS:
        importlib.import_module(name).register(sub, common)
    return parser


# ------------------------------------------------------------------ commands
def _progress_printer(quiet: bool):
    if quiet:
        return None

    def show(source: str, outcome: str) -> None:
        print(f"  {outcome:9s} {source}", file=sys.stderr)

    return show


def cmd_ingest(args: argparse.Namespace) -> int:
    from ecokg.cli_service import after_ingest, check_executor_options, extract_batch_for
    from ingest.ingestion import ingest_paths, recorded

    executor = check_executor_options(args)
    if getattr(args, "sources", None):
        if args.paths:
            raise CliError("give either files and folders or --sources, not both")
        if executor == "dask":
            raise CliError("--executor dask works with files and folders; --sources extracts locally or in processes")
        with extract_batch_for(args) as extract_batch:
            status = importlib.import_module("ecokg.cli_web").cmd_ingest_sources(args, extract_batch=extract_batch)
        if getattr(args, "analyze", False) and status in (0, 1):
            with open_store(args.store) as store:
                after_ingest(args, store)
        return status
    if not args.paths:
        raise CliError("nothing to ingest: give files or folders (or --sources FILE)")

    with open_store(args.store) as store, extract_batch_for(args) as extract_batch:
        report = recorded(store, args.paths, "ecokg ingest (files)", lambda: ingest_paths(
            store, args.paths, extract_batch=extract_batch, progress=_progress_printer(args.quiet)))
        after_ingest(args, store)
        restarts = getattr(extract_batch, "restarts", 0)  # --executor processes: pools replaced after a worker died
    for source, reason in report.failed:
        print(f"skipped {source}: {reason}", file=sys.stderr)
    if restarts:
        print(f"note: a worker process died; new workers were started {restarts} time(s) and the articles of "
              "the failed batch extracted again (one by one)", file=sys.stderr)
    print(f"ingested into {args.store or default_location()}: {report.summary()}")
    return 1 if report.failed and not (report.new or report.updated or report.unchanged) else 0


def cmd_remove(args: argparse.Namespace) -> int:
    from ingest.ingestion import remove_article

    status = 0
    with open_store(args.store) as store:
        for ref in args.articles:
            iri = remove_article(store, ref)
            if iri:
                print(f"removed {ref} ({iri})")
            else:
                print(f"not in the store: {ref}", file=sys.stderr)
                status = 1
    return status


def _extract_files(files: Sequence[str], lang: str | None, workers: int = 1) -> list[tuple[str, object]]:
    """(path, Extraction or error message) per file, in order; ``workers`` processes extract."""
    from dataclasses import replace

    from ingest.parallel import extract_articles
    from ingest.text import ArticleError, read_article

    out: list[tuple[str, object]] = []
    articles = []
    for f in files:
        try:
            articles.append(replace(read_article(f), source=f))
        except ArticleError as exc:
            out.append((f, exc.reason))
    if lang:
        articles = [replace(a, lang=lang) for a in articles]
    done = extract_articles(articles, workers=workers)
    from ingest.nlp.relations.event_time import date_relations

    for article, ext in zip(articles, done, strict=True):
        date_relations(ext.relations, article.date)
    by_src = {a.source: ext for a, ext in zip(articles, done, strict=True)}
    errors = dict(out)
    return [(f, by_src.get(f, errors.get(f))) for f in files]


def cmd_extract(args: argparse.Namespace) -> int:
    status = 0
    results = _extract_files(args.files, args.lang, args.workers)
    for path, ext in results:
        if isinstance(ext, str):
            print(f"skipped {path}: {ext}", file=sys.stderr)
            status = 1
            continue
        if args.format == "jsonl":
            print(json.dumps(ext.to_json(), ensure_ascii=False))
        elif args.format == "json":
            print(json.dumps(ext.to_json(), ensure_ascii=False, indent=2))
        else:
            print(format_extraction_table(ext))
    return status


def format_extraction_table(ext) -> str:
    """The extraction of one article for people: entities by type, then relations with evidence."""
    names = {e.id: e.name for e in ext.entities}
    lines = [f"== {ext.source} ({ext.lang}): {len(ext.entities)} entities, {len(ext.relations)} relations"]
    for e in sorted(ext.entities, key=lambda e: (e.type, e.name.casefold())):
        aka = f"  (also: {', '.join(a for a in e.aliases if a != e.name)})" if len(e.aliases) > 1 or (
            e.aliases and e.aliases[0] != e.name
        ) else ""
        lines.append(f"  {e.type:12s} {e.name}{aka}")
    if ext.relations:
        lines.append("")
    for r in ext.relations:
        when = "".join(f" {x}" for x in (getattr(r, "status", None), getattr(r, "event_date", None)) if x)
        lines.append(
            f"  {names.get(r.subject, r.subject)} --{r.predicate}--> {names.get(r.object, r.object)}"
            f"  [{r.confidence:.2f}]{when}"
        )
        ev = r.evidence.replace("\n", " ")
        lines.append(f"      “{ev[:200]}{'…' if len(ev) > 200 else ''}”")
    return "\n".join(lines)


def cmd_eval(args: argparse.Namespace) -> int:
    from ingest.evaluate import format_report, score
    from ingest.nlp.training import read_gold_dirs

    try:
        docs = read_gold_dirs(args.gold)
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from exc
    if args.cv:
        if args.files:
            raise CliError("--cv scores the gold folders' own articles: give no files")
        from ingest.nlp.training import cross_validate, propose

        if args.cv < 2 or args.cv > len(docs):
            raise CliError(f"--cv needs 2 to {len(docs)} folds")
        report = cross_validate(propose(docs, workers=args.workers), args.cv, explain=args.verbose)
    else:
        if not args.files:
            raise CliError("give the articles to score (or --cv K)")
        preds = []
        for path, ext in _extract_files(args.files, None, args.workers):
            if isinstance(ext, str):
                print(f"skipped {path}: {ext}", file=sys.stderr)
                continue
            preds.append(ext.to_json())
        report = score({d.name: d.gold for d in docs}, preds)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    from kg.query import QueryError, run_query, to_csv, to_sparql_json, to_table

    if args.file:
        text = Path(args.file).read_text(encoding="utf-8")
    elif args.query:
        text = args.query
    else:
        raise CliError("give a query or -f FILE")
    with open_store(args.store, read_only=True) as store:
        try:
            result = run_query(store, text, timeout=args.timeout, max_rows=args.max_rows)
        except QueryError as exc:
            raise CliError(str(exc)) from exc
    if args.format == "json":
        print(to_sparql_json(result))
    elif args.format == "csv":
        sys.stdout.write(to_csv(result))
    else:
        print(to_table(result))
    if result.message:
        print(f"note: {result.message}", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kg import queries

    with open_store(args.store, read_only=True) as store:
        stats = {
            "articles": queries.article_count(store),
            "entities_by_type": queries.counts_by_type(store),
            "facts_by_predicate": queries.counts_by_predicate(store),
            "quads": store.quad_count(),
        }
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    print(f"articles: {stats['articles']}")
    print(f"entities: {sum(stats['entities_by_type'].values())}")
    for k, v in stats["entities_by_type"].items():
        print(f"  {k:14s} {v}")
    print(f"facts: {sum(stats['facts_by_predicate'].values())}")
    for k, v in stats["facts_by_predicate"].items():
        print(f"  {k:14s} {v}")
    print(f"quads: {stats['quads']}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kg.export import export

    with open_store(args.store, read_only=True) as store:
        if args.output == "-":
            export(store, args.format, sys.stdout.buffer)
        else:
            with open(args.output, "wb") as fh:
                export(store, args.format, fh)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CliError, StoreError) as exc:
        print(f"ecokg {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"ecokg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `ecokg ... | head`: the reader left, nothing more to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # `python -m ecokg.cli`: run the package's module, so its CliError is the one raised
    from ecokg.cli import main as package_main

    sys.exit(package_main())
