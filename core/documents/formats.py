"""Amounts and dates as a customer reads them in their language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.kernel.money import fmt

# language -> (thousands separator, decimal separator, date format)
FORMATS: dict[str, tuple[str, str, str]] = {
    "": (",", ".", "%d-%m-%Y"),
    "en": (",", ".", "%d-%m-%Y"),
    "fr": ("\u202f", ",", "%d/%m/%Y"),
    "de": (".", ",", "%d-%m-%Y"),
    "nl": (".", ",", "%d-%m-%Y"),
    "da": (".", ",", "%d-%m-%Y"),
    "es": (".", ",", "%d/%m/%Y"),
    "it": (".", ",", "%d/%m/%Y"),
}


def _fmt_of(language: str) -> tuple[str, str, str]:
    return FORMATS.get(language.lower()[:2], FORMATS[""])


def amount_text(value: Decimal, language: str) -> str:
    thousands, decimal_sep, _ = _fmt_of(language)
    return fmt(value, 2, thousands, decimal_sep)


def date_text(value: date, language: str) -> str:
    return value.strftime(_fmt_of(language)[2])
