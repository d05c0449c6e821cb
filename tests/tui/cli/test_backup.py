"""``lettrage backup``: a consistent SQLite copy while another process keeps posting;
the copy opens and ``lettrage check`` passes on it. PostgreSQL: the pg_dump commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.ledger.parties import PartyChanges, PartyService
from tests.helpers import seed_basics
from tui.bootstrap import open_store
from tui.cli import main

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import pathlib, sys
from datetime import date
from tests.helpers import invoice, payment
from tui.bootstrap import open_store

store = open_store(sys.argv[1], migrate=False)
stop, count = pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
n = 0
while not stop.exists():
    doc = invoice(store, "C001", "100", date(2025, 1, 10))
    payment(store, "C001", "100", date(2025, 1, 20), applies_to=doc, doc_no=f"P{n}")
    n += 1
    count.write_text(str(n))
"""


def _company(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    assert main(["--db", url, "init"]) == 0
    store = open_store(url)
    seed_basics(store)
    PartyService(store, user="anna").update_party("customer", "C001", 1,
                                                  PartyChanges(blocked="ship"))
    store.engine.dispose()
    return url


def _posted(count: Path) -> int:
    try:
        return int(count.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _wait_for(count: Path, at_least: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while _posted(count) < at_least:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the writer does not post"
        time.sleep(0.05)


def test_backup_while_another_process_posts(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = _company(tmp_path)
    stop, count = tmp_path / "stop", tmp_path / "count"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    capsys.readouterr()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, url, str(stop), str(count)],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE)
    copy = tmp_path / "backup.db"
    try:
        _wait_for(count, 3, proc)
        before = _posted(count)
        for attempt in range(3):
            args = ["--db", url, "backup", str(copy), "--json"]
            assert main(args + (["--force"] if attempt else [])) == 0
            report = json.loads(capsys.readouterr().out)
            assert report["ok"] and report["integrity"] == "ok"
            _wait_for(count, _posted(count) + 1, proc)  # the writer went on meanwhile
        assert _posted(count) > before
    finally:
        stop.touch()
        assert proc.wait(timeout=60) == 0
    copy_url = f"sqlite:///{copy}"
    assert main(["--db", copy_url, "check"]) == 0
    assert "All checks passed." in capsys.readouterr().out
    store = open_store(copy_url, migrate=False)
    try:
        with store.read() as s:
            registers = s.execute(text("SELECT count(*) FROM register")).scalar_one()
        assert 0 < registers <= 2 * _posted(count)
        with pytest.raises(DBAPIError, match="cannot be changed"), store.write() as s:
            s.execute(text("DELETE FROM auditentry"))  # the trail stays append-only
    finally:
        store.engine.dispose()
    assert not list(tmp_path.glob(".backup.db.partial-*"))


def test_backup_refuses_to_overwrite_and_bad_targets(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    url = _company(tmp_path)
    existing = tmp_path / "old.db"
    existing.write_text("keep me")
    capsys.readouterr()
    assert main(["--db", url, "backup", str(existing)]) == 1
    assert "already exists; use --force" in capsys.readouterr().err
    assert existing.read_text() == "keep me"
    assert main(["--db", url, "backup", str(tmp_path / "company.db"), "--force"]) == 1
    assert "is the database itself" in capsys.readouterr().err
    assert main(["--db", url, "backup", str(tmp_path / "no" / "such" / "x.db")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["--db", f"sqlite:///{tmp_path / 'missing.db'}", "backup", "x.db"]) == 1
    assert "There is no database at" in capsys.readouterr().err


def test_postgresql_prints_pg_dump_without_password(capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    url = "postgresql://anna:s3cret@db.example:5433/acme"
    assert main(["--db", url, "backup", "acme.dump"]) == 2
    out = capsys.readouterr().out
    assert "s3cret" not in out
    assert ("pg_dump --format=custom --file=acme.dump "
            "--dbname=postgresql://anna@db.example:5433/acme") in out
    assert "pg_restore --clean --if-exists --no-owner" in out and "PGPASSWORD" in out
    assert main(["--db", url, "backup", "acme.dump", "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and not any("s3cret" in c for c in data["commands"])
