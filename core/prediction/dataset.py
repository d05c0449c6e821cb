"""From an invoice history to what the model learns from and what it scores (pure).

Learning rows: every closed invoice, scored on its posting day, labelled late when it
was paid after its due day, with its days late (payment - due). Invoices still open
and already overdue on today are known to be late too (not yet by how much): leaving
them out would hide the newest late payers from the model (right-censoring), so they
are learning rows for the classifier only.

Scoring rows: open invoices not yet due on today (BC predicts those; an overdue one
is already late), scored on today.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.prediction.features import NEVER, Events, InvoiceHistory, build_features


@dataclass(frozen=True)
class LearningSet:
    x: NDArray[np.float64]
    late: NDArray[np.bool_]
    days_late: NDArray[np.float64]
    has_days: NDArray[np.bool_]
    posting: NDArray[np.int64]
    closed: int  # closed invoices among the rows (the 10 % retraining rule counts these)


def learning_rows(h: InvoiceHistory, today: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    closed = (h.paid < NEVER) & (h.paid >= h.posting) & (h.paid < today)
    open_late = (h.paid >= today) & (h.due < today)
    rows = np.flatnonzero(closed | open_late)
    return rows, closed[rows]


def learning_set(h: InvoiceHistory, today: int, payments: Events | None = None,
                 reminders: Events | None = None) -> LearningSet:
    rows, closed = learning_rows(h, today)
    x = build_features(h, rows, h.posting[rows], payments, reminders)
    late = (h.paid[rows] > h.due[rows]) | ~closed
    days_late = np.where(closed, h.paid[rows] - h.due[rows], 0).astype(np.float64)
    return LearningSet(x, late, days_late, closed, h.posting[rows], int(closed.sum()))


def closed_count(h: InvoiceHistory, today: int) -> int:
    return int(((h.paid < NEVER) & (h.paid >= h.posting) & (h.paid < today)).sum())


def scoring_rows(h: InvoiceHistory, today: int) -> NDArray[np.int64]:
    return np.flatnonzero((h.paid >= today) & (h.due >= today) & (h.posting <= today))


def scoring_set(h: InvoiceHistory, today: int, payments: Events | None = None,
                reminders: Events | None = None
                ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    rows = scoring_rows(h, today)
    return rows, build_features(h, rows, np.full(len(rows), today, np.int64), payments,
                                reminders)
