"""Prediction screens at 80x24: the home figure, the list with its reasons, the
customer card block and the ledger entries' prediction column."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import SQLModel
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

import core.tables  # noqa: F401
from core.ledger.setup import create_company
from core.prediction.service import PredictionService
from data.engine import SqlStore, make_engine
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_card import PartyCardScreen
from screens.ledger.posted_document import PostedDocumentScreen
from screens.prediction.predictions import PredictionsScreen
from tests.core.prediction.prediction_support import company_with_history
from tui.app import LettrageApp
from tui.bootstrap import Services
from tui.home import HomeScreen

TODAY = date(2026, 6, 30)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    engine = make_engine(f"sqlite:///{tmp_path / 'company.db'}")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Test GmbH", "EUR")
    company_with_history(store, TODAY)
    yield store
    engine.dispose()


@pytest.fixture
def app(store: SqlStore, tmp_path: Path) -> LettrageApp:
    return LettrageApp(Services(store, today=lambda: TODAY), log_path=tmp_path / "log")


async def settle(pilot: Pilot, app: LettrageApp) -> None:  # type: ignore[type-arg]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _figures(app: LettrageApp) -> list[str]:
    figures = app.screen.query_one("#figures", OptionList)
    return [str(figures.get_option_at_index(i).prompt) for i in range(figures.option_count)]


async def test_without_a_model_the_home_figure_says_so(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert any("Predicted late: no usable model" in t for t in _figures(app))
        await pilot.press("l")
        await settle(pilot, app)
        assert isinstance(app.screen, PredictionsScreen)
        assert "No prediction model yet" in str(app.screen.query_one("#filters", Static)
                                                .render())


async def test_figure_list_reasons_card_and_ledger_column(store: SqlStore,
                                                          app: LettrageApp) -> None:
    PredictionService(store, lambda: TODAY).train()
    late = PredictionService(store, lambda: TODAY).predictions(late_only=True)
    assert late
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        assert any(f"l  Predicted late ({len(late)})" in t for t in _figures(app))
        await pilot.press("l")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, PredictionsScreen)
        table = screen.query_one("#predictions", DataTable)
        assert table.row_count == len(late)
        assert table.size.width <= 80
        why = str(screen.query_one("#why", Static).render())
        assert late[0].document_no in why and late[0].reasons[0] in why
        assert screen.query_one("#why", Static).region.bottom <= 23  # above the footer
        await pilot.press("enter")
        await settle(pilot, app)
        card = app.screen
        assert isinstance(card, PartyCardScreen) and card.no == late[0].customer_no
        block = str(card.query_one("#prediction", Static).render())
        assert "predicted late" in block and late[0].reasons[0] in block
        await pilot.press("e")
        await settle(pilot, app)
        entries = app.screen
        assert isinstance(entries, LedgerEntriesScreen)
        await pilot.press("P")
        await settle(pilot, app)
        assert "Prediction" in [c.label for c in entries.table.columns]
        cells = [entries.table._format(r) for r in entries.table.loaded_rows]
        assert any(f"Late {late[0].confidence_pct}%" in c for row in cells for c in row)
        await pilot.press("P")
        await settle(pilot, app)
        assert "Prediction" not in [c.label for c in entries.table.columns]
        await pilot.press("end", "enter")  # the newest entry: the open invoice
        await settle(pilot, app)
        doc = app.screen
        assert isinstance(doc, PostedDocumentScreen)
        assert f"predicted LATE (High {late[0].confidence_pct}%)" in doc.prediction or \
            f"predicted LATE (Medium {late[0].confidence_pct}%)" in doc.prediction or \
            f"predicted LATE (Low {late[0].confidence_pct}%)" in doc.prediction
        assert "predicted LATE" in str(doc.query_one("#filters", Static).render())
