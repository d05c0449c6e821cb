"""Plain values the bank reconciliation services hand to screens and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.kernel.money import ZERO


def amount_text(value: Decimal) -> str:
    """An amount as the JSON shows it: a string with two decimals ("-12.50")."""
    return f"{value:.2f}"


@dataclass(frozen=True)
class EntryRef:
    entry_no: int
    document_no: str
    amount: Decimal  # the remaining amount it was matched with


@dataclass(frozen=True)
class RecLineView:
    id: int
    line_no: int
    transaction_id: str
    transaction_date: date
    amount: Decimal
    text: str
    match: str  # none | one_to_one | many_to_one | one_to_many | manual
    matched_entries: tuple[EntryRef, ...]
    applied_amount: Decimal
    difference: Decimal
    details: tuple[str, ...]
    check_no: str = ""
    version: int = 1

    @property
    def matched(self) -> bool:
        return self.match != "none"

    def as_json(self) -> dict[str, Any]:
        return {"transaction_id": self.transaction_id,
                "transaction_date": self.transaction_date.isoformat(),
                "amount": amount_text(self.amount), "text": self.text, "match": self.match,
                "matched_entries": [{"entry_no": e.entry_no, "document_no": e.document_no,
                                     "amount": amount_text(e.amount)}
                                    for e in self.matched_entries],
                "difference": amount_text(self.difference), "details": list(self.details)}


@dataclass(frozen=True)
class RecView:
    id: int
    bank_account_no: str
    statement_no: str
    statement_date: date | None
    balance_last_statement: Decimal
    statement_ending_balance: Decimal
    status: str
    line_count: int = 0
    matched_count: int = 0
    total_amount: Decimal = ZERO  # Σ statement amounts
    total_applied: Decimal = ZERO  # Σ applied amounts
    total_difference: Decimal = ZERO
    version: int = 1

    @property
    def total_balance(self) -> Decimal:
        """BC's Total Balance: balance last statement + Σ statement amounts."""
        return self.balance_last_statement + self.total_amount


@dataclass(frozen=True)
class BankEntryView:
    """An open (or just matched) bank ledger entry as the right pane shows it."""

    entry_no: int
    posting_date: date
    document_type: str
    document_no: str
    external_document_no: str
    description: str
    amount: Decimal
    remaining_amount: Decimal
    statement_status: str
    statement_no: str
    check_no: str = ""
    matched_here: bool = False
    matched_elsewhere: str = ""  # statement no. of another open reconciliation


@dataclass(frozen=True)
class AutoSummary:
    rec: RecView
    matched_lines: int
    matched_entries: int
    by_kind: dict[str, int]


@dataclass(frozen=True)
class TransferDraft:
    """The general-journal line Transfer to General Journal prefills from a line."""

    line_id: int
    posting_date: date
    bank_account_no: str
    amount: Decimal
    document_no: str
    description: str
    bal_gl_account_no: str


@dataclass(frozen=True)
class OutstandingItem:
    entry_no: int
    posting_date: date
    document_type: str
    document_no: str
    description: str
    amount: Decimal  # remaining at the date
    check_no: str = ""


@dataclass(frozen=True)
class Outstanding:
    bank_account_no: str
    at: date
    transactions: tuple[OutstandingItem, ...]
    checks: tuple[OutstandingItem, ...]

    @property
    def transactions_total(self) -> Decimal:
        return sum((i.amount for i in self.transactions), ZERO)

    @property
    def checks_total(self) -> Decimal:
        return sum((i.amount for i in self.checks), ZERO)


@dataclass(frozen=True)
class TestReport:
    """BC's Bank Acc. Recon. - Test report (§6)."""

    __test__ = False  # not a pytest class

    rec: RecView
    statement_date: date | None
    gl_balance: Decimal  # of the bank's G/L account at the statement date
    sum_of_differences: Decimal
    outstanding_transactions: Decimal
    outstanding_checks: Decimal
    unmatched_lines: int
    warnings: tuple[str, ...]
    outstanding: Outstanding | None

    @property
    def bank_account_balance(self) -> Decimal:
        """Statement ending balance + outstanding transactions + outstanding checks."""
        return (self.rec.statement_ending_balance + self.outstanding_transactions
                + self.outstanding_checks)


@dataclass(frozen=True)
class PostedStatementView:
    id: int
    bank_account_no: str
    statement_no: str
    statement_date: date
    balance_last_statement: Decimal
    statement_ending_balance: Decimal
    line_count: int
    posted_at: str
    user: str


@dataclass(frozen=True)
class PostedLineView:
    line_no: int
    transaction_date: date
    amount: Decimal
    text: str
    match: str
    entry_nos: tuple[int, ...]


@dataclass(frozen=True)
class PostResult:
    statement: PostedStatementView
    closed_entries: tuple[int, ...]
    closed_checks: tuple[int, ...]
    message: str


@dataclass(frozen=True)
class CheckView:
    entry_no: int
    bank_account_no: str
    bank_entry_no: int
    check_no: str
    check_date: date
    amount: Decimal
    status: str
    statement_status: str
    open: bool
