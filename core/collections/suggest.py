"""Create Reminders / Suggest Reminder Lines and Suggest Fin. Charge Memo Lines as
pure functions (bc-spec §9.2, §9.3, §11).

The service loads one customer's open entries, terms and history into the plain values
below and gets back a proposal (or the reason there is none); no database here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from core.collections.calc import (
    FeeRow,
    Interest,
    Movement,
    Rate,
    check_rate,
    fee_for,
    interest,
)
from core.i18n import N_, _
from core.kernel import dateformula
from core.kernel.errors import LettrageError
from core.kernel.money import ZERO, money

OVERDUE, NOT_DUE, ON_HOLD = "overdue", "not_due", "on_hold"


@dataclass(frozen=True)
class OpenEntry:
    """A customer ledger entry as collections sees it."""

    entry_no: int
    document_type: str
    document_no: str
    document_date: date
    posting_date: date
    due_date: date
    amount: Decimal
    remaining: Decimal
    currency: str = ""
    on_hold: str = ""
    last_level: int = 0
    open: bool = True
    closed_at: date | None = None
    closing_interest_calculated: bool = False
    description: str = ""


_OPEN_ENTRY_FIELDS = tuple(f.name for f in fields(OpenEntry))
_new_object = object.__new__
_set = object.__setattr__


def new_open_entry(*values: Any) -> OpenEntry:
    """``OpenEntry(*values)`` with every field given, without the frozen dataclass's
    per-field ``object.__setattr__`` (a bulk read builds 100,000 of them)."""
    e = _new_object(OpenEntry)
    _set(e, "__dict__", dict(zip(_OPEN_ENTRY_FIELDS, values, strict=True)))
    return e


@dataclass(frozen=True)
class Level:
    no: int
    grace_period: str = "0D"
    due_date_calculation: str = "0D"
    additional_fee: Decimal = ZERO
    add_fee_per_line: Decimal = ZERO
    add_fee_per_line_description: str = ""
    calculate_interest: bool = False
    fee_type: str = "fixed"
    fee_rows: tuple[FeeRow, ...] = ()
    line_fee_rows: tuple[FeeRow, ...] = ()


@dataclass(frozen=True)
class Terms:
    code: str
    levels: tuple[Level, ...]
    max_reminders: int = 0
    minimum_amount: Decimal = ZERO

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ordered", tuple(sorted(self.levels, key=lambda lv: lv.no)))
        object.__setattr__(self, "_memo", {})

    def level(self, no: int) -> Level:
        """The level's conditions; beyond the last level the last one applies."""
        memo: dict[int, Level] = self._memo  # type: ignore[attr-defined]
        if no in memo:
            return memo[no]
        ordered: tuple[Level, ...] = self._ordered  # type: ignore[attr-defined]
        if not ordered:
            raise LettrageError(N_("Reminder terms {code} have no levels: add at least "
                                   "level 1 before creating reminders"), code=self.code)
        found = [lv for lv in ordered if lv.no <= no]
        memo[no] = found[-1] if found else ordered[0]
        return memo[no]


@dataclass(frozen=True)
class ChargeTerms:
    """Finance charge terms (also give reminders their interest)."""

    code: str
    rates: tuple[Rate, ...]
    method: str = "average_daily_balance"
    minimum_amount: Decimal = ZERO
    additional_fee: Decimal = ZERO
    grace_period: str = "0D"
    due_date_calculation: str = "0D"
    interest_on: str = "open"

    def __post_init__(self) -> None:
        if not self.rates:
            raise LettrageError(N_("Finance charge terms {code} have no interest rate"),
                                code=self.code)
        for r in self.rates:
            check_rate(r.rate, r.period_days, _("Finance charge terms {code}").format(
                                                 code=self.code))


@dataclass(frozen=True)
class Options:
    document_date: date
    posting_date: date
    only_overdue: bool = False
    include_on_hold: bool = False


@dataclass(frozen=True)
class ProposedLine:
    entry: OpenEntry
    section: str
    level: int = 0
    interest: Interest | None = None
    line_fee: Decimal = ZERO

    @property
    def interest_amount(self) -> Decimal:
        return self.interest.amount if self.interest else ZERO


@dataclass(frozen=True)
class Proposal:
    level: int
    due_date: date
    lines: tuple[ProposedLine, ...]
    additional_fee: Decimal = ZERO
    line_fee_description: str = ""

    # cached: the texts, the header and the totals each ask (a frozen dataclass still
    # has the instance dict cached_property writes to)
    @cached_property
    def remaining(self) -> Decimal:
        return sum((ln.entry.remaining for ln in self.lines if ln.section == OVERDUE), ZERO)

    @cached_property
    def interest(self) -> Decimal:
        return sum((ln.interest_amount for ln in self.lines), ZERO)

    @cached_property
    def line_fees(self) -> Decimal:
        return sum((ln.line_fee for ln in self.lines), ZERO)

    @cached_property
    def total(self) -> Decimal:
        return self.remaining + self.interest + self.additional_fee + self.line_fees


@dataclass(frozen=True)
class NoProposal:
    reason: str


@dataclass
class History:
    """What earlier reminders and memos left on the customer's entries."""

    # (entry no., level) -> due date of the last non-cancelled reminder entry
    reminder_due: dict[tuple[int, int], date] = field(default_factory=dict)
    # entry no. -> document date of the last memo / interest-posting reminder
    interest_until: dict[int, date] = field(default_factory=dict)


@lru_cache(maxsize=65536)
def calc_date(formula: str, base: date) -> date:
    """``dateformula.calc_date`` remembered: a run asks the same few formulas of the
    same few hundred due dates 100,000 times."""
    return dateformula.calc_date(formula or "0D", base)


def _overdue(grace: str, reference_due: date, document_date: date) -> bool:
    return calc_date(grace, reference_due) < document_date


def _by_due(e: OpenEntry) -> tuple[date, int]:
    return e.due_date, e.entry_no


def suggest_reminder(entries: Sequence[OpenEntry], terms: Terms, options: Options,
                     history: History, *, blocked: str = "",
                     charge_terms: ChargeTerms | None = None,
                     movements: Mapping[int, Sequence[Movement]] | None = None,
                     currency: str = "") -> Proposal | NoProposal:
    """The reminder one customer gets in one currency (bc-spec §9.2), or why none."""
    if blocked == "all":
        return NoProposal(_("the customer is blocked for all transactions"))
    terms.level(1)  # terms with no levels: a clear error, not a silent skip
    doc_date = options.document_date
    lines: list[ProposedLine] = []
    add = lines.append
    reminder_due, max_reminders = history.reminder_due, terms.max_reminders
    level_of, include_on_hold = terms.level, options.include_on_hold
    only_overdue = options.only_overdue
    for e in sorted(entries, key=_by_due):
        remaining = e.remaining
        if not e.open or not remaining:
            continue
        if remaining < 0:  # payments, credit memos, refunds: always listed
            add(ProposedLine(e, OVERDUE))
            continue
        last = e.last_level
        level_no = last + 1
        if max_reminders and level_no > max_reminders:
            continue  # reminded as often as the terms allow
        level = level_of(level_no)
        reference = reminder_due.get((e.entry_no, last), e.due_date) if last else e.due_date
        if e.on_hold:
            if include_on_hold:
                add(ProposedLine(e, ON_HOLD, level_no))
            continue
        if calc_date(level.grace_period, reference) < doc_date:
            add(ProposedLine(e, OVERDUE, level_no))
        elif not only_overdue:
            add(ProposedLine(e, NOT_DUE, level_no))
    overdue = [ln for ln in lines if ln.section == OVERDUE and ln.entry.remaining > 0]
    if not overdue:
        return NoProposal(_("no entry is overdue"))
    # beyond the last level the highest level applies (and is the header's level)
    level = terms.level(max(ln.level for ln in overdue
                            if ln.entry.document_type != "credit_memo"))
    header_level = level.no
    remaining = sum((ln.entry.remaining for ln in lines if ln.section == OVERDUE), ZERO)
    if remaining <= 0:
        return NoProposal(_("the overdue entries are covered by open payments or credits"))
    if remaining < terms.minimum_amount:
        return NoProposal(_("the overdue amount {remaining} is below the minimum "
                             "{minimum_amount}").format(remaining=remaining,
                             minimum_amount=terms.minimum_amount))
    final: list[ProposedLine] = []
    keep = final.append
    moves = movements or {}
    for ln in lines:
        if ln.section != OVERDUE or ln.entry.remaining <= 0:
            keep(ln)
            continue
        lv = level_of(ln.level)
        charge = None
        if lv.calculate_interest and charge_terms is not None:
            charge = _interest(ln.entry, charge_terms, doc_date, history,
                               moves.get(ln.entry.entry_no, ()), currency)
        line_fee = fee_for(lv.fee_type, lv.add_fee_per_line, ln.entry.remaining,
                           lv.line_fee_rows, currency) if (
            lv.add_fee_per_line or lv.line_fee_rows) else ZERO
        if charge is None and not line_fee:
            keep(ln)  # the same line: no interest, no fee
        else:
            keep(ProposedLine(ln.entry, OVERDUE, ln.level, charge, line_fee))
    fee = fee_for(level.fee_type, level.additional_fee, remaining, level.fee_rows, currency)
    due = dateformula.calc_date(level.due_date_calculation or "0D", doc_date)
    return Proposal(header_level, due, tuple(final), fee,
                    level.add_fee_per_line_description)


def _interest(e: OpenEntry, terms: ChargeTerms, end: date, history: History,
              movements: Sequence[Movement], currency: str) -> Interest | None:
    moves = movements or (Movement("initial", e.posting_date, e.amount),)
    result = interest(terms.method, due=e.due_date, end=end, remaining=e.remaining,
                      movements=moves, rates=terms.rates,
                      start_floor=history.interest_until.get(e.entry_no),
                      closed_at=e.closed_at, currency=currency)
    return result if result.amount > 0 else None


@dataclass(frozen=True)
class ChargeLine:
    entry: OpenEntry
    interest: Interest


@dataclass(frozen=True)
class ChargeProposal:
    due_date: date
    lines: tuple[ChargeLine, ...]
    additional_fee: Decimal = ZERO

    @property
    def interest(self) -> Decimal:
        return sum((ln.interest.amount for ln in self.lines), ZERO)

    @property
    def remaining(self) -> Decimal:
        return sum((ln.entry.remaining for ln in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.interest + self.additional_fee


def suggest_finance_charge(entries: Sequence[OpenEntry], terms: ChargeTerms,
                           options: Options, history: History, *, blocked: str = "",
                           movements: Mapping[int, Sequence[Movement]] | None = None,
                           currency: str = "") -> ChargeProposal | NoProposal:
    """The finance charge memo of one customer (bc-spec §9.3), or why none."""
    if blocked == "all":
        return NoProposal(_("the customer is blocked for all transactions"))
    doc_date = options.document_date
    lines: list[ChargeLine] = []
    overdue_any = False
    for e in sorted(entries, key=lambda x: (x.due_date, x.entry_no)):
        if e.amount <= 0 or e.on_hold:
            continue
        if e.open and terms.interest_on == "closed":
            continue
        if not e.open and (terms.interest_on == "open" or e.closing_interest_calculated):
            continue
        if not _overdue(terms.grace_period, e.due_date, doc_date):
            continue
        overdue_any = overdue_any or e.open
        charge = _interest(e, terms, doc_date, history,
                           (movements or {}).get(e.entry_no, ()), currency)
        if charge is not None:
            lines.append(ChargeLine(e, charge))
    total_interest = sum((ln.interest.amount for ln in lines), ZERO)
    fee = money(terms.additional_fee, currency) if overdue_any else ZERO
    if total_interest <= 0 and fee <= 0:
        return NoProposal(_("no interest is due"))
    if total_interest < terms.minimum_amount and fee <= 0:
        return NoProposal(
            _("the interest {total_interest} is below the minimum {minimum_amount}").format(
                total_interest=total_interest, minimum_amount=terms.minimum_amount
            )
        )
    due = dateformula.calc_date(terms.due_date_calculation or "0D", doc_date)
    return ChargeProposal(due, tuple(lines), fee)
