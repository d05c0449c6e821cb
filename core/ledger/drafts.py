"""Plain values that cross the service boundary: drafts going in, views coming out.

Screens and the command line build drafts and read views; they never see ORM rows.
Amounts are Decimal in the BC sign convention (customer invoice positive, customer
payment negative; vendor invoice negative, vendor payment positive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.i18n import NP_

ACCOUNT_TYPES = ("gl_account", "customer", "vendor", "bank_account")
DOCUMENT_TYPES = ("", "payment", "invoice", "credit_memo", "refund", "finance_charge_memo",
                  "reminder")
PARTY_TYPES = ("customer", "vendor")
# the stored codes as a clerk reads them inside a sentence (lower case)
PARTY_WORDS = {"customer": NP_("party type", "customer"), "vendor": NP_("party type", "vendor")}
DOCUMENT_WORDS = {"": NP_("document type", "entry"), "payment": NP_("document type", "payment"),
                  "invoice": NP_("document type", "invoice"),
                  "credit_memo": NP_("document type", "credit memo"),
                  "refund": NP_("document type", "refund"),
                  "finance_charge_memo": NP_("document type", "finance charge memo"),
                  "reminder": NP_("document type", "reminder")}


# at the start of a sentence or as a record's name ("Customer C00010")
PARTY_TITLES = {"customer": NP_("party type title", "Customer"),
                "vendor": NP_("party type title", "Vendor")}


def party_title(code: str) -> str:
    """``customer`` -> ``Customer`` / ``Client``: a lazy text worded when shown."""
    return PARTY_TITLES.get(code, code.title())


def party_word(code: str) -> str:
    """``customer`` -> the word in the current language (a code it does not know as is)."""
    return str(PARTY_WORDS.get(code, code))


def document_word(code: str) -> str:
    return str(DOCUMENT_WORDS.get(code, code.replace("_", " ")))


@dataclass(frozen=True)
class LineDraft:
    """One general-journal line to post (BC Gen. Journal Line)."""

    posting_date: date
    account_type: str
    account_no: str
    amount: Decimal
    document_type: str = ""
    document_no: str = ""
    external_document_no: str = ""
    description: str = ""
    bal_account_type: str = ""
    bal_account_no: str = ""
    document_date: date | None = None
    due_date: date | None = None
    pmt_discount_date: date | None = None
    pmt_disc_possible: Decimal | None = None
    payment_reference: str = ""
    currency: str = ""
    applies_to_doc_type: str = ""
    applies_to_doc_no: str = ""
    applies_to_id: str = ""
    payment_terms_code: str | None = None
    payment_method: str = ""  # '' | check (the document no. is the check no.)
    ref: str = ""  # how error messages name this line, e.g. "line 3" or "row 17"


@dataclass(frozen=True)
class DocumentLineDraft:
    gl_account_no: str
    amount_excl_vat: Decimal
    vat_pct: Decimal = Decimal("0")
    description: str = ""


@dataclass(frozen=True)
class DocumentDraft:
    """A simple sales/purchase invoice or credit memo: header plus G/L lines."""

    party_type: str
    party_no: str
    document_type: str  # invoice | credit_memo
    posting_date: date
    lines: tuple[DocumentLineDraft, ...]
    document_no: str = ""  # blank: next number of the series
    document_date: date | None = None
    external_document_no: str = ""
    payment_reference: str = ""
    description: str = ""
    due_date: date | None = None


@dataclass(frozen=True)
class GLEntryView:
    entry_no: int
    transaction_no: int
    gl_account_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class LedgerEntryView:
    entry_no: int
    party_type: str
    party_no: str
    party_name: str
    posting_date: date
    document_type: str
    document_no: str
    external_document_no: str
    description: str
    amount: Decimal
    remaining_amount: Decimal
    open: bool
    due_date: date | None
    pmt_discount_date: date | None
    remaining_pmt_disc_possible: Decimal
    max_payment_tolerance: Decimal
    payment_reference: str = ""
    closed_by_entry_no: int | None = None
    closed_at_date: date | None = None
    reversed: bool = False
    applies_to_id: str = ""
    amount_to_apply: Decimal = Decimal("0")
    transaction_no: int = 0


@dataclass(frozen=True)
class DetailedEntryView:
    entry_no: int
    ledger_entry_no: int
    entry_type: str
    posting_date: date
    document_type: str
    document_no: str
    amount: Decimal
    applied_ledger_entry_no: int | None
    application_no: int | None
    unapplied: bool
    transaction_no: int = 0


@dataclass(frozen=True)
class BankEntryView:
    entry_no: int
    bank_account_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    amount: Decimal
    remaining_amount: Decimal
    open: bool
    statement_status: str
    statement_no: str
    transaction_no: int = 0


@dataclass(frozen=True)
class PostingResult:
    """What a posting wrote (or, for a preview, would write)."""

    register_no: int
    transaction_nos: tuple[int, ...]
    document_nos: tuple[str, ...]
    gl_entries: tuple[GLEntryView, ...] = ()
    ledger_entries: tuple[LedgerEntryView, ...] = ()
    detailed_entries: tuple[DetailedEntryView, ...] = ()
    bank_entries: tuple[BankEntryView, ...] = ()
    messages: tuple[str, ...] = field(default=())
