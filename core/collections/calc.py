"""Pure arithmetic of collections: additional fees (bc-spec §9.1) and interest
(Average Daily Balance and Balance Due, several rates by start date; §9.3).

Everything here takes plain values and returns Decimals rounded to the currency
precision; no database, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from core.i18n import N_
from core.kernel.errors import LettrageError
from core.kernel.money import ZERO, money

ADB, BALANCE_DUE = "average_daily_balance", "balance_due"
# detailed entry types that move the balance ADB integrates (BC: Initial Entry,
# Application, Payment Tolerance, Pmt. Disc. Tolerance)
ADB_ENTRY_TYPES = ("initial", "application", "payment_tolerance",
                   "payment_discount_tolerance")


@dataclass(frozen=True)
class FeeRow:
    """One Additional Fee Setup row."""

    threshold: Decimal
    amount: Decimal = ZERO
    pct: Decimal = ZERO
    min_fee: Decimal = ZERO
    max_fee: Decimal = ZERO


def _cap(fee: Decimal, row: FeeRow) -> Decimal:
    if row.max_fee > 0 and fee > row.max_fee:
        fee = row.max_fee
    if fee < row.min_fee:
        fee = row.min_fee
    return fee


def dynamic_fee(remaining: Decimal, rows: Sequence[FeeRow], accumulated: bool,
                currency: str = "") -> Decimal:
    """Single Dynamic: the first row (threshold descending) with remaining >= threshold
    gives amount + remaining x %, capped and floored. Accumulated Dynamic: each such
    row charges amount + (remaining - threshold) x % on its tier, capped and floored;
    the tiers add up."""
    total = ZERO
    for row in sorted(rows, key=lambda r: r.threshold, reverse=True):
        if remaining < row.threshold or remaining <= 0:
            continue
        if not accumulated:
            return money(_cap(row.amount + remaining * row.pct / 100, row), currency)
        total += _cap(row.amount + (remaining - row.threshold) * row.pct / 100, row)
        remaining = row.threshold
    return money(total, currency)


def fee_for(fee_type: str, fixed: Decimal, remaining: Decimal, rows: Sequence[FeeRow],
            currency: str = "") -> Decimal:
    """The fee of a level for ``remaining``: fixed, single or accumulated dynamic."""
    if fee_type == "fixed":
        return money(fixed, currency)
    if fee_type not in ("single_dynamic", "accumulated_dynamic"):
        raise LettrageError(N_("Unknown additional fee calculation type '{fee_type}'"),
                            fee_type=fee_type)
    return dynamic_fee(remaining, rows, fee_type == "accumulated_dynamic", currency)


@dataclass(frozen=True)
class Rate:
    """An interest rate valid from ``start`` (``date.min`` for the terms' own rate)."""

    start: date
    rate: Decimal
    period_days: int


def check_rate(rate: Decimal, period_days: int, where: str) -> None:
    if rate < 0 or rate > 100:
        raise LettrageError(N_("{where}: the interest rate must be between 0 and 100, not {rate}"),
                            where=where, rate=rate)
    if period_days <= 0:
        raise LettrageError(N_("{where}: the interest period must be at least 1 day, not "
                               "{period_days}"), where=where, period_days=period_days)


def rate_on(rates: Sequence[Rate], day: date) -> Rate:
    """The rate in force on ``day`` (the latest start on or before it)."""
    valid = [r for r in rates if r.start <= day]
    if not valid:
        return min(rates, key=lambda r: r.start)
    return max(valid, key=lambda r: r.start)


def _segments(rates: Sequence[Rate], start: date, end: date) -> Sequence[tuple[int, Rate]]:
    """Split [start, end) at the rate start dates: (days, rate) pieces."""
    if isinstance(rates, tuple):
        return _segments_of(rates, start, end)
    return _pieces(rates, start, end)


@lru_cache(maxsize=65536)
def _segments_of(rates: tuple[Rate, ...], start: date, end: date) -> tuple[tuple[int, Rate], ...]:
    """``_segments`` remembered: a run integrates 100,000 entries over a few hundred
    distinct (start, end) pairs."""
    return tuple(_pieces(rates, start, end))


@lru_cache(maxsize=4096)
def _rate_of(rates: tuple[Rate, ...], day: date) -> Rate:
    return rate_on(rates, day)


def _pieces(rates: Sequence[Rate], start: date, end: date) -> list[tuple[int, Rate]]:
    cuts = sorted({r.start for r in rates if start < r.start < end})
    pieces: list[tuple[int, Rate]] = []
    lo = start
    for cut in [*cuts, end]:
        if cut > lo:
            pieces.append(((cut - lo).days, rate_on(rates, lo)))
            lo = cut
    return pieces


@dataclass(frozen=True)
class Movement:
    """A detailed ledger entry as ADB sees it."""

    entry_type: str
    posting_date: date
    amount: Decimal


@dataclass(frozen=True)
class Interest:
    amount: Decimal
    days: int  # days charged (for the line description)
    rate: Decimal  # the rate in force at the end (for the texts)
    base: Decimal  # the overdue amount the days refer to


def adb_interest(due: date, end: date, movements: Sequence[Movement], rates: Sequence[Rate],
                 start_floor: date | None = None, closed_at: date | None = None,
                 currency: str = "") -> Interest:
    """Average Daily Balance: Σ amount x days from its start to ``end`` / period x rate.

    The initial entry counts from the due date, an application from its posting date
    when later; nothing starts before ``start_floor`` (the last memo's or interest-posting
    reminder's document date). Movements after ``end`` are ignored."""
    total = ZERO
    first = max(due, start_floor) if start_floor else due
    base = ZERO
    for m in movements:
        if m.entry_type not in ADB_ENTRY_TYPES or m.posting_date > end:
            continue
        if m.entry_type == "initial":
            base += m.amount
        start = max(first, m.posting_date) if m.entry_type != "initial" else first
        if start >= end:
            continue
        for days, r in _segments(rates, start, end):
            total += m.amount * Decimal(days) / Decimal(r.period_days) * r.rate / 100
    stop = min(end, closed_at) if closed_at else end
    days = max((stop - first).days, 0)
    end_rate = _rate_of(rates, end) if isinstance(rates, tuple) else rate_on(rates, end)
    return Interest(money(total, currency), days, end_rate.rate, base)


def balance_due_interest(remaining: Decimal, rates: Sequence[Rate], end: date,
                         days: int = 0, currency: str = "") -> Interest:
    """Balance Due: remaining x rate (the rate in force at ``end``)."""
    r = rate_on(rates, end)
    return Interest(money(remaining * r.rate / 100, currency), days, r.rate, remaining)


def interest(method: str, *, due: date, end: date, remaining: Decimal,
             movements: Sequence[Movement], rates: Sequence[Rate],
             start_floor: date | None = None, closed_at: date | None = None,
             currency: str = "") -> Interest:
    if method == ADB:
        return adb_interest(due, end, movements, rates, start_floor, closed_at, currency)
    if method == BALANCE_DUE:
        first = max(due, start_floor) if start_floor else due
        return balance_due_interest(remaining, rates, end, max((end - first).days, 0),
                                    currency)
    raise LettrageError(N_("Unknown interest calculation method '{method}'"), method=method)


def days_between(a: date, b: date) -> int:
    return (b - a).days


def next_day(d: date) -> date:
    return d + timedelta(days=1)
