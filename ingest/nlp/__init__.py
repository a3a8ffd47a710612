"""Entity and relation extraction (English with spaCy, Chinese with jieba).

Entry points: `get_extractor()` (one per process) and `Extractor.extract` /
`Extractor.extract_many`, returning `kg.model.Extraction`.

Module map:

- `pipeline`: the Extractor; language dispatch, spaCy loading, shared post-processing.
- `lang`: `detect_lang` (CJK share).
- `gazetteer`: catalog surface forms found in raw text (both languages).
- `relations_common`: schema type constraints, dedup, evidence/confidence rules.
- `en`: English orchestration (ticker removal, line-break sentences, per-doc stages).
- `en_lexicon`: general English cue words (no names of particular companies).
- `en_mentions`: candidate mentions and their type votes (catalog, NER, cue rules).
- `linking`: mentions -> entities (short forms, acronyms, company/product split, editions).
- `en_relations`: relations from dependency paths, roles, negation/hedges, coreference.
- `en_patterns`: relations from short surface patterns where the parse is unreliable.
- `zh*`: Chinese extraction (`zh.extract_zh`), owned separately.
- `end_cues`: whether a relation's evidence says it stopped (cues in `data/end_cues.json`); called by
  `relations_common.finalize_relations`, so it holds whatever produced the relation.
- `event_time`: the date a sentence gives its event, resolved against the article's date (ingestion
  and `ecokg extract` call `date_relations`).
"""

from ingest.nlp.lang import detect_lang
from ingest.nlp.pipeline import Extractor, get_extractor

__all__ = ["Extractor", "get_extractor", "detect_lang"]
