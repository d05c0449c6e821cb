"""A fresh, empty database for a benchmark run (shared by the benches)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from data.engine import make_engine


def fresh_pg_database(url: str) -> bool:
    """Create the database named in ``url`` if needed and empty its public schema.
    False when the server cannot be reached."""
    base, name = url.rsplit("/", 1)
    try:
        admin = make_engine(base + "/test").execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname=:n"),
                                {"n": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return True
    except Exception:
        return False


def fresh_database(backend: str, sqlite_path: str, pg_url: str) -> str | None:
    """The URL of an empty database: the SQLite file ``sqlite_path`` (replaced, with its
    WAL files) or the PostgreSQL database ``pg_url`` (emptied); None when PostgreSQL
    cannot be reached."""
    if backend == "sqlite":
        db = Path(sqlite_path)
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{db}"
    return pg_url if fresh_pg_database(pg_url) else None
