"""Display formatting of amounts and dates in the user's language (core.i18n, Babel).
Formatting is the UI's job, not core's; JSON and CSV outputs never come here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.i18n import (
    N_,
    _,
    format_amount,
    format_date,
    get_language,
    parse_amount,
    parse_date,
    symbols,
)


@dataclass(frozen=True)
class NumberFormat:
    """Amounts with ``places`` decimals in the current language's form (French
    ``1 234,56``, English ``1,234.56``); reads typed amounts in either form."""

    places: int = 2

    @property
    def thousands(self) -> str:
        return symbols()[0]

    @property
    def decimal(self) -> str:
        return symbols()[1]

    def amount(self, value: Decimal | None, blank_zero: bool = False) -> str:
        return format_amount(value, self.places, blank_zero=blank_zero)

    def parse(self, text: str) -> Decimal:
        """A typed amount (``1 234,56``, ``1,234.56``, ...); InputFormatError if not."""
        return parse_amount(text, self.places)

    def parse_day(self, text: str) -> date:
        """A typed date (``27/11/2026``, ``2026-11-27``); InputFormatError if not."""
        return parse_date(text)


def day(value: date | None) -> str:
    """French ``27/11/2026``, English ``2026-11-27``."""
    return format_date(value)


MONTHS = {"en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec"),
          "fr": ("jan", "fév", "mar", "avr", "mai", "jun", "jul", "aoû", "sep", "oct", "nov",
                 "déc")}


def short_date(value: date | None) -> str:
    """A date in 9 cells that no reader can take for another: ``27 Nov 26`` /
    ``27 nov 26`` (the month in words, the year always there) for tight columns."""
    if value is None:
        return ""
    months = MONTHS.get(get_language(), MONTHS["en"])
    return f"{value.day:02d} {months[value.month - 1]} {value.year % 100:02d}"


# Stored codes shown as words (others are title-cased as they are).
LABELS = {
    "customer": N_("Customer"), "vendor": N_("Vendor"), "gl_account": N_("G/L Account"),
    "bank_account": N_("Bank Account"), "invoice": N_("Invoice"),
    "credit_memo": N_("Credit Memo"), "payment": N_("Payment"), "refund": N_("Refund"),
    "high": N_("High"), "medium": N_("Medium"), "low": N_("Low"), "manual": N_("Manual"),
    "accepted": N_("Accepted"), "none": N_("None"), "open": N_("Open"), "closed": N_("Closed"),
    "initial_entry": N_("Initial Entry"), "application": N_("Application"),
    "payment_discount": N_("Payment Discount"), "payment_tolerance": N_("Payment Tolerance"),
    "posting_date": N_("Posting Date"), "due_date": N_("Due Date"),
    "document_no": N_("Document No."), "amount": N_("Amount"),
    "remaining_amount": N_("Remaining Amount"), "entry_no": N_("Entry No."),
    "assets": N_("Assets"), "liabilities": N_("Liabilities"), "equity": N_("Equity"),
    "income": N_("Income"), "expense": N_("Expense"), "heading": N_("Heading"),
}


def label(code: str) -> str:
    """A stored code (``credit_memo``) as a label (``Credit Memo`` / ``Avoir``)."""
    if code in LABELS:
        return _(LABELS[code])
    return code.replace("_", " ").title()
