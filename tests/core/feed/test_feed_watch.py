"""The bank feed with a real watcher on a real folder (SQLite file and PostgreSQL).

Files are dropped one after another, written slowly, dropped twice, corrupt, for an
unknown account, taken by two watchers at once, and left half-processed by a watcher
killed between the import and the move: every statement line ends up imported exactly
once, every file ends in ``archive/`` or in ``rejected/`` with its reason.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from core.feed import folder
from core.feed.service import FeedService, FileOutcome
from core.feed.watch import FeedWatcher
from core.ledger.bank_statements import BankStatementLine
from data.engine import SqlStore, make_engine
from tests.conftest import migrated_company_url
from tests.helpers import invoice
from tests.statement_samples import OTHER_IBAN, Tx, camt

ROOT = Path(__file__).resolve().parents[3]
WAIT = 60.0  # seconds to wait for an outcome before the test fails (never a timing claim)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated company database (as the command line expects), copied from a
    template built once per worker."""
    return migrated_company_url(request.param, tmp_path)


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    s = SqlStore(make_engine(db_url))
    yield s
    s.engine.dispose()


@pytest.fixture
def inbox(tmp_path: Path, store: SqlStore) -> Path:
    path = tmp_path / "inbox"
    FeedService(store).add_inbox(path)
    return path


def statement(n: int, lines: int = 3) -> bytes:
    """Statement ``n`` with ``lines`` distinct payments (references S<n>-<i>)."""
    txs = [Tx(amount=f"{100 + n * 10 + i}.00", day="2025-01-10", ref=f"S{n}-{i}",
              text=f"Invoice 10{n}{i}") for i in range(lines)]
    return camt(txs, stmt_id=f"S-{n}")


def drop(inbox: Path, name: str, data: bytes) -> Path:
    """Write under a temporary name and rename into place, as a polite client does."""
    tmp = inbox / (name + ".part")
    tmp.write_bytes(data)
    os.rename(tmp, inbox / name)
    return inbox / name


def line_count(store: SqlStore) -> int:
    with store.read() as s:
        return int(s.exec(select(func.count()).select_from(BankStatementLine)).one())


def refs(store: SqlStore) -> list[str]:
    with store.read() as s:
        return sorted(str(r) for r in s.exec(select(BankStatementLine.bank_reference)))


class Running:
    """A watcher thread reporting every outcome into a queue."""

    def __init__(self, store: SqlStore, **kw: float) -> None:
        self.outcomes: queue.Queue[FileOutcome] = queue.Queue()
        self.stop = threading.Event()
        self.watcher = FeedWatcher(FeedService(store), report=self.outcomes.put,
                                   **{"settle": 0.3, "interval": 0.2, **kw})
        self.watcher.stop_event_wakes(self.stop)
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,))

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=WAIT)

    def next(self) -> FileOutcome:
        return self.outcomes.get(timeout=WAIT)


def test_files_dropped_one_after_another_are_each_imported_once(
        store: SqlStore, inbox: Path) -> None:
    with Running(store) as w:
        for n in range(1, 4):
            drop(inbox, f"st{n}.xml", statement(n))
            out = w.next()
            assert (out.file_name, out.status, out.lines_new) == (f"st{n}.xml", "imported", 3)
            assert out.bank_accounts == ("BANK1",)
    assert line_count(store) == 9
    assert sorted(p.name.split("-", 2)[2] for p in (inbox / "archive").iterdir()) == \
        ["st1.xml", "st2.xml", "st3.xml"]
    assert folder.candidates(inbox) == []
    status = FeedService(store).status()
    assert [(b.bank_account_no, b.last_file, b.last_status) for b in status] == \
        [("BANK1", "st3.xml", "imported")]


def test_a_file_written_slowly_in_chunks_is_taken_once_complete(
        store: SqlStore, inbox: Path) -> None:
    data = statement(7, lines=40)
    path = inbox / "slow.xml"
    written = threading.Event()
    with Running(store, settle=0.5) as w:
        with path.open("wb") as f:  # written in place, chunk by chunk
            for i in range(0, len(data), 512):
                f.write(data[i:i + 512])
                f.flush()
                written.wait(0.02)  # a slow writer, not a timing assertion
        out = w.next()
    assert (out.status, out.lines_new) == ("imported", 40)
    assert line_count(store) == 40


def test_the_same_statement_twice_adds_nothing_the_second_time(
        store: SqlStore, inbox: Path) -> None:
    with Running(store) as w:
        drop(inbox, "a.xml", statement(1))
        assert w.next().lines_new == 3
        drop(inbox, "a-copy.xml", statement(1))
        again = w.next()
    assert (again.status, again.lines_new, again.lines_duplicate) == ("already_imported", 0, 3)
    assert line_count(store) == 3
    assert len(list((inbox / "archive").iterdir())) == 2


def test_corrupt_and_unknown_account_files_are_rejected_with_a_reason(
        store: SqlStore, inbox: Path) -> None:
    with Running(store, reject_grace=0) as w:
        drop(inbox, "broken.xml", statement(1)[:300])
        drop(inbox, "other.xml", camt([Tx("10.00", ref="X1")], stmt_id="O-1",
                                      iban=OTHER_IBAN))
        got = {o.file_name: o for o in (w.next(), w.next())}
    assert {o.status for o in got.values()} == {"rejected"}
    assert "broken.xml" in got["broken.xml"].reason
    assert OTHER_IBAN in got["other.xml"].reason.replace(" ", "")
    rejected = sorted(p.name for p in (inbox / "rejected").iterdir())
    assert len(rejected) == 4  # two files, two reasons
    reasons = [p for p in (inbox / "rejected").iterdir() if p.name.endswith(".reason.txt")]
    assert all(p.read_text(encoding="utf-8").strip() for p in reasons)
    assert line_count(store) == 0
    status = FeedService(store).unrouted_rejections()
    assert {o.file_name for o in status} == {"broken.xml", "other.xml"}


def test_temporary_names_are_left_alone(store: SqlStore, inbox: Path) -> None:
    (inbox / "upload.xml.part").write_bytes(statement(1))
    (inbox / ".hidden.xml").write_bytes(statement(2))
    watcher = FeedWatcher(FeedService(store), settle=0.0)
    assert watcher.run_once() == []
    assert line_count(store) == 0


def test_two_watchers_at_once_import_every_line_exactly_once(
        db_url: str, store: SqlStore, inbox: Path) -> None:
    for n in range(1, 9):
        (inbox / f"st{n}.xml").write_bytes(statement(n))
    procs = [subprocess.Popen([sys.executable, "-m", "tui.cli", "--db", db_url, "feed",
                               "watch", "--once", "--settle", "0", "--json"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    assert line_count(store) == 24
    assert len(set(refs(store))) == 24
    assert folder.candidates(inbox) == []
    assert len(list((inbox / "archive").iterdir())) == 8


KILLER = """
import os, signal, sys
from pathlib import Path
from core.feed import folder
from core.statements.importer import StatementImportService
from data.engine import SqlStore, make_engine
from data.schema import ensure_schema
claimed = folder.claim(Path(sys.argv[2]))
StatementImportService(SqlStore(make_engine(sys.argv[1]))).import_(claimed.path)
os.kill(os.getpid(), signal.SIGKILL)  # dies between the import and the move
"""


def test_a_watcher_killed_between_import_and_move_loses_and_doubles_nothing(
        db_url: str, store: SqlStore, inbox: Path) -> None:
    path = drop(inbox, "st1.xml", statement(1))
    proc = subprocess.run([sys.executable, "-c", KILLER, db_url, str(path)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert line_count(store) == 3
    assert folder.candidates(inbox) == []  # stuck in .processing
    assert len(list((inbox / folder.PROCESSING).iterdir())) == 1
    outcomes = FeedWatcher(FeedService(store), settle=0.0).run_once()
    assert [(o.file_name, o.status, o.lines_new) for o in outcomes] == \
        [("st1.xml", "already_imported", 0)]
    assert line_count(store) == 3
    assert list((inbox / folder.PROCESSING).iterdir()) == []
    assert len(list((inbox / "archive").iterdir())) == 1


def test_apply_automatically_runs_on_the_journal_the_import_filled(
        store: SqlStore, inbox: Path) -> None:
    doc = invoice(store, "C001", "250.00", date(2025, 1, 2))
    data = camt([Tx("250.00", ref="P1", text=f"Invoice {doc}")], stmt_id="S-1")
    drop(inbox, "pay.xml", data)
    [out] = FeedWatcher(FeedService(store), settle=0.0).run_once()
    assert (out.status, out.lines_new, out.lines_applied) == ("imported", 1, 1)
    [bank] = FeedService(store).status()
    assert bank.lines_waiting == 0
