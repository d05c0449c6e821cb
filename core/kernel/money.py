"""Decimal money discipline.

Amounts are ``decimal.Decimal`` in Python and integer minor units in the database.
Never ``float``. Rounding is half-up to the currency's precision.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from core.i18n import N_
from core.kernel.errors import LettrageError

ZERO = Decimal("0")
CENT = Decimal("0.01")

MAX_MINOR = 10**12
"""Every amount stored is below this in minor units (9,999,999,999.99 in a currency with
cents). A million entries at the limit sum to 10^18, far inside the 64-bit integers
the database adds them in (9.2 x 10^18), so no total can overflow."""

# Currencies whose minor unit is not 1/100 (ISO 4217 exponent).
_EXPONENTS: dict[str, int] = {"JPY": 0, "HUF": 2, "ISK": 0, "KRW": 0, "CLP": 0, "BHD": 3,
                              "KWD": 3, "OMR": 3, "TND": 3, "JOD": 3}


class AmountError(LettrageError, ValueError):
    """A text could not be read as an amount, or the amount is out of bounds."""


@lru_cache(maxsize=256)
def exponent(currency: str | None = None) -> int:
    """Number of decimals of ``currency`` (2 when unknown)."""
    return _EXPONENTS.get((currency or "").upper(), 2)


@lru_cache(maxsize=256)  # called for every amount written; Decimals are immutable
def quantum(currency: str | None = None) -> Decimal:
    return Decimal(1).scaleb(-exponent(currency))


def money(value: Decimal | int | str, currency: str | None = None) -> Decimal:
    """Round ``value`` half-up to the currency's precision. Floats are refused."""
    if isinstance(value, float):  # pragma: no cover - guarded by typing too
        raise TypeError("money() refuses float; pass a Decimal or a string")
    if isinstance(value, str):
        value = parse_amount(value)
    try:
        return Decimal(value).quantize(quantum(currency), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        raise AmountError(
            N_("{plain} is larger than the largest amount Lettrage accepts ({fmt})"),
            plain=_plain(Decimal(value)),
            fmt=fmt(largest(currency), exponent(currency)),
        ) from None


def largest(currency: str | None = None) -> Decimal:
    """The largest amount Lettrage accepts in ``currency``."""
    return from_minor(MAX_MINOR - 1, currency)


def check_amount(value: Decimal, currency: str | None = None) -> Decimal:
    """``value`` if its size is within :data:`MAX_MINOR`, else an ``AmountError``."""
    if not value.is_finite() or abs(value).scaleb(exponent(currency)) >= MAX_MINOR:
        raise AmountError(N_("{value} is larger than the largest amount Lettrage accepts ({fmt})"),
                          value=_plain(value), fmt=fmt(largest(currency), exponent(currency)))
    return value


def to_minor(value: Decimal, currency: str | None = None) -> int:
    """Decimal amount to integer minor units, refusing sub-minor precision loss and
    amounts beyond :data:`MAX_MINOR`."""
    if isinstance(value, Decimal) and value.is_finite():  # fast path: exact amounts
        scaled = value.scaleb(exponent(currency))
        units = int(scaled)
        if units == scaled:
            if abs(units) >= MAX_MINOR:
                check_amount(value, currency)  # raises, with the message
            return units
    check_amount(value, currency)
    q = money(value, currency)
    if q != value:
        raise AmountError(N_("{value} has more decimals than {value2} allows"), value=value,
                          value2=currency or 'the currency')
    return int(q.scaleb(exponent(currency)))


def round_to_minor(value: Decimal, currency: str | None = None) -> int:
    """Decimal amount to integer minor units, rounded half-up to the currency (the
    matching engine's amounts and tolerance bounds, which may carry sub-minor digits).

    Fast path (called for every open entry): a value that already has at most the
    currency's decimals is scaled exactly; anything else is rounded by ``money``."""
    exp = exponent(currency)
    scaled = value.scaleb(exp)
    units = int(scaled)
    if units == scaled:
        return units
    return int(money(value, currency).scaleb(exp))


def plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent notation when printed:
    plain(Decimal("100.00")) prints 100, not 1E+2; plain(Decimal("0.50")) prints 0.5."""
    if not value.is_finite():
        return value
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal  # type: ignore[operator]


def _plain(value: Decimal) -> str:
    """``value`` as plain digits, never in exponent notation (1E+2 -> 100)."""
    if not value.is_finite():
        return str(value)
    text = f"{value:f}"
    return text[:40] + "…" if len(text) > 41 else text


def from_minor(units: int, currency: str | None = None) -> Decimal:
    """Integer minor units to a Decimal with the currency's number of decimals."""
    return Decimal(units).scaleb(-exponent(currency)).quantize(quantum(currency))


def from_minor_places(units: int, places: int = 2) -> Decimal:
    """``from_minor`` for the readers of 100,000 rows: integer ``units`` at ``places``
    decimals (``exponent(currency)``, looked up once by the caller), the same value
    and exponent as ``from_minor`` gives, without its currency lookup and rounding."""
    return Decimal(units).scaleb(-places)


_AMOUNT_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_amount(text: str, decimal_sep: str = ".", thousands_sep: str = "") -> Decimal:
    """Parse a user's or a file's amount text into a Decimal.

    Accepts a sign in front or at the end ("12.50-"), blanks and the given thousands
    separator. Raises AmountError with the offending text otherwise.
    """
    raw = text
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if thousands_sep and thousands_sep.strip() and thousands_sep in s:
        whole = s.split(decimal_sep)[0] if decimal_sep in s else s
        groups = whole.lstrip("+-").rstrip("-").split(thousands_sep)
        if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
            raise AmountError(
                N_(
                    "'{raw}' does not fit the number format (decimal "
                    "separator '{decimal_sep}', thousands '{thousands_sep}')"
                ),
                raw=raw,
                decimal_sep=decimal_sep,
                thousands_sep=thousands_sep,
            )
        s = s.replace(thousands_sep, "")
    if decimal_sep != ".":
        s = s.replace(decimal_sep, ".")
    if s.endswith("-") and not s.startswith("-"):
        s = "-" + s[:-1]
    if s.startswith("+"):
        s = s[1:]
    if not _AMOUNT_RE.match(s):
        raise AmountError(N_("'{raw}' is not an amount"), raw=raw)
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - regex guards it
        raise AmountError(N_("'{raw}' is not an amount"), raw=raw) from exc


def fmt(value: Decimal, places: int = 2, thousands: str = ",", decimal_sep: str = ".") -> str:
    """Format an amount for display: thousands grouping, fixed decimals."""
    s = f"{value:,.{places}f}"
    return s.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", thousands)
