"""The analyst's Streamlit app: pages under ``ecokg/ui/pages``, shared data and widgets beside them.

``app.py`` at the repository root only builds the navigation; everything the
pages show comes from ``kg.queries`` (through ``ecokg.ui.data``) and
``kg.analytics``.
"""
