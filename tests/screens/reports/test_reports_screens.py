"""The report screens at 80x24 as a clerk uses them: home's cash line, the aging with its
chart, sort and drill into a bucket, the statement from there, the cash picture and the
card's figures with t to the statement."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, ProgressBar, Static
from textual_plotext import PlotextPlot

from core.reports.aging import AgingLine
from screens.ledger.party_card import PartyCardScreen
from screens.reports.aging import AgingScreen
from screens.reports.batch import StatementBatchScreen
from screens.reports.cash import CashPictureScreen
from screens.reports.entries import AgedEntriesScreen
from screens.reports.statement import StatementScreen
from tests.ui_fixtures import settle
from tui.app import LettrageApp


async def test_aging_chart_sort_drill_and_statement(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        figures = app.screen.query_one("#figures", OptionList)
        prompts = [str(figures.get_option_at_index(i).prompt)
                   for i in range(figures.option_count)]
        assert any(p.startswith("f  Cash in ") for p in prompts), prompts
        assert any("z  Aged receivables" in p for p in prompts)
        await pilot.press("z")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, AgingScreen) and screen.report is not None
        assert screen.query_one("#aging-chart", PlotextPlot).display
        lines = screen.table.loaded_rows
        assert [ln.party_no for ln in lines] == ["C001", "C002"]
        # at 80 columns the names have room (whole units in the buckets, no number)
        shot = app.export_screenshot().replace("&#160;", " ")
        assert "Trey Research" in shot  # not highlighted: only the list shows it
        assert screen.report.total == sum(ln.total for ln in lines)
        for _ in range(2):  # No. -> not due -> 1-30: largest first
            await pilot.press("s")
        await pilot.pause()
        first = screen.table.loaded_rows[0]
        assert isinstance(first, AgingLine) and first.party_no == "C001"
        assert first.amounts[1] == max(ln.amounts[1] for ln in lines) == 900
        assert "sort: 1-30" in str(screen.query_one("#filters", Static).render())
        await pilot.press("2")  # the 1-30 bucket of the highlighted customer
        await settle(pilot, app)
        entries = app.screen
        assert isinstance(entries, AgedEntriesScreen) and entries.bucket == 1
        shown = entries.query_one("#entries-table").loaded_rows  # type: ignore[attr-defined]
        assert [e.document_no for e in shown] == ["SI000001", "SI000003", "SI000005"]
        assert all(1 <= e.days <= 30 for e in shown)
        await pilot.press("t")
        await settle(pilot, app)
        statement = app.screen
        assert isinstance(statement, StatementScreen) and statement.statement is not None
        text = str(statement.query_one("#statement-text", Static).render())
        assert "CUSTOMER STATEMENT" in text and "Closing balance".upper() in text


async def test_cash_picture_and_card_figures(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f")
        await settle(pilot, app)
        assert isinstance(app.screen, CashPictureScreen)
        summary = str(app.screen.query_one("#cash-summary", Static).render())
        assert "In, last 8 weeks" in summary and "already overdue" in summary
        await pilot.press("escape")
        app.push_screen(PartyCardScreen(app.ctx, "customer", "C001"))
        await settle(pilot, app)
        figures = str(app.screen.query_one("#card-figures", Static).render())
        assert "Average days to pay" in figures and "Last payment" in figures
        await pilot.press("t")
        await settle(pilot, app)
        assert isinstance(app.screen, StatementScreen)


async def test_statement_batch_from_the_aging(app: LettrageApp, tmp_path: Path) -> None:
    """t on the aging: the statements of the customers with overdue entries written to
    a folder, a line per customer and a full progress bar."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("z")
        await settle(pilot, app)
        await pilot.press("t")
        await settle(pilot, app)
        batch = app.screen
        assert isinstance(batch, StatementBatchScreen)
        await pilot.press("u")
        assert "only with overdue entries" in str(
            batch.query_one("#batch-options", Static).render())
        await pilot.press("p")
        await settle(pilot, app)
        prompt = app.screen.query_one(Input)
        prompt.value = str(tmp_path / "out")
        await pilot.press("enter")
        await settle(pilot, app, rounds=5)
        expected = app.ctx.services.reports.statement_customers(batch.date_to, True)
        assert expected and len(batch.results) == len(expected) and not batch.running
        assert all(f" -> {tmp_path / 'out'}" in line for line in batch.results)
        pdfs = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
        assert len(pdfs) == len(expected)
        bar = batch.query_one("#batch-progress", ProgressBar)
        assert bar.progress == bar.total == len(expected)
