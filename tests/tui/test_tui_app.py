"""The shell: generated help, theme toggle, palette search, errors."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen
from textual.widgets import Static

from core.kernel.errors import LettrageError
from screens.ledger.party_card import PartyCardScreen
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.commands import RecordsProvider
from tui.home import HomeScreen
from tui.widgets.error_dialog import ErrorDialog
from tui.widgets.help_screen import HelpScreen
from tui.workers import core_worker


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


async def test_help_lists_the_active_keys(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "d ^f7" in text and "Detailed" in text and "Open only" in text
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_theme_toggle(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before


async def test_palette_finds_customers_and_opens_the_card(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        provider = RecordsProvider(app.screen)
        hits = [hit async for hit in provider.search("adatum")]
        assert [h.text for h in hits] == ["C001 Adatum Corporation"]
        hits[0].command()
        await settle(pilot, app)
        assert isinstance(app.screen, PartyCardScreen) and app.screen.no == "C001"


async def test_user_error_is_a_notification(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)

        @core_worker("test")
        def fail(_screen: Screen[object]) -> None:
            raise LettrageError("Choose a customer first")

        fail(app.screen)
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        assert [n.message for n in app._notifications] == ["Choose a customer first"]


async def test_bug_shows_the_dialog_logs_and_keeps_running(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)

        @core_worker("test")
        def boom(_screen: Screen[object]) -> None:
            raise ZeroDivisionError("boom")

        boom(app.screen)
        await settle(pilot, app)
        assert isinstance(app.screen, ErrorDialog)
        assert app.log_path is not None
        assert "ZeroDivisionError" in read(app.log_path)
        await pilot.press("escape", "c")
        await settle(pilot, app)
        assert app.screen.__class__.__name__ == "PartyListScreen"


async def test_bug_in_an_action_is_caught(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.run_action("app.no_such_thing")  # unknown actions are ignored
        app.action_boom = lambda: 1 / 0  # type: ignore[attr-defined]
        await app.run_action("boom")
        await settle(pilot, app)
        assert isinstance(app.screen, ErrorDialog)
