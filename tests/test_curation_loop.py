"""The curation-loop bench end to end on the tiny annotated set: extract, correct from gold, export, retrain."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "train_tiny"
sys.path.insert(0, str(ROOT / "bench"))

import curation_loop  # noqa: E402

from kg.model import SYMMETRIC_PREDICATES  # noqa: E402


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    work = tmp_path_factory.mktemp("loop")
    return curation_loop.run_loop(TINY, k=3, workers=1, work=work), work


def _facts(gold: dict) -> set[tuple[str, str, str]]:
    out = set()
    for r in gold["relations"]:
        s, p, o = r["subject"], r["predicate"], r["object"]
        out.add((min(s, o), p, max(s, o)) if p in SYMMETRIC_PREDICATES else (s, p, o))
    return out


def test_result_has_both_runs_per_language_and_the_deltas(loop):
    result, _ = loop
    assert set(result["runs"]) == {"baseline", "with_corrections"}
    for run in result["runs"].values():
        assert {"all", "en", "zh"} <= set(run)
        for scope in run.values():
            for kind in ("entities", "relations"):
                assert 0.0 <= scope[kind]["f1"] <= 1.0 and scope[kind]["gold"] > 0
    # the evaluation set is the same in both runs, and the pool is not part of it
    assert result["runs"]["baseline"]["all"]["relations"]["gold"] == \
        result["runs"]["with_corrections"]["all"]["relations"]["gold"]
    assert result["evaluation_articles"] + len(result["pool"]) == 8
    b, c = result["runs"]["baseline"]["all"]["relations"]["f1"], result["runs"]["with_corrections"]["all"]["relations"]["f1"]
    assert result["delta_f1"]["all"]["relations"] == round(c - b, 3)
    assert "relations" in curation_loop.table(result)


def test_corrections_went_through_the_curation_layer_and_were_exported(loop):
    from kg.curation import actions
    from kg.store import open_store

    result, work = loop
    c = result["corrections"]
    assert c["total"] > 0 and c["total"] == sum(c["applied"].values())
    assert c["exported"] >= 1 and result["pool_exported"]
    # corrected from gold, the exported articles state nothing their hand annotation does not
    assert c["export_vs_gold"]["relations"]["precision"] == 1.0
    store = open_store(str(work / "store"), read_only=True)
    try:
        recorded = actions.list_corrections(store, active_only=True)
        assert len(recorded) == c["total"] and all(r.who == curation_loop.WHO for r in recorded)
        rejected = [r for r in recorded if r.kind == "reject"]
        asserted = [r for r in recorded if r.kind == "assert"]
        assert rejected or asserted
        checked = 0
        for r in rejected + asserted:
            art = r.articles[0]
            ents, _ = curation_loop.stored_article(store, art)
            names = {e["iri"]: e["name"] for e in ents}
            src = next(TINY / f"{n}.txt" for n in result["pool"]
                       if actions.find_article(store, str(TINY / f"{n}.txt")) == art)
            exported = work / "corrected" / f"{src.stem}.gold.json"
            gold = json.loads(exported.read_text(encoding="utf-8"))
            s, p, o = names.get(r.fact[0]), r.fact[1], names.get(r.fact[2])
            fact = (min(s, o), p, max(s, o)) if p in SYMMETRIC_PREDICATES else (s, p, o)
            if r.kind == "reject":
                assert fact not in _facts(gold), f"rejected {fact} still in the export of {src.stem}"
            else:
                assert fact in _facts(gold), f"asserted {fact} missing from the export of {src.stem}"
            checked += 1
        assert checked
    finally:
        store.close()


def test_the_exported_articles_are_training_data_and_fit_the_scorer(loop):
    from ingest.evaluate import score
    from ingest.nlp.training import read_gold_dirs

    result, work = loop
    docs = read_gold_dirs([work / "corrected"])
    assert sorted(d.name for d in docs) == sorted(result["pool_exported"])
    assert set(result["pool_exported"]) <= set(result["pool"])
    # the export scores perfectly against itself (the scorer reads it as it reads hand-made gold)
    report = score({d.name: d.gold for d in docs}, [{**d.gold, "source": d.name + ".txt"} for d in docs])
    assert report["relations"]["f1"] in (0.0, 1.0) and report["entities"]["f1"] == 1.0


def test_cli_writes_the_json_and_refuses_a_missing_folder(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert curation_loop.main(["--gold", str(TINY), "--folds", "3", "--workers", "1", "--articles", "2",
                               "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert len(result["pool"]) == 2 and "delta F1" in capsys.readouterr().out
    assert curation_loop.main(["--gold", str(tmp_path / "nope"), "--out", str(out)]) == 2
    assert "no such folder" in capsys.readouterr().err
