"""The one feature builder of late payment prediction, for training and for scoring.

Pure numpy, no database. Dates are integer day numbers (days since 1970-01-01, what
``numpy.datetime64[D]`` counts); ``NEVER`` stands for "has not happened" (an open
invoice's payment date). Amounts are float major units: these are model inputs, never
money that is posted or shown as a balance.

An invoice is described **as known on its scoring day** ``t``: its own amount, terms,
due day, and what its customer's *other* invoices and payments looked like on that day.
A payment, credit memo or reminder counts only when it happened strictly before ``t``;
an invoice counts as issued when it was posted on or before ``t``. So appending later
payments to the history never changes a row (tests assert it). Training scores each
closed invoice on its posting day, as BC does; open invoices are scored on today.

Every count over "the customer's invoices paid before t" is a prefix sum over the
customer's invoices sorted by payment day, found with ``searchsorted``: no Python loop
over invoices, so 100,000 rows take well under a second.

BC's features (bc-spec §13) come first, then what the ledger tells beyond BC.
Reminders issued come from the collections tables (the customer, document date and
level of each issued reminder): how many the customer got before ``t`` (in all and in
the last 90 days) and the highest level reached before ``t``. A reminder issued on or
after the scoring day never counts; one cancelled later still counts (it was sent, and
its cancellation is not known on ``t`` anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Days = NDArray[np.int64]
Floats = NDArray[np.float64]

NEVER = 4_000_000  # a day number after every real date (date.max is 2,932,896)
_SPAN = 1 << 23  # keys are customer * _SPAN + day, so one sorted array serves all customers
LAST_N = 10  # "its last 10 invoices"
RECENT_N = 3  # the trend compares the last 3 with all
REMINDER_WINDOW = 90
_LEVELS = 1000  # reminder levels are below this

BC_FEATURES = (
    "amount", "payment_terms_days", "corrected",
    "paid_count", "paid_late_count", "paid_late_ratio", "paid_amount", "paid_late_amount",
    "paid_late_amount_ratio", "avg_days_late",
    "outstanding_count", "outstanding_late_count", "outstanding_late_ratio",
    "outstanding_amount", "outstanding_late_amount", "outstanding_late_amount_ratio",
    "avg_outstanding_days_late",
)
EXTRA_FEATURES = (
    "days_since_last_payment", "last10_count", "last10_late_count", "last10_avg_days_late",
    "days_late_trend", "partial_payment_ratio", "reminders_90d", "due_day_of_month",
    "due_month_in_quarter", "amount_vs_average", "reminders_count", "max_reminder_level",
)
FEATURES = BC_FEATURES + EXTRA_FEATURES
COLUMN = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class InvoiceHistory:
    """Every customer invoice the company knows (posted ones and loaded history).

    ``customer`` is a small integer per customer; ``paid`` the day the invoice was
    fully paid (``NEVER`` while open); ``first_payment`` the day of its first (maybe
    partial) payment; ``corrected`` the day a credit memo was first applied to it."""

    customer: Days
    posting: Days
    due: Days
    amount: Floats
    paid: Days
    first_payment: Days
    corrected: Days

    def __len__(self) -> int:
        return len(self.customer)


@dataclass(frozen=True)
class Events:
    """Dated events per customer (payments received, reminders issued with their
    level; ``level`` is None for payments)."""

    customer: Days
    day: Days
    level: Days | None = None

    @staticmethod
    def empty() -> Events:
        return Events(np.zeros(0, np.int64), np.zeros(0, np.int64))


def days(values: object) -> Days:
    """Dates (or ``None`` for never) to day numbers."""
    seq = list(values)  # type: ignore[call-overload]
    out = np.full(len(seq), NEVER, np.int64)
    for i, v in enumerate(seq):
        if v is not None:
            out[i] = np.datetime64(v, "D").astype(np.int64)
    return out


class _Prefix:
    """Sums of value columns over one customer's items with day < or <= t."""

    def __init__(self, customer: Days, day: Days, values: Floats) -> None:
        keys = customer * _SPAN + day
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.day = day[order]
        self.values = values[order]
        self.cum = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(self.values, axis=0)])

    def bounds(self, customer: Days, t: Days, inclusive: bool) -> tuple[Days, Days]:
        start = np.searchsorted(self.keys, customer * _SPAN, "left")
        end = np.searchsorted(self.keys, customer * _SPAN + t, "right" if inclusive else "left")
        return start, end

    def sums(self, start: Days, end: Days) -> Floats:
        return np.asarray(self.cum[end] - self.cum[start])


def _ratio(num: Floats, den: Floats) -> Floats:
    """num / den, NaN where there is nothing to divide (the model treats it as missing)."""
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def build_features(history: InvoiceHistory, rows: Days, as_of: Days,
                   payments: Events | None = None,
                   reminders: Events | None = None) -> Floats:
    """The feature matrix (len(rows) x len(FEATURES)) of ``history``'s invoices
    ``rows`` on the days ``as_of``. ``payments`` defaults to the invoices' payment days.
    An invoice is never scored after its own payment (``as_of`` <= its paid day)."""
    rows = np.asarray(rows, np.int64)
    t = np.broadcast_to(np.asarray(as_of, np.int64), rows.shape).copy()
    if np.any(history.paid[rows] < t):
        raise ValueError("an invoice cannot be scored after the day it was paid")
    # queries sorted by (customer, day) make every searchsorted walk memory in order
    order = np.argsort(history.customer[rows] * _SPAN + t, kind="stable")
    out = np.empty((len(rows), len(FEATURES)))
    out[order] = _build(history, rows[order], t[order], payments, reminders)
    return out


def _build(h: InvoiceHistory, rows: Days, t: Days, payments: Events | None,
           reminders: Events | None) -> Floats:
    c = h.customer[rows]
    out = np.zeros((len(rows), len(FEATURES)))

    def put(name: str, values: NDArray[Any]) -> None:
        out[:, COLUMN[name]] = values

    own_amount = h.amount[rows]
    put("amount", own_amount)
    put("payment_terms_days", h.due[rows] - h.posting[rows])
    put("corrected", h.corrected[rows] < t)
    due_dates = h.due[rows].astype("datetime64[D]")
    month_start = due_dates.astype("datetime64[M]")
    put("due_day_of_month", (due_dates - month_start).astype(np.int64) + 1)
    put("due_month_in_quarter", month_start.astype(np.int64) % 3 + 1)

    # --- invoices paid before t ----------------------------------------------------------
    is_paid = h.paid < NEVER
    late = (h.paid > h.due) & is_paid
    days_late = np.where(is_paid, np.maximum(h.paid - h.due, 0), 0).astype(np.float64)
    partial = (h.first_payment < h.paid) & is_paid
    p = np.flatnonzero(is_paid)
    paid = _Prefix(h.customer[p], h.paid[p], np.column_stack([
        np.ones(len(p)), late[p], h.amount[p], h.amount[p] * late[p], days_late[p],
        partial[p]]).astype(np.float64))
    start, end = paid.bounds(c, t, inclusive=False)
    s = paid.sums(start, end)
    n_paid, n_late = s[:, 0], s[:, 1]
    put("paid_count", n_paid)
    put("paid_late_count", n_late)
    put("paid_late_ratio", _ratio(n_late, n_paid))
    put("paid_amount", s[:, 2])
    put("paid_late_amount", s[:, 3])
    put("paid_late_amount_ratio", _ratio(s[:, 3], s[:, 2]))
    avg_late = _ratio(s[:, 4], n_paid)
    put("avg_days_late", avg_late)
    put("partial_payment_ratio", _ratio(s[:, 5], n_paid))
    put("amount_vs_average", _ratio(own_amount * n_paid, s[:, 2]))
    last = paid.sums(np.maximum(start, end - LAST_N), end)
    put("last10_count", last[:, 0])
    put("last10_late_count", last[:, 1])
    put("last10_avg_days_late", _ratio(last[:, 4], last[:, 0]))
    recent = paid.sums(np.maximum(start, end - RECENT_N), end)
    put("days_late_trend", _ratio(recent[:, 4], recent[:, 0]) - avg_late)

    # --- invoices outstanding on t (posted by t, not paid before t), self excluded -------
    posted = _Prefix(h.customer, h.posting, np.column_stack([np.ones(len(h)), h.amount]))
    ps, pe = posted.bounds(c, t, inclusive=True)
    issued = posted.sums(ps, pe)
    self_open = (h.posting[rows] <= t).astype(np.float64)  # self is never paid before t
    n_out = issued[:, 0] - n_paid - self_open
    amt_out = issued[:, 1] - s[:, 2] - self_open * own_amount
    put("outstanding_count", n_out)
    put("outstanding_amount", amt_out)
    # Outstanding late on t = due before t and not paid before t. An invoice paid on
    # time is never that; one paid late is, from its due day until its payment. So:
    # (not-on-time invoices due before t) - (late-paid invoices paid before t).
    not_on_time = np.flatnonzero(~is_paid | late)
    due_pre = _Prefix(h.customer[not_on_time], h.due[not_on_time], np.column_stack([
        np.ones(len(not_on_time)), h.amount[not_on_time],
        h.due[not_on_time].astype(np.float64)]))
    a = due_pre.sums(*due_pre.bounds(c, t, inclusive=False))
    lp = np.flatnonzero(late)
    late_paid = _Prefix(h.customer[lp], h.paid[lp], np.column_stack([
        np.ones(len(lp)), h.amount[lp], h.due[lp].astype(np.float64)]))
    b = late_paid.sums(*late_paid.bounds(c, t, inclusive=False))
    self_late = (h.due[rows] < t).astype(np.float64)
    n_out_late = a[:, 0] - b[:, 0] - self_late
    amt_out_late = a[:, 1] - b[:, 1] - self_late * own_amount
    sum_due = a[:, 2] - b[:, 2] - self_late * h.due[rows]
    put("outstanding_late_count", n_out_late)
    put("outstanding_late_ratio", _ratio(n_out_late, n_out))
    put("outstanding_late_amount", amt_out_late)
    put("outstanding_late_amount_ratio", _ratio(amt_out_late, amt_out))
    put("avg_outstanding_days_late", _ratio(t * n_out_late - sum_due, n_out_late))

    # --- payments and reminders ----------------------------------------------------------
    if payments is None:
        firsts = h.first_payment < NEVER
        payments = Events(np.concatenate([h.customer[is_paid], h.customer[firsts]]),
                          np.concatenate([h.paid[is_paid], h.first_payment[firsts]]))
    pay = _Prefix(payments.customer, payments.day, np.zeros((len(payments.day), 1)))
    start, end = pay.bounds(c, t, inclusive=False)
    has_pay = end > start
    last_day = np.where(has_pay, pay.day[np.maximum(end - 1, 0)] if len(pay.day) else 0, 0)
    put("days_since_last_payment", np.where(has_pay, t - last_day, np.nan))
    rem = reminders or Events.empty()
    if len(rem.day):
        _reminder_features(rem, c, t, put)
    return out


def _reminder_features(rem: Events, c: Days, t: Days, put: Any) -> None:
    """Reminders before ``t``: in the last 90 days, in all, and the highest level."""
    level = rem.level if rem.level is not None else np.ones(len(rem.day), np.int64)
    r = _Prefix(rem.customer, rem.day, np.ones((len(rem.day), 1)))
    first, r_end = r.bounds(c, t, inclusive=False)
    _, r_start = r.bounds(c, t - REMINDER_WINDOW, inclusive=False)
    put("reminders_90d", r_end - r_start)
    put("reminders_count", r_end - first)
    # running maximum of the level within each customer, in (customer, day) order: a
    # customer's levels are offset by customer * _LEVELS, so the maximum over the sorted
    # array never carries a level across customers
    order = np.argsort(rem.customer * _SPAN + rem.day, kind="stable")
    offset = rem.customer[order] * _LEVELS
    running = np.maximum.accumulate(offset + np.clip(level[order], 0, _LEVELS - 1))
    has = r_end > first
    top = running[np.maximum(r_end - 1, 0)] - c * _LEVELS
    put("max_reminder_level", np.where(has, top, 0))
