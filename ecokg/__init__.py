"""ecokg's app layer: the command line (``cli`` and its ``cli_*`` subcommands) and the Streamlit app (``ui``).

It sits above both ``kg`` (the base: model, ontology, store, queries, analytics) and
``ingest`` (sources, fetching, text, NLP); neither of them imports it.
"""
