"""Unapply (latest application first) and Reverse Transaction / Register."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from core.application.service import ApplicationService
from core.kernel.errors import ApplicationError, ConflictError
from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.models import (
    BankLedgerEntry,
    DetailedLedgerEntry,
    GLEntry,
    LedgerEntry,
    Register,
)
from core.ledger.posting import PostingService
from tests.helpers import invoice, payment


def _entries(store, party_no="C001"):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return {e.document_no: e for e in s.exec(
            select(LedgerEntry).where(LedgerEntry.party_no == party_no)
            .order_by(LedgerEntry.entry_no)).all()}


def _gl(store, account: str) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return sum(g.amount for g in s.exec(select(GLEntry).where(
            GLEntry.gl_account_no == account)).all())


def _ok(store) -> None:  # type: ignore[no-untyped-def]
    report = run_check(store)
    assert report.ok, report


@pytest.mark.parametrize("how", ["on_posting", "post_application"])
def test_unapply_then_reapply_with_discount(store, day, how):
    inv = invoice(store, "C001", "1000", day)
    pay_day = day + timedelta(days=5)
    if how == "on_posting":
        payment(store, "C001", "980", pay_day, applies_to=inv)
    else:
        payment(store, "C001", "980", pay_day)
        e = _entries(store)
        ApplicationService(store).post_application(e["PAY1"].entry_no, [e[inv].entry_no])
    assert _gl(store, "6810") == 2000
    e = _entries(store)
    result = ApplicationService(store).unapply(e[inv].entry_no)
    assert result.detailed_entries and all(d.unapplied for d in result.detailed_entries)
    e = _entries(store)
    assert (e[inv].open, e[inv].remaining_amount, e[inv].closed_by_entry_no) == (True, 100000,
                                                                                 None)
    assert (e["PAY1"].open, e["PAY1"].remaining_amount) == (True, -98000)
    assert e[inv].remaining_pmt_disc_possible == 2000 and e["PAY1"].pmt_disc_given == 0
    assert _gl(store, "6810") == 0
    with store.read() as s:
        assert all(d.unapplied for d in s.exec(select(DetailedLedgerEntry).where(
            DetailedLedgerEntry.entry_type != "initial")).all())
    _ok(store)
    ApplicationService(store).post_application(e["PAY1"].entry_no, [e[inv].entry_no])
    e = _entries(store)
    assert not e[inv].open and not e["PAY1"].open and _gl(store, "6810") == 2000
    _ok(store)


def test_unapply_refused_when_a_later_application_exists(store, day):
    inv = invoice(store, "C001", "1000", day)
    payment(store, "C001", "400", day + timedelta(days=20), applies_to=inv, doc_no="PAY1")
    payment(store, "C001", "600", day + timedelta(days=21), applies_to=inv, doc_no="PAY2")
    e = _entries(store)
    service = ApplicationService(store)
    with pytest.raises(ApplicationError, match=r"must first unapply.*PAY2"):
        service.unapply(e["PAY1"].entry_no)
    service.unapply(e["PAY2"].entry_no)  # the invoice's latest application
    service.unapply(e["PAY1"].entry_no)
    e = _entries(store)
    assert e[inv].remaining_amount == 100000 and e[inv].open
    with pytest.raises(ApplicationError, match="no application to unapply"):
        service.unapply(e[inv].entry_no)
    _ok(store)


def test_unapply_of_an_invoice_takes_its_latest_application(store, day):
    inv = invoice(store, "C001", "1000", day)
    payment(store, "C001", "400", day + timedelta(days=20), applies_to=inv, doc_no="PAY1")
    payment(store, "C001", "600", day + timedelta(days=21), applies_to=inv, doc_no="PAY2")
    e = _entries(store)
    ApplicationService(store).unapply(e[inv].entry_no, day + timedelta(days=22))
    e = _entries(store)
    assert e[inv].remaining_amount == 60000 and e["PAY2"].open and not e["PAY1"].open
    _ok(store)


def test_reverse_payment_transaction_refused_while_applied_allowed_after_unapply(store, day):
    inv = invoice(store, "C001", "1000", day)
    payment(store, "C001", "980", day + timedelta(days=5), applies_to=inv)
    e = _entries(store)
    t = e["PAY1"].transaction_no
    service = ApplicationService(store)
    with pytest.raises(ApplicationError, match="unapply it first"):
        service.reverse_transaction(t)
    service.unapply(e["PAY1"].entry_no)
    result = service.reverse_transaction(t)
    with store.read() as s:
        pay, rev = s.exec(select(LedgerEntry).where(LedgerEntry.document_no == "PAY1")
                          .order_by(LedgerEntry.entry_no)).all()
    e = _entries(store)
    assert pay.reversed and pay.reversed_by_entry_no == rev.entry_no and not pay.open
    assert rev.amount == 98000 and not rev.open and rev.reversed
    assert e[inv].open and e[inv].remaining_amount == 100000
    assert _gl(store, "1100") == 0 and _gl(store, "1200") == 100000 and _gl(store, "6810") == 0
    with store.read() as s:
        banks = s.exec(select(BankLedgerEntry)).all()
    assert sum(b.amount for b in banks) == 0 and all(b.reversed for b in banks)
    assert all(g.document_no == "PAY1" for g in result.gl_entries)
    with pytest.raises(ApplicationError, match="already been reversed"):
        service.reverse_transaction(t)
    _ok(store)


def test_reverse_register_of_a_journal_posting(store, day):
    lines = [LineDraft(day, "customer", "C001", Decimal("-100"), document_type="payment",
                       document_no="R1", bal_account_type="bank_account",
                       bal_account_no="BANK1", ref="line 1"),
             LineDraft(day, "gl_account", "6400", Decimal("50"), document_no="R2",
                       bal_account_type="gl_account", bal_account_no="1100", ref="line 2")]
    reg = PostingService(store).post_lines(lines).register_no
    service = ApplicationService(store)
    result = service.reverse_register(reg)
    assert len(result.transaction_nos) == 2
    with store.read() as s:
        assert s.get(Register, reg).reversed  # type: ignore[union-attr]
        assert all(g.reversed for g in s.exec(select(GLEntry)).all())
    assert _gl(store, "1100") == 0 and _gl(store, "6400") == 0
    with pytest.raises(ApplicationError, match="already been reversed"):
        service.reverse_register(reg)
    with pytest.raises(ApplicationError, match="itself a reversal"):
        service.reverse_register(result.register_no)
    _ok(store)


def test_reverse_refusals(store, day):
    inv = invoice(store, "C001", "1000", day)
    payment(store, "C001", "200", day + timedelta(days=20))
    e = _entries(store)
    service = ApplicationService(store)
    with pytest.raises(ApplicationError, match="posted from a document"):
        service.reverse_transaction(e[inv].transaction_no)
    appl = service.post_application(e["PAY1"].entry_no, [e[inv].entry_no])
    with pytest.raises(ApplicationError, match="is an application"):
        service.reverse_register(appl.register_no)
    with pytest.raises(ApplicationError, match="is an application"):
        service.reverse_transaction(appl.transaction_nos[0])
    unappl = service.unapply(e["PAY1"].entry_no)
    with pytest.raises(ApplicationError, match="unapplication"):
        service.reverse_register(unappl.register_no)
    _ok(store)


def test_unapply_pinned_to_the_application_the_clerk_saw(store, day):
    inv = invoice(store, "C001", "1000", day)
    payment(store, "C001", "400", day + timedelta(days=20), applies_to=inv, doc_no="PAY1")
    payment(store, "C001", "600", day + timedelta(days=21), applies_to=inv, doc_no="PAY2")
    e = _entries(store)
    service = ApplicationService(store)
    seen = service.latest_application(e[inv].entry_no)
    service.unapply(e[inv].entry_no, application_no=seen)  # someone else was quicker
    with pytest.raises(ConflictError, match="changed by someone else"):
        service.unapply(e[inv].entry_no, application_no=seen)
    _ok(store)


def test_unapply_reverses_payment_tolerance_gl(store, day):
    from core.ledger.models import Company

    with store.write() as s:
        company = s.get(Company, 1)
        assert company is not None
        company.payment_tolerance_pct, company.max_payment_tolerance = "1", 500
        company.payment_tolerance_warning = False
    inv = invoice(store, "C001", "1000", day)
    payment(store, "C001", "997", day + timedelta(days=40), applies_to=inv)
    e = _entries(store)
    assert not e[inv].open and _gl(store, "6820") == 300
    ApplicationService(store).unapply(e["PAY1"].entry_no)
    e = _entries(store)
    assert e[inv].remaining_amount == 100000 and e["PAY1"].remaining_amount == -99700
    assert _gl(store, "6820") == 0 and e["PAY1"].accepted_payment_tolerance == 0
    ApplicationService(store).reverse_transaction(e["PAY1"].transaction_no)
    assert _gl(store, "1100") == 0 and _gl(store, "1200") == 100000
    _ok(store)
