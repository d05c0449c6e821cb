"""Two clerks, one payment reconciliation journal: the first one's app claims it on
open; the second one sees who works it, gets it read-only (changes dimmed, the service
refuses them), can take it over after confirming; closing the screen releases the
claim."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from core.audit.claims import ClaimService, journal_resource
from core.reconciliation.service import ReconciliationService
from data.engine import SqlStore
from screens.reconciliation.journal import ReconciliationJournalScreen
from screens.shared.confirm import ConfirmModal
from tests.helpers import invoice
from tests.recon_support import SL, stage
from tests.ui_fixtures import TODAY, build_store, settle
from tui.app import LettrageApp
from tui.bootstrap import Services


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    store = build_store(tmp_path / "claims.db")
    doc = invoice(store, "C001", "300", date(2025, 1, 10))
    stage(store, [SL("300", f"Invoice {doc}", name="Adatum Corporation")])
    yield store
    store.engine.dispose()


def _anna_holds(store: SqlStore) -> int:
    anna = ReconciliationService(store, user="anna", session="anna-session")
    jid = anna.open_journal("BANK1").id
    assert anna.claims.claim(jid).ok
    return jid


async def _open(app: LettrageApp, pilot: object) -> ReconciliationJournalScreen:
    await settle(pilot, app)
    screen = ReconciliationJournalScreen(app.ctx, "BANK1")
    await app.push_screen(screen)
    await settle(pilot, app)
    return screen


async def test_second_clerk_reads_then_takes_over(store: SqlStore, tmp_path: Path) -> None:
    jid = _anna_holds(store)
    services = Services(store, today=lambda: TODAY)
    app = LettrageApp(services, log_path=tmp_path / "l.log")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        assert screen.held_by.startswith("Statement 1 of BANK1 is being worked by anna (")
        assert "READ-ONLY" in str(screen.query_one("#counters").render())
        assert screen.check_action("apply_auto", ()) is None  # dimmed
        assert screen.check_action("take_over", ()) is True
        await pilot.press("o")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot, app)
        assert screen.held_by == ""
        assert screen.check_action("apply_auto", ()) is True
        holder = ClaimService(store, "x").who_holds(journal_resource(jid))
        assert holder is not None and holder.token == services.session_token
        await pilot.press("escape")
        await settle(pilot, app)
    assert ClaimService(store, "x").who_holds(journal_resource(jid)) is None  # released


async def test_first_clerk_claims_on_open(store: SqlStore, tmp_path: Path) -> None:
    app = LettrageApp(Services(store, today=lambda: TODAY), log_path=tmp_path / "l.log")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        assert screen.held_by == "" and screen.journal is not None
        holder = ClaimService(store, "x").who_holds(journal_resource(screen.journal.id))
        assert holder is not None
        bob = ReconciliationService(store, user="bob", session="bob-session")
        refused = bob.claims.claim(screen.journal.id)
        assert not refused.ok and "being worked by" in refused.message
