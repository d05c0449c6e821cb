"""Home shows the bank feed: when it last brought a statement, the lines waiting, and a
rejected file with its reason; Enter on the feed line opens the bank's journal."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from core.feed import folder
from core.feed.service import FeedService
from data.engine import SqlStore
from screens.reconciliation.journal import ReconciliationJournalScreen
from tests.statement_samples import Tx, camt
from tests.ui_fixtures import settle
from tui.app import LettrageApp


def _texts(app: LettrageApp) -> list[str]:
    figures = app.screen.query_one("#figures", OptionList)
    return [str(figures.get_option_at_index(i).prompt) for i in range(figures.option_count)]


def _feed(store: SqlStore, tmp_path: Path) -> None:
    service = FeedService(store)
    inbox = service.add_inbox(tmp_path / "inbox", bank_account_no="BANK1")
    good = tmp_path / "inbox" / "s1.xml"
    good.write_bytes(camt([Tx("10.00", ref="R1"), Tx("20.00", ref="R2")], stmt_id="S-1"))
    service.process(inbox, folder.claim(good) or _none())
    bad = tmp_path / "inbox" / "junk.txt"
    bad.write_text("not a statement", encoding="utf-8")
    service.process(inbox, folder.claim(bad) or _none())


def _none() -> folder.Claimed:
    raise AssertionError("not claimed")


async def test_home_shows_the_feed_and_opens_the_journal(
        app: LettrageApp, ui_store: SqlStore, tmp_path: Path) -> None:
    _feed(ui_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        texts = _texts(app)
        [line] = [t for t in texts if "BANK1 feed" in t]
        assert "review / unapplied" in line and line.rstrip().endswith("2 / 0")
        assert any("BANK1 rejected junk.txt" in t for t in texts)
        figures = app.screen.query_one("#figures", OptionList)
        figures.highlighted = texts.index(line)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReconciliationJournalScreen)
