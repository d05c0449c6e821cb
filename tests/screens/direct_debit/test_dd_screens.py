"""Pilot tests at 80x24: Direct Debit Collections (create, entries, export with the path
shown, exported twice refused, reject) and a customer's mandates (add one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

import core.tables  # noqa: F401
from core.direct_debit.service import DirectDebitService
from core.ledger.check import run_check
from core.ledger.models import JournalLine
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from screens.direct_debit.collections import DDCollectionsScreen
from screens.direct_debit.common import FormModal
from screens.direct_debit.entries import DDEntriesScreen
from screens.direct_debit.mandates import MandatesScreen
from tests.helpers import dd_ready, invoice, seed_basics
from tui.context import Context

TODAY = date(2025, 1, 10)
SIZE = (80, 24)


@dataclass
class FakeServices:
    store: SqlStore

    @property
    def direct_debit(self) -> DirectDebitService:
        return DirectDebitService(self.store, self.today, user="clerk")

    def today(self) -> date:
        return TODAY


class Host(App[None]):
    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(Screen())
        self.push_screen(self.first)


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'books.db'}")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    dd_ready(store, TODAY)
    invoice(store, "C001", "1000", TODAY)
    invoice(store, "C002", "400", TODAY)
    return store


def ctx(store: SqlStore) -> Context:
    return Context(FakeServices(store))  # type: ignore[arg-type]


def rows(table: DataTable[str]) -> list[list[str]]:
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _form(pilot, app, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    form = app.screen
    assert isinstance(form, FormModal)
    for name, value in values.items():
        form.query_one(f"#f-{name}", Input).value = value
    inputs = list(form.query(Input))
    inputs[-1].focus()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_create_export_reject(store: SqlStore, tmp_path: Path) -> None:
    app = Host(DDCollectionsScreen(ctx(store)))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await _form(pilot, app, {"from": "2025-02-01", "to": "2025-02-28", "bank": "BANK1"})
        table = app.screen.query_one(DataTable)
        assert rows(table)[0][1:4] == ["DD0001", "BANK1", "New"]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        entries = app.screen
        assert isinstance(entries, DDEntriesScreen)
        assert [r[1] for r in rows(entries.query_one(DataTable))] == ["C001", "C002"]
        out = tmp_path / "dd.xml"
        await pilot.press("e")
        await _form(pilot, app, {"path": str(out)})
        assert out.exists()
        info = str(entries.query_one("#dde-info", Static).render())
        assert "File Created" in info and str(out) in info
        await pilot.press("e")  # exported twice: refused, nothing written
        await _form(pilot, app, {"path": str(tmp_path / "again.xml")})
        assert not (tmp_path / "again.xml").exists()
        await pilot.press("r")
        await _form(pilot, app, {"reason": "MD06"})
        assert rows(entries.query_one(DataTable))[0][6:8] == ["Rejected", "MD06"]
    assert run_check(store).ok


async def test_customer_mandates(store: SqlStore) -> None:
    app = Host(MandatesScreen(ctx(store), "C001"))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r[0] for r in rows(app.screen.query_one(DataTable))] == ["M-C001"]
        await pilot.press("n")
        await _form(pilot, app, {"id": "M-C001-B", "from": "2025-01-10", "expected": "3"})
        assert [r[0] for r in rows(app.screen.query_one(DataTable))] == ["M-C001",
                                                                          "M-C001-B"]
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows(app.screen.query_one(DataTable))[0][6] == "blocked"


async def test_edit_journal_only_and_status_report(store: SqlStore, tmp_path: Path) -> None:
    app = Host(DDCollectionsScreen(ctx(store)))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await _form(pilot, app, {"from": "2025-02-01", "to": "2025-02-28", "bank": "BANK1",
                                 "partner": "robot"})
        assert rows(app.screen.query_one(DataTable)) == []  # refused, nothing created
        await pilot.press("c")
        await _form(pilot, app, {"from": "2025-02-01", "to": "2025-02-28", "bank": "BANK1",
                                 "partner": "person"})
        listed = rows(app.screen.query_one(DataTable))
        assert listed[0][3:6] == ["New", "01 Feb 25", "28 Feb 25"]  # short_date
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        entries = app.screen
        assert isinstance(entries, DDEntriesScreen)
        assert rows(entries.query_one(DataTable))[0][3] == "09 Feb 25"
        await pilot.press("enter")  # edit the New entry: a past date is refused
        await _form(pilot, app, {"date": "2025-01-09", "amount": "900"})
        assert rows(entries.query_one(DataTable))[0][3:5] == ["09 Feb 25", "1,000.00"]
        await pilot.press("enter")
        await _form(pilot, app, {"date": "2025-02-12", "amount": "900"})
        assert rows(entries.query_one(DataTable))[0][3:5] == ["12 Feb 25", "900.00"]
        out = tmp_path / "dd.xml"
        await pilot.press("e")
        await _form(pilot, app, {"path": str(out)})
        e2e = DirectDebitService(store, lambda: TODAY).entries(1)[1].transaction_id
        await pilot.press("j")
        await _form(pilot, app, {"batch": "DIRDEBIT"})
        assert rows(entries.query_one(DataTable))[0][6] == "File Created"  # not posted
        report = tmp_path / "status.xml"
        report.write_text(
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">'
            "<CstmrPmtStsRpt><GrpHdr><MsgId>STS-9</MsgId></GrpHdr><OrgnlGrpInfAndSts>"
            "<OrgnlMsgId>DD0001</OrgnlMsgId></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts>"
            f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
            "<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>"
            "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>")
        await pilot.press("i")
        await _form(pilot, app, {"path": str(report)})
        assert rows(entries.query_one(DataTable))[1][6:8] == ["Rejected", "AC04"]
    with store.read() as s:  # its payment line left the journal, the other one waits
        lines = s.exec(select(JournalLine)).all()
        assert [ln.account_no for ln in lines] == ["C001"]
    assert run_check(store).ok
