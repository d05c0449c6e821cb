"""Column sets of the entry lists, shared by the screens that show the same views."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.i18n import N_, _
from core.ledger.drafts import BankEntryView, DetailedEntryView, GLEntryView, LedgerEntryView
from tui.widgets.formatting import NumberFormat, day, label, short_date
from tui.widgets.lazy_table import Column

DOC_TYPES = {"invoice": N_("Invoice"), "payment": N_("Payment"), "credit_memo": N_("Cr.Memo"),
             "refund": N_("Refund"), "finance_charge_memo": N_("Fin.Chg"),
                       "reminder": N_("Reminder")}


def doc_type(code: str) -> str:
    return _(DOC_TYPES[code]) if code in DOC_TYPES else label(code)


def type_width() -> int:
    """The Type column fits the longest document type of the language ("Rembours.")."""
    return max(len(_(text)) for text in DOC_TYPES.values())


def ledger_columns(nf: NumberFormat, with_party: bool = True) -> list[Column]:
    # dates in 9 cells (27 Nov 26) so the party's name gets the room
    cols = [Column(_("Posting"), 9, lambda r: short_date(r.posting_date)),
            Column(_("Type"), type_width(), lambda r: doc_type(r.document_type)),
            Column(_("Document"), 10, lambda r: r.document_no)]
    if with_party:
        cols += [Column(_("Party"), 0, lambda r: f"{r.party_no} {r.party_name}")]
    else:
        cols += [Column(_("Description"), 0, lambda r: r.description)]
    cols += [Column(_("Due"), 9, lambda r: short_date(r.due_date)),
             Column(_("Amount"), 12, lambda r: nf.amount(r.amount), right=True),
             Column(_("Remaining"), 12, lambda r: nf.amount(r.remaining_amount, True), right=True)]
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

    return [Column(_("Entry"), 7, lambda r: str(r.entry_no), right=True),
            Column(_("Posting"), 10, lambda r: day(r.posting_date)),
            Column(_("Entry type"), 0, lambda r: label(r.entry_type) + (_(" (unapplied)")
                                                                      if r.unapplied else "")),
            Column(_("Document"), 10, lambda r: r.document_no),
            Column(_("Applied"), 7, applied, right=True),
            Column(_("Amount"), 12, lambda r: nf.amount(r.amount), right=True)]


def gl_columns(nf: NumberFormat) -> list[Column]:
    def amount(r: GLEntryView) -> str:
        return nf.amount(r.amount)

    return [Column(_("Posting"), 10, lambda r: day(r.posting_date)),
            Column(_("Document"), 10, lambda r: r.document_no),
            Column(_("Account"), 7, lambda r: r.gl_account_no),
            Column(_("Description"), 0, lambda r: r.description),
            Column(_("Amount"), 13, amount, right=True),
            Column(_("Entry"), 7, lambda r: str(r.entry_no), right=True)]


def bank_columns(nf: NumberFormat) -> list[Column]:
    def status(r: BankEntryView) -> str:
        return _("Open") if r.open else label(r.statement_status)

    return [Column(_("Posting"), 10, lambda r: day(r.posting_date)),
            Column(_("Document"), 10, lambda r: r.document_no),
            Column(_("Bank"), 6, lambda r: r.bank_account_no),
            Column(_("Description"), 0, lambda r: r.description),
            Column(_("Amount"), 13, lambda r: nf.amount(r.amount), right=True),
            Column(_("Status"), 7, status)]
