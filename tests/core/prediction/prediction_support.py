"""A small company with a known payment history, for the prediction tests."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from core.kernel.store import Store
from core.ledger.models import Party
from core.prediction.history import HistoryRow, add_payment_history
from tests.helpers import invoice

HABITS = {"P01": "on_time", "P02": "on_time", "P03": "late", "P04": "late",
          "P05": "large_late", "P06": "on_time"}


def history_rows(today: date, per_customer: int = 60, seed: int = 3) -> list[HistoryRow]:
    rng = random.Random(seed)
    rows = []
    for no, habit in HABITS.items():
        for k in range(per_customer):
            posted = today - timedelta(days=rng.randint(40, 700))
            due = posted + timedelta(days=30)
            large = rng.random() < 0.3
            amount = Decimal(rng.randint(8000, 20000) if large else rng.randint(100, 2000))
            late = (habit == "late" and rng.random() < 0.9) or \
                (habit == "large_late" and large) or rng.random() < 0.04
            paid = due + timedelta(days=rng.randint(5, 30)) if late \
                else due - timedelta(days=rng.randint(0, 10))
            rows.append(HistoryRow(no, f"H{no}-{k:03d}", posted, due, amount, paid))
    return rows


def seed_customers(store: Store) -> None:
    with store.write() as s:
        for no in HABITS:
            s.add(Party(party_type="customer", no=no, name=f"Customer {no}",
                        payment_terms_code="30D"))


def company_with_history(store: Store, today: date, per_customer: int = 60) -> None:
    """Customers, their paid history, and one open invoice each, posted 5 days ago."""
    seed_customers(store)
    add_payment_history(store, history_rows(today, per_customer))
    for no in HABITS:
        invoice(store, no, "500", today - timedelta(days=5))
