"""The feature builder: hand-built history => hand-computed values; no leakage."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import numpy as np
import pytest

from core.prediction.features import (
    COLUMN,
    FEATURES,
    NEVER,
    Events,
    InvoiceHistory,
    build_features,
    days,
)


def history(rows: list[tuple[int, date, date, float, date | None, date | None, date | None]]
            ) -> InvoiceHistory:
    return InvoiceHistory(
        customer=np.array([r[0] for r in rows], np.int64), posting=days(r[1] for r in rows),
        due=days(r[2] for r in rows), amount=np.array([r[3] for r in rows], np.float64),
        paid=days(r[4] for r in rows), first_payment=days(r[5] for r in rows),
        corrected=days(r[6] for r in rows))


D = date
BASE = [
    # customer, posted, due, amount, paid, first payment, corrected
    (0, D(2025, 1, 1), D(2025, 1, 31), 100.0, D(2025, 1, 20), D(2025, 1, 20), None),
    (0, D(2025, 2, 1), D(2025, 3, 3), 200.0, D(2025, 3, 13), D(2025, 2, 20), None),
    (0, D(2025, 3, 1), D(2025, 3, 31), 300.0, None, None, D(2025, 3, 5)),
    (0, D(2025, 4, 1), D(2025, 5, 1), 400.0, None, None, None),
    (1, D(2025, 1, 1), D(2025, 1, 10), 999.0, D(2025, 2, 10), D(2025, 2, 10), None),
]
T = D(2025, 4, 15)
REMINDERS = Events(np.array([0, 0, 0, 1], np.int64),
                   days([D(2025, 1, 1), D(2025, 4, 1), D(2025, 4, 15), D(2025, 4, 10)]),
                   np.array([1, 2, 3, 4], np.int64))


def features_of(rows: list, index: int, on: date, reminders: Events | None = REMINDERS
                ) -> dict[str, float]:
    matrix = build_features(history(rows), np.array([index]), days([on]),
                            reminders=reminders)
    return dict(zip(FEATURES, matrix[0].tolist(), strict=True))


def test_hand_built_history_gives_hand_computed_features() -> None:
    f = features_of(BASE, 3, T)
    expected = {
        "amount": 400, "payment_terms_days": 30, "corrected": 0,
        "paid_count": 2, "paid_late_count": 1, "paid_late_ratio": 0.5,
        "paid_amount": 300, "paid_late_amount": 200, "paid_late_amount_ratio": 200 / 300,
        "avg_days_late": 5,  # (0 + 10) / 2
        "outstanding_count": 1, "outstanding_late_count": 1, "outstanding_late_ratio": 1,
        "outstanding_amount": 300, "outstanding_late_amount": 300,
        "outstanding_late_amount_ratio": 1,
        "avg_outstanding_days_late": 15,  # 31 March -> 15 April
        "days_since_last_payment": 33,  # 13 March -> 15 April
        "last10_count": 2, "last10_late_count": 1, "last10_avg_days_late": 5,
        "days_late_trend": 0, "partial_payment_ratio": 0.5,
        "reminders_90d": 1,  # 1 Jan is outside the 90 days, 15 April is not before t
        "reminders_count": 2,  # 1 Jan and 1 April; customer 1's level 4 is not its own
        "max_reminder_level": 2,  # the level 3 of 15 April is issued on t: not yet known
        "due_day_of_month": 1, "due_month_in_quarter": 2,  # 1 May: 2nd month of Q2
        "amount_vs_average": 400 / 150,
    }
    assert set(expected) == set(FEATURES)
    for name, value in expected.items():
        assert f[name] == pytest.approx(value), name


def test_credit_memo_correction_counts_from_the_day_after_it() -> None:
    assert features_of(BASE, 2, D(2025, 3, 5))["corrected"] == 0
    assert features_of(BASE, 2, D(2025, 3, 6))["corrected"] == 1


def test_reminder_level_is_per_customer_and_before_the_day() -> None:
    # customer 1: one level-4 reminder on 10 April; customer 0's levels never leak in
    assert features_of(BASE, 4, D(2025, 2, 10))["max_reminder_level"] == 0
    f = features_of(BASE, 3, D(2025, 4, 16))
    assert (f["reminders_count"], f["max_reminder_level"]) == (3, 3)
    f = features_of(BASE, 3, D(2025, 1, 2))
    assert (f["reminders_count"], f["max_reminder_level"]) == (1, 1)


def test_a_new_customer_has_missing_ratios_not_zero() -> None:
    f = features_of(BASE, 4, D(2025, 1, 1), reminders=None)
    assert f["paid_count"] == 0 and f["outstanding_count"] == 0
    for name in ("paid_late_ratio", "avg_days_late", "days_since_last_payment",
                 "amount_vs_average", "outstanding_late_ratio"):
        assert math.isnan(f[name]), name


def test_appending_future_payments_and_invoices_leaves_features_unchanged() -> None:
    before = features_of(BASE, 3, T)
    future = [list(r) for r in BASE]
    future[2][4] = future[2][5] = D(2025, 5, 2)  # the open invoice gets paid later
    future[3][4] = future[3][5] = D(2025, 6, 1)  # so does the scored one itself
    future.append([0, D(2025, 4, 20), D(2025, 5, 20), 50.0, D(2025, 4, 25),
                   D(2025, 4, 25), None])
    future.append([0, D(2025, 4, 16), D(2025, 4, 16), 70.0, D(2025, 4, 15),
                   D(2025, 4, 15), D(2025, 4, 15)])  # paid on t itself: not yet known
    later_reminders = Events(np.append(REMINDERS.customer, 0),
                             np.append(REMINDERS.day, days([D(2025, 4, 20)])),
                             np.append(np.asarray(REMINDERS.level), 5))
    after = features_of([tuple(r) for r in future], 3, T, reminders=later_reminders)
    assert after == pytest.approx(before, nan_ok=True)


def test_scoring_an_invoice_after_its_payment_is_refused() -> None:
    with pytest.raises(ValueError, match="after the day it was paid"):
        build_features(history(BASE), np.array([0]), days([D(2025, 2, 1)]))


def _reference_outstanding(rows: list, i: int, t: date) -> tuple[int, int, float]:
    """The obvious loop: other invoices of the customer outstanding / late on t."""
    n = late = 0
    total_days = 0.0
    for j, r in enumerate(rows):
        if j == i or r[0] != rows[i][0] or r[1] > t or (r[4] is not None and r[4] < t):
            continue
        n += 1
        if r[2] < t:
            late += 1
            total_days += (t - r[2]).days
    return n, late, total_days / late if late else math.nan


def test_vectorised_outstanding_figures_match_a_plain_loop_on_random_histories() -> None:
    rng = random.Random(7)
    start = D(2024, 1, 1)
    rows = []
    for _ in range(400):
        posted = start + timedelta(days=rng.randint(0, 500))
        due = posted + timedelta(days=rng.choice([0, 14, 30, 60]))
        paid = posted + timedelta(days=rng.randint(0, 120)) if rng.random() < 0.8 else None
        rows.append((rng.randint(0, 9), posted, due, float(rng.randint(1, 1000)), paid, paid,
                     None))
    h = history(rows)
    picks = list(range(len(rows)))
    as_of = [rows[i][1] + timedelta(days=rng.randint(0, 40)) for i in picks]
    as_of = [min(a, rows[i][4]) if rows[i][4] else a for a, i in zip(as_of, picks, strict=True)]
    m = build_features(h, np.array(picks), days(as_of))
    for k, (i, t) in enumerate(zip(picks, as_of, strict=True)):
        n, late, avg = _reference_outstanding(rows, i, t)
        assert m[k, COLUMN["outstanding_count"]] == n
        assert m[k, COLUMN["outstanding_late_count"]] == late
        got = m[k, COLUMN["avg_outstanding_days_late"]]
        assert (math.isnan(got) and math.isnan(avg)) or got == pytest.approx(avg)
    assert days([date.max])[0] < NEVER
