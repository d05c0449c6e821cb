"""A big posting on SQLite builds the entry tables' secondary indexes after its rows are
in (``core.kernel.records.indexes_built_after``): the same entries as a posting that
maintains them row by row, the same indexes afterwards, and a rollback leaves the
indexes as they were. PostgreSQL keeps its indexes and posts the same entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from core.kernel import records
from core.ledger.check import run_check
from core.ledger.defaults import OPENING_BALANCE_ACCOUNT
from core.ledger.drafts import LineDraft
from core.ledger.poster import Poster
from data.engine import SqlStore

TABLES = ("ledgerentry", "detailedledgerentry", "glentry")
LINES = 60


def _lines(count: int) -> list[LineDraft]:
    return [LineDraft(posting_date=date(2025, 1, 2 + i % 20), account_type="customer",
                      account_no=("C001", "C002")[i % 2], amount=Decimal(f"{100 + i}.50"),
                      document_type="invoice", document_no=f"INV{i:05d}",
                      due_date=date(2025, 2, 1) if i % 3 else None,
                      pmt_discount_date=date(2025, 1, 12) if i % 4 == 0 else None,
                      pmt_disc_possible=Decimal("2.01") if i % 4 == 0 else Decimal(0),
                      bal_account_type="gl_account", bal_account_no=OPENING_BALANCE_ACCOUNT,
                      ref=f"row {i}")
            for i in range(count)]


def _entries(store: SqlStore) -> dict[str, list[Any]]:
    with store.read() as s:
        return {t: [tuple(r) for r in s.execute(text(f"SELECT * FROM {t} ORDER BY entry_no"))]
                for t in TABLES}


def _indexes(store: SqlStore) -> list[tuple[str, str]]:
    with store.read() as s:
        rows = s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                              "AND sql IS NOT NULL AND tbl_name IN ('ledgerentry', "
                              "'detailedledgerentry', 'glentry')")).all()
    return sorted((str(n), str(q)) for n, q in rows)


def _post(store: SqlStore, lines: list[LineDraft]) -> None:
    with store.write() as s:
        Poster(s, source_code="OPENING", user="test").post(lines)


def test_big_posting_writes_the_same_entries_and_indexes(store: SqlStore,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    if store.dialect != "sqlite":
        _post(store, _lines(LINES))  # PostgreSQL: indexes kept, the rows written
        assert len(_entries(store)["glentry"]) == 2 * LINES
        return
    before = _indexes(store)
    assert len(before) >= 10  # the tables' secondary indexes
    # the posting maintaining the indexes row by row (fewer rows than the threshold)
    _post(store, _lines(LINES))
    maintained = _entries(store)
    with store.write() as s:  # the same posting again, from empty tables
        for table in reversed(TABLES):
            s.execute(text(f"DELETE FROM {table}"))
        s.execute(text("DELETE FROM register"))
        s.execute(text("UPDATE counter SET value = 0"))
    monkeypatch.setattr(records, "REBUILD_MIN_ROWS", 10)  # now built after the insert
    _post(store, _lines(LINES))
    assert _entries(store) == maintained
    assert _indexes(store) == before
    with store.read() as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        # the rebuilt indexes answer (ix_le_docno, ix_le_party_open)
        assert s.execute(text("SELECT count(*) FROM ledgerentry INDEXED BY ix_le_docno "
                              "WHERE document_no = 'INV00007'")).scalar() == 1
        assert s.execute(text("SELECT count(*) FROM ledgerentry INDEXED BY "
                              "ix_le_party_open WHERE party_type = 'customer' AND "
                              "party_no = 'C002'")).scalar() == LINES // 2
    assert run_check(store).ok


def test_rollback_keeps_the_indexes(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the indexes are only built after the insert on SQLite")
    before = _indexes(store)
    monkeypatch.setattr(records, "REBUILD_MIN_ROWS", 10)
    with pytest.raises(RuntimeError), store.write() as s:
        Poster(s, source_code="OPENING", user="test").post(_lines(LINES))
        raise RuntimeError("the load fails after posting")
    assert _indexes(store) == before
    assert all(not rows for rows in _entries(store).values())
