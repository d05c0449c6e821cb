"""Amounts in integer minor units, the bank's tolerance range and sorted amount lists."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.kernel.money import ZERO, money
from core.matching.model import ToleranceType


def amount_range(amount: Decimal, tolerance_type: ToleranceType,
                 value: Decimal) -> tuple[Decimal, Decimal]:
    """BC Min/Max amount incl. tolerance (§3.4), rounded to 0.01.

    Amount: amount -/+ value, clamped so the range does not cross zero.
    Percentage: amount * (1 -/+ value/100), swapped for negative amounts.
    """
    if tolerance_type == "percentage":
        low = amount * (1 - value / 100)
        high = amount * (1 + value / 100)
        if amount < 0:
            low, high = high, low
    else:
        low, high = amount - value, amount + value
        if amount > 0:
            low = max(low, ZERO)
        elif amount < 0:
            high = min(high, ZERO)
    return money(low), money(high)


def discount_applies(disc_units: int, disc_due: date | None, when: date) -> bool:
    """BC: discount usable when there is one and the payment is by its due date."""
    return disc_units != 0 and disc_due is not None and when <= disc_due


@dataclass(slots=True)
class SortedAmounts:
    """Amounts (minor units) sorted ascending with the id of the row holding each."""

    values: list[int]
    ids: list[int]

    @classmethod
    def build(cls, pairs: list[tuple[int, int]]) -> SortedAmounts:
        pairs.sort()
        return cls([p[0] for p in pairs], [p[1] for p in pairs])

    def between(self, low: int, high: int) -> range:
        """Positions of the rows whose amount lies in [low, high]."""
        return range(bisect_left(self.values, low), bisect_right(self.values, high))
