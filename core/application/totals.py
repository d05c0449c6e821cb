"""The running totals BC's Apply Customer/Vendor Entries page shows as entries are marked.

Footer of the page: Amount to Apply, Pmt. Disc. Amount, Rounding, Applied Amount
(= Amount to Apply + Pmt. Disc. Amount + Rounding), Available Amount, Balance
(= Applied Amount + Available Amount; 0 when the marked entries match the payment).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.application.rules import discount_late, discount_on_time, sign
from core.application.types import OpenEntry
from core.kernel.money import ZERO


@dataclass(frozen=True)
class ApplyEntriesTotals:
    """Footer totals; applied amounts in the applied entries' signs, the available
    amount in the applying entry's sign, so a perfect match has ``balance == 0``."""

    amount_to_apply: Decimal
    pmt_disc_amount: Decimal
    rounding: Decimal
    applied_amount: Decimal
    available_amount: Decimal
    balance: Decimal


def _entry_share(
    applying: OpenEntry, entry: OpenEntry, available: Decimal, late_ok: bool
) -> tuple[Decimal, Decimal]:
    """(amount the entry contributes, its discount): the full remaining with the discount
    when the discount is due and covered, else its Amount to Apply without discount."""
    s = sign(entry.remaining)
    liability = (entry.remaining - entry.remaining_pmt_disc_possible) * s
    due = discount_on_time(applying, entry) or (late_ok and discount_late(applying, entry))
    own = s == sign(applying.remaining)
    covered = own or available >= liability
    if due and covered and entry.target * s >= liability:
        return entry.remaining, entry.remaining_pmt_disc_possible
    return entry.target, ZERO


def apply_entries_totals(
    applying: OpenEntry,
    marked: Sequence[OpenEntry],
    late_discount: Mapping[int, bool] | None = None,
) -> ApplyEntriesTotals:
    """Totals for the marked entries, in marking order.

    A discount counts only when it is due at the applying entry's date (or is an
    accepted late discount, per ``late_discount``) and what is still available covers
    the entry net of it - the same rule the posting uses. Rounding is 0: it only arises
    between currencies, which this calculation does not handle.
    """
    accepted = late_discount or {}
    available = abs(applying.target)
    to_apply = discount = ZERO
    for entry in marked:
        share, disc = _entry_share(applying, entry, available, accepted.get(entry.entry_no, False))
        to_apply += share
        discount += disc
        if sign(entry.remaining) == sign(applying.remaining):
            available += abs(share - disc)
        else:
            available = max(available - abs(share - disc), ZERO)
    applied = to_apply - discount
    return ApplyEntriesTotals(
        amount_to_apply=to_apply,
        pmt_disc_amount=-discount,
        rounding=ZERO,
        applied_amount=applied,
        available_amount=applying.target,
        balance=applied + applying.target,
    )
