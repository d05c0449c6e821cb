"""Cash receipt journal, Apply Entries, the tolerance warnings, the application setup,
unapply and reverse, driven with real keys; results asserted through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from textual.widgets import Checkbox, Input

from core.application.journal import JournalLineInput
from core.application.tolerance import SetupChanges
from core.queries.types import LedgerFilter, PageRequest
from screens.application.apply_entries import ApplyEntriesModal
from screens.application.batches import BatchPickerModal
from screens.application.cash_journal import (
    ApplyViewLoaded,
    BatchPosted,
    CashReceiptJournalScreen,
    EntriesMarked,
    LineAdded,
)
from screens.application.entry_actions import DateDocumentModal
from screens.application.journal_lines import BatchLoaded
from screens.application.line_form import AccountChecked, JournalLineModal
from screens.application.setup import ApplicationSetupScreen, ChangeToleranceModal
from screens.application.tolerance_dialogs import (
    DecisionsMade,
    LateDiscountWarningModal,
    PaymentToleranceWarningModal,
)
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_card import PartyCardScreen
from screens.ledger.party_edit import PartyEditModal
from screens.ledger.registers import RegistersScreen
from screens.reconciliation.dialogs import TextModal
from screens.shared.confirm import ConfirmModal
from tests.helpers import payment
from tests.ui_fixtures import Messages, settle
from tui.app import LettrageApp
from tui.bootstrap import Services

DAY = date(2025, 1, 10)  # C001's invoices (2/10N30) are all inside their discount date


def _entries(services: Services, party_no: str = "C001") -> dict[str, object]:
    page = services.queries.ledger_entries(LedgerFilter("customer", party_no),
                                           PageRequest(limit=50))
    return {e.document_no: e for e in page.rows}


def _batch_id(services: Services) -> int:
    return services.journal.batches("cash_receipt")[0].id


async def test_enter_apply_preview_and_post_a_payment(app: LettrageApp,
                                                      services: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("k")
        await settle(pilot, app)
        assert isinstance(app.screen, CashReceiptJournalScreen)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, JournalLineModal)
        form.query_one("#account_no", Input).value = "C001"
        form.query_one("#posting_date", Input).value = DAY.isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        (line,) = services.journal.lines(_batch_id(services))
        assert (line.account_no, line.description, line.document_no) == (
            "C001", "Adatum Corporation", "CR000001")

        await pilot.press("a")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ApplyEntriesModal)
        assert [r.document_no for r in modal.rows][:2] == ["SI000001", "SI000003"]
        await pilot.press("space", "space")
        assert "Pmt. disc. -8.00" in modal.totals_text()
        assert "line amount -392.00" in modal.totals_text()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        (line,) = services.journal.lines(_batch_id(services))
        assert (line.amount, line.applies_to_id) == (Decimal("-392"), "CR000001")

        await pilot.press("v")
        await settle(pilot, app)
        assert isinstance(app.screen, TextModal)
        await pilot.press("escape")
        assert services.journal.lines(_batch_id(services))  # the preview wrote nothing
        await pilot.press("f9")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot, app)
        assert services.journal.lines(_batch_id(services)) == []
        entries = _entries(services)
        assert not entries["SI000001"].open and not entries["SI000003"].open  # type: ignore[attr-defined]
        assert entries["SI000005"].open  # type: ignore[attr-defined]


async def test_line_that_cannot_post_says_why_and_post_is_refused(
        app: LettrageApp, services: Services) -> None:
    services.journal.add_line(_batch_id(services), JournalLineInput(DAY, "C999",
                                                                    Decimal("-5")))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CashReceiptJournalScreen(app.ctx))
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CashReceiptJournalScreen) and screen.state is not None
        assert "C999 does not exist" in str(screen.query_one("#line-info").render())
        await pilot.press("f9")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmModal)  # refused with a notification
        assert services.journal.lines(_batch_id(services))


async def test_payment_tolerance_warning_accept_posts_tolerance(
        app: LettrageApp, services: Services) -> None:
    services.tolerance.change_payment_tolerance("0", "5")
    services.journal.add_line(_batch_id(services), JournalLineInput(
        DAY, "C001", Decimal("-291"), applies_to_doc_no="SI000003"))  # 294 due: 3 short
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CashReceiptJournalScreen(app.ctx))
        await settle(pilot, app)
        await pilot.press("p", "y")
        await settle(pilot, app)
        assert isinstance(app.screen, PaymentToleranceWarningModal)
        await pilot.press("up", "enter")  # "Post the balance as payment tolerance"
        await settle(pilot, app)
        assert services.journal.lines(_batch_id(services)) == []
        assert not _entries(services)["SI000003"].open  # type: ignore[attr-defined]


async def test_escape_on_a_warning_posts_nothing(app: LettrageApp,
                                                 services: Services) -> None:
    services.tolerance.change_payment_tolerance("0", "5")
    services.journal.add_line(_batch_id(services), JournalLineInput(
        DAY, "C001", Decimal("-291"), applies_to_doc_no="SI000003"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CashReceiptJournalScreen(app.ctx))
        await settle(pilot, app)
        await pilot.press("f9", "y")
        await settle(pilot, app)
        assert isinstance(app.screen, PaymentToleranceWarningModal)
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(services.journal.lines(_batch_id(services))) == 1
        assert _entries(services)["SI000003"].open  # type: ignore[attr-defined]


async def test_ledger_apply_post_unapply_and_reverse(app: LettrageApp,
                                                     services: Services) -> None:
    payment(services.store, "C001", "98", date(2025, 1, 8), doc_no="PAY9")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LedgerEntriesScreen(app.ctx, "customer", "C001"))
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, LedgerEntriesScreen)
        assert screen.table.cursor_value.document_no == "PAY9"  # type: ignore[union-attr]
        await pilot.press("a")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ApplyEntriesModal)
        await pilot.press("space")  # SI000001: 100 less 2 discount
        assert "Balance 0.00" in modal.totals_text()
        await pilot.press("f9")
        await settle(pilot, app)
        assert isinstance(app.screen, DateDocumentModal)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        entries = _entries(services)
        assert not entries["SI000001"].open and not entries["PAY9"].open  # type: ignore[attr-defined]

        await pilot.press("U")
        await settle(pilot, app)
        assert isinstance(app.screen, DateDocumentModal)
        await pilot.press("enter")
        await settle(pilot, app)
        entries = _entries(services)
        assert entries["SI000001"].remaining_amount == Decimal("100")  # type: ignore[attr-defined]
        assert entries["PAY9"].open  # type: ignore[attr-defined]

        await pilot.press("R")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot, app)
        pays = [e for e in services.queries.ledger_entries(
            LedgerFilter("customer", "C001"), PageRequest(limit=50)).rows
            if e.document_no == "PAY9"]
        assert len(pays) == 2 and all(p.reversed and not p.open for p in pays)


async def test_unapply_without_application_is_refused(
        app: LettrageApp, services: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LedgerEntriesScreen(app.ctx, "customer", "C001"))
        await settle(pilot, app)
        await pilot.press("U")
        await settle(pilot, app)
        assert isinstance(app.screen, LedgerEntriesScreen)  # refused: nothing to unapply


async def test_reverse_register(app: LettrageApp, services: Services) -> None:
    payment(services.store, "C001", "10", date(2025, 2, 1), doc_no="PAY7")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RegistersScreen(app.ctx))
        await settle(pilot, app)
        await pilot.press("R")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot, app)
        (pay, reversal) = [e for e in services.queries.ledger_entries(
            LedgerFilter("customer", "C001"), PageRequest(limit=50)).rows
            if e.document_no == "PAY7"]
        assert pay.reversed and reversal.reversed


async def test_setup_saves_with_version_check_and_changes_tolerance(
        app: LettrageApp, services: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ApplicationSetupScreen(app.ctx))
        await settle(pilot, app)
        screen = app.screen
        screen.query_one("#pmt_disc_grace_days", Input).value = "3"
        screen.query_one("#payment_tolerance_warning", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        setup = services.tolerance.setup()
        assert (setup.pmt_disc_grace_days, setup.payment_tolerance_warning) == (3, False)

        # another clerk saves meanwhile
        services.tolerance.update_setup(None, SetupChanges(pmt_disc_grace_days=4))
        screen.query_one("#pmt_disc_grace_days", Input).value = "7"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert services.tolerance.setup().pmt_disc_grace_days == 4  # refused

        await pilot.press("f5")
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ChangeToleranceModal)
        modal.query_one("#pct", Input).value = "1"
        modal.query_one("#max_amount", Input).value = "4"
        await pilot.press("ctrl+s", "y")
        await settle(pilot, app)
        setup = services.tolerance.setup()
        assert (setup.payment_tolerance_pct, setup.max_payment_tolerance) == (
            Decimal("1"), Decimal("4"))
        assert _entries(services)["SI000005"].max_payment_tolerance == Decimal(  # type: ignore[attr-defined]
            "4.00")


async def test_block_payment_tolerance_on_the_card(app: LettrageApp,
                                                   services: Services) -> None:
    services.tolerance.change_payment_tolerance("0", "5")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(PartyCardScreen(app.ctx, "customer", "C001"))
        await settle(pilot, app)
        await pilot.press("f2")
        await settle(pilot, app)
        assert isinstance(app.screen, PartyEditModal)
        app.screen.query_one("#block_payment_tolerance", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert services.queries.party_card("customer", "C001").block_payment_tolerance
        assert _entries(services)["SI000005"].max_payment_tolerance == 0  # type: ignore[attr-defined]


async def test_create_and_switch_batch(app: LettrageApp, services: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CashReceiptJournalScreen(app.ctx))
        await settle(pilot, app)
        await pilot.press("b")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, BatchPickerModal)
        await pilot.press("down", "enter")  # "+ New batch…"
        picker.query_one("#name", Input).value = "lockbox"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CashReceiptJournalScreen) and screen.state is not None
        assert screen.state.batch.name == "LOCKBOX"
        assert [b.name for b in services.journal.batches("cash_receipt")] == [
            "DEFAULT", "LOCKBOX"]


async def test_amount_to_apply_is_typed_in_the_entry_sign(app: LettrageApp,
                                                           services: Services) -> None:
    payment(services.store, "C001", "50", date(2025, 1, 8), doc_no="PAY8")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LedgerEntriesScreen(app.ctx, "customer", "C001"))
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, ApplyEntriesModal)
        await pilot.press("e")
        modal.query_one("#apply-amount", Input).value = "40"
        await pilot.press("enter", "ctrl+s")
        await settle(pilot, app)
        first = _entries(services)["SI000001"]
        assert (first.applies_to_id, first.amount_to_apply) == (  # type: ignore[attr-defined]
            "PAY8", Decimal("40"))


async def test_late_discount_warning_accepted(app: LettrageApp, services: Services) -> None:
    """Paid on 01-13, two days after SI000001's discount date, within the 5-day grace."""
    services.journal.add_line(_batch_id(services), JournalLineInput(
        date(2025, 1, 13), "C001", Decimal("-98"), applies_to_doc_no="SI000001"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CashReceiptJournalScreen(app.ctx))
        await settle(pilot, app)
        await pilot.press("f9", "y")
        await settle(pilot, app)
        assert isinstance(app.screen, LateDiscountWarningModal)
        await pilot.press("up", "enter")
        await settle(pilot, app)
        assert not _entries(services)["SI000001"].open  # type: ignore[attr-defined]


async def test_delete_keeps_the_cursor_in_place(app: LettrageApp, services: Services) -> None:
    batch = _batch_id(services)
    for amount in ("-10", "-20", "-30"):
        services.journal.add_line(batch, JournalLineInput(DAY, "C001", Decimal(amount)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("k")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CashReceiptJournalScreen)
        screen.table.move_cursor(row=1)
        await pilot.press("x")
        await settle(pilot, app)
        if isinstance(app.screen, ConfirmModal):
            await pilot.press("y")
            await settle(pilot, app)
        amounts = [ln.amount for ln in services.journal.lines(batch)]
        assert amounts == [Decimal("-10"), Decimal("-30")]
        assert screen.table.cursor_row == 1  # on the line after the deleted one
        assert screen.current() is not None and screen.current().amount == Decimal("-30")


async def test_unknown_accounts_are_named_on_the_line(app: LettrageApp,
                                                     services: Services) -> None:
    """Customer C99999 and balancing account 100- (issue #15): the line says why, not
    'the amount must not be zero'."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("k")
        await settle(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, JournalLineModal)
        form.query_one("#account_no", Input).value = "C99999"
        form.query_one("#bal_account_no", Input).value = "100-"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        journal = app.screen
        assert isinstance(journal, CashReceiptJournalScreen)
        info = str(journal.query_one("#line-info").render())
        assert "Customer C99999 does not exist" in info
        reasons = [e.message for e in services.journal.line_errors(_batch_id(services))]
        assert any("Bal. account" in r and "100-" in r for r in reasons)
        assert not any("must not be zero" in r for r in reasons)


async def test_the_form_names_the_account_when_the_clerk_leaves_the_field(
        app: LettrageApp, services: Services) -> None:
    """Validated when entered (issue #15): leaving Account no. with an unknown customer
    says so on the form at once, in red; a known one shows its name; the balancing
    account is checked against its own type."""
    messages = Messages()
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot, app)
        await pilot.press("k")
        await messages.wait_for(pilot, BatchLoaded)
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, JournalLineModal)
        echo = form.query_one("#account-echo")
        await pilot.press(*"C99999", "tab")
        checked = await messages.wait_for(pilot, AccountChecked)
        assert not checked.known
        assert str(echo.render()) == "Customer C99999 does not exist: F4 looks it up."
        assert echo.has_class("unknown")
        await pilot.press("shift+tab", *["backspace"] * 6, *"C001", "tab")
        checked = await messages.wait_for(pilot, AccountChecked)
        assert checked.known
        assert str(echo.render()).startswith("Customer C001: Adatum Corporation")
        assert not echo.has_class("unknown")
        form.query_one("#bal_account_no", Input).focus()
        await pilot.press(*"NOBANK", "tab")
        checked = await messages.wait_for(pilot, AccountChecked)
        assert (checked.field, checked.known) == ("bal_account_no", False)
        assert "Bank account NOBANK does not exist" in str(echo.render())
        assert app.screen is form  # nothing saved yet: the clerk corrects first


async def test_journal_workers_post_typed_messages(app: LettrageApp,
                                                   services: Services) -> None:
    """Each write of the cash receipt journal answers with its typed message: the test
    waits for LineAdded, EntriesMarked, DecisionsMade and BatchPosted, not for time."""
    messages = Messages()
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot, app)
        await pilot.press("k")
        loaded = await messages.wait_for(pilot, BatchLoaded)
        assert loaded.state.lines == ()
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, JournalLineModal)
        form.query_one("#account_no", Input).value = "C001"
        form.query_one("#posting_date", Input).value = DAY.isoformat()
        await pilot.press("ctrl+s")
        added = await messages.wait_for(pilot, LineAdded)
        assert (added.line.account_no, added.line.document_no) == ("C001", "CR000001")
        await pilot.press("a")
        await messages.wait_for(pilot, ApplyViewLoaded)
        await pilot.press("space", "ctrl+s")
        marked = await messages.wait_for(pilot, EntriesMarked)
        assert marked.line.applies_to_id == "CR000001"
        await pilot.press("f9", "y")
        decided = await messages.wait_for(pilot, DecisionsMade)
        assert decided.answers == {}
        posted = await messages.wait_for(pilot, BatchPosted)
        assert not posted.preview and posted.result.document_nos == ("CR000001",)
        assert services.journal.lines(_batch_id(services)) == []
