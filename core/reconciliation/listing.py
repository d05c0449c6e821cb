"""The journal's lines as ``lettrage reconcile apply-auto --json`` and ``reconcile lines
--json`` print them (the dicts of ``types.line_json``), read as column tuples straight
into those dicts.

The JSON has no account name, no alternatives and no totals, so the listing reads only
the columns it prints: no ``LineView``, no party names, no Decimal per amount (minor
units are written as text directly). A 10,000-line journal lists in a fraction of the
time its views take; ``tests/core/reconciliation/test_listing.py`` keeps both equal.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from sqlalchemy import select
from sqlmodel import Session

from core.reconciliation.models import AppliedPaymentEntry, ReconLine
from core.reconciliation.types import REVIEW_ORDER

_LINES = ReconLine.__table__  # type: ignore[attr-defined]
_APPS = AppliedPaymentEntry.__table__  # type: ignore[attr-defined]


def minor_text(units: int) -> str:
    """Minor units (two decimals) as ``types.amount_text`` writes the amount."""
    whole, cents = divmod(-units if units < 0 else units, 100)
    return f"{'-' if units < 0 else ''}{whole}.{cents:02d}"


def journal_listing(s: Session, journal_id: int, sort: Literal["date", "review"] = "date",
                    review_only: bool = False) -> list[dict[str, Any]]:
    """The lines of the journal as ``line_json`` gives them, in the order of
    ``journal.journal_lines`` (``sort``); ``review_only``: only the lines that need
    review (``LineView.needs_review``)."""
    conn = s.connection()
    apps: dict[int, list[dict[str, Any]]] = {}
    for line_id, entry_no, dtype, dno, applied, discount in conn.execute(
            select(_APPS.c.line_id, _APPS.c.applies_to_entry_no, _APPS.c.document_type,
                   _APPS.c.document_no, _APPS.c.applied_amount, _APPS.c.applied_pmt_discount)
            .join(_LINES, _LINES.c.id == _APPS.c.line_id)
            .where(_LINES.c.journal_id == journal_id).order_by(_APPS.c.id)):
        apps.setdefault(line_id, []).append({
            "entry_no": entry_no, "document_type": dtype, "document_no": dno,
            "applied_amount": minor_text(applied), "pmt_discount": minor_text(discount)})
    c = _LINES.c
    rows: list[Any] = list(conn.execute(select(
        c.id, c.line_no, c.parent_line_no, c.transaction_date, c.amount, c.transaction_text,
        c.related_party_name, c.transaction_id, c.match_confidence, c.review_required,
        c.score, c.account_type, c.account_no, c.details_json, c.difference)
        .where(c.journal_id == journal_id)))
    if review_only:
        rows = [r for r in rows if r.review_required or r.difference != 0]
    if sort == "review":
        rows.sort(key=lambda r: (REVIEW_ORDER.get(r.match_confidence, 0), r.score, r.line_no))
    else:
        rows.sort(key=lambda r: (r.transaction_date, r.parent_line_no or r.line_no, r.line_no))
    loads = json.loads
    return [{
        "transaction_id": r.transaction_id,
        "transaction_date": r.transaction_date.isoformat(),
        "amount": minor_text(r.amount),
        "text": r.transaction_text,
        "related_party_name": r.related_party_name,
        "confidence": r.match_confidence,
        "review_required": r.review_required,
        "score": r.score,
        "account_type": r.account_type or None,
        "account_no": r.account_no or None,
        "applications": apps.get(r.id, []),
        "details": loads(r.details_json) if r.details_json else [],
    } for r in rows]
