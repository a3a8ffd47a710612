"""The SPARQL page's library of example queries (prefixes eco:, ent:, schema:, prov:, ... are predeclared)."""

EXAMPLES: dict[str, str] = {
    "Rivals of an entity (edit the name)": """SELECT ?rival (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?art) AS ?articles) (SAMPLE(?ev) AS ?evidence)
WHERE {
  ?x rdfs:label "VMware"@en .
  ?a a eco:Assertion ; eco:predicate eco:competesWith ;
     eco:subject|eco:object ?x ; eco:subject|eco:object ?rival ;
     eco:evidence ?ev ; prov:wasDerivedFrom ?art .
  FILTER(?rival != ?x)
  OPTIONAL { ?rival rdfs:label ?label }
}
GROUP BY ?rival ORDER BY DESC(?articles)
LIMIT 50""",
    "Acquisitions by date": """SELECT ?date ?buyerName ?targetName ?evidence ?url
WHERE {
  ?a a eco:Assertion ; eco:predicate eco:acquired ; eco:subject ?buyer ; eco:object ?target ;
     eco:evidence ?evidence ; prov:wasDerivedFrom ?art .
  OPTIONAL { ?art schema:datePublished ?date }
  OPTIONAL { ?art schema:url ?url }
  OPTIONAL { ?buyer rdfs:label ?buyerName FILTER(LANG(?buyerName) = "en") }
  OPTIONAL { ?target rdfs:label ?targetName FILTER(LANG(?targetName) = "en") }
}
ORDER BY DESC(?date)
LIMIT 200""",
    "Standards and their backers": """SELECT ?standard (SAMPLE(?sname) AS ?name) (COUNT(DISTINCT ?backer) AS ?backers)
       (GROUP_CONCAT(DISTINCT ?bname; separator=", ") AS ?who)
WHERE {
  ?standard a eco:Standard .
  ?backer eco:supports|eco:develops|eco:contributesTo ?standard .
  OPTIONAL { ?standard rdfs:label ?sname FILTER(LANG(?sname) = "en") }
  OPTIONAL { ?backer rdfs:label ?bname FILTER(LANG(?bname) = "en") }
}
GROUP BY ?standard ORDER BY DESC(?backers)
LIMIT 100""",
    "Most-cited facts": """SELECT ?s ?p ?o (COUNT(DISTINCT ?art) AS ?articles) (MAX(?conf) AS ?best)
WHERE {
  ?a a eco:Assertion ; eco:subject ?s ; eco:predicate ?p ; eco:object ?o ;
     eco:confidence ?conf ; prov:wasDerivedFrom ?art .
}
GROUP BY ?s ?p ?o ORDER BY DESC(?articles) DESC(?best)
LIMIT 50""",
    "Articles, newest first": """SELECT ?art ?title ?date ?lang ?url
WHERE {
  ?art a schema:NewsArticle .
  OPTIONAL { ?art schema:headline ?title } OPTIONAL { ?art schema:datePublished ?date }
  OPTIONAL { ?art schema:inLanguage ?lang } OPTIONAL { ?art schema:url ?url }
}
ORDER BY DESC(?date)
LIMIT 100""",
    "Entities with Chinese labels": """SELECT ?e ?en ?zh
WHERE {
  ?e rdfs:label ?zh FILTER(LANG(?zh) = "zh")
  OPTIONAL { ?e rdfs:label ?en FILTER(LANG(?en) = "en") }
}
LIMIT 200""",
}
