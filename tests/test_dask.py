"""Extraction on a Dask cluster gives the same graph as a local run; pipelines load once per worker."""

from __future__ import annotations

import subprocess

import pytest
from service_helpers import article_files, ecokg_cmd, subprocess_env, tiny_catalog_env

from kg.namespace import PROV, RUNS_GRAPH
from kg.store import EmbeddedStore

distributed = pytest.importorskip("distributed")

GENERATED_AT = str(PROV.generatedAtTime)


def graph_of(path) -> set[tuple[str, str, str, str]]:
    with EmbeddedStore(path, read_only=True) as s:
        res = s.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return {(str(r["s"]), str(r["p"]), str(r["o"]), str(r["g"])) for r in res
                if r["p"].value != GENERATED_AT and r["g"].value != str(RUNS_GRAPH)}  # the run log: per run


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Articles, the catalog env, a local run's graph and a 2-process LocalCluster on 127.0.0.1."""
    from ingest.ingestion import ingest_paths
    from kg.catalog import load_catalog

    tmp = tmp_path_factory.mktemp("dask")
    env = tiny_catalog_env(tmp)
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)  # before the cluster starts: its worker processes inherit it
    load_catalog.cache_clear()
    files = article_files(tmp)
    with EmbeddedStore(tmp / "local") as store:
        assert not ingest_paths(store, files).failed
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield {"tmp": tmp, "env": env, "files": files, "local": graph_of(tmp / "local"), "client": client,
           "cluster": cluster}
    client.close()
    cluster.close()
    mp.undo()
    load_catalog.cache_clear()


def test_dask_run_gives_the_local_graph_and_loads_pipelines_once_per_worker(setup):
    from ingest.executors import dask_extract_batch, extractors_loaded
    from ingest.ingestion import ingest_paths

    client = setup["client"]
    path = setup["tmp"] / "dask-inproc"
    with EmbeddedStore(path) as store:
        report = ingest_paths(store, setup["files"], extract_batch=dask_extract_batch(client, chunk_size=1))
    assert not report.failed and len(report.new) == len(setup["files"])
    assert graph_of(path) == setup["local"]
    loaded = client.run(extractors_loaded)  # worker address -> extractors built there
    assert len(setup["files"]) > len(loaded)  # more chunks than workers: some worker reused its pipelines
    assert max(loaded.values()) == 1 and set(loaded.values()) <= {0, 1}


def test_cli_connects_to_a_scheduler(setup):
    path = setup["tmp"] / "dask-cli-scheduler"
    address = setup["cluster"].scheduler_address
    out = subprocess.run(
        ecokg_cmd("ingest", "--store", str(path), "--executor", "dask", "--scheduler", address, "-q",
                  *map(str, setup["files"])),
        capture_output=True, text=True, env=subprocess_env(setup["env"]), timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert f"{len(setup['files'])} new" in out.stdout
    assert graph_of(path) == setup["local"]


@pytest.mark.slow
def test_cli_starts_local_workers(setup):
    path = setup["tmp"] / "dask-cli-workers"
    out = subprocess.run(
        ecokg_cmd("ingest", "--store", str(path), "--executor", "dask", "--workers", "2", "-q",
                  *map(str, setup["files"])),
        capture_output=True, text=True, env=subprocess_env(setup["env"]), timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert graph_of(path) == setup["local"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--workers", "2"], "need --executor dask"),
        (["--executor", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
    ],
)
def test_bad_executor_options(tmp_path, args, message):
    env = tiny_catalog_env(tmp_path)
    f = article_files(tmp_path, limit=1)
    out = subprocess.run(ecokg_cmd("ingest", "--store", str(tmp_path / "s"), *args, str(f[0])),
                         capture_output=True, text=True, env=subprocess_env(env), timeout=120)
    assert out.returncode == 2 and message in out.stderr


def test_sources_runs_say_they_extract_locally(tmp_path):
    out = subprocess.run(
        ecokg_cmd("ingest", "--store", str(tmp_path / "s"), "--sources", str(tmp_path / "sources.toml"),
                  "--executor", "dask", "--workers", "1"),
        capture_output=True, text=True, env=subprocess_env(tiny_catalog_env(tmp_path)), timeout=120,
    )
    assert out.returncode == 2 and "--sources extracts locally" in out.stderr
