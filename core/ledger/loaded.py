"""Existing ledger entries loaded by a posting as light records, written back in bulk.

A posting that applies 1,000 payments changes 1,000 open entries. Loaded as ORM objects,
each attribute change goes through SQLAlchemy's instrumentation and the unit of work
writes one UPDATE per object; loaded here as records (``core.kernel.records``), the
changes stay in plain attributes and ``write`` sends one ``executemany`` UPDATE of the
changed columns at the end of the posting, inside the same transaction.

The rows are locked when read (``FOR UPDATE``), as the ORM path locked them. ORM copies
of the same entries already in the session are expired after the write, so code reading
them later in the transaction sees the new values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from core.kernel.records import record_type
from core.ledger.models import LedgerEntry

EntryRecord = record_type(LedgerEntry)
TABLE = LedgerEntry.__table__  # type: ignore[attr-defined]
_KEY = "entry_no"


class LoadedEntries:
    """The existing entries a posting works on as records, by entry no."""

    def __init__(self) -> None:
        self.records: dict[int, Any] = {}
        self._before: dict[int, dict[str, Any]] = {}

    def __contains__(self, entry_no: object) -> bool:
        return entry_no in self.records

    def load(self, session: Session, stmt: Select[Any]) -> list[Any]:
        """Run ``stmt`` (a select of the ledger entry table's columns) and return its
        rows as records; an entry loaded before keeps its record (and its changes)."""
        session.flush()  # ORM changes made before the posting are in the rows read
        out = []
        for row in session.execute(stmt).mappings():
            no = row[_KEY]
            rec = self.records.get(no)
            if rec is None:
                rec = EntryRecord(**row)
                self.records[no] = rec
                self._before[no] = dict(row)
            out.append(rec)
        return out

    def current(self, rows: Iterable[Any]) -> list[Any]:
        """``rows`` read through the ORM with their loaded record in place of any entry
        this posting already holds (so its changes are seen)."""
        return [self.records.get(r.entry_no, r) for r in rows]

    def write(self, session: Session) -> int:
        """UPDATE the changed columns of the changed records; returns how many rows."""
        changed: list[Any] = []
        columns: set[str] = set()
        for no, rec in self.records.items():
            now = rec.as_dict()
            diff = {k for k, v in now.items() if self._before[no][k] != v}
            if diff:
                changed.append(now)
                columns |= diff
        if not changed:
            return 0
        names = sorted(columns)
        stmt = (update(TABLE).where(TABLE.c[_KEY] == bindparam("_key"))
                .values({n: bindparam(f"_v_{n}") for n in names}))
        params = [{"_key": r[_KEY], **{f"_v_{n}": r[n] for n in names}} for r in changed]
        session.execute(stmt, params)
        for r in changed:  # ORM copies read earlier in this transaction are stale now
            obj = session.identity_map.get(identity_key(LedgerEntry, r[_KEY]))
            if obj is not None:
                session.expire(obj)
        for no, rec in self.records.items():
            self._before[no] = rec.as_dict()
        return len(changed)
