"""Plain values of the Payment Reconciliation Journal service (what screens get).

Amounts are Decimal in the statement sign: positive = money received. An application's
``applied_amount`` includes the payment discount; the cash it takes from the line is
``applied_amount - pmt_discount``. ``difference`` = amount - Σ cash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.ledger.drafts import PostingResult

REVIEW_ORDER = {"none": 0, "low": 1, "medium": 2, "manual": 3, "high_text_mapping": 4,
                "high": 5, "accepted": 6}


@dataclass(frozen=True)
class AppliedView:
    """One application of a line (BC Applied Payment Entry)."""

    account_type: str
    account_no: str
    entry_no: int | None  # None: unapplied amount on the account
    document_type: str
    document_no: str
    applied_amount: Decimal
    pmt_discount: Decimal
    confidence: str
    score: int

    @property
    def cash(self) -> Decimal:
        return self.applied_amount - self.pmt_discount


@dataclass(frozen=True)
class AlternativeView:
    """A candidate the matcher did not choose (for the review page)."""

    summary: str
    score: int
    entry_nos: tuple[int, ...] = ()


@dataclass(frozen=True)
class LineView:
    """A statement line of the journal with its application."""

    id: int
    journal_id: int
    line_no: int
    transaction_date: date
    value_date: date | None
    text: str
    additional_info: str
    description: str
    amount: Decimal
    related_party_name: str
    related_party_address: str
    related_party_city: str
    related_party_iban: str
    payment_reference: str
    transaction_id: str
    account_type: str | None
    account_no: str | None
    account_name: str
    confidence: str
    score: int
    review_required: bool
    applied_amount: Decimal
    difference: Decimal
    parent_line_no: int | None
    status: str
    version: int
    applications: tuple[AppliedView, ...] = ()
    details: tuple[str, ...] = ()
    alternatives: tuple[AlternativeView, ...] = ()

    @property
    def needs_review(self) -> bool:
        return self.review_required or self.difference != 0

    @property
    def is_applied(self) -> bool:
        return bool(self.account_no)


@dataclass(frozen=True)
class JournalView:
    """A payment reconciliation journal with its totals and footer counters."""

    id: int
    bank_account_no: str
    bank_account_name: str
    statement_no: str
    statement_date: date | None
    statement_ending_balance: Decimal | None
    balance_last_statement: Decimal
    status: str
    version: int
    line_count: int
    applied_lines: int
    lines_to_review: int
    lines_with_difference: int
    total_amount: Decimal
    total_applied: Decimal
    total_difference: Decimal
    message: str = ""
    notifications: tuple[str, ...] = ()

    @property
    def ending_balance_from_lines(self) -> Decimal:
        """BC's test report: Balance Last Statement + Σ lines."""
        return self.balance_last_statement + self.total_amount


@dataclass(frozen=True)
class CandidateView:
    """An open entry on the Apply Manually (Payment Application) page."""

    account_type: str
    account_no: str
    account_name: str
    entry_no: int
    document_type: str
    document_no: str
    external_document_no: str
    description: str
    posting_date: date
    due_date: date | None
    remaining: Decimal
    remaining_incl_discount: Decimal
    pmt_discount_date: date | None
    applied_here: Decimal  # on this line (discount included)
    applied_elsewhere: Decimal  # on other lines of open journals
    available: Decimal  # remaining - applied elsewhere
    applied: bool
    match_details: str = ""


@dataclass(frozen=True)
class TransferResult:
    line: LineView
    new_line: LineView | None
    message: str


@dataclass(frozen=True)
class MappingView:
    id: int
    mapping_text: str
    debit_acc_no: str
    credit_acc_no: str
    bal_source_type: str
    bal_source_no: str


@dataclass(frozen=True)
class PostResult:
    """What posting the journal wrote (or, for a preview, would write)."""

    journal_id: int
    bank_account_no: str
    statement_no: str
    statement_date: date
    reconciled: bool
    preview: bool
    lines_posted: int
    total_amount: Decimal
    balance_last_statement: Decimal
    statement_ending_balance: Decimal
    register_no: int | None
    posting: PostingResult | None
    bank_entries_closed: tuple[int, ...]
    message: str


def amount_text(value: Decimal) -> str:
    """An amount as the JSON output writes it: a string with two decimals."""
    return f"{value:.2f}"


def line_json(v: LineView) -> dict[str, object]:
    """A line as ``lettrage reconcile apply-auto --json`` prints it."""
    return {
        "transaction_id": v.transaction_id,
        "transaction_date": v.transaction_date.isoformat(),
        "amount": amount_text(v.amount),
        "text": v.text,
        "related_party_name": v.related_party_name,
        "confidence": v.confidence,
        "review_required": v.review_required,
        "score": v.score,
        "account_type": v.account_type,
        "account_no": v.account_no,
        "applications": [{"entry_no": a.entry_no, "document_type": a.document_type,
                          "document_no": a.document_no,
                          "applied_amount": amount_text(a.applied_amount),
                          "pmt_discount": amount_text(a.pmt_discount)}
                         for a in v.applications],
        "details": list(v.details),
    }
