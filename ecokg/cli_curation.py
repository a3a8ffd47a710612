"""`ecokg curate ...`: the analysts' corrections from the command line (thin over ``kg.curation.actions``)."""

from __future__ import annotations

import argparse
import json
import sys

from kg.curation import actions
from kg.curation.model import CurationError
from kg.namespace import local_name
from kg.store import open_store


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("curate", help="correct the graph: merge, split, rename, retype, reject, assert, undo, list, export")
    cs = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--why", help="the reason (required; kept with the correction)")
    who.add_argument("--by", dest="who", default=None, help="who corrects (default $ECOKG_USER or the login name)")
    parents = [common, who]

    q = cs.add_parser("merge", parents=parents, help="ENTITY and INTO are one thing (both names kept as aliases)")
    q.add_argument("entity", help="the entity merged away (name, alias or ent:IRI)")
    q.add_argument("into", help="the entity it is merged into")
    q.set_defaults(curate=_merge)

    q = cs.add_parser("split", parents=parents, help="in some articles ENTITY means something else")
    q.add_argument("entity")
    q.add_argument("--article", action="append", required=True, help="an article (IRI, URL or path); repeat")
    q.add_argument("--name", required=True, help="what the entity means in those articles")
    q.add_argument("--type", default=None, help="its type (default: the same type)")
    q.set_defaults(curate=_split)

    q = cs.add_parser("rename", parents=parents, help="give an entity another name (the old one stays an alias)")
    q.add_argument("entity")
    q.add_argument("name")
    q.set_defaults(curate=_rename)

    q = cs.add_parser("retype", parents=parents, help="give an entity another type")
    q.add_argument("entity")
    q.add_argument("type")
    q.set_defaults(curate=_retype)

    q = cs.add_parser("reject", parents=parents,
                      help="reject a fact (SUBJECT PREDICATE OBJECT, in one --article or everywhere) or, "
                           "with --entity, mark an entity as not a real entity")
    q.add_argument("fact", nargs="*", metavar="SUBJECT PREDICATE OBJECT")
    q.add_argument("--article", default=None, help="reject only this article's assertion")
    q.add_argument("--entity", default=None, help="this is not a real entity (it and its facts go)")
    q.set_defaults(curate=_reject)

    q = cs.add_parser("assert", parents=parents, help="state a fact the extraction missed")
    q.add_argument("fact", nargs=3, metavar=("SUBJECT", "PREDICATE", "OBJECT"))
    q.add_argument("--note", required=True, help="what the analyst knows")
    q.add_argument("--source", required=True, help="where it is said (a URL or a reference)")
    q.add_argument("--article", default=None, help="a stored article that says it (for training data)")
    q.add_argument("--evidence", default=None, help="the sentence of --article that says it, verbatim")
    q.set_defaults(curate=_assert)

    q = cs.add_parser("undo", parents=parents, help="undo a correction (it stays in the history)")
    q.add_argument("id", help="the correction's id (see: ecokg curate list)")
    q.set_defaults(curate=_undo)

    q = cs.add_parser("list", parents=[common], help="the corrections, newest last, with who, when and why")
    q.add_argument("--active", action="store_true", help="only those in force (not undone)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(curate=_list)

    q = cs.add_parser("export", parents=[common], help="the corrected extraction of the affected articles")
    q.add_argument("--format", choices=["gold"], default="gold",
                   help="gold: NAME.txt + NAME.gold.json per article (the format of spec/schema.md)")
    q.add_argument("--out", required=True, help="folder to write")
    q.add_argument("--all-articles", action="store_true", help="every stored article, not only the corrected ones")
    q.set_defaults(curate=_export)

    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Open the store (for writing unless the action only reads) and run the action; an unknown entity, a
    conflict or bad input is one line on stderr and exit 2, like every ecokg error."""
    read_only = args.action in ("list", "export")
    try:
        with open_store(args.store, read_only=read_only) as store:
            return int(args.curate(args, store) or 0)
    except CurationError as exc:  # printed here: `python -m ecokg.cli` has its own copy of ecokg.cli.CliError
        print(f"ecokg curate {args.action}: {exc}", file=sys.stderr)
        return 2


def _done(c) -> int:
    print(f"{c.id}: {c.summary(local_name)}")
    return 0


def _merge(args, store) -> int:
    return _done(actions.merge(store, args.entity, args.into, who=args.who, why=args.why))


def _split(args, store) -> int:
    return _done(actions.split(store, args.entity, args.article, args.name, args.type, who=args.who, why=args.why))


def _rename(args, store) -> int:
    return _done(actions.rename(store, args.entity, args.name, who=args.who, why=args.why))


def _retype(args, store) -> int:
    return _done(actions.retype(store, args.entity, args.type, who=args.who, why=args.why))


def _reject(args, store) -> int:
    if args.entity:
        if args.fact or args.article:
            raise CurationError("give either --entity or a fact (SUBJECT PREDICATE OBJECT [--article]), not both")
        return _done(actions.not_entity(store, args.entity, who=args.who, why=args.why))
    if len(args.fact) != 3:
        raise CurationError("give a fact as SUBJECT PREDICATE OBJECT (or --entity NAME)")
    s, p, o = args.fact
    return _done(actions.reject(store, s, p, o, article=args.article, who=args.who, why=args.why))


def _assert(args, store) -> int:
    s, p, o = args.fact
    return _done(actions.assert_fact(store, s, p, o, note=args.note, source=args.source, article=args.article,
                                     evidence=args.evidence, who=args.who, why=args.why))


def _undo(args, store) -> int:
    c = actions.undo(store, args.id, who=args.who, why=args.why)
    print(f"undid {c.id}: {c.summary(local_name)}")
    return 0


def _list(args, store) -> int:
    rows = actions.list_corrections(store, active_only=args.active)
    if args.json:
        for c in rows:
            print(json.dumps({"id": c.id, "kind": c.kind, "summary": c.summary(local_name), "who": c.who,
                              "when": c.when, "why": c.why, "active": c.active, "undone_at": c.undone_at,
                              "undone_by": c.undone_by}, ensure_ascii=False))
        return 0
    if not rows:
        print("no corrections")
    for c in rows:
        state = "" if c.active else f"  [undone {c.undone_at} by {c.undone_by}]"
        print(f"{c.id}  {c.when[:19]}Z  {c.who}  {c.summary(local_name)}  — {c.why}{state}")
    return 0


def _export(args, store) -> int:
    from kg.curation.gold import export_gold

    report = export_gold(store, args.out, every_article=args.all_articles)
    for art, reason in report.skipped:
        print(f"skipped {art}: {reason}", file=sys.stderr)
    print(f"wrote {len(report.written)} article(s) to {args.out}")
    return 1 if report.skipped and not report.written else 0
