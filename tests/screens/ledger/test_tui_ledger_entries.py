"""Customer ledger entries: lazy pages, toggles, search, detailed/applied/document."""

from __future__ import annotations

from core.ledger.drafts import LedgerEntryView
from screens.ledger.applied_entries import AppliedEntriesScreen
from screens.ledger.detailed_entries import DetailedEntriesScreen
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.posted_document import PostedDocumentScreen
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.widgets.lazy_table import LazyTable


async def _open(app: LettrageApp, pilot: object, **kw: object) -> LedgerEntriesScreen:
    screen = LedgerEntriesScreen(app.ctx, "customer", **kw)  # type: ignore[arg-type]
    await app.push_screen(screen)
    await settle(pilot, app)
    return screen


def _docs(screen: LedgerEntriesScreen) -> list[str]:
    return [e.document_no for e in screen.table.loaded_rows]


async def test_opens_at_the_newest_entry_and_toggles_open_only(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        assert len(_docs(screen)) == 7
        assert screen.table.cursor_value.document_no == "SI000006"  # newest, at the bottom
        await pilot.press("o")
        await settle(pilot, app)
        assert "PAY1" not in _docs(screen) and len(_docs(screen)) == 5
        assert "open only" in str(screen.query_one("#filters").render())
        await pilot.press("o")
        await settle(pilot, app)
        assert len(_docs(screen)) == 7


async def test_overdue_rows_use_the_error_class(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        table = screen.table
        styles = {r.value.document_no: r.style for r in table._rows}
        assert styles["SI000001"] == "overdue" and styles["SI000006"] == ""
        assert styles["PAY1"] == "muted"


async def test_highlighted_party_shown_in_full_under_the_table(app: LettrageApp) -> None:
    """At 80 columns the Party column is tight: the highlighted entry's party (no. and
    whole name) and description are written under the table; one party's list has none."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("up")
        await settle(pilot, app)
        entry = screen.table.cursor_value
        info = str(screen.query_one("#entry-info").render())
        assert info.startswith(f"{entry.party_no} {entry.party_name}")
        assert entry.description in info
        await app.pop_screen()
        one = await _open(app, pilot, party_no="C001", party_name="x")
        assert not one.query("#entry-info")


async def test_search_and_sort(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("slash")
        screen.query_one("#search").value = "pay"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, app)
        assert _docs(screen) == ["PAY1"]
        assert screen.table.has_focus
        screen.query_one("#search").value = ""  # type: ignore[attr-defined]
        await pilot.press("slash", "enter")
        await settle(pilot, app)
        await pilot.press("s", "s", "s")  # posting date -> due -> document no -> amount
        await settle(pilot, app)
        assert screen.sort == "amount"
        assert next(e.amount for e in screen.table.loaded_rows) < 0


async def test_detailed_applied_and_document(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, party_no="C002")
        table = screen.table
        await pilot.press("home")
        await settle(pilot, app)
        assert table.cursor_value.document_no == "SI000002"
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, DetailedEntriesScreen)
        kinds = [d.entry_type for d in app.screen.table.loaded_rows]
        assert kinds == ["initial", "application"]
        await pilot.press("escape", "c")
        await settle(pilot, app)
        assert isinstance(app.screen, AppliedEntriesScreen)
        assert [e.document_no for e in app.screen.table.loaded_rows] == ["PAY1"]
        await pilot.press("escape", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PostedDocumentScreen)
        assert app.screen.document.document_no == "SI000002"


async def test_document_of_a_payment_is_a_notification(app: LettrageApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot, party_no="C002")
        await pilot.press("end", "up")  # PAY1 is second to last
        await settle(pilot, app)
        assert isinstance(screen.table.cursor_value, LedgerEntryView)
        assert screen.table.cursor_value.document_no == "PAY1"
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is screen
        assert any("posted from a journal" in n.message for n in app._notifications)


async def test_table_pages_through_a_long_list(app: LettrageApp) -> None:
    """With a page size of 2 the table fetches pages around the cursor."""
    async with app.run_test(size=(80, 24)) as pilot:
        LazyTable.PAGE = 2
        try:
            screen = await _open(app, pilot)
            assert len(screen.table.loaded_rows) == 7  # prefetched backwards to the top
            await pilot.press("home")
            await settle(pilot, app)
            assert screen.table.cursor_value.document_no == "SI000001"
            await pilot.press("pagedown")
            await settle(pilot, app)
            assert screen.table.cursor_value.document_no == "SI000006"
        finally:
            LazyTable.PAGE = 100
