"""Entity and relation extraction (English with spaCy, Chinese with jieba), in stages.

Entry points: `get_extractor()` (one per process) and `Extractor.extract` /
`Extractor.extract_many`, returning `kg.model.Extraction`.

Laid out like a spaCy project: one package per stage, the language in the module name, trained
weights beside the code that loads them, lexicons as data files.

- `pipeline`: the Extractor; language dispatch, spaCy loading, long-text chunks, shared
  post-processing. `en` and `zh` run the stages in order for one language.
- `text/`: `lang` (English or Chinese), `sentences`, Chinese `zh_text` (offset-keeping folding,
  Traditional -> Simplified with `zh_t2s`), `zh_seg` (jieba).
- `mentions/`: `gazetteer` (catalog forms, both languages), `en_mentions` (+ `en_lexicon`, general
  English cue words), `zh_match`, `zh_ner`, `zh_names`, `zh_gloss`, `zh_detect`, `zh_open`, and
  `mention_model` (the trained mention finder).
- `linking/`: `en_link`, `zh_link` (mentions -> one entity per thing), `entity_model` (the trained
  entity typer).
- `relations/`: rules (`en_relations`, `en_patterns`, `en_broad`, `zh_rel*`, `zh_args`), the
  trained classifier (`relation_features`, `relation_model`), and what holds whatever produced a
  relation: `relations_common` (type constraints, dedup, evidence), `end_cues` (a relation that
  stopped; cues in `relations/data/end_cues.json`), `event_time` (the date a sentence gives its
  event; ingestion and `ecokg extract` call `date_relations`).
- `learned`: the learned stages applied after the rules, loading `models/<lang>/` (the weights
  written by `ecokg train`, with `models/meta.json`); `training`: their training and cross-validation.
"""

from ingest.nlp.pipeline import Extractor, get_extractor
from ingest.nlp.text.lang import detect_lang

__all__ = ["Extractor", "get_extractor", "detect_lang"]
