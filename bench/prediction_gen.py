"""A payment history with known behaviour, for the prediction benchmark and tests.

Customers follow one of five habits: always on time, chronic late payers, quarter-end
slippers (late when the due day falls in the last weeks of a quarter), late only on
large invoices, and customers who get slower over time. 8 % of payments are random
noise. Invoices are spread over two years up to ``today``; payments after ``today``
are not known yet (the invoice is open), exactly as in a real ledger. A reminder run
reminds every invoice still unpaid 7, 21 and 35 days after its due day (levels 1, 2,
3); reminders after ``today`` are not known yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.prediction.features import NEVER, Events, InvoiceHistory

HABITS = ("on_time", "chronic", "quarter_end", "large_late", "slowing")
TODAY = int(np.datetime64("2026-11-27", "D").astype(np.int64))


@dataclass(frozen=True)
class Generated:
    history: InvoiceHistory  # as known on today
    true_paid: np.ndarray  # every invoice's real payment day (also after today)
    habit: np.ndarray  # per customer, an index into HABITS
    today: int
    reminders: Events  # issued before today, with their level


def generate(n_invoices: int, seed: int = 0, today: int = TODAY,
             invoices_per_customer: int = 40) -> Generated:
    rng = np.random.default_rng(seed)
    n_customers = max(5, n_invoices // invoices_per_customer)
    habit = rng.choice(len(HABITS), n_customers, p=[0.35, 0.2, 0.15, 0.15, 0.15])
    typical = rng.lognormal(7, 0.8, n_customers)  # each customer's usual invoice amount
    terms_of = rng.choice([14, 30, 30, 45, 60], n_customers)
    customer = rng.integers(0, n_customers, n_invoices)
    posting = today - rng.integers(1, 730, n_invoices)
    due = posting + terms_of[customer]
    large = rng.random(n_invoices) < 0.2
    amount = np.round(typical[customer] * np.where(large, rng.uniform(2.5, 6, n_invoices),
                                                   rng.uniform(0.3, 1.5, n_invoices)), 2)
    h = habit[customer]
    due_dt = due.astype("datetime64[D]")
    month = due_dt.astype("datetime64[M]")
    day = (due_dt - month).astype(np.int64) + 1
    quarter_end = (month.astype(np.int64) % 3 == 2) & (day >= 15)
    age = (today - posting) / 730.0  # 1 = two years ago, 0 = today
    p_late = np.select(
        [h == 0, h == 1, h == 2, h == 3, h == 4],
        [np.full(n_invoices, 0.03), np.full(n_invoices, 0.85),
         np.where(quarter_end, 0.9, 0.05), np.where(large, 0.9, 0.05),
         np.clip(0.9 - age, 0.05, 0.9)])
    noise = rng.random(n_invoices) < 0.08
    is_late = np.where(noise, rng.random(n_invoices) < 0.5, rng.random(n_invoices) < p_late)
    delay = np.where(h == 1, rng.integers(5, 45, n_invoices), rng.integers(3, 30, n_invoices))
    paid = np.where(is_late, due + delay, due - rng.integers(0, np.maximum(terms_of[customer]
                                                                           // 2, 1)))
    paid = np.maximum(paid, posting)
    partial = (h == 1) & (rng.random(n_invoices) < 0.3)
    first = np.where(partial, posting + (paid - posting) // 2, paid)
    known_paid = np.where(paid < today, paid, NEVER)
    known_first = np.where(first < today, first, NEVER)
    history = InvoiceHistory(customer.astype(np.int64), posting.astype(np.int64),
                             due.astype(np.int64), amount.astype(np.float64),
                             known_paid.astype(np.int64), known_first.astype(np.int64),
                             np.full(n_invoices, NEVER, np.int64))
    customers, days_, levels = [], [], []
    for level, after in ((1, 7), (2, 21), (3, 35)):
        day = due + after
        hit = (paid > day) & (day < today)
        customers.append(customer[hit])
        days_.append(day[hit])
        levels.append(np.full(int(hit.sum()), level))
    reminders = Events(np.concatenate(customers).astype(np.int64),
                       np.concatenate(days_).astype(np.int64),
                       np.concatenate(levels).astype(np.int64))
    return Generated(history, paid.astype(np.int64), habit, today, reminders)
