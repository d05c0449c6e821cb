"""Column sets of the entry lists, shared by the screens that show the same views."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.ledger.drafts import BankEntryView, DetailedEntryView, GLEntryView, LedgerEntryView
from tui.widgets.formatting import NumberFormat, day, label
from tui.widgets.lazy_table import Column

DOC_TYPES = {"invoice": "Invoice", "payment": "Payment", "credit_memo": "Cr.Memo",
             "refund": "Refund", "finance_charge_memo": "Fin.Chg", "reminder": "Reminder"}


def doc_type(code: str) -> str:
    return DOC_TYPES.get(code, label(code))


def ledger_columns(nf: NumberFormat, with_party: bool = True) -> list[Column]:
    cols = [Column("Posting", 10, lambda r: day(r.posting_date)),
            Column("Type", 7, lambda r: doc_type(r.document_type)),
            Column("Document", 10, lambda r: r.document_no)]
    if with_party:
        cols += [Column("Party", 0, lambda r: f"{r.party_no} {r.party_name}")]
    else:
        cols += [Column("Description", 0, lambda r: r.description)]
    cols += [Column("Due", 10, lambda r: day(r.due_date)),
             Column("Amount", 12, lambda r: nf.amount(r.amount), right=True),
             Column("Remaining", 12, lambda r: nf.amount(r.remaining_amount, True), right=True)]
    return cols


def ledger_style(today: date) -> Any:
    def style(r: LedgerEntryView) -> str:
        if r.open and r.due_date is not None and r.due_date < today:
            return "overdue"
        return "" if r.open else "muted"

    return style


def detailed_columns(nf: NumberFormat) -> list[Column]:
    def applied(r: DetailedEntryView) -> str:
        return str(r.applied_ledger_entry_no or "")

    return [Column("Entry", 7, lambda r: str(r.entry_no), right=True),
            Column("Posting", 10, lambda r: day(r.posting_date)),
            Column("Entry type", 0, lambda r: label(r.entry_type) + (" (unapplied)"
                                                                      if r.unapplied else "")),
            Column("Document", 10, lambda r: r.document_no),
            Column("Applied", 7, applied, right=True),
            Column("Amount", 12, lambda r: nf.amount(r.amount), right=True)]


def gl_columns(nf: NumberFormat) -> list[Column]:
    def amount(r: GLEntryView) -> str:
        return nf.amount(r.amount)

    return [Column("Posting", 10, lambda r: day(r.posting_date)),
            Column("Document", 10, lambda r: r.document_no),
            Column("Account", 7, lambda r: r.gl_account_no),
            Column("Description", 0, lambda r: r.description),
            Column("Amount", 13, amount, right=True),
            Column("Entry", 7, lambda r: str(r.entry_no), right=True)]


def bank_columns(nf: NumberFormat) -> list[Column]:
    def status(r: BankEntryView) -> str:
        return "Open" if r.open else label(r.statement_status)

    return [Column("Posting", 10, lambda r: day(r.posting_date)),
            Column("Document", 10, lambda r: r.document_no),
            Column("Bank", 6, lambda r: r.bank_account_no),
            Column("Description", 0, lambda r: r.description),
            Column("Amount", 13, lambda r: nf.amount(r.amount), right=True),
            Column("Status", 7, status)]
