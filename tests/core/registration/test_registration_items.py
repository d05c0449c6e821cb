"""Items and service codes on sales lines: defaults from the item, posting to its G/L
account, blocked and unknown items refused, the CSV load and the command line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlmodel import select

from core.kernel.errors import NotFoundError, PostingError
from core.ledger.check import run_check
from core.ledger.models import GLEntry
from core.ledger.setup import create_company
from core.registration.items import ItemView
from core.registration.sales import SalesService
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from tests.helpers import seed_basics
from tui.bootstrap import open_store
from tui.cli import main

DAY = date(2025, 3, 3)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('items') / 'items.db'}"
    store = open_store(url)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    SalesService(store, user="tester").items.save_many([
        ItemView("SERV-01", "Consulting hour", D("95.00"), D("19"), "4200"),
        ItemView("OLD", "Retired service", D("10.00"), D("0"), "4200", blocked=True)])
    store.engine.dispose()
    return url


def test_item_line_takes_the_item_defaults_and_posts_to_its_account(db: str) -> None:
    store = open_store(db)
    sales = SalesService(store, user="tester")
    line = sales.items.line("serv-01", D(2))
    assert (line.no, line.unit_price, line.vat_pct, line.description, line.line_type) == (
        "SERV-01", D("95.00"), D("19"), "Consulting hour", "item")
    doc = sales.create(SalesDocumentInput("invoice", "C001", DAY, (line,)))
    assert doc.totals.amount_incl_vat == D("226.10")  # 190 + 19 % VAT
    posted = sales.post(doc.id).document_nos[0]
    with store.read() as s:
        income = s.exec(select(GLEntry).where(GLEntry.document_no == posted,
                                              GLEntry.gl_account_no == "4200")).one()
    assert income.amount == -19000
    assert run_check(store).ok


def test_unknown_blocked_and_bad_items_are_refused(db: str) -> None:
    sales = SalesService(open_store(db), user="tester")
    with pytest.raises(NotFoundError, match="item NOPE does not exist"):
        sales.create(SalesDocumentInput("invoice", "C001", DAY, (
            SalesLineInput("NOPE", D(1), D(1), line_type="item"),)))
    with pytest.raises(PostingError, match=r"item OLD \(Retired service\) is blocked"):
        sales.create(SalesDocumentInput("invoice", "C001", DAY, (
            SalesLineInput("OLD", D(1), D(1), line_type="item"),)))
    with pytest.raises(NotFoundError, match="G/L account 9999 does not exist"):
        sales.items.save(ItemView("X", "x", D(1), D(0), "9999"))
    with pytest.raises(PostingError, match="VAT % must be between 0 and 100"):
        sales.items.save(ItemView("X", "x", D(1), D(120), "4100"))


def test_command_line_loads_lists_and_posts_items(db: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = tmp_path / "items.csv"
    csv_file.write_text("no,description,unit_price,vat_pct,gl_account_no\n"
                        "DELIVERY,Delivery,35.00,19,4200\n")
    capsys.readouterr()
    assert main(["--db", db, "sales", "items", "--load", str(csv_file), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["loaded"] == 1
    assert {"no": "DELIVERY", "description": "Delivery", "unit_price": "35.00",
            "vat_pct": "19", "gl_account_no": "4200", "blocked": False} in out["items"]
    docs = tmp_path / "docs.json"
    docs.write_text(json.dumps([{"customer": "C002", "posting_date": "2025-03-04", "lines": [
        {"item": "DELIVERY"}, {"item": "SERV-01", "quantity": 3, "unit_price": "90"}]}]))
    assert main(["--db", db, "sales", "post", str(docs), "--json"]) == 0
    posted = json.loads(capsys.readouterr().out)["documents"][0]
    assert posted["amount"] == "362.95"  # (35 + 270) x 1.19
    bad = tmp_path / "bad.csv"
    bad.write_text("no,description\nA,b\n")
    assert main(["--db", db, "sales", "items", "--load", str(bad)]) == 1
    assert "missing column(s) unit_price, vat_pct, gl_account_no" in capsys.readouterr().err
