"""The entity graph: one copy of every entity description, exact after every write and removal."""

from __future__ import annotations

import random
import subprocess
import sys

import pyoxigraph as ox
import pytest
from graph_helpers import IDX, derived_triples, index_triples

from kg import entity_index, queries
from kg.backup import import_nquads
from kg.model import Article, Entity, Extraction, Relation
from kg.namespace import ENTITIES_GRAPH, article_iri
from kg.rdf import article_quads
from kg.store import EmbeddedStore, StoreError


def _article(key: str, entities: list[Entity], relations: list[Relation] = ()) -> tuple[Article, Extraction]:
    text = " ".join(e.name for e in entities) + " compete."
    art = Article(source=key, text=text, key=key, title=key, date="2024-05-01", lang="en")
    return art, Extraction(source=key, lang="en", entities=list(entities), relations=list(relations))


def _write(store, key: str, entities: list[Entity], relations: list[Relation] = ()) -> str:
    art, ext = _article(key, entities, relations)
    graph = article_iri(art.key)
    store.replace_graph(graph, article_quads(art, ext))
    return graph


def test_one_copy_per_description_whatever_the_number_of_articles(store):
    vmware = Entity(name="VMware", type="Vendor")
    for i in range(5):
        _write(store, f"urn:test:{i}", [vmware, Entity(name=f"Rival {i}", type="Vendor")])
    label_rows = store.query(
        'SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/ecokg/entity/vendor-vmware> '
        '<http://www.w3.org/2000/01/rdf-schema#label> "VMware"@en } }',
        union=False,
    )
    assert sum(1 for _ in label_rows) == 6  # five articles + the entity graph
    assert index_triples(store) == derived_triples(store)
    desc = queries.entity_description(store, "https://w3id.org/ecokg/entity/vendor-vmware")
    assert desc["types"] == {"Vendor"} and desc["labels"] == {"en": "VMware"}


def test_removing_an_article_retracts_only_what_it_alone_said(store):
    a = _write(store, "urn:test:a", [Entity(name="Kubernetes", type="Product", aliases=["K8s"])])
    b = _write(store, "urn:test:b", [Entity(name="Kubernetes", type="Product", aliases=["kube"])])
    k8s = "https://w3id.org/ecokg/entity/product-kubernetes"
    assert queries.entity_description(store, k8s)["aliases"] == {"K8s", "kube"}
    store.remove_graph(a)
    assert queries.entity_description(store, k8s)["aliases"] == {"kube"}
    assert index_triples(store) == derived_triples(store)
    store.remove_graph(b)
    assert not any(s == k8s for s, _, _ in index_triples(store))


def test_replacing_an_article_updates_its_descriptions(store):
    _write(store, "urn:test:a", [Entity(name="Podman", type="Product", aliases=["podman 4"])])
    _write(store, "urn:test:a", [Entity(name="Podman", type="Product"), Entity(name="Red Hat", type="Vendor")])
    triples = index_triples(store)
    assert not any(o == '"podman 4"@en' for _, _, o in triples)
    assert any(s.endswith("vendor-red-hat") for s, _, _ in triples)
    assert triples == derived_triples(store)


def test_the_entity_graph_stays_exact_through_random_writes_and_removals(store):
    rng = random.Random(11)
    names = [("Vendor", f"Vendor {i}") for i in range(8)] + [("Product", f"Product {i}") for i in range(8)]
    live: set[str] = set()
    for step in range(40):
        key = f"urn:test:{rng.randrange(10)}"
        if key in live and rng.random() < 0.35:
            store.remove_graph(article_iri(key))
            live.discard(key)
        else:
            picked = rng.sample(names, 3)
            ents = [Entity(name=n, type=t, aliases=[f"{n} alias {rng.randrange(3)}"]) for t, n in picked]
            _write(store, key, ents)
            live.add(key)
        assert index_triples(store) == derived_triples(store), f"step {step}"


def test_an_older_store_gets_its_entity_graph_once(store_path):
    raw = ox.Store(str(store_path))
    art, ext = _article("urn:test:old", [Entity(name="CoreOS", type="Vendor")])
    raw.extend(article_quads(art, ext))  # written the way stores were before the entity graph existed
    raw.flush()
    del raw
    with EmbeddedStore(store_path) as store:
        assert entity_index.needs_rebuild(store)
        assert entity_index.ensure_entity_index(store) is True
        assert entity_index.ensure_entity_index(store) is False
        assert index_triples(store) == derived_triples(store) != set()


def test_reindex_command(store_path):
    with EmbeddedStore(store_path) as store:
        _write(store, "urn:test:a", [Entity(name="Docker", type="Vendor")])
        store.update(f"DROP GRAPH {IDX}")
    proc = subprocess.run(
        [sys.executable, "-m", "ecokg.cli", "reindex", "--store", str(store_path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "entity graph rebuilt: 2 description triples" in proc.stdout
    with EmbeddedStore(store_path, read_only=True) as store:
        assert index_triples(store) == derived_triples(store)


def test_the_entity_graph_is_not_written_directly(store):
    with pytest.raises(StoreError, match="derived"):
        store.replace_graph(str(ENTITIES_GRAPH), [])
    with pytest.raises(StoreError, match="derived"):
        store.remove_graph(str(ENTITIES_GRAPH))


@pytest.mark.parametrize("into_empty", [True, False])
def test_import_derives_the_entity_graph(store, tmp_path, into_empty):
    ents = [Entity(name="Istio", type="Product"), Entity(name="Google", type="Vendor")]
    art, ext = _article("urn:test:imp", ents, [Relation(subject=ents[1].id, predicate="develops", object=ents[0].id, evidence="Google develops Istio.", confidence=0.9)])
    nq = tmp_path / "in.nq"
    stale = ox.Quad(ox.NamedNode("https://w3id.org/ecokg/entity/vendor-ghost"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Ghost"), ox.NamedNode(str(ENTITIES_GRAPH)))
    nq.write_text("".join(f"{q} .\n" for q in [*article_quads(art, ext), stale]), encoding="utf-8")
    if not into_empty:
        _write(store, "urn:test:other", [Entity(name="Envoy", type="Product")])
    import_nquads(store, nq)
    triples = index_triples(store)
    assert triples == derived_triples(store)
    assert not any(s.endswith("vendor-ghost") for s, _, _ in triples)  # a file's entity graph is not trusted
