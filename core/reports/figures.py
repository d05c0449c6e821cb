"""The customer card's figures and the home screen's cash picture.

Card: balance, overdue, the average days to pay the invoices closed in the last 12
months (posting to closing date), the last payment, and the aging line today.

Cash picture: the open receivables falling due in each of the next 8 weeks (Monday to
Sunday, this week first, from today on; what is already overdue is its own figure, the
home screen's) against what came in from customers in each of the last 8 weeks, and,
from the late payment prediction, the expected inflow per week: each invoice predicted
late moved to the week of its expected payment date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core.kernel.money import ZERO, from_minor
from core.prediction.models import PaymentPrediction
from core.queries.parties import overdue_total
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
    due: tuple[Decimal, ...]  # open receivables falling due per week (from today on)
    predicted_late: tuple[Decimal, ...]  # of which the model predicts late
    past_starts: tuple[date, ...]  # the last 8 weeks' Mondays, oldest first
    received: tuple[Decimal, ...]  # customer payments per past week
    overdue: Decimal  # already overdue: the home screen's figure (the same query)
    prediction_used: bool  # predictions exist (a usable model scored the invoices)
    # Expected inflow per week: what falls due, but each invoice predicted late in the
    # week of its expected payment date (overdue ones predicted to be paid in the
    # 8 weeks included); what is expected after the 8 weeks.
    expected: tuple[Decimal, ...] = ()
    expected_later: Decimal = ZERO
    overdue_count: int = 0

    @property
    def predicted_late_total(self) -> Decimal:
        return sum(self.predicted_late, ZERO)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(),
                "due": [{"week": w.isoformat(), "amount": str(a), "predicted_late": str(p),
                         "expected": str(e)}
                        for w, a, p, e in zip(self.week_starts, self.due,
                                              self.predicted_late, self.expected,
                                              strict=True)],
                "received": [{"week": w.isoformat(), "amount": str(a)}
                             for w, a in zip(self.past_starts, self.received, strict=True)],
                "overdue": str(self.overdue), "overdue_count": self.overdue_count,
                "predicted_late_total": str(self.predicted_late_total),
                "expected_later": str(self.expected_later),
                "prediction_used": self.prediction_used}


def _week(day: date, monday: date) -> int:
    return (day - monday).days // 7


def cash_picture(s: Session, as_of: date) -> CashPicture:
    """Due per week from ``as_of`` (what is due before it is the home screen's overdue
    figure, one shared query) and the expected inflow: an invoice the prediction says
    will come late counts in the week of its expected payment date instead."""
    monday = as_of - timedelta(days=as_of.weekday())
    end = monday + timedelta(days=7 * WEEKS)
    start = monday - timedelta(days=7 * WEEKS)
    # the store hands out sqlmodel sessions (a subclass); this module types them plainly
    overdue, overdue_count = overdue_total(s, "customer", as_of)  # type: ignore[arg-type]
    due, late, expected = [0] * WEEKS, [0] * WEEKS, [0] * WEEKS
    later = 0
    predicted_in = and_(PP.c.late == True, PP.c.expected_payment_date >= as_of,  # noqa: E712
                        PP.c.expected_payment_date < end)
    rows = s.execute(select(LE.c.due_date, PP.c.late, PP.c.expected_payment_date,
                            func.sum(LE.c.remaining_amount)).select_from(
        LE.outerjoin(PP, PP.c.entry_no == LE.c.entry_no)).where(
        LE.c.party_type == "customer", LE.c.open == True,  # noqa: E712
        LE.c.remaining_amount > 0,
        or_(and_(LE.c.due_date >= as_of, LE.c.due_date < end), predicted_in)).group_by(
        LE.c.due_date, PP.c.late, PP.c.expected_payment_date)).all()
    for due_day, is_late, paid_day, minor in rows:
        d, m = _day(due_day), int(minor)
        if as_of <= d < end:
            due[_week(d, monday)] += m
            if is_late:
                late[_week(d, monday)] += m
        target = _day(paid_day) if is_late and paid_day is not None else d
        if as_of <= target < end:
            expected[_week(target, monday)] += m
        elif target >= end:
            later += m
    has_predictions = s.execute(select(func.count()).select_from(PP)).scalar_one() > 0
    received = [0] * WEEKS
    for day, minor in s.execute(select(LE.c.posting_date, func.sum(LE.c.amount)).where(
            LE.c.party_type == "customer", LE.c.document_type == "payment",
            LE.c.posting_date >= start, LE.c.posting_date < monday).group_by(
            LE.c.posting_date)).all():
        received[_week(_day(day), start)] -= int(minor)
    return CashPicture(as_of, tuple(monday + timedelta(days=7 * k) for k in range(WEEKS)),
                       _amounts(due), _amounts(late),
                       tuple(start + timedelta(days=7 * k) for k in range(WEEKS)),
                       _amounts(received), overdue, bool(has_predictions),
                       _amounts(expected), from_minor(later), overdue_count)


def _amounts(minors: list[int]) -> tuple[Decimal, ...]:
    return tuple(from_minor(m) for m in minors)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
