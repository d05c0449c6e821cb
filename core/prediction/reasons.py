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
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.i18n import _, format_percent, get_language, ngettext
from core.i18n.formats import symbols
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


@lru_cache(maxsize=8)
def _separators(language: str) -> dict[int, str]:
    group, decimal = symbols(language)
    return str.maketrans({",": group, ".": decimal})


class _Local(float):
    """A number formatted by a message's own spec (``{ratio:.1f}``) with the current
    language's decimal sign: 0,2 in French, not 0.2."""

    def __format__(self, spec: str) -> str:
        return format(float(self), spec).translate(_separators(get_language()))


def _amount(value: float) -> str:
    """Two decimals with the language's grouping (what Babel's format_number gives,
    without parsing its pattern for every one of 100,000 rows)."""
    return f"{round(value, 2):,.2f}".translate(_separators(get_language()))


def _record(f: Row) -> str:
    n = int(f("last10_count"))
    if n == 0:
        return _("a new customer: no invoice paid yet")
    late = int(f("last10_late_count"))
    if late == 0:
        return ngettext("paid its last invoice on time",
                        "paid all of its last {n} invoices on time", n).format(n=n)
    avg = f("last10_avg_days_late") * n / late
    if n == LAST_N:
        text = _("paid {late} of its last {n} invoices late, {days:.0f} days on average")
    else:
        text = _("paid {late} of its {n} invoices late, {days:.0f} days on average")
    return text.format(late=late, n=n, days=avg)


def _overdue(f: Row) -> str:
    n, late = int(f("outstanding_count")), int(f("outstanding_late_count"))
    if late:
        return ngettext("has {late} overdue invoice open ({amount}), {days:.0f} days overdue "
                        "on average",
                        "has {late} overdue invoices open ({amount}), {days:.0f} days "
                        "overdue on average", late).format(
            late=late, amount=_amount(f("outstanding_late_amount")),
            days=f("avg_outstanding_days_late"))
    if n:
        return ngettext("has {n} other invoice open, none overdue",
                        "has {n} other invoices open, none overdue", n).format(n=n)
    return _("has no other invoice open")


def _trend(f: Row) -> str:
    trend, avg = f("days_late_trend"), f("avg_days_late")
    if math.isnan(trend):
        return _("no payment record yet")
    recent = trend + avg
    text = (_("pays later lately: {recent:.0f} days late on its last {n} invoices, "
              "{avg:.0f} overall") if trend > 0 else
            _("pays sooner lately: {recent:.0f} days late on its last {n} invoices, "
              "{avg:.0f} overall"))
    return text.format(recent=recent, n=RECENT_N, avg=avg)


def _last_payment(f: Row) -> str:
    d = f("days_since_last_payment")
    return _("has never paid") if math.isnan(d) else _(
        "last payment received {days:.0f} days ago").format(days=d)


def _amount_reason(f: Row) -> str:
    ratio = f("amount_vs_average")
    amount = _amount(f("amount"))
    if math.isnan(ratio):
        return _("an invoice of {amount}").format(amount=amount)
    if ratio >= 1.5:
        text = _("a large invoice: {amount}, {ratio:.1f}x its average")
    elif ratio <= 0.67:
        text = _("a small invoice: {amount}, {ratio:.1f}x its average")
    else:
        text = _("a usual invoice: {amount}, {ratio:.1f}x its average")
    return text.format(amount=amount, ratio=_Local(ratio))


def _terms(f: Row) -> str:
    return _("payment terms of {days:.0f} days").format(days=f("payment_terms_days"))


def _due_day(f: Row) -> str:
    day, month = int(f("due_day_of_month")), int(f("due_month_in_quarter"))
    if month == 3 and day >= 20:
        return _("due at the end of a quarter")
    which = (_("first"), _("second"), _("third"))[month - 1]
    return _("due on day {day} of the month ({which} of its quarter)").format(
        day=day, which=which)


def _partial(f: Row) -> str:
    ratio = f("partial_payment_ratio")
    if math.isnan(ratio) or ratio == 0:
        return _("pays its invoices in one payment")
    share = format_percent(Decimal(round(ratio * 100)))
    return _("pays in parts ({ratio} of its invoices)").format(ratio=share)


def _corrected(f: Row) -> str:
    return (_("corrected by a credit memo") if f("corrected")
            else _("not corrected by a credit memo"))


def _reminders(f: Row) -> str:
    n, total, level = int(f("reminders_90d")), int(f("reminders_count")), \
        int(f("max_reminder_level"))
    if total == 0:
        return _("never reminded")
    return ngettext("{n} reminder in the last {days} days, {total} in all, up to level {level}",
                    "{n} reminders in the last {days} days, {total} in all, up to level {level}",
                    n).format(n=n, days=REMINDER_WINDOW, total=total, level=level)


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
    """The words for many rows, in the current language. Each distinct (group, values)
    is worded once: many invoices share a customer's record, terms or due day, so
    100,000 rows need far fewer gettext look-ups and number formats than reasons."""
    picks = _picks(contributions, late)
    rows = features[:, _USED].tolist()  # the columns the wordings read, as Python floats
    words: dict[tuple[int, Any], str] = {}
    out = []
    for i, picked in enumerate(picks):
        row = []
        for g in picked:
            key = (g, _GET[g](rows[i]))
            text = words.get(key)
            if text is None:
                name = _GROUP_NAMES[g]
                got = key[1] if len(USES[name]) > 1 else (key[1],)
                text = words[key] = WORDING[name](_reader(dict(zip(USES[name], got,
                                                                   strict=True))))
            row.append(text)
        out.append(row)
    return out


# The features each group's wording reads (its own, plus the trend's overall average).
USES: dict[str, tuple[str, ...]] = {**GROUPS, "trend": ("days_late_trend", "avg_days_late")}
Stored = list[Any]  # [group, {feature: value}] or, from older versions, an English sentence
_USED = sorted({COLUMN[n] for names in USES.values() for n in names})
# per group (in _GROUP_NAMES order): its values from a row of the _USED columns
_GET = [itemgetter(*(_USED.index(COLUMN[n]) for n in USES[name])) for name in GROUPS]


def _picks(contributions: NDArray[np.float64], late: NDArray[np.bool_]) -> list[list[int]]:
    """Per row, the groups that pushed towards the prediction most (at least one),
    strongest first. The group sums and the ranking are vectorised."""
    toward = group_weights(contributions) * np.where(late, 1.0, -1.0)[:, None]
    order = np.argsort(-toward, axis=1)[:, :MAX_REASONS]
    strong = (np.take_along_axis(toward, order, axis=1) >= MIN_WEIGHT).tolist()
    return [[g for g, keep in zip(groups, keeps, strict=True) if keep] or groups[:1]
            for groups, keeps in zip(order.tolist(), strong, strict=True)]


def reason_records(features: NDArray[np.float64], contributions: NDArray[np.float64],
                   late: NDArray[np.bool_]) -> list[list[Stored]]:
    """Language-neutral reasons for many rows (stored; ``render`` words them in the
    reader's language)."""
    out = []
    for i, picked in enumerate(_picks(contributions, late)):
        row = features[i]
        out.append([[_GROUP_NAMES[g], {name: float(row[COLUMN[name]])
                                       for name in USES[_GROUP_NAMES[g]]}] for g in picked])
    return out


def _reader(values: dict[str, float]) -> Row:
    return lambda name: float(values[name])


def render(stored: list[Stored] | list[str]) -> list[str]:
    """Stored reasons as sentences in the current language (older stored sentences are
    shown as they were written)."""
    return _render(stored, get_language())


def _render(stored: list[Stored] | list[str], language: str) -> list[str]:
    out = []
    for item in stored:
        if isinstance(item, str):
            out.append(item)
        else:
            group, values = item
            out.append(_sentence(language, group, tuple(values.items())))
    return out


@lru_cache(maxsize=1 << 16)
def _sentence(language: str, group: str, values: tuple[tuple[str, float], ...]) -> str:
    """One reason in words, cached: many invoices share a customer's record, terms or due
    day, so 100,000 rows need far fewer gettext look-ups and formats than reasons.
    ``language`` is the current one (it keys the cache)."""
    return WORDING[group](_reader(dict(values)))
