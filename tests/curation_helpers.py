"""A small store of self-written articles with known extractions, for the curation tests.

The articles are written through the store's own article write (``replace_graph``
of ``kg.rdf.article_quads``), the path ingestion takes, with extractions given
here so each test knows exactly which facts the graph holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import Article, Entity, Extraction, Relation, entity_id
from kg.namespace import article_iri, entity_iri
from kg.rdf import article_quads

TEXTS = {
    "a1": "Microsoft competes with Google in cloud search. Microsoft acquired GitHub in 2018.",
    "a2": "OCP, the Open Container Project, is backed by Docker. Google develops Kubernetes. "
          "alert(1)>Acme Corp partners with Google.",
    "a3": "The Open Compute Project was started by Facebook. Microsoft Corp. competes with Google in office software.",
    "a4": "微软与谷歌在云计算市场竞争。",
}


def _e(name: str, type_: str, *aliases: str, zh: str | None = None) -> Entity:
    return Entity(name=name, type=type_, aliases=list(aliases), labels={"zh": zh} if zh else {})


MS, GOOG = _e("Microsoft", "Vendor", zh="微软"), _e("Google", "Vendor", zh="谷歌")
GH = _e("GitHub Inc.", "Vendor", "GitHub")
OCP = _e("Open Compute Project", "Organization", "OCP")
DOCKER = _e("Docker Inc.", "Vendor", "Docker")
K8S = _e("Kubernetes", "Vendor")  # mistyped on purpose: a retype fixes it
ACME = _e("alert(1)>Acme Corp", "Vendor")
FB = _e("Facebook", "Vendor")
MSC = _e("Microsoft Corp.", "Vendor")  # the same company as Microsoft: a merge makes them one


def _rel(text: str, s: Entity, p: str, o: Entity, sentence: str, conf: float = 0.8) -> Relation:
    start = text.index(sentence)
    return Relation(s.id, p, o.id, sentence, conf, start, start + len(sentence))


def extractions() -> dict[str, tuple[list[Entity], list[tuple]]]:
    t = TEXTS
    return {
        "a1": ([MS, GOOG, GH], [
            (MS, "competesWith", GOOG, "Microsoft competes with Google in cloud search."),
            (MS, "acquired", GH, "Microsoft acquired GitHub in 2018."),
        ]),
        "a2": ([OCP, DOCKER, GOOG, K8S, ACME], [
            (DOCKER, "supports", OCP, "OCP, the Open Container Project, is backed by Docker."),
            (GOOG, "develops", K8S, "Google develops Kubernetes."),
            (ACME, "partnersWith", GOOG, "alert(1)>Acme Corp partners with Google."),
        ]),
        "a3": ([OCP, FB, MSC, GOOG], [
            (FB, "develops", OCP, "The Open Compute Project was started by Facebook."),
            (MSC, "competesWith", GOOG, "Microsoft Corp. competes with Google in office software."),
        ]),
        "a4": ([MS, GOOG], [(MS, "competesWith", GOOG, t["a4"])]),
    }


@dataclass
class Corpus:
    folder: object
    keys: dict[str, str]  # name -> article key

    def art(self, name: str) -> str:
        return article_iri(self.keys[name])


def article(folder, name: str, text: str | None = None) -> Article:
    path = folder / f"{name}.txt"
    body = TEXTS[name] if text is None else text
    path.write_text(body, encoding="utf-8")
    return Article(source=str(path), text=body, key=path.resolve().as_uri(), title=f"Article {name}",
                   date=f"2025-0{list(TEXTS).index(name) + 1}-01", lang="zh" if name == "a4" else "en")


def write_article(store, folder, name: str, drop: tuple[str, ...] = ()) -> str:
    """Write one article (leaving out relations whose predicate is in ``drop``); returns its IRI."""
    art = article(folder, name)
    ents, rels = extractions()[name]
    relations = [_rel(art.text, s, p, o, ev) for s, p, o, ev in rels if p not in drop]
    ext = Extraction(source=art.source, lang=art.lang or "en", entities=list(ents), relations=relations)
    store.replace_graph(article_iri(art.key), article_quads(art, ext))
    return article_iri(art.key)


def build(store, folder) -> Corpus:
    folder.mkdir(parents=True, exist_ok=True)
    keys = {}
    for name in TEXTS:
        write_article(store, folder, name)
        keys[name] = (folder / f"{name}.txt").resolve().as_uri()
    return Corpus(folder, keys)


def iri(e: Entity) -> str:
    return entity_iri(e.type, e.name)


__all__ = ["ACME", "DOCKER", "FB", "GH", "GOOG", "K8S", "MS", "MSC", "OCP", "TEXTS", "build", "entity_id", "iri",
           "write_article"]
