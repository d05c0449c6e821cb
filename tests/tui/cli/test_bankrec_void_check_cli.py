"""``lettrage bank-rec checks`` and ``bank-rec void-check`` in process (the same services
the check ledger entries screen uses)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.posting import PostingService
from tests.helpers import seed_basics
from tui.bootstrap import open_store
from tui.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('void') / 'void.db'}"
    assert main(["--db", url, "init"]) == 0
    store = open_store(url)
    seed_basics(store)
    for no, amount in (("1001", "-90.00"), ("1002", "-40.00")):
        PostingService(store).post_lines([LineDraft(
            posting_date=date(2026, 6, 1), account_type="bank_account", account_no="BANK1",
            amount=Decimal(amount), document_type="payment", document_no=no,
            bal_account_type="vendor", bal_account_no="V001", payment_method="check",
            ref="line 1")])
    store.engine.dispose()
    return url


def run_json(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["--db", db, "bank-rec", *args, "--bank-account", "BANK1", "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_list_void_financially_and_not(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    checks = run_json(capsys, db, "checks")["checks"]
    assert [(c["check_no"], c["amount"], c["status"], c["open"]) for c in checks] == [
        ("1001", "90.00", "posted", True), ("1002", "40.00", "posted", True)]
    out = run_json(capsys, db, "void-check", "--check", "1001", "--date", "2026-06-03")
    assert out["check"]["status"] == "financially_voided" and not out["check"]["open"]
    assert "reversing bank entry" in out["message"]
    out = run_json(capsys, db, "void-check", "--check", "1002", "--no-financial")
    assert out["check"]["status"] == "voided" and "stays outstanding" in out["message"]
    assert run_json(capsys, db, "checks", "--open")["checks"] == []
    assert run_check(open_store(db)).ok


def test_bad_input_says_what_and_where(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "bank-rec", "void-check", "--bank-account", "BANK1",
                 "--check", "9999"]) == 1
    assert "Bank account BANK1 has no check no. 9999" in capsys.readouterr().err
    for _ in range(2):  # (already voided when the test above ran first)
        code = main(["--db", db, "bank-rec", "void-check", "--bank-account", "BANK1",
                     "--check", "1001"])
    assert code == 1 and "cannot be voided" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--db", db, "bank-rec", "void-check", "--bank-account", "BANK1",
              "--check", "1001", "--date", "June 3"])
    assert "is not a date" in capsys.readouterr().err


def test_help_renders(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bank-rec", "void-check", "--help"])
    assert "--no-financial" in capsys.readouterr().out
