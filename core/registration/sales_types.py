"""Plain values of sales documents and payment methods (in and out of the services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.kernel.money import ZERO, money

DOCUMENT_TYPES = ("invoice", "credit_memo")


@dataclass(frozen=True)
class SalesLineInput:
    no: str  # G/L account no.
    quantity: Decimal
    unit_price: Decimal
    vat_pct: Decimal = ZERO
    description: str = ""
    line_type: str = "gl_account"

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.unit_price)


@dataclass(frozen=True)
class SalesDocumentInput:
    """A sales invoice or credit memo as the clerk (or a JSON file) gives it. Blank
    dates and terms come from the customer's payment terms; ``payment_method_code``
    None takes the customer's default payment method."""

    document_type: str
    customer_no: str
    posting_date: date
    lines: tuple[SalesLineInput, ...] = ()
    document_date: date | None = None
    due_date: date | None = None
    pmt_discount_date: date | None = None
    payment_discount_pct: Decimal | None = None
    external_document_no: str = ""
    payment_method_code: str | None = None
    applies_to_doc_no: str = ""


@dataclass(frozen=True)
class Totals:
    amount_excl_vat: Decimal
    vat_amount: Decimal
    amount_incl_vat: Decimal
    pmt_discount: Decimal


def vat_of(amount: Decimal, pct: Decimal) -> Decimal:
    return money(amount * pct / 100)


def totals(lines: tuple[SalesLineInput, ...], discount_pct: Decimal = ZERO) -> Totals:
    """Totals as the posting computes them: VAT per rate on the summed line amounts;
    the payment discount on the amount including VAT."""
    by_rate: dict[Decimal, Decimal] = {}
    for ln in lines:
        by_rate[ln.vat_pct] = by_rate.get(ln.vat_pct, ZERO) + ln.amount
    excl = sum(by_rate.values(), ZERO)
    vat = sum((vat_of(a, r) for r, a in by_rate.items()), ZERO)
    return Totals(excl, vat, excl + vat, money((excl + vat) * discount_pct / 100))


@dataclass(frozen=True)
class SalesDocumentView:
    id: int
    document_type: str
    no: str
    customer_no: str
    customer_name: str
    posting_date: date
    document_date: date
    due_date: date | None
    payment_terms_code: str
    pmt_discount_date: date | None
    payment_discount_pct: Decimal
    external_document_no: str
    payment_method_code: str
    currency: str
    applies_to_doc_no: str
    lines: tuple[SalesLineInput, ...]
    totals: Totals
    version: int

    def as_input(self) -> SalesDocumentInput:
        return SalesDocumentInput(
            self.document_type, self.customer_no, self.posting_date, self.lines,
            self.document_date, self.due_date, self.pmt_discount_date,
            self.payment_discount_pct, self.external_document_no, self.payment_method_code,
            self.applies_to_doc_no)


@dataclass(frozen=True)
class PaymentMethodView:
    code: str
    description: str
    bal_account_type: str
    bal_account_no: str
    version: int = 0
