"""CSV profiles: reading, sign conventions, encodings, guessing, saving and loading."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.statements import (
    Profile,
    ProfileError,
    StatementError,
    guess_profile,
    list_profiles,
    load_profile,
    parse_bytes,
    save_profile,
)

DEBIT_CREDIT = """Export of account 123
Datum;Name;Zweck;Soll;Haben;Waehrung
02.01.2024;Müller GmbH;RE 4711;;1.234,50;EUR
03.01.2024;Stadtwerke;Strom;-89,90;;EUR
"""


def profile(**changes: object) -> Profile:
    base: dict[str, object] = {
        "name": "test-bank", "delimiter": ";", "encoding": "cp1252",
        "date_formats": ("%d.%m.%Y",), "decimal_separator": ",", "thousands_separator": ".",
        "columns": {"booking_date": "Datum", "counterparty_name": "Name", "remittance": "Zweck",
                    "debit": "Soll", "credit": "Haben", "currency": "Waehrung"},
    }
    base.update(changes)
    return Profile(**base)  # type: ignore[arg-type]


def test_stmt_csv_debit_credit_columns_and_preamble() -> None:
    data = DEBIT_CREDIT.encode("cp1252")
    statement = parse_bytes(data, "x.csv", profile=profile()).statements[0]
    credit, debit = statement.lines
    assert credit.amount == Decimal("1234.50") and credit.counterparty_name == "Müller GmbH"
    assert debit.amount == Decimal("-89.90")  # debit column sign-free or negative: money out
    assert credit.booking_date == date(2024, 1, 2)
    assert statement.currency == "EUR"


def test_stmt_csv_inverted_and_indicator_signs() -> None:
    text = "date,amount,dc\n2024-01-02,10.00,D\n2024-01-03,5.00,C\n"
    cols = {"booking_date": "date", "amount": "amount", "indicator": "dc"}
    ind = Profile(name="ind", columns=cols, sign="indicator")
    lines = parse_bytes(text.encode(), "i.csv", profile=ind).statements[0].lines
    assert [ln.amount for ln in lines] == [Decimal("-10.00"), Decimal("5.00")]
    inv = Profile(name="inv", columns={"booking_date": "date", "amount": "amount"},
                  sign="inverted")
    lines = parse_bytes(text.encode(), "i.csv", profile=inv).statements[0].lines
    assert [ln.amount for ln in lines] == [Decimal("-10.00"), Decimal("-5.00")]


def test_stmt_csv_bad_cell_names_the_row() -> None:
    data = DEBIT_CREDIT.replace("03.01.2024", "33.01.2024").encode("cp1252")
    with pytest.raises(StatementError, match="CSV row 4") as info:
        parse_bytes(data, "bad.csv", profile=profile())
    assert "booking date" in str(info.value)


def test_stmt_csv_no_matching_profile() -> None:
    with pytest.raises(StatementError, match="choose a profile or create one"):
        parse_bytes(b"foo,bar,baz\n1,2,3\n4,5,6\n", "unknown.csv")


def test_stmt_csv_guess_save_load_roundtrip(tmp_path: Path) -> None:
    guessed = guess_profile(DEBIT_CREDIT.encode("cp1252"), name="My Bank")
    assert guessed.delimiter == ";" and guessed.encoding == "cp1252"
    assert guessed.decimal_separator == "," and guessed.thousands_separator == "."
    assert guessed.date_formats == ("%d.%m.%Y",)
    assert guessed.columns["booking_date"] == "Datum"
    assert guessed.columns["debit"] == "Soll" and guessed.columns["credit"] == "Haben"
    path = save_profile(guessed, tmp_path)
    assert path.name == "my-bank.json"
    assert load_profile("My Bank", tmp_path) == guessed
    assert "My Bank" in [p.name for p in list_profiles(tmp_path)]
    statement = parse_bytes(DEBIT_CREDIT.encode("cp1252"), "x.csv",
                            profiles_dir=tmp_path).statements[0]
    assert len(statement.lines) == 2


def test_stmt_csv_shipped_profiles_load() -> None:
    names = {p.name for p in list_profiles()}
    assert {"ing-diba", "sparkasse-csv-camt", "revolut", "paypal-activity-en"} <= names


def test_stmt_csv_invalid_profile_refused() -> None:
    with pytest.raises(ProfileError):
        Profile(name="x", columns={"amount": "a"})
    with pytest.raises(ProfileError):
        Profile(name="x", columns={"booking_date": "d", "amount": "a", "colour": "c"})
