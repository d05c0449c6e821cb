"""Helpers for the reliability tests: a company database on SQLite or PostgreSQL made
by the real ``lettrage init``, and the command line run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from data.engine import make_engine
from tests import conftest

ROOT = Path(__file__).resolve().parents[2]
ENTRY_HEADER = ("party_type,party_no,document_type,document_no,external_document_no,"
                "posting_date,due_date,amount,remaining_amount,pmt_discount_date,"
                "remaining_pmt_disc_possible,currency,description,payment_reference\n")
PARTY_HEADER = "no,name,address,city,country,email,vat_no,payment_terms_days\n"


def empty_pg_url() -> str:
    """This worker's PostgreSQL database with an empty public schema."""
    conftest.require_pg()
    url = conftest._worker_pg_url()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def db_url(backend: str, tmp_path: Path) -> str:
    """An empty database (no file yet on SQLite, an empty schema on PostgreSQL)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'books.db'}"
    return empty_pg_url()


def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "LETTRAGE_DATA_DIR": str(tmp_path / "data"),
            "LETTRAGE_CONFIG_DIR": str(tmp_path / "config")}


def cli_args(url: str | None, *args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *(["--db", url] if url else []), *args]


def run_cli(tmp_path: Path, url: str | None, *args: str,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_args(url, *args), cwd=ROOT, env=env(tmp_path),
                          capture_output=True, text=True, timeout=timeout)


def start_cli(tmp_path: Path, url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(cli_args(url, *args), cwd=ROOT, env=env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def company(backend: str, tmp_path: Path) -> str:
    url = db_url(backend, tmp_path)
    done = run_cli(tmp_path, url, "init", "--name", "Test", "--currency", "EUR")
    assert done.returncode == 0, done.stderr
    return url


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def customers_csv(path: Path, count: int) -> Path:
    return write(path, PARTY_HEADER + "".join(f"C{i},Customer {i},,,DE,,,30\n"
                                              for i in range(1, count + 1)))


def entries_csv(path: Path, count: int, customers: int = 10) -> Path:
    rows = "".join(f"customer,C{i % customers + 1},invoice,INV{i:05d},,2025-01-02,,"
                   f"{100 + i}.50,,,,,,\n" for i in range(count))
    return write(path, ENTRY_HEADER + rows)


def scalar(url: str, sql: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()
