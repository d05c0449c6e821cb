"""Payment Registration and sales documents at 80x24, driven with real keys; results
asserted through the services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import SQLModel
from textual.widgets import Input

import core.tables  # noqa: F401
from core.ledger.setup import create_company
from core.queries.types import LedgerFilter, PageRequest
from core.registration.items import ItemView
from core.registration.marks import RegistrationRow
from core.registration.models import PaymentMethod
from core.registration.sales_types import SalesDocumentInput
from data.engine import SqlStore, make_engine
from screens.reconciliation.dialogs import TextModal
from screens.registration.forms import FormModal
from screens.registration.payment_registration import PaymentRegistrationScreen
from screens.registration.sales_documents import SalesCardScreen, SalesDocumentsScreen
from screens.registration.setup_screens import PaymentMethodsScreen
from screens.shared.confirm import ConfirmModal
from screens.shared.lookup import LookupModal
from tests.core.registration.reg_support import sales_invoice
from tests.helpers import seed_basics
from tui.app import LettrageApp
from tui.bootstrap import Services

TODAY = date(2025, 1, 10)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    engine = make_engine(f"sqlite:///{tmp_path / 'company.db'}")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    with store.write() as s:
        s.add(PaymentMethod(code="PAYPAL", description="PayPal", bal_account_type="gl_account",
                            bal_account_no="1150"))
    yield Services(store, today=lambda: TODAY)
    engine.dispose()


@pytest.fixture
def app(services: Services, tmp_path: Path) -> LettrageApp:
    return LettrageApp(services, log_path=tmp_path / "lettrage.log")


async def settle(pilot: object, app: LettrageApp, rounds: int = 4) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _open(services: Services, party_no: str) -> dict[str, object]:
    page = services.queries.ledger_entries(LedgerFilter("customer", party_no),
                                           PageRequest(limit=50))
    return {e.document_no: e for e in page.rows}


def _fill(form: FormModal, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#f-{name}", Input).value = value


async def test_register_payment_with_discount_and_a_lump(app: LettrageApp,
                                                        services: Services) -> None:
    inv1 = sales_invoice(services.store, "C001", "1000", date(2025, 1, 5))
    inv2 = sales_invoice(services.store, "C001", "500", date(2025, 1, 6))
    inv3 = sales_invoice(services.store, "C001", "200", date(2025, 1, 7))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, PaymentRegistrationScreen)
        rows: list[RegistrationRow] = screen.table.loaded_rows
        assert [r.document_no for r in rows] == [inv1, inv2, inv3]
        await pilot.press("space")  # Payment Made on the first row: 980 on the work date
        await settle(pilot, app)
        mark = screen.marks[rows[0].entry_no]
        assert mark.amount_received == Decimal("980.00") and mark.date_received == TODAY
        assert "rem. 0.00" in str(screen.query_one("#status").render())
        await pilot.press("f9")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not _open(services, "C001")[inv1].open  # type: ignore[attr-defined]
        assert [r.document_no for r in screen.table.loaded_rows] == [inv2, inv3]
        await pilot.press("space", "down", "space", "l")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        assert "as a lump sum of 686.00" in app.screen.question  # 490 + 196
        await pilot.press("enter")
        await settle(pilot, app)
        entries = _open(services, "C001")
        assert not entries[inv2].open and not entries[inv3].open  # type: ignore[attr-defined]
        assert screen.table.loaded_rows == []


async def test_edit_amount_details_preview_and_find(app: LettrageApp,
                                                   services: Services) -> None:
    inv = sales_invoice(services.store, "C001", "1000", date(2025, 1, 5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, PaymentRegistrationScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormModal)
        _fill(form, date="2025-01-20", amount="980")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        row = screen.table.loaded_rows[0]
        assert screen.marks[row.entry_no].remaining_after == Decimal(20)
        assert screen.row_style(row) == "overdue"  # the discount date is passed: red
        await pilot.press("i")
        await settle(pilot, app)
        _fill(app.screen, disc="2025-01-20")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert screen.marks[row.entry_no].remaining_after == 0
        await pilot.press("v")
        await settle(pilot, app)
        assert isinstance(app.screen, TextModal) and "Preview" in app.screen.body
        await pilot.press("escape", "f")
        await settle(pilot, app)
        _fill(app.screen, amount="1000", tol="10")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, TextModal) and inv in app.screen.body
        await pilot.press("escape", "escape")  # ticked rows: BC asks before closing
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot, app)
        assert app.screen is screen
        assert _open(services, "C001")[inv].open  # type: ignore[attr-defined]


async def test_sales_invoice_card_post_paid_at_once(app: LettrageApp,
                                                    services: Services) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        assert isinstance(app.screen, SalesDocumentsScreen)
        await pilot.press("n")
        await settle(pilot, app)
        _fill(app.screen, customer="C002", method="PAYPAL")  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        card = app.screen
        assert isinstance(card, SalesCardScreen)
        await pilot.press("n")
        await settle(pilot, app)
        _fill(app.screen, price="100", qty="2", vat="19",  # type: ignore[arg-type]
              description="Chairs")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert card.doc is not None and card.doc.totals.amount_incl_vat == Decimal("238.00")
        assert "Total 238.00" in str(card.query_one("#totals").render())
        await pilot.press("f9")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SalesDocumentsScreen)
        page = services.queries.ledger_entries(LedgerFilter("customer", "C002"))
        assert sorted((e.document_type, e.open) for e in page.rows) == [
            ("invoice", False), ("payment", False)]
        await pilot.press("m")
        await settle(pilot, app)
        assert isinstance(app.screen, PaymentMethodsScreen)
        assert [m.code for m in app.screen.table.loaded_rows] == ["PAYPAL"]


async def test_customer_card_keys(app: LettrageApp, services: Services) -> None:
    from textual.widgets import Select

    from screens.ledger.party_card import PartyCardScreen

    sales_invoice(services.store, "C001", "100", date(2025, 1, 5))
    inv = sales_invoice(services.store, "C002", "200", date(2025, 1, 5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.push_screen(PartyCardScreen(app.ctx, "customer", "C002"))
        await settle(pilot, app)
        await pilot.press("p")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#f-method", Select).value = "PAYPAL"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert services.registration_setup.customer_payment_method("C002") == "PAYPAL"
        await pilot.press("x")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, PaymentRegistrationScreen)
        assert [r.document_no for r in screen.table.loaded_rows] == [inv]


async def test_item_line_by_f4_lookup(app: LettrageApp, services: Services) -> None:
    services.sales.items.save(ItemView("SERV-01", "Consulting hour", Decimal("95.00"),
                                       Decimal("19"), "4200"))
    doc = services.sales.create(SalesDocumentInput("invoice", "C001", TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.push_screen(SalesCardScreen(app.ctx, doc.id))
        await settle(pilot, app)
        card = app.screen
        await pilot.press("n")
        await settle(pilot, app)
        form = app.screen
        assert isinstance(form, FormModal)
        await pilot.press("tab", "f4")  # the No. field, then its lookup
        await settle(pilot, app)
        assert isinstance(app.screen, LookupModal)
        await pilot.press(*"consult")
        await settle(pilot, app, rounds=8)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is form
        assert form.values()["type"] == "item" and form.values()["price"] == "95.00"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(card, SalesCardScreen) and card.doc is not None
        line = card.doc.lines[0]
        assert (line.line_type, line.no, line.description) == ("item", "SERV-01",
                                                               "Consulting hour")
        assert card.doc.totals.amount_incl_vat == Decimal("113.05")
