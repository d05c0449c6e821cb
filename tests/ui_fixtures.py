"""UI tests run on SQLite only: an in-memory company built through the core services,
with a fixed "today" so overdue styling and figures are deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlmodel import SQLModel
from textual.message import Message
from textual.pilot import Pilot

import core.ledger.models  # noqa: F401
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from tests import db_templates
from tests.helpers import invoice, payment, seed_basics
from tui.app import LettrageApp
from tui.bootstrap import Services

TODAY = date(2025, 3, 1)
M = TypeVar("M", bound=Message)


def build_store(path: Path) -> SqlStore:
    """A SQLite FILE, not ``sqlite://``: the in-memory store shares one connection
    (StaticPool), and two workers reading at once would nest transactions on it.
    (Built once per worker and copied: see ``tests/db_templates.py``.)"""
    if path.exists():
        return _build_store(path)
    return db_templates.sqlite_file(path, "basics", _build_store)


def _build_store(path: Path) -> SqlStore:
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    return store


def post_books(store: SqlStore) -> None:
    """Six customer invoices (one paid), one vendor invoice; four overdue on TODAY."""
    docs = [invoice(store, party, amount, date(2025, 1, 1) + timedelta(days=i))
            for i, (party, amount) in enumerate([("C001", "100"), ("C002", "200"),
                                                 ("C001", "300"), ("C002", "400"),
                                                 ("C001", "500")])]
    invoice(store, "C002", "1234.56", date(2025, 2, 20))
    payment(store, "C002", "200", date(2025, 1, 20), applies_to=docs[1], doc_no="PAY1")
    invoice(store, "V001", "50", date(2025, 1, 3), party_type="vendor")


def _build_books(path: Path) -> SqlStore:
    store = _build_store(path)
    post_books(store)
    return store


@pytest.fixture
def ui_store(tmp_path: Path) -> Iterator[SqlStore]:
    store = db_templates.sqlite_file(tmp_path / "company.db", "books", _build_books)
    yield store
    store.engine.dispose()


@pytest.fixture
def services(ui_store: SqlStore) -> Services:
    return Services(ui_store, today=lambda: TODAY)


@pytest.fixture
def app(services: Services, tmp_path: Path) -> LettrageApp:
    return LettrageApp(services, log_path=tmp_path / "lettrage.log")


async def settle(pilot: object, app: LettrageApp, rounds: int = 3) -> None:
    """Let workers finish and their messages be handled (no sleeps)."""
    assert isinstance(pilot, Pilot)
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


class Messages:
    """The messages the app dispatched, recorded by ``app.run_test(message_hook=...)``:
    a test waits for a worker's typed message (``LinesApplied``) instead of sleeping.
    Only screens the app opens (a key press) report to the hook, not one the test
    pushes itself (its task runs outside the app's context)."""

    def __init__(self) -> None:
        self.seen: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.seen.append(message)

    def of(self, kind: type[M]) -> list[M]:
        return [m for m in self.seen if isinstance(m, kind)]

    async def wait_for(self, pilot: Pilot[object], kind: type[M], rounds: int = 20) -> M:
        """The first ``kind`` message not waited for yet, once its handler has run
        (workers finished, the app idle); fails when none came."""
        for _ in range(rounds):
            found = self.of(kind)
            if found:
                self.seen.remove(found[0])
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
                return found[0]
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        seen = sorted({type(m).__qualname__ for m in self.seen})
        raise AssertionError(f"no {kind.__name__} was posted (seen: {seen})")
