"""The seed article end to end: the JSON contract, its scores, and its facts in the store."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CORPUS_DIR, SEED_DIR, SHARED, needs_shared

from ingest.ingestion import ingest_paths
from kg.model import ENTITY_TYPES, PREDICATES
from kg.query import run_query


@pytest.fixture(scope="module")
def seed_jsonl(tmp_path_factory) -> list[dict]:
    article = next(CORPUS_DIR.glob("000_*.txt"))
    out = subprocess.run(
        [sys.executable, "-m", "ecokg.cli", "extract", str(article), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_extract_prints_the_schema_contract(seed_jsonl):
    text = next(CORPUS_DIR.glob("000_*.txt")).read_text(encoding="utf-8")
    assert len(seed_jsonl) == 1
    doc = seed_jsonl[0]
    assert doc["source"].endswith("000_dc401c448a177e01.txt")
    assert doc["lang"] == "zh"
    ids = set()
    for e in doc["entities"]:
        assert set(e) >= {"id", "name", "type", "aliases"}
        assert e["type"] in ENTITY_TYPES
        assert isinstance(e["aliases"], list)
        ids.add(e["id"])
    assert doc["relations"], "the seed states relations"
    for r in doc["relations"]:
        assert r["predicate"] in PREDICATES
        assert r["subject"] in ids and r["object"] in ids
        assert 0.0 <= r["confidence"] <= 1.0
        assert r["evidence"] and r["evidence"] in text
        assert text[r["start"] : r["end"]] == r["evidence"]


@needs_shared
def test_seed_scores_meet_the_foundation_bar(seed_jsonl, tmp_path):
    pred = tmp_path / "seed.jsonl"
    pred.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in seed_jsonl), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SEED_DIR), "--pred", str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(out.stdout)
    assert scores["entities"]["f1"] >= 0.90, scores["entities"]
    assert scores["relations"]["f1"] >= 0.75, scores["relations"]


def test_seed_facts_are_queryable_with_evidence(store, seed_article):
    report = ingest_paths(store, [seed_article])
    assert report.new == [str(seed_article)]
    q = """
    SELECT ?evidence ?conf WHERE {
      ?s rdfs:label "ClusterHQ"@en . ?o rdfs:label "Flocker"@en .
      ?s eco:develops ?o .
      ?a eco:subject ?s ; eco:predicate eco:develops ; eco:object ?o ;
         eco:evidence ?evidence ; eco:confidence ?conf ; prov:wasDerivedFrom ?art .
      ?art a schema:NewsArticle .
    }"""
    rows = run_query(store, q).as_python()
    assert rows and "Flocker" in rows[0]["evidence"]
    assert 0 < rows[0]["conf"] <= 1
    q = """ASK { ?s rdfs:label "Docker Inc."@en . ?o rdfs:label "SocketPlane"@en . ?s eco:acquired ?o }"""
    assert run_query(store, q).boolean is True


def test_seed_ingest_is_idempotent(store, seed_article):
    ingest_paths(store, [seed_article])
    n = store.quad_count()
    again = ingest_paths(store, [seed_article])
    assert again.unchanged == [str(seed_article)]
    assert store.quad_count() == n
