"""``bulk_insert_rows`` writes exactly what the Core insert writes (dates, NULLs, a
column order other than the driver's), on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select
from sqlmodel import col

from core.collections.create import LINE_COLUMNS
from core.collections.models import CollectionDocument, CollectionLine
from core.kernel.records import bulk_insert_rows
from data.engine import SqlStore

COLUMNS = [c for c in CollectionLine.__table__.columns if c.name != "id"]  # type: ignore[attr-defined]


def _rows(doc: str) -> list[list[object]]:
    return [
        [doc, "", 10000, "entry", "overdue", 7, "invoice", "SI1", date(2026, 1, 31),
         date(2026, 3, 2), 12345, 2345, "9.5", 12, 77, 0, 2, "Invoice SI1"],
        [doc, "", 20000, "text", "beginning", None, "", "", None, None, 0, 0, "0", 0, 0,
         0, 0, "Dear customer, ünïcode"],
    ]


def test_bulk_rows_write_what_the_core_insert_writes(store: SqlStore) -> None:
    with store.write() as s:
        for no in ("A", "B"):
            s.add(CollectionDocument(no=no, kind="reminder", customer_no="C1",
                                     posting_date=date(2026, 3, 5),
                                     document_date=date(2026, 3, 5),
                                     due_date=date(2026, 3, 19),
                                     created_at=datetime(2026, 3, 5, tzinfo=UTC)))
        s.flush()
        bulk_insert_rows(s.connection(), CollectionLine.__table__,  # type: ignore[attr-defined]
                         LINE_COLUMNS, _rows("A"))
        s.execute(insert(CollectionLine), [dict(zip(LINE_COLUMNS, r, strict=True))
                                           for r in _rows("B")])
    with store.read() as s:
        got = {doc: [tuple(getattr(r, c.name) for c in COLUMNS if c.name != "document_no")
                     for r in s.exec(select(CollectionLine)  # type: ignore[call-overload]
                                     .where(col(CollectionLine.document_no) == doc)
                                     .order_by(col(CollectionLine.line_no))).scalars()]
               for doc in ("A", "B")}
    assert got["A"] == got["B"]
    assert got["A"][0][7] == date(2026, 1, 31) and got["A"][1][4] is None
    assert len(got["A"]) == 2
