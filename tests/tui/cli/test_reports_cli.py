"""``lettrage aging`` (text, --json, --csv, --vendors, bad buckets) and ``lettrage
statements`` (--out with PDF files, --overdue-only, --send through a real SMTP server),
in process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.ledger.models import Party
from data.engine import SqlStore, make_engine
from tests.helpers import invoice, payment, seed_basics
from tests.smtp_support import Inbox
from tests.smtp_support import smtp_server as smtp_server  # the fixture
from tui.cli import main


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LETTRAGE_CONFIG_DIR", str(tmp_path / "config"))
    url = str(tmp_path / "books.db")
    assert main(["--db", url, "init", "--name", "Test SAS"]) == 0
    store = SqlStore(make_engine(url))
    seed_basics(store)
    with store.write() as s:
        party = s.get(Party, ("customer", "C002"))
        assert party is not None
        party.email = "ap@trey.example"
    invoice(store, "C002", "1000", date(2025, 1, 1))  # 30D: due 31 January
    invoice(store, "C001", "300", date(2025, 3, 20))  # 2/10N30: not due at 31 March
    payment(store, "C002", "400", date(2025, 2, 15), applies_to="SI000001")
    invoice(store, "V001", "250", date(2025, 3, 1), party_type="vendor")
    store.engine.dispose()
    return url


def test_aging_text_json_csv_and_errors(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "aging", "--date", "2025-03-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["buckets"] == ["current", "1-30", "31-60", "61-90", "over_90"]
    assert {ln["no"]: (ln["current"], ln["31-60"]) for ln in data["lines"]} == {
        "C001": ("300.00", "0.00"), "C002": ("0.00", "600.00")}
    assert data["total"] == "900.00"
    # in the past: the 400 paid on 15 February was still owed on 10 February
    assert main(["--db", db, "aging", "--date", "2025-02-10", "--by", "posting",
                 "--buckets", "15,45", "--csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows == ["no,name,current,1-15,16-45,over_45,total,share_pct",
                    "C002,Trey Research,0.00,0.00,1000.00,0.00,1000.00,100.0"]
    assert main(["--db", db, "aging", "--date", "2025-03-31", "--vendors"]) == 0
    assert "Fabrikam Supplies" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, "aging", "--date", "2025-03-31", "--buckets", "60,30"])
    assert exit_.value.code == 2
    assert "Buckets must be increasing" in capsys.readouterr().err


def test_statements_out_overdue_only_and_send(db: str, tmp_path: Path, smtp_server: Inbox,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["--db", db, "statements", "--date", "2025-03-31", "--from", "2025-01-01",
                 "--out", str(tmp_path / "out"), "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert [d["customer_no"] for d in done] == ["C001", "C002"]
    c002 = done[1]
    assert (c002["opening_balance"], c002["closing_balance"]) == ("0.00", "600.00")
    assert sum(float(ln["amount"]) for ln in c002["lines"]) == 600.0
    text = PdfReader(c002["pdf"]).pages[0].extract_text()
    assert "Customer Statement C002-20250331" in text and "Invoice SI000001" in text
    assert main(["--db", db, "statements", "--date", "2025-03-31", "--overdue-only"]) == 0
    out = capsys.readouterr().out
    assert "CUSTOMER STATEMENT C002-20250331" in out and "C001-" not in out
    monkeypatch.setenv("LETTRAGE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LETTRAGE_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("LETTRAGE_SMTP_STARTTLS", "no")
    # C001 has no e-mail address: it is reported, C002's statement goes out, exit 1
    assert main(["--db", db, "statements", "--date", "2025-03-31", "--send"]) == 1
    captured = capsys.readouterr()
    assert "C001 (Adatum Corporation) has no e-mail address" in captured.err
    assert "C002 Trey Research: closing balance 600.00 EUR -> ap@trey.example" in captured.out
    (msg,) = smtp_server.messages
    assert msg["To"] == "ap@trey.example"
    assert main(["--db", db, "statements", "--date", "2025-03-31", "--customer", "C404"]) == 1
    assert "Customer C404 does not exist" in capsys.readouterr().err
