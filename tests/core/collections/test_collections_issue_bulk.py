"""Issuing many reminders at once (``issue_many``): one posting for the batch, a refused
draft reported and left as a draft, the rest issued exactly as one by one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from sqlmodel import select

from core.collections.models import ReminderEntry
from core.collections.service import CollectionsService, ListFilter
from core.collections.setup import CollectionsSetupService
from core.ledger.check import run_check
from core.ledger.models import LedgerEntry, Party, Register
from tests.helpers import invoice, payment

JAN1 = date(2025, 1, 1)


def test_issue_many_one_posting_and_a_refused_draft(collections: CollectionsService) -> None:
    store = collections.store
    with store.write() as s:
        s.add(Party(party_type="customer", no="C003", name="Third", payment_terms_code="30D"))
    CollectionsSetupService(store, user="tester").set_customer(
        "C003", reminder_terms_code="T", fin_charge_terms_code="FC")
    invoice(store, "C002", "1000", JAN1)
    invoice(store, "C003", "500", JAN1)
    invoice(store, "C003", "200", date(2025, 1, 2))
    created = collections.create("reminder", date(2025, 2, 6)).created
    assert len(created) == 2
    payment(store, "C003", "200", date(2025, 2, 6), applies_to="SI000003")  # stale now
    with store.read() as s:
        registers_before = len(s.exec(select(Register)).all())
    done, failed = collections.issue_many("reminder", list(created))
    assert [d.draft_no for d in done] == [created[0]]
    assert failed[0][0] == created[1] and "was paid after it was created" in failed[0][1]
    assert done[0].posted_amount == D("10.00") and done[0].reminder_entries == 1
    with store.read() as s:
        assert len(s.exec(select(Register)).all()) == registers_before + 1
        entry = s.get(LedgerEntry, done[0].ledger_entry_no)
        assert entry is not None and entry.document_no == done[0].issued_no
        assert s.get(LedgerEntry, 1).last_issued_reminder_level == 1  # type: ignore[union-attr]
        rows = s.exec(select(ReminderEntry).where(
            ReminderEntry.issued_no == done[0].issued_no)).all()
        assert [r.customer_entry_no for r in rows] == [1]
    assert [d.no for d in collections.documents("reminder")] == [created[1]]  # still a draft
    assert collections.documents("reminder", ListFilter(status="issued"))[0].no == \
        done[0].issued_no
    assert run_check(store).ok
    cancel = collections.cancel("reminder", done[0].issued_no)  # cancels as one by one
    assert cancel.register_no is not None
    assert run_check(store).ok
