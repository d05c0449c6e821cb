"""Tables of late payment prediction.

* ``PaymentHistory``: closed invoices from a previous system (``lettrage load
  payment-history``), kept for learning and customer figures, never posted.
* ``PredictionModel``: the company's trained models (the newest one is used) with
  version, date, feature list, quality report and the forests as checksummed ``.npz``
  bytes (no pickle).
* ``PaymentPrediction``: the latest prediction per open customer invoice (ledger entry),
  written by ``predict refresh`` / training, read by the lists and the home figure.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.ledger.models import money_field


class PaymentHistory(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("customer_no", "document_no"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_no: str = Field(max_length=20, index=True)
    document_no: str = Field(max_length=40)
    posting_date: date
    due_date: date
    amount: int = money_field()
    paid_date: date


class PredictionModel(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int
    trained_at: datetime
    trained_on: date  # the company's "today" of the training
    features: str = Field(sa_column=Column(Text, nullable=False))  # JSON list
    quality: str = Field(sa_column=Column(Text, nullable=False))  # JSON report
    closed_invoices: int  # closed invoices learnt from (the 10 % retraining rule)
    usable: bool
    forests: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PaymentPrediction(SQLModel, table=True):
    __table_args__ = (Index("ix_pp_late_due", "late", "due_date"),
                      Index("ix_pp_customer", "customer_no"))

    entry_no: int = Field(primary_key=True)  # the open invoice's customer ledger entry
    customer_no: str = Field(max_length=20)
    document_no: str = Field(max_length=40)
    due_date: date
    remaining_amount: int = money_field()
    late: bool
    confidence_pct: int  # 0..100, the confidence of the predicted side
    expected_payment_date: date
    reasons: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of sentences
    model_version: int
    scored_on: date
