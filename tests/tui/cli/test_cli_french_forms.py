"""The command line in French writes numbers, yes/no and audit lines in French forms;
``--json`` keeps the machine form whatever the language."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.i18n import set_language
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


@pytest.fixture(autouse=True)
def english_after() -> object:
    yield None
    set_language("en")  # --lang fr sets the process language


def test_setup_show_in_french_and_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "setup", "change-tolerance", "--pct", "0.5", "--max", "1234.5"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "--lang", "fr", "setup", "show"]) == 0
    text = capsys.readouterr().out.replace("\u202f", " ").replace("\u00a0", " ")
    assert "% tolérance de règlement        0,5\n" in text
    assert "1 234,50 EUR" in text and "Alerte tolérance de règlement   oui" in text
    assert main(["--db", db, "--lang", "fr", "setup", "show", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["payment_tolerance_pct"], data["max_payment_tolerance"]) == ("0.5", "1234.50")
    assert data["payment_tolerance_warning"] is True
    set_language("en")
    assert main(["--db", db, "--lang", "en", "setup", "show"]) == 0
    english = capsys.readouterr().out
    assert "Payment tolerance %            0.5\n" in english and "1,234.50 EUR" in english
    assert "Payment tolerance warning      on" in english


def test_audit_lines_in_french(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "setup", "set", "--grace-days", "3"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "--lang", "fr", "audit", "--limit", "1"]) == 0
    text = capsys.readouterr().out
    assert " modification " in text, text
    assert " : 5 → 3" in text, text
    assert main(["--db", db, "--lang", "fr", "audit", "--limit", "1", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["entries"]
    assert entry["action"] == "update" and entry["changes"]["pmt_disc_grace_days"] == [5, 3]
