"""Training data from gold folders, and the training and cross-validation of the learned stages.

A gold folder holds ``NAME.txt`` (or .md/.html) with ``NAME.gold.json`` (``../shared/spec/schema.md``).
Each article goes once through the extractor's candidate stages (mentions, linking, the rules); the
predicted entities are matched to the gold ones exactly as the scorer matches them, and every
candidate pair is labelled with the gold predicates between the matched entities. Cross-validation
splits by article, with related stories (``RELATED``) kept in one fold, and never scores an article
with a model that saw it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.evaluate import match_entities
from kg.model import SYMMETRIC_PREDICATES, Extraction

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass
class GoldDoc:
    """One annotated article: its name, text path and gold annotation."""

    name: str
    path: Path | None  # None when only the annotation was asked for
    gold: dict

    @property
    def lang(self) -> str:
        return self.gold.get("lang", "en")


def read_gold_dirs(folders: Iterable[str | Path], need_text: bool = True) -> list[GoldDoc]:
    """Every NAME.gold.json with its article NAME.txt/.md/.html beside it or in the folder above
    (``corpus/gold/`` annotates ``corpus/``)."""
    docs: list[GoldDoc] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: not a folder of gold files")
        for g in sorted(folder.glob("*.gold.json")):
            name = g.name[: -len(".gold.json")]
            text = next((d / (name + s) for d in (folder, folder.parent) for s in TEXT_SUFFIXES
                         if (d / (name + s)).is_file()), None)
            if text is None and need_text:
                raise FileNotFoundError(f"{g}: no article {name}.txt/.md/.html beside it")
            docs.append(GoldDoc(name, text, json.loads(g.read_text(encoding="utf-8"))))
    if not docs:
        raise FileNotFoundError("no NAME.gold.json files in " + ", ".join(map(str, folders)))
    return docs


def entity_alignment(ext: Extraction, gold: dict) -> dict[str, str]:
    """Predicted entity id -> gold canonical name, matched as the scorer matches (typed first, then loose)."""
    pred = [{"name": e.name, "type": e.type, "aliases": e.aliases} for e in ext.entities]
    typed = match_entities(pred, gold["entities"], typed=True)
    loose = match_entities(pred, gold["entities"], typed=False)
    out: dict[str, str] = {}
    for i, e in enumerate(ext.entities):
        gi = typed.get(i, loose.get(i))
        if gi is not None:
            out[e.id] = gold["entities"][gi]["name"]
    return out


def gold_pair_labels(ext: Extraction, gold: dict) -> dict[tuple[str, str], set[str]]:
    """(subject id, object id) -> gold predicates between the matched entities, in that direction.

    Symmetric predicates label both orders. Every place that names the pair is labelled with them:
    restricting positives to the place of the gold evidence was measured worse (5-fold CV on
    ../shared/train, relations F1 0.249 against 0.276 at precision 0.60), since gold relations are
    often stated across a passage rather than in the one sentence quoted.
    """
    align = entity_alignment(ext, gold)
    by_gold: dict[tuple[str, str], set[str]] = {}
    for r in gold["relations"]:
        by_gold.setdefault((r["subject"], r["object"]), set()).add(r["predicate"])
        if r["predicate"] in SYMMETRIC_PREDICATES:
            by_gold.setdefault((r["object"], r["subject"]), set()).add(r["predicate"])
    out: dict[tuple[str, str], set[str]] = {}
    for a, ga in align.items():
        for b, gb in align.items():
            if a != b and (ga, gb) in by_gold:
                out[(a, b)] = by_gold[(ga, gb)]
    return out


#: Related stories of ../shared/train (its README): each group stays in one fold.
RELATED: tuple[tuple[str, ...], ...] = (
    ("zh-a-02", "en-d-19"), ("en-a-16", "zh-a-05"), ("zh-a-17", "zh-b-19"), ("zh-a-04", "zh-d-04"),
    ("en-c-14", "zh-a-06"), ("zh-c-13", "zh-c-19"), ("en-e-12", "en-e-24"), ("en-e-11", "en-e-23"),
    ("en-e-20", "en-e-25"), ("en-e-01", "en-e-18"), ("zh-e-05", "zh-f-08"), ("zh-e-06", "zh-a-23", "en-b-16"),
    ("zh-e-08", "zh-a-01"), ("zh-e-18", "en-b-04"), ("zh-e-20", "zh-d-01"), ("zh-e-01", "zh-b-03"),
    ("zh-e-10", "en-b-02"), ("zh-f-09", "zh-f-10"), ("zh-f-13", "zh-f-24"),
)


def folds(names: Sequence[str], k: int, seed: int = 0,
          related: Sequence[Sequence[str]] = RELATED) -> list[list[int]]:
    """k lists of indices into names; related stories share a fold; groups dealt round-robin, shuffled."""
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    group_of = {n: g[0] for g in related for n in g}
    groups: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        groups.setdefault(group_of.get(n, n), []).append(i)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    keys.sort(key=lambda g: -len(groups[g]))  # big groups first, then fill the lightest fold
    out: list[list[int]] = [[] for _ in range(k)]
    for g in keys:
        min(out, key=len).extend(groups[g])
    return [sorted(f) for f in out]


# ---------------------------------------------------------------------------------------------- stages
@dataclass
class Example:
    """An annotated article with what the rule stages proposed for it."""

    doc: GoldDoc
    text: str
    proposed: Extraction


def propose(docs: Sequence[GoldDoc], workers: int = 1) -> list[Example]:
    """Run the rule stages (mentions, linking, rules; no learned model) over the annotated articles."""
    import os

    from ingest.nlp.learned import MODELS_ENV
    from ingest.parallel import extract_articles
    from ingest.text import read_article

    arts = [read_article(d.path) for d in docs]
    before = os.environ.get(MODELS_ENV)
    os.environ[MODELS_ENV] = "none"  # worker processes inherit it
    try:
        from ingest.nlp import pipeline

        pipeline._DEFAULT = None  # a process-wide extractor may hold learned models
        exts = extract_articles(arts, workers=workers)
    finally:
        if before is None:
            os.environ.pop(MODELS_ENV, None)
        else:
            os.environ[MODELS_ENV] = before
        pipeline._DEFAULT = None
    return [Example(d, a.text, e) for d, a, e in zip(docs, arts, exts, strict=True)]


def _entity_data(examples: Sequence[Example]) -> tuple[list[dict], list[str]]:
    from collections import Counter

    from ingest.nlp.linking.entity_model import entity_features, entity_roles

    feats: list[dict] = []
    labels: list[str] = []
    for ex in examples:
        ents = ex.proposed.entities
        roles = entity_roles(ex.proposed.relations)
        pred = [{"name": e.name, "type": e.type, "aliases": e.aliases} for e in ents]
        loose = match_entities(pred, ex.doc.gold["entities"], typed=False)
        for i, e in enumerate(ents):
            feats.append(entity_features(e, ex.text, ex.doc.lang, roles.get(e.id, Counter())))
            labels.append(ex.doc.gold["entities"][loose[i]]["type"] if i in loose else "NONE")
    return feats, labels


def _relation_data(examples: Sequence[Example], typer) -> tuple[list, list[dict], list[set[str]]]:
    """Per example (entities, relation candidates), plus every candidate's features and gold labels."""
    from ingest.nlp.learned import retype
    from ingest.nlp.relations.relation_features import candidates

    per_doc = []
    feats: list[dict] = []
    labels: list[set[str]] = []
    for ex in examples:
        ents, rules = retype(typer, ex.text, ex.doc.lang, ex.proposed.entities, ex.proposed.relations)
        cands = candidates(ex.text, ex.doc.lang, ents, rules)
        lab = gold_pair_labels(Extraction(ex.proposed.source, ex.doc.lang, ents, []), ex.doc.gold)
        per_doc.append((ents, cands))
        feats += [c.features for c in cands]
        labels += [lab.get((c.subject, c.object), set()) for c in cands]
    return per_doc, feats, labels


THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
#: An analyst reads every fact as a claim: of the thresholds whose inner-CV precision reaches this,
#: the one with the best F1 (else the strictest). Inner folds flatter precision a little: at 0.60 the
#: outer 5-fold CV on ../shared/train gave 0.577 (F1 0.309); at 0.65 it gives 0.615 (F1 0.292), so every
#: language stays at or above the 0.60 an analyst is promised.
PRECISION_FLOOR = 0.65
#: The score a relation the rules also found needs: the rules are precise, the model vetoes only the ones it
#: finds unlikely. Measured on 5-fold CV of ../shared/train (both languages, threshold 0.6): relations F1
#: 0.280 at precision 0.63 with it, 0.247 at 0.65 without; it also keeps the team-written regression sets up.
RULE_THRESHOLD = 0.1
#: The typer's regularisation and "no entity" threshold are chosen by inner CV among these (entity F1 of
#: the training articles' own inner folds).
ENTITY_C = (1.0, 3.0)
NONE_THRESHOLDS = (0.5, 0.6, 0.75, 0.9)
RELATION_C = 0.15
#: Languages whose mention finder is trained and used. Measured by 5-fold CV on ../shared/train (typer and
#: finder trained per fold): Chinese typed entities F1 0.758 -> 0.765 (29 of 50 added names right);
#: English 0.769 -> 0.768 (8 added, 1 right: the rules already find what the finder can learn to find).
MENTION_LANGS = ("zh",)


def fit_typer(examples: Sequence[Example], *, inner_folds: int = 3, seed: int = 0):
    """The entity typer, its C and "no entity" threshold chosen by inner CV on the training articles."""
    from ingest.nlp.linking.entity_model import EntityModel

    per = [_entity_data([ex]) for ex in examples]
    labels = [lab for _, ls in per for lab in ls]
    feats = [f for fs, _ in per for f in fs]
    if len(set(labels)) < 2 or not any(n >= 2 for n in _counts(feats).values()):
        return None  # with too little data the rule stages' types stand
    best = (ENTITY_C[0], NONE_THRESHOLDS[-2])
    if inner_folds >= 2 and len(examples) >= 2 * inner_folds:
        hits: dict[tuple[float, float], list[int]] = {(c, t): [0, 0, 0] for c in ENTITY_C for t in NONE_THRESHOLDS}
        for inner in folds([ex.doc.name for ex in examples], inner_folds, seed=seed + 2):
            held = set(inner)
            rows = [i for i in range(len(examples)) if i not in held]
            fs = [f for i in rows for f in per[i][0]]
            ls = [lab for i in rows for lab in per[i][1]]
            if len(set(ls)) < 2:
                continue
            for c in ENTITY_C:
                m = EntityModel.fit(fs, ls, c=c, seed=seed)
                for t in NONE_THRESHOLDS:
                    m.none_threshold = t
                    for i in inner:
                        ex = examples[i]
                        kept, _ = m.apply(ex.proposed.entities, ex.proposed.relations, ex.text, ex.doc.lang)
                        pred = [{"name": e.name, "type": e.type, "aliases": e.aliases} for e in kept]
                        h = hits[(c, t)]
                        h[0] += len(match_entities(pred, ex.doc.gold["entities"], typed=True))
                        h[1] += len(pred)
                        h[2] += len(ex.doc.gold["entities"])

        def f1(h: list[int]) -> float:
            return 2 * h[0] / (h[1] + h[2]) if h[1] + h[2] else 0.0

        best = max(hits, key=lambda k: (f1(hits[k]), -k[0], k[1]))
    typer = EntityModel.fit(feats, labels, c=best[0], seed=seed)
    typer.none_threshold = best[1]
    typer.meta["c"] = best[0]
    return typer


def fit_mentions(examples: Sequence[Example]):
    """The mention finder of these articles' language, or None where it is not used."""
    from ingest.nlp.mentions.mention_model import MentionModel

    if not examples or examples[0].doc.lang not in MENTION_LANGS:
        return None
    return MentionModel.fit([(ex.text, ex.proposed.entities, ex.doc.gold["entities"]) for ex in examples])


def _counts(feats: list[dict]) -> dict[str, int]:
    from collections import Counter

    return Counter(k for f in feats for k in f)


def fit_language(examples: Sequence[Example], *, inner_folds: int = 3, seed: int = 0):
    """The entity typer and relation classifier of one language, the threshold chosen by inner CV.

    The decision threshold is the one with the best relation F1 at precision >= PRECISION_FLOOR over the
    training articles' own inner folds (each scored by a classifier that did not see it), so no outside
    article tunes it.
    """
    from ingest.nlp.learned import LanguageModels
    from ingest.nlp.relations.relation_model import RelationModel

    typer = fit_typer(examples, inner_folds=inner_folds, seed=seed)
    per_doc, feats, labels = _relation_data(examples, typer)
    threshold = 0.3
    if inner_folds >= 2 and len(examples) >= 2 * inner_folds:
        spans, pos = [], 0
        for _, cands in per_doc:
            spans.append((pos, pos + len(cands)))
            pos += len(cands)
        found: dict[float, list[dict]] = {t: [] for t in THRESHOLDS}
        for inner in folds([ex.doc.name for ex in examples], inner_folds, seed=seed + 1):
            held = set(inner)
            rows = [j for i, (a, b) in enumerate(spans) if i not in held for j in range(a, b)]
            m = RelationModel.fit([feats[j] for j in rows], [labels[j] for j in rows], c=RELATION_C, seed=seed)
            m.rule_threshold = RULE_THRESHOLD
            for i in inner:
                ents, cands = per_doc[i]
                for t in THRESHOLDS:
                    m.thresholds[:] = t
                    rels = m.relations(cands, ents, examples[i].text)
                    found[t].append(Extraction(examples[i].doc.name + ".txt", examples[i].doc.lang, ents,
                                               rels).to_json())
        from ingest.evaluate import score

        golds = {ex.doc.name: ex.doc.gold for ex in examples}
        scores = {t: score(golds, found[t])["relations"] for t in THRESHOLDS}
        precise = [t for t in THRESHOLDS if scores[t]["precision"] >= PRECISION_FLOOR] or [THRESHOLDS[-1]]
        threshold = max(precise, key=lambda t: (scores[t]["f1"], t))
    rel = RelationModel.fit(feats, labels, c=RELATION_C, seed=seed)
    rel.thresholds[:] = threshold
    rel.rule_threshold = RULE_THRESHOLD
    return LanguageModels(typer, rel, fit_mentions(examples))


def train(examples: Sequence[Example], *, seed: int = 0):
    """LearnedStages for every language that has annotated articles."""
    from ingest.nlp.learned import LANGS, LearnedStages

    out = LearnedStages()
    for lang in LANGS:
        mine = [ex for ex in examples if ex.doc.lang == lang]
        if mine:
            out.models[lang] = fit_language(mine, seed=seed)
    out.meta["articles_seen"] = sorted(ex.doc.name for ex in examples)
    return out


def cross_validate(examples: Sequence[Example], k: int = 5, *, seed: int = 0, explain: bool = False) -> dict:
    """K-fold CV grouped by article (related stories together): each fold scored by models trained on the rest.

    Returns the scorer's report over all held-out predictions (overall, per language, per predicate)
    with the folds' article names.
    """
    from ingest.evaluate import score

    fold_idx = folds([ex.doc.name for ex in examples], k, seed=seed)
    preds: list[dict] = []
    why: dict[str, list[str]] = {}
    for held in fold_idx:
        held_set = set(held)
        stages = train([ex for i, ex in enumerate(examples) if i not in held_set], seed=seed)
        seen = set(stages.meta["articles_seen"]) & {examples[i].doc.name for i in held}
        if seen:  # never score an article with a model that trained on it
            raise RuntimeError(f"fold leak: {sorted(seen)[:3]}")
        for i in held:
            ex = examples[i]
            lines: list[str] | None = why.setdefault(ex.doc.name, []) if explain else None
            ents, rels = stages.apply(ex.text, ex.doc.lang, ex.proposed.entities, ex.proposed.relations, lines)
            preds.append(finalized(ex, ents, rels).to_json())
    report = score({ex.doc.name: ex.doc.gold for ex in examples}, preds)
    if explain:
        for a in report["articles"]:
            a["why"] = why.get(a["article"], [])
    report["folds"] = [[examples[i].doc.name for i in f] for f in fold_idx]
    return report


def finalized(ex: Example, ents, rels) -> Extraction:
    """The extractor's output contract on the learned stages' result (as ``Extractor._finish`` makes it)."""
    from ingest.nlp.relations.relations_common import finalize_relations

    return Extraction(ex.doc.name + ".txt", ex.doc.lang, ents, finalize_relations(rels, ents))
