"""BC's small rules: which pairs of documents get discounts and tolerances, the
per-entry tolerance values, and how a tolerance is shared between invoices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from core.application.types import OpenEntry
from core.kernel.money import CENT, ZERO, money

PAYMENT, REFUND = "payment", "refund"
INVOICE, CREDIT_MEMO = "invoice", "credit_memo"

# CheckCalcPmtDisc: a payment or refund gets the discount of an invoice or credit memo.
_DISCOUNT_PAIRS = {(p, d) for p in (PAYMENT, REFUND) for d in (INVOICE, CREDIT_MEMO)}
# CheckPmtDiscTolCust/Vend: late discount for payment -> invoice/credit memo and
# refund -> credit memo.
_LATE_DISCOUNT_PAIRS = {(PAYMENT, INVOICE), (PAYMENT, CREDIT_MEMO), (REFUND, CREDIT_MEMO)}
# CheckPmtTolCust/Vend: payment tolerance only between a payment and an invoice or a
# refund and a credit memo.
_TOLERANCE_PAIRS = {(PAYMENT, INVOICE), (REFUND, CREDIT_MEMO)}


def sign(value: Decimal) -> int:
    """-1, 0 or 1."""
    return (value > 0) - (value < 0)


def discount_on_time(applying: OpenEntry, entry: OpenEntry) -> bool:
    """The entry's discount is possible because the applying entry is dated in time.

    BC judges the date of the applying entry (the payment), not the application date,
    so a payment received in time and applied later still earns the discount.
    """
    return (
        (applying.document_type, entry.document_type) in _DISCOUNT_PAIRS
        and entry.remaining_pmt_disc_possible != 0
        and entry.pmt_discount_date is not None
        and applying.posting_date <= entry.pmt_discount_date
    )


def discount_late(applying: OpenEntry, entry: OpenEntry) -> bool:
    """The payment is dated in the grace period: after the discount date, at the latest
    on the Pmt. Disc. Tolerance Date."""
    return (
        (applying.document_type, entry.document_type) in _LATE_DISCOUNT_PAIRS
        and entry.remaining_pmt_disc_possible != 0
        and entry.pmt_discount_date is not None
        and entry.pmt_disc_tolerance_date is not None
        and entry.pmt_discount_date < applying.posting_date <= entry.pmt_disc_tolerance_date
    )


def tolerance_pair(applying: OpenEntry, entry: OpenEntry) -> bool:
    """Payment tolerance applies to this pair of documents at all."""
    return (applying.document_type, entry.document_type) in _TOLERANCE_PAIRS


def max_payment_tolerance(amount: Decimal, pct: Decimal, max_amount: Decimal) -> Decimal:
    """An entry's Max. Payment Tolerance (BC CalcMaxPmtTolerance).

    ``pct`` is a percentage (0.5 = 0.5 %). pct x amount when the maximum is 0, the
    maximum when pct is 0, else the smaller; never above |amount|; the document's sign;
    rounded half-up to the cent.
    """
    by_pct = abs(amount) * pct / 100
    cap = abs(max_amount)
    if cap == 0:
        value = by_pct
    elif pct == 0:
        value = cap
    else:
        value = min(by_pct, cap)
    return money(min(value, abs(amount)) * sign(amount))


def pmt_disc_tolerance_date(
    pmt_discount_date: date | None, document_date: date | None, grace_days: int
) -> date | None:
    """Last day a late discount may be granted: discount date + grace period.

    No grace when there is no discount date, or when the discount date is the document
    date (the terms give no discount period to be late for).
    """
    if pmt_discount_date is None:
        return None
    if document_date is not None and pmt_discount_date == document_date:
        return pmt_discount_date
    return pmt_discount_date + timedelta(days=grace_days)


def share_tolerance(
    total: Decimal, weights: Sequence[Decimal], caps: Sequence[Decimal]
) -> list[Decimal]:
    """Share ``total`` between entries in proportion to ``weights``, each at most its cap.

    BC (PutCustPmtTolAmount) shares in proportion to the invoices' amounts and caps each
    share at the entry's Max. Payment Tolerance, the last entry taking the rest - which
    can exceed its own maximum. Here an entry that would pass its cap is held at it and
    the excess goes to the others (shares are cut down to the cent, the leftover cents
    go to the largest fractions), so no entry ever takes more than its own tolerance.
    Requires |total| <= Σ |caps|. Shares carry the sign of ``total``.
    """
    magnitude, direction = abs(total), sign(total)
    limits = [abs(c) for c in caps]
    shares = [ZERO] * len(limits)
    free = [i for i, cap in enumerate(limits) if cap > 0]
    left = magnitude
    while free and left > 0:
        weight_sum = sum((abs(weights[i]) for i in free), ZERO)
        exact = {
            i: (left * abs(weights[i]) / weight_sum if weight_sum else left / len(free))
            for i in free
        }
        over = [i for i in free if exact[i] >= limits[i]]
        if over:
            for i in over:
                shares[i] = limits[i]
                left -= limits[i]
            free = [i for i in free if i not in over]
            continue
        floors = {i: exact[i].quantize(CENT, rounding=ROUND_DOWN) for i in free}
        cents = int((left - sum(floors.values(), ZERO)) / CENT)
        by_fraction = sorted(free, key=lambda i: (floors[i] - exact[i], free.index(i)))
        for i in free:
            shares[i] = floors[i]
        for i in by_fraction[:cents]:
            shares[i] += CENT
        left = ZERO
    return [s * direction for s in shares]
