"""Score extraction output against gold files, with the same rules as the shared scorer.

`evaluate(gold_dir, predictions)` gives precision, recall and F1 for typed
entities, untyped entities and relations: overall, per language and per
predicate, plus per-article misses and false alarms. Matching follows
`../shared/eval/score.py` (and schema.md) exactly: names and aliases compared
after NFKC, case-folding and dropping spaces and light punctuation; greedy
one-to-one entity matching; relation arguments resolved through the matched
entities; symmetric predicates order-free. Tests check the numbers agree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from kg.model import PREDICATES, SYMMETRIC_PREDICATES

TYPES = ("Vendor", "Product", "Standard", "Organization", "Person", "Event")
KINDS = ("entities", "entities_untyped", "relations")


def norm(name: str) -> str:
    """Comparison form of a name (the scorer's rule)."""
    s = unicodedata.normalize("NFKC", str(name)).casefold()
    return re.sub(r"[\s.,·•'’\"“”()（）]+", "", s)


def _names(ent: dict) -> set[str]:
    out = {norm(ent.get("name", ""))}
    out.update(norm(a) for a in ent.get("aliases", []) or [])
    out.discard("")
    return out


def match_entities(pred: list[dict], gold: list[dict], typed: bool = True) -> dict[int, int]:
    """Greedy one-to-one matching in prediction order; {pred_index: gold_index}."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for pi, p in enumerate(pred):
        pn = _names(p)
        for gi, g in enumerate(gold):
            if gi in used or (typed and p.get("type") != g.get("type")):
                continue
            if pn & _names(g):
                pairs[pi] = gi
                used.add(gi)
                break
    return pairs


def _resolve(name: str, pred: list[dict], gold: list[dict], typed: dict, loose: dict) -> str | None:
    """Map a predicted relation argument (entity id or name) to a gold canonical name."""
    for pi, p in enumerate(pred):
        if p.get("id") is not None and p.get("id") == name:
            gi = typed.get(pi, loose.get(pi))
            return gold[gi]["name"] if gi is not None else None
    n = norm(name)
    ranked = [pi for pi, p in enumerate(pred) if norm(p.get("name", "")) == n]
    ranked += [pi for pi, p in enumerate(pred) if pi not in ranked and n in _names(p)]
    for pi in ranked:
        gi = typed.get(pi, loose.get(pi))
        if gi is not None:
            return gold[gi]["name"]
    for g in sorted(gold, key=lambda g: norm(g["name"]) != n):
        if n in _names(g):
            return g["name"]
    return None


def _triples(rels: list[dict], mapper) -> set[tuple[str, str, str]]:
    out = set()
    for r in rels:
        s, o, p = mapper(r["subject"]), mapper(r["object"]), r.get("predicate")
        if s is None or o is None or p not in PREDICATES:
            out.add(("?", str(p), repr((r.get("subject"), r.get("object")))))
            continue
        if p in SYMMETRIC_PREDICATES and o < s:
            s, o = o, s
        out.add((s, p, o))
    return out


def prf(tp: int, npred: int, ngold: int) -> dict:
    """Precision, recall, F1 (rounded like the scorer) with the counts."""
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "tp": tp, "pred": npred, "gold": ngold}


def _stem(source: str) -> str:
    return Path(source).name.rsplit(".", 1)[0]


def evaluate(gold_dir: Path, predictions: list[dict]) -> dict:
    """Score predictions (Extraction.to_json() dicts) against NAME.gold.json files in gold_dir."""
    gold_files = {p.name[: -len(".gold.json")]: p for p in Path(gold_dir).glob("*.gold.json")}
    return score({name: json.loads(p.read_text(encoding="utf-8")) for name, p in gold_files.items()},
                 predictions)


def score(golds: dict[str, dict], predictions: list[dict]) -> dict:
    """Score predictions against gold annotations by article name (NAME of NAME.gold.json)."""
    preds = {_stem(obj["source"]): obj for obj in predictions}
    tot = {k: [0, 0, 0] for k in KINDS}
    by_lang: dict[str, dict[str, list[int]]] = {}
    by_pred = {p: [0, 0, 0] for p in PREDICATES}
    articles = []
    for stem, gold in sorted(golds.items()):
        pred = preds.get(stem, {"entities": [], "relations": []})
        ge, pe = gold["entities"], pred.get("entities", [])
        typed = match_entities(pe, ge, typed=True)
        loose = match_entities(pe, ge, typed=False)
        gmap = {g["name"]: g["name"] for g in ge}
        gt = _triples(gold["relations"], gmap.get)
        pt = _triples(pred.get("relations", []), lambda n, pe=pe, ge=ge, t=typed, lo=loose: _resolve(n, pe, ge, t, lo))
        rows = {"entities": (len(typed), len(pe), len(ge)),
                "entities_untyped": (len(loose), len(pe), len(ge)),
                "relations": (len(gt & pt), len(pt), len(gt))}
        lang = gold.get("lang", "?")
        by_lang.setdefault(lang, {k: [0, 0, 0] for k in KINDS})
        for k, row in rows.items():
            for acc in (tot[k], by_lang[lang][k]):
                for i in range(3):
                    acc[i] += row[i]
        for p in PREDICATES:
            g_p = {t for t in gt if t[1] == p}
            p_p = {t for t in pt if t[1] == p}
            by_pred[p][0] += len(g_p & p_p)
            by_pred[p][1] += len(p_p)
            by_pred[p][2] += len(g_p)
        articles.append({
            "article": stem, "lang": lang, "predicted": stem in preds,
            "entities_missed": [f"{g['name']}/{g['type']}" for gi, g in enumerate(ge) if gi not in typed.values()],
            "entities_extra": [f"{p.get('name')}/{p.get('type')}" for pi, p in enumerate(pe) if pi not in typed],
            "relations_missed": sorted(gt - pt),
            "relations_extra": sorted(pt - gt),
        })
    result = {k: prf(*v) for k, v in tot.items()}
    result["by_lang"] = {lang: {k: prf(*v) for k, v in d.items()} for lang, d in by_lang.items()}
    result["by_predicate"] = {p: prf(*v) for p, v in by_pred.items() if v[1] or v[2]}
    result["articles"] = articles
    return result


def format_report(report: dict, verbose: bool = False) -> str:
    """Human-readable report; verbose adds per-article misses and false alarms."""
    lines = []
    if verbose:
        for a in report["articles"]:
            lines.append(f"== {a['article']} ({a['lang']})" + ("" if a["predicted"] else " [no prediction]"))
            for k in ("entities_missed", "entities_extra", "relations_missed", "relations_extra"):
                lines.append(f"  {k.replace('_', ' ')}: {a[k]}")
            for w in a.get("why", []):
                lines.append(f"    why: {w}")
    for k in KINDS:
        r = report[k]
        lines.append(f"{k:17s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
                     f"(tp={r['tp']} pred={r['pred']} gold={r['gold']})")
    for lang, d in report["by_lang"].items():
        lines.append(f"  [{lang}] entities F1={d['entities']['f1']:.3f} (P={d['entities']['precision']:.3f} "
                     f"R={d['entities']['recall']:.3f}) relations F1={d['relations']['f1']:.3f} "
                     f"(P={d['relations']['precision']:.3f} R={d['relations']['recall']:.3f})")
    for p, r in report.get("by_predicate", {}).items():
        lines.append(f"  {p:15s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
                     f"(tp={r['tp']} pred={r['pred']} gold={r['gold']})")
    return "\n".join(lines)


def load_predictions(path: Path) -> list[dict]:
    """Predictions from a JSON-lines file (one Extraction.to_json() per line)."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """`python -m ingest.evaluate --gold DIR --pred PRED.jsonl [--verbose] [--json]`."""
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--pred", required=True, type=Path)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    report = evaluate(a.gold, load_predictions(a.pred))
    if a.json:
        print(json.dumps({k: v for k, v in report.items() if k != "articles"}))
    else:
        print(format_report(report, a.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
