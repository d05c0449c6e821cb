"""Two clerks import the same file at the same moment: every line exists once.

SQLite: a real database file shared by threads (each its own connection) and by two
processes; writers serialize on ``BEGIN IMMEDIATE``. PostgreSQL: threads on the test
server; the bank account row lock and the unique key (with a retry) keep lines single.
"""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from sqlmodel import SQLModel, func, select

import core.tables  # noqa: F401
from core.ledger.bank_statements import BankStatementLine, StatementImport
from core.ledger.setup import create_company
from core.statements.importer import StatementImportService
from data.engine import SqlStore, make_engine
from tests.helpers import seed_basics
from tests.statement_samples import Tx, camt, write

LINES = [Tx(f"{i}.00", ref=f"R{i}" if i % 2 else None, text=f"Invoice {i}")
         for i in range(1, 41)] + [Tx("7.00", text="twin"), Tx("7.00", text="twin")]
WORKERS = 4


def _sqlite_store(path: Path) -> SqlStore:
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    return SqlStore(engine)


def _count(store: SqlStore) -> tuple[int, int]:
    with store.read() as s:
        lines = s.exec(select(func.count()).select_from(BankStatementLine)).one()
        imports = s.exec(select(func.count()).select_from(StatementImport)).one()
    return int(lines), int(imports)


def _race(store: SqlStore, path: Path) -> list[int]:
    barrier = threading.Barrier(WORKERS)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(StatementImportService(store, user="t").import_(path).imported)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_threads_on_a_sqlite_file(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path / "race.db")
    create_company(store, "Race", "EUR")
    seed_basics(store)
    path = write(tmp_path, "s.xml", camt(LINES))
    results = _race(store, path)
    assert sorted(results) == [0] * (WORKERS - 1) + [len(LINES)]
    assert _count(store) == (len(LINES), 1)
    store.engine.dispose()


def _import_in_process(db: str, file: str, queue: multiprocessing.Queue[int]) -> None:
    store = SqlStore(make_engine(f"sqlite:///{db}"))
    queue.put(StatementImportService(store, user="p").import_(Path(file)).imported)


def test_two_processes_on_a_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "race.db"
    store = _sqlite_store(db)
    create_company(store, "Race", "EUR")
    seed_basics(store)
    path = write(tmp_path, "s.xml", camt(LINES))
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[int] = ctx.Queue()
    procs = [ctx.Process(target=_import_in_process, args=(str(db), str(path), queue))
             for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert all(p.exitcode == 0 for p in procs)
    assert sorted([queue.get(timeout=5), queue.get(timeout=5)]) == [0, len(LINES)]
    assert _count(store) == (len(LINES), 1)
    store.engine.dispose()


@pytest.mark.postgres
def test_threads_on_postgresql(tmp_path: Path) -> None:
    from tests.conftest import require_pg, reset_pg

    require_pg()
    store = reset_pg()
    create_company(store, "Race", "EUR")
    seed_basics(store)
    path = write(tmp_path, "s.xml", camt(LINES))
    results = _race(store, path)
    assert sorted(results) == [0] * (WORKERS - 1) + [len(LINES)]
    assert _count(store) == (len(LINES), 1)
    store.engine.dispose()
