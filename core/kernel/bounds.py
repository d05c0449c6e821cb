"""Bounds on what enters the company: business dates between 1900 and 2200 (year 1 or
9999 is a typo, and far dates break date arithmetic). Amount bounds live with the money
(``core.kernel.money.MAX_MINOR``)."""

from __future__ import annotations

from datetime import date

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def check_date(day: date) -> str | None:
    """Why ``day`` is refused (outside 1900-2200), or None."""
    if day < EARLIEST or day > LATEST:
        return (f"{day.isoformat()} is outside {EARLIEST.year}-{LATEST.year}; "
                "check the year")
    return None
