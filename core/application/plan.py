"""Apply one entry (usually a payment) to others, with payment discount, late discount
(payment discount tolerance) and payment tolerance, as Business Central does.

The calculation follows BC's three steps:

1. the pre-check (PaymentToleranceManagement.CalcCustApplnAmount): which late
   discounts may be offered, the warnings, the clerk's answers;
2. the payment tolerance (PmtTolCust + PutCustPmtTolAmount): is the whole balance
   within the summed tolerances, and how is it shared between the invoices;
3. the posting (GenJnlPostLine.PostApply, one applied entry after the other):
   tolerance, discount, late discount, then the application itself.

Deliberate differences from BC, each chosen to keep the books right (see also
``rules.share_tolerance``):

* the applying entry never changes sign: an entry is closed at most by what the
  applying entry still has (BC forces a full close once a late discount is accepted,
  which can push a short payment past zero when the tolerance is then declined; here
  the shortfall stays on the invoice, as the "Leave the Balance as Remaining Amount"
  answer says);
* entries of the applying entry's own sign (credit memos for a payment) are used first
  exactly when the applying amount alone cannot cover the other entries, and are left
  open otherwise, and only as much of them as the other entries still need, so their
  surplus stays on them and no entry's remaining ever exceeds its amount. BC decides on
  the grand total instead, which leaves the credit memo unused (and the invoice
  part-paid) when the credit memo alone is larger than the shortfall;
* an on-time discount is granted only when the entry is really covered, also when
  credit memos are in the selection (BC skips that amount check then);
* payment tolerance is only posted when every selected entry is meant to close (BC
  also accepts an Amount to Apply within tolerance of the remaining), a share never
  exceeds the entry's own maximum (BC's last invoice takes the rest, even above it)
  nor, for a short payment, what the entry still owes net of its discount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.application.rules import (
    discount_late,
    discount_on_time,
    share_tolerance,
    sign,
    tolerance_pair,
)
from core.application.types import (
    AccountKind,
    Adjustment,
    AdjustmentKind,
    ApplicationPlan,
    ApplicationWarning,
    AppliedLine,
    Decisions,
    LateDiscountWarning,
    OpenEntry,
    PaymentToleranceWarning,
    ToleranceSetup,
)
from core.application.validation import PARTY_TYPES as PARTY_TYPES  # re-exported
from core.application.validation import validate
from core.kernel.money import ZERO, money

# --- step 0: order -------------------------------------------------------------------


def _optimistic_need(applying: OpenEntry, entry: OpenEntry, setup: ToleranceSetup) -> Decimal:
    """What an entry needs at least (magnitude), every possible discount taken."""
    late = setup.tolerance_allowed and discount_late(applying, entry)
    if discount_on_time(applying, entry) or late:
        liability = abs(entry.remaining - entry.remaining_pmt_disc_possible)
        if abs(entry.target) >= liability:
            return liability
    return abs(entry.target)


def _order(
    applying: OpenEntry, applied: Sequence[OpenEntry], setup: ToleranceSetup
) -> tuple[list[OpenEntry], list[OpenEntry]]:
    """(entries to use in order, entries left out).

    Entries of the applying entry's own sign add to what it can pay; they go first, and
    only when the applying amount alone cannot cover the others.
    """
    own = [e for e in applied if sign(e.remaining) == sign(applying.remaining)]
    other = [e for e in applied if sign(e.remaining) != sign(applying.remaining)]
    if not own:
        return other, []
    need = sum((_optimistic_need(applying, e, setup) for e in other), ZERO)
    if abs(applying.target) < need:
        return own + other, []
    return other, own


# --- step 1: late discounts ------------------------------------------------------------


@dataclass
class _Work:
    """Mutable scratch state of one planning run."""

    applying: OpenEntry
    setup: ToleranceSetup
    decisions: Decisions
    sequence: list[OpenEntry]
    late_accepted: set[int] = field(default_factory=set)
    discounted: set[int] = field(default_factory=set)
    warnings: list[ApplicationWarning] = field(default_factory=list)
    tolerance: dict[int, Decimal] = field(default_factory=dict)
    settle_all: bool = False  # tolerance accepted: every entry closes, amounts match

    @property
    def max_tolerance(self) -> Decimal:
        """Σ Max. Payment Tolerance of the entries that may take tolerance (their sign)."""
        if not self.setup.tolerance_allowed:
            return ZERO
        return sum(
            (e.max_payment_tolerance for e in self.sequence if tolerance_pair(self.applying, e)),
            ZERO,
        )


def _decide(answer: bool | None, warning_on: bool) -> bool:
    """BC's default: ask (and decline) when the warning is on, accept when it is off."""
    return answer if answer is not None else not warning_on


def _late_discount_offered(work: _Work, entry: OpenEntry, running: Decimal) -> bool:
    """CheckPmtDiscTolCust: in the grace period and the payment comes close enough.

    Close enough = what the applying entry still has (or the entry's Amount to Apply)
    reaches the entry's remaining minus the discount, less the summed tolerances.
    """
    if not (work.setup.tolerance_allowed and discount_late(work.applying, entry)):
        return False
    available = max(running * sign(work.applying.remaining), ZERO)
    if entry.amount_to_apply is not None:
        available = min(available, abs(entry.amount_to_apply))
    liability = abs(entry.remaining - entry.remaining_pmt_disc_possible)
    return available >= liability - abs(work.max_tolerance)


def _precheck(work: _Work) -> None:
    """Offer late discounts entry by entry and record the (answered or default) choice."""
    setup = work.setup
    running = work.applying.target
    for entry in work.sequence:
        use_discount = discount_on_time(work.applying, entry)
        if _late_discount_offered(work, entry, running):
            answer = work.decisions.late_discount.get(entry.entry_no)
            accepted = _decide(answer, setup.pmt_disc_tolerance_warning)
            if setup.pmt_disc_tolerance_warning:
                work.warnings.append(
                    LateDiscountWarning(
                        entry.entry_no, entry.document_no, entry.remaining,
                        entry.remaining_pmt_disc_possible, entry.pmt_discount_date,
                        entry.pmt_disc_tolerance_date, accepted, answer is not None,
                    )
                )
            if accepted:
                work.late_accepted.add(entry.entry_no)
                use_discount = True
        if use_discount:
            work.discounted.add(entry.entry_no)
        disc = entry.remaining_pmt_disc_possible if use_discount else ZERO
        running += entry.remaining - disc


# --- step 2: payment tolerance ---------------------------------------------------------


def _liability(entry: OpenEntry) -> Decimal:
    """The entry's remaining net of its discount (its sign)."""
    return entry.remaining - entry.remaining_pmt_disc_possible


def _contribution(work: _Work, entry: OpenEntry) -> Decimal | None:
    """What the entry needs (its sign) if the application is to settle it, or None when
    its Amount to Apply asks for less than that (a deliberate partial application)."""
    if entry.entry_no in work.discounted and abs(entry.target) >= abs(_liability(entry)):
        return _liability(entry)
    if entry.target == entry.remaining or sign(entry.remaining) == sign(work.applying.remaining):
        return entry.target
    return None


def _needed(work: _Work) -> Decimal | None:
    """What all entries need after discounts, or None when one is applied only in part.

    BC (PmtTolCust) also lets an Amount to Apply that comes within the tolerance of the
    remaining count as "close it"; here tolerance is only ever posted when every entry
    is meant to close, so a tolerance never writes off part of a part-payment.
    """
    parts = [_contribution(work, e) for e in work.sequence]
    if any(p is None for p in parts):
        return None
    return sum((p for p in parts if p is not None), ZERO)


def _takers(work: _Work) -> list[OpenEntry]:
    """Entries that may take a share of the payment tolerance."""
    if not work.setup.tolerance_allowed:
        return []
    return [
        e for e in work.sequence
        if tolerance_pair(work.applying, e) and e.max_payment_tolerance != 0
    ]


def _tolerance_caps(work: _Work, takers: list[OpenEntry], balance: Decimal) -> list[Decimal]:
    """Each entry's room: its Max. Payment Tolerance and, when the payer paid less,
    never more than the entry still owes net of its discount (a write-off larger than
    the debt would make the entry "pay" the others)."""
    caps = []
    for e in takers:
        cap = abs(e.max_payment_tolerance)
        if sign(balance) == sign(e.remaining):
            cap = min(cap, abs(_contribution(work, e) or ZERO))
        caps.append(cap)
    return caps


def _payment_tolerance(work: _Work) -> None:
    """Offer the payment tolerance and, when accepted, share it between the entries.

    Offered when every entry is to be settled and the balance (payment against what
    the entries need after discounts) is not zero and within the summed tolerances.
    """
    takers = _takers(work)
    needed = _needed(work) if takers else None
    if needed is None:
        return
    balance = needed + work.applying.target
    caps = _tolerance_caps(work, takers, balance)
    if balance == 0 or abs(balance) > sum(caps, ZERO):
        return
    answer = work.decisions.accept_tolerance
    accepted = _decide(answer, work.setup.payment_tolerance_warning)
    if work.setup.payment_tolerance_warning:
        work.warnings.append(
            PaymentToleranceWarning(
                work.applying.target, needed, balance, accepted, answer is not None
            )
        )
    if not accepted:
        return
    weights = [e.amount if e.amount is not None else e.remaining for e in takers]
    shares = share_tolerance(balance, weights, caps)
    work.tolerance = {e.entry_no: s for e, s in zip(takers, shares, strict=True) if s}
    work.settle_all = True


# --- step 3: posting -------------------------------------------------------------------


def _remaining_disc_after(entry: OpenEntry, closed: Decimal, discount_taken: bool) -> Decimal:
    """Remaining Pmt. Disc. Possible after the application.

    Zero once a discount was taken or the entry closes; a part-payment without discount
    keeps the discount in proportion to what stays open [INFERRED from BC's
    CalcRemainingPmtDisc].
    """
    after = entry.remaining - closed
    if discount_taken or after == 0:
        return ZERO
    if closed == 0:
        return entry.remaining_pmt_disc_possible
    return money(entry.remaining_pmt_disc_possible * after / entry.remaining)


def _untouched(entry: OpenEntry) -> AppliedLine:
    """A line for an entry the application does not reach."""
    return AppliedLine(
        entry.entry_no, entry.remaining, ZERO,
        remaining_pmt_disc_possible_after=entry.remaining_pmt_disc_possible,
    )


def _post_other(work: _Work, entry: OpenEntry, available: Decimal) -> tuple[AppliedLine, Decimal]:
    """Close an entry of the other sign (an invoice for a payment); returns the line and
    what the applying entry has left (magnitude).

    The on-time discount needs the entry covered (after its tolerance share). When a
    tolerance was accepted every entry closes and the amounts match exactly, so the
    running amount may dip below zero between entries but ends at zero.
    """
    s = sign(entry.remaining)
    pt = work.tolerance.get(entry.entry_no, ZERO)
    cover = available + pt * s
    liability = _liability(entry) * s
    on_time = (
        entry.entry_no in work.discounted
        and entry.entry_no not in work.late_accepted
        and (work.settle_all or cover >= liability)
        and entry.target * s >= liability
    )
    late = entry.entry_no in work.late_accepted
    disc = entry.remaining_pmt_disc_possible if (on_time or late) else ZERO
    cover += disc * s
    target = entry.remaining * s if (on_time or late) else entry.target * s
    closed = target if work.settle_all else max(min(cover, target), ZERO)
    if closed == 0:
        return _untouched(entry), available
    line = AppliedLine(
        entry.entry_no, entry.remaining, closed * s,
        pmt_discount=disc if on_time else ZERO,
        pmt_disc_tolerance=disc if late else ZERO,
        pmt_tolerance=pt,
        remaining_pmt_disc_possible_after=_remaining_disc_after(entry, closed * s, bool(disc)),
    )
    return line, cover - closed


def _post_own(work: _Work, entry: OpenEntry, available: Decimal,
              shortfall: Decimal) -> tuple[AppliedLine, Decimal]:
    """Take over an entry of the applying entry's sign (a credit memo for a payment),
    but only as much of it as the other entries still need (``shortfall``, magnitude):
    its surplus stays on it, so no entry's remaining ever grows beyond its amount."""
    s = sign(entry.remaining)
    liability = _liability(entry) * s
    on_time = entry.entry_no in work.discounted and entry.entry_no not in work.late_accepted
    on_time = on_time and entry.target * s >= liability
    # a discount closes the entry: not when its Amount to Apply asks for less
    late = entry.entry_no in work.late_accepted and entry.target * s >= liability
    full = entry.remaining * s if (on_time or late) else entry.target * s
    disc = entry.remaining_pmt_disc_possible if (on_time or late) else ZERO
    usable = full - disc * s
    if shortfall < usable:  # a part only: no discount on a partly used entry, and
        # never more than its Amount to Apply
        disc, full = ZERO, max(min(shortfall, entry.target * s), ZERO)
        usable = full
    if full == 0:
        return _untouched(entry), available
    closed = full * s
    line = AppliedLine(
        entry.entry_no, entry.remaining, closed,
        pmt_discount=disc if on_time else ZERO,
        pmt_disc_tolerance=disc if late else ZERO,
        remaining_pmt_disc_possible_after=_remaining_disc_after(entry, closed, bool(disc)),
    )
    return line, available + usable


def _adjustments(work: _Work, line: AppliedLine) -> list[Adjustment]:
    """Discount and tolerance amounts of one line, each with its account kind."""
    setup = work.setup
    candidates = [
        (AdjustmentKind.PAYMENT_TOLERANCE, line.pmt_tolerance, setup.payment_tolerance_posting),
        (AdjustmentKind.PAYMENT_DISCOUNT, line.pmt_discount, AccountKind.PAYMENT_DISCOUNT),
        (AdjustmentKind.PMT_DISC_TOLERANCE, line.pmt_disc_tolerance,
         setup.pmt_disc_tolerance_posting),
    ]
    return [Adjustment(line.entry_no, kind, amt, acct) for kind, amt, acct in candidates if amt]


def _post_once(work: _Work, left_out: list[OpenEntry], shortfall: Decimal | None
               ) -> tuple[list[AppliedLine], list[Adjustment]]:
    """Apply the entries one after the other, as BC's PostApply loop does. Entries of
    the applying entry's sign give at most ``shortfall`` in all (None: all of them)."""
    available = abs(work.applying.target)
    lines: list[AppliedLine] = []
    adjustments: list[Adjustment] = []
    own_sign = sign(work.applying.remaining)
    left = shortfall
    for entry in work.sequence:
        if sign(entry.remaining) == own_sign:
            before = available
            line, available = _post_own(work, entry, available,
                                        abs(entry.target) if left is None else left)
            if left is not None:
                left -= available - before
        else:
            line, available = _post_other(work, entry, available)
        lines.append(line)
        adjustments.extend(_adjustments(work, line))
    lines.extend(_untouched(entry) for entry in left_out)
    return lines, adjustments


def _post(work: _Work, left_out: list[OpenEntry]) -> tuple[list[AppliedLine], list[Adjustment]]:
    """Two passes: the first uses own-sign entries in full to learn what the other
    entries really take; the second takes from the own-sign entries only that much
    beyond the applying amount, so their surplus stays on them."""
    own_sign = sign(work.applying.remaining)
    lines, adjustments = _post_once(work, left_out, None)
    if not any(sign(e.remaining) == own_sign for e in work.sequence):
        return lines, adjustments
    others = {e.entry_no for e in work.sequence if sign(e.remaining) != own_sign}
    spent = abs(sum((ln.paid for ln in lines if ln.entry_no in others), ZERO))
    return _post_once(work, left_out, max(spent - abs(work.applying.target), ZERO))


# --- public ------------------------------------------------------------------------------


def plan_application(
    applying: OpenEntry,
    applied: Sequence[OpenEntry],
    posting_date: date,
    setup: ToleranceSetup | None = None,
    decisions: Decisions | None = None,
) -> ApplicationPlan:
    """Work out what applying ``applying`` to ``applied`` posts.

    ``applied`` is used in the given order (the caller sorts, e.g. by due date for Apply
    to Oldest), except that entries of the applying entry's own sign go first when they
    are needed. Discounts are judged at the applying entry's posting date; the
    application is posted at ``posting_date``. Raises ApplicationError when BC would
    refuse the application.
    """
    setup = setup or ToleranceSetup()
    decisions = decisions or Decisions()
    validate(applying, applied, posting_date)
    sequence, left_out = _order(applying, applied, setup)
    work = _Work(applying, setup, decisions, sequence)
    _precheck(work)
    _payment_tolerance(work)
    lines, adjustments = _post(work, left_out)
    return ApplicationPlan(
        applying.entry_no, posting_date, applying.remaining,
        tuple(lines), tuple(adjustments), tuple(work.warnings),
    )


def preview_warnings(
    applying: OpenEntry,
    applied: Sequence[OpenEntry],
    posting_date: date,
    setup: ToleranceSetup | None = None,
    decisions: Decisions | None = None,
) -> tuple[ApplicationWarning, ...]:
    """The warnings BC would show before posting, late discounts first.

    Answer the late-discount questions, call again with them (the tolerance question
    depends on those answers), then answer the tolerance question and plan for real.
    """
    return plan_application(applying, applied, posting_date, setup, decisions).warnings
