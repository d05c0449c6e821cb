"""Tables of Payment Registration and sales documents (SQLModel).

Money is integer minor units (``BigInteger``); percentages and quantities are Decimal
text, never float. Unposted sales documents are deleted when they are posted (the
posted header and lines are ``core.ledger.models.PostedDocument``/``PostedDocumentLine``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class PaymentMethod(SQLModel, table=True):
    """BC Payment Method: with a balancing account, an invoice using it is paid when
    it is posted (the payment is posted and applied in the same transaction)."""

    code: str = Field(primary_key=True, max_length=10)
    description: str = ""
    bal_account_type: str = ""  # '' | gl_account | bank_account
    bal_account_no: str = ""
    version: int = 1


class SalesHeader(SQLModel, table=True):
    """An unposted sales invoice or credit memo."""

    __table_args__ = (UniqueConstraint("document_type", "no"),
                      Index("ix_sales_header_customer", "customer_no"))

    id: int | None = Field(default=None, primary_key=True)
    document_type: str = Field(max_length=12)  # invoice | credit_memo
    no: str = Field(max_length=20)
    customer_no: str = Field(max_length=20)
    posting_date: date
    document_date: date
    due_date: date | None = None
    payment_terms_code: str = ""
    pmt_discount_date: date | None = None
    payment_discount_pct: str = "0"
    external_document_no: str = ""
    payment_method_code: str = ""
    currency: str = ""
    applies_to_doc_no: str = ""  # a credit memo applied to an invoice at posting
    posting_no: str = ""  # blank: the next number of the posting series
    version: int = 1


class SalesLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    header_id: int = Field(foreign_key="salesheader.id", index=True)
    line_no: int
    line_type: str = "gl_account"  # gl_account | item (a simple item/service code)
    no: str = ""  # the G/L account (or item/service code mapped to one)
    description: str = ""
    quantity: str = "1"
    unit_price: int = Field(default=0, sa_type=BigInteger)
    vat_pct: str = "0"


class RegistrationSetup(SQLModel, table=True):
    """Payment Registration Setup, one row per user."""

    user_id: str = Field(primary_key=True, max_length=50)
    journal_batch_id: int | None = Field(default=None, foreign_key="journalbatch.id")
    bal_account_type: str = "bank_account"  # gl_account | bank_account
    bal_account_no: str = ""
    use_as_default: bool = True
    auto_fill_date_received: bool = True
    version: int = 1


class Item(SQLModel, table=True):
    """A simple item or service code for sales lines: its description, unit price and
    VAT % fill the line, its G/L account takes the line's amount when posted."""

    no: str = Field(primary_key=True, max_length=20)
    description: str = ""
    unit_price: int = Field(default=0, sa_type=BigInteger)
    vat_pct: str = "0"
    gl_account_no: str = Field(max_length=20)
    blocked: bool = False
    version: int = 1
