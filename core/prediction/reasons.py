"""Why an invoice is predicted late or on time, in words.

The classifier's path contributions (``trees.Forest.raw(explain=True)``, log-odds of
"late" per feature, adding up to the score) are summed per group of related features
(a customer's payment record, its overdue invoices, the amount, ...). The groups that
pushed towards the prediction's side most (positive for Late, negative for On time)
are worded from the invoice's own feature values: at most three, strongest first.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from core.prediction.features import COLUMN, LAST_N, RECENT_N, REMINDER_WINDOW

MAX_REASONS = 3
MIN_WEIGHT = 0.02  # log-odds: below this a group did not really push

Row = Callable[[str], float]

GROUPS: dict[str, tuple[str, ...]] = {
    "record": ("paid_count", "paid_late_count", "paid_late_ratio", "paid_amount",
               "paid_late_amount", "paid_late_amount_ratio", "avg_days_late", "last10_count",
               "last10_late_count", "last10_avg_days_late"),
    "overdue": ("outstanding_count", "outstanding_late_count", "outstanding_late_ratio",
                "outstanding_amount", "outstanding_late_amount",
                "outstanding_late_amount_ratio", "avg_outstanding_days_late"),
    "trend": ("days_late_trend",),
    "last_payment": ("days_since_last_payment",),
    "amount": ("amount", "amount_vs_average"),
    "terms": ("payment_terms_days",),
    "due_day": ("due_day_of_month", "due_month_in_quarter"),
    "partial": ("partial_payment_ratio",),
    "corrected": ("corrected",),
    "reminders": ("reminders_90d", "reminders_count", "max_reminder_level"),
}


def _amount(value: float) -> str:
    return f"{value:,.2f}"


def _record(f: Row) -> str:
    n = int(f("last10_count"))
    if n == 0:
        return "a new customer: no invoice paid yet"
    late = int(f("last10_late_count"))
    if late == 0:
        return f"paid all of its last {n} invoices on time"
    avg = f("last10_avg_days_late") * n / late
    last = f"its last {n}" if n == LAST_N else f"its {n}"
    return f"paid {late} of {last} invoices late, {avg:.0f} days on average"


def _overdue(f: Row) -> str:
    n, late = int(f("outstanding_count")), int(f("outstanding_late_count"))
    if late:
        return (f"has {late} overdue invoice{'s' if late > 1 else ''} open "
                f"({_amount(f('outstanding_late_amount'))}), "
                f"{f('avg_outstanding_days_late'):.0f} days overdue on average")
    if n:
        return f"has {n} other invoice{'s' if n > 1 else ''} open, none overdue"
    return "has no other invoice open"


def _trend(f: Row) -> str:
    trend, avg = f("days_late_trend"), f("avg_days_late")
    if math.isnan(trend):
        return "no payment record yet"
    recent = trend + avg
    word = "later" if trend > 0 else "sooner"
    return (f"pays {word} lately: {recent:.0f} days late on its last {RECENT_N} invoices, "
            f"{avg:.0f} overall")


def _last_payment(f: Row) -> str:
    d = f("days_since_last_payment")
    return "has never paid" if math.isnan(d) else f"last payment received {d:.0f} days ago"


def _amount_reason(f: Row) -> str:
    ratio = f("amount_vs_average")
    if math.isnan(ratio):
        return f"an invoice of {_amount(f('amount'))}"
    size = "a large" if ratio >= 1.5 else "a small" if ratio <= 0.67 else "a usual"
    return f"{size} invoice: {_amount(f('amount'))}, {ratio:.1f}x its average"


def _terms(f: Row) -> str:
    return f"payment terms of {f('payment_terms_days'):.0f} days"


def _due_day(f: Row) -> str:
    day, month = int(f("due_day_of_month")), int(f("due_month_in_quarter"))
    if month == 3 and day >= 20:
        return "due at the end of a quarter"
    return f"due on day {day} of the month ({('first', 'second', 'third')[month - 1]} "\
           "of its quarter)"


def _partial(f: Row) -> str:
    ratio = f("partial_payment_ratio")
    if math.isnan(ratio) or ratio == 0:
        return "pays its invoices in one payment"
    return f"pays in parts ({ratio:.0%} of its invoices)"


def _corrected(f: Row) -> str:
    return "corrected by a credit memo" if f("corrected") else "not corrected by a credit memo"


def _reminders(f: Row) -> str:
    n, total, level = int(f("reminders_90d")), int(f("reminders_count")), \
        int(f("max_reminder_level"))
    if total == 0:
        return "never reminded"
    return (f"{n} reminder{'s' if n != 1 else ''} in the last {REMINDER_WINDOW} days, "
            f"{total} in all, up to level {level}")


WORDING: dict[str, Callable[[Row], str]] = {
    "record": _record, "overdue": _overdue, "trend": _trend, "last_payment": _last_payment,
    "amount": _amount_reason, "terms": _terms, "due_day": _due_day, "partial": _partial,
    "corrected": _corrected, "reminders": _reminders,
}
_GROUP_NAMES = tuple(GROUPS)
_GROUP_MATRIX = np.zeros((len(COLUMN), len(GROUPS)))
for _g, _names in enumerate(GROUPS.values()):
    for _name in _names:
        _GROUP_MATRIX[COLUMN[_name], _g] = 1.0


def group_weights(contributions: NDArray[np.float64]) -> NDArray[np.float64]:
    """Contributions (rows x features) summed per group (rows x groups)."""
    return np.asarray(contributions @ _GROUP_MATRIX)


def reasons(features: NDArray[np.float64], contributions: NDArray[np.float64],
            late: bool) -> list[str]:
    """The words for one row: the groups that pushed towards the prediction most."""
    return reasons_many(features[None, :], contributions[None, :], np.array([late]))[0]


def reasons_many(features: NDArray[np.float64], contributions: NDArray[np.float64],
                 late: NDArray[np.bool_]) -> list[list[str]]:
    """The words for many rows (the group sums and the ranking are vectorised)."""
    toward = group_weights(contributions) * np.where(late, 1.0, -1.0)[:, None]
    order = np.argsort(-toward, axis=1)[:, :MAX_REASONS]
    out = []
    for i in range(len(features)):
        row = features[i]

        def f(name: str, row: NDArray[np.float64] = row) -> float:
            return float(row[COLUMN[name]])

        picked = [g for g in order[i] if toward[i, g] >= MIN_WEIGHT] or [order[i][0]]
        out.append([WORDING[_GROUP_NAMES[g]](f) for g in picked])
    return out
