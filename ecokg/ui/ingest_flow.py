"""The Ingest page's work, apart from its widgets: read, extract, preview, write.

Writing goes through ``ingest_articles`` with the extractions already shown to
the analyst (no second extraction), each article in one transaction, with the
store opened for writing only for the duration of the write.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from ingest.ingestion import IngestReport, ensure_catalog, ingest_articles, recorded
from ingest.text import article_from_bytes
from kg.model import Article, Extraction
from kg.store import EmbeddedStore

HTML_SUFFIXES = (".html", ".htm")
TYPE_COLOURS = {
    "VENDOR": "#aec7e8", "PRODUCT": "#ffbb78", "STANDARD": "#98df8a",
    "ORGANIZATION": "#c5b0d5", "PERSON": "#ff9896", "EVENT": "#f7e08b",
}


DEFAULT_UPLOAD_MAX_MB = 5  # like `ecokg ingest`, which refuses files over 5 MiB
DEFAULT_UPLOAD_MAX_FILES = 20


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def upload_max_mb() -> int:
    """Megabytes one uploaded file may have ($ECOKG_UPLOAD_MAX_MB, default 5)."""
    return _env_int("ECOKG_UPLOAD_MAX_MB", DEFAULT_UPLOAD_MAX_MB)


def upload_max_files() -> int:
    """Files one upload may hold ($ECOKG_UPLOAD_MAX_FILES, default 20)."""
    return _env_int("ECOKG_UPLOAD_MAX_FILES", DEFAULT_UPLOAD_MAX_FILES)


def check_uploads(files: list) -> tuple[list, list[str]]:
    """(files within the bounds, a message per refusal); too many files refuses the whole upload.

    Streamlit enforces the size in the browser and on upload too; this check holds
    whatever the client sent.
    """
    most = upload_max_files()
    if len(files) > most:
        return [], [f"{len(files)} files chosen: at most {most} per upload (ECOKG_UPLOAD_MAX_FILES); nothing was read"]
    limit = upload_max_mb() * 1024 * 1024
    ok, problems = [], []
    for f in files:
        if f.size > limit:
            problems.append(f"{f.name}: file too large ({f.size:,} bytes > {limit:,}; ECOKG_UPLOAD_MAX_MB)")
        else:
            ok.append(f)
    return ok, problems


@dataclass
class Preview:
    """One article and what the extractor found in it."""

    article: Article
    extraction: Extraction


def pasted_article(text: str, title: str = "", url: str = "") -> Article:
    """An article from pasted text; its key is the text's hash (pasting it again changes nothing)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    art = article_from_bytes(text.encode("utf-8"), "pasted text", key=f"urn:ecokg:pasted:{digest}")
    if title.strip():
        art.title = title.strip()
    if url.strip().startswith(("http://", "https://")):
        art.url = url.strip()
        art.key = art.url
    return art


def uploaded_article(name: str, data: bytes) -> Article:
    """An article from an uploaded .txt/.md/.html file (keyed by file name: re-uploads replace it)."""
    is_html = name.lower().endswith(HTML_SUFFIXES)
    return article_from_bytes(data, name, key=f"urn:ecokg:upload:{name}", is_html=is_html)


def extract(articles: list[Article]) -> list[Preview]:
    from ingest.nlp import get_extractor

    extractor = get_extractor()
    return [Preview(a, extractor.extract(a.text, a.source, a.lang)) for a in articles]


def displacy_html(preview: Preview) -> str:
    """The article text with entity mentions highlighted by displaCy (which escapes the text)."""
    from spacy import displacy

    text = preview.article.text
    spans = sorted(
        ((m.start, m.end, e.type.upper()) for e in preview.extraction.entities for m in e.mentions
         if 0 <= m.start < m.end <= len(text)),
    )
    ents, last = [], -1
    for start, end, label in spans:
        if start >= last:
            ents.append({"start": start, "end": end, "label": label})
            last = end
    doc = {"text": text, "ents": ents, "title": None}
    return displacy.render(doc, style="ent", manual=True, page=False, jupyter=False,
                           options={"colors": TYPE_COLOURS})


def write(store: EmbeddedStore, previews: list[Preview]) -> IngestReport:
    """Store the previewed extractions; each article whole or not at all."""
    by_key = {p.article.key: p.extraction for p in previews}
    try:
        ensure_catalog(store)
    except (FileNotFoundError, ValueError):
        pass  # no catalog installed: article graphs still carry their own labels
    return recorded(store, [p.article.source for p in previews], "app upload", lambda: ingest_articles(
        store, [p.article for p in previews], extract_batch=lambda batch: [by_key[a.key] for a in batch]
    ))
