"""Decimal money discipline.

Amounts are ``decimal.Decimal`` in Python and integer minor units in the database.
Never ``float``. Rounding is half-up to the currency's precision.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
CENT = Decimal("0.01")

# Currencies whose minor unit is not 1/100 (ISO 4217 exponent).
_EXPONENTS: dict[str, int] = {"JPY": 0, "HUF": 2, "ISK": 0, "KRW": 0, "CLP": 0, "BHD": 3,
                              "KWD": 3, "OMR": 3, "TND": 3, "JOD": 3}


class AmountError(ValueError):
    """A text could not be read as an amount."""


def exponent(currency: str | None = None) -> int:
    """Number of decimals of ``currency`` (2 when unknown)."""
    return _EXPONENTS.get((currency or "").upper(), 2)


def quantum(currency: str | None = None) -> Decimal:
    return Decimal(1).scaleb(-exponent(currency))


def money(value: Decimal | int | str, currency: str | None = None) -> Decimal:
    """Round ``value`` half-up to the currency's precision. Floats are refused."""
    if isinstance(value, float):  # pragma: no cover - guarded by typing too
        raise TypeError("money() refuses float; pass a Decimal or a string")
    if isinstance(value, str):
        value = parse_amount(value)
    return Decimal(value).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_minor(value: Decimal, currency: str | None = None) -> int:
    """Decimal amount to integer minor units, refusing sub-minor precision loss."""
    q = money(value, currency)
    if q != value:
        raise AmountError(f"{value} has more decimals than {currency or 'the currency'} allows")
    return int(q.scaleb(exponent(currency)))


def from_minor(units: int, currency: str | None = None) -> Decimal:
    """Integer minor units to a Decimal with the currency's number of decimals."""
    return Decimal(units).scaleb(-exponent(currency)).quantize(quantum(currency))


_AMOUNT_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_amount(text: str, decimal_sep: str = ".", thousands_sep: str = "") -> Decimal:
    """Parse a user's or a file's amount text into a Decimal.

    Accepts a sign in front or at the end ("12.50-"), blanks and the given thousands
    separator. Raises AmountError with the offending text otherwise.
    """
    raw = text
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if thousands_sep:
        s = s.replace(thousands_sep, "")
    if decimal_sep != ".":
        s = s.replace(decimal_sep, ".")
    if s.endswith("-") and not s.startswith("-"):
        s = "-" + s[:-1]
    if s.startswith("+"):
        s = s[1:]
    if not _AMOUNT_RE.match(s):
        raise AmountError(f"'{raw}' is not an amount")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - regex guards it
        raise AmountError(f"'{raw}' is not an amount") from exc


def fmt(value: Decimal, places: int = 2, thousands: str = ",", decimal_sep: str = ".") -> str:
    """Format an amount for display: thousands grouping, fixed decimals."""
    s = f"{value:,.{places}f}"
    return s.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", thousands)
