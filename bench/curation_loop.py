"""The curation loop measured on real data: do an analyst's corrections make the next model better?

1. ``folds(names, K)`` over the gold folder: fold 0 is the analyst's articles (the correction pool),
   folds 1..K-1 the evaluation set.
2. Baseline: (K-1)-fold cross-validation over the evaluation folds, models trained on them only.
3. The analyst: a model trained on the evaluation folds extracts the pool's articles into an on-disk
   store (``ECOKG_MODELS`` at the saved model, the real ingest path), then corrections derived from gold
   go through ``kg.curation.actions``: junk entities marked not-entities, stored facts gold lacks
   rejected (in that article), types gold disagrees with retyped, gold facts between two stored
   entities asserted (with a note and the gold evidence). ``export_gold`` writes the corrected articles.
4. With corrections: the same cross-validation, each training set plus the exported articles.
5. Optionally (``--upper-bound``) the same with the pool's full hand annotation instead, the ceiling.

The corrections come from gold, so this is the best case of an analyst's work on these articles.

    python bench/curation_loop.py [--shared ../shared] [--workers 2] [--articles N]
        # -> bench/results/curation_loop.json and a table
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python bench/curation_loop.py`
    sys.path.insert(0, str(ROOT))

from ingest.evaluate import match_entities, score  # noqa: E402
from ingest.nlp.training import Example, finalized, folds, propose, read_gold_dirs, train  # noqa: E402
from kg.model import SYMMETRIC_PREDICATES  # noqa: E402

RESULT = ROOT / "bench" / "results" / "curation_loop.json"
NOTE = "derived from the gold annotation (curation-loop bench)"
WHO = "curation-loop-bench"
KEEP = ("precision", "recall", "f1", "tp", "pred", "gold")


# ---------------------------------------------------------------------------------------------- scoring
def cv_over(groups: Sequence[Sequence[Example]], extra: Sequence[Example] = (), *, seed: int = 0) -> dict:
    """Cross-validation over the given folds: each scored by models trained on the others plus ``extra``."""
    preds: list[dict] = []
    for i, held in enumerate(groups):
        training = [ex for j, g in enumerate(groups) if j != i for ex in g] + list(extra)
        stages = train(training, seed=seed)
        leak = set(stages.meta["articles_seen"]) & {ex.doc.name for ex in held}
        if leak - {ex.doc.name for ex in extra}:
            raise RuntimeError(f"fold leak: {sorted(leak)[:3]}")
        for ex in held:
            ents, rels = stages.apply(ex.text, ex.doc.lang, ex.proposed.entities, ex.proposed.relations)
            preds.append(finalized(ex, ents, rels).to_json())
    return score({ex.doc.name: ex.doc.gold for g in groups for ex in g}, preds)


def figures(report: dict) -> dict:
    """Entity and relation figures, overall and per language."""
    out = {"all": {k: {m: report[k][m] for m in KEEP} for k in ("entities", "relations")}}
    for lang, d in sorted(report["by_lang"].items()):
        out[lang] = {k: {m: d[k][m] for m in KEEP} for k in ("entities", "relations")}
    return out


# ---------------------------------------------------------------------------------------------- the analyst
def stored_article(store, art: str) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """The entities an article mentions (IRI, name, type, aliases) and its facts (subject, predicate, object)."""
    import pyoxigraph as ox

    from kg.namespace import ECO, RDF, RDFS, SKOS, local_name

    g = ox.NamedNode(art)
    desc: dict[str, dict] = {}
    q = f"""SELECT ?e ?p ?v WHERE {{ GRAPH {g} {{ {g} <{ECO.mentions}> ?e . ?e ?p ?v
            VALUES ?p {{ <{RDF.type}> <{RDFS.label}> <{SKOS.altLabel}> }} }} }}"""
    for sol in store.query(q, union=False):
        d = desc.setdefault(sol["e"].value, {"iri": sol["e"].value, "type": None, "labels": {}, "aliases": []})
        p, v = sol["p"].value, sol["v"]
        if p == str(RDF.type):
            d["type"] = local_name(v.value)
        elif p == str(RDFS.label):
            d["labels"].setdefault(v.language or "en", v.value)
        else:
            d["aliases"].append(v.value)
    ents = []
    for iri in sorted(desc):
        d = desc[iri]
        labels = d["labels"]
        name = labels.get("en") or next(iter(labels.values()), local_name(iri))
        aliases = sorted({*labels.values(), *d["aliases"]} - {name})
        ents.append({"iri": iri, "name": name, "type": d["type"] or "", "aliases": aliases})
    q = f"""SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?a <{ECO.subject}> ?s ; <{ECO.predicate}> ?p ; <{ECO.object}> ?o }} }}"""
    facts = sorted({(sol["s"].value, local_name(sol["p"].value), sol["o"].value) for sol in store.query(q, union=False)})
    return ents, facts


def align(ents: list[dict], gold: dict) -> dict[str, int]:
    """Stored entity IRI -> index of the gold entity, matched as the scorer matches (typed first, then loose)."""
    typed = match_entities(ents, gold["entities"], typed=True)
    loose = match_entities(ents, gold["entities"], typed=False)
    return {e["iri"]: gi for i, e in enumerate(ents) if (gi := typed.get(i, loose.get(i))) is not None}


def _key(s: str, p: str, o: str) -> tuple[str, str, str]:
    return (min(s, o), p, max(s, o)) if p in SYMMETRIC_PREDICATES else (s, p, o)


def correct_from_gold(store, articles: dict[str, tuple[str, dict]]) -> dict:
    """Record the corrections an analyst who knows the gold would make, through ``kg.curation.actions``.

    ``articles``: article IRI -> (name, gold). Entities that match no gold entity in any article
    (by name, the scorer's way) are marked not-entities; a fact the article's gold lacks is rejected
    in that article; an entity whose gold type differs (most common over its articles) is retyped; a
    gold fact whose two entities are stored but which the article lacks is asserted for that article.
    Returns the counts by kind, and the corrections the curation layer refused (with its message).
    """
    from kg.curation import actions
    from kg.curation.model import CurationError

    done: Counter = Counter()
    refused: Counter = Counter()
    examples: list[str] = []

    def do(kind: str, fn, *args, **kw) -> None:
        try:
            fn(store, *args, who=WHO, **kw)
            done[kind] += 1
        except CurationError as exc:
            refused[kind] += 1
            if len(examples) < 5:
                examples.append(f"{kind}: {exc}")

    seen = {art: stored_article(store, art) for art in articles}
    aligned = {art: align(seen[art][0], gold) for art, (_, gold) in articles.items()}
    all_ents = {e["iri"]: e for ents, _ in seen.values() for e in ents}
    matched = {iri for a in aligned.values() for iri in a}
    junk = sorted(set(all_ents) - matched)
    for iri in junk:  # its facts leave with it
        do("not-entity", actions.not_entity, iri, why="not an entity of the gold annotation")
    for art, (_, gold) in articles.items():
        names = {iri: gold["entities"][gi]["name"] for iri, gi in aligned[art].items()}
        gold_facts = {_key(r["subject"], r["predicate"], r["object"]) for r in gold["relations"]}
        for s, p, o in seen[art][1]:
            if s in junk or o in junk:
                continue
            if s not in names or o not in names or _key(names[s], p, names[o]) not in gold_facts:
                do("reject", actions.reject, s, p, o, article=art, why="the article does not say this (gold)")
    types: dict[str, Counter] = {}
    for art, (_, gold) in articles.items():
        for iri, gi in aligned[art].items():
            types.setdefault(iri, Counter())[gold["entities"][gi]["type"]] += 1
    for iri, c in sorted(types.items()):
        t = c.most_common(1)[0][0]
        if t and t != all_ents[iri]["type"]:
            do("retype", actions.retype, iri, t, why=f"gold types it {t}")
    for art, (_, gold) in articles.items():
        text = actions.article_text(store, art) or ""
        iri_of = {gold["entities"][gi]["name"]: iri for iri, gi in aligned[art].items()}
        have = {_key(s, p, o) for s, p, o in seen[art][1]}
        asked = set()
        for r in gold["relations"]:
            s, o = iri_of.get(r["subject"]), iri_of.get(r["object"])
            if s is None or o is None or s == o:
                continue
            k = _key(s, r["predicate"], o)
            if k in have or k in asked:
                continue
            asked.add(k)
            ev = r.get("evidence") or None
            do("assert", actions.assert_fact, s, r["predicate"], o, note=NOTE, source=art, article=art,
               evidence=ev if ev and ev in text else None, why="the article says it (gold)")
    return {"applied": dict(sorted(done.items())), "refused": dict(sorted(refused.items())),
            "refused_examples": examples, "total": sum(done.values())}


def analyst_round(pool: Sequence[Example], trained_on: Sequence[Example], work: Path, *, workers: int,
                  seed: int = 0) -> tuple[list[Example], dict]:
    """Extract the pool with a model trained on ``trained_on``, correct it from gold, export, re-propose."""
    from ingest.ingestion import ingest_paths
    from ingest.nlp import pipeline
    from ingest.nlp.learned import MODELS_ENV
    from ingest.parallel import ProcessExtractor
    from kg.curation import actions
    from kg.curation.gold import export_gold
    from kg.store import open_store

    models = work / "models"
    stages = train(trained_on, seed=seed)
    stages.save(models)
    before = os.environ.get(MODELS_ENV)
    os.environ[MODELS_ENV] = str(models)  # worker processes inherit it
    pipeline._DEFAULT = None
    store = open_store(str(work / "store"))
    try:
        paths = [str(ex.doc.path) for ex in pool]
        if workers > 1 and len(paths) > 1:
            with ProcessExtractor(min(workers, len(paths))) as pool_x:
                report = ingest_paths(store, paths, extract_batch=pool_x)
        else:
            report = ingest_paths(store, paths)
        if report.failed:
            raise RuntimeError(f"ingest failed: {report.failed[:3]}")
        arts = {actions.find_article(store, str(ex.doc.path)): (ex.doc.name, ex.doc.gold) for ex in pool}
        info = correct_from_gold(store, arts)
        exported = export_gold(store, work / "corrected")
        info["exported"] = len(exported.written)
        info["export_skipped"] = len(exported.skipped)
        info["articles"] = len(arts)
    finally:
        store.close()
        if before is None:
            os.environ.pop(MODELS_ENV, None)
        else:
            os.environ[MODELS_ENV] = before
        pipeline._DEFAULT = None
    extra = propose(read_gold_dirs([work / "corrected"]), workers=workers) if info["exported"] else []
    # how close the corrected articles come to their hand annotation (the analyst cannot add entities)
    hand = {ex.doc.name: ex.doc.gold for ex in pool if ex.doc.name in {e.doc.name for e in extra}}
    if hand:
        report = score(hand, [{**e.doc.gold, "source": e.doc.name + ".txt"} for e in extra])
        info["export_vs_gold"] = {k: {m: report[k][m] for m in KEEP} for k in ("entities", "relations")}
    info["store"] = str(work / "store")
    info["export_dir"] = str(work / "corrected")
    return extra, info


# ---------------------------------------------------------------------------------------------- the loop
def run_loop(gold_dir: Path, *, k: int = 5, workers: int = 1, articles: int | None = None, seed: int = 0,
             upper_bound: bool = False, work: Path | None = None) -> dict:
    """The whole loop; returns the JSON result (figures, corrections, deltas, timings)."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    docs = read_gold_dirs([gold_dir])
    idx = folds([d.name for d in docs], k, seed=seed)
    pool_docs = [docs[i] for i in idx[0]][: articles or None]
    eval_docs = [[docs[i] for i in f] for f in idx[1:]]
    t = time.perf_counter()
    flat = propose(pool_docs + [d for f in eval_docs for d in f], workers=workers)
    timings["propose"] = time.perf_counter() - t
    pool, rest = flat[: len(pool_docs)], flat[len(pool_docs):]
    groups, pos = [], 0
    for f in eval_docs:
        groups.append(rest[pos: pos + len(f)])
        pos += len(f)
    t = time.perf_counter()
    base = cv_over(groups, seed=seed)
    timings["baseline_cv"] = time.perf_counter() - t
    t = time.perf_counter()
    own = work is None
    work = Path(work or tempfile.mkdtemp(prefix="ecokg-curation-loop-"))
    extra, corrections = analyst_round(pool, [ex for g in groups for ex in g], work, workers=workers, seed=seed)
    timings["analyst"] = time.perf_counter() - t
    t = time.perf_counter()
    corrected = cv_over(groups, extra, seed=seed)
    timings["corrected_cv"] = time.perf_counter() - t
    runs = {"baseline": figures(base), "with_corrections": figures(corrected)}
    if upper_bound:
        t = time.perf_counter()
        runs["with_full_gold"] = figures(cv_over(groups, pool, seed=seed))
        timings["full_gold_cv"] = time.perf_counter() - t
    delta = {scope: {kind: round(runs["with_corrections"][scope][kind]["f1"] - runs["baseline"][scope][kind]["f1"], 3)
                     for kind in ("entities", "relations")} for scope in runs["baseline"]}
    if own:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
        corrections.pop("store")
        corrections.pop("export_dir")
    timings["total"] = time.perf_counter() - t0
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "gold": str(gold_dir), "k": k, "seed": seed, "workers": workers,
        "pool": sorted(d.name for d in pool_docs), "pool_exported": [ex.doc.name for ex in extra],
        "evaluation_articles": sum(len(f) for f in eval_docs),
        "corrections": corrections, "runs": runs, "delta_f1": delta,
        "seconds": {k_: round(v, 1) for k_, v in timings.items()},
        "peak_rss_mb": {"self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                        "workers": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)},
    }


def table(result: dict) -> str:
    """The figures as a short text table: one row per run and scope, P/R/F1 of entities and relations."""
    runs = result["runs"]
    lines = [f"{'run':18s}{'scope':6s}{'entities P/R/F1':>22s}{'relations P/R/F1':>22s}"]
    for name, r in runs.items():
        for scope, d in r.items():
            lines.append(f"{name:18s}{scope:6s}" + "".join(
                f"{d[k]['precision']:.3f}/{d[k]['recall']:.3f}/{d[k]['f1']:.3f}".rjust(22)
                for k in ("entities", "relations")))
    for scope, d in result["delta_f1"].items():
        lines.append(f"{'delta F1':18s}{scope:6s}{d['entities']:+22.3f}{d['relations']:+22.3f}")
    c = result["corrections"]
    lines.append(f"corrections on {c['articles']} articles: " + ", ".join(f"{k} {v}" for k, v in c["applied"].items())
                 + ("; refused: " + ", ".join(f"{k} {v}" for k, v in c["refused"].items()) if c["refused"] else "")
                 + f"; exported {c['exported']} corrected articles")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder (its train/ is used)")
    ap.add_argument("--gold", default=None, help="a gold folder instead of SHARED/train")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--articles", type=int, default=None, help="correct only the first N articles of the pool")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--upper-bound", action="store_true", help="also train with the pool's full hand annotation")
    ap.add_argument("--out", default=str(RESULT))
    args = ap.parse_args(argv)
    gold = Path(args.gold or Path(args.shared) / "train")
    if not gold.is_dir():
        print(f"error: {gold}: no such folder", file=sys.stderr)
        return 2
    if args.folds < 3:
        print("error: --folds must be at least 3 (one pool fold, two to cross-validate)", file=sys.stderr)
        return 2
    result = run_loop(gold, k=args.folds, workers=args.workers, articles=args.articles, seed=args.seed,
                      upper_bound=args.upper_bound)
    result["command"] = "python bench/curation_loop.py " + " ".join(argv if argv is not None else sys.argv[1:])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("precision/recall/F1 by scope and kind")
    print(table(result))
    print(f"written to {out} in {result['seconds']['total']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
