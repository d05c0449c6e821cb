"""Shared fixtures for the statement parser tests: where the public corpus lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def corpus_dir() -> Path | None:
    env = os.environ.get("LETTRAGE_CORPUS")
    path = Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
    return path if (path / "MANIFEST.md").is_file() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        pytest.skip("statement corpus not found (set LETTRAGE_CORPUS)")
    return path
