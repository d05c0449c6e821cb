"""Bank account reconciliation screens at 80x24, driven by the keyboard (Pilot)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Static

from core.bank_reconciliation.facade import BankRecServices
from core.ledger.drafts import LineDraft
from core.ledger.posting import PostingService
from screens.bank_reconciliation.lists import BankRecListScreen, PostedStatementsScreen
from screens.bank_reconciliation.reconciliation import BankRecScreen
from screens.bank_reconciliation.reports import OutstandingScreen, TestReportScreen
from tests.statement_samples import Tx, camt, write
from tests.ui_fixtures import build_store, settle
from tui.app import LettrageApp
from tui.bootstrap import Services

DAY = date(2026, 8, 3)


def _entry(store, amount: str, doc: str, day: date = DAY, method: str = "") -> None:
    PostingService(store).post_lines([LineDraft(
        posting_date=day, account_type="bank_account", account_no="BANK1",
        amount=Decimal(amount), document_type="payment", document_no=doc, description=doc,
        bal_account_type="gl_account", bal_account_no="3900", payment_method=method,
        ref="line 1")])


@pytest.fixture
def app(tmp_path: Path) -> LettrageApp:
    store = build_store(tmp_path / "company.db")
    _entry(store, "500.00", "DEP-1001")
    _entry(store, "-120.00", "4711", method="check")
    _entry(store, "80.00", "DEP-1002")  # outstanding
    _entry(store, "60.00", "DEP-1003")  # matched by hand
    f = write(tmp_path, "aug.xml", camt([
        Tx("500.00", "2026-08-03", "R1", text="Deposit DEP-1001"),
        Tx("-120.00", "2026-08-20", "R2", text="CHQ 0004711"),
        Tx("60.00", "2026-08-25", "R3", text="Cash in"),
        Tx("-4.50", "2026-08-31", "R4", text="Account fee")],
        opening="0.00", start="2026-08-01", end="2026-08-31"))
    BankRecServices(store).rec.import_statement(f, "BANK1")
    return LettrageApp(Services(store, today=lambda: date(2026, 9, 1)),
                       log_path=tmp_path / "lettrage.log")


async def test_reconcile_by_keyboard_at_80x24(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        assert isinstance(app.screen, BankRecListScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        rec = app.screen
        assert isinstance(rec, BankRecScreen) and len(rec.lines) == 4
        totals = str(rec.query_one("#totals", Static).render())
        assert "Difference 435.50" in totals and "ending 435.50" in totals
        # Match Automatically with a tolerance of 0 days: the deposit, and the check
        await pilot.press("a")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert [ln.match for ln in rec.lines] == ["one_to_one", "one_to_one", "none", "none"]
        # match line 3 by hand with entry DEP-1003: go to the line, switch pane, go to it
        await pilot.press("down", "down", "tab")
        target = next(i for i, e in enumerate(rec.entries) if e.document_no == "DEP-1003")
        await pilot.press(*["down"] * target, "m")
        await settle(pilot, app)
        assert rec.lines[2].match == "manual"
        # transfer the fee to the general journal (G/L 6400 prefilled)
        await pilot.press("tab", "down", "g")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert rec.lines[3].match == "manual" and rec.rec is not None
        assert rec.rec.total_difference == 0
        assert "Difference 0.00" in str(rec.query_one("#totals", Static).render())
        await pilot.press("t")
        await settle(pilot, app)
        report = app.screen
        assert isinstance(report, TestReportScreen) and report.report is not None
        text = str(report.query_one("#report", Static).render())
        assert "Outstanding bank transactions" in text and "DEP-1002" in text
        await pilot.press("escape", "f9")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, BankRecListScreen) and app.screen.recs == []
        await pilot.press("o")
        await settle(pilot, app)
        out = app.screen
        assert isinstance(out, OutstandingScreen) and out.data is not None
        assert [i.document_no for i in out.data.transactions] == ["DEP-1002"]
        await pilot.press("escape", "p")
        await settle(pilot, app)
        posted = app.screen
        assert isinstance(posted, PostedStatementsScreen) and len(posted.rows) == 1
        await pilot.press("u")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, BankRecScreen) and len(app.screen.lines) == 4


async def test_many_to_many_by_hand_is_refused_with_bcs_message(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("h", "enter")
        await settle(pilot, app)
        rec = app.screen
        assert isinstance(rec, BankRecScreen)
        await pilot.press("space", "space", "tab", "space", "space", "m")
        await settle(pilot, app)
        assert all(ln.match == "none" for ln in rec.lines)
        assert any("Many-to-many matches are not supported" in n.message
                   for n in app._notifications)
