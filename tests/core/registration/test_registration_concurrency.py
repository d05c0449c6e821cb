"""Two clerks post the same document at the same moment: one payment, one conflict
(SQLite serializes the writers; PostgreSQL locks the entry rows)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from sqlmodel import SQLModel, col, func, select

from core.kernel.errors import ConflictError
from core.ledger.check import run_check
from core.ledger.models import LedgerEntry
from core.ledger.setup import create_company
from core.registration.marks import tick
from core.registration.service import RegistrationService
from data.engine import SqlStore, make_engine
from tests.core.registration.reg_support import sales_invoice
from tests.helpers import seed_basics


def _file_store(path: Path) -> SqlStore:
    """In-memory SQLite shares one connection; two clerks need a real file."""
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    return store


def test_same_document_posted_by_two_clerks_at_once_is_paid_once(store: SqlStore,
                                                                  tmp_path: Path) -> None:
    if store.engine.dialect.name == "sqlite":
        store = _file_store(tmp_path / "company.db")
    inv = sales_invoice(store, "C001", "1000", date(2025, 1, 5))
    row = RegistrationService(store).rows_by_document([inv])[inv]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def clerk(name: str) -> None:
        start.wait()
        try:
            RegistrationService(store, user=name).post([tick(row, date(2025, 1, 10))])
            outcomes.append("posted")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=clerk, args=(n,)) for n in ("anna", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["conflict", "posted"]
    with store.read() as s:
        payments = s.exec(select(func.count()).select_from(LedgerEntry).where(
            col(LedgerEntry.document_type) == "payment")).one()
    assert payments == 1
    assert run_check(store).ok
