"""G/L entries, chart of accounts, bank accounts and entries, registers."""

from __future__ import annotations

from screens.ledger.bank_entries import BankEntriesScreen
from screens.ledger.chart_of_accounts import ChartOfAccountsScreen
from screens.ledger.gl_entries import GLEntriesScreen
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.registers import RegistersScreen
from screens.reconciliation.bank_accounts import BankAccountsScreen
from tests.ui_fixtures import settle
from tui.app import LettrageApp


async def test_chart_then_account_entries(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        chart = app.screen
        assert isinstance(chart, ChartOfAccountsScreen)
        rows = chart.table.loaded_rows
        receivables = next(i for i, r in enumerate(rows) if r.no == "1200")
        await pilot.press(*["down"] * receivables, "enter")
        await settle(pilot, app)
        gl = app.screen
        assert isinstance(gl, GLEntriesScreen) and gl.account_no == "1200"
        assert sum(e.amount for e in gl.table.loaded_rows) == rows[receivables].balance


async def test_bank_accounts_then_open_entries(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        assert isinstance(app.screen, BankAccountsScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        bank = app.screen
        assert isinstance(bank, BankEntriesScreen) and bank.bank_no == "BANK1"
        assert [e.document_no for e in bank.table.loaded_rows] == ["PAY1"]
        await pilot.press("o")
        await settle(pilot, app)
        assert bank.open_only and len(bank.table.loaded_rows) == 1


async def test_registers_and_their_entries(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        registers = app.screen
        assert isinstance(registers, RegistersScreen)
        assert registers.table.cursor_value.no == 8  # newest at the bottom
        await pilot.press("e")
        await settle(pilot, app)
        entries = app.screen
        assert isinstance(entries, LedgerEntriesScreen) and entries.party_type == "vendor"
        assert [e.party_no for e in entries.table.loaded_rows] == ["V001"]
        await pilot.press("escape", "up", "b")  # register 7: the payment
        await settle(pilot, app)
        assert isinstance(app.screen, BankEntriesScreen)
        await pilot.press("escape", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, GLEntriesScreen)
        assert sum(e.amount for e in app.screen.table.loaded_rows) == 0
