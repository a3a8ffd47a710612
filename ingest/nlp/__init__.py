"""Entity and relation extraction (English with spaCy, Chinese with jieba)."""

from ingest.nlp.lang import detect_lang
from ingest.nlp.pipeline import Extractor, get_extractor

__all__ = ["Extractor", "get_extractor", "detect_lang"]
