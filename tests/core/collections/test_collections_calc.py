"""§15.6 worked numbers: fees, interest, texts, grace (table-driven)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from core.collections.calc import (
    FeeRow,
    Movement,
    Rate,
    adb_interest,
    balance_due_interest,
    dynamic_fee,
    fee_for,
)
from core.collections.texts import TextValues, fill, reminder_values
from core.kernel.errors import LettrageError

ROWS = (FeeRow(D("1000"), D("10"), D("1"), max_fee=D("50")), FeeRow(D("0"), D("5")))
RATE = (Rate(date.min, D("1.5"), 30),)


@pytest.mark.parametrize(("remaining", "accumulated", "fee"), [
    (D("2500"), False, D("35.00")),
    (D("2500"), True, D("30.00")),
    (D("500"), False, D("5.00")),
    (D("500"), True, D("5.00")),
    (D("0"), True, D("0.00")),
    (D("6000"), False, D("50.00")),  # capped at the row's maximum
])
def test_dynamic_fees(remaining: D, accumulated: bool, fee: D) -> None:
    assert dynamic_fee(remaining, ROWS, accumulated) == fee


def test_fee_floor_and_fixed() -> None:
    rows = (FeeRow(D("0"), D("0"), D("1"), min_fee=D("7.5")),)
    assert dynamic_fee(D("100"), rows, False) == D("7.50")
    assert fee_for("fixed", D("12.5"), D("99999"), ROWS) == D("12.50")
    with pytest.raises(LettrageError, match="Unknown additional fee"):
        fee_for("percent", D("1"), D("1"), ROWS)


@pytest.mark.parametrize(("memo_date", "expected", "days"), [
    (date(2025, 3, 2), D("15.00"), 30),   # 1,000 overdue 30 days
    (date(2025, 3, 17), D("22.50"), 45),  # 45 days
    (date(2025, 1, 31), D("0.00"), 0),    # due today: nothing yet
])
def test_adb_simple(memo_date: date, expected: D, days: int) -> None:
    moves = [Movement("initial", date(2025, 1, 1), D("1000"))]
    result = adb_interest(date(2025, 1, 31), memo_date, moves, RATE)
    assert (result.amount, result.days) == (expected, days)


def test_adb_with_partial_payment() -> None:
    moves = [Movement("initial", date(2025, 1, 1), D("1000")),
             Movement("application", date(2025, 2, 15), D("-400"))]
    result = adb_interest(date(2025, 1, 31), date(2025, 3, 2), moves, RATE)
    assert result.amount == D("12.00")  # (1,000x30 - 400x15)/30 = 800 x 1.5 %


def test_adb_closed_entry_stops_and_last_memo_floor() -> None:
    moves = [Movement("initial", date(2025, 1, 1), D("1000")),
             Movement("application", date(2025, 2, 15), D("-1000"))]
    closed = adb_interest(date(2025, 1, 31), date(2025, 3, 2), moves, RATE,
                          closed_at=date(2025, 2, 15))
    assert (closed.amount, closed.days) == (D("7.50"), 15)
    floor = adb_interest(date(2025, 1, 31), date(2025, 3, 17),
                         moves[:1], RATE, start_floor=date(2025, 3, 2))
    assert floor.amount == D("7.50")  # only the 15 days since the last memo


def test_adb_two_rates_by_start_date() -> None:
    rates = (Rate(date.min, D("1.5"), 30), Rate(date(2025, 2, 15), D("3"), 30))
    moves = [Movement("initial", date(2025, 1, 1), D("1000"))]
    # 15 days at 1.5 % + 15 days at 3 % of 1,000 over a 30-day period
    assert adb_interest(date(2025, 1, 31), date(2025, 3, 2), moves, rates).amount == D("22.50")


def test_balance_due() -> None:
    assert balance_due_interest(D("1000"), RATE, date(2025, 3, 2)).amount == D("15.00")


def test_text_placeholders() -> None:
    values = TextValues(document_date=date(2024, 1, 20), due_date=date(2024, 2, 2),
                        interest_rate=D("1.5"), remaining=D("1150.50"), interest=D("0"),
                        additional_fee=D("50"), total=D("1200.50"), currency="USD",
                        posting_date=date(2024, 1, 20), level=2, company_name="CRONUS",
                        line_fee=D("2"))
    v = reminder_values(values, "FRA")  # BC's code for French
    assert fill("Vous devez %9 %7 au %2.", v) == "Vous devez USD 1\u202f200,50 au 2 février 2024."
    assert fill("%11: level %8, fee %6, line fee %12, posted %10", v) == \
        "CRONUS: level 2, fee 50,00, line fee 2,00, posted 20 janvier 2024"
    assert fill("rate %3 %", v) == "rate 1.5 %"
    assert fill("%0 stays, %13 is %1 then 3", v) == \
        "%0 stays, 20 janvier 20243 is 20 janvier 2024 then 3"
    # a language Lettrage does not have: the English text's formats, not German ones
    english = reminder_values(values, "de")
    assert fill("You owe %9 %7 due on %2.", english) == \
        "You owe USD 1,200.50 due on February 2, 2024."
