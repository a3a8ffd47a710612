"""A small hand-built story of the container market, written as ingestion writes it (kg.rdf.article_quads).

2014: Docker and CoreOS partner; Docker makes Docker Engine; CoreOS makes rkt and appc, and
competes with Docker. 2015: Microsoft partners with Docker, Google competes with Docker,
Docker acquires SocketPlane and launches Docker Swarm, Docker and CoreOS back the OCI spec,
Google backs appc, CoreOS ends its partnership with Docker (August). A 2015 article says
Docker acquired Orchard in 2014 (an event date before the span). 2016: Docker and CoreOS
partner again.
"""

from __future__ import annotations

from kg.model import Article, Entity, Extraction, Relation
from kg.rdf import article_quads

E = {
    "docker": Entity("Docker", "Vendor"), "coreos": Entity("CoreOS", "Vendor"),
    "google": Entity("Google", "Vendor"), "microsoft": Entity("Microsoft", "Vendor"),
    "socketplane": Entity("SocketPlane", "Vendor"), "orchard": Entity("Orchard", "Vendor"),
    "engine": Entity("Docker Engine", "Product"), "rkt": Entity("rkt", "Product"),
    "swarm": Entity("Docker Swarm", "Product"), "appc": Entity("appc", "Standard"),
    "oci": Entity("OCI spec", "Standard"),
}

# (article key, date, [(subject, predicate, object, evidence, status, event date)])
STORY: list[tuple[str, str, list[tuple[str, str, str, str, str | None, str | None]]]] = [
    ("a1", "2014-03-10", [
        ("docker", "partnersWith", "coreos", "Docker and CoreOS announced a partnership.", None, None),
        ("docker", "develops", "engine", "Docker ships Docker Engine.", None, None)]),
    ("a2", "2014-12-01", [
        ("coreos", "develops", "rkt", "CoreOS launched rkt.", None, None),
        ("coreos", "develops", "appc", "CoreOS wrote the appc spec.", None, None),
        ("coreos", "competesWith", "docker", "CoreOS now competes with Docker.", None, None)]),
    ("a3", "2015-06-22", [
        ("docker", "supports", "oci", "Docker backs the OCI spec.", None, None),
        ("coreos", "supports", "oci", "CoreOS backs the OCI spec too.", None, None),
        ("google", "supports", "appc", "Google supports appc.", None, None),
        ("microsoft", "partnersWith", "docker", "Microsoft partners with Docker.", None, None),
        ("google", "competesWith", "docker", "Google competes with Docker.", None, None)]),
    ("a4", "2015-08-01", [
        ("coreos", "partnersWith", "docker", "CoreOS ended its partnership with Docker.", "ended", None)]),
    ("a6", "2015-09-01", [
        ("docker", "acquired", "orchard", "Docker acquired Orchard in 2014.", None, "2014")]),
    ("a7", "2015-04-01", [
        ("docker", "acquired", "socketplane", "Docker acquired SocketPlane.", None, None),
        ("docker", "develops", "swarm", "Docker launched Docker Swarm.", None, None)]),
    ("a8", "2016-02-01", [
        ("docker", "partnersWith", "coreos", "Docker and CoreOS partner again.", None, None)]),
]


def story_articles() -> list[tuple[Article, Extraction]]:
    out = []
    for key, day, rels in STORY:
        ents = {}
        relations = []
        text = " ".join(r[3] for r in rels)
        for s, p, o, ev, status, event in rels:
            ents[s], ents[o] = E[s], E[o]
            start = text.index(ev)
            relations.append(Relation(E[s].id, p, E[o].id, ev, 0.9, start, start + len(ev), status, event))
        url = f"https://news.test/{key}"
        art = Article(source=url, text=text, key=url, title=f"Story {key}", date=day, lang="en", url=url)
        out.append((art, Extraction(source=url, lang="en", entities=list(ents.values()), relations=relations)))
    return out


def write_story(store) -> None:
    """Write every article of the story into a real store, one graph each (the entity graph kept)."""
    from kg.namespace import article_iri

    for art, ext in story_articles():
        store.replace_graph(article_iri(art.key), article_quads(art, ext))


def iri(name: str) -> str:
    from kg.namespace import entity_iri

    e = E[name]
    return entity_iri(e.type, e.name)


CATALOG_CSV = """type,name,name_zh,aliases,wikidata,market,maker
Vendor,Docker,,,,containers,
Vendor,CoreOS,,,,containers,
Vendor,Google,谷歌,,,cloud,
Vendor,Microsoft,微软,,,cloud,
"""


def write_story_catalog(store, tmp_path) -> None:
    """A tiny catalog giving Docker and CoreOS the containers market, Google and Microsoft cloud."""
    from ingest.ingestion import ensure_catalog
    from kg.catalog import parse_catalog

    path = tmp_path / "story-catalog.csv"
    path.write_text(CATALOG_CSV, encoding="utf-8")
    ensure_catalog(store, parse_catalog(path))
