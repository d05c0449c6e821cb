"""Display formatting of amounts and dates (formatting is the UI's job, not core's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.kernel.money import fmt


@dataclass(frozen=True)
class NumberFormat:
    """The company's number format: grouping and decimal separators, decimals."""

    thousands: str = ","
    decimal: str = "."
    places: int = 2

    def amount(self, value: Decimal | None, blank_zero: bool = False) -> str:
        if value is None or (blank_zero and value == 0):
            return ""
        return fmt(value, self.places, self.thousands, self.decimal)


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def label(code: str) -> str:
    """A stored code (``credit_memo``) as a label (``Credit Memo``)."""
    return code.replace("_", " ").title()
