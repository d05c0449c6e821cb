"""Invariants of collections for ``lettrage check`` (one aggregate query each).

Returns plain ``(name, ok, details)`` tuples; ``core.services.check`` wraps them."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_

MAX_DETAILS = 20
Check = tuple[str, bool, tuple[str, ...]]


def _issued_match_entries(s: Session) -> Check:
    rows = s.execute(text("""
        SELECT d.no, d.posted_amount, d.canceled, le.entry_no, le.amount, le.document_no,
               le.reversed
        FROM issueddocument d LEFT JOIN ledgerentry le ON le.entry_no = d.ledger_entry_no
        WHERE (d.posted_amount <> 0 AND (le.entry_no IS NULL OR le.amount <> d.posted_amount
                                        OR le.document_no <> d.no OR le.reversed <> d.canceled))
           OR (d.posted_amount = 0 AND d.ledger_entry_no IS NOT NULL)""")).fetchmany(MAX_DETAILS)
    details = tuple(f"{no}: posted {amount} (cancelled={bool(canceled)}) but its customer entry "
                    f"is {entry if entry is not None else 'missing'}"
                    f"{'' if entry is None else f' of {le_amount}, {le_doc}, reversed={bool(rev)}'}"
                    for no, amount, canceled, entry, le_amount, le_doc, rev in rows)
    return (N_("issued reminders and memos match their customer entries"), not rows, details)


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
            tuple(f"entry {e}: level {lv}, reminder entries say {top}" for e, lv, top in rows))


def collection_checks(s: Session) -> list[Check]:
    return [_issued_match_entries(s), _levels_agree(s)]
