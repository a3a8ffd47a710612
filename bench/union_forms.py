"""The union-graph form of each query that ecokg now scopes with ``GRAPH``: rdflib's best shape.

ecokg's queries read facts inside their article graphs (``GRAPH ?art { ... }``)
and labels from the entity graph, which suits Oxigraph's indexes. rdflib's
engine evaluates ``GRAPH ?g`` by iterating every context and is 5-40x slower
on that shape than on the same question over the union default graph (its
union is a set). A user of rdflib would write the union form, so figure 4
times both forms in rdflib and compares ecokg against rdflib's faster one.
These are the texts ecokg itself sent before the entity graph existed.

Placeholders: ``{x}``, ``{y}`` (entity IRIs, without brackets), ``{x_label}`` and
``{std_label}`` (SPARQL literals), ``{values}`` (the matrix's vendors, ``<iri> <iri> ...``).
"""

from __future__ import annotations

_ARTICLE_META = """OPTIONAL { ?art schema:url ?url } OPTIONAL { ?art schema:headline ?title }
             OPTIONAL { ?art schema:datePublished ?date }"""

UNION_FORMS: dict[str, str] = {
    "rivals of X": """SELECT ?r (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?art) AS ?articles) WHERE {
          { ?a eco:subject <{x}> ; eco:object ?r } UNION { ?a eco:object <{x}> ; eco:subject ?r }
          ?a eco:predicate eco:competesWith ; prov:wasDerivedFrom ?art .
          OPTIONAL { ?r rdfs:label ?l FILTER(LANG(?l) = "en") }
        } GROUP BY ?r ORDER BY DESC(?articles)""",
    "top-k by PageRank (materialised)": """SELECT ?e ?pr (SAMPLE(?l) AS ?label) WHERE {
          ?e eco:pageRank ?pr OPTIONAL { ?e rdfs:label ?l FILTER(LANG(?l) = "en") }
        } GROUP BY ?e ?pr ORDER BY DESC(?pr) LIMIT 20""",
    "profile: description": "SELECT ?p ?v WHERE { <{x}> ?p ?v }",
    "profile: evidence": """SELECT ?s ?p ?o ?evidence ?conf ?art ?url ?title ?date WHERE {
             { ?a eco:subject <{x}> } UNION { ?a eco:object <{x}> }
             ?a a eco:Assertion ; eco:subject ?s ; eco:predicate ?p ; eco:object ?o ;
                eco:evidence ?evidence ; eco:confidence ?conf ; prov:wasDerivedFrom ?art .
             %s
           } ORDER BY ?p DESC(?conf)""" % _ARTICLE_META,
    "profile: timeline": """SELECT ?art ?date ?title ?url WHERE {
             ?art eco:mentions <{x}> .
             %s
           } ORDER BY ?date""" % _ARTICLE_META,
    "matrix: cell evidence": """SELECT ?s ?p ?o ?evidence ?conf ?art ?url ?title ?date WHERE {
             { ?a eco:subject <{x}> ; eco:object <{y}> } UNION { ?a eco:subject <{y}> ; eco:object <{x}> }
             ?a a eco:Assertion ; eco:subject ?s ; eco:predicate ?p ; eco:object ?o ;
                eco:evidence ?evidence ; eco:confidence ?conf ; prov:wasDerivedFrom ?art .
             %s
           } ORDER BY ?p DESC(?conf)""" % _ARTICLE_META,
    "competition matrix (SPARQL)": """SELECT ?a ?b (COUNT(DISTINCT ?art) AS ?n) WHERE {
          VALUES ?a { {values} } VALUES ?b { {values} }
          ?x eco:subject ?a ; eco:predicate eco:competesWith ; eco:object ?b ; prov:wasDerivedFrom ?art .
        } GROUP BY ?a ?b""",
    "snapshot: assertion rows (top-k by PageRank, matrix)": """SELECT ?s ?p ?o ?art ?conf ?ev WHERE {
               ?a a eco:Assertion ; eco:subject ?s ; eco:predicate ?p ; eco:object ?o ;
                  eco:confidence ?conf ; eco:evidence ?ev ; prov:wasDerivedFrom ?art .
             }""",
    "snapshot: entity types": """SELECT DISTINCT ?e ?type WHERE {
             ?e a ?c . FILTER(STRSTARTS(STR(?c), STR(eco:)) && ?c != eco:Assertion)
             BIND(STRAFTER(STR(?c), STR(eco:)) AS ?type)
           }""",
    "snapshot: labels": "SELECT ?e ?l WHERE { ?e rdfs:label ?l }",
    "snapshot: alt labels": "SELECT DISTINCT ?e ?label WHERE { ?e skos:altLabel ?label }",
    "snapshot: articles": """SELECT ?art ?url ?title ?date ?lang ?ingested WHERE {
             ?art a schema:NewsArticle .
             OPTIONAL { ?art schema:url ?url } OPTIONAL { ?art schema:headline ?title }
             OPTIONAL { ?art schema:datePublished ?date } OPTIONAL { ?art schema:inLanguage ?lang }
             OPTIONAL { ?art prov:generatedAtTime ?ingested }
           } ORDER BY DESC(?ingested)""",
    "example: Rivals of an entity (edit the name)": """SELECT ?rival (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?art) AS ?articles) (SAMPLE(?ev) AS ?evidence)
WHERE {
  ?x rdfs:label {x_label} .
  ?a a eco:Assertion ; eco:predicate eco:competesWith ;
     eco:subject|eco:object ?x ; eco:subject|eco:object ?rival ;
     eco:evidence ?ev ; prov:wasDerivedFrom ?art .
  FILTER(?rival != ?x)
  OPTIONAL { ?rival rdfs:label ?label }
} GROUP BY ?rival ORDER BY DESC(?articles) LIMIT 50""",
    "example: Evidence for a rivalry (edit the ": """SELECT ?evidence ?conf ?url WHERE {
  { ?a eco:subject <{x}> ; eco:object <{y}> } UNION { ?a eco:subject <{y}> ; eco:object <{x}> }
  ?a eco:predicate eco:competesWith ; eco:evidence ?evidence ; eco:confidence ?conf ; prov:wasDerivedFrom ?art .
  OPTIONAL { ?art schema:url ?url }
} ORDER BY DESC(?conf)""",
    "example: Acquisitions by date": """SELECT ?date ?buyerName ?targetName ?evidence ?url WHERE {
  ?a eco:predicate eco:acquired ; eco:subject ?buyer ; eco:object ?target ; eco:evidence ?evidence ; prov:wasDerivedFrom ?art .
  OPTIONAL { ?art schema:datePublished ?date }
  OPTIONAL { ?art schema:url ?url }
  OPTIONAL { ?buyer rdfs:label ?buyerName FILTER(LANG(?buyerName) = "en") }
  OPTIONAL { ?target rdfs:label ?targetName FILTER(LANG(?targetName) = "en") }
} ORDER BY DESC(?date) LIMIT 200""",
    "example: Standards by number of backers": """SELECT ?standard (SAMPLE(?sname) AS ?name) (COUNT(DISTINCT ?backer) AS ?backers) WHERE {
  ?standard a eco:Standard .
  ?backer eco:supports|eco:develops|eco:contributesTo ?standard .
  OPTIONAL { ?standard rdfs:label ?sname FILTER(LANG(?sname) = "en") }
} GROUP BY ?standard ORDER BY DESC(?backers) LIMIT 100""",
    "example: Who backs a standard (edit the name)": """SELECT ?backer ?name ?how (COUNT(DISTINCT ?art) AS ?articles) WHERE {
  ?standard rdfs:label {std_label} .
  VALUES ?how { eco:supports eco:develops eco:contributesTo }
  ?a eco:subject ?backer ; eco:predicate ?how ; eco:object ?standard ; prov:wasDerivedFrom ?art .
  OPTIONAL { ?backer rdfs:label ?name FILTER(LANG(?name) = "en") }
} GROUP BY ?backer ?name ?how ORDER BY DESC(?articles)""",
    "example: Top entities by PageRank (after `ecokg a": """SELECT ?e ?name ?pagerank WHERE {
  ?e eco:pageRank ?pagerank OPTIONAL { ?e rdfs:label ?name FILTER(LANG(?name) = "en") }
} ORDER BY DESC(?pagerank) LIMIT 20""",
    "example: Entities with Chinese labels": """SELECT ?e ?en ?zh WHERE {
  ?e rdfs:label ?zh FILTER(LANG(?zh) = "zh")
  OPTIONAL { ?e rdfs:label ?en FILTER(LANG(?en) = "en") }
} LIMIT 200""",
}


def union_form(name: str, fill: dict[str, str]) -> str | None:
    """The union form of a case (None when the case has none), with its placeholders filled in."""
    text = UNION_FORMS.get(name)
    if text is None:
        return None
    for key, value in fill.items():
        text = text.replace("{" + key + "}", value)
    return text
