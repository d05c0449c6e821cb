"""Inputs and results of the application calculation (pure values, no database).

Sign convention (BC): customer invoices positive, customer payments and credit memos
negative; vendor invoices negative, vendor payments positive. Every amount that belongs
to one ledger entry carries *that entry's* sign, so the posting code never has to
guess which way a number points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.kernel.money import ZERO


class AccountKind(StrEnum):
    """Which posting-group accounts a discount or tolerance amount is booked to.

    BC's G/L Setup options "Payment Tolerance Posting" and "Pmt. Disc. Tolerance
    Posting" choose between these; the debit or credit account of the kind is chosen by
    the sign of the G/L amount (positive = debit account).
    """

    PAYMENT_DISCOUNT = "payment_discount_accounts"
    PAYMENT_TOLERANCE = "payment_tolerance_accounts"


class AdjustmentKind(StrEnum):
    """Detailed entry types that close part of an entry without money (BC enum values)."""

    PAYMENT_DISCOUNT = "payment_discount"
    PMT_DISC_TOLERANCE = "payment_discount_tolerance"
    PAYMENT_TOLERANCE = "payment_tolerance"


APPLICATION = "application"  # detailed entry type of the application itself


@dataclass(frozen=True)
class OpenEntry:
    """An open customer or vendor ledger entry as the calculation needs it.

    ``remaining``, ``remaining_pmt_disc_possible`` and ``max_payment_tolerance`` carry
    the entry's sign. ``amount_to_apply`` (same sign, at most ``remaining``) limits how
    much of the entry this application may use; ``None`` means all of it. ``amount`` is
    the original amount; it only weights the sharing of a payment tolerance between
    several invoices (BC shares in proportion to the invoices' amounts) and defaults to
    ``remaining``.
    """

    entry_no: int
    party_type: str
    document_type: str
    posting_date: date
    remaining: Decimal
    party_no: str = ""
    document_no: str = ""
    document_date: date | None = None
    due_date: date | None = None
    remaining_pmt_disc_possible: Decimal = ZERO
    pmt_discount_date: date | None = None
    pmt_disc_tolerance_date: date | None = None
    max_payment_tolerance: Decimal = ZERO
    amount_to_apply: Decimal | None = None
    amount: Decimal | None = None

    @property
    def target(self) -> Decimal:
        """What this application may use of the entry (its sign)."""
        return self.remaining if self.amount_to_apply is None else self.amount_to_apply


@dataclass(frozen=True)
class ToleranceSetup:
    """G/L Setup (Application FastTab) plus the party's right to tolerance.

    ``tolerance_allowed`` is False for parties with Block Payment Tolerance and for
    Apply-to-Oldest parties: BC then posts neither payment tolerance nor late
    (tolerance) discounts, only discounts taken on time.
    """

    payment_tolerance_warning: bool = True
    pmt_disc_tolerance_warning: bool = True
    payment_tolerance_posting: AccountKind = AccountKind.PAYMENT_TOLERANCE
    pmt_disc_tolerance_posting: AccountKind = AccountKind.PAYMENT_DISCOUNT
    tolerance_allowed: bool = True


@dataclass(frozen=True)
class Decisions:
    """The clerk's answers to the two BC warnings.

    ``late_discount`` maps entry no. -> accept the late payment discount;
    ``accept_tolerance`` True = "Post the Balance as Payment Tolerance", False = "Leave
    the Balance as Remaining Amount". A missing answer takes BC's default: decline when
    the warning is on, accept silently when it is off.
    """

    late_discount: Mapping[int, bool] = field(default_factory=dict)
    accept_tolerance: bool | None = None


@dataclass(frozen=True)
class LateDiscountWarning:
    """BC's "Payment Discount Tolerance Warning" for one entry (shown before posting)."""

    entry_no: int
    document_no: str
    remaining: Decimal
    pmt_discount: Decimal
    pmt_discount_date: date | None
    pmt_disc_tolerance_date: date | None
    accepted: bool
    answered: bool


@dataclass(frozen=True)
class PaymentToleranceWarning:
    """BC's "Payment Tolerance Warning": the balance lies within the summed tolerance.

    ``amount`` is the applying entry's amount (its sign), ``applied_amount`` what the
    applied entries need after discounts (their sign), ``balance`` the difference in the
    applied entries' sign (positive = the payer paid less than needed).
    """

    amount: Decimal
    applied_amount: Decimal
    balance: Decimal
    accepted: bool
    answered: bool


ApplicationWarning = LateDiscountWarning | PaymentToleranceWarning


@dataclass(frozen=True)
class AppliedLine:
    """What the application does to one applied entry, every amount in ITS sign.

    ``closed`` is how much of the entry's remaining the application closes in total;
    of it, ``pmt_discount``, ``pmt_disc_tolerance`` and ``pmt_tolerance`` are closed by
    the discount (on time), the late discount and the payment tolerance, and ``paid``
    by the applying entry's own amount. A positive ``pmt_tolerance`` means the payer
    paid less than due (written off), a negative one that they paid more.
    """

    entry_no: int
    remaining_before: Decimal
    closed: Decimal
    pmt_discount: Decimal = ZERO
    pmt_disc_tolerance: Decimal = ZERO
    pmt_tolerance: Decimal = ZERO
    remaining_pmt_disc_possible_after: Decimal = ZERO

    @property
    def paid(self) -> Decimal:
        """Part of ``closed`` covered by the applying entry's own amount."""
        return self.closed - self.pmt_discount - self.pmt_disc_tolerance - self.pmt_tolerance

    @property
    def remaining_after(self) -> Decimal:
        return self.remaining_before - self.closed

    @property
    def is_closed(self) -> bool:
        return self.closed != 0 and self.remaining_after == 0


@dataclass(frozen=True)
class Adjustment:
    """A discount or tolerance amount and the account kind it is booked to.

    ``amount`` is in the applied entry's sign and is exactly the G/L amount on the
    discount/tolerance account (positive = debit); the party's receivables/payables
    account gets ``-amount`` and the applying entry a detailed entry of ``-amount``.
    """

    entry_no: int
    kind: AdjustmentKind
    amount: Decimal
    account: AccountKind


@dataclass(frozen=True)
class DetailedLine:
    """One detailed ledger entry the posting must write (amount in the ledger sense)."""

    ledger_entry_no: int
    entry_type: str
    amount: Decimal
    applied_entry_no: int


@dataclass(frozen=True)
class GLLine:
    """One G/L amount: ``account`` is an AccountKind or "control" (receivables/payables)."""

    account: str
    amount: Decimal
    entry_no: int
    kind: AdjustmentKind


CONTROL_ACCOUNT = "control"


@dataclass(frozen=True)
class ApplicationPlan:
    """The full result of applying one entry to others; see ``detailed_lines``.

    ``lines`` lists every applied entry in the order the application used them
    (entries it did not need have ``closed == 0``).
    """

    applying_entry_no: int
    posting_date: date
    applying_remaining_before: Decimal
    lines: tuple[AppliedLine, ...]
    adjustments: tuple[Adjustment, ...]
    warnings: tuple[ApplicationWarning, ...]

    @property
    def applying_remaining_after(self) -> Decimal:
        """The applying entry's remaining after posting (its sign, never flipped)."""
        return self.applying_remaining_before + sum((ln.paid for ln in self.lines), ZERO)

    @property
    def closed_entry_nos(self) -> tuple[int, ...]:
        """Entries the application closes, the applying entry first if it closes."""
        closed = tuple(ln.entry_no for ln in self.lines if ln.is_closed)
        if self.applying_remaining_after == 0 and any(ln.closed for ln in self.lines):
            return (self.applying_entry_no, *closed)
        return closed

    @property
    def pending_warnings(self) -> tuple[ApplicationWarning, ...]:
        """Warnings the clerk has not answered yet (ask these, then plan again)."""
        return tuple(w for w in self.warnings if not w.answered)

    def detailed_lines(self) -> tuple[DetailedLine, ...]:
        """The detailed entries to post, in BC's order per applied entry.

        Applied entry: Application ``-closed``. Applying entry: Payment Tolerance,
        Payment Discount, Payment Discount Tolerance (each ``-amount``), then
        Application ``+closed``. The applying entry's sum equals Σ ``paid``.
        """
        out: list[DetailedLine] = []
        by_entry: dict[int, list[Adjustment]] = {}
        for adj in self.adjustments:
            by_entry.setdefault(adj.entry_no, []).append(adj)
        for ln in self.lines:
            if ln.closed == 0:
                continue
            for adj in by_entry.get(ln.entry_no, []):
                out.append(DetailedLine(self.applying_entry_no, adj.kind, -adj.amount, ln.entry_no))
            out.append(DetailedLine(self.applying_entry_no, APPLICATION, ln.closed, ln.entry_no))
            out.append(DetailedLine(ln.entry_no, APPLICATION, -ln.closed, self.applying_entry_no))
        return tuple(out)

    def gl_lines(self) -> tuple[GLLine, ...]:
        """G/L amounts of the discounts and tolerances; they balance per adjustment."""
        out: list[GLLine] = []
        for adj in self.adjustments:
            out.append(GLLine(str(adj.account), adj.amount, adj.entry_no, adj.kind))
            out.append(GLLine(CONTROL_ACCOUNT, -adj.amount, adj.entry_no, adj.kind))
        return tuple(out)
