"""``lettrage setup``: show, set, change-tolerance (exit codes, JSON, recalculation)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from data.engine import SqlStore, make_engine
from tests.helpers import invoice, seed_basics
from tui.cli import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "init"]) == 0
    store = SqlStore(make_engine(url))
    seed_basics(store)
    invoice(store, "C001", "1000", date(2025, 1, 10))
    store.engine.dispose()
    return url


def test_change_tolerance_json_and_show(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "setup", "change-tolerance", "--pct", "0.5", "--max", "3",
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["payment_tolerance_pct"], result["max_payment_tolerance"],
            result["entries_updated"]) == ("0.5", "3.00", 1)
    assert main(["--db", db, "setup", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["payment_tolerance_pct"], shown["max_payment_tolerance"]) == ("0.5", "3.00")


def test_set_warnings_and_grace(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "setup", "set", "--grace-days", "2",
                 "--pmt-disc-tolerance-warning", "off", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["pmt_disc_grace_days"], out["pmt_disc_tolerance_warning"],
            out["entries_updated"]) == (2, False, 1)


def test_bad_percentage_is_one_line_exit_1(db: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "setup", "change-tolerance", "--pct", "150", "--max", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "between 0 and 100" in err
