"""Tables of the Payment Reconciliation Journal (see core.reconciliation.service).

``ReconJournal`` is BC's "Bank Acc. Reconciliation" header of type Payment Application:
one open journal per bank account, numbered with the next statement no. ``ReconLine``
is a statement line (made from a staged ``BankStatementLine`` or by hand) with the
account it is applied to, the match confidence, score, evidence and difference.
``AppliedPaymentEntry`` holds the applications of a line (BC table 1294): an entry of
the line's one account, or none (``applies_to_entry_no`` NULL = unapplied amount on the
account, e.g. a text mapping or a transferred difference). ``PaymentApplicationRule``
and ``TextToAccountMapping`` are BC's editable rule and mapping tables.
``PostedStatement`` / ``PostedStatementLine`` keep what was posted (BC's posted
payment reconciliation and bank statement).

Money columns are integer minor units in the statement sign (positive = received).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ledger.models import money_field

JOURNAL_STATUSES = ("open", "posted")
CONFIDENCES = ("none", "low", "medium", "high", "high_text_mapping", "manual", "accepted")


def _text(default: str = "") -> Any:
    return Field(default=default, sa_column=Column(Text, nullable=False, default=default))


class ReconJournal(SQLModel, table=True):
    """A payment reconciliation journal of one bank account (one statement)."""

    __tablename__ = "reconjournal"
    __table_args__ = (
        UniqueConstraint("bank_account_no", "statement_no", name="uq_rj_statement"),
        Index("ix_rj_bank_status", "bank_account_no", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_no: str = Field(foreign_key="bankaccount.no", max_length=20)
    statement_no: str = Field(max_length=20)
    statement_date: date | None = None
    statement_ending_balance: int | None = Field(
        default=None, sa_column=Column(BigInteger, nullable=True))
    status: str = Field(default="open", max_length=10)
    created_at: datetime
    user: str = Field(default="", max_length=100)
    posted_at: datetime | None = None
    version: int = 1


class ReconLine(SQLModel, table=True):
    """One statement line of a payment reconciliation journal."""

    __tablename__ = "reconline"
    __table_args__ = (
        UniqueConstraint("journal_id", "line_no", name="uq_rl_line"),
    )

    id: int | None = Field(default=None, primary_key=True)
    journal_id: int = Field(foreign_key="reconjournal.id", index=True)
    line_no: int
    statement_line_id: int | None = Field(default=None, foreign_key="bankstatementline.id",
                                          index=True)
    transaction_date: date
    value_date: date | None = None
    transaction_text: str = _text()
    additional_info: str = _text()
    description: str = Field(default="", max_length=250)
    amount: int = money_field()
    related_party_name: str = Field(default="", max_length=255)
    related_party_address: str = Field(default="", max_length=255)
    related_party_city: str = Field(default="", max_length=100)
    related_party_iban: str = Field(default="", max_length=50)
    payment_reference: str = Field(default="", max_length=140)
    referred_documents: str = _text()  # newline-separated structured references
    transaction_id: str = Field(default="", max_length=140)  # the bank's reference
    account_type: str = Field(default="", max_length=20)  # '' | customer | vendor | ...
    account_no: str = Field(default="", max_length=20)
    match_confidence: str = Field(default="none", max_length=20)
    score: int = 0
    review_required: bool = False
    difference: int = money_field()  # amount - applied_amount
    applied_amount: int = money_field()  # sum of (applied - discount): the cash used
    parent_line_no: int | None = None  # split by Transfer Difference to Account
    details_json: str = _text("[]")
    alternatives_json: str = _text("[]")
    status: str = Field(default="open", max_length=10)  # open | posted
    claimed_by: str = Field(default="", max_length=100)
    claimed_at: datetime | None = None
    version: int = 1


class ReconLineRow(TypedDict):
    """One ``ReconLine`` as the journal bulk-inserts it (every column but ``id``)."""

    journal_id: int
    line_no: int
    statement_line_id: int | None
    transaction_date: date
    value_date: date | None
    transaction_text: str
    additional_info: str
    description: str
    amount: int
    related_party_name: str
    related_party_address: str
    related_party_city: str
    related_party_iban: str
    payment_reference: str
    referred_documents: str
    transaction_id: str
    account_type: str
    account_no: str
    match_confidence: str
    score: int
    review_required: bool
    difference: int
    applied_amount: int
    parent_line_no: int | None
    details_json: str
    alternatives_json: str
    status: str
    claimed_by: str
    claimed_at: datetime | None
    version: int


class AppliedPaymentEntry(SQLModel, table=True):
    """One application of a statement line (BC "Applied Payment Entry")."""

    __tablename__ = "appliedpaymententry"
    __table_args__ = (
        Index("ix_ape_entry", "account_type", "applies_to_entry_no"),
    )

    id: int | None = Field(default=None, primary_key=True)
    journal_id: int = Field(foreign_key="reconjournal.id", index=True)
    line_id: int = Field(foreign_key="reconline.id", index=True)
    account_type: str = Field(max_length=20)
    account_no: str = Field(max_length=20)
    applies_to_entry_no: int | None = None  # NULL: unapplied amount on the account
    document_type: str = Field(default="", max_length=30)
    document_no: str = Field(default="", max_length=50)
    applied_amount: int = money_field()  # statement sign, discount included
    applied_pmt_discount: int = money_field()
    quality: int = 0  # the score
    match_confidence: str = Field(default="none", max_length=20)
    entry_version: int = 0  # version of the ledger entry when applied (conflict check)


class AppliedEntryRow(TypedDict):
    """One ``AppliedPaymentEntry`` as Apply Automatically bulk-inserts it."""

    journal_id: int
    line_id: int
    account_type: str | None
    account_no: str | None
    applies_to_entry_no: int | None
    document_type: str
    document_no: str
    applied_amount: int
    applied_pmt_discount: int
    quality: int
    match_confidence: str
    entry_version: int


class PaymentApplicationRule(SQLModel, table=True):
    """BC "Bank Pmt. Appl. Rule" (§3.1); the defaults are inserted on first use."""

    __tablename__ = "paymentapplicationrule"

    match_confidence: str = Field(primary_key=True, max_length=10)  # low | medium | high
    priority: int = Field(primary_key=True)
    related_party: str = Field(default="not_considered", max_length=20)
    doc_no: str = Field(default="not_considered", max_length=20)
    amount: str = Field(default="not_considered", max_length=20)
    direct_debit: str = Field(default="not_considered", max_length=20)
    review_required: bool = False
    apply_immediately: bool = False


class TextToAccountMapping(SQLModel, table=True):
    """BC "Text-to-Account Mapping" (§4)."""

    __tablename__ = "texttoaccountmapping"

    id: int | None = Field(default=None, primary_key=True)
    mapping_text: str = Field(max_length=250, unique=True)
    debit_acc_no: str = Field(default="", max_length=20)
    credit_acc_no: str = Field(default="", max_length=20)
    bal_source_type: str = Field(default="gl_account", max_length=20)
    bal_source_no: str = Field(default="", max_length=20)


class PostedStatement(SQLModel, table=True):
    """A posted payment reconciliation (and, when reconciled, the bank statement)."""

    __tablename__ = "postedstatement"
    __table_args__ = (
        UniqueConstraint("bank_account_no", "statement_no", name="uq_ps_statement"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_no: str = Field(foreign_key="bankaccount.no", max_length=20)
    statement_no: str = Field(max_length=20)
    statement_date: date
    reconciled: bool = False
    balance_last_statement: int = money_field()
    statement_ending_balance: int = money_field()
    posted_at: datetime
    user: str = Field(default="", max_length=100)
    register_no: int | None = None


class PostedStatementLine(SQLModel, table=True):
    """A posted statement line with its applications (JSON)."""

    __tablename__ = "postedstatementline"

    id: int | None = Field(default=None, primary_key=True)
    posted_statement_id: int = Field(foreign_key="postedstatement.id", index=True)
    line_no: int
    statement_line_id: int | None = Field(default=None, foreign_key="bankstatementline.id")
    transaction_date: date
    value_date: date | None = None
    transaction_text: str = _text()
    amount: int = money_field()
    applied_amount: int = money_field()
    account_type: str = Field(default="", max_length=20)
    account_no: str = Field(default="", max_length=20)
    related_party_name: str = Field(default="", max_length=255)
    transaction_id: str = Field(default="", max_length=140)
    match_confidence: str = Field(default="none", max_length=20)
    parent_line_no: int | None = None
    bank_entry_no: int | None = None
    applications_json: str = _text("[]")


class PostedLineRow(TypedDict):
    """One ``PostedStatementLine`` as posting the journal bulk-inserts it."""

    posted_statement_id: int
    line_no: int
    statement_line_id: int | None
    transaction_date: date
    value_date: date | None
    transaction_text: str
    amount: int
    applied_amount: int
    account_type: str
    account_no: str
    related_party_name: str
    transaction_id: str
    match_confidence: str
    parent_line_no: int | None
    bank_entry_no: int | None
    applications_json: str


class PaymentApplicationSettings(SQLModel, table=True):
    """BC "Bank Pmt. Appl. Settings" (§3.3): one row (id 1), the defaults until saved."""

    __tablename__ = "paymentapplicationsettings"

    id: int = Field(default=1, primary_key=True)
    customer_matching: bool = True
    vendor_matching: bool = True
    bank_ledger_matching: bool = True
    # string_nearness | exact_with_permutations | disabled
    name_matching: str = Field(default="string_nearness", max_length=30)
    bank_closing_doc_no_match: bool = False
    apply_immediately: bool = False
    # Beyond BC (core/matching/amount_cases.py), on by default.
    apply_underpayments: bool = True
    apply_overpayments: bool = True
    complete_lumps: bool = True
    version: int = 1
