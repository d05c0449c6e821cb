"""Helpers for the reliability tests: a company database on SQLite or PostgreSQL made
by the real ``lettrage init``, and the command line run in this process (``run_cli``:
``tui.cli.main`` with the process's view of it: exit code, stdout, stderr, an uncaught
traceback on stderr, its own data/config folders, every database it opened closed at
the end) or as a real process (``run_process``, ``start_cli``) where the process itself
is under test: start-up, concurrency, locks, resource limits."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from core.i18n import get_language, set_language
from data.engine import make_engine
from tests import conftest
from tui.cli import main

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


def run_process(tmp_path: Path, url: str | None, *args: str,
                timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``lettrage ARGS`` as a real process."""
    return subprocess.run(cli_args(url, *args), cwd=ROOT, env=env(tmp_path),
                          capture_output=True, text=True, timeout=timeout)


@contextmanager
def _as_a_process(tmp_path: Path) -> Iterator[None]:
    """The environment, working folder and language of a fresh process; the engines
    opened meanwhile are disposed afterwards, as a process exit closes its connections
    (SQLite checkpoints its WAL file into the database when the last one closes)."""
    engines: list[Engine] = []

    def opened(conn: Connection) -> None:
        if conn.engine not in engines:
            engines.append(conn.engine)

    saved_env, saved_cwd, saved_language = dict(os.environ), os.getcwd(), get_language()
    os.environ.update({k: v for k, v in env(tmp_path).items() if k.startswith("LETTRAGE_")})
    os.chdir(ROOT)
    event.listen(Engine, "engine_connect", opened)
    try:
        yield
    finally:
        event.remove(Engine, "engine_connect", opened)
        for engine in engines:
            if engine.url.get_backend_name() != "sqlite" or engine.url.database not in (
                    None, "", ":memory:"):
                engine.dispose()
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        set_language(saved_language)


def run_cli(tmp_path: Path, url: str | None, *args: str,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``lettrage ARGS`` run in this process (``timeout`` is left to pytest-timeout); the
    result as ``subprocess.run`` gives it. See ``run_process`` for the real thing."""
    argv = [*(["--db", url] if url else []), *args]
    out, err = io.StringIO(), io.StringIO()
    code: Any
    with _as_a_process(tmp_path), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse and sys.exit, as the interpreter handles them
            code = exc.code
            if isinstance(code, str):
                print(code, file=sys.stderr)
                code = 1
        except Exception:  # what the interpreter prints for an uncaught exception
            traceback.print_exc(file=sys.stderr)
            code = 1
    return subprocess.CompletedProcess(cli_args(url, *args), int(code or 0), out.getvalue(),
                                       err.getvalue())


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
