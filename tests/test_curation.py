"""Analysts' corrections (kg.curation): each kind applied, seen by queries, the app's snapshot and the
exports, and undone; kept apart from the article graphs; refused when they conflict; exported as gold."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SHARED, needs_shared
from curation_helpers import ACME, DOCKER, FB, GH, GOOG, K8S, MS, MSC, OCP, TEXTS, build, iri, write_article

from ecokg.ui.data import read_snapshot
from kg import queries
from kg.curation import actions, records
from kg.curation.gold import article_gold, export_gold
from kg.curation.model import CurationError
from kg.curation.overlay import Overlay
from kg.export import export
from kg.namespace import CURATION_GRAPH, ECO, PROV, RDFS, SKOS, entity_iri
from kg.store import EmbeddedStore

WHY = {"who": "tester", "why": "a test"}
GENERATED = str(PROV.generatedAtTime)


@pytest.fixture
def corpus(store, tmp_path):
    return build(store, tmp_path / "articles")


def facts(store) -> dict[tuple[str, str, str], int]:
    return {(f.subject, f.predicate, f.object): f.articles for f in queries.facts(store)}


def ttl_triples(store) -> set[tuple[str, str, str]]:
    buf = io.BytesIO()
    export(store, "ttl", buf)
    triples = ox.parse(buf.getvalue(), ox.RdfFormat.TURTLE)  # less ingestion times: they differ run to run
    return {(t.subject.value, t.predicate.value, str(t.object)) for t in triples if t.predicate.value != GENERATED}


def views(store) -> dict[str, object]:
    """Everything a correction shows up in: facts, labels, the app's snapshot, exports, gold."""
    snap = read_snapshot(store)
    ov = actions.load_overlay(store)
    return {
        "facts": facts(store),
        "labels": queries.labels(store),
        "entities": snap.entities[["type", "label_en", "aliases", "articles"]].sort_index().to_dict("index"),
        "assertions": sorted(map(tuple, snap.assertions[["s", "p", "o", "art"]].to_numpy().tolist())),
        "ttl": ttl_triples(store),
        "gold": {a: article_gold(store, a, ov) for a in sorted(store.article_graphs())},
        "stats": (queries.counts_by_type(store), queries.counts_by_predicate(store)),
        "evidence": {e: sorted((r["s"], str(r["p"]).rsplit("#", 1)[-1], r["o"], r["art"])
                               for r in queries.entity_evidence(store, e)) for e in (iri(MS), iri(GOOG), iri(FB))},
        "between": sorted((r["s"], r["o"], r["art"]) for r in queries.evidence_between(store, iri(GOOG), iri(MS))),
        "newest": sorted((r["s"], str(r["p"]).rsplit("#", 1)[-1], r["o"]) for r in queries.newest_assertions(store, 50)),
    }


def article_quads(store) -> set[str]:
    res = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    return {f"{r['s']} {r['p']} {r['o']} {r['g']}" for r in res if r["g"].value != str(CURATION_GRAPH)}


def gold_of(v, corpus, name) -> dict:
    return v["gold"][corpus.art(name)]


def names(gold: dict) -> dict[str, dict]:
    return {e["name"]: e for e in gold["entities"]}


def rels(gold: dict) -> set[tuple[str, str, str]]:
    return {(r["subject"], r["predicate"], r["object"]) for r in gold["relations"]}


# ------------------------------------------------------------------ each kind: applied, seen, undone
def _merge(store, c):
    return actions.merge(store, "Microsoft Corp.", "Microsoft", **WHY)


def _merge_seen(v, before, c):
    ms, msc = iri(MS), iri(MSC)
    assert v["facts"][(ms, "competesWith", iri(GOOG))] == 3  # a1, a3 (as Microsoft Corp.), a4
    assert (msc, "competesWith", iri(GOOG)) not in v["facts"]
    assert msc not in v["entities"] and msc not in v["labels"]
    assert "Microsoft Corp." in v["entities"][ms]["aliases"] and v["entities"][ms]["articles"] == 3
    assert (ms, str(SKOS.altLabel), '"Microsoft Corp."@en') in v["ttl"]
    assert (ms, "competesWith", iri(GOOG), c.art("a3")) in v["evidence"][ms]
    assert len(v["between"]) == 3 and len(before["between"]) == 2
    assert not any(msc in t for t in v["ttl"])
    g3 = gold_of(v, c, "a3")
    assert "Microsoft Corp." in names(g3)["Microsoft"]["aliases"] and ("Microsoft", "competesWith", "Google") in rels(g3)


def _split(store, c):
    return actions.split(store, "Open Compute Project", [c.art("a2")], "Open Container Project", **WHY)


def _split_seen(v, before, c):
    new = entity_iri("Organization", "Open Container Project")
    assert (iri(DOCKER), "supports", new) in v["facts"] and (iri(DOCKER), "supports", iri(OCP)) not in v["facts"]
    assert (iri(FB), "develops", iri(OCP)) in v["facts"]  # a3 still means the Open Compute Project
    assert v["entities"][new]["articles"] == 1 and v["entities"][iri(OCP)]["articles"] == 1
    assert v["entities"][new]["label_en"] == "Open Container Project" and v["entities"][new]["type"] == "Organization"
    g2 = names(gold_of(v, c, "a2"))
    assert "Open Compute Project" not in g2 and g2["Open Container Project"]["aliases"] == ["OCP"]
    assert "Open Compute Project" in names(gold_of(v, c, "a3"))


def _rename(store, c):
    return actions.rename(store, "Google", "Google LLC", **WHY)


def _rename_seen(v, before, c):
    g = iri(GOOG)
    assert v["labels"][g]["en"] == "Google LLC" and v["entities"][g]["label_en"] == "Google LLC"
    assert "Google" in v["entities"][g]["aliases"]
    assert (g, str(RDFS.label), '"Google LLC"@en') in v["ttl"] and (g, str(RDFS.label), '"Google"@en') not in v["ttl"]
    g1 = gold_of(v, c, "a1")
    assert names(g1)["Google LLC"]["aliases"] == ["Google"] and ("Microsoft", "competesWith", "Google LLC") in rels(g1)


def _retype(store, c):
    return actions.retype(store, "Kubernetes", "Product", **WHY)


def _retype_seen(v, before, c):
    k = iri(K8S)
    assert v["entities"][k]["type"] == "Product"
    assert (k, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{ECO.Product}>") in v["ttl"]
    assert (k, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{ECO.Vendor}>") not in v["ttl"]
    assert names(gold_of(v, c, "a2"))["Kubernetes"]["type"] == "Product"
    assert v["stats"][0].get("Product") == 1


def _reject_one(store, c):
    return actions.reject(store, "Microsoft Corp.", "competesWith", "Google", article=c.art("a3"), **WHY)


def _reject_one_seen(v, before, c):
    assert (iri(MSC), "competesWith", iri(GOOG)) not in v["facts"]
    assert v["facts"][(iri(MS), "competesWith", iri(GOOG))] == 2  # the other articles keep theirs
    assert not rels(gold_of(v, c, "a3")) - {("Facebook", "develops", "Open Compute Project")}
    assert ("Microsoft", "competesWith", "Google") in rels(gold_of(v, c, "a1"))


def _reject_all(store, c):
    return actions.reject(store, "Google", "competesWith", "Microsoft", **WHY)  # symmetric: either order


def _reject_all_seen(v, before, c):
    assert (iri(MS), "competesWith", iri(GOOG)) not in v["facts"]
    assert (iri(MSC), "competesWith", iri(GOOG)) in v["facts"]  # another entity until merged
    assert (iri(MS), f"{ECO}competesWith", f"<{iri(GOOG)}>") not in v["ttl"]
    assert not any(t[2] == '"Microsoft competes with Google in cloud search."@en' for t in v["ttl"])
    assert ("Microsoft", "competesWith", "Google") not in rels(gold_of(v, c, "a1"))
    assert not rels(gold_of(v, c, "a4"))
    assert v["between"] == [] and len(before["between"]) == 2  # a1 and a4 said it
    assert v["stats"][1]["competesWith"] == before["stats"][1]["competesWith"] - 1
    assert (iri(MS), "competesWith", iri(GOOG)) in before["newest"] and (iri(MS), "competesWith", iri(GOOG)) not in v["newest"]


def _assert(store, c):
    return actions.assert_fact(store, "Facebook", "sponsors", "Open Compute Project", note="Facebook pays for it",
                               source="https://example.org/ocp", article=c.art("a3"),
                               evidence="The Open Compute Project was started by Facebook.", **WHY)


def _assert_seen(v, before, c):
    assert v["facts"][(iri(FB), "sponsors", iri(OCP))] == 1
    assert [r[:3] for r in v["evidence"][iri(FB)] if r[1] == "sponsors"] == [(iri(FB), "sponsors", iri(OCP))]
    assert any(a[:3] == (iri(FB), "sponsors", iri(OCP)) for a in v["assertions"])
    assert (iri(FB), f"{ECO}sponsors", f"<{iri(OCP)}>") in v["ttl"]
    assert ("Facebook", "sponsors", "Open Compute Project") in rels(gold_of(v, c, "a3"))


def _not_entity(store, c):
    return actions.not_entity(store, "alert(1)>Acme Corp", **WHY)


def _not_entity_seen(v, before, c):
    a = iri(ACME)
    assert a not in v["entities"] and not any(a in k for k in v["facts"])
    assert not any(a in t for t in v["ttl"])
    g2 = gold_of(v, c, "a2")
    assert "alert(1)>Acme Corp" not in names(g2) and not any("Acme" in r["subject"] for r in g2["relations"])


KINDS = {
    "merge": (_merge, _merge_seen), "split": (_split, _split_seen), "rename": (_rename, _rename_seen),
    "retype": (_retype, _retype_seen), "reject-in-article": (_reject_one, _reject_one_seen),
    "reject-everywhere": (_reject_all, _reject_all_seen), "assert": (_assert, _assert_seen),
    "not-entity": (_not_entity, _not_entity_seen),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_correction_is_applied_seen_everywhere_and_undone(store, corpus, kind, tmp_path):
    apply, seen = KINDS[kind]
    before = views(store)
    quads_before = article_quads(store)
    c = apply(store, corpus)
    after = views(store)
    seen(after, before, corpus)
    assert after != before
    assert article_quads(store) == quads_before  # never by editing article graphs: kept apart
    listed = actions.list_corrections(store)
    assert [x.id for x in listed] == [c.id] and listed[0].who == "tester" and listed[0].why == "a test"

    written = export_gold(store, tmp_path / "gold")
    assert written.written and not written.skipped  # the affected articles, as gold files
    for name in written.written:
        gold = json.loads((tmp_path / "gold" / f"{name}.gold.json").read_text(encoding="utf-8"))
        assert (tmp_path / "gold" / f"{name}.txt").read_text(encoding="utf-8") == TEXTS[name]
        assert gold == after["gold"][corpus.art(name)]
    unchanged = {n for n in TEXTS if after["gold"][corpus.art(n)] == before["gold"][corpus.art(n)]}
    assert not unchanged & set(written.written)  # only articles the correction changed

    undone = actions.undo(store, c.id, who="reviewer", why="wrong")
    assert not undone.active and undone.undone_by == "reviewer"
    assert views(store) == before
    assert len(actions.list_corrections(store)) == 1  # the history stays


def test_corrections_carry_prov_in_their_own_graph(store, corpus):
    c = actions.rename(store, "Google", "Alphabet's Google", who="ann", why="the legal name")
    q = f"""SELECT ?who ?when ?why WHERE {{ GRAPH <{CURATION_GRAPH}> {{
        <{records.correction_iri(c.id)}> a <{ECO.Correction}>, <{PROV.Activity}> ;
            <{PROV.wasAssociatedWith}> ?a ; <{PROV.endedAtTime}> ?when ; <{RDFS.comment}> ?why .
        ?a a <{PROV.Agent}> ; <{RDFS.label}> ?who }} }}"""
    rows = list(store.query(q, union=False))
    assert [(r["who"].value, r["why"].value) for r in rows] == [("ann", "the legal name")]
    assert rows[0]["when"].value.startswith(c.when[:10])


def test_corrections_compose_in_order(store, corpus):
    actions.merge(store, "Microsoft Corp.", "Microsoft", **WHY)
    actions.rename(store, "Microsoft", "Microsoft Corporation", **WHY)
    actions.reject(store, "Microsoft Corporation", "competesWith", "Google", article=corpus.art("a3"), **WHY)
    f = facts(store)
    assert f[(iri(MS), "competesWith", iri(GOOG))] == 2
    desc = queries.entity_description(store, iri(MS))
    assert desc["labels"]["en"] == "Microsoft Corporation" and {"Microsoft", "Microsoft Corp."} <= desc["aliases"]
    # a name the merged-away entity had now finds the entity it went into
    assert actions.find_entity(store, "Microsoft Corp.", actions.load_overlay(store)) == iri(MS)


# ------------------------------------------------------------------ conflicts and bad input
CONFLICTS = [
    (lambda s, c: actions.merge(s, "Microsoft Corp.", "Microsoft", **WHY),
     lambda s, c: actions.merge(s, "ent:vendor-microsoft-corp", "Google", **WHY), "is merged into"),
    (lambda s, c: None, lambda s, c: actions.merge(s, "Microsoft", "microsoft", **WHY), "already one entity"),
    (lambda s, c: actions.rename(s, "Google", "Google LLC", **WHY),
     lambda s, c: actions.rename(s, "Google LLC", "Alphabet", **WHY), "already renamed"),
    (lambda s, c: None, lambda s, c: actions.retype(s, "Google", "vendor", **WHY), "already a Vendor"),
    (lambda s, c: actions.retype(s, "Kubernetes", "Product", **WHY),
     lambda s, c: actions.retype(s, "Kubernetes", "Standard", **WHY), "already retyped"),
    (lambda s, c: actions.reject(s, "Microsoft", "competesWith", "Google", **WHY),
     lambda s, c: actions.reject(s, "Microsoft", "competesWith", "Google", article=c.art("a1"), **WHY),
     "already rejected"),
    (lambda s, c: actions.reject(s, "Microsoft", "competesWith", "Google", **WHY),
     lambda s, c: actions.assert_fact(s, "Google", "competesWith", "Microsoft", note="n", source="s", **WHY),
     "rejected everywhere"),
    (lambda s, c: actions.assert_fact(s, "Facebook", "sponsors", "OCP", note="n", source="s", **WHY),
     lambda s, c: actions.reject(s, "Facebook", "sponsors", "OCP", **WHY), "asserted by an analyst"),
    (lambda s, c: actions.not_entity(s, "alert(1)>Acme Corp", **WHY),
     lambda s, c: actions.merge(s, "Google", "alert(1)>Acme Corp", **WHY), "unknown entity"),
    (lambda s, c: actions.not_entity(s, "Docker", **WHY),
     lambda s, c: actions.merge(s, "Google", "ent:vendor-docker-inc", **WHY), "not an entity"),
    (lambda s, c: None, lambda s, c: actions.split(s, "Docker", [c.art("a1")], "Docker Engine", **WHY),
     "not mentioned"),
    (lambda s, c: actions.split(s, "OCP", [c.art("a2")], "Open Container Project", **WHY),
     lambda s, c: actions.split(s, "OCP", [c.art("a2")], "Open Container Initiative", **WHY), "not mentioned"),
    (lambda s, c: None, lambda s, c: actions.merge(s, "Nobody Inc.", "Google", **WHY), "unknown entity"),
    (lambda s, c: None, lambda s, c: actions.reject(s, "Google", "acquired", "Facebook", **WHY), "no such fact"),
    (lambda s, c: None, lambda s, c: actions.reject(s, "Google", "owns", "Facebook", **WHY), "unknown predicate"),
    (lambda s, c: None, lambda s, c: actions.retype(s, "Google", "Company", **WHY), "unknown type"),
    (lambda s, c: None, lambda s, c: actions.rename(s, "Google", "Google", who="x", why=" "), "give a reason"),
    (lambda s, c: None, lambda s, c: actions.rename(s, "Google", "x" * 201, **WHY), "too long"),
    (lambda s, c: actions.undo(s, actions.rename(s, "Facebook", "Meta", **WHY).id, **WHY),
     lambda s, c: actions.undo(s, actions.list_corrections(s)[0].id, **WHY), "already undone"),
    (lambda s, c: None, lambda s, c: actions.undo(s, "c-0000000000", **WHY), "unknown correction"),
    (lambda s, c: None,
     lambda s, c: actions.assert_fact(s, "Facebook", "sponsors", "OCP", note="n", source="s", article=c.art("a3"),
                                      evidence="a sentence not in the article", **WHY), "not in the text"),
    (lambda s, c: actions.rename(s, "Google", "Facebook", **WHY),
     lambda s, c: actions.retype(s, "Facebook", "Product", **WHY), "names 2 entities"),
]


@pytest.mark.parametrize(("first", "second", "message"), CONFLICTS)
def test_conflicting_or_bad_corrections_are_refused(store, corpus, first, second, message):
    first(store, corpus)
    before = actions.list_corrections(store)
    with pytest.raises(CurationError, match=message) as err:
        second(store, corpus)
    assert "\n" not in str(err.value)
    assert [(c.id, c.active) for c in actions.list_corrections(store)] == [(c.id, c.active) for c in before]


# ------------------------------------------------------------------ re-ingest and removal
def test_corrections_survive_reingest_and_removal(store, corpus):
    from ingest.ingestion import remove_article

    actions.reject(store, "Microsoft", "competesWith", "Google", **WHY)
    actions.merge(store, "Microsoft Corp.", "Microsoft", **WHY)
    actions.split(store, "OCP", [corpus.art("a2")], "Open Container Project", **WHY)
    expected = views(store)

    write_article(store, corpus.folder, "a1")  # the same article extracted again: its graph replaced
    write_article(store, corpus.folder, "a2")
    assert views(store) == expected
    assert remove_article(store, str(corpus.folder / "a1.txt")) == corpus.art("a1")
    assert (iri(MS), "competesWith", iri(GOOG)) not in facts(store)  # a3 (merged) and a4 still rejected
    write_article(store, corpus.folder, "a1")
    assert views(store) == expected
    assert remove_article(store, str(corpus.folder / "a2.txt"))
    new = entity_iri("Organization", "Open Container Project")
    assert new not in read_snapshot(store).entities.index  # nothing says it any more
    write_article(store, corpus.folder, "a2")
    assert views(store) == expected


def test_corrections_survive_a_real_reingest(tmp_path):
    """ecokg's own ingestion (the extractor on self-written text): a changed article is extracted again."""
    from ingest.ingestion import ingest_paths

    folder = tmp_path / "in"
    folder.mkdir()
    one = folder / "one.txt"
    one.write_text("Microsoft acquired GitHub in 2018. Microsoft competes with Google in cloud search.\n")
    with EmbeddedStore(tmp_path / "store") as s:
        assert not ingest_paths(s, [folder]).failed
        got = facts(s)
        assert got, "the extractor found no fact in the test article"
        (sub, pred, obj) = sorted(got)[0]
        c = actions.reject(s, sub, pred, obj, **WHY)
        assert (sub, pred, obj) not in facts(s)
        one.write_text(one.read_text() + "Microsoft develops Windows.\n")
        report = ingest_paths(s, [folder])
        assert report.updated == [str(one)]
        assert (sub, pred, obj) not in facts(s)  # the new extraction says it again; the correction holds
        actions.undo(s, c.id, **WHY)
        assert (sub, pred, obj) in facts(s)


# ------------------------------------------------------------------ gold export and the scorer
@needs_shared
def test_gold_export_round_trips_through_the_scorer(store, corpus, tmp_path):
    actions.merge(store, "Microsoft Corp.", "Microsoft", **WHY)
    actions.reject(store, "Microsoft", "competesWith", "Google", article=corpus.art("a4"), **WHY)
    actions.not_entity(store, "alert(1)>Acme Corp", **WHY)
    actions.retype(store, "Kubernetes", "Product", **WHY)
    out = tmp_path / "gold"
    report = export_gold(store, out)
    assert sorted(report.written) == ["a2", "a3", "a4"]

    def score(preds: list[dict]) -> dict:
        pred = tmp_path / "pred.jsonl"
        pred.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
        res = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(out), "--pred", str(pred),
                              "--json"], capture_output=True, text=True, check=True)
        return json.loads(res.stdout)

    corrected = [dict(json.loads((out / f"{n}.gold.json").read_text(encoding="utf-8")), source=f"{n}.txt")
                 for n in report.written]
    total = score(corrected)
    assert total["entities"]["f1"] == 1.0 and total["relations"]["f1"] == 1.0
    assert total["relations"]["gold"] == 4  # a2: supports, develops; a3: develops, competesWith
    raw = [dict(article_gold(store, corpus.art(n), Overlay()), source=f"{n}.txt") for n in report.written]
    before = score(raw)  # what the extraction said scores below the corrected version
    assert before["relations"]["precision"] < 1.0 and before["entities"]["precision"] < 1.0


def test_gold_export_without_stored_text_says_so(tmp_path):
    """A store written before article texts were kept: the export names what it could not write."""
    with EmbeddedStore(tmp_path / "store") as s:
        corpus = build(s, tmp_path / "articles")
        art = corpus.art("a1")
        s.update(f"DELETE WHERE {{ GRAPH <{art}> {{ <{art}> <https://schema.org/text> ?t }} }}")
        actions.merge(s, "Microsoft Corp.", "Microsoft", **WHY)
        actions.reject(s, "Microsoft", "acquired", "GitHub Inc.", **WHY)
        report = export_gold(s, tmp_path / "gold")
    assert report.written == ["a3"] and [a for a, _ in report.skipped] == [art]
    assert "ingest it again" in report.skipped[0][1]


# ------------------------------------------------------------------ the command line
def ecokg(*args: str, **kw) -> subprocess.CompletedProcess:
    from service_helpers import ecokg_cmd, subprocess_env

    env = subprocess_env({"ECOKG_USER": "cli-user"})
    return subprocess.run(ecokg_cmd(*args), capture_output=True, text=True, env=env, timeout=120, **kw)


def test_cli_curate_round_trip(tmp_path):
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        build(s, tmp_path / "articles")
    st = ["--store", str(path)]
    r = ecokg("curate", "merge", "Microsoft Corp.", "Microsoft", "--why", "same company", *st)
    assert r.returncode == 0, r.stderr
    cid = r.stdout.split(":")[0]
    r = ecokg("curate", "reject", "--entity", "alert(1)>Acme Corp", "--why", "junk", *st)
    assert r.returncode == 0, r.stderr
    r = ecokg("curate", "assert", "Facebook", "sponsors", "Open Compute Project", "--note", "pays", "--source",
              "https://example.org", "--why", "known", *st)
    assert r.returncode == 0, r.stderr
    listed = [json.loads(line) for line in ecokg("curate", "list", "--json", *st).stdout.splitlines()]
    assert [x["kind"] for x in listed] == ["merge", "not-entity", "assert"]
    assert {x["who"] for x in listed} == {"cli-user"} and listed[0]["why"] == "same company"
    r = ecokg("curate", "export", "--format", "gold", "--out", str(tmp_path / "gold"), *st)
    assert r.returncode == 0 and "wrote 2 article(s)" in r.stdout, r.stdout + r.stderr
    assert sorted(p.name for p in (tmp_path / "gold").iterdir()) == ["a2.gold.json", "a2.txt", "a3.gold.json", "a3.txt"]
    r = ecokg("curate", "undo", cid, "--why", "not the same", *st)
    assert r.returncode == 0 and r.stdout.startswith(f"undid {cid}")
    r = ecokg("curate", "list", "--active", *st)
    assert cid not in r.stdout and r.stdout.count("\n") == 2
    stats = json.loads(ecokg("stats", "--json", *st).stdout)
    assert stats["facts_by_predicate"]["sponsors"] == 1 and "partnersWith" not in stats["facts_by_predicate"]


@pytest.mark.parametrize(("args", "message"), [
    (["merge", "Nobody", "Google", "--why", "x"], "unknown entity 'Nobody'"),
    (["rename", "Google", "Google", "--why", "x"], None),
    (["reject", "Google", "competesWith", "--why", "x"], "give a fact as SUBJECT PREDICATE OBJECT"),
    (["retype", "Google", "Vendor", "--why", "x"], "already a Vendor"),
    (["merge", "Google", "Facebook"], "give a reason"),
    (["undo", "c-123", "--why", "x"], "unknown correction"),
])
def test_cli_errors_are_one_line_and_exit_2(tmp_path, args, message):
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        build(s, tmp_path / "articles")
    if message is None:  # a rename to the same name is allowed once; the second is the conflict
        assert ecokg("curate", *args, "--store", str(path)).returncode == 0
        args, message = ["rename", "Google", "Alphabet", "--why", "x"], "already renamed"
    r = ecokg("curate", *args, "--store", str(path))
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.count("\n") == 1 and message in r.stderr and "Traceback" not in r.stderr


def test_cli_refuses_while_another_process_writes(tmp_path):
    """The single-writer rule: a correction while an ingest holds the store is one clear line, nothing lost."""
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        build(s, tmp_path / "articles")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from kg.store import EmbeddedStore; s = EmbeddedStore(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True, env=_env(),
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = ecokg("curate", "rename", "Google", "Google LLC", "--why", "x", "--store", str(path))
    finally:
        holder.terminate()
        holder.wait(10)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "open for writing in another process" in r.stderr
    with EmbeddedStore(path, read_only=True) as s:
        assert actions.list_corrections(s) == []


def _env() -> dict[str, str]:
    from service_helpers import subprocess_env

    return subprocess_env()


def test_serve_stays_read_only_for_the_curation_graph(tmp_path):
    """`ecokg serve` answers queries; an update that would write a correction is refused like any other."""
    from kg.query import UpdateRefused, run_query

    with EmbeddedStore(tmp_path / "store") as s:
        build(s, tmp_path / "articles")
    with EmbeddedStore(tmp_path / "store", read_only=True) as s:
        with pytest.raises(UpdateRefused):
            run_query(s, f"INSERT DATA {{ GRAPH <{CURATION_GRAPH}> {{ <urn:x> <urn:y> <urn:z> }} }}")


def test_article_graph_keeps_the_text(store, corpus):
    assert actions.article_text(store, corpus.art("a4")) == TEXTS["a4"]
    assert Path(corpus.folder / "a4.txt").read_text(encoding="utf-8") == TEXTS["a4"]


_ = (GH,)  # imported for readers: the acquired fact's object


def test_hostile_names_and_reasons_stay_literal(store, corpus):
    """Quotes, braces and SPARQL keywords in what an analyst types are stored as text, not run."""
    evil = 'x" } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> "c'
    quads = article_quads(store)
    c = actions.rename(store, "Google", evil, who='ann" }', why="} ; CLEAR ALL #\n<script>")
    assert article_quads(store) == quads
    got = actions.list_corrections(store)[0]
    assert (got.name, got.who, got.why) == (evil, 'ann" }', "} ; CLEAR ALL #\n<script>") and got.id == c.id
    assert queries.labels(store)[iri(GOOG)]["en"] == evil
    with pytest.raises(CurationError, match="not an IRI|unknown entity"):
        actions.retype(store, "https://w3id.org/ecokg/entity/a> <b", "Product", **WHY)
