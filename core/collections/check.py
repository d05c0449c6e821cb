"""Invariants of collections for ``lettrage check`` (one aggregate query each).

Returns plain ``(name, ok, details)`` tuples (details worded in the reader's language
when shown: ``core.ledger.check.Detail``); ``core.ledger.check`` wraps them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_
from core.kernel.money import from_minor
from core.ledger.check import Detail

MAX_DETAILS = 20
Check = tuple[str, bool, tuple[str, ...]]


def _m(value: object) -> Decimal:
    return from_minor(int(value))  # type: ignore[call-overload]


def _issued_match_entries(s: Session) -> Check:
    rows = s.execute(text("""
        SELECT d.no, d.posted_amount, d.canceled, le.entry_no, le.amount, le.document_no,
               le.reversed
        FROM issueddocument d LEFT JOIN ledgerentry le ON le.entry_no = d.ledger_entry_no
        WHERE (d.posted_amount <> 0 AND (le.entry_no IS NULL OR le.amount <> d.posted_amount
                                        OR le.document_no <> d.no OR le.reversed <> d.canceled))
           OR (d.posted_amount = 0 AND d.ledger_entry_no IS NOT NULL)""")).fetchmany(MAX_DETAILS)
    details = tuple(_issued_detail(*row) for row in rows)
    return (N_("issued reminders and memos match their customer entries"), not rows, details)


def _issued_detail(no: str, amount: int, canceled: bool, entry: int | None,
                   le_amount: int | None, le_doc: str | None, rev: bool | None) -> Detail:
    state = N_("cancelled") if canceled else N_("not cancelled")
    if entry is None:
        return Detail(N_("{no}: posted {amount} ({state}) but it has no customer entry"),
                      no=no, amount=_m(amount), state=state)
    return Detail(N_("{no}: posted {amount} ({state}) but its customer entry {entry} is of "
                     "{entry_amount}, document {document_no}, reversed: {reversed}"),
                  no=no, amount=_m(amount), state=state, entry=entry,
                  entry_amount=_m(le_amount), document_no=le_doc,
                  reversed=N_("yes") if rev else N_("no"))


def _levels_agree(s: Session) -> Check:
    rows = s.execute(text("""
        SELECT le.entry_no, le.last_issued_reminder_level, COALESCE(r.top, 0)
        FROM ledgerentry le
        LEFT JOIN (SELECT customer_entry_no, MAX(level) AS top FROM reminderentry
                   WHERE kind = 'reminder' AND canceled = :f
                   GROUP BY customer_entry_no) r ON r.customer_entry_no = le.entry_no
        WHERE le.last_issued_reminder_level <> COALESCE(r.top, 0)"""),
        {"f": False}).fetchmany(MAX_DETAILS)
    return (N_("last issued reminder levels agree with the reminder entries"), not rows,
            tuple(Detail(N_("entry {entry}: level {level}, reminder entries say {top}"),
                         entry=e, level=lv, top=top) for e, lv, top in rows))


def collection_checks(s: Session) -> list[Check]:
    return [_issued_match_entries(s), _levels_agree(s)]
