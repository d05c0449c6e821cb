"""Reverse Transaction / Reverse Register (bc-spec §8, BC ReversalEntry).

A reversal posts, under one new register, the opposite of every G/L, party and bank
entry of the transaction(s): same document no. and posting date, opposite sign. Each
reversed party entry and its reversal are applied to each other (initial + application
detailed entries) so both close. Originals and reversals are marked ``reversed`` and
point at each other. Refused as BC refuses: entries still applied (unapply first),
already reversed, documents, application/unapply registers, reconciled bank entries,
dates outside the allowed posting range.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from core.application.unapplying import live_applications
from core.i18n import N_, _
from core.kernel.errors import ApplicationError, NotFoundError, PostingError
from core.kernel.money import ZERO, from_minor
from core.ledger.drafts import LineDraft, PostingResult
from core.ledger.models import BankLedgerEntry, DetailedLedgerEntry, GLEntry, LedgerEntry, Register
from core.ledger.poster import NewBankEntry, NewLedgerEntry, Poster
from core.ledger.posting import result_of

REVERSAL_SOURCE = "REVERSAL"
NOT_REVERSIBLE = {
    "SALESAPPL": "it is an application; unapply the entries instead",
    "PURCHAPPL": "it is an application; unapply the entries instead",
    "UNAPPSALES": "it is an unapplication; apply the entries again instead",
    "UNAPPPURCH": "it is an unapplication; apply the entries again instead",
    "UNAPPLY": "it is an unapplication; apply the entries again instead",
    REVERSAL_SOURCE: "it is itself a reversal",
    "SALES": "it was posted from a document; post a credit memo instead",
    "PURCHASES": "it was posted from a document; post a credit memo instead",
}


def reverse(s: Session, user: str | None, *, transaction_nos: Sequence[int] = (),
            register_no: int | None = None) -> PostingResult:
    """Reverse the transactions (or the register) inside session ``s``."""
    register: Register | None = None
    if register_no is not None:
        register = s.exec(select(Register).where(Register.no == register_no)
                          .with_for_update()).first()
        if register is None:
            raise NotFoundError(N_("Register {register_no} does not exist"),
                                register_no=register_no)
        _check_source(register, f"register {register_no}")
        if register.reversed:
            raise ApplicationError(N_("Register {register_no} has already been reversed."),
                                   register_no=register_no)
        transaction_nos = _register_transactions(s, register)
        if not transaction_nos:
            raise ApplicationError(N_("Register {register_no} has no entries to reverse."),
                                   register_no=register_no)
    poster = Poster(s, source_code=REVERSAL_SOURCE, user=user)
    docs: list[str] = []
    for t in transaction_nos:
        docs += _reverse_transaction(s, poster, t, checked=register is not None)
    if register is not None:
        register.reversed = True
    register_no_new = poster.finish()
    poster.messages.append(_("Reversed transaction(s) {map}.").format(
                               map=', '.join(map(str, transaction_nos))))
    return result_of(poster, register_no_new, docs)


def _check_source(register: Register, what: str) -> None:
    reason = NOT_REVERSIBLE.get(register.source_code)
    if reason:
        raise ApplicationError(N_("You cannot reverse {what} because {reason}."),
                               what=what, reason=reason)


def _register_transactions(s: Session, r: Register) -> list[int]:
    found: set[int] = set()
    for model, lo, hi in ((GLEntry, r.from_gl_entry_no, r.to_gl_entry_no),
                          (LedgerEntry, r.from_entry_no, r.to_entry_no),
                          (BankLedgerEntry, r.from_bank_entry_no, r.to_bank_entry_no),
                          (DetailedLedgerEntry, r.from_detailed_entry_no,
                           r.to_detailed_entry_no)):
        if lo:
            found.update(s.exec(select(model.transaction_no).where(  # type: ignore[attr-defined]
                col(model.entry_no) >= lo, col(model.entry_no) <= hi)  # type: ignore[attr-defined]
                .distinct()).all())
    return sorted(found)


def _register_of(s: Session, transaction_no: int, gl: Sequence[GLEntry],
                 les: Sequence[LedgerEntry]) -> Register | None:
    if gl:
        no, field_lo, field_hi = gl[0].entry_no, Register.from_gl_entry_no, \
            Register.to_gl_entry_no
    elif les:
        no, field_lo, field_hi = les[0].entry_no, Register.from_entry_no, Register.to_entry_no
    else:
        return None
    return s.exec(select(Register).where(col(field_lo) <= no, col(field_hi) >= no,
                                         col(field_lo) > 0)).first()


def _reverse_transaction(s: Session, poster: Poster, t: int, *, checked: bool) -> list[str]:
    gl = list(s.exec(select(GLEntry).where(GLEntry.transaction_no == t)
                     .order_by(col(GLEntry.entry_no)).with_for_update()).all())
    les = list(s.exec(select(LedgerEntry).where(LedgerEntry.transaction_no == t)
                      .order_by(col(LedgerEntry.entry_no)).with_for_update()).all())
    banks = list(s.exec(select(BankLedgerEntry).where(BankLedgerEntry.transaction_no == t)
                        .order_by(col(BankLedgerEntry.entry_no)).with_for_update()).all())
    if not gl and not les and not banks:
        if s.exec(select(DetailedLedgerEntry.entry_no).where(
                DetailedLedgerEntry.transaction_no == t)).first() is not None:
            raise ApplicationError(N_("You cannot reverse transaction {transaction_no} because "
                                      "it is an "
                                      "application; unapply the entries instead."),
                                   transaction_no=t)
        raise NotFoundError(N_("Transaction {transaction_no} does not exist or has no entries to "
                               "reverse."),
                            transaction_no=t)
    if not checked:
        register = _register_of(s, t, gl, les)
        if register is not None:
            _check_source(register, f"transaction {t}")
    todo_gl = [g for g in gl if not g.reversed]
    if any(e.reversed for e in les) or any(b.reversed for b in banks) or (gl and not todo_gl):
        raise ApplicationError(N_("Transaction {transaction_no} has already been reversed (or is a "
                                  "reversal); it cannot be reversed again."), transaction_no=t)
    _check_unapplied(s, t, les)
    for b in banks:
        if not b.open or b.statement_status != "open" or b.remaining_amount != b.amount:
            raise ApplicationError(
                N_("You cannot reverse transaction {transaction_no}: bank ledger entry "
                   "{entry_no} is "
                   "applied in a bank reconciliation."), transaction_no=t, entry_no=b.entry_no)
    _check_date(poster, {*(g.posting_date for g in gl), *(e.posting_date for e in les),
                         *(b.posting_date for b in banks)})
    poster.begin_transaction()
    for g in todo_gl:
        new = poster.gl_entry(_line(g.posting_date, g.document_type, g.document_no,
                                    g.external_document_no),
                              g.gl_account_no, from_minor(-g.amount),
                              source=(g.source_type, g.source_no),
                              bal=(g.bal_account_type, g.bal_account_no),
                              description=g.description)
        new.reversed, new.reversed_entry_no = True, g.entry_no
        g.reversed, g.reversed_by_entry_no = True, new.entry_no
    for e in les:
        _reverse_ledger_entry(poster, e)
    for b in banks:
        _reverse_bank_entry(poster, b)
    return [*(g.document_no for g in gl), *(e.document_no for e in les),
            *(b.document_no for b in banks)]


def _check_unapplied(s: Session, t: int, les: Sequence[LedgerEntry]) -> None:
    applied = live_applications(s, [e.entry_no for e in les])
    if applied:
        d = applied[0]
        e = next(x for x in les if x.entry_no == d.ledger_entry_no)
        raise ApplicationError(
            N_("You cannot reverse transaction {transaction_no} because entry {entry_no} ({kind} "
               "{document_no}) is applied (application {application_no}); unapply it first."),
            transaction_no=t, entry_no=e.entry_no, kind=e.document_type.replace('_', ' '),
            document_no=e.document_no, application_no=d.application_no)
    for e in les:
        if not e.open or e.remaining_amount != e.amount:
            raise ApplicationError(N_("You cannot reverse transaction {transaction_no} because "
                                      "entry "
                                      "{entry_no} ({document_no}) is closed."),
                                   transaction_no=t, entry_no=e.entry_no, document_no=e.document_no)


def _check_date(poster: Poster, days: set[date]) -> None:
    lo, hi = poster.company.allow_posting_from, poster.company.allow_posting_to
    for day in days:
        if (lo and day < lo) or (hi and day > hi):
            raise PostingError(N_("The posting date {day} is not within the allowed posting "
                                  "range {value} to {value2}; the entries cannot be reversed."),
                               day=day, value=lo or '...', value2=hi or '...')


def _line(day: date, document_type: str, document_no: str, external: str) -> LineDraft:
    return LineDraft(posting_date=day, account_type="gl_account", account_no="",
                     amount=ZERO, document_type=document_type, document_no=document_no,
                     external_document_no=external)


def _reverse_ledger_entry(poster: Poster, e: LedgerEntry) -> None:
    new = NewLedgerEntry(
        entry_no=poster.counters.next("ledger_entry"), party_type=e.party_type,
        party_no=e.party_no, transaction_no=poster.transaction_no,
        posting_date=e.posting_date, document_date=e.document_date,
        document_type=e.document_type, document_no=e.document_no,
        external_document_no=e.external_document_no, payment_reference=e.payment_reference,
        description=e.description, currency=e.currency, amount=-e.amount,
        remaining_amount=0, open=False, positive=-e.amount > 0, due_date=e.posting_date,
        closed_by_entry_no=e.entry_no, closed_at_date=e.posting_date,
        closed_by_amount=-e.amount, bal_account_type=e.bal_account_type,
        bal_account_no=e.bal_account_no, reversed=True, reversed_entry_no=e.entry_no)
    poster.ledger_entries.append(new)
    poster.detailed(new, "initial", -e.amount, e.posting_date, e.document_type,
                    e.document_no)
    application_no = poster.counters.next("application")
    poster.detailed(new, "application", e.amount, e.posting_date, e.document_type,
                    e.document_no, applied_entry_no=e.entry_no, application_no=application_no)
    poster.detailed(e, "application", -e.amount, e.posting_date, e.document_type,
                    e.document_no, applied_entry_no=new.entry_no,
                    application_no=application_no)
    e.remaining_amount = 0
    e.open = False
    e.closed_by_entry_no, e.closed_at_date, e.closed_by_amount = (new.entry_no,
                                                                  e.posting_date, e.amount)
    e.remaining_pmt_disc_possible = 0
    e.applies_to_id, e.amount_to_apply = "", 0
    e.reversed, e.reversed_by_entry_no = True, new.entry_no
    e.version += 1


def _reverse_bank_entry(poster: Poster, b: BankLedgerEntry) -> None:
    new = NewBankEntry(
        entry_no=poster.counters.next("bank_entry"), bank_account_no=b.bank_account_no,
        transaction_no=poster.transaction_no, posting_date=b.posting_date,
        document_type=b.document_type, document_no=b.document_no,
        external_document_no=b.external_document_no, description=b.description,
        amount=-b.amount, remaining_amount=0, open=False, statement_status="closed",
        closed_at_date=b.posting_date, bal_account_type=b.bal_account_type,
        bal_account_no=b.bal_account_no, reversed=True, reversed_entry_no=b.entry_no)
    poster.bank_entries.append(new)
    b.remaining_amount, b.open, b.statement_status = 0, False, "closed"
    b.closed_at_date = b.posting_date
    b.reversed, b.reversed_by_entry_no = True, new.entry_no
    b.version += 1
