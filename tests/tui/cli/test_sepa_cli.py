"""``lettrage sepa mandates|collect|export|reject|post`` and the direct debit loads, run
in-process through ``main`` on a SQLite company; ``lettrage check`` stays green."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from core.direct_debit.pain008 import schema
from data.engine import SqlStore, make_engine
from tests.helpers import dd_ready, invoice, seed_basics
from tui.cli import main

TODAY = date.today()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = str(tmp_path / "books.db")
    assert main(["--db", url, "init", "--name", "Test GmbH"]) == 0
    store = SqlStore(make_engine(url))
    seed_basics(store)
    dd_ready(store, TODAY)
    invoice(store, "C001", "1000", TODAY)
    invoice(store, "C002", "400", TODAY)
    store.engine.dispose()
    return url


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_sepa_commands(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mandates = _json(capsys, "--db", db, "sepa", "mandates", "--json")
    assert [m["id"] for m in mandates] == ["M-C001", "M-C002"]
    one = _json(capsys, "--db", db, "sepa", "mandates", "--customer", "C002", "--json")
    assert [m["iban"] for m in one] == ["FR1420041010050500013M02606"]
    end = (TODAY + timedelta(days=60)).isoformat()
    c = _json(capsys, "--db", db, "sepa", "collect", "--from", TODAY.isoformat(), "--to", end,
              "--bank-account", "BANK1", "--json")
    assert c["entries"] == 2 and c["total"] == "1400.00"
    entry = c["entries_list"][0]["id"]
    out = tmp_path / "dd.xml"
    res = _json(capsys, "--db", db, "sepa", "export", "--collection", str(c["no"]),
                "--out", str(out), "--format", "pain.008.001.08", "--json")
    assert res["transactions"] == 2
    assert schema("pain.008.001.08").validate(etree.parse(str(out)))
    capsys.readouterr()
    again = tmp_path / "again.xml"
    assert main(["--db", db, "sepa", "export", "--collection", str(c["no"]),
                 "--out", str(again)]) == 1
    assert "already been exported" in capsys.readouterr().err and not again.exists()
    assert main(["--db", db, "sepa", "reject", "--entry", str(entry), "--reason", "MD06"]) == 0
    assert main(["--db", db, "sepa", "post", "--collection", str(c["no"])]) == 0
    assert "posted" in capsys.readouterr().out
    assert main(["--db", db, "sepa", "collect", "--from", end, "--to", end,
                 "--bank-account", "BANK1"]) == 1
    assert "No entries have been created." in capsys.readouterr().err
    assert main(["--db", db, "check"]) == 0


def test_loads(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    banks = tmp_path / "banks.csv"
    banks.write_text("party_type,party_no,code,iban,bic,dd_mandate_id\n"
                     "customer,C002,SECOND,DE89370400440532013000,,M-LOADED\n")
    assert main(["--db", db, "load", "bank-accounts", str(banks)]) == 0
    ids = [m["id"] for m in _json(capsys, "--db", db, "sepa", "mandates", "--json")]
    assert "M-LOADED" in ids
    bad = tmp_path / "dd.csv"
    bad.write_text("batch_id,collection_date,entry_no,customer_no,document_no,mandate_id,"
                   "end_to_end_id,amount,status\n"
                   "B1,2025-01-05,,C001,NOPE,M-C001,E1,10.00,lost\n")
    capsys.readouterr()
    assert main(["--db", db, "load", "dd-collections", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Nothing was loaded" in err and "column status: 'lost' must be sent or returned" in err
