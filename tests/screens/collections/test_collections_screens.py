"""Pilot tests at 80x24: the reminders list and card (create, read, issue, text,
cancel), the terms setup (edit, audited), and the ways in (home 'd', customer card 'm')."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

import core.tables  # noqa: F401
from core.audit.models import AuditEntry
from core.collections.hub import CollectionsHub
from core.ledger.check import run_check
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from screens.collections.card import DocumentCardScreen
from screens.collections.documents import CollectionsListScreen
from screens.collections.prompt import TextViewScreen
from screens.collections.setup import TermsSetupScreen, parse_pairs
from tests.collections_support import setup_terms
from tests.helpers import invoice, seed_basics
from tui.context import Context

TODAY = date(2025, 3, 1)
SIZE = (80, 24)


@dataclass
class FakeServices:
    """The part of the app's services these screens use."""

    store: SqlStore

    @property
    def collections(self) -> CollectionsHub:
        return CollectionsHub(self.store, None, user="clerk")

    def today(self) -> date:
        return TODAY


class Host(App[None]):
    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(Screen())
        self.push_screen(self.first)


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'books.db'}")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    setup_terms(store)
    invoice(store, "C002", "1000", date(2025, 1, 1))
    return store


def ctx(store: SqlStore) -> Context:
    return Context(FakeServices(store))  # type: ignore[arg-type]


def rows(table: DataTable[str]) -> list[list[str]]:
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_create_read_issue_text_cancel(store: SqlStore) -> None:
    app = Host(CollectionsListScreen(ctx(store)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert rows(table)[0][:2] == ["RM000001", "C002"]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        card = app.screen
        assert isinstance(card, DocumentCardScreen)
        lines = rows(card.query_one(DataTable))
        assert lines[0][1] == "Inv. SI000001" and lines[0][3] == "29"
        assert "= total 1,010.00" in str(card.query_one("#doc-foot", Static).render())
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("enter")  # confirm
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert card.no == "IRM000001" and card.view.status == "issued"
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TextViewScreen) and "REMINDER IRM000001" in app.screen.text
        await pilot.press("escape")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert card.view.status == "canceled"
    assert run_check(store).ok


async def test_terms_setup_edit_is_audited(store: SqlStore) -> None:
    app = Host(TermsSetupScreen(ctx(store)))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [r[0].strip() for r in rows(table)][:3] == ["Reminder", "level", "level"]
        await pilot.press("down", "enter")  # level 1 of T
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert "additional_fee=10.00" in field.value
        field.value = field.value.replace("additional_fee=10.00", "additional_fee=15")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows(app.screen.query_one(DataTable))[1][5] == "15.00"
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows(app.screen.query_one(DataTable))[3][2] == "3"
    with store.read() as s:
        trail = s.exec(select(AuditEntry).where(AuditEntry.entity == "reminder_level",
                                                AuditEntry.record_key == "T/1")).all()
        assert any('"additional_fee": [1000, 1500]' in e.changes for e in trail)


def test_parse_pairs() -> None:
    assert parse_pairs("description=Net 30 days max_no_of_reminders=3") == {
        "description": "Net 30 days", "max_no_of_reminders": "3"}


async def test_ways_in_from_home_and_customer_card(store: SqlStore) -> None:
    from screens.ledger.party_card import PartyCardScreen
    from tui.bootstrap import Services
    from tui.home import HomeScreen

    c = Context(Services(store, today=lambda: TODAY))  # the app's own services
    app = Host(HomeScreen(c))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CollectionsListScreen)
        app.push_screen(PartyCardScreen(c, "customer", "C002"))
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CollectionsListScreen) and screen.customer_no == "C002"
