"""Issue #15, text cut at 80 columns: the customer card's long values stay under their
own label, home keeps a bank's name, the audit trail says the highlighted entry in
full, a long confirmation says it scrolls, direct debit dates carry the year."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from core.i18n import set_language
from core.ledger.parties import PartyChanges, PartyService
from screens.audit.trail import AuditTrailScreen
from screens.ledger.party_card import PartyCardScreen, _lines
from screens.shared.confirm import ConfirmModal
from tests.ui_fixtures import settle
from tui.app import LettrageApp
from tui.bootstrap import Services
from tui.home import bank_label
from tui.widgets.formatting import short_date as _short

LONG_MAIL = "accounts.receivable@adatum-corporation-holding.example"


def test_card_lines_continue_under_the_value_not_under_the_labels() -> None:
    text = _lines([("Name", "Adatum"), ("E-mail", LONG_MAIL), ("VAT no.", "DE1")], width=37)
    lines = text.splitlines()
    assert lines[1].startswith("E-mail:  accounts.receivable@")
    assert lines[2].startswith(" " * 9) and lines[2].strip() in LONG_MAIL  # no label there
    assert lines[3].startswith("VAT no.: DE1")
    assert "".join(ln[9:] for ln in lines[1:3]) == LONG_MAIL
    assert all(len(ln) <= 37 for ln in lines)


async def test_card_shows_the_e_mail_on_its_own_label(app: LettrageApp,
                                                      services: Services) -> None:
    PartyService(services.store, user="anna").update_party(
        "customer", "C001", 1, PartyChanges(email=LONG_MAIL))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        card = PartyCardScreen(app.ctx, "customer", "C001")
        await app.push_screen(card)
        await settle(pilot, app)
        general = str(card.query_one("#general", Static).render()).splitlines()
        mail = next(i for i, ln in enumerate(general) if ln.startswith("E-mail:"))
        assert "accounts.receivable@" in general[mail]
        assert general[mail + 1].startswith(" ") and general[mail + 2].startswith("VAT no.:")
        width = card.query_one("#general", Static).content_region.width
        assert all(len(ln) <= width for ln in general)


def test_home_keeps_a_usual_bank_name_whole() -> None:
    for name in ("Hausbank operating account", "Checking account (checks)"):
        text = bank_label("BANK1", name)
        assert name in text and len(text) <= 52
    assert bank_label("BANK1", "x" * 80).endswith("…: unreconciled")


async def test_audit_info_line_says_the_highlighted_entry_in_full(
        app: LettrageApp, services: Services) -> None:
    PartyService(services.store, user="anna").update_party(
        "customer", "C001", 1, PartyChanges(city="Hamburg"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = AuditTrailScreen(app.ctx)
        await app.push_screen(screen)
        await settle(pilot, app)
        info = str(screen.query_one("#audit-info", Static).render()).splitlines()
        assert "anna" in info[0] and "C001" in info[0]
        assert info[1] == "City: Berlin → Hamburg"
        await pilot.press("down")
        await settle(pilot, app)
        info = str(screen.query_one("#audit-info", Static).render()).splitlines()
        assert "Register" in info[0]  # the fixture's postings are in the trail too


async def test_a_long_confirmation_says_it_scrolls(app: LettrageApp) -> None:
    body = "\n".join([f"G/L entry {i}" for i in range(30)] + ["Bank entries (1):", "BANK1"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        modal = ConfirmModal("Reverse transaction 7?", body)
        await app.push_screen(modal)
        await settle(pilot, app)
        keys = modal.query_one(".confirm-keys", Static)
        assert "PgDn: more" in str(keys.render())
        assert keys.region.bottom <= 24  # the keys line stays on the screen
        await pilot.press("end")
        await settle(pilot, app)
        scroll = modal.query_one("#confirm-body")
        assert scroll.scroll_y == scroll.max_scroll_y > 0
        await app.pop_screen()
        short = ConfirmModal("Reverse transaction 8?", "G/L entries (2):\n  a\n  b")
        await app.push_screen(short)
        await settle(pilot, app)
        assert "more" not in str(short.query_one(".confirm-keys", Static).render())


def test_direct_debit_dates_carry_the_year() -> None:
    assert _short(date(2026, 11, 30)) == "30 Nov 26"
    set_language("fr")
    try:
        assert _short(date(2026, 12, 15)) == "15 déc 26"
    finally:
        set_language("en")
    assert _short(None) == ""


def test_dialog_table_headers_fit_their_columns_in_both_languages() -> None:
    """Apply Entries printed ``InvoiceSI902003`` and ``RemainingDisc.poss.Max.tol.``:
    every header (a right-aligned one with its trailing blank) fits its column, and the
    columns fit the 76 cells inside a full-width dialog at 80 columns (78 beside the
    scroll bar of a full screen: the reconciliation journal)."""
    from rich.cells import cell_len

    from core.i18n import _
    from screens.application.apply_entries import COLUMNS as APPLY_ENTRIES
    from screens.reconciliation.apply_manually import COLUMNS as APPLY_MANUALLY
    from screens.reconciliation.journal_lines import COLUMNS as JOURNAL

    for language in ("en", "fr"):
        set_language(language)
        try:
            for columns, room in ((APPLY_ENTRIES, 76), (APPLY_MANUALLY, 76), (JOURNAL, 78)):
                assert sum(width for _n, width, _r in columns) <= room
                for name, width, right in columns:
                    assert cell_len(_(name)) + (1 if right else 0) <= width, (language, name)
        finally:
            set_language("en")
