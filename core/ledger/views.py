"""Conversions from rows to the frozen views that leave the core."""

from __future__ import annotations

from core.kernel.money import from_minor
from core.ledger.drafts import BankEntryView, DetailedEntryView, GLEntryView, LedgerEntryView
from core.ledger.models import BankLedgerEntry, DetailedLedgerEntry, GLEntry, LedgerEntry


def gl_view(e: GLEntry) -> GLEntryView:
    return GLEntryView(e.entry_no, e.transaction_no, e.gl_account_no, e.posting_date,
                       e.document_type, e.document_no, e.description, from_minor(e.amount))


def ledger_view(e: LedgerEntry, party_name: str = "") -> LedgerEntryView:
    return LedgerEntryView(
        entry_no=e.entry_no, party_type=e.party_type, party_no=e.party_no,
        party_name=party_name, posting_date=e.posting_date, document_type=e.document_type,
        document_no=e.document_no, external_document_no=e.external_document_no,
        description=e.description, amount=from_minor(e.amount),
        remaining_amount=from_minor(e.remaining_amount), open=e.open, due_date=e.due_date,
        pmt_discount_date=e.pmt_discount_date,
        remaining_pmt_disc_possible=from_minor(e.remaining_pmt_disc_possible),
        max_payment_tolerance=from_minor(e.max_payment_tolerance),
        payment_reference=e.payment_reference, closed_by_entry_no=e.closed_by_entry_no,
        closed_at_date=e.closed_at_date, reversed=e.reversed, applies_to_id=e.applies_to_id,
        amount_to_apply=from_minor(e.amount_to_apply), transaction_no=e.transaction_no)


def detailed_view(e: DetailedLedgerEntry) -> DetailedEntryView:
    return DetailedEntryView(e.entry_no, e.ledger_entry_no, e.entry_type, e.posting_date,
                             e.document_type, e.document_no, from_minor(e.amount),
                             e.applied_ledger_entry_no, e.application_no, e.unapplied,
                             e.transaction_no)


def bank_view(e: BankLedgerEntry) -> BankEntryView:
    return BankEntryView(e.entry_no, e.bank_account_no, e.posting_date, e.document_type,
                         e.document_no, e.description, from_minor(e.amount),
                         from_minor(e.remaining_amount), e.open, e.statement_status,
                         e.statement_no, e.transaction_no)
