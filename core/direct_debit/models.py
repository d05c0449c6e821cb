"""Tables of SEPA direct debit (bc-spec §10): the bank's direct-debit setup, mandates,
collections and their entries.

Money is integer minor units. ``DDEntry.transaction_id`` is BC's Transaction ID, exported
as the SEPA end-to-end ID, so the bank's credit and its returns name the entry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.i18n import N_
from core.ledger.models import money_field

FORMATS = ("pain.008.001.02", "pain.008.001.08")
PAYMENT_TYPES = ("recurrent", "one_off")
PARTNER_TYPES = ("person", "company")  # CORE or B2B scheme
SEQUENCE_TYPES = ("FRST", "RCUR", "FNAL", "OOFF")
COLLECTION_STATUSES = ("new", "canceled", "file_created", "posted", "closed")
ENTRY_STATUSES = ("new", "file_created", "rejected", "posted")
STATUS_LABELS = {"new": N_("New"), "file_created": N_("File Created"),
                 "rejected": N_("Rejected"), "posted": N_("Posted"), "closed": N_("Closed"),
                 "canceled": N_("Canceled")}


class DDBankSetup(SQLModel, table=True):
    """A company bank account's direct-debit fields (BC's Bank Account card): export
    format, Direct Debit Msg. Nos., the SEPA creditor identifier, the G/L account of
    the bank's return fees."""

    __tablename__ = "ddbanksetup"

    bank_account_no: str = Field(primary_key=True, max_length=20,
                                 foreign_key="bankaccount.no")
    export_format: str = Field(default="pain.008.001.02", max_length=20)
    msg_nos: str = Field(default="", max_length=20)  # number series code
    creditor_id: str = Field(default="", max_length=35)
    return_fee_account: str = Field(default="", max_length=20)
    version: int = 1


class DDMandate(SQLModel, table=True):
    """SEPA Direct Debit Mandate of one customer bank account."""

    __tablename__ = "ddmandate"
    __table_args__ = (Index("ix_ddm_customer", "customer_no"),)

    id: str = Field(primary_key=True, max_length=35)
    customer_no: str = Field(max_length=20)
    bank_account_code: str = Field(max_length=20)
    valid_from: date | None = None
    valid_to: date | None = None
    date_of_signature: date | None = None
    type_of_payment: str = Field(default="recurrent", max_length=10)
    partner_type: str = Field(default="person", max_length=10)
    expected_debits: int = 1
    ignore_expected: bool = False
    debit_counter: int = 0
    blocked: bool = False
    closed: bool = False
    is_default: bool = False
    version: int = 1


class DDCollection(SQLModel, table=True):
    """Direct Debit Collection: one message to the bank (its identifier is the MsgId)."""

    __tablename__ = "ddcollection"
    __table_args__ = (UniqueConstraint("identifier", name="uq_ddc_identifier"),)

    no: int | None = Field(default=None, primary_key=True)
    identifier: str = Field(max_length=35)
    bank_account_no: str = Field(max_length=20, foreign_key="bankaccount.no")
    from_date: date | None = None
    to_date: date | None = None
    partner_type: str = Field(default="", max_length=10)
    status: str = Field(default="new", max_length=15)
    export_format: str = Field(default="", max_length=20)
    exported_file: str = Field(default="", max_length=500)
    exported_at: datetime | None = None
    created_at: datetime
    created_by: str = Field(default="", max_length=50)
    version: int = 1


class DDEntry(SQLModel, table=True):
    """Direct Debit Collection Entry: one invoice to collect."""

    __tablename__ = "ddentry"
    __table_args__ = (
        UniqueConstraint("transaction_id", name="uq_dde_transaction"),
        Index("ix_dde_collection", "collection_no"),
        Index("ix_dde_ledger_entry", "ledger_entry_no"),
        Index("ix_dde_pmtinf", "payment_info_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    collection_no: int = Field(foreign_key="ddcollection.no")
    customer_no: str = Field(max_length=20)
    ledger_entry_no: int  # Applies-to Entry No. (the invoice)
    document_no: str = Field(default="", max_length=40)
    transfer_date: date
    currency: str = Field(default="", max_length=10)
    amount: int = money_field()
    transaction_id: str = Field(max_length=35)  # the end-to-end ID
    sequence_type: str = Field(default="", max_length=4)
    mandate_id: str = Field(default="", max_length=35)
    status: str = Field(default="new", max_length=15)
    reject_reason: str = Field(default="", max_length=35)
    payment_info_id: str = Field(default="", max_length=35)  # PmtInfId of its batch
    payment_entry_no: int | None = None  # the customer payment that collected it
    returned: bool = False  # its payment was undone by a return (R-transaction)
    version: int = 1


class DDEntryRow(TypedDict):
    """One ``DDEntry`` as Create Direct Debit Collection bulk-inserts it."""

    collection_no: int
    customer_no: str
    ledger_entry_no: int
    document_no: str
    transfer_date: date
    currency: str
    amount: int
    transaction_id: str
    sequence_type: str
    mandate_id: str
    status: str


class DDStatusReport(SQLModel, table=True):
    """One imported pain.002 payment status report (its message ID and file hash), so the
    same report is never applied twice."""

    __tablename__ = "ddstatusreport"
    __table_args__ = (UniqueConstraint("msg_id", name="uq_ddsr_msg_id"),
                      Index("ix_ddsr_sha", "file_sha256"))

    id: int | None = Field(default=None, primary_key=True)
    msg_id: str = Field(max_length=35)
    file_name: str = Field(default="", max_length=255)
    file_sha256: str = Field(max_length=64)
    imported_at: datetime
    imported_by: str = Field(default="", max_length=50)
    rejected: int = 0
