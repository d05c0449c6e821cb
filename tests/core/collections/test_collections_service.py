"""Create, edit, issue and cancel through the service, with ``lettrage check``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlmodel import select

from core.collections.issue import StaleDocumentError
from core.collections.models import ReminderEntry
from core.collections.service import CollectionsService, ListFilter
from core.collections.setup import CollectionsSetupService
from core.kernel.errors import ApplicationError, BlockedError, LettrageError, NotFoundError
from core.kernel.store import Store
from core.ledger.check import run_check
from core.ledger.models import GLEntry, LedgerEntry, Party
from tests.helpers import invoice, payment

JAN1 = date(2025, 1, 1)


def _entry(store: Store, no: int) -> LedgerEntry:
    with store.read() as s:
        entry = s.get(LedgerEntry, no)
        assert entry is not None
        return entry


def _ok(store: Store) -> None:
    report = run_check(store)
    assert report.ok, [r for r in report.results if not r.ok]


def test_create_issue_cancel_reminder(collections: CollectionsService) -> None:
    store = collections.store
    invoice(store, "C002", "1000", JAN1)  # due 01-31
    assert collections.create("reminder", date(2025, 2, 5)).created == ()  # grace 5D
    result = collections.create("reminder", date(2025, 2, 6))
    assert len(result.created) == 1
    view = collections.get("reminder", result.created[0])
    assert (view.level, view.remaining, view.additional_fee, view.total) == (
        1, D("1000.00"), D("10.00"), D("1010.00"))
    assert view.lines[0].days_overdue == 6 and view.lines[0].document_no == "SI000001"
    assert view.beginning_texts == ("Level 1 on February 6, 2025",)
    issued = collections.issue("reminder", view.no)
    assert issued.posted_amount == D("10.00") and issued.reminder_entries == 1
    new = _entry(store, issued.ledger_entry_no or 0)
    assert (new.document_type, new.document_no, new.amount) == ("reminder", issued.issued_no,
                                                                1000)
    with store.read() as s:
        fee_gl = s.exec(select(GLEntry).where(GLEntry.document_no == issued.issued_no,
                                              GLEntry.gl_account_no == "4500")).one()
        assert fee_gl.amount == -1000
    assert _entry(store, 1).last_issued_reminder_level == 1
    _ok(store)
    with pytest.raises(ApplicationError, match=f"already been issued as {issued.issued_no}"):
        collections.issue("reminder", view.no)
    assert collections.documents("reminder", ListFilter(status="issued"))[0].no == \
        issued.issued_no
    cancel = collections.cancel("reminder", issued.issued_no)
    assert cancel.register_no is not None
    assert _entry(store, 1).last_issued_reminder_level == 0
    assert _entry(store, issued.ledger_entry_no or 0).reversed
    _ok(store)
    with pytest.raises(ApplicationError, match="already been cancelled"):
        collections.cancel("reminder", issued.issued_no)
    assert collections.get("reminder", issued.issued_no).status == "canceled"


def test_level_escalation_and_cancel_restores_level(collections: CollectionsService) -> None:
    store = collections.store
    invoice(store, "C002", "1000", JAN1)
    issued = []
    for day, level in ((date(2025, 2, 6), 1), (date(2025, 2, 28), 2), (date(2025, 3, 22), 2)):
        created = collections.create("reminder", day).created
        assert len(created) == 1
        view = collections.get("reminder", created[0])
        assert view.level == level
        assert (view.interest > 0) == (level == 2)  # level 2 calculates interest
        issued.append(collections.issue("reminder", created[0]).issued_no)
        _ok(store)
    assert _entry(store, 1).last_issued_reminder_level == 3
    with pytest.raises(ApplicationError, match=f"reminded again by {issued[2]}"):
        collections.cancel("reminder", issued[1])
    collections.cancel("reminder", issued[2])
    assert _entry(store, 1).last_issued_reminder_level == 2
    collections.cancel("reminder", issued[1])
    assert _entry(store, 1).last_issued_reminder_level == 1
    _ok(store)


def test_blocked_customer(collections: CollectionsService) -> None:
    store = collections.store
    invoice(store, "C002", "1000", JAN1)
    no = collections.create("reminder", date(2025, 2, 10)).created[0]
    with store.write() as s:
        party = s.get(Party, ("customer", "C002"))
        assert party is not None
        party.blocked = "all"
    with pytest.raises(BlockedError, match="blocked for all"):
        collections.issue("reminder", no)
    assert collections.get("reminder", no).status == "draft"  # nothing half-written
    collections.delete("reminder", no)
    result = collections.create("reminder", date(2025, 2, 10))
    assert result.created == () and "blocked" in result.skipped[0][1]
    _ok(store)


def test_paid_after_creation(collections: CollectionsService) -> None:
    store = collections.store
    invoice(store, "C002", "1000", JAN1)
    no = collections.create("reminder", date(2025, 2, 10)).created[0]
    payment(store, "C002", "400", date(2025, 2, 11), applies_to="SI000001")
    with pytest.raises(StaleDocumentError, match="was paid after it was created "
                       r"\(remaining 1,000.00 then, 600.00 now\)"):
        collections.issue("reminder", no)
    result = collections.issue("reminder", no, recompute=True)
    assert "recomputed" in result.message
    assert collections.get("reminder", result.issued_no).remaining == D("600.00")
    _ok(store)
    invoice(store, "C002", "500", JAN1)
    no = collections.create("reminder", date(2025, 3, 10)).created[0]
    payment(store, "C002", "500", date(2025, 3, 11), applies_to="SI000002", doc_no="PAY2")
    payment(store, "C002", "600", date(2025, 3, 11), applies_to="SI000001", doc_no="PAY3")
    payment(store, "C002", "10", date(2025, 3, 11), applies_to=result.issued_no,
            doc_no="PAY4")  # the first reminder's fee is an open entry too
    with pytest.raises(LettrageError, match=f"Reminder {no} was not issued: recomputed from "
                       "the current entries, nothing is due; delete it"):
        collections.issue("reminder", no, recompute=True)
    assert collections.get("reminder", no).status == "draft"  # nothing half-written
    new_no, message = collections.recompute("reminder", no)
    assert new_no is None and "so it was deleted" in message
    with pytest.raises(NotFoundError):
        collections.get("reminder", no)


def test_bad_setup(terms_store: Store) -> None:
    setup = CollectionsSetupService(terms_store, user="tester")
    with pytest.raises(LettrageError, match="interest rate: must be between 0 and 100"):
        setup.save("finance_charge_terms", {"code": "NEG", "interest_rate": "-2"})
    with pytest.raises(LettrageError, match="not one of"):
        setup.save("reminder_level", {"terms_code": "T", "no": 3,
                                      "fee_calculation_type": "percent"})
    with pytest.raises(LettrageError, match="must not be negative"):
        setup.save("reminder_level", {"terms_code": "T", "no": 3, "additional_fee": "-1"})
    setup.save("reminder_terms", {"code": "EMPTY"})
    setup.set_customer("C002", reminder_terms_code="EMPTY")
    invoice(terms_store, "C002", "1000", JAN1)
    service = CollectionsService(terms_store, user="tester")
    with pytest.raises(LettrageError, match="EMPTY have no levels"):
        service.create("reminder", date(2025, 3, 1))
    trail = [r for r in setup.rows("reminder_terms") if r["code"] == "EMPTY"]
    assert trail and trail[0]["minimum_amount"] == 0


def test_edit_before_issue(collections: CollectionsService) -> None:
    store = collections.store
    invoice(store, "C002", "1000", JAN1)
    invoice(store, "C002", "200", JAN1)
    no = collections.create("reminder", date(2025, 2, 10)).created[0]
    view = collections.get("reminder", no)
    assert view.remaining == D("1200.00")
    collections.delete_line("reminder", no, view.lines[1].line_no)
    assert collections.get("reminder", no).remaining == D("1000.00")
    collections.change_level(no, 2)
    view = collections.get("reminder", no)
    assert (view.level, view.additional_fee, view.due_date) == (2, D("20.00"),
                                                                date(2025, 2, 24))
    assert view.ending_texts == ("Pay EUR 1,020.00 by February 24, 2025",)
    collections.update_text("reminder", no, 1)
    assert collections.get("reminder", no).beginning_texts == ("Level 2 on February 10, 2025",)
    with pytest.raises(LettrageError, match="no level 7"):
        collections.change_level(no, 7)
    issued = collections.issue("reminder", no)
    # only the remaining line's entry was reminded
    with store.read() as s:
        rows = s.exec(select(ReminderEntry).where(ReminderEntry.issued_no ==
                                                  issued.issued_no)).all()
        assert [r.customer_entry_no for r in rows] == [1]
    _ok(store)


def test_finance_charge_memo(collections: CollectionsService) -> None:
    store = collections.store
    invoice(store, "C002", "1000", JAN1)
    payment(store, "C002", "400", date(2025, 2, 15), applies_to="SI000001")
    result = collections.create("finance_charge", date(2025, 3, 2))
    view = collections.get("finance_charge", result.created[0])
    assert view.interest == D("12.00") and view.lines[0].interest_days == 30
    assert view.lines[0].description.startswith("Interest 30 days")
    issued = collections.issue("finance_charge", view.no)
    entry = _entry(store, issued.ledger_entry_no or 0)
    assert (entry.document_type, entry.amount) == ("finance_charge_memo", 1200)
    _ok(store)
    # the next memo starts from this one's document date
    again = collections.create("finance_charge", date(2025, 4, 1))
    # 600 x 30 days x 1.5 % on the invoice + 12.00 x 30 days x 1.5 % on the memo itself
    assert collections.get("finance_charge", again.created[0]).interest == D("9.18")
    collections.delete("finance_charge", again.created[0])
    collections.cancel("finance_charge", issued.issued_no)
    _ok(store)


def test_cancel_refused_when_reminder_entry_applied(collections: CollectionsService) -> None:
    store = collections.store
    invoice(store, "C002", "1000", JAN1)
    no = collections.create("reminder", date(2025, 2, 10)).created[0]
    issued = collections.issue("reminder", no)
    payment(store, "C002", "10", date(2025, 2, 20), applies_to=issued.issued_no)
    with pytest.raises(ApplicationError, match=f"{issued.issued_no} cannot be cancelled: .*"
                       "applied"):
        collections.cancel("reminder", issued.issued_no)
    assert _entry(store, 1).last_issued_reminder_level == 1
    _ok(store)
