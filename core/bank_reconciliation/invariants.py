"""``lettrage check`` invariants of bank account reconciliation (one query each).

Each check is (name, ok, details); ``core.ledger.check`` turns them into its results
(details are ``core.ledger.check.Detail``: worded in the reader's language when shown).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_
from core.kernel.money import from_minor
from core.ledger.check import Detail

MAX_DETAILS = 20
CheckResult = tuple[str, bool, tuple[str, ...]]


def _m(value: object) -> Decimal:
    return from_minor(int(value))  # type: ignore[call-overload]


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in s.execute(text(sql)).fetchmany(MAX_DETAILS)]


def _check_entries_fit(s: Session) -> CheckResult:
    rows = _rows(s, """
        SELECT c.entry_no, c.check_no FROM checkledgerentry c
        LEFT JOIN bankledgerentry b ON b.entry_no = c.bank_entry_no
        WHERE b.entry_no IS NULL OR b.bank_account_no <> c.bank_account_no
           OR b.amount <> -c.amount""")
    return (N_("each check entry has its bank entry (same bank, same amount)"), not rows,
            tuple(Detail(N_("check entry {entry} (check {check}) does not fit its bank entry"),
                         entry=e, check=c) for e, c in rows))


def _closed_checks(s: Session) -> CheckResult:
    rows = _rows(s, """
        SELECT c.entry_no, c.check_no FROM checkledgerentry c
        JOIN bankledgerentry b ON b.entry_no = c.bank_entry_no
        WHERE c.status = 'posted' AND c.open <> b.open""")
    return (N_("a posted check is open exactly while its bank entry is open"), not rows,
            tuple(Detail(N_("check entry {entry} (check {check}) disagrees with its bank "
                            "entry"), entry=e, check=c) for e, c in rows))


def _matches_consistent(s: Session) -> CheckResult:
    rows = _rows(s, """
        SELECT m.entry_no, r.statement_no, b.statement_status, b.statement_no, b.open
        FROM bankrecmatch m JOIN bankrec r ON r.id = m.rec_id
        JOIN bankledgerentry b ON b.entry_no = m.entry_no
        WHERE b.open = FALSE OR b.statement_status <> 'applied'
           OR b.statement_no <> r.statement_no OR b.bank_account_no <> r.bank_account_no""")
    many = _rows(s, """
        SELECT m.entry_no, COUNT(DISTINCT m.rec_id) FROM bankrecmatch m
        GROUP BY m.entry_no HAVING COUNT(DISTINCT m.rec_id) > 1""")
    details = [Detail(N_("bank entry {entry} matched on statement {statement} but marked "
                         "{status} {statement_no} (open: {open})"), entry=e, statement=r,
                      status=st, statement_no=no, open=N_("yes") if o else N_("no"))
               for e, r, st, no, o in rows]
    details += [Detail(N_("bank entry {entry} is matched on {count} open reconciliations"),
                       entry=e, count=n) for e, n in many]
    return (N_("matched bank entries are open, marked and on one reconciliation"),
                       not details, tuple(details))


def _lines_add_up(s: Session) -> CheckResult:
    rows = _rows(s, "SELECT id, amount, applied_amount, difference FROM bankrecline "
                    "WHERE amount <> applied_amount + difference")
    return (N_("each reconciliation line: amount = applied + difference"), not rows,
            tuple(Detail(N_("line {line}: {amount} <> {applied} + {difference}"), line=i,
                         amount=_m(a), applied=_m(p), difference=_m(d)) for i, a, p, d in rows))


def _statements_add_up(s: Session) -> CheckResult:
    rows = _rows(s, """
        SELECT st.bank_account_no, st.statement_no, st.statement_ending_balance
               - st.balance_last_statement, COALESCE(SUM(l.amount), 0)
        FROM bankstatement st LEFT JOIN bankstatementpostedline l ON l.statement_id = st.id
        GROUP BY st.id, st.bank_account_no, st.statement_no, st.statement_ending_balance,
                 st.balance_last_statement
        HAVING st.statement_ending_balance - st.balance_last_statement
               <> COALESCE(SUM(l.amount), 0)""")
    return (N_("each posted bank statement: ending - last balance = its lines"), not rows,
            tuple(Detail(N_("bank {bank} statement {statement}: {change} but lines {lines}"),
                         bank=b, statement=n, change=_m(d), lines=_m(t)) for b, n, d, t in rows))


def bank_rec_checks(s: Session) -> list[CheckResult]:
    if not s.execute(text("SELECT 1 FROM bankrec LIMIT 1")).first() and not s.execute(
            text("SELECT 1 FROM checkledgerentry LIMIT 1")).first() and not s.execute(
            text("SELECT 1 FROM bankstatement LIMIT 1")).first():
        return []
    return [_check_entries_fit(s), _closed_checks(s), _matches_consistent(s), _lines_add_up(s),
            _statements_add_up(s)]
