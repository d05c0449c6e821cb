"""Shared fixtures: a store per test on SQLite (in memory) or, with ``--pg`` / in CI,
on the PostgreSQL server too (``store`` is parametrized over the backends).

Every test still gets its own empty (or freshly seeded) database, but the schema is built
once per worker: on SQLite a migrated in-memory template is copied with SQLite's backup
API; on PostgreSQL the worker's database keeps its schema and only the tables that hold
rows are emptied (``DELETE``/``TRUNCATE``, sequences back to their start), unless the schema was
changed since (then it is dropped and created again). See ``tests/db_templates.py``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

import core.tables  # noqa: F401
import tui.bootstrap  # noqa: F401  (the composition root registers every capability's checks)
from data.engine import SqlStore, make_engine
from tests import db_templates

pytest_plugins = ["tests.ui_fixtures"]  # the UI fixtures (app, services, ui_store)

PG_URL = os.environ.get("LETTRAGE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
_PG_STATE: dict[str, bool] = {}


def _pg_available() -> bool:
    if "available" in _PG_STATE:  # asked once per worker: the server does not come and go
        return _PG_STATE["available"]
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        available = True
    except Exception:
        available = False
    _PG_STATE["available"] = available
    return available


def _backends() -> list[str]:
    if os.environ.get("LETTRAGE_TEST_BACKENDS"):
        return os.environ["LETTRAGE_TEST_BACKENDS"].split(",")
    return ["sqlite", "postgresql"]


def _worker_pg_url() -> str:
    """One database per xdist worker, so parallel workers never share a schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # LETTRAGE_TEST_PG_PREFIX keeps two test runs on one machine out of each other's databases.
    prefix = os.environ.get("LETTRAGE_TEST_PG_PREFIX", "lettrage_test")
    name = f"{prefix}_{worker}"
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    if _PG_STATE.get(f"created:{name}"):
        return url
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _PG_STATE[f"created:{name}"] = True
    return url


def require_pg() -> None:
    """Skip the test when PostgreSQL is unreachable; in CI fail it instead."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_URL} is unreachable (required in CI)")
        pytest.skip("PostgreSQL not reachable")


def fresh_pg_url() -> str:
    """The URL of this worker's PostgreSQL database, emptied and with the schema (for
    tests whose processes open their own connections)."""
    require_pg()
    store = reset_pg()
    url = store.engine.url.render_as_string(hide_password=False)
    store.engine.dispose()
    return url


def reset_pg() -> SqlStore:
    """This worker's PostgreSQL database with the models' schema and no rows."""
    engine = make_engine(_worker_pg_url())
    db_templates.empty_pg(engine)
    return SqlStore(engine)


@pytest.fixture(params=_backends())
def empty_store(request: pytest.FixtureRequest) -> Iterator[SqlStore]:
    """An empty schema on each backend. PostgreSQL must be reachable in CI."""
    if request.param == "postgresql":
        require_pg()
        store = reset_pg()
    else:
        engine = make_engine("sqlite://")
        db_templates.copy_sqlite(engine, seeded=False)
        store = SqlStore(engine)
    db_templates.mark_empty(store)
    yield store
    store.engine.dispose()


@pytest.fixture
def store(empty_store: SqlStore) -> SqlStore:
    """A company with the default setup, one customer, one vendor and a bank."""
    db_templates.seed_basics_fast(empty_store)
    return empty_store


@pytest.fixture
def day() -> date:
    return date(2025, 1, 10)


def migrated_company_url(backend: str, tmp_path: Path) -> str:
    """The URL of a migrated database (``ensure_schema``, as the command line and the
    watcher expect) holding ``create_company(store, "Test GmbH", "EUR")`` and
    ``seed_basics``: a SQLite file in ``tmp_path`` or a PostgreSQL database of this worker;
    a copy of a template built once per worker."""
    if backend == "sqlite":
        store = db_templates.migrated_sqlite(tmp_path / "company.db")
        store.engine.dispose()
        return f"sqlite:///{tmp_path / 'company.db'}"
    require_pg()
    worker = _worker_pg_url().rsplit("/", 1)[1]
    return db_templates.migrated_pg(PG_URL, f"{worker}_migrated")
