"""``lettrage reconcile``: apply-auto JSON shape, lines, post; one-line user errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from data.engine import SqlStore, make_engine
from tests.helpers import invoice, seed_basics
from tests.recon_support import SL, stage
from tui.cli import main

KEYS = {"transaction_id", "transaction_date", "amount", "text", "related_party_name",
        "confidence", "review_required", "score", "account_type", "account_no",
        "applications", "details"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "init", "--name", "Test GmbH"]) == 0
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)  # tables not yet in a migration
    store = SqlStore(engine)
    seed_basics(store)
    doc = invoice(store, "C001", "250", date(2025, 1, 10))
    stage(store, [SL("250", f"Adatum Corporation {doc}", date(2025, 2, 3), reference="TX-1"),
                  SL("-12.5", "something", date(2025, 2, 3), reference="TX-2")],
          closing="237.50")
    engine.dispose()
    return url


def test_apply_auto_json_shape(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "reconcile", "apply-auto", "--bank-account", "BANK1",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["lines"]
    first, second = data["lines"]
    assert set(first) == KEYS
    assert (first["transaction_id"], first["transaction_date"], first["amount"]) == (
        "TX-1", "2025-02-03", "250.00")
    assert (first["confidence"], first["account_type"], first["account_no"]) == (
        "high", "customer", "C001")
    assert first["applications"] == [{"entry_no": 1, "document_type": "invoice",
                                      "document_no": "SI000001", "applied_amount": "250.00",
                                      "pmt_discount": "0.00"}]
    assert all(isinstance(d, str) for d in first["details"]) and first["details"]
    assert (second["confidence"], second["account_type"], second["applications"]) == (
        "none", None, [])


def test_post_refused_then_reconciled(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "reconcile", "apply-auto", "--bank-account", "BANK1"]) == 0
    assert "statement 1" in capsys.readouterr().out
    assert main(["--db", db, "reconcile", "post", "--bank-account", "BANK1",
                 "--reconcile"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not applied. You must apply all lines." in err
    from core.reconciliation.service import ReconciliationService

    store = SqlStore(make_engine(db))
    svc = ReconciliationService(store, user="cli")
    view = svc.find_open_journal("BANK1")
    assert view is not None
    svc.transfer_difference(svc.lines(view.id)[1].id, "gl_account", "6400")
    assert main(["--db", db, "reconcile", "lines", "--bank-account", "BANK1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["lines"]) == 2
    assert main(["--db", db, "reconcile", "post", "--bank-account", "BANK1", "--reconcile",
                 "--ending-balance", "237.50", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["reconciled"], out["statement_no"], out["statement_ending_balance"]) == (
        True, "1", "237.50")
    assert main(["--db", db, "reconcile", "post", "--bank-account", "BANK1"]) == 1
    assert "no open payment reconciliation journal" in capsys.readouterr().err
    assert main(["--db", db, "check"]) == 0


def _lines(db: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["--db", db, "reconcile", "lines", "--bank-account", "BANK1", "--json"]) == 0
    return list(json.loads(capsys.readouterr().out)["lines"])


def test_review_commands_map_remove_accept_transfer(db: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The review actions a script needs (issue #15), by the line no. 'lines' shows."""
    base = ["--db", db, "reconcile"]
    assert main([*base, "apply-auto", "--bank-account", "BANK1"]) == 0
    capsys.readouterr()
    assert main([*base, "map-text", "--bank-account", "BANK1", "--line", "20000",
                 "--credit-account", "6400", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mapping"] == {"text": "something", "debit_account": "",
                              "credit_account": "6400"} and out["applied_again"]
    fee = out["lines"][1]
    assert (fee["account_type"], fee["account_no"]) == ("gl_account", "6400")
    assert main([*base, "remove", "--bank-account", "BANK1", "--line", "10000"]) == 0
    assert "Applications removed" in capsys.readouterr().out
    assert _lines(db, capsys)[0]["applications"] == []
    assert main([*base, "transfer-difference", "--bank-account", "BANK1", "--line", "10000",
                 "--account", "4900", "--json"]) == 0
    moved = json.loads(capsys.readouterr().out)
    assert "G/L account 4900" in moved["message"]
    assert (moved["lines"][0]["account_type"], moved["lines"][0]["account_no"]) == (
        "gl_account", "4900")
    assert main([*base, "accept", "--bank-account", "BANK1", "--line", "99"]) == 1
    assert "has no line 99" in capsys.readouterr().err
    assert main([*base, "post", "--bank-account", "BANK1", "--reconcile",
                 "--ending-balance", "237.50"]) == 0
    assert main(["--db", db, "check"]) == 0
