"""``lettrage load payment-history FILE.csv``: closed invoices from a previous system.

Columns ``customer_no,document_no,posting_date,due_date,amount,paid_date``. The rows are
kept as learning history and customer figures, never posted. Every row is checked
before anything is written (the same CSV reader and row errors as the other loads):
a paid date before the posting date, a due date before it, an unknown customer, a
document twice, or a non-positive amount names the file, row and column, and nothing
is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlmodel import select

from core.i18n import N_
from core.kernel.money import to_minor
from core.kernel.store import Store
from core.kernel.users import os_user

# The shared CSV reader of the migration loads (row/column error reporting).
from core.ledger.load_csv import RowError, Rows, lock_loads, previous_load, record_load
from core.ledger.loading import LoadResult, _amount, _check_rows, _date
from core.ledger.models import Party
from core.prediction.models import PaymentHistory

HISTORY_COLUMNS = ("customer_no", "document_no", "posting_date", "due_date", "amount",
                   "paid_date")


@dataclass(frozen=True)
class HistoryRow:
    customer_no: str
    document_no: str
    posting_date: date
    due_date: date
    amount: Decimal
    paid_date: date

    def record(self) -> PaymentHistory:
        return PaymentHistory(customer_no=self.customer_no, document_no=self.document_no,
                              posting_date=self.posting_date, due_date=self.due_date,
                              amount=to_minor(self.amount), paid_date=self.paid_date)


def add_payment_history(store: Store, rows: list[HistoryRow]) -> int:
    """Add already checked rows (the demo's previous system) in one transaction."""
    for r in rows:
        if r.paid_date < r.posting_date or r.due_date < r.posting_date or r.amount <= 0:
            raise ValueError(f"history row {r.document_no} is not a paid invoice")
    with store.write() as s:
        s.add_all([r.record() for r in rows])
    return len(rows)


def load_payment_history(store: Store, path: Path) -> LoadResult:
    rows = Rows(path, HISTORY_COLUMNS)
    parsed: list[PaymentHistory] = []
    seen: set[tuple[str, str]] = set()
    with store.write() as s:
        lock_loads(s)  # one load at a time; the same file twice loads nothing
        if (previous := previous_load(s, "payment-history", rows.sha256)) is not None:
            return LoadResult("payment-history", str(path), rows.count, 0,
                              already_loaded=previous.describe(rows.path))
        customers = set(s.exec(select(Party.no).where(Party.party_type == "customer")).all())
        existing = {(h.customer_no, h.document_no) for h in s.exec(select(PaymentHistory))}

        def check(i: int, row: dict[str, str]) -> None:
            customer, doc = row["customer_no"], row["document_no"]
            if customer not in customers:
                raise RowError("customer_no", N_("customer '{customer}' does not exist (load "
                                                 "customers first)"), customer=customer)
            if not doc or len(doc) > 40:
                raise RowError("document_no", N_("a document number of 1 to 40 characters is "
                                                 "required"))
            if (customer, doc) in seen or (customer, doc) in existing:
                raise RowError("document_no", N_("invoice {doc} of {customer} appears twice")
                               if (customer, doc) in seen else
                               N_("invoice {doc} of {customer} is already in the history"),
                               doc=doc, customer=customer)
            posting = _date(row["posting_date"], "posting_date")
            due = _date(row["due_date"], "due_date")
            paid = _date(row["paid_date"], "paid_date")
            assert posting is not None and due is not None and paid is not None
            if due < posting:
                raise RowError("due_date", N_("due date {due} is before the posting date "
                                              "{posting}"), due=due, posting=posting)
            if paid < posting:
                raise RowError("paid_date", N_("paid date {paid} is before the posting date "
                                               "{posting}"), paid=paid, posting=posting)
            amount = _amount(row["amount"], "amount")
            if amount <= 0:
                raise RowError("amount", N_("'{value}' must be a positive invoice amount"),
                               value=row['amount'])
            seen.add((customer, doc))
            parsed.append(HistoryRow(customer, doc, posting, due, amount, paid).record())

        count = _check_rows(rows, check)
        s.add_all(parsed)
        record_load(s, "payment-history", rows, os_user(""))
    return LoadResult("payment-history", str(path), count, len(parsed))
