"""Demo payment habits, so late payment prediction has something real to learn.

Each non-story demo customer gets a habit from its number: always on time, a chronic
late payer, a quarter-end slipper (late when the due date falls in the last weeks of
a quarter), late only on large invoices, or an ordinary mix. ``plan_payment`` decides
when and how much the demo history pays each posted invoice (called by
``data.demo._History``); ``add_history_and_train`` adds the six months before the
posted ledger as loaded payment history from a "previous system" (two years in all),
then trains the model on the demo's today so the home figure shows predictions.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta
from decimal import Decimal

from core.i18n import _, format_number
from core.kernel.errors import LettrageError
from core.kernel.money import money
from core.kernel.store import Store
from core.ledger.drafts import LedgerEntryView
from core.ledger.models import Party
from core.prediction.history import HistoryRow, add_payment_history
from core.prediction.service import PredictionService

HABITS = ("on_time", "chronic", "quarter_end", "large_late", "ordinary")
_WEIGHTS = (30, 20, 20, 20, 10)
LARGE = Decimal(9000)  # a "large" demo invoice
PREVIOUS_SYSTEM_MONTHS = 6


def habit_of(party_no: str) -> str:
    """The customer's payment habit (stable for a customer number)."""
    n = zlib.crc32(party_no.encode()) % sum(_WEIGHTS)
    for habit, weight in zip(HABITS, _WEIGHTS, strict=True):
        if n < weight:
            return habit
        n -= weight
    return HABITS[-1]  # pragma: no cover


def _is_quarter_end(due: date) -> bool:
    return due.month % 3 == 0 and due.day >= 15


def _late(habit: str, due: date, amount: Decimal, rng: random.Random) -> bool:
    chance = {"on_time": 0.03, "chronic": 0.8, "ordinary": 0.25,
              "quarter_end": 0.85 if _is_quarter_end(due) else 0.05,
              "large_late": 0.85 if amount >= LARGE else 0.05}[habit]
    return rng.random() < chance


def plan_payment(e: LedgerEntryView, rng: random.Random) -> tuple[date, Decimal] | None:
    """When and how much the demo customer pays this invoice (None: not yet)."""
    habit = habit_of(e.party_no)
    due = e.due_date or e.posting_date
    if rng.random() < 0.08:
        return None  # unpaid: stays open (overdue once due)
    if _late(habit, due, e.amount, rng):
        day = due + timedelta(days=rng.randint(5, 45) if habit == "chronic"
                              else rng.randint(3, 30))
        partial = habit == "chronic" and rng.random() < 0.25
        return day, money(e.amount / 2) if partial else e.amount
    if e.pmt_discount_date and rng.random() < 0.5:
        return (e.pmt_discount_date - timedelta(days=rng.randint(0, 5)),
                e.amount - e.remaining_pmt_disc_possible)
    return due - timedelta(days=rng.randint(0, 10)), e.amount


def previous_system(customers: list[Party], first_posted: date, rng: random.Random
                    ) -> list[HistoryRow]:
    """Six months of closed invoices before the posted ledger, paid by habit."""
    rows: list[HistoryRow] = []
    start = first_posted - timedelta(days=30 * PREVIOUS_SYSTEM_MONTHS)
    for party in customers:
        habit = habit_of(party.no)
        terms = rng.choice([14, 30, 30, 60])
        for k in range(rng.randint(4, 9)):
            posted = start + timedelta(days=rng.randint(0, 30 * PREVIOUS_SYSTEM_MONTHS - 1))
            due = posted + timedelta(days=terms)
            amount = money(Decimal(rng.randint(4000, 1500000)) / 100)
            if _late(habit, due, amount, rng):
                paid = due + timedelta(days=rng.randint(3, 45))
            else:
                paid = max(posted, due - timedelta(days=rng.randint(0, 10)))
            rows.append(HistoryRow(party.no, f"OLD-{party.no}-{k + 1:02d}", posted, due,
                                   amount, paid))
    return rows


def add_history_and_train(store: Store, customers: list[Party], first_posted: date,
                          today: date, rng: random.Random) -> str:
    """Load the previous system's history and train; returns a one-line outcome."""
    add_payment_history(store, previous_system(customers, first_posted, rng))
    try:
        report = PredictionService(store, lambda: today).train()
    except LettrageError as exc:  # a tiny demo may not have enough history
        return str(exc)
    return _("prediction model trained: ROC AUC {auc}, {count} open invoices scored").format(
        auc=format_number(Decimal(str(round(report.quality.roc_auc, 2))), 2),
        count=report.predictions)
