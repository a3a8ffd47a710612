"""Mention stage: the spans that name an entity, each with its type votes.

Both languages: `gazetteer` (catalog surface forms in raw text) and `mention_model` (the trained
mention finder, a CRF, for names the rules miss; its weights are in `ingest/nlp/models/<lang>/`).
English: `en_mentions` (catalog, spaCy NER, cue rules) with the cue words of `en_lexicon`.
Chinese: `zh_match` (catalog matching inside unspaced text), `zh_ner`, `zh_names`, `zh_gloss`
(bracketed glosses, repeated names), assembled by `zh_detect`; `zh_open` adds names the text
introduces by their frame.
"""
