"""The read side's plain values: page requests, filters, pages and the views of lists
and cards. Frozen dataclasses only; nothing here touches a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Key = tuple[Any, ...]
"""A row's position in a sort order: the sort columns' values, ending with a unique id."""


@dataclass(frozen=True)
class PageRequest:
    """Where a keyset page starts. With neither key: the first page, or the last page
    when ``from_end``. ``after``: the rows following that key; ``before``: the rows
    preceding it (returned in display order)."""

    after: Key | None = None
    before: Key | None = None
    from_end: bool = False
    limit: int = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list in display order, with each row's key for the next request."""

    rows: tuple[T, ...]
    keys: tuple[Key, ...]
    more_before: bool
    more_after: bool

    @staticmethod
    def whole(rows: tuple[T, ...]) -> Page[T]:
        """A short list returned in one page (keys are the row positions)."""
        return Page(rows, tuple((i,) for i in range(len(rows))), False, False)


@dataclass(frozen=True)
class LedgerFilter:
    """Filters of a customer or vendor ledger entries list.

    ``overdue_as_of``: only open entries due before that day. ``text``: matched
    against document no. (prefix), external document no. and description (anywhere).
    ``from_entry_no``/``to_entry_no``: an entry-number range (a register's entries).
    """

    party_type: str = "customer"
    party_no: str = ""
    open_only: bool = False
    overdue_as_of: date | None = None
    date_from: date | None = None
    date_to: date | None = None
    document_type: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    text: str = ""
    from_entry_no: int | None = None
    to_entry_no: int | None = None


@dataclass(frozen=True)
class GLFilter:
    gl_account_no: str = ""
    date_from: date | None = None
    date_to: date | None = None
    document_type: str = ""
    text: str = ""
    from_entry_no: int | None = None
    to_entry_no: int | None = None


@dataclass(frozen=True)
class BankFilter:
    bank_account_no: str = ""
    open_only: bool = False
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    from_entry_no: int | None = None
    to_entry_no: int | None = None


@dataclass(frozen=True)
class PartyFilter:
    party_type: str = "customer"
    text: str = ""  # no. or name, prefix of the no., anywhere in the name
    blocked_only: bool = False


# --- views -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BankFigure:
    no: str
    name: str
    balance: Decimal
    open_entries: int
    statement_lines: int = 0  # unreconciled statement lines: the statement import adds it


@dataclass(frozen=True)
class HomeFigures:
    company_name: str
    currency: str
    as_of: date
    open_receivables: Decimal
    overdue_receivables: Decimal
    overdue_count: int
    open_payables: Decimal
    banks: tuple[BankFigure, ...]


@dataclass(frozen=True)
class PartyRow:
    party_type: str
    no: str
    name: str
    city: str
    country: str
    blocked: str
    balance: Decimal
    overdue: Decimal


@dataclass(frozen=True)
class PartyBankAccountView:
    code: str
    iban: str
    bic: str
    bank_account_no: str
    name: str


@dataclass(frozen=True)
class PartyCard:
    party_type: str
    no: str
    name: str
    address: str
    post_code: str
    city: str
    country: str
    email: str
    vat_no: str
    payment_terms_code: str
    posting_group: str
    currency: str
    blocked: str
    privacy_blocked: bool
    application_method: str
    version: int
    balance: Decimal
    overdue: Decimal
    open_entries: int
    bank_accounts: tuple[PartyBankAccountView, ...] = field(default=())
    block_payment_tolerance: bool = False


@dataclass(frozen=True)
class AccountRow:
    """A chart-of-accounts row; headings carry the total of the accounts under them."""

    no: str
    name: str
    account_type: str
    category: str
    balance: Decimal
    blocked: bool


@dataclass(frozen=True)
class BankAccountRow:
    no: str
    name: str
    iban: str
    currency: str
    gl_account_no: str
    balance: Decimal
    open_entries: int
    blocked: bool
    last_statement_no: str = ""  # of the last reconciled statement
    balance_last_statement: Decimal = Decimal(0)


@dataclass(frozen=True)
class RegisterRow:
    no: int
    created_at_text: str
    user_id: str
    source_code: str
    journal_batch: str
    from_gl_entry_no: int
    to_gl_entry_no: int
    from_entry_no: int
    to_entry_no: int
    from_bank_entry_no: int
    to_bank_entry_no: int
    reversed: bool


@dataclass(frozen=True)
class DocumentLineView:
    line_no: int
    gl_account_no: str
    description: str
    amount_excl_vat: Decimal
    vat_pct: str
    vat_amount: Decimal


@dataclass(frozen=True)
class PostedDocumentView:
    party_type: str
    party_no: str
    party_name: str
    document_type: str
    document_no: str
    external_document_no: str
    posting_date: date
    document_date: date
    due_date: date | None
    currency: str
    amount_excl_vat: Decimal
    vat_amount: Decimal
    amount_incl_vat: Decimal
    lines: tuple[DocumentLineView, ...]


@dataclass(frozen=True)
class SearchHit:
    """A command-palette hit: ``kind`` is customer | vendor | document."""

    kind: str
    key: str  # party no. or ledger entry no. (as text)
    title: str
    detail: str
    party_type: str = ""

