"""Home: figures come from the query service; each opens the list behind it."""

from __future__ import annotations

from textual.widgets import OptionList

from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_list import PartyListScreen
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.home import HomeScreen


def _option_texts(app: LettrageApp) -> list[str]:
    figures = app.screen.query_one("#figures", OptionList)
    return [str(figures.get_option_at_index(i).prompt) for i in range(figures.option_count)]


async def test_home_shows_the_figures(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        texts = _option_texts(app)
        assert any("Open receivables" in t and "2,534.56" in t for t in texts)
        assert any("Overdue receivables (4)" in t and "1,300.00" in t for t in texts)
        assert any("BANK1" in t and t.rstrip().endswith("1") for t in texts)


async def test_overdue_key_opens_the_overdue_entries(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, LedgerEntriesScreen) and screen.overdue
        assert len(screen.table.loaded_rows) == 4


async def test_enter_on_a_figure_opens_its_list(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        figures = app.screen.query_one("#figures", OptionList)
        figures.highlighted = next(i for i in range(figures.option_count)
                                   if figures.get_option_at_index(i).id == "customers")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PartyListScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
