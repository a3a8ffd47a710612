"""The trained relation classifier: one logistic regression per predicate over candidate features.

Training (``fit``) uses scikit-learn; prediction needs only numpy, with the weights kept as a JSON
vocabulary and an ``.npz`` of coefficients beside the code that loads them (``models/``). A pair's
score for a predicate is the best over its candidates (places in the text); symmetric predicates
take the best of both orders. ``explain`` lists the features that pushed a decision, for
``ecokg eval --verbose``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.nlp.relations.relation_features import Candidate
from kg.model import PREDICATES, SYMMETRIC_PREDICATES, Entity, Relation

PREDICATE_ORDER: tuple[str, ...] = tuple(sorted(PREDICATES))


@dataclass
class RelationModel:
    """Weights of the per-predicate classifiers and the decision thresholds."""

    vocab: dict[str, int]
    coef: np.ndarray  # (predicates, features)
    intercept: np.ndarray  # (predicates,)
    thresholds: np.ndarray  # (predicates,)
    predicates: tuple[str, ...] = PREDICATE_ORDER
    meta: dict = field(default_factory=dict)
    #: a relation the rules also found needs only this score (they are precise; the model vetoes the
    #: ones it finds unlikely)
    rule_threshold: float = 1.0

    # ------------------------------------------------------------------ training
    @classmethod
    def fit(cls, feats: list[dict[str, float]], labels: list[set[str]], *, c: float = 0.5,
            min_count: int = 2, thresholds: dict[str, float] | None = None, seed: int = 0) -> RelationModel:
        """Fit one L2 logistic regression per predicate; features seen fewer than min_count times drop."""
        from sklearn.linear_model import LogisticRegression

        counts = Counter(k for f in feats for k in f)
        vocab = {k: i for i, k in enumerate(sorted(k for k, n in counts.items() if n >= min_count))}
        x = _matrix(feats, vocab)
        coef = np.zeros((len(PREDICATE_ORDER), len(vocab)), dtype=np.float32)
        intercept = np.full(len(PREDICATE_ORDER), -10.0, dtype=np.float32)
        for i, p in enumerate(PREDICATE_ORDER):
            y = np.array([p in lab for lab in labels], dtype=np.int8)
            if not vocab or y.sum() < 2 or y.sum() == len(y):  # nothing to learn from: never fires
                continue
            lr = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=500)
            lr.fit(x, y)
            coef[i] = lr.coef_[0]
            intercept[i] = lr.intercept_[0]
        th = np.array([(thresholds or {}).get(p, 0.5) for p in PREDICATE_ORDER], dtype=np.float32)
        return cls(vocab=vocab, coef=coef, intercept=intercept, thresholds=th)

    # ------------------------------------------------------------------ prediction
    def scores(self, cands: list[Candidate]) -> np.ndarray:
        """Probability of each predicate for each candidate, shape (candidates, predicates)."""
        if not cands:
            return np.zeros((0, len(self.predicates)), dtype=np.float32)
        x = _matrix([c.features for c in cands], self.vocab)
        z = x @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(z)))

    def relations(self, cands: list[Candidate], entities: list[Entity], text: str) -> list[Relation]:
        """Relations whose best candidate passes the predicate's threshold, with that place as evidence."""
        probs = self.scores(cands)
        best: dict[tuple[str, str, str], tuple[float, Candidate]] = {}
        voted: set[tuple[str, str, str]] = set()
        for c, row in zip(cands, probs, strict=True):
            for i, p in enumerate(self.predicates):
                s, o = c.subject, c.object
                if p in SYMMETRIC_PREDICATES and o < s:
                    s, o = o, s
                k = (s, p, o)
                if k not in best or row[i] > best[k][0]:
                    best[k] = (float(row[i]), c)
                if "rule:" + p in c.features:
                    voted.add(k)
        out: list[Relation] = []
        th = dict(zip(self.predicates, self.thresholds, strict=True))
        for k, (prob, c) in best.items():
            s, p, o = k
            if prob >= (min(th[p], self.rule_threshold) if k in voted else th[p]):
                out.append(Relation(s, p, o, text[c.start:c.end], round(prob, 3), c.start, c.end))
        return out

    def explain(self, cand: Candidate, predicate: str, top: int = 6) -> list[tuple[str, float]]:
        """The features that weigh most for (or against) this predicate on this candidate."""
        i = self.predicates.index(predicate)
        w = [(k, float(self.coef[i, self.vocab[k]])) for k in cand.features if k in self.vocab]
        return sorted(w, key=lambda kv: -abs(kv[1]))[:top]

    # ------------------------------------------------------------------ files
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        keep = np.flatnonzero(np.abs(self.coef).max(axis=0) > 1e-4)  # features with any weight
        names = sorted(self.vocab, key=self.vocab.get)
        vocab = [names[j] for j in keep]
        np.savez_compressed(folder / "relations.npz", coef=self.coef[:, keep].astype(np.float16),
                            intercept=self.intercept, thresholds=self.thresholds)
        (folder / "relations.json").write_text(json.dumps(
            {"predicates": list(self.predicates), "vocab": vocab, "rule_threshold": self.rule_threshold,
             "meta": self.meta},
            ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> RelationModel:
        info = json.loads((folder / "relations.json").read_text(encoding="utf-8"))
        arr = np.load(folder / "relations.npz")
        return cls(vocab={k: i for i, k in enumerate(info["vocab"])}, coef=arr["coef"].astype(np.float32),
                   intercept=arr["intercept"], thresholds=arr["thresholds"],
                   predicates=tuple(info["predicates"]), meta=info.get("meta", {}),
                   rule_threshold=info.get("rule_threshold", 1.0))


def _matrix(feats: list[dict[str, float]], vocab: dict[str, int]):
    """A CSR matrix of the known features of each row."""
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for f in feats:
        for k, v in f.items():
            j = vocab.get(k)
            if j is not None:
                indices.append(j)
                data.append(v)
        indptr.append(len(indices))
    return csr_matrix((np.array(data, dtype=np.float32), np.array(indices, dtype=np.int64), np.array(indptr)),
                      shape=(len(feats), len(vocab)))
