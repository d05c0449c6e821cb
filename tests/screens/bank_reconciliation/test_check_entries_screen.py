"""Check Ledger Entries at 80x24: void one check financially, another without posting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import DataTable, Select

from core.bank_reconciliation.facade import BankRecServices
from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.posting import PostingService
from screens.bank_reconciliation.checks import CheckEntriesScreen, VoidCheckModal
from tests.ui_fixtures import build_store, settle
from tui.app import LettrageApp
from tui.bootstrap import Services

DAY = date(2026, 8, 3)


@pytest.fixture
def app(tmp_path: Path) -> LettrageApp:
    store = build_store(tmp_path / "company.db")
    for no, amount in (("4711", "-120.00"), ("4712", "-75.00")):
        PostingService(store).post_lines([LineDraft(
            posting_date=DAY, account_type="bank_account", account_no="BANK1",
            amount=Decimal(amount), document_type="payment", document_no=no,
            bal_account_type="gl_account", bal_account_no="3900", payment_method="check",
            ref="line 1")])
    return LettrageApp(Services(store, today=lambda: date(2026, 9, 1)),
                       log_path=tmp_path / "lettrage.log")


async def test_void_checks_by_keyboard(app: LettrageApp) -> None:
    store = app.ctx.services.store
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.push_screen(CheckEntriesScreen(app.ctx, "BANK1"))
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CheckEntriesScreen)
        assert [c.check_no for c in screen.rows] == ["4711", "4712"]
        await pilot.press("v")  # financial void on a later date
        await settle(pilot, app)
        assert isinstance(app.screen, VoidCheckModal)
        await pilot.press("tab")
        app.screen.query_one("#void_date").value = "2026-08-10"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.rows[0].status == "financially_voided" and not screen.rows[0].open
        await pilot.press("down", "v")  # the second: void check only
        await settle(pilot, app)
        app.screen.query_one("#void_type", Select).value = "not_financial"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.rows[1].status == "voided"
        table = screen.query_one("#checks", DataTable)
        assert table.row_count == 2
        await pilot.press("v")  # voiding it again says why not
        await settle(pilot, app)
        assert isinstance(app.screen, CheckEntriesScreen)
    banks = BankRecServices(store).checks.checks("BANK1", open_only=True)
    assert banks == []
    assert run_check(store).ok
