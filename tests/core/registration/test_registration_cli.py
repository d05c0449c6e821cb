"""``lettrage sales post`` and ``lettrage registration list|post`` on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.ledger.check import run_check
from core.ledger.setup import create_company
from tests.helpers import seed_basics
from tui.bootstrap import open_store
from tui.cli import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    store = open_store(url)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    store.engine.dispose()
    return url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_sales_post_then_register_payment_and_lump(db: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs.json"
    docs.write_text(json.dumps([
        {"type": "invoice", "customer": "C001", "posting_date": "2025-01-05",
         "lines": [{"account": "4100", "quantity": 2, "unit_price": "500", "vat_pct": 0}]},
        {"type": "invoice", "customer": "C002", "posting_date": "2025-01-05",
         "lines": [{"account": "4200", "unit_price": "100"}]},
        {"type": "invoice", "customer": "C002", "posting_date": "2025-01-06",
         "lines": [{"account": "4200", "unit_price": "50"}]}]))
    rc, out, _ = _run(capsys, "--db", db, "sales", "post", str(docs), "--json")
    assert rc == 0
    nos = [d["document_no"] for d in json.loads(out)["documents"]]
    assert len(nos) == 3 and json.loads(out)["documents"][0]["amount"] == "1000.00"
    rc, out, _ = _run(capsys, "--db", db, "registration", "list", "--customer", "C001",
                      "--json")
    rows = json.loads(out)["rows"]
    assert [(r["document_no"], r["rem_after_discount"]) for r in rows] == [(nos[0], "980.00")]
    pay = tmp_path / "pay.csv"
    pay.write_text(f"document_no,date_received,amount_received\n{nos[0]},2025-01-10,980\n")
    rc, out, _ = _run(capsys, "--db", db, "registration", "post", str(pay), "--json")
    assert rc == 0 and json.loads(out)["payments"] == ["CR000001"]
    lump = tmp_path / "lump.csv"
    lump.write_text("document_no,date_received,amount_received\n"
                    f"{nos[1]},2025-01-20,100\n{nos[2]},2025-01-20,50\n")
    rc, out, _ = _run(capsys, "--db", db, "registration", "post", str(lump), "--lump")
    assert rc == 0 and "Posted 1 payment(s) for 2 document(s)" in out
    rc, out, _ = _run(capsys, "--db", db, "registration", "list", "--json")
    assert json.loads(out)["rows"] == []
    store = open_store(db)
    assert run_check(store).ok
    store.engine.dispose()


def test_bad_files_say_what_and_where(db: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs.json"
    docs.write_text(json.dumps([{"type": "invoice", "customer": "C001",
                                 "posting_date": "2025-13-01", "lines": []}]))
    rc, _, err = _run(capsys, "--db", db, "sales", "post", str(docs))
    assert rc == 1 and "document 1 posting_date: '2025-13-01' is not a date" in err
    pay = tmp_path / "pay.csv"
    pay.write_text("document_no,date_received,amount_received\nNOPE,2025-01-10,1\n")
    rc, _, err = _run(capsys, "--db", db, "registration", "post", str(pay))
    assert rc == 1 and "row 2 document_no: no open customer document 'NOPE'" in err
