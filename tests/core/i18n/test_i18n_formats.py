"""Amounts, dates and percents in French and English, and reading typed ones back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.audit.queries import AuditRow
from core.i18n import (
    AmountInputError,
    InputFormatError,
    format_amount,
    format_currency,
    format_date,
    format_datetime,
    format_percent,
    parse_amount,
    parse_date,
    set_language,
    using_language,
)

NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    set_language("en")


def test_amounts_in_each_language() -> None:
    assert format_amount(Decimal("1234.5"), language="en") == "1,234.50"
    assert format_amount(Decimal("-1234567.891"), language="en") == "-1,234,567.89"
    assert format_amount(Decimal("1234.56"), language="fr") == f"1{NNBSP}234,56"
    assert format_amount(Decimal("0"), blank_zero=True) == ""
    assert format_amount(None) == ""
    assert format_amount(Decimal("5"), places=0, language="fr") == "5"


def test_current_language_drives_the_default() -> None:
    set_language("fr")
    assert format_amount(Decimal("1234.56")) == f"1{NNBSP}234,56"
    assert format_date(date(2026, 11, 27)) == "27/11/2026"
    set_language("en")
    assert format_date(date(2026, 11, 27)) == "2026-11-27"


def test_percent_and_currency() -> None:
    assert format_percent(Decimal("12.5"), language="en") == "12.5%"
    assert format_percent(Decimal("12.5"), language="fr") == "12,5\u00a0%"
    assert format_currency(Decimal("1234.5"), "EUR", language="en") == "€1,234.50"
    assert format_currency(Decimal("1234.5"), "EUR", language="fr") == f"1{NNBSP}234,50\u00a0€"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("text", "value"), [
    ("1 234,56", "1234.56"), ("1234.56", "1234.56"), ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"), (f"1{NNBSP}234,56", "1234.56"), ("1\u00a0234,56", "1234.56"),
    ("1234,5", "1234.5"), ("12", "12"), ("-1 234,56", "-1234.56"), ("1234,56-", "-1234.56"),
    ("+7,25", "7.25"), ("1.234.567", "1234567"), ("1,234,567.5", "1234567.5"), (",5", "0.5"),
    ("1'234.50", "1234.50"),
])
def test_amount_inputs_read_the_same_in_both_languages(language: str, text: str,
                                                       value: str) -> None:
    assert parse_amount(text, language=language) == Decimal(value)


def test_three_digits_after_one_sign() -> None:
    # English grouping sign: thousands.
    assert parse_amount("1,234", language="en") == Decimal("1234")
    # Not the language's grouping sign and too many decimals: refused, saying how to write it.
    with pytest.raises(AmountInputError, match=r"ambiguous.*1234"):
        parse_amount("1,234", language="fr")
    with pytest.raises(AmountInputError, match="ambiguous"):
        parse_amount("1.234", language="en")
    # Where three decimals are allowed it is a decimal sign.
    assert parse_amount("1,234", places=3, language="fr") == Decimal("1.234")


@pytest.mark.parametrize("text", ["", "abc", "1,23,4", "12 34", "1.2.3,4,5", "--5", "1,2.3,4"])
def test_bad_amounts_are_refused_with_the_text(text: str) -> None:
    with pytest.raises(AmountInputError) as info:
        parse_amount(text, language="en")
    assert f"'{text}'" in str(info.value)


def test_french_messages_for_bad_input() -> None:
    with using_language("fr"):
        with pytest.raises(InputFormatError, match="« abc » n'est pas un montant"):
            parse_amount("abc")
        with pytest.raises(InputFormatError, match="n'est pas une date"):
            parse_date("demain")


def test_dates_in_both_forms() -> None:
    assert parse_date("2026-11-27", language="en") == date(2026, 11, 27)
    assert parse_date("27/11/2026", language="fr") == date(2026, 11, 27)
    assert parse_date("27.11.26", language="fr") == date(2026, 11, 27)
    assert parse_date("03/04/2026", language="fr") == date(2026, 4, 3)
    assert parse_date("27/11/2026", language="en") == date(2026, 11, 27)
    assert parse_date("11/27/2026", language="en") == date(2026, 11, 27)
    assert parse_date("27/11", language="fr", today=date(2027, 1, 5)) == date(2027, 11, 27)
    with pytest.raises(InputFormatError, match="ambiguous"):
        parse_date("03/04/2026", language="en")
    with pytest.raises(InputFormatError, match="'31/02/2026' is not a date"):
        parse_date("31/02/2026", language="fr")


def test_moments_in_the_locale_form_and_iso_in_json() -> None:
    """Audit trail timestamps: French ``27/11/2026 14:05`` on screen and in the text
    output, ISO in --json, whatever the language."""
    moment = datetime(2026, 11, 27, 14, 5, 9, tzinfo=UTC)
    local = moment.astimezone()
    row = AuditRow(1, moment, "anna", "update", "party", "Customer", "C001", (), "")
    with using_language("fr"):
        assert row.at_text == format_datetime(moment) == local.strftime("%d/%m/%Y %H:%M")
        assert format_datetime(moment, seconds=True).endswith(local.strftime("%H:%M:%S"))
        assert row.as_json()["at"] == "2026-11-27T14:05:09+00:00"
    set_language("en")
    assert row.at_text == local.strftime("%Y-%m-%d %H:%M")
    assert format_datetime(None) == ""
