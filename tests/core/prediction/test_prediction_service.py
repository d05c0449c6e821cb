"""Training, storing, refreshing and showing predictions on a real database."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sqlmodel import select

from core.collections.models import IssuedDocument
from core.ledger.check import run_check
from core.ledger.models import BankAccount
from core.ledger.setup import create_company
from core.prediction.history import add_payment_history
from core.prediction.model import PARAMS, NotEnoughHistory, confidence_band
from core.prediction.models import PaymentPrediction, PredictionModel
from core.prediction.service import NoUsableModel, PredictionService, draft_from
from core.prediction.trees import ModelFileError, export_forest, sigmoid
from core.registration.sales import SalesService
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from tests.core.prediction.prediction_support import (
    company_with_history,
    history_rows,
    seed_customers,
)

TODAY = date(2026, 6, 30)


@pytest.fixture
def company(empty_store):  # type: ignore[no-untyped-def]
    create_company(empty_store, "Test GmbH", "EUR")
    return empty_store


def service(store, threshold: float = 0.7) -> PredictionService:  # type: ignore[no-untyped-def]
    return PredictionService(store, lambda: TODAY, threshold=threshold)


def test_confidence_bands_are_bcs() -> None:  # bc-spec §15.6
    assert confidence_band(0.93) == "High"
    assert confidence_band(0.90) == "High"
    assert confidence_band(0.85) == "Medium"
    assert confidence_band(0.79) == "Low"


def test_exported_trees_predict_exactly_what_scikit_learn_predicts() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(800, 5))
    x[rng.random(x.shape) < 0.1] = np.nan
    y = (np.nan_to_num(x[:, 0]) + np.nan_to_num(x[:, 1]) ** 2 > 0.5)
    clf = HistGradientBoostingClassifier(**PARAMS).fit(x, y)
    forest = export_forest(clf)
    raw, contrib = forest.raw(x, explain=True)
    assert np.allclose(sigmoid(raw), clf.predict_proba(x)[:, 1], atol=1e-12)
    assert contrib is not None
    assert np.allclose(contrib.sum(axis=1) + forest.baseline[0], raw)
    assert np.abs(contrib[:, 2:]).sum() < np.abs(contrib[:, :2]).sum()  # noise features
    y_days = np.nan_to_num(x[:, 0]) * 3
    reg = HistGradientBoostingRegressor(loss="absolute_error", **PARAMS).fit(x, y_days)
    assert np.allclose(export_forest(reg).raw(x)[0], reg.predict(x), atol=1e-9)


def test_training_learns_the_habits_and_explains_each_prediction(company) -> None:
    company_with_history(company, TODAY)
    report = service(company).train()
    assert report.quality.usable and report.quality.roc_auc >= 0.8
    assert report.predictions == 6
    views = {v.customer_no: v for v in service(company).predictions()}
    for no in ("P03", "P04"):
        assert views[no].prediction == "late", views[no]
        assert views[no].expected_payment_date > views[no].due_date
        assert any("invoices late" in r for r in views[no].reasons), views[no].reasons
    for no in ("P01", "P02"):
        assert views[no].prediction == "on_time"
        assert views[no].expected_payment_date <= views[no].due_date
    for v in views.values():
        assert 1 <= len(v.reasons) <= 3
        assert v.confidence == confidence_band(v.confidence_pct / 100)
        assert 50 <= v.confidence_pct <= 100
        assert v.due_date == TODAY + timedelta(days=25)
    late = service(company).predictions(late_only=True)
    assert {v.customer_no for v in late} >= {"P03", "P04"}
    status = service(company).status()
    assert status.usable and status.predicted_late == len(late)
    assert run_check(company).ok


def test_too_little_history_says_how_much_is_needed(company) -> None:
    company_with_history(company, TODAY, per_customer=10)
    with pytest.raises(NotEnoughHistory, match=r"60 closed customer invoices .* at least 200"):
        service(company).train()


def test_a_model_below_the_threshold_is_not_used(company) -> None:
    company_with_history(company, TODAY)
    report = service(company, threshold=0.999).train()
    assert not report.quality.usable and report.predictions == 0
    assert service(company).predictions() == []
    status = service(company, threshold=0.999).status()
    assert not status.usable and "below the threshold" in status.message
    with pytest.raises(NoUsableModel, match="not used"):
        service(company, threshold=0.999).refresh()


def test_refresh_retrains_only_when_closed_invoices_grew_ten_percent(company) -> None:
    company_with_history(company, TODAY)
    service(company).train()
    again = service(company).refresh()
    assert not again.retrained and again.version == 1 and again.predictions == 6
    more = [type(r)(r.customer_no, "X" + r.document_no, r.posting_date, r.due_date, r.amount,
                    r.paid_date) for r in history_rows(TODAY, per_customer=7, seed=9)]
    add_payment_history(company, more)  # 42 more closed invoices: 11.7 % more than 360
    grown = service(company).refresh()
    assert grown.retrained and grown.version == 2


def _tamper(store, change) -> None:  # type: ignore[no-untyped-def]
    with store.write() as s:
        row = s.exec(select(PredictionModel)).one()
        change(row)


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: setattr(r, "forests", r.forests[:-40] + b"x" * 40), "corrupted"),
    (lambda r: setattr(r, "forests", pickle.dumps({"evil": 1})), "not a Lettrage model"),
    (lambda r: setattr(r, "features", json.dumps(["amount", "shoe_size"])), "other features"),
])
def test_a_corrupted_or_foreign_model_gives_a_clear_message(company, change, message) -> None:
    company_with_history(company, TODAY)
    service(company).train()
    _tamper(company, change)
    with pytest.raises(ModelFileError, match=message):
        service(company).refresh()


def test_predictions_cover_only_open_invoices_not_yet_due(company) -> None:
    seed_customers(company)
    add_payment_history(company, history_rows(TODAY))
    from tests.helpers import invoice

    invoice(company, "P03", "100", TODAY - timedelta(days=40))  # overdue: already late
    service(company).train()
    with company.read() as s:
        rows = s.exec(select(PaymentPrediction)).all()
    assert rows == []


def test_check_finds_a_prediction_that_is_not_on_a_customer_invoice(company) -> None:
    company_with_history(company, TODAY)
    service(company).train()
    assert run_check(company).ok
    with company.write() as s:
        row = s.exec(select(PaymentPrediction)).first()
        assert row is not None
        s.add(PaymentPrediction(**{**row.model_dump(), "entry_no": 999_999}))
    report = run_check(company)
    assert not report.ok
    failed = [r for r in report.results if not r.ok]
    assert failed[0].details == ("prediction for entry 999999, which is not a customer "
                                 "invoice",)


def test_an_invoice_paid_after_scoring_leaves_the_list_before_the_next_refresh(company) -> None:
    from tests.helpers import payment

    company_with_history(company, TODAY)
    with company.write() as s:
        s.add(BankAccount(no="BANK1", name="Operating account", gl_account_no="1100"))
    service(company).train()
    late = service(company).predictions(late_only=True)
    before = service(company).status().predicted_late
    paid = late[0]
    payment(company, paid.customer_no, str(paid.remaining_amount), TODAY,
            applies_to=paid.document_no)
    assert paid.document_no not in {v.document_no for v in service(company).predictions()}
    assert service(company).status().predicted_late == before - 1
    assert run_check(company).ok


def test_unposted_sales_invoices_are_scored_as_known_on_their_date(company) -> None:
    company_with_history(company, TODAY)
    service(company).train()
    sales = SalesService(company, user="tester")
    docs = [sales.create(SalesDocumentInput(
        "invoice", no, TODAY, (SalesLineInput("4100", Decimal(1), Decimal("800")),)))
        for no in ("P03", "P01")]
    with company.read() as s:
        stored = len(s.exec(select(PaymentPrediction)).all())
    late, on_time = service(company).score_drafts([draft_from(d) for d in docs])
    assert (late.customer_no, late.prediction, late.entry_no) == ("P03", "late", 0)
    assert late.document_no == docs[0].no and late.remaining_amount == Decimal("800.00")
    assert late.due_date == TODAY + timedelta(days=30)  # the customer's 30D terms
    assert late.expected_payment_date > late.due_date
    assert any("invoices late" in r for r in late.reasons), late.reasons
    assert on_time.prediction == "on_time" and on_time.expected_payment_date <= on_time.due_date
    with company.read() as s:
        assert len(s.exec(select(PaymentPrediction)).all()) == stored  # nothing stored for drafts


def test_issued_reminders_feed_the_reminder_features(company) -> None:
    seed_customers(company)
    with company.write() as s:
        for no, day, level in (("IRM1", date(2026, 5, 1), 1), ("IRM2", date(2026, 6, 1), 2)):
            s.add(IssuedDocument(no=no, kind="reminder", customer_no="P03", level=level,
                                 posting_date=day, document_date=day, due_date=day,
                                 issued_at=datetime(2026, 6, 1, tzinfo=UTC)))
    with company.read() as s:
        ledger = service(company)._ledger(s)
    assert ledger.reminders.level is not None
    assert sorted(ledger.reminders.level.tolist()) == [1, 2]
