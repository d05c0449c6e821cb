"""Postings in the audit trail (issue #15): a journal posted, entries applied, an
application unapplied and a transaction reversed each leave one trail entry with the
user, the register and the documents, written in the posting's own transaction (a
preview or a refused posting leaves none)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlmodel import select

from core.application.service import ApplicationService
from core.audit.queries import AuditFilter, AuditQueryService, AuditRow
from core.kernel.errors import LettrageError
from core.kernel.store import Store
from core.ledger.drafts import LineDraft
from core.ledger.models import LedgerEntry
from core.ledger.posting import PostingService
from tests.helpers import invoice

DAY = date(2025, 1, 10)


def registers(store: Store) -> list[AuditRow]:
    return list(AuditQueryService(store).iterate(AuditFilter(entity="register")))


def pay(store: Store, user: str, preview: bool = False) -> int:
    result = PostingService(store, user=user).post_lines([LineDraft(
        posting_date=DAY, account_type="customer", account_no="C001", amount=D("-100"),
        document_type="payment", document_no="PAY7", bal_account_type="bank_account",
        bal_account_no="BANK1", ref="line 1")], source_code="CASHRECJNL", preview=preview)
    return result.register_no


def entry_no(store: Store, document_no: str) -> int:
    with store.read() as s:
        return s.exec(select(LedgerEntry.entry_no).where(LedgerEntry.document_no == document_no)
                      ).one()


def test_posting_applying_unapplying_and_reversing_are_in_the_trail(store: Store) -> None:
    inv = invoice(store, "C001", "100", DAY)
    register = pay(store, "bruno")
    row = registers(store)[0]
    assert (row.user, row.action, row.entity, row.key) == ("bruno", "post", "register",
                                                           str(register))
    assert row.note == "CASHRECJNL: documents PAY7, 4 entries, transactions 2"

    payment_no, invoice_no = entry_no(store, "PAY7"), entry_no(store, inv)
    applied = ApplicationService(store, user="carla").post_application(payment_no, [invoice_no])
    row = registers(store)[0]
    assert (row.user, row.action, row.key) == ("carla", "apply", str(applied.register_no))
    assert str(invoice_no) in row.note and "C001" in row.note

    undone = ApplicationService(store, user="dora").unapply(payment_no)
    row = registers(store)[0]
    assert (row.user, row.action, row.key) == ("dora", "unapply", str(undone.register_no))
    assert "C001" in row.note

    reversed_ = ApplicationService(store, user="emil").reverse_register(register)
    row = registers(store)[0]
    assert (row.user, row.action, row.key) == ("emil", "reverse", str(reversed_.register_no))
    assert "PAY7" in row.note
    assert [r.action for r in registers(store)][:4] == ["reverse", "unapply", "apply", "post"]


def test_a_preview_or_a_refused_posting_leaves_no_trail_entry(store: Store) -> None:
    before = len(registers(store))
    pay(store, "bruno", preview=True)
    assert len(registers(store)) == before
    with pytest.raises(LettrageError):
        PostingService(store, user="bruno").post_lines([LineDraft(
            posting_date=DAY, account_type="customer", account_no="C001", amount=D("-5"),
            document_type="payment", document_no="BAD", ref="line 1")])
    assert len(registers(store)) == before


def test_the_trail_reads_the_posting_in_french(store: Store) -> None:
    from core.i18n import set_language  # the language is process-wide: reset below

    pay(store, "bruno")
    set_language("fr")
    try:
        note = registers(store)[0].note
    finally:
        set_language("en")
    assert note.startswith("CASHRECJNL : documents PAY7, 4 écritures")
