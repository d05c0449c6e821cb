"""Payment Reconciliation Journal, review queue and Apply Manually driven by Pilot on a
SQLite file company with four staged statement lines:

1. 300.00 "Invoice SI000001" from Adatum's IBAN -> high confidence on C001
2. -12.50 "Bank fee January"                    -> nothing (map it to 6400)
3. 390.00 "Trey Research SI000002"              -> medium on C002 (review)
4. 77.00  "something unknown"                   -> nothing (transfer to 4900)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, Static

from core.reconciliation.service import ReconciliationService
from core.reconciliation.setup import MatchingSetupService
from data.engine import SqlStore
from screens.reconciliation import journal
from screens.reconciliation.apply_manually import ApplyManuallyModal
from screens.reconciliation.bank_accounts import BankAccountsScreen
from screens.reconciliation.dialogs import (
    MapTextModal,
    PostModal,
    TextModal,
    TransferDifferenceModal,
)
from screens.reconciliation.journal import ReconciliationJournalScreen
from screens.reconciliation.journal_lines import LinesLoaded
from screens.reconciliation.review_queue import ReviewQueueScreen
from screens.shared.lookup import LookupModal
from screens.statements.import_dialog import ImportStatementModal
from tests.helpers import invoice
from tests.recon_support import SL, stage
from tests.ui_fixtures import TODAY, Messages, build_store, settle
from tui.app import LettrageApp
from tui.bootstrap import Services

ADATUM_IBAN = "DE02120300000000202051"


@dataclass
class Company:
    store: SqlStore
    app: LettrageApp

    @property
    def recon(self) -> ReconciliationService:
        return ReconciliationService(self.store, user="test")

    def journal_id(self) -> int:
        view = self.recon.find_open_journal("BANK1")
        assert view is not None
        return view.id


@pytest.fixture
def company(tmp_path: Path) -> Iterator[Company]:
    store = build_store(tmp_path / "recon.db")
    first = invoice(store, "C001", "300", date(2025, 1, 10))
    second = invoice(store, "C002", "400", date(2025, 1, 12))
    stage(store, [SL("300", f"Invoice {first}", name="Adatum Corporation", iban=ADATUM_IBAN),
                  SL("-12.50", "Bank fee January"),
                  SL("390", f"Trey Research {second}", name="Trey Research"),
                  SL("77", "something unknown", name="Nobody")], closing="754.50")
    # BC's behaviour: the short payment of C002 goes to review (the "beyond BC" setting
    # that applies it by itself is tested in tests/core/reconciliation)
    setup = MatchingSetupService(store)
    setup.save_settings(replace(setup.settings(), apply_underpayments=False))
    app = LettrageApp(Services(store, today=lambda: TODAY), log_path=tmp_path / "l.log")
    yield Company(store, app)
    store.engine.dispose()


def auto(company: Company) -> int:
    """Open the journal and apply automatically through the service (test setup)."""
    svc = company.recon
    jid = svc.open_journal("BANK1").id
    svc.apply_automatically(jid)
    return jid


async def open_journal(company: Company, pilot: object) -> ReconciliationJournalScreen:
    app = company.app
    await settle(pilot, app)
    screen = ReconciliationJournalScreen(app.ctx, "BANK1")
    await app.push_screen(screen)
    await settle(pilot, app)
    return screen


def counters(screen: ReconciliationJournalScreen) -> str:
    return str(screen.query_one("#counters", Static).render())


async def test_j_on_bank_accounts_opens_the_journal(company: Company) -> None:
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        assert isinstance(app.screen, BankAccountsScreen)
        await pilot.press("j")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ReconciliationJournalScreen)
        assert screen.table.row_count == 4
        assert "To review: 0" in counters(screen)
        assert "With difference: 4" in counters(screen)


async def test_apply_automatically_then_accept(company: Company) -> None:
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(company, pilot)
        await pilot.press("a")
        await settle(pilot, app)
        assert "To review: 1" in counters(screen)
        assert "With difference: 2" in counters(screen)
        assert "C001" in str(screen.table.get_row_at(0)[6])
        screen.table.move_cursor(row=2)
        await pilot.press("c")
        await settle(pilot, app)
        line = company.recon.lines(company.journal_id())[2]
        assert line.confidence == "accepted" and not line.needs_review
        assert "To review: 0" in counters(screen)


async def test_map_text_then_transfer_difference(company: Company) -> None:
    auto(company)
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(company, pilot)
        screen.table.move_cursor(row=1)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, MapTextModal)
        assert app.screen.query_one("#mapping_text", Input).value == "Bank fee January"
        app.screen.query_one("#credit_acc_no", Input).value = "6400"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert [m.credit_acc_no for m in company.recon.text_mappings()] == ["6400"]
        await pilot.press("a")
        await settle(pilot, app)
        assert company.recon.lines(company.journal_id())[1].account_no == "6400"

        screen.table.move_cursor(row=3)
        await pilot.press("t")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, TransferDifferenceModal)
        # issue #15: an unknown account keeps the dialog and what was typed
        modal.query_one("#account_no", Input).value = "4999"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal
        assert "4999" in str(modal.query_one("#error", Static).render())
        # F4 looks the account up; the choice goes into the field
        modal.query_one("#account_no", Input).focus()
        modal.query_one("#account_no", Input).value = "49"
        await pilot.press("f4")
        await settle(pilot, app)
        assert isinstance(app.screen, LookupModal)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is modal
        assert modal.query_one("#account_no", Input).value == "4900"
        # the description is edited, not replaced
        description = modal.query_one("#description", Input)
        description.focus()
        await pilot.press("end", "!")
        assert description.value == "something unknown!"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        line = company.recon.lines(company.journal_id())[3]
        assert (line.account_no, line.difference) == ("4900", 0)
        assert "With difference: 0" in counters(screen)


async def test_apply_manually_dialog(company: Company) -> None:
    auto(company)
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(company, pilot)
        screen.table.move_cursor(row=2)
        await pilot.press("m")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ApplyManuallyModal)
        entry = next(c for c in modal.candidates if c.document_no == "SI000002")
        modal.set_amount(entry.entry_no, "380")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        line = company.recon.lines(company.journal_id())[2]
        assert line.confidence == "manual" and str(line.applied_amount) == "380.00"
        assert str(line.difference) == "10.00"


async def test_review_queue_accept_and_skip(company: Company) -> None:
    jid = auto(company)
    queue = company.recon.review_queue(jid)
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        journal = await open_journal(company, pilot)
        await pilot.press("r")
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewQueueScreen)
        assert review.queue == queue
        assert review.query_one("#review-body").has_class("-narrow")
        target = queue.index(company.recon.lines(jid)[2].id)
        for _ in range(target):
            await pilot.press("space")
            await settle(pilot, app)
        assert review.line is not None and "Trey Research" in review.line.text
        assert "Evidence" in str(review.query_one("#review-evidence", Static).render())
        await pilot.press("c")
        await settle(pilot, app)
        assert company.recon.lines(jid)[2].confidence == "accepted"
        assert review.position == target + 1
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is journal
        assert "To review: 0" in counters(journal)


async def test_review_queue_transfers_a_difference(company: Company) -> None:
    jid = auto(company)
    unknown = company.recon.lines(jid)[3]
    queue = company.recon.review_queue(jid)
    assert unknown.id in queue
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        await open_journal(company, pilot)
        await pilot.press("r")
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewQueueScreen)
        for _ in range(queue.index(unknown.id)):
            await pilot.press("space")
            await settle(pilot, app)
        assert review.line is not None and review.line.id == unknown.id
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TransferDifferenceModal)
        app.screen.query_one("#account_no", Input).value = "4900"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is review
        line = company.recon.lines(jid)[3]
        assert (line.account_type, line.account_no, line.difference) == (
            "gl_account", "4900", 0)


async def test_post_and_reconcile_shows_the_message(company: Company) -> None:
    jid = auto(company)
    svc = company.recon
    lines = svc.lines(jid)
    svc.map_text_to_account(lines[1].id, "Bank fee", credit_acc_no="6400")
    svc.apply_automatically(jid)
    svc.transfer_difference(lines[3].id, "gl_account", "4900")
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(company, pilot)
        await pilot.press("p")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, PostModal)
        assert modal.query_one("#mode", Select).value == "reconcile"
        assert modal.query_one("#ending_balance", Input).value == "754.50"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        assert screen.posted_message
        shown = str(screen.query_one("#line-info", Static).render())
        assert shown == screen.posted_message
        assert svc.find_open_journal("BANK1") is None
        # posted: a and F9 leave the footer; pressing them says why
        assert screen.check_action("apply_auto", ()) is False
        assert screen.check_action("post", ()) is False
        footer = " ".join(str(k.render()) for k in screen.query("FooterKey"))
        assert "Auto" not in footer and "Post" not in footer
        await pilot.press("a")
        await pilot.pause()
        assert any("is posted" in str(n.message) for n in app._notifications)


async def test_toggles_details_and_preview(company: Company) -> None:
    auto(company)
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(company, pilot)
        await pilot.press("n")
        await settle(pilot, app)
        assert screen.table.row_count == 2 and "non-applied only" in counters(screen)
        await pilot.press("n", "s")
        await settle(pilot, app)
        assert screen.table.row_count == 4
        assert [ln.id for ln in screen.lines][:2] == company.recon.review_queue(
            company.journal_id())[:2]
        await pilot.press("d")
        await settle(pilot, app)
        assert isinstance(app.screen, TextModal)
        await pilot.press("escape")
        await pilot.press("v")
        await settle(pilot, app)
        assert app.screen is screen  # unapplied lines: the preview is refused ...
        assert company.recon.find_open_journal("BANK1") is not None  # ... nothing posted


async def test_journal_opened_after_an_import_applies_automatically(company: Company) -> None:
    """After an import the app opens the bank's journal with apply_after_open (see
    open_import): the fresh lines are applied without the clerk pressing a."""
    app = company.app
    assert all(ln.confidence == "none" for ln in company.recon.lines(
        company.recon.open_journal("BANK1").id))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = ReconciliationJournalScreen(app.ctx, "BANK1", apply_after_open=True)
        await app.push_screen(screen)
        await settle(pilot, app)
        lines = company.recon.lines(company.journal_id())
        assert (lines[0].confidence, lines[0].account_no) == ("high", "C001")
        assert "Applied 2/4" in counters(screen)


async def test_i_on_bank_accounts_opens_the_import_dialog(company: Company) -> None:
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        await pilot.press("i")
        for _ in range(3):  # not wait_for_complete: the file tree's loader never ends
            await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ImportStatementModal)
        assert modal.query_one("#bank", Select).value == "BANK1"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BankAccountsScreen)


async def test_enter_on_the_home_bank_figure_opens_the_journal(company: Company) -> None:
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        figures = app.screen.query_one("#figures", OptionList)
        figures.highlighted = next(i for i in range(figures.option_count)
                                   if figures.get_option_at_index(i).id == "bank:BANK1")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReconciliationJournalScreen)
        assert app.screen.bank_no == "BANK1" and app.screen.table.row_count == 4


async def test_journal_workers_post_typed_messages(company: Company) -> None:
    """Apply Automatically, Accept and Post answer with their typed messages, which the
    screen shows: the test waits for the messages, not for time."""
    messages = Messages()
    app = company.app
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot, app)
        await pilot.press("b", "j")  # screens the app opens report to the message hook
        opened = await messages.wait_for(pilot, journal.JournalOpened)
        screen = app.screen
        assert isinstance(screen, ReconciliationJournalScreen)
        assert opened.view.bank_account_no == "BANK1"
        claimed = await messages.wait_for(pilot, journal.JournalClaimed)
        assert claimed.result.ok
        await pilot.press("a")
        applied = await messages.wait_for(pilot, journal.LinesApplied)
        assert applied.view.lines_to_review == 1
        loaded = await messages.wait_for(pilot, LinesLoaded)
        assert [ln.id for ln in loaded.lines] == [ln.id for ln in screen.lines]
        assert "To review: 1" in counters(screen)
        screen.table.move_cursor(row=2)
        await pilot.press("c")
        accepted = await messages.wait_for(pilot, journal.LinesAccepted)
        assert accepted.lines[0].confidence == "accepted"
        await messages.wait_for(pilot, LinesLoaded)
        assert "To review: 0" in counters(screen)


async def test_apply_manually_picks_the_party_of_a_line_without_one(company: Company) -> None:
    """Issue #15: a line no party was found for offers c (customer) / v (vendor); the
    party's open entries come up and the line is applied to the one chosen."""
    later = invoice(company.store, "C001", "100", date(2025, 1, 20))
    auto(company)
    app = company.app
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_journal(company, pilot)
        screen.table.move_cursor(row=3)  # 77.00 "something unknown" from "Nobody"
        await pilot.press("m")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ApplyManuallyModal)
        assert not any(c.account_no == "C001" for c in modal.candidates)
        assert "c picks a customer" in str(modal.query_one("#apply-status", Static).render())
        await pilot.press("c")
        await settle(pilot, app)
        lookup = app.screen
        assert isinstance(lookup, LookupModal)
        lookup.query_one("#lookup-text", Input).value = "Adatum"
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is modal and modal.party == ("customer", "C001")
        assert {c.account_no for c in modal.candidates} == {"C001"}
        assert "to Customer C001" in str(modal.query_one("#apply-title", Static).render())
        target = next(c for c in modal.candidates if c.document_no == later)
        modal.query_one(DataTable).move_cursor(row=modal.candidates.index(target))
        await pilot.press("space")
        assert list(modal.applied) == [target.entry_no]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is screen
        line = company.recon.lines(company.journal_id())[3]
        assert (line.account_type, line.account_no) == ("customer", "C001")
        # 77.00 paid + the 2% discount of C001's 2/10N30 terms on the 100.00 invoice
        assert str(line.applied_amount) == "79.00" and line.confidence == "manual"
