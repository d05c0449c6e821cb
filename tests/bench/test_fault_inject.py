"""The short version of ``bench/fault_inject.py``: a worker killed with SIGKILL at a
random SQL statement inside posting and reconciliation steps leaves no partial
transaction, and the step can simply be run again (SQLite file and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fault_inject import run_faults
from tests import conftest

ROUNDS = {"sqlite": 15, "postgresql": 10}


def _url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'faults.db'}"
    return conftest.fresh_pg_url()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kills_leave_no_partial_transaction(backend: str, tmp_path: Path) -> None:
    result = run_faults(_url(backend, tmp_path), ROUNDS[backend], seed=3,
                        workdir=tmp_path, backend=backend)
    assert result["failures"] == [], result["failures"]
    assert result["kills"] >= ROUNDS[backend] // 2, result
