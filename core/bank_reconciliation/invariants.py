"""``lettrage check`` invariants of bank account reconciliation (one query each).

Each check is (name, ok, details); ``core.services.check`` turns them into its results
(this module does not import it, so the check module can import this one).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_
from core.kernel.money import from_minor

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
                       tuple(f"check entry {e} (check {c}) does not fit its bank entry"
                             for e, c in rows))


def _closed_checks(s: Session) -> CheckResult:
    rows = _rows(s, """
        SELECT c.entry_no, c.check_no FROM checkledgerentry c
        JOIN bankledgerentry b ON b.entry_no = c.bank_entry_no
        WHERE c.status = 'posted' AND c.open <> b.open""")
    return (N_("a posted check is open exactly while its bank entry is open"), not rows,
                       tuple(f"check entry {e} (check {c}) disagrees with its bank entry"
                             for e, c in rows))


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
    details = [f"bank entry {e} matched on statement {r} but marked {st} {no} "
               f"(open={bool(o)})" for e, r, st, no, o in rows]
    details += [f"bank entry {e} is matched on {n} open reconciliations" for e, n in many]
    return (N_("matched bank entries are open, marked and on one reconciliation"),
                       not details, tuple(details))


def _lines_add_up(s: Session) -> CheckResult:
    rows = _rows(s, "SELECT id, amount, applied_amount, difference FROM bankrecline "
                    "WHERE amount <> applied_amount + difference")
    return (N_("each reconciliation line: amount = applied + difference"), not rows,
                       tuple(f"line {i}: {_m(a)} <> {_m(p)} + {_m(d)}" for i, a, p, d in rows))


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
                       tuple(f"bank {b} statement {n}: {_m(d)} but lines {_m(t)}"
                             for b, n, d, t in rows))


def bank_rec_checks(s: Session) -> list[CheckResult]:
    if not s.execute(text("SELECT 1 FROM bankrec LIMIT 1")).first() and not s.execute(
            text("SELECT 1 FROM checkledgerentry LIMIT 1")).first() and not s.execute(
            text("SELECT 1 FROM bankstatement LIMIT 1")).first():
        return []
    return [_check_entries_fit(s), _closed_checks(s), _matches_consistent(s), _lines_add_up(s),
            _statements_add_up(s)]
