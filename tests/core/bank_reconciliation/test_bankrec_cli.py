"""``lettrage bank-rec`` and ``lettrage load bank-entries`` end to end on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reliability.support import run_cli
from tests.statement_samples import Tx, camt, write

BANKS = ("no,name,iban,bic,currency,last_statement_no,balance_last_statement\n"
         "BNK,Main bank,DE89370400440532013000,COBADEFFXXX,,7,1000.00\n")
ENTRIES = ("bank_account_no,posting_date,document_type,document_no,external_document_no,"
           "description,amount,check_no\n"
           "BNK,2026-01-28,check,,,Check to Fabrikam,-300.00,1001\n"
           "BNK,2026-01-30,deposit,DEP-1,DS-4711,Deposit cash,150.00,\n"
           "BNK,2026-01-30,deposit,DEP-2,DS-4711,Deposit checks,250.00,\n"
           "BNK,2026-01-31,transfer,TRF-9,,Outstanding transfer,80.00,\n")


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The real command, run in this process (``run_cli``: exit code, stdout and stderr as
    a process gives them; the process start-up itself is under test in tests/reliability)."""
    done = run_cli(db.parent, str(db), *args)
    return done.returncode, done.stdout, done.stderr


def test_bank_rec_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    (tmp_path / "banks.csv").write_text(BANKS)
    (tmp_path / "entries.csv").write_text(ENTRIES)
    assert run(db, "init", "--name", "T", capsys=capsys)[0] == 0
    assert run(db, "load", "own-bank-accounts", str(tmp_path / "banks.csv"), capsys=capsys)[0] == 0
    code, out, _ = run(db, "load", "bank-entries", str(tmp_path / "entries.csv"), capsys=capsys)
    assert code == 0 and "Loaded 4 bank ledger entries" in out
    f = write(tmp_path, "feb.xml", camt([
        Tx("-300.00", "2026-02-12", "B1", text="CHQ 0001001"),
        Tx("400.00", "2026-02-02", "B2", text="DEPOSIT SLIP DS-4711")],
        opening="1000.00", start="2026-02-01", end="2026-02-28"))
    code, out, err = run(db, "bank-rec", "import", str(f), "--bank-account", "BNK", "--json",
                         capsys=capsys)
    assert code == 0, err
    assert json.loads(out)["statement_no"] == "8"
    code, out, _ = run(db, "bank-rec", "match-auto", "--bank-account", "BNK",
                       "--date-tolerance", "3", "--json", capsys=capsys)
    lines = json.loads(out)["lines"]
    assert [(ln["match"], ln["amount"], ln["difference"]) for ln in lines] == [
        ("one_to_one", "-300.00", "0.00"), ("many_to_one", "400.00", "0.00")]
    assert lines[1]["matched_entries"] == [
        {"entry_no": 3, "document_no": "DEP-1", "amount": "150.00"},
        {"entry_no": 4, "document_no": "DEP-2", "amount": "250.00"}]
    assert set(lines[0]) == {"transaction_id", "transaction_date", "amount", "text", "match",
                             "matched_entries", "difference", "details"}
    code, out, _ = run(db, "bank-rec", "post", "--bank-account", "BNK", "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["closed_checks"] == [1]
    code, out, _ = run(db, "bank-rec", "outstanding", "--bank-account", "BNK", "--at",
                       "2026-02-28", "--json", capsys=capsys)
    assert [i["document_no"] for i in json.loads(out)["transactions"]] == ["TRF-9"]
    assert run(db, "check", capsys=capsys)[0] == 0
    code, out, _ = run(db, "bank-rec", "undo", "--bank-account", "BNK", "--statement-no", "8",
                       capsys=capsys)
    assert code == 0 and "open reconciliation 9" in out
    code, out, err = run(db, "bank-rec", "post", "--bank-account", "BNK", capsys=capsys)
    assert code == 0, err
    assert run(db, "check", capsys=capsys)[0] == 0


def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    (tmp_path / "banks.csv").write_text(BANKS)
    run(db, "init", capsys=capsys)
    run(db, "load", "own-bank-accounts", str(tmp_path / "banks.csv"), capsys=capsys)
    bad = tmp_path / "bad.csv"
    bad.write_text(ENTRIES + "BNK,2026-13-01,deposit,D9,,x,5.00,\n")
    code, _out, err = run(db, "load", "bank-entries", str(bad), capsys=capsys)
    assert code == 1 and "row 6" in err and "posting_date" in err
    code, _out, err = run(db, "bank-rec", "lines", "--bank-account", "BNK", capsys=capsys)
    assert code == 1 and "no open bank account reconciliation" in err
    f = write(tmp_path, "s.xml", camt([Tx("1.00", "2026-02-02", "Z1")], opening="1000.00"))
    code, _out, err = run(db, "bank-rec", "import", str(f), "--bank-account", "BNK",
                          "--ending-balance", "5", capsys=capsys)
    assert code == 1 and "does not fit" in err and err.count("\n") == 1
    code, out, _ = run(db, "bank-rec", "outstanding", "--bank-account", "BNK", "--at",
                       "2026-02-28", "--json", capsys=capsys)
    assert json.loads(out)["transactions"] == []
