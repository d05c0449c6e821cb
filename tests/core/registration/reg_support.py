"""Builders shared by the registration tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.kernel.store import Store
from core.registration.sales import SalesService
from core.registration.sales_types import SalesDocumentInput, SalesLineInput


def sales_invoice(store: Store, customer: str, amount: str, day: date, *, vat: str = "0",
                  method: str | None = None, pct: str | None = None,
                  disc_date: date | None = None, doc_type: str = "invoice",
                  applies_to: str = "") -> str:
    """Create and post a one-line sales document; returns its posted number."""
    svc = SalesService(store, user="tester")
    doc = svc.create(SalesDocumentInput(
        doc_type, customer, day,
        (SalesLineInput("4100", Decimal(1), Decimal(amount), Decimal(vat), "Goods"),),
        payment_method_code=method,
        payment_discount_pct=Decimal(pct) if pct is not None else None,
        pmt_discount_date=disc_date, applies_to_doc_no=applies_to))
    return svc.post(doc.id).document_nos[0]
