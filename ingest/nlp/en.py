"""English extraction: spaCy parse + catalog + rules -> entities and relations."""

from __future__ import annotations

from ingest.model import Entity, Mention, Relation
from ingest.nlp.gazetteer import Gazetteer

NER_TYPES = {"ORG": "Vendor", "PRODUCT": "Product", "PERSON": "Person", "EVENT": "Event",
             "WORK_OF_ART": "Product", "LAW": "Standard"}


def configure_nlp(nlp, gazetteer: Gazetteer):
    """Adapt a loaded spaCy pipeline for extraction (hook for rulers)."""
    return nlp


def extract_en(doc, gazetteer: Gazetteer) -> tuple[list[Entity], list[Relation]]:
    """Entities and relations of one parsed English article."""
    text = doc.text
    ents: dict[tuple[str, str], Entity] = {}
    taken: list[tuple[int, int]] = []
    for s, e, entry in gazetteer.find(text):
        ent = ents.setdefault((entry.type, entry.name), Entity(name=entry.name, type=entry.type,
                                                               in_catalog=True))
        ent.mentions.append(Mention(s, e, text[s:e]))
        taken.append((s, e))
    for span in doc.ents:
        t = NER_TYPES.get(span.label_)
        if not t or any(s < span.end_char and span.start_char < e for s, e in taken):
            continue
        name = span.text.strip()
        ent = ents.setdefault((t, name.casefold()), Entity(name=name, type=t))
        ent.mentions.append(Mention(span.start_char, span.end_char, span.text))
    for ent in ents.values():
        ent.aliases = sorted({m.text for m in ent.mentions} - {ent.name})
    return list(ents.values()), []
