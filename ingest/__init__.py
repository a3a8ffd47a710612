"""ecokg's ingestion side: sources, fetching, text, NLP extraction and scheduling."""
