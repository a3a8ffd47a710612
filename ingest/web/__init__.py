"""Scheduled corpus ingestion from the web: sources, polite fetching, feeds, runs.

Small modules, one job each: ``sources`` (the sources file), ``safety`` (which
addresses may be fetched), ``canon`` (canonical URLs and HTML head sniffing),
``robots`` (robots.txt), ``fetch`` (HTTP done right), ``feeds`` (RSS/Atom and
sitemaps), ``state`` (validators and hashes per URL), ``runs`` (run records in
the graph), ``runner`` (one run), ``schedule`` (when runs start), ``lock`` (no
two runs at once); their commands are in ``ecokg.cli_web``.
"""
