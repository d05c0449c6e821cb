"""Tables of imported bank statements and their staged lines (see core.statements.importer).

``StatementImport`` is one statement of one imported file: where it came from (file
name and SHA-256), what the bank said about it (id, dates, balances) and what the
import did (line counts, who, when). ``BankStatementLine`` is one staged bank line,
the raw material of the payment reconciliation journal.

Duplicate safety lives in the schema, not only in the service: a line's ``dedup_key``
is derived from the bank's reference when there is one, else from its content (date,
amount, counterparty, remittance); ``occurrence`` numbers identical keys within a
statement (two genuinely identical payments of the day are occurrence 1 and 2). The
unique constraint on (bank account, dedup_key, occurrence) makes a second copy of a
line impossible, even when two clerks import the same file at the same moment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NotRequired, TypedDict

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ledger.models import money_field

LINE_STATUSES = ("new", "in_journal", "posted", "reconciled")


class StatementImport(SQLModel, table=True):
    """One statement of one imported file, with what the import did with it."""

    __tablename__ = "statementimport"
    __table_args__ = (
        Index("ix_si_bank_closing", "bank_account_no", "closing_date"),
        Index("ix_si_sha", "file_sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_no: str = Field(foreign_key="bankaccount.no", max_length=20)
    file_name: str = Field(max_length=255)
    file_sha256: str = Field(max_length=64)
    format: str = Field(default="", max_length=20)
    statement_index: int = 1  # position of the statement in the file (1-based)
    statement_id: str = Field(default="", max_length=100)
    sequence: str = Field(default="", max_length=40)
    statement_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    currency: str = Field(default="", max_length=3)
    opening_balance: int | None = Field(default=None, sa_column=Column(BigInteger,
                                                                       nullable=True))
    opening_date: date | None = None
    closing_balance: int | None = Field(default=None, sa_column=Column(BigInteger,
                                                                       nullable=True))
    closing_date: date | None = None
    lines_total: int = 0
    lines_new: int = 0
    lines_duplicate: int = 0
    lines_suspicious: int = 0  # imported, but flagged as possible duplicates
    lines_skipped: int = 0  # pending/informational entries and skipped suspicious lines
    warnings: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    imported_at: datetime
    user_id: str = Field(default="", max_length=100)


class StatementLineValues(TypedDict):
    """A ``BankStatementLine`` as the statement preview builds it (all but ``id`` and
    ``import_id``); ``occurrence`` is numbered once the statement's lines are known."""

    bank_account_no: str
    line_no: int
    entry_no: int
    booking_date: date
    value_date: date | None
    amount: int
    currency: str
    bank_transaction_code: str
    bank_reference: str
    end_to_end_id: str
    mandate_id: str
    creditor_id: str
    counterparty_name: str
    counterparty_iban: str
    counterparty_bic: str
    counterparty_address: str
    remittance: str
    references_json: str
    check_number: str
    reversal: bool
    returned: bool
    return_reason: str
    batch_ref: str
    entry_reference: str
    bank_status: str
    bank_text: str
    raw: str
    dedup_key: str
    content_key: str
    status: str
    version: int
    suspect_reason: str
    occurrence: NotRequired[int]


class StatementLineRow(StatementLineValues):
    """A ``BankStatementLine`` as the import bulk-inserts it."""

    import_id: int


class BankStatementLine(SQLModel, table=True):
    """One staged bank line; the payment reconciliation journal turns it into a
    journal line (status ``new`` -> ``in_journal`` -> ``posted`` -> ``reconciled``)."""

    __tablename__ = "bankstatementline"
    __table_args__ = (
        UniqueConstraint("bank_account_no", "dedup_key", "occurrence", name="uq_bsl_dedup"),
        Index("ix_bsl_bank_ref", "bank_account_no", "bank_reference"),
        Index("ix_bsl_bank_key", "bank_account_no", "dedup_key"),
        Index("ix_bsl_bank_content", "bank_account_no", "content_key"),
        Index("ix_bsl_bank_date", "bank_account_no", "booking_date"),
        Index("ix_bsl_bank_status", "bank_account_no", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_no: str = Field(foreign_key="bankaccount.no", max_length=20)
    import_id: int = Field(foreign_key="statementimport.id", index=True)
    line_no: int  # 1-based position in the statement as sent (gaps = skipped duplicates)
    entry_no: int = 0  # the parser's entry number (CAMT Ntry, OFX STMTTRN), 0 = none
    booking_date: date
    value_date: date | None = None
    amount: int = money_field()  # minor units, positive = money received
    currency: str = Field(default="", max_length=3)
    bank_transaction_code: str = Field(default="", max_length=100)
    bank_reference: str = Field(default="", max_length=140)
    end_to_end_id: str = Field(default="", max_length=140)
    mandate_id: str = Field(default="", max_length=140)
    creditor_id: str = Field(default="", max_length=140)
    counterparty_name: str = Field(default="", max_length=255)
    counterparty_iban: str = Field(default="", max_length=50)
    counterparty_bic: str = Field(default="", max_length=20)
    counterparty_address: str = Field(default="", sa_column=Column(Text, nullable=False,
                                                                   default=""))
    remittance: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    references_json: str = Field(default="[]", sa_column=Column(Text, nullable=False,
                                                                default="[]"))
    check_number: str = Field(default="", max_length=40)
    reversal: bool = False
    returned: bool = False
    return_reason: str = Field(default="", max_length=40)
    batch_ref: str = Field(default="", max_length=35)  # direct debit batch (PmtInfId)
    entry_reference: str = Field(default="", max_length=140)
    bank_status: str = Field(default="", max_length=20)
    bank_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    raw: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    dedup_key: str = Field(max_length=40)
    content_key: str = Field(max_length=40)
    occurrence: int = 1
    suspect_reason: str = Field(default="", sa_column=Column(Text, nullable=False,
                                                             default=""))
    status: str = Field(default="new", max_length=20)
    version: int = 1
