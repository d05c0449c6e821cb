"""The short version of ``bench/stress.py``: 8 processes against one database doing
random postings, applications, unapplications, overlapping imports, apply
automatically and reconciliation posts; afterwards the books check out, numbers are
gapless, every success is in the books once, and nothing failed except with a clear
conflict. SQLite file and PostgreSQL (required in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.stress import run_stress
from tests import conftest

PROCESSES, OPS = 8, 10


def _url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'stress.db'}"
    return conftest.fresh_pg_url()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_eight_clerks_at_once(backend: str, tmp_path: Path) -> None:
    result = run_stress(_url(backend, tmp_path), PROCESSES, OPS, seed=7, workdir=tmp_path,
                        backend=backend)
    assert result["failures"] == [], result["failures"]
    assert result["problems"] == [], result["problems"]
    assert result["ops"] == PROCESSES * OPS
    done = {kind: v.get("ok", 0) for kind, v in result["per_kind"].items()}
    assert done["payment"] > 0 and done["import"] > 0 and done["apply"] > 0, done
