"""Bounds on what enters the company: business dates between 1900 and 2200 (year 1 or
9999 is a typo, and far dates break date arithmetic). Amount bounds live with the money
(``core.kernel.money.MAX_MINOR``)."""

from __future__ import annotations

from datetime import date

from core.i18n import N_
from core.kernel.errors import Text

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def check_date(day: date) -> Text | None:
    """Why ``day`` is refused (outside 1900-2200), or None; worded when shown."""
    if day < EARLIEST or day > LATEST:
        return Text(N_("{day} is outside {first}-{last}; check the year"),
                    day=day.isoformat(), first=EARLIEST.year, last=LATEST.year)
    return None
