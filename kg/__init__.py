"""ecokg's knowledge-graph side: model, ontology, catalog, store, queries and analytics.

The base layer: it imports nothing from ``ingest`` or ``ecokg`` (tests/test_layering.py).
"""
