"""ecokg's knowledge-graph side: ontology, catalog, store, queries and analytics."""
