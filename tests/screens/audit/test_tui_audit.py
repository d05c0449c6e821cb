"""Audit Trail screen: newest first, filters, one entry's before/after; read-only;
reachable from home (w) and the command palette. The party card reloads after a
conflict and names the other clerk."""

from __future__ import annotations

from textual.widgets import Input, Static

from core.audit.queries import AuditFilter
from core.ledger.parties import PartyChanges, PartyService
from screens.audit.trail import AuditFilterModal, AuditTrailScreen
from screens.ledger.party_card import PartyCardScreen
from screens.reconciliation.dialogs import TextModal
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.bootstrap import Services
from tui.navigation import DESTINATIONS, screen_for


def _changes(services: Services) -> None:
    anna = PartyService(services.store, user="anna")
    card = anna.update_party("customer", "C001", 1, PartyChanges(blocked="all"))
    PartyService(services.store, user="ben").update_party("vendor", "V001", 1,
                                                          PartyChanges(privacy_blocked=True))
    anna.update_party("customer", "C001", card.version, PartyChanges(city="Hamburg"))


def _rows(screen: AuditTrailScreen) -> list[tuple[str, str, str]]:
    return [(r.user, r.entity, r.key) for r in screen.table.loaded_rows]


async def test_trail_newest_first_filters_and_details(app: LettrageApp,
                                                      services: Services) -> None:
    _changes(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("w")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, AuditTrailScreen)
        # the three changes, newest first, above the fixture's postings (registers)
        assert _rows(screen)[:3] == [("anna", "customer", "C001"), ("ben", "vendor", "V001"),
                                     ("anna", "customer", "C001")]
        assert {r[1] for r in _rows(screen)[3:]} <= {"register"}
        assert screen.table.loaded_rows[0].summary == "City: Berlin → Hamburg"
        await pilot.press("down", "u")  # only ben
        await settle(pilot, app)
        assert screen.flt.user == "ben" and _rows(screen) == [("ben", "vendor", "V001")]
        assert "user ben" in str(screen.query_one("#filters", Static).render())
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, TextModal)
        assert "Privacy blocked  no  →  yes" in app.screen.body
        await pilot.press("escape")
        await pilot.press("x")
        await settle(pilot, app)
        assert len([r for r in _rows(screen) if r[1] != "register"]) == 3
        await pilot.press("t")  # only this kind of record (customers)
        await settle(pilot, app)
        assert {r[1] for r in _rows(screen)} == {"customer"}
        # The screen offers no way to change the trail.
        actions = {active.binding.action for active in screen.active_bindings.values()}
        assert not any(word in a for a in actions for word in ("delete", "edit", "insert"))


async def test_filter_dialog(app: LettrageApp, services: Services) -> None:
    _changes(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = AuditTrailScreen(app.ctx)
        await app.push_screen(screen)
        await settle(pilot, app)
        await pilot.press("f")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, AuditFilterModal)
        modal.query_one("#since", Input).value = "tomorrow"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a date" in str(modal.query_one("#error", Static).render())
        modal.query_one("#since", Input).value = ""
        modal.query_one("#user", Input).value = "anna"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen and screen.flt == AuditFilter(user="anna")
        assert [r[0] for r in _rows(screen)] == ["anna", "anna"]


def test_palette_destination() -> None:
    assert "audit" in DESTINATIONS


async def test_screen_for_audit(app: LettrageApp) -> None:
    assert isinstance(screen_for(app.ctx, "audit"), AuditTrailScreen)


async def test_card_conflict_names_the_other_clerk_and_reloads(app: LettrageApp,
                                                              services: Services) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        card = PartyCardScreen(app.ctx, "customer", "C001")
        await app.push_screen(card)
        await settle(pilot, app)
        assert card.card is not None
        seen = card.card.version
        PartyService(services.store, user="anna").update_party(
            "customer", "C001", seen, PartyChanges(blocked="all"))
        card.save(seen, PartyChanges(city="Munich"))
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert any("changed by someone else meanwhile: anna at" in m
                   and "Blocked: '' → all" in m for m in messages)
        assert card.card.blocked == "all" and card.card.version == seen + 1  # reloaded
