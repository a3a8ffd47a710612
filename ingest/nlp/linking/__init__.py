"""Linking stage: all mentions of one thing become one entity, with one type.

`en_link` (short forms, acronyms, company/product splits, editions), `zh_link` (company-or-product
senses, coreference), and `entity_model`: the trained entity typer, which gives each linked entity
its type or drops it (weights in `ingest/nlp/models/<lang>/`).
"""
