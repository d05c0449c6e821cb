"""Amounts and dates as a customer reads them in their language, through core.i18n's
Babel helpers: French ``1 234,56`` and ``10/02/2025`` (``10 février 2025`` in
sentences), English ``1,234.56`` and ``2025-02-10`` (``February 10, 2025``).

``language`` is the document's: a customer's language code as stored (``FRA``,
``fr-BE``, ``en``...), read by ``customer_language`` (English when Lettrage does not
have the language)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.i18n import customer_language, format_amount, format_date, format_date_long


def amount_text(value: Decimal, language: str) -> str:
    """An amount in a table cell or a sentence: grouping and two decimals."""
    return format_amount(value, 2, customer_language(language))


def date_text(value: date, language: str) -> str:
    """A date in a table cell (short, numeric)."""
    return format_date(value, customer_language(language))


def long_date_text(value: date, language: str) -> str:
    """A date in a sentence or a letter's header (``10 février 2025``)."""
    return format_date_long(value, customer_language(language))
