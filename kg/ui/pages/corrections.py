"""Corrections: every analyst's correction with who, when and why; undo where correcting is on."""

from kg.store import StoreError
from kg.ui import curation, state

try:
    snap = state.snapshot()
except StoreError:
    snap = None
curation.corrections_page(snap, state.lang())
