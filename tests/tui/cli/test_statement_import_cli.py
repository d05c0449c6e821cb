"""``lettrage statement parse|import|profile`` through ``tui.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import func, select

import tui.bootstrap
from core.kernel.store import Store
from core.ledger.bank_statements import BankStatementLine
from tests.statement_samples import OTHER_IBAN, Tx, camt, csv_file, write
from tui.cli import main

TXS = [Tx("100.00", ref="R1"), Tx("5.00"), Tx("5.00")]


@pytest.fixture
def cli_store(store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    """Commands run against the test store; profiles go to a temporary config dir."""
    monkeypatch.setattr(tui.bootstrap, "build_services",
                        lambda url=None, **_kw: tui.bootstrap.Services(store))
    monkeypatch.setenv("LETTRAGE_CONFIG_DIR", str(tmp_path / "config"))
    return store


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("LETTRAGE_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def count(store: Store) -> int:
    with store.read() as s:
        return int(s.exec(select(func.count()).select_from(BankStatementLine)).one())


def test_parse_prints_a_summary_and_json(tmp_path: Path, config: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.xml", camt(TXS))
    assert main(["statement", "parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "a.xml: camt.053" in out and "3 line(s)" in out and "R1" in out
    assert main(["statement", "parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["line_count"] == 3 and data["statements"][0]["lines"][0]["amount"] == "100.00"
    assert "raw" not in data["statements"][0]["lines"][0]


def test_parse_error_is_one_line_exit_1(tmp_path: Path, config: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.xml", b"<Document")
    assert main(["statement", "parse", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("lettrage: bad.xml") and err.count("\n") == 1
    assert main(["statement", "parse", str(tmp_path / "missing.xml")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_import_dry_run_then_import_twice(tmp_path: Path, cli_store: Store,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.xml", camt(TXS))
    assert main(["statement", "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 new, 0 already imported" in out and count(cli_store) == 0
    assert main(["statement", "import", str(path), "--bank-account", "BANK1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["imported"] == 3 and len(data["import_ids"]) == 1
    # applied at once, as the app does (issue #15)
    (journal,) = data["applied"]
    assert (journal["bank_account_no"], journal["lines"]) == ("BANK1", 3)
    assert [ln["occurrence"] for ln in data["statements"][0]["lines"]] == [1, 1, 2]
    assert main(["statement", "import", str(path)]) == 0
    assert "Nothing imported from a.xml" in capsys.readouterr().out
    assert count(cli_store) == 3


def test_import_account_mismatch_exit_1(tmp_path: Path, cli_store: Store,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "o.xml", camt(TXS, iban=OTHER_IBAN))
    assert main(["statement", "import", str(path), "--bank-account", "BANK1"]) == 1
    err = capsys.readouterr().err
    assert "o.xml, statement S-1" in err and "not bank account BANK1" in err
    assert count(cli_store) == 0


def test_profile_guess_save_list_show_and_use(tmp_path: Path, cli_store: Store,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bank.csv", csv_file([Tx("12.50"), Tx("-3.00", name="Shop")]))
    assert main(["statement", "profile", "guess", str(path), "--name", "My Bank",
                 "--currency", "eur", "--account", "DE89 3704 0044 0532 0130 00",
                 "--save"]) == 0
    out = capsys.readouterr().out
    assert "reads 2 line(s)" in out and "Saved to" in out
    assert (tmp_path / "config" / "profiles" / "my-bank.json").is_file()
    assert main(["statement", "profile", "list"]) == 0
    assert "My Bank" in capsys.readouterr().out
    assert main(["statement", "profile", "show", "my bank", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["currency"] == "EUR"
    assert main(["statement", "profile", "show", "nope"]) == 1
    assert "no CSV profile named 'nope'" in capsys.readouterr().err
    assert main(["statement", "import", str(path), "--profile", "My Bank"]) == 0
    assert "Imported 2 new line(s)" in capsys.readouterr().out
    assert count(cli_store) == 2


def test_import_no_apply_leaves_the_lines_staged(tmp_path: Path, cli_store: Store,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "b.xml", camt(TXS))
    assert main(["statement", "import", str(path), "--no-apply", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["applied"] == []
    other = write(tmp_path, "c.xml", camt([Tx("7.00", ref="R9")], stmt_id="S-2"))
    assert main(["statement", "import", str(other)]) == 0
    assert "Applied automatically in the journal of BANK1" in capsys.readouterr().out
