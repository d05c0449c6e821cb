"""The command line: exit codes, one-line errors, JSON output, init/load/check/demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_init_then_check_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "init", "--name", "Acme", "--currency", "eur"]) == 0
    assert main(["--db", db, "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["ok"] is True and report["checks"]


def test_bare_path_is_a_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--db", "books.db", "init", "--name", "Acme", "--currency", "eur"]) == 0
    assert (tmp_path / "books.db").is_file()
    assert main(["--db", str(tmp_path / "books.db"), "check"]) == 0


def test_user_error_is_one_line_exit_1(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--db", db, "init"])
    capsys.readouterr()
    assert main(["--db", db, "init"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already holds a company" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["load", "nonsense", "x.csv"])
    assert info.value.code == 2


def test_load_customers_and_open_entries(db: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    main(["--db", db, "init"])
    customers = _write(tmp_path / "c.csv",
                       "no,name,address,city,country,email,vat_no,payment_terms_days,iban,extra\n"
                       "C1,Adatum GmbH,Main St 1,Berlin,DE,a@x.de,DE123,30,"
                       "DE89 3704 0044 0532 0130 00,x\n"
                       "C2,Contoso,,Wien,AT,,,14,,\n")
    assert main(["--db", db, "load", "customers", str(customers)]) == 0
    entries = _write(tmp_path / "e.csv",
                     "party_type,party_no,document_type,document_no,external_document_no,"
                     "posting_date,due_date,amount,remaining_amount,pmt_discount_date,"
                     "remaining_pmt_disc_possible,currency,description,payment_reference\n"
                     "customer,C1,invoice,INV1,,2025-01-02,2025-02-01,1000.00,400.00,,,EUR,,RF18\n"
                     "customer,C2,credit_memo,CM1,,2025-01-03,2025-01-03,-50,,,,,,\n")
    assert main(["--db", db, "load", "open-entries", str(entries), "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("{"):])["written"] == 2
    assert main(["--db", db, "check"]) == 0


def test_bad_row_names_file_row_column_and_writes_nothing(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--db", db, "init"])
    customers = _write(tmp_path / "c.csv",
                       "no,name,address,city,country,email,vat_no,payment_terms_days\n"
                       "C1,Adatum,,,DE,,,30\n")
    main(["--db", db, "load", "customers", str(customers)])
    entries = _write(tmp_path / "bad.csv",
                     "party_type,party_no,document_type,document_no,external_document_no,"
                     "posting_date,due_date,amount,remaining_amount,pmt_discount_date,"
                     "remaining_pmt_disc_possible,currency,description,payment_reference\n"
                     "customer,C1,invoice,I1,,2025-01-02,,100,,,,,,\n"
                     "customer,C9,invoice,I2,,2025-01-02,,100,,,,,,\n"
                     "customer,C1,invoice,I3,,2025-13-02,,100,,,,,,\n"
                     "customer,C1,invoice,I4,,2025-01-02,,1.234,,,,,,\n"
                     "customer,C1,invoice,I1,,2025-01-02,,100,,,,,,\n")
    capsys.readouterr()
    assert main(["--db", db, "load", "open-entries", str(entries)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv, row 3, column party_no" in err
    assert "row 4, column posting_date" in err
    assert "row 5, column amount" in err
    assert "row 6, column document_no" in err
    from sqlmodel import select

    from core.ledger.models import LedgerEntry
    from tui.bootstrap import open_store

    with open_store(db).read() as s:
        assert s.exec(select(LedgerEntry)).first() is None


def test_demo_small_passes_check(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "demo", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["customers"] == 40 and summary["invoices"] > 500
    assert main(["--db", db, "demo", "--if-empty"]) == 0
    assert main(["--db", db, "check"]) == 0
