"""Shared fixtures: real on-disk stores in temp folders and the shared seed/dev data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"
DEV_DIR = SHARED / "dev"
CORPUS_DIR = ROOT / "corpus"
DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A fresh folder for an on-disk Oxigraph store."""
    return tmp_path / "store"


@pytest.fixture
def store(store_path: Path):
    """A real embedded Oxigraph store, opened for writing, closed after the test."""
    from kg.store import EmbeddedStore

    s = EmbeddedStore(store_path)
    yield s
    s.close()


@pytest.fixture
def seed_article(tmp_path: Path) -> Path:
    """A private copy of the seed article (corpus/ ships the same file)."""
    src = next(CORPUS_DIR.glob("000_*.txt"))
    dst = tmp_path / "articles" / src.name
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dst)
    return dst


def shared_available() -> bool:
    return (SHARED / "eval" / "score.py").exists()


needs_shared = pytest.mark.skipif(not shared_available(), reason="../shared (gold data and scorer) is not beside the checkout")
