"""Tables of the Bank Account Reconciliation (BC "Bank Acc. Reconciliation", §6).

``BankRec`` is one reconciliation of one bank account (several may be open): statement
no., statement date, balance last statement and statement ending balance.
``BankRecLine`` is a statement line, made from an imported ``BankStatementLine`` or by
Suggest Lines from an open bank ledger entry. ``BankRecMatch`` links a line to a bank
ledger entry: one line to n entries (a deposit slip) or n lines to one entry (an entry
the bank cleared in two parts), never n to n. ``CheckLedgerEntry`` is BC's check ledger
entry beside the bank entry of a check payment. ``BankStatement`` /
``BankStatementPostedLine`` keep a posted reconciliation (BC "Bank Account Statement").

Money columns are integer minor units in the statement sign (positive = received).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ledger.models import money_field

REC_STATUSES = ("open", "posted")
MATCH_KINDS = ("none", "one_to_one", "many_to_one", "one_to_many", "manual")
# BC "Entry Status" of a check ledger entry, in the words of the issue.
CHECK_STATUSES = ("posted", "voided", "financially_voided", "applied")


def _text(default: str = "") -> Any:
    return Field(default=default, sa_column=Column(Text, nullable=False, default=default))


class BankRec(SQLModel, table=True):
    """One bank account reconciliation (header)."""

    __tablename__ = "bankrec"
    __table_args__ = (
        UniqueConstraint("bank_account_no", "statement_no", name="uq_br_statement"),
        Index("ix_br_bank_status", "bank_account_no", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_no: str = Field(foreign_key="bankaccount.no", max_length=20)
    statement_no: str = Field(max_length=20)
    statement_date: date | None = None
    balance_last_statement: int = money_field()
    statement_ending_balance: int = money_field()
    status: str = Field(default="open", max_length=10)
    created_at: datetime
    user: str = Field(default="", max_length=100)
    version: int = 1


class BankRecLine(SQLModel, table=True):
    """One statement line of a bank account reconciliation."""

    __tablename__ = "bankrecline"
    __table_args__ = (
        UniqueConstraint("rec_id", "line_no", name="uq_brl_line"),
        Index("ix_brl_statement_line", "statement_line_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rec_id: int = Field(foreign_key="bankrec.id", index=True)
    line_no: int
    statement_line_id: int | None = Field(default=None, foreign_key="bankstatementline.id")
    suggested_entry_no: int | None = None  # Suggest Lines: the entry it came from
    transaction_date: date
    value_date: date | None = None
    transaction_id: str = Field(default="", max_length=140)  # the bank's reference
    description: str = _text()
    related_party_name: str = Field(default="", max_length=255)
    additional_info: str = _text()
    document_no: str = Field(default="", max_length=50)
    check_no: str = Field(default="", max_length=40)
    amount: int = money_field()
    applied_amount: int = money_field()
    difference: int = money_field()  # amount - applied_amount
    match_kind: str = Field(default="none", max_length=20)
    details_json: str = _text("[]")
    version: int = 1


class StatementLineFields(TypedDict):
    """The fields an open reconciliation line and its posted copy share."""

    line_no: int
    statement_line_id: int | None
    suggested_entry_no: int | None
    transaction_date: date
    value_date: date | None
    transaction_id: str
    description: str
    related_party_name: str
    additional_info: str
    document_no: str
    check_no: str
    amount: int
    applied_amount: int
    match_kind: str
    details_json: str


class BankRecLineRow(StatementLineFields):
    """One ``BankRecLine`` as a statement import bulk-inserts it (the id comes from the
    database)."""

    rec_id: int
    difference: int
    version: int


class LineMatchUpdate(TypedDict):
    """The match result Match Automatically writes back to one ``BankRecLine``."""

    id: int
    match_kind: str
    details_json: str
    applied_amount: int
    difference: int


class BankRecMatch(SQLModel, table=True):
    """A line matched to a bank ledger entry."""

    __tablename__ = "bankrecmatch"
    __table_args__ = (
        UniqueConstraint("line_id", "entry_no", name="uq_brm_pair"),
        Index("ix_brm_entry", "entry_no"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rec_id: int = Field(foreign_key="bankrec.id", index=True)
    line_id: int = Field(foreign_key="bankrecline.id", index=True)
    entry_no: int = Field(foreign_key="bankledgerentry.entry_no")


class BankRecMatchRow(TypedDict):
    """One ``BankRecMatch`` as matching bulk-inserts it."""

    rec_id: int
    line_id: int
    entry_no: int


class CheckLedgerEntry(SQLModel, table=True):
    """BC "Check Ledger Entry": a check paid from a bank account, beside its bank entry."""

    __tablename__ = "checkledgerentry"
    __table_args__ = (
        Index("ix_cle_bank_check", "bank_account_no", "check_no"),
        Index("ix_cle_bank_entry", "bank_entry_no"),
    )

    entry_no: int = Field(primary_key=True)
    bank_account_no: str = Field(foreign_key="bankaccount.no", max_length=20)
    bank_entry_no: int = Field(foreign_key="bankledgerentry.entry_no")
    posting_date: date
    check_date: date
    check_no: str = Field(max_length=40)
    document_no: str = Field(default="", max_length=50)
    description: str = Field(default="", max_length=250)
    amount: int = money_field()  # the check's amount, positive
    bal_account_type: str = Field(default="", max_length=20)
    bal_account_no: str = Field(default="", max_length=20)
    status: str = Field(default="posted", max_length=20)
    open: bool = True
    statement_status: str = Field(default="open", max_length=20)  # open | applied | closed
    statement_no: str = Field(default="", max_length=20)
    void_bank_entry_no: int | None = None  # the bank entry a financial void posted
    version: int = 1


class CheckLedgerEntryRow(TypedDict):
    """One ``CheckLedgerEntry`` as a posting with check lines bulk-inserts it."""

    entry_no: int
    bank_account_no: str
    bank_entry_no: int
    posting_date: date
    check_date: date
    check_no: str
    document_no: str
    description: str
    amount: int
    bal_account_type: str
    bal_account_no: str
    status: str
    open: bool
    statement_status: str
    statement_no: str
    void_bank_entry_no: int | None
    version: int


class BankEntryClosing(TypedDict):
    """What posting a bank reconciliation writes to each bank ledger entry it closes
    (an ORM bulk UPDATE by entry no.)."""

    entry_no: int
    open: bool
    remaining_amount: int
    statement_status: str
    statement_no: str
    statement_line_no: int
    closed_at_date: date
    version: int


class BankStatement(SQLModel, table=True):
    """A posted bank account reconciliation (BC "Bank Account Statement")."""

    __tablename__ = "bankstatement"
    __table_args__ = (
        UniqueConstraint("bank_account_no", "statement_no", name="uq_bs_statement"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_no: str = Field(foreign_key="bankaccount.no", max_length=20)
    statement_no: str = Field(max_length=20)
    statement_date: date
    balance_last_statement: int = money_field()
    statement_ending_balance: int = money_field()
    previous_statement_no: str = Field(default="", max_length=20)
    posted_at: datetime
    user: str = Field(default="", max_length=100)


class BankStatementPostedLine(SQLModel, table=True):
    """A line of a posted bank account statement with the entries it closed."""

    __tablename__ = "bankstatementpostedline"

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="bankstatement.id", index=True)
    line_no: int
    statement_line_id: int | None = Field(default=None, foreign_key="bankstatementline.id")
    suggested_entry_no: int | None = None
    transaction_date: date
    value_date: date | None = None
    transaction_id: str = Field(default="", max_length=140)
    description: str = _text()
    related_party_name: str = Field(default="", max_length=255)
    additional_info: str = _text()
    document_no: str = Field(default="", max_length=50)
    check_no: str = Field(default="", max_length=40)
    amount: int = money_field()
    applied_amount: int = money_field()
    match_kind: str = Field(default="none", max_length=20)
    entry_nos: str = _text("[]")  # JSON list of the bank entries it closed
    details_json: str = _text("[]")


class PostedLineRow(StatementLineFields):
    """One ``BankStatementPostedLine`` as posting a reconciliation bulk-inserts it."""

    statement_id: int
    entry_nos: str


__all__ = [
    "BankEntryClosing",
    "BankRec",
    "BankRecLine",
    "BankRecLineRow",
    "BankRecMatch",
    "BankRecMatchRow",
    "BankStatement",
    "BankStatementPostedLine",
    "CheckLedgerEntry",
    "CheckLedgerEntryRow",
    "LineMatchUpdate",
    "PostedLineRow",
]
