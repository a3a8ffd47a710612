"""Relation stage: typed relations between entities, with evidence.

Rules: `en_relations` (dependency paths), `en_patterns` and `en_broad` (word order), `zh_rel` with
`zh_rel_base`, `zh_rel_business`, `zh_rel_tech`, `zh_rel_more` and their argument finder `zh_args`.
Learned: `relation_features` (candidate pairs and features, cue lexicon `data/relation_cues.json`)
and `relation_model` (the trained classifier; weights in `ingest/nlp/models/<lang>/`).
After either: `relations_common` (type constraints, dedup, evidence), `end_cues` (a relation that
stopped; cues in `data/end_cues.json`) and `event_time` (the date a sentence gives its event).
"""
