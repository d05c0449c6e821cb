"""Payment Registration (Register Customer Payments): the remaining amount a row shows
after the clerk enters what was received, and the two notices BC gives (spec §7).

All amounts are in the document's sign (an invoice's remaining and the amount received
for it are both positive).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.kernel.money import ZERO

OVERDUE_NOTICE = (
    "The payment is overdue. You can calculate interest for late payments from customers "
    "by choosing the Finance Charge Memo button."
)
PARTIAL_NOTICE = (
    "Payment Discount Date is earlier than Date Received. Payment will be registered as "
    "partial payment."
)


@dataclass(frozen=True)
class RegistrationResult:
    """``remaining`` stays open on the document; ``credit_left`` is the excess received
    that BC leaves as a credit on the customer; ``notices`` are shown in the row."""

    remaining: Decimal
    credit_left: Decimal
    notices: tuple[str, ...]


def _in_discount(pmt_discount_date: date | None, date_received: date) -> bool:
    return pmt_discount_date is not None and date_received <= pmt_discount_date


def default_amount_received(
    original_remaining: Decimal,
    rem_after_discount: Decimal,
    pmt_discount_date: date | None,
    date_received: date,
) -> Decimal:
    """What ticking Payment Made fills in: the discounted amount while it is on time."""
    if _in_discount(pmt_discount_date, date_received):
        return rem_after_discount
    return original_remaining


def registration_remaining(
    original_remaining: Decimal,
    rem_after_discount: Decimal,
    pmt_discount_date: date | None,
    date_received: date,
    amount_received: Decimal,
    due_date: date | None = None,
) -> RegistrationResult:
    """Remaining after the payment: 0 when the full (or, on time, the discounted) amount
    came in, else the original remaining less the amount received."""
    received = abs(amount_received)
    on_time = _in_discount(pmt_discount_date, date_received)
    if received >= abs(original_remaining):
        remaining = ZERO
        excess = received - abs(rem_after_discount if on_time else original_remaining)
    elif on_time and received >= abs(rem_after_discount):
        remaining = ZERO
        excess = received - abs(rem_after_discount)
    else:
        remaining = original_remaining - amount_received
        excess = ZERO
    notices: list[str] = []
    if due_date is not None and date_received > due_date:
        notices.append(OVERDUE_NOTICE)
    if pmt_discount_date is not None and date_received > pmt_discount_date and remaining != 0:
        notices.append(PARTIAL_NOTICE)
    direction = -1 if original_remaining < 0 else 1
    return RegistrationResult(remaining, excess * direction, tuple(notices))
