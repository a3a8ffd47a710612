"""Training the learned stages end to end on a tiny annotated set, loading the result, and the
cross-validation discipline (no fold scores an article its model saw)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.nlp.learned import LearnedStages
from ingest.nlp.training import RELATED, folds, read_gold_dirs

TINY = Path(__file__).parent / "data" / "train_tiny"
SHARED_TRAIN = Path(__file__).resolve().parents[1].parent / "shared" / "train"


@pytest.fixture(scope="module")
def tiny_examples():
    from ingest.nlp.training import propose

    return propose(read_gold_dirs([TINY]))


def test_read_gold_dirs_pairs_each_annotation_with_its_article():
    docs = read_gold_dirs([TINY])
    assert sorted(d.name for d in docs) == sorted(p.name[:-10] for p in TINY.glob("*.gold.json"))
    assert all(d.path.is_file() and d.path.stem == d.name for d in docs)
    assert {d.lang for d in docs} == {"en", "zh"}


def test_a_folder_without_annotations_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_gold_dirs([tmp_path])


def test_folds_partition_the_articles_and_keep_related_stories_together():
    names = [f"a{i}" for i in range(23)] + [n for g in RELATED for n in g]
    fs = folds(names, 5)
    assert sorted(i for f in fs for i in f) == list(range(len(names)))
    where = {names[i]: k for k, f in enumerate(fs) for i in f}
    for group in RELATED:
        assert len({where[n] for n in group}) == 1, group
    assert max(map(len, fs)) - min(map(len, fs)) <= 3


def test_train_save_load_and_extract(tiny_examples, tmp_path):
    from ingest.nlp.pipeline import Extractor
    from ingest.nlp.training import train

    stages = train(tiny_examples)
    assert set(stages.models) == {"en", "zh"}
    assert stages.meta["articles_seen"] == sorted(ex.doc.name for ex in tiny_examples)
    stages.save(tmp_path)
    loaded = LearnedStages.load(tmp_path)
    assert loaded is not None and set(loaded.models) == {"en", "zh"}
    # the loaded weights give the same scores as the trained ones
    ex = tiny_examples[0]
    a = stages.apply(ex.text, ex.doc.lang, ex.proposed.entities, ex.proposed.relations)
    b = loaded.apply(ex.text, ex.doc.lang, ex.proposed.entities, ex.proposed.relations)
    assert [(r.subject, r.predicate, r.object) for r in a[1]] == [(r.subject, r.predicate, r.object) for r in b[1]]
    out = Extractor(learned=tmp_path).extract("Acme Corp launched Rocket Engine on Monday.", "x.txt", "en")
    assert {e.name for e in out.entities} >= {"Acme Corp"}


def test_cross_validation_never_scores_an_article_its_model_saw(tiny_examples, monkeypatch):
    from ingest.nlp import training

    seen_by_fold = []
    real_train = training.train

    def spy(examples, **kw):
        stages = real_train(examples, **kw)
        seen_by_fold.append(set(stages.meta["articles_seen"]))
        return stages

    monkeypatch.setattr(training, "train", spy)
    report = training.cross_validate(tiny_examples, 2)
    assert len(report["folds"]) == 2 and len(seen_by_fold) == 2
    for held, seen in zip(report["folds"], seen_by_fold, strict=True):
        assert held and not (set(held) & seen)
    assert report["relations"]["gold"] == sum(len(ex.doc.gold["relations"]) for ex in tiny_examples)


def test_cross_validation_refuses_a_leaking_trainer(tiny_examples, monkeypatch):
    from ingest.nlp import training

    real_train = training.train
    everything = list(tiny_examples)
    monkeypatch.setattr(training, "train", lambda examples, **kw: real_train(everything, **kw))
    with pytest.raises(RuntimeError, match="fold leak"):
        training.cross_validate(tiny_examples, 2)


def test_cli_train_and_eval_cv(tmp_path, capsys):
    from ecokg.cli import main

    assert main(["train", "--gold", str(TINY), "--out", str(tmp_path / "m")]) == 0
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    assert meta["articles"] == {"en": 4, "zh": 4} and meta["trained"]
    assert (tmp_path / "m" / "en" / "relations.npz").is_file()
    capsys.readouterr()
    assert main(["eval", "--cv", "2", "--gold", str(TINY), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["by_lang"]) == {"en", "zh"} and len(report["folds"]) == 2


def test_cli_eval_cv_errors_are_one_line(tmp_path, capsys):
    from ecokg.cli import main

    assert main(["eval", "--cv", "1", "--gold", str(TINY)]) == 2
    assert main(["eval", "--cv", "2", "--gold", str(tmp_path)]) == 2
    assert "no NAME.gold.json" in capsys.readouterr().err


def test_shipped_models_load_offline_and_record_their_training():
    stages = LearnedStages.load()
    assert stages is not None and set(stages.models) == {"en", "zh"}
    meta = stages.meta
    assert meta["articles"]["en"] > 100 and meta["articles"]["zh"] > 100
    assert "cv" in meta, "the shipped models carry their cross-validated figures"
    models = Path(__file__).parents[1] / "ingest" / "nlp" / "models"
    size = sum(p.stat().st_size for p in models.rglob("*") if p.is_file())
    assert size < 50 * 2**20


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_TRAIN.is_dir(), reason="needs ../shared/train")
def test_shipped_cv_figures_reproduce_within_noise():
    """Re-running the recorded cross-validation gives the recorded figures (same seed, same folds)."""
    from ingest.nlp.training import cross_validate, propose

    recorded = LearnedStages.load().meta["cv"]
    report = cross_validate(propose(read_gold_dirs([SHARED_TRAIN]), workers=2), recorded["k"])
    for lang in ("en", "zh"):
        for kind in ("entities", "relations"):
            assert abs(report["by_lang"][lang][kind]["f1"] - recorded[lang][kind]["f1"]) <= 0.02, (lang, kind)
