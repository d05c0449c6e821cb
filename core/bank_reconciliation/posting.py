"""Post, undo, test report and outstanding items of bank account reconciliations.

Posting (BC §6) checks, with BC's messages: a statement date; Σ statement amounts =
statement ending balance − balance last statement ("Statement Ending Balance must be
equal to Total Balance."); Σ differences = 0 ("The total difference is %1. It must be
%2."); every line's applied amount equals the remaining amount of its entries
(difference 0), so a many-to-one with compensating differences is refused. It then
closes the matched bank entries and their check entries, moves the bank card's last
statement no. and balance, keeps the statement (``BankStatement``) and deletes the
reconciliation. Posting writes no G/L: the money was booked when the entries were.
``undo`` reopens the latest posted statement into a new reconciliation (numbered
after the last statement, BC §15.5; Change Statement No. takes the old number back).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from core.bank_reconciliation.filling import IN_REC_STATUS
from core.bank_reconciliation.models import (
    BankEntryClosing,
    BankRec,
    BankRecLine,
    BankRecMatch,
    BankStatement,
    BankStatementPostedLine,
    CheckLedgerEntry,
    PostedLineRow,
)
from core.bank_reconciliation.store import (
    BankRecError,
    entries_by_no,
    free_statement_no,
    get_bank,
    get_rec,
    lines_of,
    matches_of,
    rec_view,
)
from core.bank_reconciliation.views import (
    Outstanding,
    OutstandingItem,
    PostedLineView,
    PostedStatementView,
    PostResult,
    TestReport,
)
from core.i18n import N_, _, format_amount
from core.kernel.errors import NotFoundError
from core.kernel.gcpause import gc_paused
from core.kernel.money import from_minor
from core.kernel.records import bulk_insert_dicts
from core.kernel.store import Clock, Store, chunks, utc_now
from core.kernel.users import os_user
from core.ledger.bank_statements import BankStatementLine
from core.ledger.models import BankLedgerEntry, GLEntry


def _m(units: int) -> str:
    return format_amount(from_minor(units))


class BankRecPosting:
    """Post and undo bank account reconciliations; reports."""

    def __init__(self, store: Store, user: str | None = None, clock: Clock = utc_now) -> None:
        self.store = store
        self.user = user if user is not None else os_user("")
        self.clock = clock

    # --- posting ---------------------------------------------------------------------

    def post(self, rec_id: int) -> PostResult:
        with gc_paused(), self.store.write() as s:  # thousands of rows: no GC passes
            rec = get_rec(s, rec_id, lock=True)
            bank = get_bank(s, rec.bank_account_no, lock=True)
            lines = lines_of(s, rec_id)
            by_line = matches_of(s, rec_id)
            check_postable(rec, lines)
            entries = entries_by_no(s, (n for nos in by_line.values() for n in nos))
            _check_entries(rec, lines, by_line, entries)
            assert rec.statement_date is not None
            closed = sorted(entries)
            line_of_entry: dict[int, int] = {}
            for ln in lines:
                for n in by_line.get(ln.id or 0, []):
                    line_of_entry.setdefault(n, ln.line_no)
            rows = [BankEntryClosing(
                entry_no=n, open=False, remaining_amount=0, statement_status="closed",
                statement_no=rec.statement_no, statement_line_no=line_of_entry[n],
                closed_at_date=rec.statement_date, version=entries[n].version + 1)
                for n in closed]
            for i in range(0, len(rows), 1000):
                s.execute(update(BankLedgerEntry), rows[i:i + 1000])
            checks: list[int] = []
            for part in chunks(closed):
                checks += list(s.exec(select(CheckLedgerEntry.entry_no).where(
                    col(CheckLedgerEntry.bank_entry_no).in_(part),
                    col(CheckLedgerEntry.open).is_(True))).all())
                s.execute(update(CheckLedgerEntry).where(
                    col(CheckLedgerEntry.bank_entry_no).in_(part),
                    col(CheckLedgerEntry.open).is_(True))
                    .values(open=False, statement_status="closed", statement_no=rec.statement_no,
                            version=CheckLedgerEntry.version + 1)
                    .execution_options(synchronize_session=False))
            stmt = BankStatement(bank_account_no=rec.bank_account_no,
                                 statement_no=rec.statement_no, statement_date=rec.statement_date,
                                 balance_last_statement=rec.balance_last_statement,
                                 statement_ending_balance=rec.statement_ending_balance,
                                 previous_statement_no=bank.last_statement_no,
                                 posted_at=self.clock(), user=self.user[:100])
            s.add(stmt)
            s.flush()
            bulk_insert_dicts(s.connection(),
                              BankStatementPostedLine.__table__,  # type: ignore[attr-defined]
                              [_posted_line(stmt.id or 0, ln, by_line) for ln in lines])
            ids = [ln.statement_line_id for ln in lines if ln.statement_line_id]
            for part in chunks(ids):
                s.execute(update(BankStatementLine).where(col(BankStatementLine.id).in_(part))
                          .values(status="reconciled", version=BankStatementLine.version + 1)
                          .execution_options(synchronize_session=False))
            bank.last_statement_no = rec.statement_no
            bank.balance_last_statement = rec.statement_ending_balance
            bank.version += 1
            view = _statement_view(s, stmt)
            statement_no, bank_no = rec.statement_no, rec.bank_account_no
            _delete_rec(s, rec)
            return PostResult(view, tuple(closed), tuple(sorted(checks)),
                              _("Posted statement {statement_no} of bank account "
                                 "{bank_no}: {count} line(s), {count2} bank entries "
                                 "closed, {count3} check(s) closed").format(
                                 statement_no=statement_no, bank_no=bank_no, count=len(lines),
                                 count2=len(closed), count3=len(checks)))

    # --- undo and statements ---------------------------------------------------------

    def statements(self, bank_no: str | None = None) -> list[PostedStatementView]:
        with self.store.read() as s:
            q = select(BankStatement)
            if bank_no:
                q = q.where(BankStatement.bank_account_no == bank_no)
            return [_statement_view(s, st) for st in s.exec(
                q.order_by(col(BankStatement.bank_account_no), col(BankStatement.id)))]

    def statement_lines(self, statement_id: int) -> list[PostedLineView]:
        with self.store.read() as s:
            rows = s.exec(select(BankStatementPostedLine).where(
                BankStatementPostedLine.statement_id == statement_id)
                .order_by(col(BankStatementPostedLine.line_no)))
            return [PostedLineView(r.line_no, r.transaction_date, from_minor(r.amount),
                                   " ".join(p for p in (r.description, r.related_party_name)
                                            if p), r.match_kind,
                                   tuple(json.loads(r.entry_nos))) for r in rows]

    def undo(self, bank_no: str, statement_no: str) -> int:
        """Reopen a posted statement into a new open reconciliation; returns its id."""
        with self.store.write() as s:
            bank = get_bank(s, bank_no, lock=True)
            st = s.exec(select(BankStatement).where(BankStatement.bank_account_no == bank_no,
                                                    BankStatement.statement_no == statement_no)
                        ).first()
            if st is None:
                raise NotFoundError(
                    N_("Bank account {bank_no} has no posted statement {statement_no}"),
                    bank_no=bank_no,
                    statement_no=statement_no,
                )
            later = s.exec(select(BankStatement.statement_no).where(
                BankStatement.bank_account_no == bank_no,
                col(BankStatement.id) > st.id).order_by(col(BankStatement.id))).first()
            if later is not None:
                raise BankRecError(
                    N_(
                        "Statement {statement_no} of bank account {bank_no} "
                        "cannot be undone: statement {later} was posted "
                        "after it; undo that one first"
                    ),
                    statement_no=statement_no,
                    bank_no=bank_no,
                    later=later,
                )
            rec = BankRec(bank_account_no=bank_no, statement_no=free_statement_no(s, bank),
                          statement_date=st.statement_date,
                          balance_last_statement=st.balance_last_statement,
                          statement_ending_balance=st.statement_ending_balance,
                          created_at=self.clock(), user=self.user[:100])
            s.add(rec)
            s.flush()
            posted = list(s.exec(select(BankStatementPostedLine).where(
                BankStatementPostedLine.statement_id == st.id)))
            entry_nos: list[int] = []
            for p in posted:
                ln = BankRecLine(rec_id=rec.id or 0, line_no=p.line_no,
                                 statement_line_id=p.statement_line_id,
                                 suggested_entry_no=p.suggested_entry_no,
                                 transaction_date=p.transaction_date, value_date=p.value_date,
                                 transaction_id=p.transaction_id, description=p.description,
                                 related_party_name=p.related_party_name,
                                 additional_info=p.additional_info, document_no=p.document_no,
                                 check_no=p.check_no, amount=p.amount,
                                 applied_amount=p.applied_amount,
                                 difference=p.amount - p.applied_amount, match_kind=p.match_kind,
                                 details_json=p.details_json)
                s.add(ln)
                s.flush()
                for n in json.loads(p.entry_nos):
                    s.add(BankRecMatch(rec_id=rec.id or 0, line_id=ln.id or 0, entry_no=n))
                    entry_nos.append(n)
            entries = entries_by_no(s, entry_nos)
            for e in entries.values():
                e.open, e.remaining_amount, e.closed_at_date = True, e.amount, None
                e.statement_status, e.statement_no, e.version = "applied", rec.statement_no, \
                    e.version + 1
            for part in chunks(sorted(entries)):
                s.execute(update(CheckLedgerEntry).where(
                    col(CheckLedgerEntry.bank_entry_no).in_(part),
                    col(CheckLedgerEntry.statement_no) == statement_no,
                    col(CheckLedgerEntry.statement_status) == "closed")
                    .values(open=True, statement_status="applied", statement_no=rec.statement_no,
                            version=CheckLedgerEntry.version + 1)
                    .execution_options(synchronize_session=False))
            ids = [p.statement_line_id for p in posted if p.statement_line_id]
            for part in chunks(ids):
                s.execute(update(BankStatementLine).where(col(BankStatementLine.id).in_(part))
                          .values(status=IN_REC_STATUS, version=BankStatementLine.version + 1)
                          .execution_options(synchronize_session=False))
            bank.balance_last_statement = st.balance_last_statement
            bank.version += 1
            for p in posted:
                s.delete(p)
            s.flush()
            s.delete(st)
            return rec.id or 0

    # --- reports ---------------------------------------------------------------------

    def outstanding(self, bank_no: str, at: date, exclude_rec: int | None = None) -> Outstanding:
        """Entries posted by ``at`` and not reconciled by then (BC: still open, or
        closed by a statement dated after ``at``)."""
        with self.store.read() as s:
            get_bank(s, bank_no)
            return outstanding_at(s, bank_no, at, exclude_rec)

    def test_report(self, rec_id: int) -> TestReport:
        with self.store.read() as s:
            rec = get_rec(s, rec_id, open_only=False)
            view = rec_view(s, rec)
            bank = get_bank(s, rec.bank_account_no)
            at = rec.statement_date
            gl = 0
            warnings: list[str] = []
            if at is not None:
                gl = int(s.exec(select(func.coalesce(func.sum(GLEntry.amount), 0)).where(
                    GLEntry.gl_account_no == bank.gl_account_no,
                    col(GLEntry.posting_date) <= at)).one())
                direct = int(s.exec(select(func.count()).where(
                    GLEntry.gl_account_no == bank.gl_account_no,
                    GLEntry.source_type != "bank_account")).one())
                if direct:
                    warnings.append(_("{count} G/L entries were posted directly to the "
                                      "bank's G/L account {gl_account_no}, not through a bank "
                                      "account").format(count=direct,
                                                        gl_account_no=bank.gl_account_no))
            else:
                warnings.append(_("Statement Date must have a value"))
            if view.total_balance != view.statement_ending_balance:
                warnings.append(_("Statement Ending Balance must be equal to Total Balance."))
            out = outstanding_at(s, rec.bank_account_no, at, rec.id) if at else None
            unmatched = sum(1 for ln in lines_of(s, rec_id) if ln.match_kind == "none")
            return TestReport(view, at, from_minor(gl), view.total_difference,
                              out.transactions_total if out else from_minor(0),
                              out.checks_total if out else from_minor(0), unmatched,
                              tuple(warnings), out)


def check_postable(rec: BankRec, lines: list[BankRecLine]) -> None:
    """BC's posting checks, in BC's words."""
    where = (f"Bank Acc. Reconciliation: Bank Account No.={rec.bank_account_no}, "
             f"Statement No.={rec.statement_no}")
    if rec.statement_date is None:
        raise BankRecError(N_("Statement Date must have a value in {where}. It cannot be "
                              "zero or empty."), where=where)
    if not lines:
        raise BankRecError(N_("There is nothing to post in {where}: the reconciliation has "
                              "no lines"), where=where)
    total = sum(ln.amount for ln in lines)
    if rec.balance_last_statement + total != rec.statement_ending_balance:
        raise BankRecError(
            N_(
                "Statement Ending Balance must be equal to Total Balance. ({where}: ending "
                "balance {statement_ending_balance}, total balance {m})"
            ),
            where=where,
            statement_ending_balance=_m(rec.statement_ending_balance),
            m=_m(rec.balance_last_statement + total),
        )
    diff = sum(ln.difference for ln in lines)
    if diff:
        raise BankRecError(N_("The total difference is {diff}. It must be 0.00."), diff=_m(diff))
    for ln in lines:
        if ln.difference:
            raise BankRecError(
                N_(
                    "Difference must be equal to 0 in Bank Acc. Reconciliation Line: "
                    "Statement No.={statement_no}, Statement Line No.={line_no}. Current "
                    "value is '{difference}'."
                ),
                statement_no=rec.statement_no,
                line_no=ln.line_no,
                difference=_m(ln.difference),
            )


def _check_entries(rec: BankRec, lines: list[BankRecLine], by_line: dict[int, list[int]],
                   entries: dict[int, BankLedgerEntry]) -> None:
    for ln in lines:
        for n in by_line.get(ln.id or 0, []):
            e = entries.get(n)
            if e is None or not e.open or e.statement_no != rec.statement_no:
                raise BankRecError(
                    N_(
                        "Line {line_no}: bank ledger entry {n} is no longer "
                        "open for statement {statement_no}; match it again"
                    ),
                    line_no=ln.line_no,
                    n=n,
                    statement_no=rec.statement_no,
                )


def _posted_line(statement_id: int, ln: BankRecLine, by_line: dict[int, list[int]]
                 ) -> PostedLineRow:
    return PostedLineRow(
        statement_id=statement_id, line_no=ln.line_no, statement_line_id=ln.statement_line_id,
        suggested_entry_no=ln.suggested_entry_no, transaction_date=ln.transaction_date,
        value_date=ln.value_date, transaction_id=ln.transaction_id,
        description=ln.description, related_party_name=ln.related_party_name,
        additional_info=ln.additional_info, document_no=ln.document_no, check_no=ln.check_no,
        amount=ln.amount, applied_amount=ln.applied_amount, match_kind=ln.match_kind,
        entry_nos=json.dumps(sorted(by_line.get(ln.id or 0, []))),
        details_json=ln.details_json)


def _delete_rec(s: Session, rec: BankRec) -> None:
    s.flush()
    s.execute(delete(BankRecMatch).where(col(BankRecMatch.rec_id) == rec.id))
    s.execute(delete(BankRecLine).where(col(BankRecLine.rec_id) == rec.id)
              .execution_options(synchronize_session=False))
    s.expunge_all()
    s.execute(delete(BankRec).where(col(BankRec.id) == rec.id))


def _statement_view(s: Session, st: BankStatement) -> PostedStatementView:
    count = int(s.exec(select(func.count()).where(
        BankStatementPostedLine.statement_id == st.id)).one())
    return PostedStatementView(st.id or 0, st.bank_account_no, st.statement_no,
                               st.statement_date, from_minor(st.balance_last_statement),
                               from_minor(st.statement_ending_balance), count,
                               st.posted_at.isoformat(timespec="seconds"), st.user)


def outstanding_at(s: Session, bank_no: str, at: date | None,
                   exclude_rec: int | None = None) -> Outstanding:
    t = BankLedgerEntry
    q = select(t).where(t.bank_account_no == bank_no, col(t.reversed).is_(False))
    if at is not None:
        q = q.where(col(t.posting_date) <= at)
        q = q.where(col(t.open).is_(True) | (col(t.closed_at_date) > at))
    else:
        q = q.where(col(t.open).is_(True))
    rows = list(s.exec(q.order_by(col(t.posting_date), col(t.entry_no))))
    skip: set[int] = set()
    if exclude_rec is not None:
        skip = set(s.exec(select(BankRecMatch.entry_no).where(
            BankRecMatch.rec_id == exclude_rec)).all())
    checks: dict[int, str] = defaultdict(str)
    for part in chunks([e.entry_no for e in rows]):
        for no, check in s.exec(select(CheckLedgerEntry.bank_entry_no, CheckLedgerEntry.check_no)
                                .where(col(CheckLedgerEntry.bank_entry_no).in_(part))):
            checks[no] = check
    trans: list[OutstandingItem] = []
    chks: list[OutstandingItem] = []
    for e in rows:
        if e.entry_no in skip:
            continue
        left = e.remaining_amount if e.open else e.amount
        item = OutstandingItem(e.entry_no, e.posting_date, e.document_type, e.document_no,
                               e.description, from_minor(left), checks.get(e.entry_no, ""))
        (chks if item.check_no else trans).append(item)
    return Outstanding(bank_no, at or date.max, tuple(trans), tuple(chks))
