"""Engines and sessions: SQLite (WAL, foreign keys, immediate write transactions,
busy timeout) and PostgreSQL (psycopg 3), behind the core's ``Store`` protocol."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from core.i18n import N_
from core.kernel.errors import LettrageError

SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("LETTRAGE_BUSY_TIMEOUT_MS", "15000"))
"""How long a SQLite writer waits for another one (tests shorten it)."""
SUPPORTED = ("sqlite", "postgresql")


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use psycopg 3 for them; a bare
    file path (``--db books.db``) is a SQLite file, ``:memory:`` an in-memory one."""
    if url == ":memory:":
        return "sqlite://"
    if "://" not in url and not url.startswith("sqlite:"):
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _sqlite_pragmas(engine: Engine, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # 64 MB page cache (default 2 MB): bulk loads and Apply Automatically touch
            # indexes of 100,000s of rows; with the small cache every insert into a
            # randomly ordered index reads pages back from the file.
            cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock at BEGIN, so a clerk waits (busy timeout) instead
        # of failing half-way with "database is locked" on the first write.
        if conn.get_execution_options().get("lettrage_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def parse_url(url: str) -> Any:
    """The SQLAlchemy URL for ``url``; refuses a scheme other than SQLite or PostgreSQL
    with one line instead of a driver-loading traceback."""
    try:
        parsed = make_url(normalize_url(url))
    except Exception:
        raise LettrageError(N_("'{value}' is not a database URL: use a SQLite file path or "
                               "postgresql://user@host/database"), value=_safe(url)) from None
    if parsed.get_backend_name() not in SUPPORTED or parsed.get_driver_name() not in (
            "pysqlite", "psycopg"):
        raise LettrageError(N_("Unsupported database '{drivername}': use a SQLite file path or "
                               "postgresql://user@host/database"), drivername=parsed.drivername)
    return parsed


def _safe(url: str) -> str:
    """``url`` without a password, for messages."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1] if "@" in url else url


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    url = parsed.render_as_string(hide_password=False)
    if parsed.get_backend_name() == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False,
                                                   "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
        if memory:
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)
        _sqlite_pragmas(engine, memory)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


class SqlStore:
    """The ``core.kernel.store.Store`` over one SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_engine = engine.execution_options(lettrage_write=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, posting: bool = True) -> Iterator[Session]:
        # Every table and posting hook (check entries, the audit trail of postings) is
        # loaded before anything is written; read-only commands (lettrage check) never
        # pay for the whole schema at start-up. ``posting=False``: a transaction that
        # posts no register (a journal's proposals, a claim) and writes only tables its
        # caller imported, so Apply Automatically skips the rest (a quarter second).
        if posting:
            import core.tables  # noqa: F401

        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
