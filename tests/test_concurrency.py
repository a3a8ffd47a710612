"""Concurrent use with real processes: readers see the last committed state while writers write.

- `ecokg serve` answers over HTTP while `ecokg ingest` writes in another process, and picks up the
  new articles without a restart;
- the app's data layer (``ecokg.ui.state``: a read-only open per ``store_generation``) and the app
  itself (``AppTest``) read while `ecokg ingest` creates and fills the store;
- two writers: a second `ecokg ingest` exits with a clear message, a scheduler skips its run and
  says why, and the store is consistent after (every article graph whole, reruns add no duplicates).

"Whole" is checked against a reference store written by one clean run: every article graph a
reader sees has exactly the quads the clean run wrote for it.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from service_helpers import ecokg_cmd, free_port, stop, subprocess_env, wait_http

from kg.namespace import ENTITIES_GRAPH, RUNS_GRAPH
from kg.store import EmbeddedStore, StoreError

ROOT = Path(__file__).resolve().parents[1]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne"]
PRODUCTS = ["Widgetron", "Cloudify", "Datastream", "Nimbus", "Quasar", "Helios", "Orbit", "Pulsar"]
PROV_GENERATED_BY = "http://www.w3.org/ns/prov#wasGeneratedBy"
# Quads per named graph, leaving out the link to a web/folder run (a scheduled run adds one per graph).
# Triples per graph, for the graphs writes replace whole (not the entity graph, which grows with every article:
# tests/test_entity_index.py and tests/test_crash.py check that it stays exact).
SIZES = (  # the run log is left out: each run, a killed or refused one too, adds its own record
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o FILTER(?p != <%s>) } "
    "FILTER(?g != <%s> && ?g != <%s>) } GROUP BY ?g"
    % (PROV_GENERATED_BY, ENTITIES_GRAPH, RUNS_GRAPH)
)
FOLDERS = {"a": 12, "b": 120, "c": 10}  # b is long enough for readers and a second writer to overlap it


def write_articles(folder: Path, tag: str, n: int, seed: int) -> list[Path]:
    """n short English articles, each text unique (the tag and number are in it)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        a, b = rng.sample(COMPANIES, 2)
        p = rng.choice(PRODUCTS)
        text = (
            f"Report {tag}-{i}: {a} Inc. launched {p} {i}.0 this week.\n\n"
            f"{a} competes with {b} Corp. in cloud storage, and {b} partnered with {rng.choice(COMPANIES)} Ltd.\n\n"
            f"{b} Corp. acquired a startup called {p}Labs for an undisclosed sum.\n"
        )
        f = folder / f"{tag}-{i:03d}.txt"
        f.write_text(text, encoding="utf-8")
        out.append(f)
    return out


def ingest(store: Path, *folders: Path, quiet: bool = True, env: dict[str, str] | None = None) -> subprocess.Popen:
    args = ["ingest", *map(str, folders), "--store", str(store)] + (["-q"] if quiet else [])
    return subprocess.Popen(
        ecokg_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=subprocess_env({"PYTHONUNBUFFERED": "1", **(env or {})}),
    )


def finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def embedded_sizes(store: Path) -> dict[str, int]:
    with EmbeddedStore(store, read_only=True) as s:
        return {r[0].value: int(r[1].value) for r in s.query(SIZES, union=False)}


def wait_for_progress(proc: subprocess.Popen, lines: int) -> None:
    """Read the writer's progress lines until `lines` articles were committed (proof it holds the store)."""
    seen = 0
    assert proc.stderr is not None
    while seen < lines:
        line = proc.stderr.readline()
        assert line, f"the writer ended before {lines} articles (exit {proc.poll()})"
        seen += line.lstrip().startswith("new")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Folders a, b, c of articles and the graph sizes one clean run writes for them."""
    tmp = tmp_path_factory.mktemp("concurrency")
    folders = {}
    for seed, (tag, n) in enumerate(FOLDERS.items(), start=31):
        folders[tag] = tmp / tag
        write_articles(folders[tag], tag, n, seed)
    reference = tmp / "reference"
    code, _, err = finish(ingest(reference, *folders.values()))
    assert code == 0, err
    sizes = embedded_sizes(reference)
    assert len(sizes) == sum(FOLDERS.values()) + 1  # the articles and the catalog
    from ecokg.ui.data import read_snapshot

    with EmbeddedStore(reference, read_only=True) as s:
        snap = read_snapshot(s)
    per_article = snap.assertions.groupby("art").size().to_dict()
    return folders, sizes, per_article


def graphs_of(corpus, *tags: str) -> set[str]:
    """The graph IRIs the reference run wrote for the articles of these folders (plus the catalog)."""
    from kg.namespace import CATALOG_GRAPH, article_iri

    folders = corpus[0]
    out = {str(CATALOG_GRAPH)}
    for tag in tags:
        out |= {article_iri(f.resolve().as_uri()) for f in sorted(folders[tag].glob("*.txt"))}
    return out


def check_whole(sizes: dict[str, int], reference: dict[str, int], where: str) -> None:
    for graph, n in sizes.items():
        if graph in reference:
            assert n == reference[graph], f"{where}: graph {graph} has {n} quads, a whole one {reference[graph]}"


# ------------------------------------------------------------------ (a) ecokg serve while ecokg ingest writes
def endpoint_sizes(url: str) -> tuple[dict[str, int], str]:
    r = requests.post(url, data={"query": SIZES}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert r.status_code == 200, r.text
    rows = r.json()["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in rows}, r.headers.get("X-Ecokg-Snapshot", "")


@pytest.mark.slow
def test_serve_answers_while_ingest_writes_and_follows_it(corpus, tmp_path):
    folders, reference, _ = corpus
    store = tmp_path / "store"
    code, _, err = finish(ingest(store, folders["a"]))
    assert code == 0, err
    before, after = graphs_of(corpus, "a"), graphs_of(corpus, "a", "b")

    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    serve = subprocess.Popen(
        ecokg_cmd("serve", "--store", str(store), "--bind", f"127.0.0.1:{port}", "--refresh", "0.2"),
        stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT, env=subprocess_env(),
    )
    try:
        first = serve.stdout.readline()
        assert "SPARQL endpoint" in first, first + (tmp_path / "serve.log").read_text()
        url = first.split(" at ", 1)[1].strip()
        wait_http(url + "?query=ASK%7B%7D", serve)
        sizes, _ = endpoint_sizes(url)
        assert set(sizes) == before
        check_whole(sizes, reference, "before the write")

        writer = ingest(store, folders["b"])
        seen_counts, queries, snapshots = [len(sizes)], 0, set()
        deadline = time.monotonic() + 240
        while True:
            sizes, snap = endpoint_sizes(url)
            queries += 1
            snapshots.add(snap)
            check_whole(sizes, reference, f"query {queries}")
            assert set(sizes) <= after, "the endpoint shows a graph no run wrote"
            assert len(sizes) >= seen_counts[-1], "the endpoint went back to an older state"
            seen_counts.append(len(sizes))
            if writer.poll() is not None and set(sizes) == after:
                break
            assert time.monotonic() < deadline, f"the endpoint never caught up: {len(sizes)} of {len(after)} graphs"
            time.sleep(0.2)
        code, _, err = finish(writer)
        assert code == 0, err
        assert serve.poll() is None, "the endpoint must keep running (no restart)"
        assert sizes == {g: reference[g] for g in after}
        assert len(snapshots) >= 2  # it switched to a new snapshot by itself
    finally:
        stop(serve)
        log.close()
    print(f"serve: {queries} queries during the write, graph counts seen {sorted(set(seen_counts))}")


# ------------------------------------------------------------------ (b) the app's data layer and the app
@pytest.mark.slow
def test_app_data_layer_reads_while_ingest_creates_and_fills_the_store(corpus, tmp_path, monkeypatch):
    """ecokg.ui.state opens the store read-only per generation: every snapshot it reads is whole articles."""
    from ecokg.ui import state

    folders, _, per_article = corpus
    store = tmp_path / "store"
    monkeypatch.setenv("ECOKG_STORE", str(store))
    expected = {a for a in per_article if a in graphs_of(corpus, "b")}

    writer = ingest(store, folders["b"])  # the store does not exist yet: the writer creates it
    reads, not_ready, last, counts = 0, 0, set(), []
    deadline = time.monotonic() + 240
    while True:
        done = writer.poll() is not None
        try:
            snap = state.snapshot()
        except StoreError:  # no store yet, or being created: the app shows this as a message
            not_ready += 1
            assert not done or not_ready < 1000
            time.sleep(0.05)
            continue
        reads += 1
        arts = set(snap.articles["art"])
        assert arts <= expected
        assert last <= arts, "the app went back to an older state"
        got = snap.assertions.groupby("art").size().to_dict()
        for art in arts:
            assert got.get(art, 0) == per_article.get(art, 0), f"article {art} is partial in the app's snapshot"
        last = arts
        counts.append(len(arts))
        if done and arts == expected:
            break
        assert time.monotonic() < deadline, f"the app never caught up: {len(arts)} of {len(expected)} articles"
        time.sleep(0.1)
    code, _, err = finish(writer)
    assert code == 0, err
    assert reads >= 2
    print(f"app data layer: {reads} snapshots read, {not_ready} times not ready, counts {sorted(set(counts))}")


@pytest.mark.slow
def test_the_app_shows_new_articles_without_a_restart(corpus, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folders = corpus[0]
    store = tmp_path / "store"
    code, _, err = finish(ingest(store, folders["a"]))
    assert code == 0, err
    monkeypatch.setenv("ECOKG_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    def articles_shown() -> int:
        return int({m.label: m.value for m in at.metric}["Articles"].replace(",", ""))

    assert articles_shown() == FOLDERS["a"]
    writer = ingest(store, folders["c"])
    shown = [articles_shown()]
    while writer.poll() is None:  # the analyst keeps clicking while the writer writes
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown.append(articles_shown())
    code, _, err = finish(writer)
    assert code == 0, err
    at.run()  # the same session, no restart
    assert not at.exception
    shown.append(articles_shown())
    assert shown == sorted(shown) and shown[-1] == FOLDERS["a"] + FOLDERS["c"]
    print(f"app: {len(shown)} runs, article counts shown {sorted(set(shown))}")


def test_opening_a_store_while_a_writer_creates_it_is_a_store_error(tmp_path):
    """A reader racing the creation of the store gets StoreError (a message), never another exception.

    (RocksDB raises 'Column family not found' or 'Inserts are only possible on read-write
    instances' for a read-only open of a half-created store.)
    """
    create = (
        "import sys, time\nfrom kg.store import EmbeddedStore\ns = EmbeddedStore(sys.argv[1])\n"
        "s.update('INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }')\ntime.sleep(0.5)\ns.close()\n"
    )
    opened = refused = racing = 0
    for trial in range(4):
        store = tmp_path / f"store-{trial}"
        writer = subprocess.Popen([sys.executable, "-c", create, str(store)], cwd=ROOT, env=subprocess_env())
        while writer.poll() is None:
            try:
                reader = EmbeddedStore(store, read_only=True)
            except StoreError as exc:
                refused += 1
                racing += "cannot open" in str(exc)  # the folder exists, the store is half made
                continue
            opened += 1
            reader.quad_count()
            reader.close()
        assert writer.returncode == 0
    assert opened and refused
    print(f"store creation race: {opened} opens, {refused} clear refusals ({racing} of a half-made store)")


# ------------------------------------------------------------------ (c) two writers
@pytest.mark.slow
def test_a_second_writer_exits_with_a_clear_message_and_nothing_is_lost(corpus, tmp_path):
    folders, reference, _ = corpus
    store = tmp_path / "store"
    first = ingest(store, folders["b"], quiet=False)
    wait_for_progress(first, 20)  # committed 20 of 120: it holds the store for a while yet

    second = subprocess.run(
        ecokg_cmd("ingest", str(folders["c"]), "--store", str(store)),
        capture_output=True, text=True, cwd=ROOT, env=subprocess_env(), timeout=120,
    )
    assert first.poll() is None, "the first writer should still be writing"
    assert second.returncode == 2, second.stderr
    assert "open for writing in another process" in second.stderr
    assert "Traceback" not in second.stderr

    code, _, err = finish(first)
    assert code == 0, err
    assert embedded_sizes(store) == {g: reference[g] for g in graphs_of(corpus, "b")}

    again = subprocess.run(
        ecokg_cmd("ingest", str(folders["b"]), str(folders["c"]), "--store", str(store)),
        capture_output=True, text=True, cwd=ROOT, env=subprocess_env(), timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert f"{FOLDERS['c']} new, 0 updated, {FOLDERS['b']} unchanged" in again.stdout
    assert embedded_sizes(store) == {g: reference[g] for g in graphs_of(corpus, "b", "c")}


@pytest.mark.slow
def test_a_scheduler_waits_for_a_running_ingest_and_says_why(corpus, tmp_path):
    """`ecokg schedule` comes due while `ecokg ingest` writes: it skips the run with a message, keeps
    running, and stops cleanly; its next run completes and the store is consistent."""
    folders, reference, _ = corpus
    store = tmp_path / "store"
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "c"\nkind = "folder"\npath = "{folders["c"]}"\nevery = "1h"\n',
                       encoding="utf-8")
    first = ingest(store, folders["b"], quiet=False)
    wait_for_progress(first, 20)
    sched = subprocess.Popen(
        ecokg_cmd("schedule", "--sources", str(sources), "--store", str(store)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=subprocess_env({"PYTHONUNBUFFERED": "1"}),
    )
    try:
        lines = []
        while not any("run skipped" in line for line in lines):
            line = sched.stderr.readline()
            assert line, f"the scheduler ended: {''.join(lines)}"
            lines.append(line)
        assert first.poll() is None, "the ingest should still be writing"
        skipped = next(line for line in lines if "run skipped" in line)
        assert "open for writing in another process" in skipped and "trying again" in skipped
        sched.send_signal(signal.SIGTERM)
        _, err = sched.communicate(timeout=60)
        assert sched.returncode == 0, err
        assert "Traceback" not in "".join(lines) + err
    finally:
        if sched.poll() is None:
            sched.kill()
            sched.wait()
    code, _, err = finish(first)
    assert code == 0, err

    once = subprocess.run(
        ecokg_cmd("ingest", "--sources", str(sources), "--store", str(store)),
        capture_output=True, text=True, cwd=ROOT, env=subprocess_env(), timeout=300,
    )
    assert once.returncode == 0, once.stderr
    sizes = embedded_sizes(store)
    wanted = graphs_of(corpus, "b", "c")
    assert wanted <= set(sizes)
    assert {g: sizes[g] for g in wanted} == {g: reference[g] for g in wanted}
    assert set(sizes) == wanted
    with EmbeddedStore(store, read_only=True) as s:
        assert s.query(f"ASK {{ GRAPH <{RUNS_GRAPH}> {{ ?run ?p ?o }} }}", union=False)  # and the run log
