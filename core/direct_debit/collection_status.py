"""A collection's status from its entries' (shared by the payment receipts and the
reconciliation journal's extension, which so need not import the export and its XML)."""

from __future__ import annotations

from sqlmodel import Session, select

from core.direct_debit.models import DDCollection, DDEntry


def refresh_status(s: Session, c: DDCollection) -> None:
    """Posted when every entry that was not rejected is posted."""
    statuses = set(s.exec(select(DDEntry.status).where(DDEntry.collection_no == c.no)).all())
    if c.status == "file_created" and statuses and statuses <= {"posted", "rejected"} \
            and "posted" in statuses:
        c.status, c.version = "posted", c.version + 1
