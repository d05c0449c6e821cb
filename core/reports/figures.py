"""The customer card's figures and the home screen's cash picture.

Card: balance, overdue, the average days to pay the invoices closed in the last 12
months (posting to closing date), the last payment, and the aging line today.

Cash picture: the open receivables falling due in each of the next 8 weeks (Monday to
Sunday, this week first; what is already overdue is its own figure) against what came
in from customers in each of the last 8 weeks, and, from the late payment prediction,
how much of what falls due is predicted to come late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.kernel.money import ZERO, from_minor
from core.prediction.models import PaymentPrediction
from core.reports.aging import LE, AgingOptions, bucket_keys, run_aging

WEEKS = 8
PP = PaymentPrediction.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CustomerFigures:
    customer_no: str
    as_of: date
    balance: Decimal
    overdue: Decimal
    avg_days_to_pay: Decimal | None  # None: no invoice closed in the last 12 months
    invoices_paid: int
    last_payment_date: date | None
    last_payment_amount: Decimal
    aging_keys: tuple[str, ...]
    aging: tuple[Decimal, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"customer_no": self.customer_no, "as_of": self.as_of.isoformat(),
                "balance": str(self.balance), "overdue": str(self.overdue),
                "avg_days_to_pay": str(self.avg_days_to_pay)
                if self.avg_days_to_pay is not None else None,
                "invoices_paid": self.invoices_paid,
                "last_payment_date": self.last_payment_date.isoformat()
                if self.last_payment_date else None,
                "last_payment_amount": str(self.last_payment_amount),
                "aging": {k: str(a) for k, a in zip(self.aging_keys, self.aging, strict=True)}}


def customer_figures(s: Session, no: str, as_of: date,
                     buckets: tuple[int, ...]) -> CustomerFigures:
    report = run_aging(s, AgingOptions(as_of, "due", buckets, "customer", no))
    aging = report.lines[0].amounts if report.lines else tuple(
        ZERO for _ in bucket_keys(buckets))
    since = as_of - timedelta(days=365)
    paid = s.execute(select(LE.c.posting_date, LE.c.closed_at_date).where(
        LE.c.party_type == "customer", LE.c.party_no == no, LE.c.document_type == "invoice",
        LE.c.open == False, LE.c.reversed == False,  # noqa: E712
        LE.c.closed_at_date > since, LE.c.closed_at_date <= as_of)).all()
    days = [max((_day(c) - _day(p)).days, 0) for p, c in paid]
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None
    last = s.execute(select(LE.c.posting_date, LE.c.amount).where(
        LE.c.party_type == "customer", LE.c.party_no == no, LE.c.document_type == "payment",
        LE.c.reversed == False, LE.c.posting_date <= as_of).order_by(  # noqa: E712
        LE.c.posting_date.desc(), LE.c.entry_no.desc()).limit(1)).first()
    return CustomerFigures(no, as_of, report.total, sum(aging[1:], ZERO), average, len(days),
                           _day(last[0]) if last else None,
                           -from_minor(int(last[1])) if last else ZERO,
                           report.keys, tuple(aging))


@dataclass(frozen=True)
class CashPicture:
    as_of: date
    week_starts: tuple[date, ...]  # the next 8 weeks' Mondays, this week first
    due: tuple[Decimal, ...]  # open receivables falling due per week
    predicted_late: tuple[Decimal, ...]  # of which the model predicts late
    past_starts: tuple[date, ...]  # the last 8 weeks' Mondays, oldest first
    received: tuple[Decimal, ...]  # customer payments per past week
    overdue: Decimal  # already overdue (due before this week)
    prediction_used: bool  # predictions exist (a usable model scored the invoices)

    @property
    def predicted_late_total(self) -> Decimal:
        return sum(self.predicted_late, ZERO)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(),
                "due": [{"week": w.isoformat(), "amount": str(a), "predicted_late": str(p)}
                        for w, a, p in zip(self.week_starts, self.due, self.predicted_late,
                                           strict=True)],
                "received": [{"week": w.isoformat(), "amount": str(a)}
                             for w, a in zip(self.past_starts, self.received, strict=True)],
                "overdue": str(self.overdue),
                "predicted_late_total": str(self.predicted_late_total)}


def _week(day: date, monday: date) -> int:
    return (day - monday).days // 7


def cash_picture(s: Session, as_of: date) -> CashPicture:
    monday = as_of - timedelta(days=as_of.weekday())
    end = monday + timedelta(days=7 * WEEKS)
    start = monday - timedelta(days=7 * WEEKS)
    due = [0] * WEEKS
    overdue = 0
    for day, minor in s.execute(select(LE.c.due_date, func.sum(LE.c.remaining_amount)).where(
            LE.c.party_type == "customer", LE.c.open == True,  # noqa: E712
            LE.c.remaining_amount > 0, LE.c.due_date < end).group_by(LE.c.due_date)).all():
        k = _week(_day(day), monday)
        if k < 0:
            overdue += int(minor)
        else:
            due[k] += int(minor)
    late = [0] * WEEKS
    predicted = s.execute(select(LE.c.due_date, func.sum(LE.c.remaining_amount)).select_from(
        PP.join(LE, LE.c.entry_no == PP.c.entry_no)).where(
        PP.c.late == True, LE.c.open == True, LE.c.due_date >= monday,  # noqa: E712
        LE.c.due_date < end).group_by(LE.c.due_date)).all()
    for day, minor in predicted:
        late[_week(_day(day), monday)] += int(minor)
    has_predictions = s.execute(select(func.count()).select_from(PP)).scalar_one() > 0
    received = [0] * WEEKS
    for day, minor in s.execute(select(LE.c.posting_date, func.sum(LE.c.amount)).where(
            LE.c.party_type == "customer", LE.c.document_type == "payment",
            LE.c.posting_date >= start, LE.c.posting_date < monday).group_by(
            LE.c.posting_date)).all():
        received[_week(_day(day), start)] -= int(minor)
    return CashPicture(as_of, tuple(monday + timedelta(days=7 * k) for k in range(WEEKS)),
                       tuple(from_minor(m) for m in due), tuple(from_minor(m) for m in late),
                       tuple(start + timedelta(days=7 * k) for k in range(WEEKS)),
                       tuple(from_minor(m) for m in received), from_minor(overdue),
                       bool(has_predictions))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
