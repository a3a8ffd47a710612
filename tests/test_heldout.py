"""Regression floors on fresh articles (tests/heldout): extraction must not get worse on unseen text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.evaluate import evaluate
from ingest.nlp import get_extractor

HELDOUT = Path(__file__).parent / "heldout"
UNTUNED = ("g-en-05", "g-en-06", "g-en-07", "g-en-08", "g-zh-05", "g-zh-06", "g-zh-07", "g-zh-08",
           "h1", "h2", "h3", "h4")


def _score(folder: Path) -> dict:
    texts = sorted(folder.glob("*.txt"))
    preds = [e.to_json() for e in get_extractor().extract_many((t.read_text(encoding="utf-8"), str(t), None)
                                                                 for t in texts)]
    return evaluate(folder, preds)


@pytest.fixture(scope="module")
def untuned(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("untuned")
    for stem in UNTUNED:
        for f in HELDOUT.glob(f"{stem}.*"):
            shutil.copy(f, folder / f.name)
    return folder


def test_all_fresh_articles_stay_above_the_recorded_floor():
    report = _score(HELDOUT)
    assert report["entities"]["f1"] >= 0.87, report["entities"]
    # 2026-12-08, learned stages with the mention finder: entities 0.887, relations 0.696 at P 0.828 (the rules,
    # fitted to the 32 tuned articles here, had 0.729 at P 0.877); on the never-tuned group below 0.561 at
    # P 0.709 (the rules: 0.548 at P 0.725).
    assert report["relations"]["f1"] >= 0.68, report["relations"]
    assert report["relations"]["precision"] >= 0.80, report["relations"]


def test_never_tuned_articles_stay_above_the_recorded_floor(untuned):
    report = _score(untuned)
    assert report["entities"]["f1"] >= 0.83, report["entities"]
    assert report["relations"]["f1"] >= 0.545, report["relations"]
    assert report["relations"]["precision"] >= 0.68, report["relations"]
