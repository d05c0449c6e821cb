"""Finding 8 of issue #13: every infrastructure fault is one line saying what and what
to do, exit 1, the traceback in the log file, the data as it was."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.reliability.support import (
    cli_args,
    company,
    customers_csv,
    entries_csv,
    env,
    run_cli,
    run_process,
    scalar,
    write,
)


def _one_line(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == 1, done
    assert message in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def _sqlite(tmp_path: Path) -> tuple[str, Path]:
    url = company("sqlite", tmp_path)
    return url, Path(url.removeprefix("sqlite:///"))


def test_read_only_database(tmp_path: Path) -> None:
    _url, path = _sqlite(tmp_path)
    # root ignores file modes, so open read-only through SQLite's own URI flag
    ro = f"sqlite:///file:{path}?mode=ro&uri=true"
    done = run_cli(tmp_path, ro, "load", "customers",
                   str(customers_csv(tmp_path / "c.csv", 3)))
    _one_line(done, "The database file is read-only")
    log = (tmp_path / "data" / "lettrage.log").read_text()
    assert "Traceback" in log and "readonly" in log


def test_database_locked_beyond_the_busy_timeout(tmp_path: Path) -> None:
    url, path = _sqlite(tmp_path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE company SET name = 'held'")
    try:
        done = subprocess.run(cli_args(url, "load", "customers",
                                       str(customers_csv(tmp_path / "c.csv", 3))),
                              env={**env(tmp_path), "LETTRAGE_BUSY_TIMEOUT_MS": "300"},
                              capture_output=True, text=True, timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _one_line(done, "The database is busy")
    assert scalar(url, "SELECT COUNT(*) FROM party") == 0


def _small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))


def test_disk_full(tmp_path: Path) -> None:
    url, _path = _sqlite(tmp_path)
    file = customers_csv(tmp_path / "c.csv", 5000)
    done = subprocess.run(cli_args(url, "load", "customers", str(file)), env=env(tmp_path),
                          preexec_fn=_small_files, capture_output=True, text=True,
                          timeout=120)
    _one_line(done, "free space")
    assert scalar(url, "SELECT COUNT(*) FROM party") == 0
    assert run_cli(tmp_path, url, "check").returncode == 0


def test_corrupt_database(tmp_path: Path) -> None:
    url, path = _sqlite(tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 500)))
    assert run_cli(tmp_path, url, "check").returncode == 0
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    data = bytearray(path.read_bytes())
    data[4096:len(data)] = os.urandom(len(data) - 4096)  # keep the header page
    path.write_bytes(bytes(data))
    _one_line(run_cli(tmp_path, url, "check"), "is not a Lettrage database or is damaged")


def test_not_a_database_file(tmp_path: Path) -> None:
    notes = write(tmp_path / "notes.txt", "hello\n")
    # a real process: exit code 1 and one line on stderr, no traceback
    _one_line(run_process(tmp_path, str(notes), "check"), "not a Lettrage database")
    assert notes.read_text() == "hello\n"


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://nobody_xyz@127.0.0.1:5432/test", "does not know the user nobody_xyz"),
    ("postgresql://postgres@127.0.0.1:5432/no_such_db_xyz", "has no database no_such_db_xyz"),
    ("postgresql://postgres@no-such-host.invalid/test", "host in the URL is unknown"),
    ("postgresql://postgres@127.0.0.1:1/test", "Cannot reach the PostgreSQL server"),
    ("oracle://scott@tiger/db", "Unsupported database 'oracle'"),
])
def test_postgresql_connection_faults(url: str, message: str, tmp_path: Path) -> None:
    if "127.0.0.1:5432" in url:
        from tests.conftest import require_pg

        require_pg()
    _one_line(run_cli(tmp_path, url, "check"), message)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_postgresql_only_data_errors_are_validated_first(backend: str, tmp_path: Path) -> None:
    url = company(backend, tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 2)))
    long_code = write(tmp_path / "b.csv", "party_type,party_no,code,iban,bic\n"
                      f"customer,C1,{'K' * 50},DE89370400440532013000,\n")
    done = run_cli(tmp_path, url, "load", "bank-accounts", str(long_code))
    assert done.returncode == 1 and "column code" in done.stderr
    assert "longer than 20 characters" in done.stderr and "Traceback" not in done.stderr
    nul = write(tmp_path / "n.csv", "no,name,address,city,country,email,vat_no,"
                "payment_terms_days\nC7,Bad\x00Name,,,DE,,,30\n")
    done = run_cli(tmp_path, url, "load", "customers", str(nul))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    huge = write(tmp_path / "e.csv", entries_csv(tmp_path / "e0.csv", 1, 2).read_text()
                 .replace("100.50", "1" * 30))
    done = run_cli(tmp_path, url, "load", "open-entries", str(huge))
    assert done.returncode == 1 and "larger than the largest amount" in done.stderr
    assert scalar(url, "SELECT COUNT(*) FROM party") == 2
    assert scalar(url, "SELECT COUNT(*) FROM ledgerentry") == 0


# --- finding 3: backup --force keeps the last good backup ---------------------------------


def test_backup_force_never_replaces_a_good_backup_with_a_damaged_copy(tmp_path: Path) -> None:
    url, path = _sqlite(tmp_path)
    run_cli(tmp_path, url, "load", "customers", str(customers_csv(tmp_path / "c.csv", 300)))
    backup = tmp_path / "last-good.db"
    assert run_cli(tmp_path, url, "backup", str(backup)).returncode == 0
    good = backup.read_bytes()
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // 4096, 2):  # damage every other page, keep the header
        data[page * 4096 + 100: page * 4096 + 400] = os.urandom(300)
    path.write_bytes(bytes(data))
    done = run_cli(tmp_path, url, "backup", str(backup), "--force")
    assert done.returncode == 1, done
    assert "was NOT written" in done.stdout or "Cannot back up" in done.stderr, done
    assert backup.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []
