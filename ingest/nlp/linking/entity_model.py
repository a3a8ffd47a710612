"""The trained entity typer: decides each linked entity's type, or that it is no entity at all.

Mention finding and linking propose entities (catalog, NER, rules); their type votes are often
right for catalog names and wrong for the rest (a product named like its maker, a consortium named
like a company). This multinomial logistic regression reads the proposed type, the name's shape and
designators, the words around its mentions and the roles the rules gave it, and answers one of the
six types or ``NONE``. Like the relation model, it predicts with numpy alone from a JSON vocabulary
and an ``.npz`` of weights.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.nlp.relations.relation_features import tokens
from kg.model import Entity, Relation

TYPES: tuple[str, ...] = ("Vendor", "Product", "Standard", "Organization", "Person", "Event", "NONE")
_CJK = re.compile(r"[\u4e00-\u9fff]")
GIVEN_NAMES_PATH = Path(__file__).with_name("data") / "given_names.txt"


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Common English given names (a data file): "Jennifer Riggins" is a person, whatever the rules said."""
    lines = GIVEN_NAMES_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def _starts_with_given_name(names: list[str]) -> bool:
    for n in names:
        w = n.split()
        if 2 <= len(w) <= 4 and w[0] in given_names() and all(x[:1].isupper() for x in w):
            return True
    return False


def _shape(name: str) -> str:
    s = re.sub(r"[A-Z]", "A", name)
    s = re.sub(r"[a-z]+", "a", s)
    s = re.sub(r"[0-9]+", "9", s)
    s = _CJK.sub("中", s)
    return re.sub(r"中+", "中", s)[:12]


def _context(text: str, start: int, end: int, lang: str) -> tuple[list[str], list[str]]:
    """Two words (English stems) or two characters and the two-character string (Chinese, no segmenter
    call: it would cost more than the whole typer) on each side of a mention."""
    if lang == "zh":
        lt, rt = text[max(0, start - 2):start], text[end:end + 2]
        return [lt, lt[-1:]], [rt[:1], rt]
    return tokens(text[max(0, start - 40):start], lang)[-2:], tokens(text[end:end + 40], lang)[:2]


def entity_features(e: Entity, text: str, lang: str, roles: Counter) -> dict[str, float]:
    """Features of one proposed entity in its article."""
    f: dict[str, float] = {"rt=" + e.type: 1.0, "cat" if e.in_catalog else "nocat": 1.0,
                           f"rt_cat={e.type}|{e.in_catalog}": 1.0, "shape=" + _shape(e.name): 1.0}
    words = e.name.split()
    if words:
        f["first=" + words[0].lower()] = 1.0
        f["last=" + words[-1].lower().strip(".,")] = 1.0
    if _CJK.search(e.name):
        f["end1=" + e.name[-1:]] = 1.0
        f["end2=" + e.name[-2:]] = 1.0
    if any(ch.isdigit() for ch in e.name):
        f["digit"] = 1.0
    if _starts_with_given_name([e.name, *e.aliases][:6]):
        f["given_name"] = 1.0
    f["nwords=" + str(min(len(words), 4))] = 1.0
    f["nment=" + str(min(len(e.mentions), 4))] = 1.0
    for a in [e.name, *e.aliases][:6]:
        for w in a.split()[-1:]:
            f["alias_last=" + w.lower().strip(".,")] = 1.0
    for m in e.mentions[:8]:
        left, right = _context(text, m.start, m.end, lang)
        for w in left:
            f["l:" + w] = 1.0
        for w in right:
            f["r:" + w] = 1.0
        if left:
            f["l1:" + left[-1]] = 1.0
        if right:
            f["r1:" + right[0]] = 1.0
    for role, n in roles.items():
        f["role:" + role] = 1.0
        if n > 1:
            f["role2:" + role] = 1.0
    return f


def entity_roles(rels: list[Relation]) -> dict[str, Counter]:
    """Entity id -> how often it is subject or object of each predicate in the rule relations."""
    out: dict[str, Counter] = {}
    for r in rels:
        out.setdefault(r.subject, Counter())["s_" + r.predicate] += 1
        out.setdefault(r.object, Counter())["o_" + r.predicate] += 1
    return out


@dataclass
class EntityModel:
    """Weights of the entity typer."""

    vocab: dict[str, int]
    coef: np.ndarray  # (types, features)
    intercept: np.ndarray
    none_threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    @classmethod
    def fit(cls, feats: list[dict[str, float]], labels: list[str], *, c: float = 1.0, min_count: int = 2,
            seed: int = 0) -> EntityModel:
        from sklearn.linear_model import LogisticRegression

        from ingest.nlp.relations.relation_model import _matrix

        counts = Counter(k for f in feats for k in f)
        vocab = {k: i for i, k in enumerate(sorted(k for k, n in counts.items() if n >= min_count))}
        x = _matrix(feats, vocab)
        y = np.array([TYPES.index(lab) for lab in labels])
        lr = LogisticRegression(C=c, max_iter=2000, random_state=seed)
        lr.fit(x, y)
        coef = np.zeros((len(TYPES), len(vocab)), dtype=np.float32)
        intercept = np.full(len(TYPES), -20.0, dtype=np.float32)
        for row, k in enumerate(lr.classes_):
            coef[k] = lr.coef_[row] if len(lr.classes_) > 2 else (lr.coef_[0] if row else -lr.coef_[0])
            intercept[k] = lr.intercept_[row] if len(lr.classes_) > 2 else 0.0
        return cls(vocab=vocab, coef=coef, intercept=intercept)

    def probabilities(self, feats: list[dict[str, float]]) -> np.ndarray:
        from ingest.nlp.relations.relation_model import _matrix

        if not feats:
            return np.zeros((0, len(TYPES)), dtype=np.float32)
        z = np.asarray(_matrix(feats, self.vocab) @ self.coef.T + self.intercept)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def apply(self, entities: list[Entity], rels: list[Relation], text: str, lang: str) -> tuple[
            list[Entity], dict[str, str]]:
        """Entities retyped (or dropped as NONE), and old id -> new id for the ones kept."""
        roles = entity_roles(rels)
        probs = self.probabilities([entity_features(e, text, lang, roles.get(e.id, Counter())) for e in entities])
        kept: dict[str, Entity] = {}
        ids: dict[str, str] = {}
        for e, row in zip(entities, probs, strict=True):
            if row[-1] >= self.none_threshold and e.id not in roles:
                continue  # only a name nothing relates may be dropped: the rules' arguments are things
            t = TYPES[int(np.argmax(row[:-1]))]
            new = Entity(name=e.name, type=t, aliases=list(e.aliases), wikidata=e.wikidata, labels=dict(e.labels),
                         mentions=list(e.mentions), in_catalog=e.in_catalog)
            ids[e.id] = new.id
            same = kept.get(new.id)
            if same is None:
                kept[new.id] = new
            else:  # two proposals became one thing: one entity with both's names and mentions
                same.aliases += [a for a in new.aliases if a not in same.aliases and a != same.name]
                same.mentions = sorted(same.mentions + new.mentions, key=lambda m: m.start)
        return list(kept.values()), ids

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocab, key=self.vocab.get)
        np.savez_compressed(folder / "entities.npz", coef=self.coef.astype(np.float16), intercept=self.intercept)
        (folder / "entities.json").write_text(json.dumps(
            {"types": list(TYPES), "vocab": names, "none_threshold": self.none_threshold, "meta": self.meta},
            ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> EntityModel:
        info = json.loads((folder / "entities.json").read_text(encoding="utf-8"))
        arr = np.load(folder / "entities.npz")
        return cls(vocab={k: i for i, k in enumerate(info["vocab"])}, coef=arr["coef"].astype(np.float32),
                   intercept=arr["intercept"], none_threshold=info["none_threshold"], meta=info.get("meta", {}))
