"""Matching setup screens driven by Pilot at 80x24: payment application rules, settings,
text-to-account mappings and the bank account's match tolerance."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, Select, Static

from core.reconciliation.setup import MatchingSetupService
from core.reconciliation.types import MappingView
from data.engine import SqlStore
from screens.reconciliation.bank_accounts import BankAccountsScreen, ToleranceModal
from screens.reconciliation.journal import ReconciliationJournalScreen
from screens.reconciliation.mappings import MappingModal, TextMappingsScreen
from screens.reconciliation.match_settings import MatchSettingsScreen
from screens.reconciliation.rules import ApplicationRulesScreen, RuleModal, UpdateRule
from screens.reconciliation.setup_table import TableWritten
from screens.shared.confirm import ConfirmModal
from screens.shared.lookup import LookupModal
from tests.ui_fixtures import Messages, settle
from tui.app import LettrageApp


def notes(app: LettrageApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


def setup(store: SqlStore) -> MatchingSetupService:
    return MatchingSetupService(store, user="test")


async def test_rules_edit_add_delete_reset(app: LettrageApp, ui_store: SqlStore) -> None:
    messages = Messages()
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot, app)
        await pilot.press("m", "u")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ApplicationRulesScreen)
        assert screen.table.row_count == 25
        screen.table.move_cursor(row=11)  # Medium P1
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RuleModal)
        modal.query_one("#review_required", Select).value = "no"
        modal.query_one("#amount", Select).value = "one"
        before = screen.current()
        await pilot.press("ctrl+s")
        written = await messages.wait_for(pilot, TableWritten)
        await settle(pilot, app)
        medium1 = next(r for r in setup(ui_store).rules()
                       if (r.confidence, r.priority) == ("medium", 1))
        assert (medium1.amount, medium1.review_required) == ("one", False)
        # the worker got the typed change the clerk made, and saved it
        assert written.change == UpdateRule(before, medium1) and not written.conflict
        assert screen.current() == medium1

        await pilot.press("a")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RuleModal)
        modal.query_one("#priority", Input).value = "1"  # Medium P1 exists
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.table.row_count == 25
        assert "already a rule Medium P1" in notes(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RuleModal)
        app.screen.query_one("#priority", Input).value = "20"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.table.row_count == 26
        added = screen.current()
        assert added is not None and (added.confidence, added.priority) == ("medium", 20)

        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot, app)
        assert screen.table.row_count == 25
        await pilot.press("R", "y")
        await settle(pilot, app)
        assert medium1 not in setup(ui_store).rules()


async def test_rule_conflict_reloads_the_table(app: LettrageApp, ui_store: SqlStore) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = ApplicationRulesScreen(app.ctx)
        await app.push_screen(screen)
        await settle(pilot, app)
        seen = screen.current()
        assert seen is not None
        other = setup(ui_store)  # another clerk saves first
        other.update_rule(seen, replace(seen, review_required=True))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RuleModal)
        app.screen.query_one("#amount", Select).value = "one"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "High P1 was changed by someone else" in notes(app)
        reloaded = screen.current()
        assert reloaded is not None and reloaded.review_required


async def test_settings_are_saved(app: LettrageApp, ui_store: SqlStore) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, MatchSettingsScreen)
        screen.query_one("#vendor_matching", Select).value = "no"
        screen.query_one("#name_matching", Select).value = "disabled"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        saved = setup(ui_store).settings()
        assert (saved.vendor_matching, saved.name_matching, saved.version) == (
            False, "disabled", 1)
        await pilot.press("K")
        await settle(pilot, app)
        assert isinstance(app.screen, TextMappingsScreen)


async def test_text_mappings_add_edit_delete(app: LettrageApp, ui_store: SqlStore) -> None:
    setup(ui_store).add_mapping(MappingView(0, "Bank fee", "", "6400", "gl_account", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = TextMappingsScreen(app.ctx)
        await app.push_screen(screen)
        await settle(pilot, app)
        assert screen.table.row_count == 1
        await pilot.press("enter")
        await settle(pilot, app)  # the form opens once the G/L accounts are read
        modal = app.screen
        assert isinstance(modal, MappingModal)
        modal.query_one("#mapping_text", Input).value = "Kontofuehrung"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert [m.mapping_text for m in setup(ui_store).mappings()] == ["Kontofuehrung"]
        await pilot.press("a")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, MappingModal)
        modal.query_one("#mapping_text", Input).value = "Donation"
        modal.query_one("#bal_source_type", Select).value = "customer"
        modal.query_one("#bal_source_no", Input).value = "C001"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.table.row_count == 2
        current = screen.current()
        assert current is not None and current.mapping_text == "Donation"
        await pilot.press("x", "y")
        await settle(pilot, app)
        assert [m.mapping_text for m in setup(ui_store).mappings()] == ["Kontofuehrung"]


async def test_mapping_form_looks_up_accounts_with_f4(app: LettrageApp,
                                                      ui_store: SqlStore) -> None:
    """Issue #15: F4 on the mapping form's account fields looks the account up (G/L for
    debit/credit, the balancing source's type for its no.) and names the G/L account."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.push_screen(TextMappingsScreen(app.ctx))
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, MappingModal)
        credit = modal.query_one("#credit_acc_no", Input)
        credit.focus()
        credit.value = "64"
        await pilot.press("f4")
        await settle(pilot, app)
        assert isinstance(app.screen, LookupModal)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is modal and credit.value == "6400"
        assert "G/L 6400:" in str(modal.query_one("#account-name", Static).render())
        modal.query_one("#bal_source_type", Select).value = "customer"
        source = modal.query_one("#bal_source_no", Input)
        source.focus()
        source.value = "Trey"
        await pilot.press("f4")
        await settle(pilot, app)
        assert isinstance(app.screen, LookupModal)
        await pilot.press("enter")
        await settle(pilot, app)
        assert source.value == "C002"


async def test_bank_tolerance_and_setup_keys(app: LettrageApp, ui_store: SqlStore) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        assert isinstance(app.screen, BankAccountsScreen)
        await pilot.press("t")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ToleranceModal)
        modal.query_one("#tolerance_type", Select).value = "percentage"
        modal.query_one("#tolerance_value", Input).value = "150"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal  # refused in the dialog: more than 100 %
        modal.query_one("#tolerance_value", Input).value = "1,5"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        view = setup(ui_store).tolerance("BANK1")
        assert (view.tolerance_type, str(view.tolerance_value)) == ("percentage", "1.50")
        for key, kind in (("u", ApplicationRulesScreen), ("e", MatchSettingsScreen),
                          ("K", TextMappingsScreen)):
            await pilot.press(key)
            await settle(pilot, app)
            assert isinstance(app.screen, kind)
            await pilot.press("escape")
            await settle(pilot, app)
        await pilot.press("j")
        await settle(pilot, app)
        assert isinstance(app.screen, ReconciliationJournalScreen)
        await pilot.press("u")
        await settle(pilot, app)
        assert isinstance(app.screen, ApplicationRulesScreen)
