"""Aged receivables at a date: buckets at their boundaries, credit memos and unapplied
payments in their own bucket, totals equal to the ledger's remaining at the date (also in
the past, with entries closed and unapplied since), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.application.service import ApplicationService
from core.kernel.money import from_minor
from core.kernel.store import Store
from core.ledger.drafts import LineDraft
from core.ledger.models import DetailedLedgerEntry, LedgerEntry
from core.ledger.posting import PostingService
from core.reports.aging import (
    AgingError,
    AgingOptions,
    bucket_keys,
    bucket_of,
    parse_buckets,
)
from core.reports.service import ReportsService

D = date(2025, 3, 31)


def post(store: Store, party: str, amount: str, posting: date, due: date | None = None,
         doc_type: str = "invoice", doc_no: str = "", applies_to: str = "",
         party_type: str = "customer") -> None:
    PostingService(store).post_lines([LineDraft(
        posting_date=posting, account_type=party_type, account_no=party,
        amount=Decimal(amount), document_type=doc_type, document_no=doc_no or f"D{amount}",
        bal_account_type="gl_account", bal_account_no="4100" if doc_type != "payment"
        else "1100", due_date=due, applies_to_doc_no=applies_to, ref="line 1")])


def ledger_remaining_at(store: Store, day: date, party_type: str = "customer") -> Decimal:
    """The ledger's own figure: every detailed entry up to the day, of the entries
    posted up to the day."""
    dle, le = DetailedLedgerEntry, LedgerEntry
    with store.read() as s:
        total = s.execute(select(func.coalesce(func.sum(dle.amount), 0)).join(
            le, le.entry_no == dle.ledger_entry_no).where(  # type: ignore[arg-type]
            le.party_type == party_type, le.posting_date <= day,
            dle.posting_date <= day)).scalar_one()
    return from_minor(int(total))


def test_bucket_keys_and_limits() -> None:
    assert bucket_keys((30, 60, 90)) == ("current", "1-30", "31-60", "61-90", "over_90")
    assert [bucket_of(d, (30, 60, 90)) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91)] == \
        [0, 0, 1, 1, 2, 2, 3, 3, 4]
    assert parse_buckets("15, 45") == (15, 45)
    for bad in ("30,30", "0,30", "a,b", ""):
        with pytest.raises(AgingError):
            parse_buckets(bad)
    with pytest.raises(AgingError):
        AgingOptions(D, by="document")


def test_buckets_at_boundaries_credit_memo_and_unapplied_payment(store: Store) -> None:
    post(store, "C001", "100", D - timedelta(days=40), due=D)  # due exactly today
    post(store, "C001", "200", D - timedelta(days=60), due=D - timedelta(days=30))
    post(store, "C001", "400", D - timedelta(days=60), due=D - timedelta(days=31))
    post(store, "C001", "800", D - timedelta(days=120), due=D - timedelta(days=90))
    post(store, "C001", "1600", D - timedelta(days=150), due=D - timedelta(days=91))
    post(store, "C002", "3200", D - timedelta(days=5), due=D + timedelta(days=25))
    post(store, "C001", "-50", D - timedelta(days=45), doc_type="credit_memo", doc_no="CM1")
    post(store, "C001", "-70", D - timedelta(days=5), doc_type="payment", doc_no="PAY1")
    post(store, "C002", "999", D + timedelta(days=1), due=D + timedelta(days=31))  # after D
    report = ReportsService(store, lambda: D).aging(AgingOptions(D))
    lines = {ln.party_no: ln.amounts for ln in report.lines}
    # the credit memo is due at once: 45 days -> 31-60; the payment 5 days -> 1-30
    assert lines["C001"] == tuple(Decimal(v) for v in ("100", "130", "350", "800", "1600"))
    assert lines["C002"] == (Decimal("3200"), 0, 0, 0, 0)
    assert report.total == ledger_remaining_at(store, D) == Decimal("6180")
    assert report.totals == (Decimal("3300"), Decimal("130"), Decimal("350"),
                             Decimal("800"), Decimal("1600"))
    by_posting = ReportsService(store, lambda: D).aging(AgingOptions(D, by="posting"))
    assert by_posting.total == report.total
    assert {ln.party_no: ln.amounts for ln in by_posting.lines}["C001"] == (
        0, Decimal("-70"), Decimal("650"), 0, Decimal("2400"))
    drill = ReportsService(store, lambda: D).aging_entries(
        AgingOptions(D, party_no="C001"), bucket=4)
    assert [(e.remaining, e.days) for e in drill] == [(Decimal("1600"), 91)]


def test_past_date_counts_entries_closed_and_reopened_since(store: Store) -> None:
    post(store, "C002", "1000", date(2025, 1, 1), due=date(2025, 1, 31), doc_no="INV1")
    post(store, "C002", "500", date(2025, 1, 5), due=date(2025, 2, 4), doc_no="INV2")
    post(store, "C002", "-300", date(2025, 1, 20), doc_type="payment", doc_no="PAY1",
         applies_to="INV1")
    post(store, "C002", "-700", date(2025, 2, 15), doc_type="payment", doc_no="PAY2",
         applies_to="INV1")
    post(store, "C002", "-500", date(2025, 2, 20), doc_type="payment", doc_no="PAY3",
         applies_to="INV2")
    with store.read() as s:
        inv2 = s.execute(select(LedgerEntry).where(LedgerEntry.document_no == "INV2")).scalar_one()
    ApplicationService(store).unapply(inv2.entry_no, date(2025, 3, 1))
    service = ReportsService(store, lambda: D)
    expected = {date(2024, 12, 31): "0", date(2025, 1, 10): "1500",
                date(2025, 1, 25): "1200", date(2025, 2, 10): "1200",
                date(2025, 2, 16): "500", date(2025, 2, 25): "0", date(2025, 3, 5): "0"}
    for day, total in expected.items():
        report = service.aging(AgingOptions(day))
        assert report.total == ledger_remaining_at(store, day) == Decimal(total), day
    at = {e.document_no: (e.remaining, e.bucket)
          for e in service.aging_entries(AgingOptions(date(2025, 2, 10)))}
    assert at == {"INV1": (Decimal("700"), 1), "INV2": (Decimal("500"), 1)}
    # after the unapply on 1 March, INV2 and PAY3 are open again, netting to zero
    at = {e.document_no: e.remaining for e in service.aging_entries(AgingOptions(D))}
    assert at == {"INV2": Decimal("500"), "PAY3": Decimal("-500")}


def test_filters_and_vendors(store: Store) -> None:
    post(store, "C001", "100", date(2025, 3, 1), due=date(2025, 3, 10))
    post(store, "C002", "200", date(2025, 3, 1), due=date(2025, 3, 10))
    post(store, "V001", "-300", date(2025, 3, 1), due=date(2025, 4, 10), party_type="vendor")
    service = ReportsService(store, lambda: D)
    assert [ln.party_no for ln in service.aging(AgingOptions(D, country="DE")).lines] == \
        ["C001"]
    vendors = service.aging(AgingOptions(D, party_type="vendor"))
    assert vendors.total == Decimal("-300") and vendors.lines[0].amounts[0] == Decimal("-300")
    assert service.aging(AgingOptions(D, blocked=True)).lines == ()
    shares = [ln.share for ln in service.aging(AgingOptions(D)).lines]
    assert shares == [Decimal("33.3"), Decimal("66.7")]
