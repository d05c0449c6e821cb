"""Apply Manually (the Payment Application page), Accept and Remove Applications.

BC's rules (bc-spec §2): a line is applied to entries of ONE account; an entry's applied
amount lies between 0 and what is available (its remaining amount less what other
statement lines of open journals apply to it); entries of the opposite sign are refused;
the suggested amount is AbsMin(available, line remaining to apply + discount).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.i18n import N_, _
from core.kernel.errors import ApplicationError, LettrageError, NotFoundError
from core.kernel.money import ZERO, from_minor, to_minor
from core.ledger.models import BankLedgerEntry, LedgerEntry
from core.reconciliation.common import recompute
from core.reconciliation.models import AppliedPaymentEntry, ReconJournal, ReconLine

ACCOUNT_WORDS = {
    "customer": N_("Customer"),
    "vendor": N_("Vendor"),
    "gl_account": N_("G/L Account"),
    "bank_account": N_("Bank Account"),
}


@dataclass(frozen=True)
class Target:
    """An open entry as Apply Manually sees it (minor units, entry sign)."""

    account_type: str
    account_no: str
    entry_no: int
    document_type: str
    document_no: str
    remaining: int
    disc_possible: int
    disc_due: date | None
    posting_date: date
    version: int


def account_word(account_type: str, account_no: str) -> str:
    return f"{ACCOUNT_WORDS.get(account_type, account_type)} {account_no}"


def applied_elsewhere(s: Session, space: str, entry_nos: Sequence[int],
                      line_id: int | None) -> dict[int, int]:
    """Entry no. -> minor units applied on other lines of open journals."""
    ape = AppliedPaymentEntry
    types = ("bank_account",) if space == "bank" else ("customer", "vendor")
    stmt = (sa_select(col(ape.applies_to_entry_no), func.sum(col(ape.applied_amount)))
            .join(ReconJournal, col(ReconJournal.id) == col(ape.journal_id))
            .where(col(ReconJournal.status) == "open", col(ape.account_type).in_(types),
                   col(ape.applies_to_entry_no).in_(list(entry_nos)))
            .group_by(col(ape.applies_to_entry_no)))
    if line_id is not None:
        stmt = stmt.where(col(ape.line_id) != line_id)
    return {int(n): int(v) for n, v in s.execute(stmt)}


def load_targets(s: Session, space: str, entry_nos: Sequence[int], bank_no: str
                 ) -> dict[int, Target]:
    out: dict[int, Target] = {}
    if space == "bank":
        for b in s.exec(select(BankLedgerEntry).where(
                col(BankLedgerEntry.entry_no).in_(list(entry_nos))).with_for_update()).all():
            if b.bank_account_no != bank_no:
                raise ApplicationError(N_("Bank ledger entry {entry_no} belongs to bank "
                                          "account {bank_account_no}, not {bank_no}"),
                                       entry_no=b.entry_no, bank_account_no=b.bank_account_no,
                                       bank_no=bank_no)
            if b.open:
                out[b.entry_no] = Target("bank_account", bank_no, b.entry_no, "bank",
                                         b.document_no, b.remaining_amount, 0, None,
                                         b.posting_date, b.version)
        return out
    for e in s.exec(select(LedgerEntry).where(
            col(LedgerEntry.entry_no).in_(list(entry_nos))).with_for_update()).all():
        if e.open:
            due = max((d for d in (e.pmt_discount_date, e.pmt_disc_tolerance_date) if d),
                      default=None)
            out[e.entry_no] = Target(e.party_type, e.party_no, e.entry_no, e.document_type,
                                     e.document_no, e.remaining_amount,
                                     e.remaining_pmt_disc_possible, due, e.posting_date,
                                     e.version)
    return out


def _on_time(t: Target, day: date) -> bool:
    return bool(t.disc_possible) and t.disc_due is not None and day <= t.disc_due


def suggested(t: Target, available: int, line_left: int, day: date) -> tuple[int, int]:
    """(applied incl. discount, discount): AbsMin(available, left to apply + discount)."""
    sign = 1 if t.remaining > 0 else -1
    disc = abs(t.disc_possible) if _on_time(t, day) and available == t.remaining else 0
    applied = min(abs(available), max(line_left * sign, 0) + disc)
    if applied != abs(t.remaining):
        disc = 0
    return sign * applied, sign * disc


def typed(t: Target, amount: int, available: int, elsewhere: int, day: date) -> tuple[int, int]:
    """A clerk's amount, checked against [0, available]; the discount is granted when the
    amount is the full remaining amount or the remaining amount less the discount."""
    if amount != 0 and (amount > 0) != (t.remaining > 0):
        raise ApplicationError(N_("The Amount to Apply must have the sign of the entry's "
                                  "remaining amount ({amount})."),
                               amount=from_minor(t.remaining))
    if abs(amount) > abs(available):
        raise ApplicationError(
            N_("The Amount to Apply cannot exceed {amount}. This is because the Remaining "
               "Amount on the entry is {amount2} and the amount assigned to other "
               "statement lines is {from_minor3}."),
            amount=from_minor(available), amount2=from_minor(t.remaining),
            from_minor3=from_minor(elsewhere))
    if available == t.remaining and _on_time(t, day):
        if amount == t.remaining:
            return amount, t.disc_possible
        if amount == t.remaining - t.disc_possible:
            return t.remaining, t.disc_possible
    return amount, 0


def check_one_account(line: ReconLine, account: tuple[str, str],
                      existing: Sequence[AppliedPaymentEntry]) -> None:
    for a in existing:
        if (a.account_type, a.account_no) != account:
            raise ApplicationError(
                N_("You cannot apply to {account_word} because the statement line already "
                   "contains an application to {account_word2}."),
                account_word=account_word(*account), account_word2=account_word(a.account_type,
                a.account_no))


def check_sign(line: ReconLine, t: Target) -> None:
    if line.amount * t.remaining < 0:
        raise ApplicationError(
            N_("You cannot apply {value} {document_no} (entry {entry_no}) to statement line "
               "{line_no}: its remaining amount has the opposite sign of the transaction "
               "amount. Apply the credit memo to the invoice first."),
            value=t.document_type.replace('_', ' ') or 'entry', document_no=t.document_no,
            entry_no=t.entry_no, line_no=line.line_no)


def set_application(s: Session, line: ReconLine, t: Target, applied: int, disc: int,
                    existing: list[AppliedPaymentEntry]) -> None:
    """Insert, update or (amount 0) delete the line's application to entry ``t``."""
    row = next((a for a in existing if a.applies_to_entry_no == t.entry_no), None)
    if applied == 0:
        if row is not None:
            s.delete(row)
            existing.remove(row)
        return
    if row is None:
        assert line.id is not None
        row = AppliedPaymentEntry(journal_id=line.journal_id, line_id=line.id,
                                  account_type=t.account_type, account_no=t.account_no,
                                  applies_to_entry_no=t.entry_no,
                                  document_type=t.document_type, document_no=t.document_no)
        s.add(row)
        existing.append(row)
    row.applied_amount, row.applied_pmt_discount = applied, disc
    row.quality, row.match_confidence, row.entry_version = line.score, "manual", t.version


def mark_manual(line: ReconLine, apps: Sequence[AppliedPaymentEntry], note: str) -> None:
    recompute(line, apps)
    if apps:
        line.account_type, line.account_no = apps[0].account_type, apps[0].account_no
        line.match_confidence, line.review_required = "manual", False
    else:
        reset(line)
    line.details_json = json.dumps([note], ensure_ascii=False)
    line.version += 1


def reset(line: ReconLine) -> None:
    line.account_type = line.account_no = ""
    line.match_confidence, line.score, line.review_required = "none", 0, False
    line.applied_amount, line.difference = 0, line.amount


def remaining_to_apply(line: ReconLine, apps: Sequence[AppliedPaymentEntry],
                       entry_no: int) -> int:
    used = sum(a.applied_amount - a.applied_pmt_discount for a in apps
               if a.applies_to_entry_no != entry_no)
    return line.amount - used


def apply_entries(s: Session, line: ReconLine, bank_no: str,
                  wanted: Sequence[tuple[int, Decimal | None]], space: str,
                  existing: list[AppliedPaymentEntry]) -> None:
    """Apply the line to the given entries (amount None = suggested)."""
    nos = [n for n, _ in wanted]
    targets = load_targets(s, space, nos, bank_no)
    missing = [n for n in nos if n not in targets]
    if missing:
        kind = "bank" if space == "bank" else _("customer or vendor")
        raise NotFoundError(N_("There is no open {kind} ledger entry {missing}"),
                            kind=kind, missing=missing[0])
    elsewhere = applied_elsewhere(s, space, nos, line.id)
    for entry_no, amount in wanted:
        t = targets[entry_no]
        check_one_account(line, (t.account_type, t.account_no), existing)
        check_sign(line, t)
        other = elsewhere.get(entry_no, 0)
        available = t.remaining - other
        if amount is None:
            left = remaining_to_apply(line, existing, entry_no)
            applied, disc = suggested(t, available, left, line.transaction_date)
            if applied == 0:
                raise ApplicationError(N_("Entry {entry_no} has nothing left to apply: "
                                          "{amount} is applied on other lines."),
                                       entry_no=entry_no, amount=from_minor(other))
        else:
            applied, disc = typed(t, to_minor(amount), available, other,
                                  line.transaction_date)
        set_application(s, line, t, applied, disc, existing)


def accept_line(s: Session, line: ReconLine, apps: list[AppliedPaymentEntry],
                keep_difference_on_account: bool) -> None:
    """BC Accept Application; an overpayment goes on the account as unapplied."""
    if not line.account_no:
        raise LettrageError(N_("Statement line {line_no} has no application to accept."),
                            line_no=line.line_no)
    over = line.difference != 0 and (line.difference > 0) == (line.amount > 0)
    if over and keep_difference_on_account:
        if line.account_type == "bank_account":
            raise ApplicationError(N_("The remaining amount to apply is {amount}."),
                                   amount=from_minor(line.difference))
        assert line.id is not None
        row = AppliedPaymentEntry(journal_id=line.journal_id, line_id=line.id,
                                  account_type=line.account_type, account_no=line.account_no,
                                  applies_to_entry_no=None, applied_amount=line.difference,
                                  quality=line.score, match_confidence="accepted")
        s.add(row)
        apps.append(row)
    recompute(line, apps)
    line.match_confidence, line.review_required = "accepted", False
    line.version += 1


def line_amount_sum(apps: Sequence[AppliedPaymentEntry]) -> Decimal:
    return from_minor(sum(a.applied_amount - a.applied_pmt_discount for a in apps)) or ZERO
