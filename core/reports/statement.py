"""Customer statement (BC report Customer Statement, bc-spec §9.4): for a customer and a
period, the opening balance, every entry of the period with a running balance, the
closing balance, and the entries open at the statement date with their aging.

The balance at a date is the sum of the customer's detailed entries posted up to it
(applications between the customer's own entries cancel out; payment discounts,
tolerances and rounding change it). The lines are those detailed entries of the period
that are not applications: each document's initial entry and each discount or
tolerance granted, so opening + lines = closing, always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.kernel.money import from_minor
from core.ledger.models import Company, Party
from core.reports.aging import DLE, LE, AgedEntry, AgingOptions, aged_entries, bucket_keys


@dataclass(frozen=True)
class StatementLine:
    posting_date: date
    entry_type: str  # initial | payment_discount | payment_tolerance | ...
    document_type: str
    document_no: str
    description: str
    due_date: date | None
    amount: Decimal
    balance: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"posting_date": self.posting_date.isoformat(), "entry_type": self.entry_type,
                "document_type": self.document_type, "document_no": self.document_no,
                "description": self.description,
                "due_date": self.due_date.isoformat() if self.due_date else None,
                "amount": str(self.amount), "balance": str(self.balance)}


@dataclass(frozen=True)
class Statement:
    customer_no: str
    name: str
    address: tuple[str, ...]
    email: str
    language: str
    currency: str
    company_name: str
    date_from: date
    date_to: date
    opening: Decimal
    lines: tuple[StatementLine, ...]
    closing: Decimal
    open_entries: tuple[AgedEntry, ...]
    aging_keys: tuple[str, ...]
    aging: tuple[Decimal, ...]

    @property
    def overdue(self) -> Decimal:
        return sum((a for a in self.aging[1:]), Decimal(0))

    def as_dict(self) -> dict[str, Any]:
        return {"customer_no": self.customer_no, "name": self.name, "email": self.email,
                "language": self.language, "currency": self.currency,
                "date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat(),
                "opening_balance": str(self.opening),
                "lines": [ln.as_dict() for ln in self.lines],
                "closing_balance": str(self.closing), "overdue": str(self.overdue),
                "open_entries": [e.as_dict() for e in self.open_entries],
                "aging": {k: str(a) for k, a in zip(self.aging_keys, self.aging, strict=True)}}


def balance_at(s: Session, customer_no: str, day: date) -> int:
    """The customer's balance at the end of ``day`` in minor units."""
    return int(s.execute(select(func.coalesce(func.sum(DLE.c.amount), 0)).where(
        DLE.c.party_type == "customer", DLE.c.party_no == customer_no,
        DLE.c.posting_date <= day)).scalar_one())


def build_statement(s: Session, party: Party, company: Company, date_from: date,
                    date_to: date, buckets: tuple[int, ...]) -> Statement:
    no = party.no
    opening = int(s.execute(select(func.coalesce(func.sum(DLE.c.amount), 0)).where(
        DLE.c.party_type == "customer", DLE.c.party_no == no,
        DLE.c.posting_date < date_from)).scalar_one())
    rows = s.execute(select(
        DLE.c.posting_date, DLE.c.entry_type, DLE.c.document_type, DLE.c.document_no,
        LE.c.description, LE.c.due_date, DLE.c.amount).select_from(
        DLE.join(LE, LE.c.entry_no == DLE.c.ledger_entry_no)).where(
        DLE.c.party_type == "customer", DLE.c.party_no == no,
        DLE.c.posting_date >= date_from, DLE.c.posting_date <= date_to,
        DLE.c.entry_type != "application").order_by(
        DLE.c.posting_date, DLE.c.entry_no)).all()
    running = opening
    lines = []
    for day, entry_type, doc_type, doc_no, description, due, amount in rows:
        running += int(amount)
        lines.append(StatementLine(day, entry_type, doc_type, doc_no, description or "",
                                   due if entry_type == "initial" else None,
                                   from_minor(int(amount)), from_minor(running)))
    options = AgingOptions(date_to, "due", buckets, "customer", no)
    entries = aged_entries(s, options)
    keys = bucket_keys(buckets)
    aging = [from_minor(0)] * len(keys)  # "0.00" like every amount, not "0"
    for e in entries:
        aging[e.bucket] += e.remaining
    address = (party.address, f"{party.post_code} {party.city}".strip(), party.country)
    return Statement(no, party.name, tuple(a for a in address if a), party.email,
                     party.language_code, party.currency or company.currency, company.name,
                     date_from, date_to, from_minor(opening), tuple(lines),
                     from_minor(running), tuple(entries), keys, tuple(aging))


def statement_customers(s: Session, date_to: date, overdue_only: bool) -> list[str]:
    """Customers with a balance at ``date_to`` (or, with ``overdue_only``, with an entry
    overdue then), by number."""
    if overdue_only:
        options = AgingOptions(date_to, "due", (1,), "customer")
        return sorted({e.party_no for e in aged_entries(s, options) if e.bucket > 0
                       and e.remaining > 0})
    rows = s.execute(select(DLE.c.party_no).where(
        DLE.c.party_type == "customer", DLE.c.posting_date <= date_to).group_by(
        DLE.c.party_no).having(func.sum(DLE.c.amount) != 0).order_by(DLE.c.party_no)).all()
    return [r[0] for r in rows]
