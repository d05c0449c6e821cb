"""``lettrage load payment-history`` and ``lettrage predict ...`` end to end."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import func, select

from core.prediction.models import PaymentHistory
from core.registration.sales import SalesService
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from tests.core.prediction.prediction_support import HABITS, history_rows
from tests.helpers import invoice
from tui.bootstrap import open_store
from tui.cli import main

SHOW_FIELDS = {"document_no", "customer_no", "due_date", "prediction", "confidence",
               "confidence_pct", "expected_payment_date", "reasons"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = str(tmp_path / "books.db")
    assert main(["--db", url, "init"]) == 0
    customers = tmp_path / "customers.csv"
    customers.write_text("no,name,address,city,country,email,vat_no,payment_terms_days\n"
                         + "".join(f"{no},Customer {no},,,DE,,,30\n" for no in HABITS))
    assert main(["--db", url, "load", "customers", str(customers)]) == 0
    return url


def _history_csv(path: Path, rows: list) -> Path:  # type: ignore[type-arg]
    path.write_text("customer_no,document_no,posting_date,due_date,amount,paid_date\n" + "".join(
        f"{r.customer_no},{r.document_no},{r.posting_date},{r.due_date},{r.amount},"
        f"{r.paid_date}\n" for r in rows))
    return path


def _history_count(db: str) -> int:
    with open_store(db).read() as s:
        return int(s.exec(select(func.count()).select_from(PaymentHistory)).one())


def test_history_with_a_payment_before_posting_is_refused_with_its_row(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = history_rows(date.today(), per_customer=3)
    bad = rows[4]
    rows[4] = type(bad)(bad.customer_no, bad.document_no, bad.posting_date, bad.due_date,
                        bad.amount, bad.posting_date - timedelta(days=1))
    assert main(["--db", db, "load", "payment-history",
                 str(_history_csv(tmp_path / "h.csv", rows))]) == 1
    err = capsys.readouterr().err
    assert "row 6, column paid_date: paid date" in err and "before the posting date" in err
    assert _history_count(db) == 0


def test_train_show_evaluate_refresh(db: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today()
    path = _history_csv(tmp_path / "h.csv", history_rows(today))
    assert main(["--db", db, "load", "payment-history", str(path)]) == 0
    assert _history_count(db) == 360
    assert main(["--db", db, "predict", "show"]) == 1
    assert "No prediction model yet" in capsys.readouterr().err
    store = open_store(db)
    for no in HABITS:
        invoice(store, no, "500", today - timedelta(days=3))
    capsys.readouterr()
    assert main(["--db", db, "predict", "train", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["quality"]["usable"] and report["predictions"] == 6
    assert {"roc_auc", "baseline_roc_auc", "precision_late", "recall_late", "mae_days",
            "baseline_mae_days", "threshold"} <= set(report["quality"])
    assert main(["--db", db, "predict", "show", "--customer", "P03", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert len(shown) == 1 and set(shown[0]) >= SHOW_FIELDS
    assert shown[0]["prediction"] == "late"
    assert shown[0]["confidence"] in ("High", "Medium", "Low")
    assert main(["--db", db, "predict", "show"]) == 0
    text = capsys.readouterr().out
    assert "LATE" in text and "on time" in text and "invoices late" in text
    assert main(["--db", db, "predict", "evaluate"]) == 0
    assert "ROC AUC" in capsys.readouterr().out
    assert main(["--db", db, "predict", "refresh", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["retrained"] is False
    draft = SalesService(store, user="tester").create(SalesDocumentInput(
        "invoice", "P03", today, (SalesLineInput("4100", Decimal(1), Decimal("700")),)))
    assert main(["--db", db, "predict", "drafts", "--json"]) == 0
    drafts = json.loads(capsys.readouterr().out)
    assert [d["document_no"] for d in drafts] == [draft.no]
    assert set(drafts[0]) >= SHOW_FIELDS and drafts[0]["entry_no"] == 0
    assert drafts[0]["prediction"] == "late" and drafts[0]["remaining_amount"] == "700.00"
    assert main(["--db", db, "predict", "drafts", "--document", draft.no]) == 0
    assert f"{draft.no:<12} P03" in capsys.readouterr().out
    assert main(["--db", db, "predict", "drafts", "--document", "NOPE"]) == 1
    assert "NOPE does not exist" in capsys.readouterr().err
    assert main(["--db", db, "check"]) == 0


def test_training_without_history_says_how_much_is_needed(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "predict", "train"]) == 1
    err = capsys.readouterr().err
    assert "0 closed customer invoices" in err and "at least 200" in err
