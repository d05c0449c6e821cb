"""Posting engine: documents, payments with discount, balance, errors, preview."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from core.kernel.errors import BlockedError, NotFoundError, PostingError, UnbalancedError
from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.models import Company, GLEntry, LedgerEntry, Party
from core.ledger.posting import PostingService
from tests.helpers import invoice, payment


def _entries(store, party_no):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return list(s.exec(select(LedgerEntry).where(LedgerEntry.party_no == party_no)
                           .order_by(LedgerEntry.entry_no)).all())


def test_invoice_with_vat_posts_balanced_entries(store, day):
    doc = invoice(store, "C001", "1000", day, vat="19")
    (entry,) = _entries(store, "C001")
    assert entry.document_no == doc and entry.amount == 119000 and entry.open
    assert entry.due_date == day + timedelta(days=30)
    assert entry.pmt_discount_date == day + timedelta(days=10)
    assert entry.remaining_pmt_disc_possible == 2380  # 2 % of 1,190.00
    with store.read() as s:
        gl = {e.gl_account_no: e.amount for e in s.exec(select(GLEntry)).all()}
    assert gl == {"1200": 119000, "4100": -100000, "2300": -19000}
    assert run_check(store).ok


def test_payment_in_time_takes_discount_and_closes_both(store, day):
    doc = invoice(store, "C001", "1000", day)
    payment(store, "C001", "980", day + timedelta(days=5), applies_to=doc)
    inv, pay = _entries(store, "C001")
    assert (inv.remaining_amount, inv.open, pay.remaining_amount, pay.open) == (0, False, 0, False)
    assert inv.closed_by_entry_no == pay.entry_no
    with store.read() as s:
        disc = s.exec(select(GLEntry).where(GLEntry.gl_account_no == "6810")).one()
    assert disc.amount == 2000
    report = run_check(store)
    assert report.ok, report


def test_late_payment_leaves_discount_open(store, day):
    doc = invoice(store, "C001", "1000", day)
    payment(store, "C001", "980", day + timedelta(days=25), applies_to=doc)
    inv, pay = _entries(store, "C001")
    assert inv.remaining_amount == 2000 and inv.open and not pay.open
    assert run_check(store).ok


def test_apply_to_oldest(store, day):
    first = invoice(store, "C002", "300", day)
    invoice(store, "C002", "500", day + timedelta(days=3))
    payment(store, "C002", "400", day + timedelta(days=40))
    a, b, pay = _entries(store, "C002")
    assert a.document_no == first and not a.open and b.remaining_amount == 40000
    assert not pay.open
    assert run_check(store).ok


def test_unbalanced_lines_are_refused_and_nothing_written(store, day):
    lines = [LineDraft(day, "gl_account", "6400", Decimal("10"), document_no="X1", ref="line 1"),
             LineDraft(day, "gl_account", "1150", Decimal("-9"), document_no="X1", ref="line 2")]
    with pytest.raises(UnbalancedError, match="out of balance by 1"):
        PostingService(store).post_lines(lines)
    with store.read() as s:
        assert s.exec(select(GLEntry)).first() is None


@pytest.mark.parametrize(("field", "value", "error", "text"), [
    ("amount", Decimal("0"), PostingError, "must not be zero"),
    ("account_no", "9999", NotFoundError, "G/L account 9999 does not exist"),
    ("posting_date", date(2019, 1, 1), PostingError, "allowed posting range"),
    ("currency", "USD", PostingError, "currency USD"),
])
def test_line_errors_name_the_line(store, day, field, value, error, text):
    with store.write() as s:
        company = s.get(Company, 1)
        company.allow_posting_from = date(2020, 1, 1)
    line = LineDraft(day, "gl_account", "6400", Decimal("10"), bal_account_type="bank_account",
                     bal_account_no="BANK1", ref="line 7")
    from dataclasses import replace
    with pytest.raises(error, match=text) as info:
        PostingService(store).post_lines([replace(line, **{field: value})])
    assert "line 7" in str(info.value)


def test_blocked_customer_cannot_pay_when_all(store, day):
    with store.write() as s:
        s.get(Party, ("customer", "C001")).blocked = "all"
    with pytest.raises(BlockedError, match=r"C001.*blocked with type All"):
        payment(store, "C001", "10", day)


def test_invoice_blocked_customer_may_still_pay(store, day):
    doc = invoice(store, "C001", "100", day)
    with store.write() as s:
        s.get(Party, ("customer", "C001")).blocked = "invoice"
    payment(store, "C001", "100", day, applies_to=doc)
    with pytest.raises(BlockedError):
        invoice(store, "C001", "100", day)


def test_preview_writes_nothing(store, day):
    line = LineDraft(day, "customer", "C001", Decimal("-50"), document_type="payment",
                     document_no="P9", bal_account_type="bank_account", bal_account_no="BANK1")
    result = PostingService(store).post_lines([line], preview=True)
    assert len(result.gl_entries) == 2 and len(result.ledger_entries) == 1
    assert result.bank_entries[0].amount == Decimal("50")
    assert _entries(store, "C001") == []
    result2 = PostingService(store).post_lines([line])
    assert result2.register_no == 1  # the preview gave its numbers back


def test_credit_memo_is_due_at_once(store, day):
    invoice(store, "C001", "100", day, doc_type="credit_memo")
    (entry,) = _entries(store, "C001")
    assert entry.due_date == day and entry.pmt_discount_date is None
