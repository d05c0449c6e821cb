"""The tables of a Lettrage company (SQLModel).

Money columns hold integer minor units (``BigInteger``), never ``Numeric`` or float:
SQLite stores ``Numeric`` as floating point. Convert with ``core.kernel.money.to_minor`` /
``from_minor`` at the service boundary; nothing outside ``core`` sees these rows.

Posted tables (``GLEntry``, ``LedgerEntry``, ``DetailedLedgerEntry``,
``BankLedgerEntry``, ``Register``) are written once by a posting. The only fields ever
updated afterwards are the open/remaining/closed/applies-to fields that applications
change (and ``reversed`` markers); rows are never deleted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

# the company table in its own module: reading the setup defines no other table
from core.ledger.company import Company as Company
from core.ledger.company import money_field as money_field


class GLAccount(SQLModel, table=True):
    no: str = Field(primary_key=True, max_length=20)
    name: str
    account_type: str = "posting"  # posting | heading | total
    income_balance: str = "balance"  # balance | income
    category: str = ""  # assets | liabilities | equity | income | expense
    direct_posting: bool = True
    blocked: bool = False


class NoSeries(SQLModel, table=True):
    """A number series. ``last_no`` is incremented inside the posting transaction, so a
    rolled-back posting leaves no gap and two clerks never get the same number."""

    code: str = Field(primary_key=True, max_length=20)
    description: str = ""
    prefix: str = ""
    width: int = 6
    last_no: int = 0


class Counter(SQLModel, table=True):
    """Entry-number counters (G/L entry, ledger entry, transaction, register ...)."""

    name: str = Field(primary_key=True, max_length=40)
    value: int = 0


class PaymentTerms(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=20)
    description: str = ""
    due_date_formula: str = "0D"
    discount_date_formula: str = ""
    discount_pct: str = "0"  # Decimal as text (a percentage)
    calc_pmt_disc_on_cr_memos: bool = False


class PostingGroup(SQLModel, table=True):
    """Customer or vendor posting group: which G/L accounts a party's entries hit."""

    party_type: str = Field(primary_key=True, max_length=10)
    code: str = Field(primary_key=True, max_length=20)
    receivables_account: str = Field(foreign_key="glaccount.no")
    pmt_disc_debit_acc: str = Field(foreign_key="glaccount.no")
    pmt_disc_credit_acc: str = Field(foreign_key="glaccount.no")
    pmt_tol_debit_acc: str = Field(foreign_key="glaccount.no")
    pmt_tol_credit_acc: str = Field(foreign_key="glaccount.no")
    rounding_acc: str = Field(foreign_key="glaccount.no")
    interest_acc: str | None = Field(default=None, foreign_key="glaccount.no")
    fee_acc: str | None = Field(default=None, foreign_key="glaccount.no")


class Party(SQLModel, table=True):
    """A customer or a vendor (one shape, ``party_type`` tells which)."""

    __table_args__ = (Index("ix_party_name", "party_type", "name"),)

    party_type: str = Field(primary_key=True, max_length=10)
    no: str = Field(primary_key=True, max_length=20)
    name: str
    address: str = ""
    city: str = ""
    post_code: str = ""
    country: str = ""
    email: str = ""
    vat_no: str = ""
    payment_terms_code: str | None = Field(default=None, foreign_key="paymentterms.code")
    posting_group: str = "DOMESTIC"
    currency: str = ""  # blank = company currency
    blocked: str = ""  # customers: '' | ship | invoice | all ; vendors: '' | payment | all
    privacy_blocked: bool = False
    application_method: str = "manual"  # manual | apply_to_oldest
    block_payment_tolerance: bool = False
    payment_method_code: str = ""  # default payment method of new sales documents
    # collections (reminders, finance charge memos; core/collections)
    reminder_terms_code: str = Field(default="", max_length=20)
    fin_charge_terms_code: str = Field(default="", max_length=20)
    language_code: str = Field(default="", max_length=10)
    version: int = 1


class PartyBankAccount(SQLModel, table=True):
    __table_args__ = (Index("ix_pba_iban", "iban"),)

    party_type: str = Field(primary_key=True, max_length=10)
    party_no: str = Field(primary_key=True, max_length=20)
    code: str = Field(primary_key=True, max_length=20)
    iban: str = ""
    bic: str = ""
    bank_account_no: str = ""
    name: str = ""


class BankAccount(SQLModel, table=True):
    """One of the company's own bank accounts."""

    no: str = Field(primary_key=True, max_length=20)
    name: str
    iban: str = ""
    bic: str = ""
    currency: str = ""  # blank = company currency
    gl_account_no: str = Field(foreign_key="glaccount.no")
    last_statement_no: str = ""
    balance_last_statement: int = money_field()
    match_tolerance_type: str = "amount"  # amount | percentage
    match_tolerance_value: str = "0"
    blocked: bool = False
    version: int = 1


# --- journals --------------------------------------------------------------------------


class JournalBatch(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("template", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    template: str  # general | cash_receipt | payment
    name: str
    description: str = ""
    no_series_code: str | None = Field(default=None, foreign_key="noseries.code")
    bal_account_type: str = ""
    bal_account_no: str = ""
    version: int = 1


class JournalLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="journalbatch.id", index=True)
    line_no: int
    posting_date: date
    document_date: date | None = None
    document_type: str = ""  # '' | payment | invoice | credit_memo | refund
    document_no: str = ""
    external_document_no: str = ""
    account_type: str = "gl_account"  # gl_account | customer | vendor | bank_account
    account_no: str = ""
    description: str = ""
    amount: int = money_field()
    currency: str = ""
    bal_account_type: str = ""
    bal_account_no: str = ""
    applies_to_doc_type: str = ""
    applies_to_doc_no: str = ""
    applies_to_id: str = ""
    payment_reference: str = ""
    due_date: date | None = None
    pmt_discount_date: date | None = None
    pmt_disc_possible: int = money_field()
    payment_method: str = ""  # '' | check: a check payment writes a check ledger entry
    version: int = 1


# --- posted ----------------------------------------------------------------------------


class Register(SQLModel, table=True):
    """One posting: the entry-number ranges it wrote, who and when."""

    no: int = Field(primary_key=True)
    transaction_no: int
    from_gl_entry_no: int = 0
    to_gl_entry_no: int = 0
    from_entry_no: int = 0
    to_entry_no: int = 0
    from_detailed_entry_no: int = 0
    to_detailed_entry_no: int = 0
    from_bank_entry_no: int = 0
    to_bank_entry_no: int = 0
    source_code: str = ""
    journal_batch: str = ""
    user_id: str = ""
    created_at: datetime
    reversed: bool = False


class GLEntry(SQLModel, table=True):
    __table_args__ = (
        Index("ix_gl_account_date", "gl_account_no", "posting_date"),
        Index("ix_gl_transaction", "transaction_no"),
    )

    entry_no: int = Field(primary_key=True)
    transaction_no: int
    gl_account_no: str = Field(foreign_key="glaccount.no")
    posting_date: date
    document_type: str = ""
    document_no: str = ""
    external_document_no: str = ""
    description: str = ""
    amount: int = money_field()
    source_type: str = ""
    source_no: str = ""
    bal_account_type: str = ""
    bal_account_no: str = ""
    reversed: bool = False
    reversed_by_entry_no: int | None = None
    reversed_entry_no: int | None = None


class OpenEntryFields(SQLModel):
    """The columns a customer/vendor and a bank ledger entry share (not a table).

    Each table lists only its own columns after these; the shared ones come first in
    the models' column order (migrations fix the order of a real database)."""

    entry_no: int = Field(primary_key=True)
    transaction_no: int
    posting_date: date
    document_type: str = ""
    document_no: str = ""
    external_document_no: str = ""
    description: str = ""
    amount: int = money_field()
    remaining_amount: int = money_field()
    open: bool = True
    closed_at_date: date | None = None
    bal_account_type: str = ""
    bal_account_no: str = ""
    reversed: bool = False
    reversed_by_entry_no: int | None = None
    reversed_entry_no: int | None = None
    version: int = 1


class LedgerEntry(OpenEntryFields, table=True):
    """A customer or vendor ledger entry (BC tables 21 and 25 in one shape)."""

    __table_args__ = (
        Index("ix_le_party_open", "party_type", "party_no", "open", "due_date"),
        Index("ix_le_type_date", "party_type", "posting_date", "entry_no"),
        Index("ix_le_type_open_due", "party_type", "open", "due_date", "entry_no"),
        Index("ix_le_docno", "document_no"),
        Index("ix_le_applies_to_id", "applies_to_id"),
        # aging at a date (core/reports): the open entries posted up to the date, and
        # each entry's aging fields by number, both read from the index alone
        Index("ix_le_aging_open", "party_type", "open", "posting_date", "party_no",
              "due_date", "remaining_amount"),
        Index("ix_le_aging_ref", "entry_no", "posting_date", "due_date", "party_no"),
    )

    party_type: str = Field(max_length=10)
    party_no: str = Field(max_length=20)
    document_date: date
    payment_reference: str = ""
    currency: str = ""
    positive: bool = True
    due_date: date | None = None
    pmt_discount_date: date | None = None
    pmt_disc_tolerance_date: date | None = None
    original_pmt_disc_possible: int = money_field()
    remaining_pmt_disc_possible: int = money_field()
    pmt_disc_given: int = money_field()
    max_payment_tolerance: int = money_field()
    accepted_payment_tolerance: int = money_field()
    accepted_pmt_disc_tolerance: bool = False
    closed_by_entry_no: int | None = None
    closed_by_amount: int = money_field()
    applies_to_id: str = ""
    amount_to_apply: int = money_field()
    on_hold: str = ""
    # collections: raised by issuing reminders, set when a memo charged a closed entry
    last_issued_reminder_level: int = 0
    closing_interest_calculated: bool = False


class DetailedLedgerEntry(SQLModel, table=True):
    __table_args__ = (
        Index("ix_dle_entry", "ledger_entry_no"),
        Index("ix_dle_transaction", "transaction_no"),
        Index("ix_dle_application", "application_no"),
        # aging at a date (core/reports): what changed each entry after the date
        Index("ix_dle_aging", "party_type", "posting_date", "entry_type", "ledger_entry_no",
              "amount"),
    )

    entry_no: int = Field(primary_key=True)
    ledger_entry_no: int = Field(foreign_key="ledgerentry.entry_no")
    party_type: str
    party_no: str
    entry_type: str  # initial | application | payment_discount | payment_tolerance |
    # payment_discount_tolerance | rounding
    posting_date: date
    document_type: str = ""
    document_no: str = ""
    amount: int = money_field()
    transaction_no: int
    applied_ledger_entry_no: int | None = None
    application_no: int | None = None
    initial_document_type: str = ""
    initial_entry_due_date: date | None = None
    unapplied: bool = False
    unapplied_by_entry_no: int | None = None


class BankLedgerEntry(OpenEntryFields, table=True):
    __table_args__ = (
        Index("ix_ble_bank_open", "bank_account_no", "open", "posting_date"),
        Index("ix_ble_bank_date", "bank_account_no", "posting_date", "entry_no"),
    )

    bank_account_no: str = Field(foreign_key="bankaccount.no")
    statement_status: str = "open"  # open | applied | closed
    statement_no: str = ""
    statement_line_no: int | None = None


class PostedDocument(SQLModel, table=True):
    """A posted sales/purchase invoice or credit memo header."""

    __table_args__ = (UniqueConstraint("party_type", "document_type", "document_no"),)

    id: int | None = Field(default=None, primary_key=True)
    party_type: str
    party_no: str
    document_type: str  # invoice | credit_memo
    document_no: str
    external_document_no: str = ""
    posting_date: date
    document_date: date
    due_date: date | None = None
    currency: str = ""
    amount_excl_vat: int = money_field()
    vat_amount: int = money_field()
    amount_incl_vat: int = money_field()
    ledger_entry_no: int | None = None
    transaction_no: int = 0


class PostedDocumentLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="posteddocument.id", index=True)
    line_no: int
    gl_account_no: str = Field(foreign_key="glaccount.no")
    description: str = ""
    amount_excl_vat: int = money_field()
    vat_pct: str = "0"
    vat_amount: int = money_field()
