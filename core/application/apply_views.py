"""The Apply Entries page's read model: the applying entry, the party's open entries
with their marks, and the footer totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.application import ApplyEntriesTotals
from core.ledger.drafts import LedgerEntryView


@dataclass(frozen=True)
class ApplyEntryRow:
    """One line of the Apply Entries page (amounts in the entry's sign)."""

    entry_no: int
    posting_date: date
    document_type: str
    document_no: str
    description: str
    amount: Decimal
    remaining: Decimal
    due_date: date | None
    pmt_discount_date: date | None
    pmt_disc_tolerance_date: date | None
    remaining_pmt_disc_possible: Decimal
    max_payment_tolerance: Decimal
    amount_to_apply: Decimal
    applies_to_id: str
    marked: bool
    version: int


@dataclass(frozen=True)
class ApplyEntriesView:
    """The applying entry, the party's other open entries and the footer totals."""

    applying: LedgerEntryView
    applying_version: int
    applies_to_id: str
    entries: tuple[ApplyEntryRow, ...]
    totals: ApplyEntriesTotals
    journal_line_id: int | None = None  # set when the applying side is a journal line
