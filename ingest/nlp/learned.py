"""The learned stages of extraction, applied after mentions, linking and the rules.

``LearnedStages`` holds, per language, the entity typer and the relation classifier trained by
``ecokg train`` (``ingest/nlp/models/<lang>/``), and where it helps the mention finder. ``apply``
takes what the rule stages proposed (entities with their mentions, rule relations) and returns the
entities the typer keeps, plus the names the mention finder adds, and the relations the classifier finds among all pairs named together, the rules' relations being one of
its features. Explicit negation ("not really competing", "不是真正…竞争") vetoes a relation whatever
the score.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.nlp.linking.entity_model import EntityModel
from ingest.nlp.mentions.mention_model import MODEL_FILE as MENTION_FILE
from ingest.nlp.mentions.mention_model import MentionModel
from ingest.nlp.relations.end_cues import end_cue
from ingest.nlp.relations.relation_features import candidates
from ingest.nlp.relations.relation_model import RelationModel
from kg.model import Entity, Relation

MODELS_DIR = Path(__file__).with_name("models")
MODELS_ENV = "ECOKG_MODELS"  # a models folder, or "none" for the rule stages alone
LANGS = ("en", "zh")

#: Negations that cancel a relation stated in the same clause (a veto, not a feature). Endings ("ended
#: its partnership", "终止合作") are not vetoed: ``end_cues`` marks them, so the graph knows when an edge stopped.
_NEGATED = {
    "en": re.compile(r"\b(?:not (?:really |directly |actually )?(?:compet|rival|partner|a rival|a competitor)"
                     r"|never (?:compet|partner)|denied|deny|denies|isn't (?:really )?compet"
                     r"|aren't (?:really )?compet)", re.I),
    "zh": re.compile(r"不是真正|并不是|並不是|否认|否認|并非|並非|没有竞争"),
}


def negated(sentence: str, lang: str) -> bool:
    """Whether the sentence denies what it states (and does not say it ended, which is kept as an ending)."""
    return bool(_NEGATED["zh" if lang == "zh" else "en"].search(sentence)) and not end_cue(sentence)


@dataclass
class LanguageModels:
    entities: EntityModel | None
    relations: RelationModel
    mentions: MentionModel | None = None


@dataclass
class LearnedStages:
    """The trained models of each language, and what they were trained on."""

    models: dict[str, LanguageModels] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None) -> LearnedStages | None:
        """The models in folder (default: $ECOKG_MODELS, else the shipped ones); None when there are none."""
        env = os.environ.get(MODELS_ENV, "")
        if folder is None and env.lower() in {"none", "off", "rules"}:
            return None
        folder = Path(folder or env or MODELS_DIR)
        out = cls()
        for lang in LANGS:
            d = folder / lang
            if (d / "relations.json").is_file():
                ents = EntityModel.load(d) if (d / "entities.json").is_file() else None
                found = MentionModel.load(d) if (d / MENTION_FILE).is_file() else None
                out.models[lang] = LanguageModels(ents, RelationModel.load(d), found)
        if not out.models:
            return None
        meta = folder / "meta.json"
        out.meta = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}
        return out

    def save(self, folder: Path) -> None:
        for lang, m in self.models.items():
            if m.entities is not None:
                m.entities.save(folder / lang)
            else:  # no typer this time: an older one must not be loaded with these relations
                for stale in ("entities.json", "entities.npz"):
                    (folder / lang / stale).unlink(missing_ok=True)
            if m.mentions is not None:
                m.mentions.save(folder / lang)
            else:
                (folder / lang / MENTION_FILE).unlink(missing_ok=True)
            m.relations.save(folder / lang)
        (folder / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")

    def apply(self, text: str, lang: str, entities: list[Entity], rules: list[Relation],
              why: list[str] | None = None) -> tuple[list[Entity], list[Relation]]:
        """Entities kept and typed by the typer, relations decided by the classifier.

        With a list as ``why``, one line per relation found is appended to it: its score and the
        features that weighed most (``ecokg eval --verbose``).
        """
        m = self.models.get(lang)
        if m is None:
            return entities, rules
        found = m.mentions.find(text, entities) if m.mentions is not None else []
        entities, rules = retype(m.entities, text, lang, entities, rules)
        have = {e.id for e in entities}
        entities = entities + [e for e in found if e.id not in have]
        cands = candidates(text, lang, entities, rules)
        rels = [r for r in m.relations.relations(cands, entities, text) if not negated(r.evidence, lang)]
        if why is not None:
            names = {e.id: e.name for e in entities}
            for r in rels:
                c = next(c for c in cands if {c.subject, c.object} == {r.subject, r.object} and c.start == r.start)
                top = m.relations.explain(c, r.predicate)
                why.append(f"{names[r.subject]} {r.predicate} {names[r.object]} ({r.confidence:.2f}): "
                           + ", ".join(f"{k} {w:+.2f}" for k, w in top))
        return entities, rels


def retype(model: EntityModel | None, text: str, lang: str, entities: list[Entity],
           rules: list[Relation]) -> tuple[list[Entity], list[Relation]]:
    """The typer's entities, with the rule relations re-pointed at their new ids."""
    if model is None:
        return entities, rules
    kept, ids = model.apply(entities, rules, text, lang)
    moved = [Relation(ids[r.subject], r.predicate, ids[r.object], r.evidence, r.confidence, r.start, r.end)
             for r in rules if r.subject in ids and r.object in ids]
    return kept, moved
