"""`ecokg changes`: what changed in the graph between two dates (registered through ``ecokg.cli.EXTENSIONS``)."""

from __future__ import annotations

import argparse
import sys

from kg.store import StoreError, default_location, open_store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "changes", parents=[common],
        help="new and ended rivalries and alliances, acquisitions, new products and standards, backers, "
        "centrality movers and camps merged or split, between two dates",
    )
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE",
                   help="start of the span (YYYY, YYYY-MM, YYYY-MM-DD or YYYYQn): compared with the graph the day before")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="end of the span (its last day counts)")
    p.add_argument("--market", default=None, help="only facts touching entities of this catalog market (e.g. containers)")
    p.add_argument("--format", choices=["md", "json", "atom"], default="md")
    p.add_argument("--limit", type=int, default=50, help="items per section in Markdown (default 50; json lists all)")
    p.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_changes)


def cmd_changes(args: argparse.Namespace) -> int:
    from kg.changes import changes
    from kg.changes_format import render
    from kg.time_cache import is_remote, read_inputs
    from kg.timeline import TimeError, check_window, parse_day

    location = args.store or default_location()
    try:  # a bad date fails before anything is read
        check_window(parse_day(args.date_from), parse_day(args.date_to, end=True))
        if is_remote(location):  # a SPARQL server: no disk cache, the span's sentences only
            with open_store(location, read_only=True) as store:
                result = changes(store, args.date_from, args.date_to, market=args.market)
        else:  # cached on disk per store generation (kg.time_cache)
            got = read_inputs(location)
            result = changes(None, args.date_from, args.date_to, market=args.market, frame=got.frame,
                             ctx=got.context, evidence=got.evidence_of)
    except TimeError as exc:
        raise StoreError(str(exc)) from None
    text = render(result, args.format, limit=max(1, args.limit))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise StoreError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0


__all__ = ["cmd_changes", "register"]
