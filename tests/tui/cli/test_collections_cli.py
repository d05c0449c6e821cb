"""The command line: reminders / finance-charges create|list|issue|cancel with --json,
and the Reminder Automation (re-running the same day creates nothing twice, a log),
sending to a real local SMTP server. ``lettrage check`` after issuing and cancelling."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from core.collections.setup import CollectionsSetupService
from core.ledger.models import Party
from data.engine import SqlStore, make_engine
from tests.collections_support import setup_terms
from tests.helpers import invoice, payment, seed_basics
from tests.reliability.support import run_cli, run_process
from tests.smtp_support import Inbox
from tests.smtp_support import smtp_server as smtp_server  # the fixture


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LETTRAGE_CONFIG_DIR", str(tmp_path / "config"))
    url = str(tmp_path / "books.db")
    run(url, "init", "--name", "Test SAS")
    store = SqlStore(make_engine(url))
    seed_basics(store)
    setup_terms(store)
    with store.write() as s:
        party = s.get(Party, ("customer", "C002"))
        assert party is not None
        party.email = "ap@trey.example"
    invoice(store, "C002", "1000", date(2025, 1, 1))
    invoice(store, "C002", "300", date(2025, 2, 1))
    payment(store, "C002", "400", date(2025, 2, 15), applies_to="SI000001")
    store.engine.dispose()
    return url



def cli(db: str, *args: str, process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``lettrage`` from this source tree: in this process (``run_cli``: its own
    environment, folders and exit code, as a process would have them) or, with
    ``process``, in a process of its own (as cron would)."""
    tmp_path = Path(db).parent  # the test's folder: config/ and data/ go next to the file
    if process:
        return run_process(tmp_path, db, *args)
    return run_cli(tmp_path, db, *args)


def run(db: str, *args: str, code: int = 0, process: bool = False) -> object:
    done = cli(db, *args, process=process)
    assert done.returncode == code, done.stderr + done.stdout
    return json.loads(done.stdout) if "--json" in args else done.stdout


def test_init_installs_default_terms(db: str) -> None:
    store = SqlStore(make_engine(db))
    codes = [r["code"] for r in CollectionsSetupService(store).rows("reminder_terms")]
    assert "RELANCE" in codes and "T" in codes
    levels = CollectionsSetupService(store).rows("reminder_level", terms_code="RELANCE")
    assert [lv["no"] for lv in levels] == [1, 2, 3]


def test_reminders_cli_json(db: str) -> None:
    created = run(db, "reminders", "create", "--date", "2025-03-01", "--json")
    assert isinstance(created, dict) and len(created["created"]) == 1
    doc = created["documents"][0]
    # SI000002 is not due yet: listed, not in the total
    assert (doc["level"], doc["total"], doc["fees"]) == (1, "610.00", "10.00")
    line = doc["lines"][0]
    assert (line["document_no"], line["due_date"], line["days_overdue"], line["remaining"]) \
        == ("SI000001", "2025-01-31", 29, "600.00")
    listed = run(db, "reminders", "list", "--date", "2025-03-01", "--json")
    assert isinstance(listed, list) and listed[0]["no"] == doc["no"]
    issued = run(db, "reminders", "issue", "--date", "2025-03-01", "--json")
    assert isinstance(issued, dict) and issued["errors"] == []
    no = issued["issued"][0]["issued_no"]
    assert "All checks passed." in str(run(db, "check"))
    text = run(db, "reminders", "show", no, "--text")
    assert f"REMINDER {no}" in str(text) and "Invoice SI000001" in str(text)
    cancelled = run(db, "reminders", "cancel", no, "--json")
    assert isinstance(cancelled, dict) and cancelled["cancelled"][0]["issued_no"] == no
    assert "All checks passed." in str(run(db, "check"))
    assert "already been cancelled" in str(run(db, "reminders", "cancel", no, code=1))


def test_finance_charges_cli(db: str,
                             tmp_path: Path) -> None:
    created = run(db, "finance-charges", "create", "--date", "2025-03-02", "--json")
    assert isinstance(created, dict)
    doc = created["documents"][0]
    assert doc["interest"] == "12.00"  # ADB with the partial payment (§15.6)
    issued = run(db, "finance-charges", "issue", doc["no"], "--json")
    assert isinstance(issued, dict)
    no = issued["issued"][0]["issued_no"]
    out = run(db, "finance-charges", "write", no, "--folder", str(tmp_path / "out"))
    assert (tmp_path / "out").glob("*.pdf") and "Wrote" in str(out)
    run(db, "finance-charges", "cancel", no)
    assert "All checks passed." in str(run(db, "check"))


def test_automation_runs_twice_safely(db: str, smtp_server: Inbox,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LETTRAGE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LETTRAGE_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("LETTRAGE_SMTP_STARTTLS", "false")
    first = run(db, "collections", "run", "--date", "2025-03-01", "--create",
                "--issue", "--send", "--json", process=True)  # as cron runs it
    assert isinstance(first, dict)
    assert (len(first["created"]), len(first["issued"]), len(first["sent"])) == (1, 1, 1)
    assert smtp_server.messages[0]["To"] == "ap@trey.example"
    again = run(db, "collections", "run", "--date", "2025-03-01", "--create",
                "--issue", "--send", "--json")
    assert isinstance(again, dict)
    assert (again["created"], again["issued"], again["sent"]) == ([], [], [])
    assert len(smtp_server.messages) == 1
    log = run(db, "collections", "log", "--json")
    assert isinstance(log, list) and [r["created"] for r in log] == [0, 1]
    assert "All checks passed." in str(run(db, "check"))
    assert "Choose what the run does" in cli(db, "collections", "run", "--date",
                                             "2025-03-01").stderr
