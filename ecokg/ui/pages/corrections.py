"""Corrections: every analyst's correction with who, when and why; undo where correcting is on."""

from ecokg.ui import curation, state
from kg.store import StoreError

try:
    snap = state.snapshot()
except StoreError:
    snap = None
curation.corrections_page(snap, state.lang())
