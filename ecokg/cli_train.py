"""`ecokg train`: rebuild the learned extraction models from gold folders (a thin layer over training)."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path


def register(sub, common) -> None:
    """Add the `train` subcommand."""
    from ecokg.cli import _add_workers_argument

    p = sub.add_parser("train", help="train the entity typer and relation classifier on gold folders")
    p.add_argument("--gold", required=True, nargs="+", metavar="DIR",
                   help="folders of NAME.gold.json with their articles (e.g. ../shared/train corpus/gold)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="where the models go (default: the shipped ones, ingest/nlp/models)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cv", type=int, default=0, metavar="K",
                   help="also record K-fold cross-validated figures with the models (over --cv-gold)")
    p.add_argument("--cv-gold", nargs="+", metavar="DIR", default=None,
                   help="the folders to cross-validate on (default: --gold)")
    _add_workers_argument(p)
    p.set_defaults(func=cmd_train)


def corpus_digest(docs) -> str:
    """A short fingerprint of the training annotations, recorded with the models."""
    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d.name):
        h.update(d.name.encode())
        h.update(repr(sorted(d.gold.items(), key=lambda kv: kv[0])).encode())
    return h.hexdigest()[:16]


def cmd_train(args: argparse.Namespace) -> int:
    from ecokg.cli import CliError
    from ingest.nlp.training import propose, read_gold_dirs, train

    try:
        docs = read_gold_dirs(args.gold)
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from exc
    print(f"proposing entities and rule relations for {len(docs)} articles ...", file=sys.stderr)
    examples = propose(docs, workers=args.workers)
    print("fitting ...", file=sys.stderr)
    stages = train(examples, seed=args.seed)
    stages.meta = {**stages.meta,
        "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "gold": [str(g) for g in args.gold],
        "articles": {lang: sum(1 for d in docs if d.lang == lang) for lang in stages.models},
        "annotations_sha256": corpus_digest(docs),
        "thresholds": {lang: float(m.relations.thresholds[0]) for lang, m in stages.models.items()},
        "rule_thresholds": {lang: m.relations.rule_threshold for lang, m in stages.models.items()},
    }
    if args.cv:
        from ingest.nlp.training import cross_validate

        cv_docs = read_gold_dirs(args.cv_gold) if args.cv_gold else docs
        cv_examples = examples if not args.cv_gold else propose(cv_docs, workers=args.workers)
        print(f"cross-validating ({args.cv} folds, {len(cv_docs)} articles) ...", file=sys.stderr)
        stages.meta["cv"] = cv_summary(cross_validate(cv_examples, args.cv, seed=args.seed), args.cv,
                                       args.cv_gold or args.gold)
    from ingest.nlp.learned import MODELS_DIR  # imported here: every ecokg command registers this module

    out = Path(args.out or MODELS_DIR)
    stages.save(out)
    print(f"models written to {out}: " + ", ".join(f"{k} {v} articles" for k, v in stages.meta["articles"].items()))
    return 0


def cv_summary(report: dict, k: int, gold: list[str]) -> dict:
    """The figures of a cross-validation report worth keeping with the models."""
    keep = ("precision", "recall", "f1")
    out = {"k": k, "gold": [str(g) for g in gold]}
    for lang, d in report["by_lang"].items():
        out[lang] = {kind: {m: d[kind][m] for m in keep} for kind in ("entities", "relations")}
    out["all"] = {kind: {m: report[kind][m] for m in keep} for kind in ("entities", "relations")}
    out["by_predicate"] = {p: {m: r[m] for m in keep} for p, r in report["by_predicate"].items()}
    return out
