"""Tables of collections: reminder terms and levels, finance charge terms, reminders and
finance charge memos (drafts and issued), reminder/fin. charge entries and the run log.

Money is integer minor units (``money_field``); rates and percentages are Decimal text.
Drafts and issued documents share one shape each, ``kind`` telling a reminder
(``reminder``) from a finance charge memo (``finance_charge``). Issued documents and
their entries are written once; only the cancel markers change afterwards.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from core.ledger.models import money_field

KINDS = ("reminder", "finance_charge")
FEE_TYPES = ("fixed", "single_dynamic", "accumulated_dynamic")
INTEREST_METHODS = ("average_daily_balance", "balance_due")
INTEREST_ON = ("open", "closed", "all")
# line types of a draft or issued document
LINE_ENTRY, LINE_FEE, LINE_LINE_FEE, LINE_TEXT = "entry", "fee", "line_fee", "text"
# sections of entry lines
OVERDUE, NOT_DUE, ON_HOLD = "overdue", "not_due", "on_hold"


class ReminderTerms(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=20)
    description: str = ""
    post_interest: bool = True
    post_additional_fee: bool = True
    post_add_fee_per_line: bool = True
    max_no_of_reminders: int = 0  # 0 = unlimited
    minimum_amount: int = money_field()
    note_about_line_fee: str = ""
    version: int = 1


class ReminderLevel(SQLModel, table=True):
    terms_code: str = Field(primary_key=True, max_length=20,
                            foreign_key="reminderterms.code")
    no: int = Field(primary_key=True)
    grace_period: str = "0D"
    due_date_calculation: str = "0D"
    additional_fee: int = money_field()
    add_fee_per_line: int = money_field()
    add_fee_per_line_description: str = ""
    calculate_interest: bool = False
    fee_calculation_type: str = "fixed"  # fixed | single_dynamic | accumulated_dynamic
    version: int = 1


class AdditionalFeeSetup(SQLModel, table=True):
    """Rows of the dynamic fee calculations (bc-spec §9.1)."""

    id: int | None = Field(default=None, primary_key=True)
    terms_code: str = Field(max_length=20, index=True)
    level_no: int
    charge_per_line: bool = False
    currency: str = ""
    threshold: int = money_field()
    fee_amount: int = money_field()
    fee_pct: str = "0"
    min_fee: int = money_field()
    max_fee: int = money_field()


class CollectionText(SQLModel, table=True):
    """Beginning/ending text lines of a reminder level or finance charge terms, per
    language ('' = any language). ``level_no`` is 0 for finance charge terms."""

    __table_args__ = (Index("ix_ctext_owner", "kind", "terms_code", "level_no"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # reminder | finance_charge
    terms_code: str = Field(max_length=20)
    level_no: int = 0
    language: str = Field(default="", max_length=10)
    position: str = "beginning"  # beginning | ending
    line_no: int = 0
    text: str = ""


class FinanceChargeTerms(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=20)
    description: str = ""
    interest_rate: str = "0"
    interest_method: str = "average_daily_balance"  # | balance_due
    interest_period_days: int = 365
    minimum_amount: int = money_field()
    additional_fee: int = money_field()
    grace_period: str = "0D"
    due_date_calculation: str = "0D"
    interest_on: str = "open"  # open | closed | all
    post_interest: bool = True
    post_additional_fee: bool = True
    line_description: str = ""
    version: int = 1


class FinanceChargeRate(SQLModel, table=True):
    """Several interest rates by start date (bc-spec §9.3)."""

    terms_code: str = Field(primary_key=True, max_length=20,
                            foreign_key="financechargeterms.code")
    start_date: date = Field(primary_key=True)
    interest_rate: str = "0"
    interest_period_days: int = 365


class CollectionDocument(SQLModel, table=True):
    """A reminder or finance charge memo not yet issued (editable)."""

    __table_args__ = (Index("ix_cdoc_customer", "kind", "customer_no", "currency"),)

    no: str = Field(primary_key=True, max_length=20)
    kind: str = Field(max_length=20)
    customer_no: str = Field(max_length=20)
    name: str = ""
    address: str = ""
    post_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    language: str = ""
    currency: str = ""
    terms_code: str = ""  # reminder terms or finance charge terms
    fin_charge_terms_code: str = ""
    level: int = 0
    posting_date: date
    document_date: date
    due_date: date
    created_at: datetime
    version: int = 1


class DocumentHeadRow(TypedDict):
    """The header fields a draft and its issued document share, as bulk inserts write
    them."""

    no: str
    kind: str
    customer_no: str
    name: str
    address: str
    post_code: str
    city: str
    country: str
    email: str
    language: str
    currency: str
    terms_code: str
    fin_charge_terms_code: str
    level: int
    posting_date: date
    document_date: date
    due_date: date


class CollectionDocumentRow(DocumentHeadRow):
    """One ``CollectionDocument`` as Create Reminders / Finance Charge Memos bulk-inserts
    it (``no`` is filled when the numbers are reserved)."""

    created_at: datetime
    version: int


class CollectionLine(SQLModel, table=True):
    """A line of a draft (``document_no``) or of an issued document (``issued_no``)."""

    __table_args__ = (Index("ix_cline_doc", "document_no", "line_no"),
                      Index("ix_cline_issued", "issued_no", "line_no"),
                      Index("ix_cline_entry", "entry_no"))

    id: int | None = Field(default=None, primary_key=True)
    document_no: str = Field(default="", max_length=20)
    issued_no: str = Field(default="", max_length=20)
    line_no: int
    line_type: str = LINE_ENTRY  # entry | fee | line_fee | text
    section: str = ""  # overdue | not_due | on_hold, or beginning | ending for texts
    entry_no: int | None = None
    entry_document_type: str = ""
    entry_document_no: str = ""
    document_date: date | None = None
    due_date: date | None = None
    original_amount: int = money_field()
    remaining_amount: int = money_field()
    interest_rate: str = "0"
    interest_days: int = 0
    interest_amount: int = money_field()
    amount: int = money_field()  # fees
    level: int = 0
    description: str = Field(default="", sa_type=Text)


class IssuedDocument(SQLModel, table=True):
    """An issued reminder or finance charge memo."""

    __table_args__ = (Index("ix_idoc_customer", "kind", "customer_no", "document_date"),)

    no: str = Field(primary_key=True, max_length=20)
    kind: str = Field(max_length=20)
    pre_assigned_no: str = Field(default="", max_length=20, index=True)
    customer_no: str = Field(max_length=20)
    name: str = ""
    address: str = ""
    post_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    language: str = ""
    currency: str = ""
    terms_code: str = ""
    fin_charge_terms_code: str = ""
    level: int = 0
    posting_date: date
    document_date: date
    due_date: date
    remaining_amount: int = money_field()
    interest_amount: int = money_field()
    additional_fee: int = money_field()
    line_fee: int = money_field()
    posted_amount: int = money_field()  # the customer entry's amount (0: nothing posted)
    interest_posted: bool = False
    fees_posted: bool = False
    transaction_no: int | None = None
    ledger_entry_no: int | None = None
    issued_at: datetime
    issued_by: str = ""
    canceled: bool = False
    canceled_at: datetime | None = None
    canceled_by: str = ""
    cancel_transaction_no: int | None = None
    sent_at: datetime | None = None
    sent_to: str = ""


class IssuedDocumentRow(DocumentHeadRow):
    """One ``IssuedDocument`` as issuing many drafts bulk-inserts it (the cancel and send
    markers keep their defaults)."""

    pre_assigned_no: str
    remaining_amount: int
    interest_amount: int
    additional_fee: int
    line_fee: int
    posted_amount: int
    interest_posted: bool
    fees_posted: bool
    transaction_no: int | None
    ledger_entry_no: int | None
    issued_at: datetime
    issued_by: str


class ReminderEntry(SQLModel, table=True):
    """Reminder/Fin. Charge Entry: one per reminded or charged customer ledger entry."""

    __table_args__ = (Index("ix_rementry_entry", "customer_entry_no", "kind", "level"),
                      Index("ix_rementry_issued", "issued_no"))

    entry_no: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    issued_no: str = Field(max_length=20)
    customer_no: str = Field(max_length=20)
    level: int = 0
    posting_date: date
    document_date: date
    due_date: date
    interest_posted: bool = False
    interest_amount: int = money_field()
    customer_entry_no: int
    remaining_amount: int = money_field()
    canceled: bool = False


class ReminderEntryRow(TypedDict):
    """One ``ReminderEntry`` as issuing bulk-inserts it (the entry no. comes from the
    database)."""

    kind: str
    issued_no: str
    customer_no: str
    level: int
    posting_date: date
    document_date: date
    due_date: date
    interest_posted: bool
    interest_amount: int
    customer_entry_no: int
    remaining_amount: int
    canceled: bool


class CollectionRun(SQLModel, table=True):
    """One run of the reminder automation (``lettrage collections run``)."""

    id: int | None = Field(default=None, primary_key=True)
    run_date: date = Field(index=True)
    started_at: datetime
    finished_at: datetime | None = None
    user: str = ""
    actions: str = ""  # e.g. "create,issue,send"
    created: int = 0
    issued: int = 0
    sent: int = 0
    errors: int = 0
    log: str = Field(default="", sa_type=Text)
