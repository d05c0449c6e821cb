"""Numbers, amounts, percents, dates and currencies in the user's language (Babel), and
reading them back from what a clerk types.

Display: French ``1 234,56`` (the locale's narrow no-break space) and ``27/11/2026``;
English ``1,234.56`` and ISO ``2026-11-27``. Machine output (JSON, CSV) never comes here:
it keeps ``1234.56`` and ISO dates.

Reading amounts (``parse_amount``), whatever the language:
* spaces (also no-break and narrow no-break) and ``'`` are always grouping;
* with both ``.`` and ``,`` the last one is the decimal sign (``1.234,56``, ``1,234.56``);
* a sign repeated (``1,234,567``, ``1.234.567``) is grouping, in groups of three;
* one sign followed by 1, 2 or 4+ digits is the decimal sign (``1234,5``, ``12.50``);
* one sign followed by exactly three digits (``1,234``) is grouping when it is the
  language's grouping sign (English ``,``), a decimal sign when the amount may have three
  decimals, and otherwise refused as ambiguous with a message saying how to write it.

Reading dates (``parse_date``): ISO ``2026-11-27`` always; ``27/11/2026``, ``27.11.2026``,
``27-11-2026`` (also two-digit years and without the year, meaning this year) are day
first in French; in English a slash date is read day first only when it cannot be month
first (``27/11/2026``), and refused when both readings are possible (``03/04/2026``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import NumberPattern, get_decimal_symbol, get_group_symbol, parse_pattern
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_percent as _babel_percent

from core.i18n.translate import _, get_language

LOCALES: dict[str, str] = {"en": "en_US", "fr": "fr_FR"}
_SPACES = " \u00a0\u202f\u2009'"


class InputFormatError(ValueError):
    """A typed amount or date cannot be read; the message says what and how to write it."""


class AmountInputError(InputFormatError):
    """A typed amount cannot be read. (Not a ``core.kernel.money.AmountError``: core.i18n
    depends on nothing else in core, so the kernel's errors can use it.)"""


def locale_of(language: str | None = None) -> str:
    return LOCALES.get(language or get_language(), "en_US")


def symbols(language: str | None = None) -> tuple[str, str]:
    """``(grouping, decimal)`` signs of the language."""
    loc = locale_of(language)
    return get_group_symbol(loc), get_decimal_symbol(loc)


def format_number(value: Decimal | int, places: int | None = None,
                  language: str | None = None, grouping: bool = True) -> str:
    """``value`` with ``places`` decimals (all its decimals when None)."""
    if places is None:
        pattern = None
    else:
        pattern = ("#,##0" if grouping else "0") + ("." + "0" * places if places else "")
    locale = _locale(locale_of(language))
    parsed = locale.decimal_formats[None] if pattern is None else _pattern(pattern)
    # Babel's format_decimal, its locale and pattern parsed once (a matching run
    # writes thousands of amounts in its evidence sentences)
    return parsed.apply(value, locale, group_separator=grouping,
                        decimal_quantization=places is not None, numbering_system="latn")


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def format_amount(value: Decimal | None, places: int = 2, language: str | None = None,
                  blank_zero: bool = False) -> str:
    """An amount with grouping and ``places`` decimals; "" for None (and 0 if asked)."""
    if value is None or (blank_zero and value == 0):
        return ""
    return format_number(value, places, language)


def format_percent(value: Decimal, language: str | None = None) -> str:
    """``value`` given in percent, with its decimals (``12.5`` -> ``12.5%`` / ``12,5 %``)."""
    return _babel_percent(Decimal(value) / 100, locale=locale_of(language),
                          decimal_quantization=False)


def format_currency(value: Decimal, currency: str, language: str | None = None) -> str:
    """``€1,234.56`` / ``1 234,56 €``."""
    return _babel_currency(value, currency.upper(), locale=locale_of(language))


def format_date(value: date | None, language: str | None = None) -> str:
    """English: ISO ``2026-11-27``; French: ``27/11/2026``; "" for None."""
    if value is None:
        return ""
    lang = language or get_language()
    if lang == "en":
        return value.isoformat()
    return _babel_date(value, "dd/MM/yyyy" if lang == "fr" else "short", locale=locale_of(lang))


def format_datetime(value: datetime | None, language: str | None = None,
                    seconds: bool = False) -> str:
    """A moment in local time: French ``27/11/2026 14:05``, English ``2026-11-27 14:05``
    (``seconds``: ``14:05:09``); an aware ``value`` is shown in the local time zone."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo is not None else value
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{format_date(local.date(), language)} {clock}"


def format_date_long(value: date, language: str | None = None) -> str:
    """A date in words for letters and documents (``27 November 2026``)."""
    return _babel_date(value, "long", locale=locale_of(language))


# --- reading --------------------------------------------------------------------------

_DIGITS = re.compile(r"^\d+$")


def _ungroup(text: str, sep: str, raw: str) -> str:
    parts = text.split(sep) if sep else [text]
    if len(parts) > 1 and (not 1 <= len(parts[0]) <= 3
                           or any(len(p) != 3 for p in parts[1:])):
        raise AmountInputError(_("'{text}' is not an amount: digit groups are misplaced")
                               .format(text=raw))
    return "".join(parts)


def parse_amount(text: str, places: int = 2, language: str | None = None) -> Decimal:
    """Read a typed amount in either language's form (rules in the module docstring).
    Raises InputFormatError with the text and, when ambiguous, how to write it."""
    raw = text
    s = text.strip()
    negative = False
    if s.endswith("-") and not s.startswith("-"):
        negative, s = True, s[:-1].strip()
    elif s[:1] in ("+", "-"):
        negative, s = s[0] == "-", s[1:].strip()
    for c in _SPACES:
        s = s.replace(c, " ")
    if not s:
        raise AmountInputError(_("'{text}' is not an amount").format(text=raw))
    grouping, decimal_sign = symbols(language)
    integer, fraction = s, ""
    if "." in s and "," in s:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        if s.count(dec) > 1:
            raise AmountInputError(_("'{text}' is not an amount").format(text=raw))
        integer, fraction = s.rsplit(dec, 1)
        integer = integer.replace("," if dec == "." else ".", " ")
    elif "." in s or "," in s:
        sep = "." if "." in s else ","
        head, tail = s.rsplit(sep, 1)
        if s.count(sep) > 1:
            integer = s.replace(sep, " ")
        elif len(tail) == 3 and _DIGITS.match(tail) and places < 3:
            if sep != grouping:
                raise AmountInputError(
                    _("'{text}' is ambiguous: write {plain} if you mean thousands; decimals "
                      "take at most {places} digits after '{dec}'")
                    .format(text=raw, plain=(head + tail).replace(" ", ""), places=places,
                            dec=decimal_sign))
            integer = s.replace(sep, " ")
        else:
            integer, fraction = head, tail
    integer = _ungroup(integer, " ", raw) if integer else "0"
    if not _DIGITS.match(integer) or (fraction and not _DIGITS.match(fraction)) \
            or not (integer or fraction):
        raise AmountInputError(_("'{text}' is not an amount").format(text=raw))
    try:
        value = Decimal(f"{integer}.{fraction}" if fraction else integer)
    except InvalidOperation as exc:  # pragma: no cover - the checks above guard it
        raise AmountInputError(_("'{text}' is not an amount").format(text=raw)) from exc
    return -value if negative else value


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")


def parse_date(text: str, language: str | None = None, today: date | None = None) -> date:
    """Read a typed date (rules in the module docstring); InputFormatError otherwise."""
    raw = text.strip()
    lang = language or get_language()
    try:
        m = _ISO.match(raw)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DMY.match(raw)
        if m:
            first, second = int(m[1]), int(m[2])
            year = int(m[3]) if m[3] else (today or date.today()).year
            if m[3] and len(m[3]) == 2:
                year += 2000
            if lang != "fr" and first <= 12 and second <= 12 and first != second:
                raise InputFormatError(
                    _("'{text}' is ambiguous (day/month or month/day?): write the date as "
                      "{example}").format(text=raw, example="YYYY-MM-DD"))
            if lang != "fr" and first <= 12 < second:
                first, second = second, first
            return date(year, second, first)
    except ValueError as exc:
        if isinstance(exc, InputFormatError):
            raise
        raise InputFormatError(_("'{text}' is not a date: {reason}")
                               .format(text=raw, reason=exc)) from exc
    raise InputFormatError(_("'{text}' is not a date: write it as {example}")
                           .format(text=raw, example=date_example(lang)))


def date_example(language: str | None = None) -> str:
    lang = language or get_language()
    return "JJ/MM/AAAA" if lang == "fr" else "YYYY-MM-DD"
