"""Entry-number counters and document number series.

Both are rows incremented with ``UPDATE ... SET value = value + n`` inside the caller's
transaction: the row stays locked until commit, so concurrent postings queue, a
rolled-back posting gives its numbers back (no gaps) and no number is handed out twice.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.ledger.models import NoSeries

COUNTERS = ("gl_entry", "ledger_entry", "detailed_entry", "bank_entry", "transaction",
            "register", "application")


def take(session: Session, name: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers of counter ``name``; return the first."""
    row = session.execute(
        text("UPDATE counter SET value = value + :n WHERE name = :name RETURNING value"),
        {"n": count, "name": name},
    ).first()
    if row is None:
        session.execute(
            text("INSERT INTO counter (name, value) VALUES (:name, :n)"),
            {"n": count, "name": name},
        )
        return 1
    return int(row[0]) - count + 1


def peek(session: Session, name: str) -> int:
    """The last number handed out by counter ``name`` (0 when none)."""
    row = session.execute(text("SELECT value FROM counter WHERE name = :name"),
                          {"name": name}).first()
    return int(row[0]) if row else 0


def next_document_no(session: Session, series_code: str) -> str:
    """The next number of a number series, e.g. ``PMT000042``."""
    row = session.execute(
        text("UPDATE noseries SET last_no = last_no + 1 WHERE code = :c "
             "RETURNING last_no, prefix, width"),
        {"c": series_code},
    ).first()
    if row is None:
        raise NotFoundError(N_("Number series {series_code} does not exist"),
                            series_code=series_code)
    last_no, prefix, width = int(row[0]), str(row[1]), int(row[2])
    return f"{prefix}{last_no:0{width}d}"


def format_no(series: NoSeries, number: int) -> str:
    return f"{series.prefix}{number:0{series.width}d}"
