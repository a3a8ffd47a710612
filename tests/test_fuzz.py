"""Hostile text never breaks extraction: arbitrary Unicode, mixed scripts, huge tokens, control characters."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.model import PREDICATES
from ingest.text import MAX_ARTICLE_CHARS, ArticleError, article_from_bytes

SPICE = [
    "Docker Inc.", "微软", "谷歌和华为合作。", "Google acquired", "\u202eevil\u202c", "\u200b", "\u200d", "\ufeff",
    "😀", "👩‍💻", "\x00", "\x1b[31m", "\r\n", "مرحبا", "שלום", "ＡＷＳ", "Ⅻ", "\U0001f1e8\U0001f1f3", " ", "\t",
    "CEO", "的", "收购", "(", ")", "“", "”", "·", "...", "。", "\n\n",
]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(SPICE) | st.text(max_size=12), max_size=80).map("".join),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "微", "😀", "-", ".", " x", "A"]), st.integers(1, 5000)),
)


@pytest.fixture(scope="module")
def extractor():
    from ingest.nlp import get_extractor

    return get_extractor()


def _check(extractor, text: str) -> None:
    ext = extractor.extract(text, source="fuzz")
    assert ext.lang in ("en", "zh")
    ids = {e.id for e in ext.entities}
    for e in ext.entities:
        assert e.name.strip()
        for m in e.mentions:
            assert 0 <= m.start <= m.end <= len(text)
    for r in ext.relations:
        assert r.predicate in PREDICATES
        assert r.subject in ids and r.object in ids
        assert 0.0 <= r.confidence <= 1.0
        assert 0 <= r.start <= r.end <= len(text)
        assert text[r.start : r.end] == r.evidence


@settings(max_examples=150, deadline=20_000, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_extracts_without_error(extractor, text):
    _check(extractor, text)


@settings(max_examples=30, deadline=20_000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SPICE), min_size=1, max_size=400).map(" ".join))
def test_mixed_scripts_and_cues(extractor, text):
    _check(extractor, text)


def test_one_enormous_token_and_sentence(extractor):
    _check(extractor, "Acme" + "x" * 50_000 + " acquired Globex. " + "and " * 20_000 + "微软" * 5_000)


def test_a_five_megabyte_article_is_refused_with_a_clear_error():
    data = ("Acme Inc. acquired Globex Corp. " * 200_000).encode("utf-8")
    assert len(data) > 5_000_000
    with pytest.raises(ArticleError, match="too long"):
        article_from_bytes(data, "big.txt", key="file:///big.txt")
    assert MAX_ARTICLE_CHARS < len(data)
