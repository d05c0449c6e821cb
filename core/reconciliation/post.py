"""Posting the Payment Reconciliation Journal (bc-spec §5), inside the caller's one write
transaction: checks, one register through the Poster, bank entries closed, statement
kept. Any error rolls everything back.

Customer/vendor lines are posted as payments (refunds) with Applies-to ID
``<bank>-<statement>-<line no.>``; just before a line is posted its entries are marked
with that ID and ``amount_to_apply`` = the applied amount, so ``core.application.applying``
applies them with payment discount and tolerance exactly as a cash receipt journal
would. Lines applied to an open bank ledger entry post nothing: the entry is closed.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from core.application.applying import apply_on_posting
from core.audit.conflicts import conflict
from core.i18n import N_, _
from core.kernel.errors import ApplicationError, ConflictError, LettrageError, PostingError, Text
from core.kernel.money import from_minor
from core.kernel.store import chunks
from core.ledger.bank_statements import BankStatementLine
from core.ledger.drafts import LineDraft, PostingResult
from core.ledger.models import BankAccount, BankLedgerEntry, LedgerEntry
from core.ledger.poster import Poster
from core.ledger.posting import result_of
from core.reconciliation.common import applications_of
from core.reconciliation.extensions import ReconExtension
from core.reconciliation.manual import account_word
from core.reconciliation.models import (
    AppliedPaymentEntry,
    PostedLineRow,
    PostedStatement,
    PostedStatementLine,
    ReconJournal,
    ReconLine,
)

SOURCE_CODE = "PMTRECJNL"
Apps = dict[int, list[AppliedPaymentEntry]]


@dataclass
class PostRun:
    """What one post needs and produces."""

    journal: ReconJournal
    bank: BankAccount
    lines: list[ReconLine]
    apps: Apps
    reconcile: bool
    statement_date: date
    ending: int
    user: str
    now: datetime
    register_no: int | None = None
    posting: PostingResult | None = None
    closed: tuple[int, ...] = ()


def m(units: int) -> Decimal:
    return from_minor(units)


def applies_to_id(run: PostRun, line: ReconLine) -> str:
    return f"{run.bank.no}-{run.journal.statement_no}-{line.line_no}"


# --- checks ----------------------------------------------------------------------------


def check_totals(run: PostRun) -> None:
    total = sum(ln.amount for ln in run.lines)
    if not run.lines:
        raise PostingError(N_("There is nothing to post: the journal has no lines"))
    if run.reconcile and total != run.ending - run.bank.balance_last_statement:
        raise PostingError(
            N_("Statement Ending Balance must be equal to Total Balance. Balance Last "
               "Statement {amount} + the lines {amount2} = {m3}, but the Statement Ending "
               "Balance is "
               "{m4}."),
            amount=m(run.bank.balance_last_statement), amount2=m(total),
            m3=m(run.bank.balance_last_statement + total), m4=m(run.ending))
    for ln in run.lines:
        if not ln.account_no:
            raise PostingError(
                N_("The line with transaction date {transaction_date} and transaction text "
                   "'{transaction_text}' is not applied. You must apply all lines."),
                transaction_date=ln.transaction_date, transaction_text=ln.transaction_text)
    applied = sum(ln.applied_amount for ln in run.lines)
    if applied != total:
        raise PostingError(N_("One or more payments are not fully applied. The sum of applied "
                              "amounts is {amount}. It must be {amount2}."), amount=m(applied),
                           amount2=m(total))
    for ln in run.lines:
        if ln.difference:
            raise PostingError(
                N_("The line with transaction date {transaction_date} and transaction text "
                   "'{transaction_text}' has a difference of {amount}. Apply it fully or transfer "
                   "the difference to an account."),
                transaction_date=ln.transaction_date, transaction_text=ln.transaction_text,
                amount=m(ln.difference))


def check_statement_lines(s: Session, run: PostRun) -> None:
    ids = [ln.statement_line_id for ln in run.lines if ln.statement_line_id]
    for part in chunks(ids):
        for b in s.exec(select(BankStatementLine)
                        .where(col(BankStatementLine.id).in_(part))).all():
            if b.status in ("posted", "reconciled"):
                raise PostingError(N_("Statement line {line_no} of {booking_date} ({amount}) is "
                                      "already {status}. You must remove it from the journal."),
                                   line_no=b.line_no, booking_date=b.booking_date,
                                   amount=m(b.amount),
                                   status=b.status)


def _entry_apps(run: PostRun, space: str) -> list[tuple[ReconLine, AppliedPaymentEntry]]:
    out = []
    for ln in run.lines:
        for a in run.apps.get(ln.id or 0, []):
            if a.applies_to_entry_no is None:
                continue
            if (a.account_type == "bank_account") == (space == "bank"):
                out.append((ln, a))
    return out


def _conflict(s: Session, what: Text, entry_no: int | None, bank: bool = False
              ) -> ConflictError:
    nos = [entry_no] if entry_no else []
    return conflict(s, what, entry_nos=[] if bank else nos, bank_entry_nos=nos if bank else [],
                    hint=N_("reload and apply the statement line again"))


def lock_cv_entries(s: Session, run: PostRun) -> dict[int, LedgerEntry]:
    """Load, lock and check the customer/vendor entries the lines apply."""
    pairs = _entry_apps(run, "cv")
    nos = sorted({a.applies_to_entry_no for _, a in pairs if a.applies_to_entry_no})
    entries: dict[int, LedgerEntry] = {}
    for part in chunks(nos):
        for e in s.exec(select(LedgerEntry).where(col(LedgerEntry.entry_no).in_(part))
                        .order_by(col(LedgerEntry.entry_no))
                        .with_for_update(key_share=True)).all():
            entries[e.entry_no] = e
    used: dict[int, int] = defaultdict(int)
    for _ln, a in pairs:
        found = entries.get(a.applies_to_entry_no or 0)
        label = Text(N_("{account_type} ledger entry {applies_to_entry_no} ({document_no})"),
                     account_type=account_word(a.account_type, a.account_no),
                     applies_to_entry_no=a.applies_to_entry_no, document_no=a.document_no)
        if found is None or not found.open or (a.entry_version
                                               and found.version != a.entry_version):
            raise _conflict(s, label, a.applies_to_entry_no)
        e = found
        if e.applies_to_id:
            raise ConflictError(N_("{label} is applied in another journal (Applies-to ID "
                                   "{applies_to_id}); remove that application first"),
                                label=label, applies_to_id=e.applies_to_id)
        used[e.entry_no] += a.applied_amount
        if abs(used[e.entry_no]) > abs(e.remaining_amount):
            raise ApplicationError(N_("{label}: the statement lines apply {amount} but only "
                                      "{amount2} is "
                                      "open."),
                                   label=label, amount=m(used[e.entry_no]),
                                   amount2=m(e.remaining_amount))
    return entries


def close_bank_entries(s: Session, run: PostRun) -> list[int]:
    """Lines applied to open bank ledger entries close (or reduce) them."""
    closed: list[int] = []
    for ln, a in _entry_apps(run, "bank"):
        b = s.exec(select(BankLedgerEntry).where(
            BankLedgerEntry.entry_no == a.applies_to_entry_no).with_for_update()).first()
        if b is None or not b.open or b.bank_account_no != run.bank.no or (
                a.entry_version and b.version != a.entry_version):
            raise _conflict(s, Text(N_("Bank ledger entry {applies_to_entry_no}"),
                                    applies_to_entry_no=a.applies_to_entry_no),
                            a.applies_to_entry_no, bank=True)
        if abs(a.applied_amount) > abs(b.remaining_amount):
            raise ApplicationError(N_("Bank ledger entry {entry_no} has only {amount} open; line "
                                      "{line_no} applies {amount2}."),
                                   entry_no=b.entry_no, amount=m(b.remaining_amount),
                                   line_no=ln.line_no, amount2=m(a.applied_amount))
        b.remaining_amount -= a.applied_amount
        b.statement_no, b.statement_line_no = run.journal.statement_no, ln.line_no
        b.version += 1
        if b.remaining_amount == 0 and run.reconcile:
            b.open, b.statement_status, b.closed_at_date = False, "closed", run.statement_date
            closed.append(b.entry_no)
        else:
            b.statement_status = "applied"
    return closed


# --- drafts ----------------------------------------------------------------------------


def _document_type(account_type: str, amount: int) -> str:
    if account_type == "customer":
        return "refund" if amount < 0 else "payment"
    if account_type == "vendor":
        return "refund" if amount > 0 else "payment"
    return ""


def line_draft(run: PostRun, ln: ReconLine) -> LineDraft | None:
    """The journal line of a statement line (None: it only closes a bank entry)."""
    apps = run.apps.get(ln.id or 0, [])
    posting = [a for a in apps if not (a.account_type == "bank_account"
                                       and a.applies_to_entry_no is not None)]
    cash = sum(a.applied_amount - a.applied_pmt_discount for a in posting)
    if not posting or cash == 0:
        return None
    if ln.account_type == "bank_account" and ln.account_no == run.bank.no:
        raise PostingError(N_("Statement line {line_no} cannot be posted to bank account "
                              "{account_no} itself"),
                           line_no=ln.line_no, account_no=ln.account_no)
    marks = any(a.applies_to_entry_no is not None for a in posting)
    return LineDraft(
        posting_date=ln.transaction_date, account_type=ln.account_type,
        account_no=ln.account_no, amount=-m(cash),
        document_type=_document_type(ln.account_type, ln.amount),
        document_no=run.journal.statement_no, external_document_no=ln.transaction_id[:35],
        description=(ln.description or ln.transaction_text)[:100],
        bal_account_type="bank_account", bal_account_no=run.bank.no,
        applies_to_id=applies_to_id(run, ln) if marks else "",
        ref=_("statement line {line_no}").format(line_no=ln.line_no))


def closes_within_tolerance(e: LedgerEntry, applied: int, discount: int, when: date) -> bool:
    """BC (PmtTolCust): an application on ``when`` that falls short of the entry's
    remaining by at most its Max. Payment Tolerance closes it, the shortfall posted as
    payment tolerance (bc-spec §12). Only when no payment discount is possible at that
    date, so the discount rules stay as they are."""
    short = abs(e.remaining_amount) - abs(applied)
    due = max((d for d in (e.pmt_discount_date, e.pmt_disc_tolerance_date) if d),
              default=None)
    disc_possible = bool(e.remaining_pmt_disc_possible) and due is not None and when <= due
    return (0 < short <= abs(e.max_payment_tolerance) and not discount
            and not disc_possible and (applied > 0) == (e.remaining_amount > 0))


def make_hook(run: PostRun, entries: dict[int, LedgerEntry]) -> Any:
    """apply_on_posting, after marking the line's entries with its Applies-to ID. An
    entry a line applies alone and within its payment tolerance is marked with its whole
    remaining amount, so the application closes it through payment tolerance when the
    setup says so (no Payment Tolerance Warning: BC would ask; unanswered, the balance
    stays open)."""
    pairs = _entry_apps(run, "cv")
    uses = Counter(a.applies_to_entry_no for _ln, a in pairs)
    marks: dict[str, list[tuple[LedgerEntry, int, bool]]] = defaultdict(list)
    for ln, a in pairs:
        e = entries[a.applies_to_entry_no or 0]
        tolerance = uses[e.entry_no] == 1 and closes_within_tolerance(
            e, a.applied_amount, a.applied_pmt_discount, ln.transaction_date)
        marks[applies_to_id(run, ln)].append((e, a.applied_amount, tolerance))

    def hook(poster: Poster, entry: LedgerEntry, line: LineDraft) -> None:
        close = not poster.company.payment_tolerance_warning
        for e, amount, tolerance in marks.get(line.applies_to_id, ()):
            e.applies_to_id = line.applies_to_id
            e.amount_to_apply = e.remaining_amount if tolerance and close else amount
        apply_on_posting(poster, entry, line)

    return hook


def post_lines(s: Session, run: PostRun, entries: dict[int, LedgerEntry]) -> dict[int, int]:
    """Post the journal lines as one register; returns line id -> new bank entry no."""
    pairs = [(ln, d) for ln in run.lines if (d := line_draft(run, ln)) is not None]
    if not pairs:
        return {}
    pairs.sort(key=lambda p: (p[1].posting_date, p[0].line_no))  # one transaction per day
    poster = Poster(s, source_code=SOURCE_CODE, user=run.user, now=run.now,
                    journal_batch=f"{run.bank.no}/{run.journal.statement_no}",
                    apply_hook=make_hook(run, entries))
    run.register_no = poster.post([d for _, d in pairs])
    run.posting = result_of(poster, run.register_no, [run.journal.statement_no])
    own = [e for e in poster.bank_entries if e.bank_account_no == run.bank.no]
    if len(own) != len(pairs):  # pragma: no cover - one bank entry per posted line
        raise PostingError(N_("Internal error: bank entries do not match the posted lines"))
    return {ln.id or 0: e.entry_no for (ln, _), e in zip(pairs, own, strict=True)}


# --- after posting ---------------------------------------------------------------------


def mark_bank_entries(s: Session, run: PostRun, new: dict[int, int]) -> list[int]:
    by_id = {ln.id: ln for ln in run.lines}
    rows: list[dict[str, Any]] = []
    for line_id, entry_no in new.items():
        row: dict[str, Any] = {"entry_no": entry_no, "statement_no": run.journal.statement_no,
                               "statement_line_no": by_id[line_id].line_no}
        if run.reconcile:
            row.update(open=False, remaining_amount=0, statement_status="closed",
                       closed_at_date=run.statement_date)
        rows.append(row)
    for part in chunks(list(range(len(rows))), 1000):
        s.execute(update(BankLedgerEntry), [rows[k] for k in part])
    return sorted(new.values()) if run.reconcile else []


def finish(s: Session, run: PostRun, new: dict[int, int]) -> None:
    """Statement lines, bank card, posted statement, journal status."""
    status = "reconciled" if run.reconcile else "posted"
    ids = [ln.statement_line_id for ln in run.lines if ln.statement_line_id]
    for part in chunks(ids):
        s.execute(update(BankStatementLine).where(col(BankStatementLine.id).in_(part))
                  .values(status=status, version=BankStatementLine.version + 1)
                  .execution_options(synchronize_session=False))
    balance_before = run.bank.balance_last_statement
    if run.reconcile:
        run.bank.last_statement_no = run.journal.statement_no
        run.bank.balance_last_statement = run.ending
        run.bank.version += 1
    keep_statement(s, run, new, balance_before)
    j = run.journal
    j.status, j.posted_at, j.statement_date = "posted", run.now, run.statement_date
    j.statement_ending_balance = run.ending
    j.version += 1
    for ln in run.lines:
        ln.status = "posted"
        ln.version += 1


def _apps_json(apps: Sequence[AppliedPaymentEntry]) -> str:
    return json.dumps([{"account_type": a.account_type, "account_no": a.account_no,
                        "entry_no": a.applies_to_entry_no, "document_type": a.document_type,
                        "document_no": a.document_no, "applied_amount": a.applied_amount,
                        "pmt_discount": a.applied_pmt_discount} for a in apps])


def keep_statement(s: Session, run: PostRun, new: dict[int, int], before: int) -> None:
    ps = PostedStatement(bank_account_no=run.bank.no, statement_no=run.journal.statement_no,
                         statement_date=run.statement_date, reconciled=run.reconcile,
                         balance_last_statement=before, statement_ending_balance=run.ending,
                         posted_at=run.now, user=run.user[:100], register_no=run.register_no)
    s.add(ps)
    s.flush()
    assert ps.id is not None
    rows: list[PostedLineRow] = [{"posted_statement_id": ps.id, "line_no": ln.line_no,
             "statement_line_id": ln.statement_line_id, "transaction_date": ln.transaction_date,
             "value_date": ln.value_date, "transaction_text": ln.transaction_text,
             "amount": ln.amount, "applied_amount": ln.applied_amount,
             "account_type": ln.account_type, "account_no": ln.account_no,
             "related_party_name": ln.related_party_name, "transaction_id": ln.transaction_id,
             "match_confidence": ln.match_confidence, "parent_line_no": ln.parent_line_no,
             "bank_entry_no": new.get(ln.id or 0),
             "applications_json": _apps_json(run.apps.get(ln.id or 0, []))}
            for ln in run.lines]
    for part in chunks(list(range(len(rows))), 1000):
        s.execute(insert(PostedStatementLine), [rows[k] for k in part])


def load_run(s: Session, j: ReconJournal, bank: BankAccount, reconcile: bool,
             statement_date: date | None, ending: int | None, user: str,
             now: datetime) -> PostRun:
    assert j.id is not None
    lines = list(s.exec(select(ReconLine).where(ReconLine.journal_id == j.id)
                        .order_by(col(ReconLine.line_no)).with_for_update()).all())
    day = statement_date or j.statement_date or max(
        (ln.transaction_date for ln in lines), default=now.date())
    if ending is None:
        ending = j.statement_ending_balance
    if ending is None:
        if reconcile:
            raise LettrageError(N_("Enter the Statement Ending Balance to post payments and "
                                "reconcile the bank account."))
        ending = bank.balance_last_statement + sum(ln.amount for ln in lines)
    apps = applications_of(s, [ln.id for ln in lines if ln.id is not None])
    return PostRun(j, bank, lines, apps, reconcile, day, ending, user, now)


def post_run(s: Session, run: PostRun, extensions: Sequence[ReconExtension] = ()) -> None:
    check_totals(run)
    check_statement_lines(s, run)
    entries = lock_cv_entries(s, run)
    closed = close_bank_entries(s, run)
    new = post_lines(s, run, entries)
    closed += mark_bank_entries(s, run, new)
    run.closed = tuple(sorted(closed))
    finish(s, run, new)
    for ext in extensions:
        if ext.after_post is not None:
            ext.after_post(s, run)
