"""The SPARQL page's library of example queries (prefixes eco:, ent:, ecog:, schema:, prov:, ... are predeclared).

They also teach the shapes that are fast on the store (see ``kg.queries``):
labels and types from ``GRAPH ecog:entities`` (one copy per entity), and a fact
with its supporting articles as ``GRAPH ?art { ?s eco:predicate ?o }``.
"""

from ingest.model import PREDICATES

EXAMPLES: dict[str, str] = {
    "Rivals of an entity (edit the name)": """SELECT ?rival (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?art) AS ?articles)
WHERE {
  GRAPH ecog:entities { ?x rdfs:label "VMware"@en }
  GRAPH ?art { { ?x eco:competesWith ?rival } UNION { ?rival eco:competesWith ?x } }
  OPTIONAL { GRAPH ecog:entities { ?rival rdfs:label ?label FILTER(LANG(?label) = "en") } }
}
GROUP BY ?rival ORDER BY DESC(?articles)
LIMIT 50""",
    "Evidence for a rivalry (edit the entity IRIs)": """SELECT ?evidence ?conf ?url
WHERE {
  GRAPH ?art {
    { ?a eco:subject ent:vendor-vmware ; eco:object ent:vendor-microsoft ;
         eco:predicate eco:competesWith ; eco:evidence ?evidence ; eco:confidence ?conf }
    UNION
    { ?a eco:subject ent:vendor-microsoft ; eco:object ent:vendor-vmware ;
         eco:predicate eco:competesWith ; eco:evidence ?evidence ; eco:confidence ?conf }
    OPTIONAL { ?art schema:url ?url }
  }
}
ORDER BY DESC(?conf)""",
    "Acquisitions by date": """SELECT ?date ?buyerName ?targetName ?evidence ?url
WHERE {
  { SELECT ?a ?art ?date WHERE {
      ?a eco:predicate eco:acquired ; prov:wasDerivedFrom ?art .
      OPTIONAL { ?art schema:datePublished ?date }
    } ORDER BY DESC(?date) LIMIT 200 }
  ?a eco:subject ?buyer ; eco:object ?target ; eco:evidence ?evidence .
  OPTIONAL { ?art schema:url ?url }
  OPTIONAL { GRAPH ecog:entities { ?buyer rdfs:label ?buyerName FILTER(LANG(?buyerName) = "en") } }
  OPTIONAL { GRAPH ecog:entities { ?target rdfs:label ?targetName FILTER(LANG(?targetName) = "en") } }
}
ORDER BY DESC(?date)
LIMIT 200""",
    "Standards by number of backers": """SELECT ?standard ?name ?backers
WHERE {
  { SELECT ?standard (COUNT(*) AS ?backers) WHERE {
      { SELECT DISTINCT ?backer ?standard WHERE {
          VALUES ?p { eco:supports eco:develops eco:contributesTo } ?backer ?p ?standard } }
      GRAPH ecog:entities { ?standard a eco:Standard }
    } GROUP BY ?standard ORDER BY DESC(?backers) LIMIT 100 }
  OPTIONAL { GRAPH ecog:entities { ?standard rdfs:label ?name FILTER(LANG(?name) = "en") } }
}
ORDER BY DESC(?backers)""",
    "Who backs a standard (edit the name)": """SELECT ?backer ?name ?how (COUNT(DISTINCT ?art) AS ?articles)
WHERE {
  GRAPH ecog:entities { ?standard rdfs:label "OCI"@en }
  GRAPH ?art { ?backer ?how ?standard }
  FILTER(?how IN (eco:supports, eco:develops, eco:contributesTo))
  OPTIONAL { GRAPH ecog:entities { ?backer rdfs:label ?name FILTER(LANG(?name) = "en") } }
}
GROUP BY ?backer ?name ?how ORDER BY DESC(?articles)""",
    "Most-cited facts": """SELECT ?s ?p ?o (COUNT(*) AS ?articles)
WHERE {
  VALUES ?p { %s }
  ?s ?p ?o   # over the union, once per article that states the fact
}
GROUP BY ?s ?p ?o ORDER BY DESC(?articles)
LIMIT 50"""
    % " ".join(f"eco:{p}" for p in PREDICATES),
    "Top entities by PageRank (after `ecokg analyze`)": """SELECT ?e ?name ?pagerank
WHERE {
  { SELECT ?e ?pagerank WHERE { GRAPH ecog:analytics { ?e eco:pageRank ?pagerank } } ORDER BY DESC(?pagerank) LIMIT 20 }
  OPTIONAL { GRAPH ecog:entities { ?e rdfs:label ?name FILTER(LANG(?name) = "en") } }
}
ORDER BY DESC(?pagerank)""",
    "Articles by publication date, newest first": """SELECT ?art ?title ?date ?lang ?url
WHERE {
  { SELECT ?art ?date WHERE { ?art schema:datePublished ?date } ORDER BY DESC(?date) LIMIT 100 }
  OPTIONAL { ?art schema:headline ?title } OPTIONAL { ?art schema:inLanguage ?lang } OPTIONAL { ?art schema:url ?url }
}
ORDER BY DESC(?date)""",
    "Entities with Chinese labels": """SELECT ?e ?en ?zh
WHERE {
  GRAPH ecog:entities {
    ?e rdfs:label ?zh FILTER(LANG(?zh) = "zh")
    OPTIONAL { ?e rdfs:label ?en FILTER(LANG(?en) = "en") }
  }
}
LIMIT 200""",
}
