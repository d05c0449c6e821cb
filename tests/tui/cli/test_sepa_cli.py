"""``lettrage sepa mandates|collect|export|reject|post`` and the direct debit loads, run
in-process through ``main`` on a SQLite company; ``lettrage check`` stays green."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from core.direct_debit.pain008 import schema
from data.engine import SqlStore, make_engine
from tests.core.direct_debit.test_dd_recon import _batch, _camt
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


def test_entries_status_report_and_journal_only(db: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    end = (TODAY + timedelta(days=60)).isoformat()
    args = ["--db", db, "sepa", "collect", "--from", TODAY.isoformat(), "--to", end,
            "--bank-account", "BANK1"]
    capsys.readouterr()
    assert main([*args, "--partner-type", "company"]) == 1
    assert "No entries have been created." in capsys.readouterr().err
    c = _json(capsys, *args, "--partner-type", "person", "--json")
    first, second = (e["id"] for e in c["entries_list"])
    # edit and delete while New; bad input says what and where, in French too
    later = (TODAY + timedelta(days=3)).isoformat()
    e = _json(capsys, "--db", db, "sepa", "edit-entry", "--entry", str(first),
              "--transfer-date", later, "--amount", "900", "--json")
    assert (e["transfer_date"], e["amount"]) == (later, "900.00")
    assert main(["--db", db, "sepa", "edit-entry", "--entry", str(first),
                 "--amount", "1000.01"]) == 1
    assert f"The amount of entry {first} cannot exceed 1,000.00, what invoice" in \
        capsys.readouterr().err
    assert main(["--db", db, "--lang", "fr", "sepa", "edit-entry", "--entry", str(first),
                 "--transfer-date", (TODAY - timedelta(days=1)).isoformat()]) == 1
    assert f"de l'écriture {first} est passée" in capsys.readouterr().err
    assert _json(capsys, "--db", db, "sepa", "delete-entry", "--entry", str(second),
                 "--json") == {"deleted": second}
    out = tmp_path / "dd.xml"
    assert main(["--db", db, "sepa", "export", "--collection", str(c["no"]), "--out",
                 str(out)]) == 0
    assert main(["--db", db, "sepa", "edit-entry", "--entry", str(first),
                 "--amount", "1"]) == 1
    assert "can only be changed while New; its status is File Created" in \
        capsys.readouterr().err
    # journal only: lines written, nothing posted; twice refused
    j = _json(capsys, "--db", db, "sepa", "post", "--collection", str(c["no"]),
              "--journal-only", "--batch", "dd-review", "--json")
    assert j["status"] == "file_created" and "batch DD-REVIEW" in j["message"]
    assert main(["--db", db, "sepa", "post", "--collection", str(c["no"])]) == 1
    assert "already in cash receipt journal batch DD-REVIEW" in capsys.readouterr().err
    # pain.002: the entry is rejected; the same report again is refused
    e2e = c["entries_list"][0]["transaction_id"]
    report = tmp_path / "status.xml"
    report.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>BANK-STS-7</MsgId><CreDtTm>2026-01-05T09:00:00</CreDtTm></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{c['identifier']}</OrgnlMsgId>"
        "<OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId><GrpSts>PART</GrpSts>"
        "</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>X</OrgnlPmtInfId>"
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        "<StsRsnInf><Rsn><Cd>MS02</Cd></Rsn></StsRsnInf></TxInfAndSts>"
        "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>")
    r = _json(capsys, "--db", db, "sepa", "import-status", str(report), "--json")
    assert (r["msg_id"], r["rejected"], r["unknown"]) == ("BANK-STS-7", [first], [])
    assert main(["--db", db, "sepa", "import-status", str(report)]) == 1
    assert "BANK-STS-7 was already imported" in capsys.readouterr().err
    assert main(["--db", db, "check"]) == 0


def test_statement_import_applies_the_batch_credit(db: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``lettrage statement import`` applies with the direct debit rules, as the app does:
    the collection's batch credit lands on its invoices without a second apply-auto."""
    end = (TODAY + timedelta(days=60)).isoformat()
    c = _json(capsys, "--db", db, "sepa", "collect", "--from", TODAY.isoformat(), "--to", end,
              "--bank-account", "BANK1", "--json")
    assert main(["--db", db, "sepa", "export", "--collection", str(c["no"]), "--out",
                 str(tmp_path / "dd.xml")]) == 0
    camt = tmp_path / "camt.xml"
    camt.write_text(_camt([_batch(D("1400"), "R1", c["identifier"])], "1", D("0"), D("1400")),
                    encoding="utf-8")
    out = _json(capsys, "--db", db, "statement", "import", str(camt), "--bank-account",
                "BANK1", "--json")
    assert [(a["lines"], a["applied"]) for a in out["applied"]] == [(2, 2)]
    assert main(["--db", db, "check"]) == 0
