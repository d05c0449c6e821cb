"""``lettrage audit``: filters, text and JSON output, exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.audit import trail as audit
from core.ledger.parties import PartyChanges, PartyService
from tests.helpers import seed_basics
from tui.bootstrap import open_store
from tui.cli import main

DAY = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    assert main(["--db", url, "init"]) == 0
    store = open_store(url)
    seed_basics(store)
    PartyService(store, user="anna").update_party("customer", "C001", 1,
                                                  PartyChanges(blocked="all"))
    with store.write() as s:  # two older entries on known days
        audit.record(s, user="ben", action="update", entity="vendor", key="V001",
                     changes={"privacy_blocked": (False, True)}, at=DAY)
        audit.record(s, user="ben", action="accept", entity="statement_line",
                     key="BANK1/1/10000", changes={"confidence": ("high", "accepted")},
                     note="accepted", at=DAY - timedelta(days=1))
    store.engine.dispose()
    return url


def run_json(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["--db", db, "audit", "--json", *args]) == 0
    entries: list[dict[str, object]] = json.loads(capsys.readouterr().out)["entries"]
    return entries


def test_json_newest_first_with_before_and_after(db: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # a new company's default reminder terms are in the trail too (collections setup)
    entries = [e for e in run_json(capsys, db) if e["entity"] != "reminder_terms"]
    assert [(e["user"], e["entity"], e["key"]) for e in entries] == [
        ("anna", "customer", "C001"), ("ben", "vendor", "V001"),
        ("ben", "statement_line", "BANK1/1/10000")]
    assert entries[0]["changes"] == {"blocked": ["", "all"]}
    assert entries[0]["action"] == "update" and str(entries[0]["at"]).endswith("+00:00")


def test_filters(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert [e["key"] for e in run_json(capsys, db, "--user", "ben")] == ["V001",
                                                                       "BANK1/1/10000"]
    assert [e["key"] for e in run_json(capsys, db, "--entity", "vendor")] == ["V001"]
    day = DAY.astimezone().date()
    assert [e["key"] for e in run_json(capsys, db, "--since", str(day), "--until",
                                       str(day))] == ["V001"]
    assert [e["key"] for e in run_json(capsys, db, "--until",
                                       str(day - timedelta(days=1)))] == ["BANK1/1/10000"]
    assert run_json(capsys, db, "--user", "anna", "--entity", "vendor") == []
    assert len(run_json(capsys, db, "--limit", "1")) == 1
    assert [e["key"] for e in run_json(capsys, db, "--entity", "statement_line", "--key",
                                       "BANK1/1/10000")] == ["BANK1/1/10000"]


def test_text_output(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "audit", "--user", "anna"]) == 0
    out = capsys.readouterr().out
    assert "anna" in out and "Customer C001" in out and "Blocked: '' → all" in out
    assert out.rstrip().endswith("1 entry.")
    assert main(["--db", db, "audit", "--entity", "rocket"]) == 0
    out = capsys.readouterr().out
    assert "No audit entries for entity 'rocket'" in out and "customer" in out


def test_bad_input(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--db", db, "audit", "--since", "yesterday"])
    assert info.value.code == 2
    assert "'yesterday' is not a date (YYYY-MM-DD)" in capsys.readouterr().err
    assert main(["--db", db, "audit", "--since", "2026-03-05", "--until", "2026-03-01"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is after --until" in err
