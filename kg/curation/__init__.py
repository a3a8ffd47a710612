"""Analysts' corrections: kept as data in their own graph, applied on top of the extracted graph.

``model`` is what a correction is, ``records`` reads and writes them in the
curation graph (PROV: who, when, why), ``overlay`` applies the active ones to
rows read from the article graphs (pure), ``actions`` is what the CLI and the
app call (checks, conflicts, one write each) and ``gold`` exports the
corrected extraction of the affected articles as gold files.
"""
