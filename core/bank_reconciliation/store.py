"""Shared database helpers of the bank reconciliation services: rows, locks, views."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import case, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.bank_reconciliation.evidence import render
from core.bank_reconciliation.models import (
    BankRec,
    BankRecLine,
    BankRecMatch,
    BankRecMatchRow,
    BankStatement,
    CheckLedgerEntry,
)
from core.bank_reconciliation.views import EntryRef, RecLineView, RecView
from core.i18n import N_
from core.kernel.errors import LettrageError, NotFoundError
from core.kernel.money import from_minor
from core.kernel.numbering import next_statement_no
from core.kernel.records import bulk_insert_dicts
from core.kernel.store import chunks
from core.ledger.models import BankAccount, BankLedgerEntry
from core.reconciliation.models import ReconJournal


class BankRecError(LettrageError):
    """A bank reconciliation refused: the message says what and where."""


def get_bank(s: Session, no: str, lock: bool = False) -> BankAccount:
    stmt = select(BankAccount).where(BankAccount.no == no)
    if lock:
        stmt = stmt.with_for_update(key_share=True)
    bank = s.exec(stmt).first()
    if bank is None:
        raise NotFoundError(N_("Bank account {no} does not exist"), no=no)
    return bank


def get_rec(s: Session, rec_id: int, lock: bool = False, open_only: bool = True) -> BankRec:
    stmt = select(BankRec).where(BankRec.id == rec_id)
    if lock:
        stmt = stmt.with_for_update()
    rec = s.exec(stmt).first()
    if rec is None:
        raise NotFoundError(N_("Bank account reconciliation {rec_id} does not exist"),
                            rec_id=rec_id)
    if open_only and rec.status != "open":
        raise BankRecError(
            N_("Statement {statement_no} of bank account {bank_account_no} is already posted"),
            statement_no=rec.statement_no,
            bank_account_no=rec.bank_account_no,
        )
    if lock:  # one writer per bank account: two reconciliations never take one entry
        get_bank(s, rec.bank_account_no, lock=True)
    return rec


def latest_open(s: Session, bank_no: str) -> BankRec | None:
    return s.exec(select(BankRec).where(BankRec.bank_account_no == bank_no,
                                        BankRec.status == "open")
                  .order_by(col(BankRec.id).desc())).first()


def used_statement_nos(s: Session, bank_no: str) -> set[str]:
    used: set[str] = set()
    for model in (BankRec, BankStatement, ReconJournal):
        used |= set(s.exec(select(model.statement_no)  # type: ignore[attr-defined]
                           .where(model.bank_account_no == bank_no)).all())  # type: ignore[attr-defined]
    return used


def free_statement_no(s: Session, bank: BankAccount) -> str:
    """The next statement no. after the bank's last one, skipping numbers in use."""
    used = used_statement_nos(s, bank.no)
    no = next_statement_no(bank.last_statement_no)
    while no in used:
        no = next_statement_no(no)
    return no


def lines_of(s: Session, rec_id: int) -> list[BankRecLine]:
    return list(s.exec(select(BankRecLine).where(BankRecLine.rec_id == rec_id)
                       .order_by(col(BankRecLine.line_no))).all())


def matches_of(s: Session, rec_id: int) -> dict[int, list[int]]:
    """line id -> matched entry nos."""
    out: dict[int, list[int]] = defaultdict(list)
    for line_id, entry_no in s.exec(select(BankRecMatch.line_id, BankRecMatch.entry_no)
                                    .where(BankRecMatch.rec_id == rec_id)):
        out[line_id].append(entry_no)
    return out


def entries_by_no(s: Session, nos: Iterable[int]) -> dict[int, BankLedgerEntry]:
    ids = sorted(set(nos))
    out: dict[int, BankLedgerEntry] = {}
    for part in chunks(ids, 500):
        for e in s.exec(select(BankLedgerEntry).where(col(BankLedgerEntry.entry_no).in_(part))):
            out[e.entry_no] = e
    return out


def check_nos(s: Session, bank_entry_nos: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for part in chunks(sorted(set(bank_entry_nos)), 500):
        for no, check in s.exec(select(CheckLedgerEntry.bank_entry_no, CheckLedgerEntry.check_no)
                                .where(col(CheckLedgerEntry.bank_entry_no).in_(part))):
            out[no] = check
    return out


def line_text(ln: BankRecLine) -> str:
    parts = [ln.description, ln.related_party_name, ln.additional_info]
    return " ".join(p for p in parts if p).strip()


def line_view(ln: BankRecLine, entries: Sequence[BankLedgerEntry]) -> RecLineView:
    assert ln.id is not None
    refs = tuple(EntryRef(e.entry_no, e.document_no, from_minor(e.remaining_amount))
                 for e in sorted(entries, key=lambda x: x.entry_no))
    return RecLineView(ln.id, ln.line_no, ln.transaction_id, ln.transaction_date,
                       from_minor(ln.amount), line_text(ln), ln.match_kind, refs,
                       from_minor(ln.applied_amount), from_minor(ln.difference),
                       render(json.loads(ln.details_json or "[]")), ln.check_no, ln.version)


def rec_view(s: Session, rec: BankRec) -> RecView:
    assert rec.id is not None
    row = s.execute(sa_select(func.count(), func.coalesce(func.sum(BankRecLine.amount), 0),
                        func.coalesce(func.sum(BankRecLine.applied_amount), 0),
                        func.coalesce(func.sum(BankRecLine.difference), 0),
                        func.coalesce(func.sum(
                            case((col(BankRecLine.match_kind) != "none", 1), else_=0)), 0))
                 .where(col(BankRecLine.rec_id) == rec.id)).one()
    count, amount, applied, diff, matched = (int(v or 0) for v in row)
    return RecView(rec.id, rec.bank_account_no, rec.statement_no, rec.statement_date,
                   from_minor(rec.balance_last_statement),
                   from_minor(rec.statement_ending_balance), rec.status, count, matched,
                   from_minor(amount), from_minor(applied), from_minor(diff), rec.version)


def refresh_lines(s: Session, lines: Sequence[BankRecLine],
                  by_line: dict[int, list[int]]) -> None:
    """Recompute applied amount and difference of ``lines`` from their matches.

    One line with n entries: applied = Σ remaining of the entries. n lines with one
    entry: every line but the last applies its own amount, the last the rest of the
    entry's remaining amount (so a wrong split shows as that line's difference).
    """
    entry_nos = {n for ln in lines for n in by_line.get(ln.id or 0, [])}
    entries = entries_by_no(s, entry_nos)
    sharers: dict[int, list[BankRecLine]] = defaultdict(list)
    for ln in lines:
        nos = by_line.get(ln.id or 0, [])
        if len(nos) == 1:
            sharers[nos[0]].append(ln)
    for ln in lines:
        nos = by_line.get(ln.id or 0, [])
        if not nos:
            applied = 0
        elif len(nos) > 1 or len(sharers[nos[0]]) == 1:
            applied = sum(entries[n].remaining_amount for n in nos)
        else:
            group = sorted(sharers[nos[0]], key=lambda x: x.line_no)
            if ln is group[-1]:
                applied = entries[nos[0]].remaining_amount - sum(g.amount for g in group[:-1])
            else:
                applied = ln.amount
        ln.applied_amount, ln.difference = applied, ln.amount - applied
        ln.version += 1


def day(value: date | None) -> str:
    return value.isoformat() if value else "(no date)"


def write_matches(s: Session, rec: BankRec, pairs: Sequence[tuple[int, int]]) -> None:
    if not pairs:
        return
    assert rec.id is not None
    rows = [BankRecMatchRow(rec_id=rec.id, line_id=lid, entry_no=no) for lid, no in pairs]
    s.flush()  # the lines and the reconciliation the matches point to are written
    # the driver's executemany: the ORM's bulk path adds nothing here
    bulk_insert_dicts(s.connection(), BankRecMatch.__table__,  # type: ignore[attr-defined]
                      rows, chunk=1000)
    nos = sorted({no for _l, no in pairs})
    for part in chunks(nos):
        s.execute(update(BankLedgerEntry).where(col(BankLedgerEntry.entry_no).in_(part))
                  .values(statement_status="applied", statement_no=rec.statement_no,
                          version=BankLedgerEntry.version + 1)
                  .execution_options(synchronize_session=False))
        s.execute(update(CheckLedgerEntry).where(col(CheckLedgerEntry.bank_entry_no).in_(part),
                                                 col(CheckLedgerEntry.open).is_(True))
                  .values(statement_status="applied", statement_no=rec.statement_no)
                  .execution_options(synchronize_session=False))
