"""Apply Automatically beyond BC through the service: under- and overpayments applied
when party and document are certain, lumps completed, a reference to another
customer's open invoice sent to review; each posted, and ``check`` green after each."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from sqlmodel import select

from core.application.tolerance import SetupChanges, ToleranceService
from core.kernel.store import Store
from core.ledger.check import run_check
from core.ledger.models import DetailedLedgerEntry, GLEntry, LedgerEntry, PostingGroup
from core.reconciliation.setup import MatchingSetupService
from tests.helpers import invoice
from tests.recon_support import SL, auto

INV_DAY = date(2025, 1, 10)
LATE = date(2025, 2, 3)  # after the discount date: full amounts match
IBAN = "DE02120300000000202051"  # C001's bank account


def _open(store: Store, doc: str) -> tuple[bool, D]:
    with store.read() as s:
        e = s.exec(select(LedgerEntry).where(LedgerEntry.document_no == doc)).one()
        return e.open, D(e.remaining_amount) / 100


def _unapplied_payments(store: Store, party_no: str) -> list[D]:
    with store.read() as s:
        rows = s.exec(select(LedgerEntry).where(
            LedgerEntry.party_no == party_no, LedgerEntry.document_type == "payment",
            LedgerEntry.open == True)).all()  # noqa: E712
        return [D(e.remaining_amount) / 100 for e in rows]


def test_short_payment_is_applied_the_rest_stays_open_and_posts(store: Store) -> None:
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("987.50", f"Rglt {doc}", LATE, iban=IBAN)])
    v = svc.lines(jid)[0]
    assert (v.confidence, v.review_required, v.difference) == ("high", False, D("0.00"))
    assert [(a.document_no, a.applied_amount) for a in v.applications] == [(doc, D("987.50"))]
    note = next(d for d in v.details if "Apply underpayments automatically" in d)
    assert "short by 12.50" in note and "12.50 stays open" in note
    assert run_check(store).ok
    svc.post(jid, reconcile=False)
    assert _open(store, doc) == (True, D("12.50"))
    assert run_check(store).ok


def _tolerance(store: Store, max_amount: str, warning: bool) -> None:
    """Change Payment Tolerance (max amount per document) and the warning setting."""
    tol = ToleranceService(store, user="clerk")
    tol.change_payment_tolerance("0", max_amount)
    tol.update_setup(tol.setup().version, SetupChanges(payment_tolerance_warning=warning))


def test_short_payment_within_payment_tolerance_closes_the_invoice(store: Store) -> None:
    _tolerance(store, "15", warning=False)
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("990", f"Rglt {doc}", LATE, iban=IBAN)])
    v = svc.lines(jid)[0]
    assert (v.confidence, v.review_required, v.difference) == ("high", False, D("0.00"))
    assert [(a.document_no, a.applied_amount) for a in v.applications] == [(doc, D("990.00"))]
    note = next(d for d in v.details if "Apply underpayments automatically" in d)
    assert "short by 10.00, within the payment tolerance" in note
    assert "(at most 15.00)" in note and "posts 10.00 to the payment tolerance account" in note
    assert run_check(store).ok
    svc.post(jid, reconcile=False)
    assert _open(store, doc) == (False, D("0"))
    with store.read() as s:
        tolerance = [d.amount for d in s.exec(select(DetailedLedgerEntry).where(
            DetailedLedgerEntry.party_no == "C001",
            DetailedLedgerEntry.entry_type == "payment_tolerance")).all()]
        group = s.exec(select(PostingGroup).where(PostingGroup.party_type == "customer")).first()
        assert group is not None
        tol_gl = sum(g.amount for g in s.exec(select(GLEntry).where(GLEntry.gl_account_no.in_(
            (group.pmt_tol_debit_acc, group.pmt_tol_credit_acc)))).all())
    assert [abs(a) for a in tolerance] == [1000] and tol_gl == 1000
    assert run_check(store).ok


def test_short_payment_beyond_tolerance_or_with_the_warning_stays_open(store: Store) -> None:
    _tolerance(store, "5", warning=False)
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("990", f"Rglt {doc}", LATE, iban=IBAN)])
    assert "10.00 stays open" in next(d for d in svc.lines(jid)[0].details if "Beyond" in d)
    svc.post(jid, reconcile=False)
    assert _open(store, doc) == (True, D("10.00"))
    _tolerance(store, "15", warning=True)  # BC would ask; unanswered, the rest stays open
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("990", f"Rglt {doc}", LATE, iban=IBAN)])
    assert "10.00 stays open" in next(d for d in svc.lines(jid)[0].details if "Beyond" in d)
    svc.post(jid, reconcile=False)
    assert _open(store, doc) == (True, D("10.00"))
    assert run_check(store).ok


def test_overpayment_closes_the_invoice_and_leaves_the_excess_unapplied(store: Store) -> None:
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("1025", f"Payment {doc}", LATE, iban=IBAN)])
    v = svc.lines(jid)[0]
    assert (v.confidence, v.review_required, v.difference) == ("high", False, D("0.00"))
    assert sorted((a.entry_no is None, a.applied_amount) for a in v.applications) == [
        (False, D("1000.00")), (True, D("25.00"))]
    note = next(d for d in v.details if "Apply overpayments automatically" in d)
    assert "25.00 stays as an unapplied payment on customer C001" in note
    assert run_check(store).ok
    svc.post(jid, reconcile=False)
    assert _open(store, doc) == (False, D("0"))
    assert _unapplied_payments(store, "C001") == [D("-25.00")]
    assert run_check(store).ok


def test_amount_settings_off_give_bc_medium_review(store: Store) -> None:
    setup = MatchingSetupService(store, user="clerk")
    setup.save_settings(replace(setup.settings(), apply_overpayments=False))
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("1025", f"Payment {doc}", LATE, iban=IBAN)])
    v = svc.lines(jid)[0]
    assert (v.confidence, v.review_required) == ("medium", True)
    assert not any("Beyond BC" in d for d in v.details)


def test_lump_naming_one_invoice_is_completed_by_the_other(store: Store) -> None:
    named = invoice(store, "C001", "400", INV_DAY)
    other = invoice(store, "C001", "250.40", INV_DAY)
    invoice(store, "C001", "999.99", INV_DAY)
    svc, jid = auto(store, [SL("650.40", f"Invoices {named} and others", LATE, iban=IBAN)])
    v = svc.lines(jid)[0]
    assert (v.confidence, v.review_required, v.difference) == ("high", False, D("0.00"))
    assert sorted(a.document_no for a in v.applications) == sorted([named, other])
    assert any("Complete lump payments" in d for d in v.details)
    svc.post(jid, reconcile=False)
    assert _open(store, named)[0] is False and _open(store, other)[0] is False
    assert run_check(store).ok


def test_reference_to_another_customers_open_invoice_goes_to_review(store: Store) -> None:
    mine = invoice(store, "C001", "640", INV_DAY)
    theirs = invoice(store, "C002", "95", INV_DAY)
    svc, jid = auto(store, [SL("640", f"Payment {theirs}", LATE, iban=IBAN)])
    v = svc.lines(jid)[0]
    assert (v.account_no, v.review_required) == ("C001", True)
    assert [a.document_no for a in v.applications] == [mine]
    conflict = next(d for d in v.details if "check who paid" in d)
    assert theirs in conflict and mine in conflict
