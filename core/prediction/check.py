"""Invariants of late payment prediction (#22) for ``lettrage check``."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_
from core.ledger.check import MAX_DETAILS, CheckResult, Detail


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in s.execute(text(sql)).fetchmany(MAX_DETAILS)]


def prediction_data(s: Session) -> CheckResult:
    """Loaded payment history is dated in order (posted <= due, posted <= paid) and every
    stored prediction belongs to a customer invoice of the ledger."""
    rows = _rows(s, "SELECT customer_no, document_no FROM paymenthistory "
                    "WHERE paid_date < posting_date OR due_date < posting_date")
    orphans = _rows(s, "SELECT p.entry_no FROM paymentprediction p LEFT JOIN ledgerentry e "
                       "ON e.entry_no = p.entry_no WHERE e.entry_no IS NULL "
                       "OR e.party_type <> 'customer' OR e.document_type <> 'invoice'")
    return CheckResult(N_("payment history and predictions are consistent"),
                       not rows and not orphans,
                       tuple(Detail(N_("history invoice {invoice} of {customer} is paid or "
                                       "due before it was posted"), invoice=d, customer=c)
                             for c, d in rows)
                       + tuple(Detail(N_("prediction for entry {entry}, which is not a "
                                         "customer invoice"), entry=e) for (e,) in orphans))


def prediction_checks(s: Session) -> list[tuple[str, bool, tuple[str, ...]]]:
    """The checks ``core.ledger.check.run_check`` runs (registered by the composition root)."""
    r = prediction_data(s)
    return [(r.name, r.ok, r.details)]
