"""Every screen reachable from home, at 80x24, in English and in French: no footer key is
cut (issue #15: ``k Map te▏``). One small company and one app per language for the whole
module; each screen is pushed, measured and popped."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from textual.worker import WorkerCancelled, WorkerFailed

from core.i18n import set_language
from data.engine import SqlStore
from tests.recon_support import SL, stage
from tests.ui_fixtures import TODAY, build_store, post_books
from tui.app import LettrageApp
from tui.bootstrap import Services
from tui.navigation import DESTINATIONS, screen_for
from tui.widgets.footer import FitFooter, ShownKey, fit_keys


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    store = build_store(tmp_path_factory.mktemp("footers") / "company.db")
    post_books(store)
    stage(store, [SL("100.00", "Invoice 1 thank you", name="Customer One"),
                  SL("-12.50", "Bank fees November")])
    yield store
    store.engine.dispose()


async def settle(pilot: Pilot[None], app: LettrageApp) -> None:
    """Workers done (a popped screen cancels its own: that is fine here)."""
    for _ in range(2):
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()


def cut_keys(screen: Screen[object]) -> list[str]:
    """The footer keys of ``screen`` that are not shown whole."""
    cut = []
    for footer in screen.query(Footer):
        assert isinstance(footer, FitFooter), f"{type(screen).__name__} uses Textual's Footer"
        right = footer.region.right
        for key in footer.query(FooterKey):
            text = key.render().plain
            if key.region.right > right or key.region.width < cell_len(text.rstrip()):
                cut.append(text)
    return cut


def extra_screens(app: LettrageApp) -> list[tuple[str, Screen[None]]]:
    from screens.ledger.party_card import PartyCardScreen
    from screens.reconciliation.journal import ReconciliationJournalScreen

    return [("card", PartyCardScreen(app.ctx, "customer", "C001")),
            ("journal", ReconciliationJournalScreen(app.ctx, "BANK1"))]


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_no_footer_key_is_cut_at_80_columns(store: SqlStore, language: str,
                                                  tmp_path: Path) -> None:
    set_language(language)
    try:
        app = LettrageApp(Services(store, today=lambda: TODAY), log_path=tmp_path / "l.log")
        problems: dict[str, list[str]] = {}
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            problems["home"] = cut_keys(app.screen)
            await app.push_screen(Screen())  # popping back here reloads nothing
            targets = [(t, screen_for(app.ctx, t)) for t in DESTINATIONS]
            targets += extra_screens(app)
            # one of each screen class (the same keys whatever the filter): CPU budget
            kinds: dict[type, tuple[str, Screen[None] | None]] = {}
            for name, screen in targets:
                kinds.setdefault(type(screen), (name, screen))
            targets = list(kinds.values())
            shown = 0
            for name, screen in targets:
                assert screen is not None, name
                await app.push_screen(screen)
                await settle(pilot, app)
                problems[name] = cut_keys(app.screen)
                shown += len(app.screen.query(FooterKey))
                await app.pop_screen()
            await app.pop_screen()
            await pilot.press("i")  # the statement import dialog
            await settle(pilot, app)
            problems["import"] = cut_keys(app.screen)
        assert shown > 3 * len(targets)
        assert {k: v for k, v in problems.items() if v} == {}
    finally:
        set_language("en")


def test_fit_keys_keeps_whole_keys_in_order_and_help_last() -> None:
    keys = [ShownKey(k, k, d, a, True, "") for k, d, a in
            [("n", "New", "new"), ("e", "Edit a very long description", "edit"),
             ("x", "Delete", "delete")]]
    help_key = ShownKey("f1", "F1", "Help", "help", True, "")
    shown = fit_keys(keys, 34, help_key)
    assert [k.action for k in shown] == ["new", "delete", "help"]
    assert shown[-1].description == "More keys"
    assert sum(k.width for k in shown) <= 34
    assert [k.description for k in fit_keys(keys[:1], 80, help_key)] == ["New", "Help"]
