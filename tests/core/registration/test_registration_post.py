"""Payment Registration: BC's worked cases (spec §15.3), lump payments, Search
Documents, bad input and a document paid meanwhile by another clerk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import col, func, select

from core.audit.models import AuditEntry
from core.kernel.errors import ConflictError, PostingError
from core.ledger.check import run_check
from core.ledger.models import DetailedLedgerEntry, GLEntry, LedgerEntry, Party
from core.registration.marks import (
    OVERDUE_NOTICE,
    PARTIAL_NOTICE,
    Mark,
    RegistrationRow,
    tick,
    with_amount,
    with_date,
    with_discount_date,
)
from core.registration.sales import SalesService
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from core.registration.service import RegistrationService
from data.engine import SqlStore
from tests.core.registration.reg_support import sales_invoice

DOC_DAY = date(2025, 1, 5)  # C001: 2 % 10 days -> discount date 01/15, due 02/04


def _row(store: SqlStore, doc_no: str) -> RegistrationRow:
    rows = RegistrationService(store).rows_by_document([doc_no])
    return rows[doc_no]


def _entry(store: SqlStore, doc_no: str, doc_type: str = "invoice") -> LedgerEntry:
    with store.read() as s:
        return s.exec(select(LedgerEntry).where(col(LedgerEntry.document_no) == doc_no,
                                                col(LedgerEntry.document_type) == doc_type)
                      ).one()


def _count(store: SqlStore, model: type) -> int:
    with store.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


@pytest.fixture
def inv(store: SqlStore) -> str:
    return sales_invoice(store, "C001", "1000", DOC_DAY)


def test_row_shows_bc_columns(store: SqlStore, inv: str) -> None:
    row = _row(store, inv)
    assert (row.remaining, row.rem_after_discount) == (Decimal("1000.00"), Decimal("980.00"))
    assert row.pmt_discount_date == date(2025, 1, 15)
    assert row.due_date == date(2025, 2, 4)
    page = RegistrationService(store).rows()
    assert [r.document_no for r in page.rows] == [inv]


def test_case1_980_on_time_closes_with_discount(store: SqlStore, inv: str) -> None:
    mark = tick(_row(store, inv), date(2025, 1, 10))
    assert mark.amount_received == Decimal("980.00")
    assert mark.remaining_after == 0 and mark.warning == ""
    RegistrationService(store).post([mark])
    e = _entry(store, inv)
    assert not e.open and e.remaining_amount == 0
    pay = _entry(store, e.document_no, "invoice")
    assert pay.entry_no == e.entry_no
    with store.read() as s:
        disc = s.exec(select(func.sum(GLEntry.amount)).where(
            col(GLEntry.gl_account_no) == "6810")).one()
        assert disc == 2000
    assert run_check(store).ok


def test_case2_late_is_partial_until_details_moves_the_date(store: SqlStore, inv: str) -> None:
    row = _row(store, inv)
    mark = with_amount(row, with_date(row, None, date(2025, 1, 20)), Decimal(980),
                       date(2025, 1, 20))
    assert mark.remaining_after == Decimal(20)
    assert mark.warning == PARTIAL_NOTICE and mark.discount_lost and not mark.due_date_late
    moved = with_discount_date(row, mark, date(2025, 1, 20), date(2025, 1, 20))
    assert moved.remaining_after == 0 and moved.warning == ""
    RegistrationService(store, user="anna").post([moved])
    e = _entry(store, inv)
    assert not e.open and e.pmt_discount_date == date(2025, 1, 20)
    with store.read() as s:
        trail = s.exec(select(AuditEntry).where(col(AuditEntry.entity) == "ledger_entry")).one()
        assert trail.user == "anna" and "2025-01-15" in trail.changes
    assert run_check(store).ok


def test_case2_posted_without_moving_leaves_20(store: SqlStore, inv: str) -> None:
    row = _row(store, inv)
    mark = with_amount(row, with_date(row, None, date(2025, 1, 20)), Decimal(980),
                       date(2025, 1, 20))
    RegistrationService(store).post([mark])
    e = _entry(store, inv)
    assert e.open and e.remaining_amount == 2000


def test_case3_partial_500(store: SqlStore, inv: str) -> None:
    row = _row(store, inv)
    mark = with_amount(row, None, Decimal(500), date(2025, 1, 10))
    assert mark.date_received == date(2025, 1, 10)  # auto fill
    assert mark.remaining_after == Decimal(500)
    RegistrationService(store).post([mark])
    assert _entry(store, inv).remaining_amount == 50000


def test_case4_overpayment_leaves_credit(store: SqlStore, inv: str) -> None:
    row = _row(store, inv)
    mark = with_amount(row, None, Decimal(1010), date(2025, 1, 10))
    assert mark.remaining_after == 0
    result = RegistrationService(store).post([mark])
    assert not _entry(store, inv).open
    pay = _entry(store, result.document_nos[0], "payment")
    assert pay.open and pay.remaining_amount == -3000
    assert run_check(store).ok


def test_overdue_warning_and_red_due_date(store: SqlStore, inv: str) -> None:
    mark = with_date(_row(store, inv), None, date(2025, 3, 1))
    assert mark.warning == OVERDUE_NOTICE and mark.due_date_late
    assert mark.amount_received == Decimal("1000.00")


def test_lump_payment_of_two_invoices(store: SqlStore, inv: str) -> None:
    inv2 = sales_invoice(store, "C001", "500", DOC_DAY)
    day = date(2025, 1, 12)
    marks = [tick(_row(store, inv), day), tick(_row(store, inv2), day)]
    result = RegistrationService(store).post(marks, lump=True)
    assert len(result.document_nos) == 1
    pays = [e for e in result.ledger_entries if e.document_type == "payment"]
    assert len(pays) == 1 and pays[0].amount == Decimal("-1470.00")
    assert not _entry(store, inv).open and not _entry(store, inv2).open
    assert _entry(store, pays[0].document_no, "payment").remaining_amount == 0
    assert _entry(store, inv).applies_to_id == ""
    assert run_check(store).ok


def test_lump_over_two_customers_or_dates_is_refused(store: SqlStore, inv: str) -> None:
    other = sales_invoice(store, "C002", "300", DOC_DAY)
    inv2 = sales_invoice(store, "C001", "500", DOC_DAY)
    svc = RegistrationService(store)
    day = date(2025, 1, 12)
    with pytest.raises(PostingError, match="the customer must be same value on all lines"):
        svc.post([tick(_row(store, inv), day), tick(_row(store, other), day)], lump=True)
    with pytest.raises(PostingError, match="the Date Received field must have the same value"):
        svc.post([tick(_row(store, inv), day), tick(_row(store, inv2), date(2025, 1, 13))],
                 lump=True)
    assert _count(store, DetailedLedgerEntry) == 3  # the three invoices only


def test_bad_input_messages_and_nothing_written(store: SqlStore, inv: str) -> None:
    svc = RegistrationService(store)
    row = _row(store, inv)
    before = _count(store, GLEntry)
    with pytest.raises(PostingError, match=f"Date Received is missing for line with "
                       f"Document No. {inv}."):
        svc.post([Mark(row, None, Decimal(5), row.pmt_discount_date)])
    with pytest.raises(PostingError, match="must not be zero"):
        svc.post([Mark(row, date(2025, 1, 10), Decimal(0), row.pmt_discount_date)])
    with pytest.raises(PostingError, match="same sign"):
        svc.post([Mark(row, date(2025, 1, 10), Decimal(-5), row.pmt_discount_date)])
    with pytest.raises(PostingError, match="There is nothing to post"):
        svc.post([])
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.blocked = "all"
    with pytest.raises(PostingError, match="blocked with type All"):
        svc.post([tick(row, date(2025, 1, 10))])
    assert _count(store, GLEntry) == before


def test_paid_meanwhile_by_another_clerk_is_a_conflict(store: SqlStore, inv: str) -> None:
    row = _row(store, inv)  # both clerks read the list
    RegistrationService(store, user="bob").post([tick(row, date(2025, 1, 10))])
    before = _count(store, GLEntry)
    with pytest.raises(ConflictError, match="changed by someone else meanwhile: bob"):
        RegistrationService(store, user="anna").post([tick(row, date(2025, 1, 10))])
    assert _count(store, GLEntry) == before
    assert run_check(store).ok


def test_preview_writes_nothing(store: SqlStore, inv: str) -> None:
    before = _count(store, GLEntry)
    result = RegistrationService(store).post([tick(_row(store, inv), date(2025, 1, 10))],
                                             preview=True)
    assert result.gl_entries
    assert _count(store, GLEntry) == before and _entry(store, inv).open


def test_same_entries_as_cash_receipt_journal(store: SqlStore, inv: str) -> None:
    from core.application.journal import JournalLineInput, JournalService

    inv2 = sales_invoice(store, "C001", "1000", DOC_DAY)
    reg = RegistrationService(store).post([tick(_row(store, inv), date(2025, 1, 10))])
    journal = JournalService(store)
    batch = next(b for b in journal.batches("cash_receipt"))
    journal.add_line(batch.id, JournalLineInput(
        date(2025, 1, 10), "C001", Decimal("-980"), account_type="customer",
        document_type="payment", applies_to_doc_type="invoice", applies_to_doc_no=inv2))
    jnl = journal.post_batch(batch.id)

    def shape(result):  # type: ignore[no-untyped-def]
        return (sorted((g.gl_account_no, g.amount) for g in result.gl_entries),
                sorted((d.entry_type, d.amount) for d in result.detailed_entries),
                sorted((e.document_type, e.amount, e.remaining_amount, e.open)
                       for e in result.ledger_entries))

    assert shape(reg) == shape(jnl)


def test_search_documents_by_amount_with_tolerance_and_by_no(store: SqlStore,
                                                            inv: str) -> None:
    near = sales_invoice(store, "C002", "1090", DOC_DAY)
    sales_invoice(store, "C002", "1200", DOC_DAY)
    draft = SalesService(store).create(SalesDocumentInput(
        "invoice", "C002", DOC_DAY, (SalesLineInput("4100", Decimal(1), Decimal(950)),)))
    svc = RegistrationService(store)
    hits = svc.search_documents(amount=Decimal(1000), tolerance_pct=Decimal(10))
    assert sorted(h.document_no for h in hits) == sorted([inv, near, draft.no])
    assert [h.source for h in hits if h.document_no == draft.no] == ["Sales Invoice"]
    assert [h.document_no for h in svc.search_documents(document_no=near[-3:])] == [near]
    with pytest.raises(PostingError, match="between 0 and 100"):
        svc.search_documents(amount=Decimal(1), tolerance_pct=Decimal(101))
