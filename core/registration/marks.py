"""What the clerk marks on a Payment Registration row, and what BC shows for it (§7).

Pure values and rules, no database: ticking Payment Made fills Date Received (the
work date when the setup says so) and Amount Received (the discounted amount while the
date is on time, else the whole remaining amount); entering either ticks the row; the
Remaining Amount after input and the warning follow BC's Payment Registration Buffer.
Amounts are in the document's sign: an invoice's remaining and the amount received
for it are positive, a credit memo's negative.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from core.application.registration import (
    OVERDUE_NOTICE,
    PARTIAL_NOTICE,
    default_amount_received,
    registration_remaining,
)
from core.i18n import N_
from core.kernel.errors import PostingError
from core.kernel.money import ZERO

MSG_NOTHING = N_("There is nothing to post.")
MSG_DATE_MISSING = N_("Date Received is missing for line with Document No. {document_no}.")
MSG_ZERO = N_("Amount Received must not be zero for line with Document No. {document_no}.")
MSG_SIGN = N_("Amount Received must have the same sign as the Remaining Amount "
              "({remaining_amount}) for line with Document No. {document_no}.")
MSG_LUMP_CUSTOMER = N_("To post as lump payment, the customer must be same value on all "
                       "lines where the Payment Made check box is selected.")
MSG_LUMP_DATE = N_("To post as a lump payment, the Date Received field must have the same "
                   "value in all lines where the Payment Made check box is selected.")
ASK_POST = N_("Do you want to post the {count} payments?")
ASK_LUMP = N_("Do you want to post the {count} payments as a lump sum of {amount}?")


@dataclass(frozen=True)
class RegistrationRow:
    """One open customer ledger entry that is not a payment (BC's buffer row)."""

    entry_no: int
    customer_no: str
    name: str
    document_type: str
    document_no: str
    description: str
    external_document_no: str
    posting_date: date
    due_date: date | None
    pmt_discount_date: date | None
    remaining: Decimal
    rem_after_discount: Decimal
    version: int


@dataclass(frozen=True)
class Mark:
    """A ticked row: what was received and when (``pmt_discount_date`` as moved on
    Details; the entry gets it back when the payment is posted)."""

    row: RegistrationRow
    date_received: date | None
    amount_received: Decimal
    pmt_discount_date: date | None

    @property
    def remaining_after(self) -> Decimal:
        if self.date_received is None:
            return self.row.remaining
        return registration_remaining(
            self.row.remaining, self.row.rem_after_discount, self.pmt_discount_date,
            self.date_received, self.amount_received).remaining

    @property
    def warning(self) -> str:
        """BC's GetWarning: nothing while on time; overdue; else a partial payment."""
        d = self.date_received
        if d is None or (self.pmt_discount_date is not None and d <= self.pmt_discount_date):
            return ""
        if self.row.due_date is not None and d > self.row.due_date:
            return OVERDUE_NOTICE
        if self.remaining_after != ZERO:
            return PARTIAL_NOTICE
        return ""

    @property
    def due_date_late(self) -> bool:
        """Due Date shown red (Unfavorable)."""
        return (self.date_received is not None and self.row.due_date is not None
                and self.row.due_date < self.date_received)

    @property
    def discount_lost(self) -> bool:
        """Pmt. Discount Date shown red: the discount date is passed, something stays
        open and the payment is not yet overdue (BC's GetPmtDiscStyle)."""
        d = self.date_received
        return (d is not None and self.pmt_discount_date is not None
                and self.pmt_discount_date < d and self.remaining_after != ZERO
                and (self.row.due_date is None or d < self.row.due_date))


def _suggest(row: RegistrationRow, d: date | None, disc_date: date | None) -> Decimal:
    if d is None:
        return ZERO
    return default_amount_received(row.remaining, row.rem_after_discount, disc_date, d)


def tick(row: RegistrationRow, work_date: date, auto_fill: bool = True) -> Mark:
    """Payment Made ticked: Date Received = work date (auto fill), Amount Received
    suggested from the date."""
    d = work_date if auto_fill else None
    return Mark(row, d, _suggest(row, d, row.pmt_discount_date), row.pmt_discount_date)


def with_date(row: RegistrationRow, mark: Mark | None, d: date) -> Mark:
    """Date Received entered: ticks the row; an amount not yet entered is suggested."""
    if mark is None:
        mark = Mark(row, None, ZERO, row.pmt_discount_date)
    amount = mark.amount_received or _suggest(row, d, mark.pmt_discount_date)
    return replace(mark, date_received=d, amount_received=amount)


def with_amount(row: RegistrationRow, mark: Mark | None, amount: Decimal, work_date: date,
                auto_fill: bool = True) -> Mark:
    """Amount Received entered: ticks the row (and fills the date when auto fill)."""
    if mark is None:
        mark = Mark(row, None, ZERO, row.pmt_discount_date)
    d = mark.date_received or (work_date if auto_fill else None)
    return replace(mark, date_received=d, amount_received=amount)


def with_discount_date(row: RegistrationRow, mark: Mark | None, d: date | None,
                       work_date: date, auto_fill: bool = True) -> Mark:
    """Pmt. Discount Date moved on Details: ticks the row, as BC does."""
    if mark is None:
        mark = tick(row, work_date, auto_fill)
    return replace(mark, pmt_discount_date=d)


def check_marks(marks: list[Mark], lump: bool = False) -> None:
    """BC's checks before posting; raises PostingError with BC's message."""
    marks = [m for m in marks if m is not None]
    if not marks:
        raise PostingError(MSG_NOTHING)
    for m in marks:
        if m.date_received is None:
            raise PostingError(MSG_DATE_MISSING, document_no=m.row.document_no)
        if m.amount_received == ZERO:
            raise PostingError(MSG_ZERO, document_no=m.row.document_no)
        if (m.amount_received > 0) != (m.row.remaining > 0):
            raise PostingError(MSG_SIGN, document_no=m.row.document_no,
                               remaining_amount=m.row.remaining)
    if lump:
        if len({m.row.customer_no for m in marks}) > 1:
            raise PostingError(MSG_LUMP_CUSTOMER)
        if len({m.date_received for m in marks}) > 1:
            raise PostingError(MSG_LUMP_DATE)


def lump_total(marks: list[Mark]) -> Decimal:
    return sum((m.amount_received for m in marks), ZERO)
