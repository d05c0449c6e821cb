"""Customers / vendors lists and cards, editing with the version check."""

from __future__ import annotations

from textual.widgets import Input, Static

from core.ledger.parties import PartyChanges
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_card import PartyCardScreen
from screens.ledger.party_edit import PartyEditModal
from screens.ledger.party_list import PartyListScreen
from tests.ui_fixtures import settle
from tui.app import LettrageApp


async def test_list_search_card_and_entries(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, PartyListScreen)
        assert [p.no for p in screen.table.loaded_rows] == ["C001", "C002"]
        await pilot.press("slash")
        screen.query_one("#search", Input).value = "trey"
        await pilot.press("enter")
        await settle(pilot, app)
        assert [p.no for p in screen.table.loaded_rows] == ["C002"]
        await pilot.press("enter")
        await settle(pilot, app)
        card = app.screen
        assert isinstance(card, PartyCardScreen) and card.card is not None
        assert "1,634.56" in str(card.query_one("#balances", Static).render())
        await pilot.press("ctrl+f7")
        await settle(pilot, app)
        assert isinstance(app.screen, LedgerEntriesScreen)
        assert {e.party_no for e in app.screen.table.loaded_rows} == {"C002"}


async def test_vendor_list(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("v")
        await settle(pilot, app)
        assert [p.no for p in app.screen.table.loaded_rows] == ["V001"]  # type: ignore[attr-defined]
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, LedgerEntriesScreen)
        assert app.screen.party_type == "vendor"


async def test_edit_card_saves_and_conflict_is_a_notification(app: LettrageApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        card = PartyCardScreen(app.ctx, "customer", "C001")
        await app.push_screen(card)
        await settle(pilot, app)
        await pilot.press("f2")
        await settle(pilot, app)
        assert isinstance(app.screen, PartyEditModal)
        app.screen.query_one("#city", Input).value = "Hamburg"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is card and card.card is not None and card.card.city == "Hamburg"
        assert any("saved" in n.message for n in app._notifications)
        # Someone else saves meanwhile; our stale version is refused with a message.
        app.ctx.services.parties.update_party("customer", "C001", card.card.version,
                                              PartyChanges(city="Paris"))
        card.save(card.card.version, PartyChanges(city="Munich"))
        await settle(pilot, app)
        assert any("changed by someone else" in n.message for n in app._notifications)
        assert app.ctx.services.queries.party_card("customer", "C001").city == "Paris"
