"""The SPARQL page's library of example queries (prefixes eco:, ent:, ecog:, schema:, prov:, ... are predeclared).

They also teach the shapes that are fast on the store (see ``kg.queries``):
labels and types from ``GRAPH ecog:entities`` (one copy per entity), and a fact
with its supporting articles as ``GRAPH ?art { ?s eco:predicate ?o }``.
"""

from kg.model import PREDICATES

NINE = " ".join(f"eco:{p}" for p in PREDICATES)

EXAMPLES: dict[str, str] = {
    "Rivals and partners of an entity (edit the name)": """SELECT ?other (SAMPLE(?label) AS ?name) ?relation (COUNT(DISTINCT ?art) AS ?articles)
WHERE {
  GRAPH ecog:entities { ?x rdfs:label "Docker Inc."@en }
  VALUES ?relation { eco:competesWith eco:partnersWith }
  GRAPH ?art { { ?x ?relation ?other } UNION { ?other ?relation ?x } }
  OPTIONAL { GRAPH ecog:entities { ?other rdfs:label ?label FILTER(LANG(?label) = "en") } }
}
GROUP BY ?other ?relation ORDER BY DESC(?articles)
LIMIT 50""",
    "Evidence between two entities (edit the entity IRIs)": """SELECT ?relation ?evidence ?conf ?url
WHERE {
  GRAPH ?art {
    { ?a eco:subject ent:vendor-docker-inc ; eco:object ent:vendor-microsoft ;
         eco:predicate ?relation ; eco:evidence ?evidence ; eco:confidence ?conf }
    UNION
    { ?a eco:subject ent:vendor-microsoft ; eco:object ent:vendor-docker-inc ;
         eco:predicate ?relation ; eco:evidence ?evidence ; eco:confidence ?conf }
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
    "What an entity develops, supports or sponsors (edit the name)": """SELECT ?what ?name ?how (COUNT(DISTINCT ?art) AS ?articles)
WHERE {
  GRAPH ecog:entities { ?x rdfs:label "Docker Inc."@en }
  VALUES ?how { eco:develops eco:supports eco:contributesTo eco:sponsors eco:integratesWith }
  GRAPH ?art { ?x ?how ?what }
  OPTIONAL { GRAPH ecog:entities { ?what rdfs:label ?name FILTER(LANG(?name) = "en") } }
}
GROUP BY ?what ?name ?how ORDER BY DESC(?articles)""",
    "Standards by number of related entities": """SELECT ?standard ?name ?related
WHERE {
  { SELECT ?standard (COUNT(DISTINCT ?other) AS ?related) WHERE {
      GRAPH ecog:entities { ?standard a eco:Standard }
      VALUES ?p { %s }
      { ?other ?p ?standard } UNION { ?standard ?p ?other }
    } GROUP BY ?standard ORDER BY DESC(?related) LIMIT 100 }
  OPTIONAL { GRAPH ecog:entities { ?standard rdfs:label ?name FILTER(LANG(?name) = "en") } }
}
ORDER BY DESC(?related)""" % NINE,
    "Most-cited facts": """SELECT ?s ?p ?o (COUNT(*) AS ?articles)
WHERE {
  VALUES ?p { %s }
  ?s ?p ?o   # over the union, once per article that states the fact
}
GROUP BY ?s ?p ?o ORDER BY DESC(?articles)
LIMIT 50""" % NINE,
    "Most-connected entities (distinct neighbours)": """SELECT ?e ?name ?neighbours
WHERE {
  { SELECT ?e (COUNT(DISTINCT ?other) AS ?neighbours) WHERE {
      VALUES ?p { %s }
      { ?e ?p ?other } UNION { ?other ?p ?e }
    } GROUP BY ?e ORDER BY DESC(?neighbours) LIMIT 20 }
  OPTIONAL { GRAPH ecog:entities { ?e rdfs:label ?name FILTER(LANG(?name) = "en") } }
}
ORDER BY DESC(?neighbours)""" % NINE,
    "Articles, newest first": """SELECT ?art ?title ?date ?lang ?url
WHERE {
  { SELECT ?art ?date WHERE { ?art a schema:NewsArticle OPTIONAL { ?art schema:datePublished ?date } }
    ORDER BY DESC(?date) LIMIT 100 }
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
