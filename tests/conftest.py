"""Shared fixtures: a store per test on SQLite (in memory) or, with ``--pg`` / in CI,
on the PostgreSQL server too (``store`` is parametrized over the backends)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

import core.tables  # noqa: F401
import tui.bootstrap  # noqa: F401  (the composition root registers every capability's checks)
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine

pytest_plugins = ["tests.ui_fixtures"]  # the UI fixtures (app, services, ui_store)

PG_URL = os.environ.get("LETTRAGE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


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
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


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
    engine = make_engine(_worker_pg_url())
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    SQLModel.metadata.create_all(engine)
    return SqlStore(engine)


@pytest.fixture(params=_backends())
def empty_store(request: pytest.FixtureRequest) -> Iterator[SqlStore]:
    """An empty schema on each backend. PostgreSQL must be reachable in CI."""
    if request.param == "postgresql":
        require_pg()
        store = reset_pg()
    else:
        engine = make_engine("sqlite://")
        SQLModel.metadata.create_all(engine)
        store = SqlStore(engine)
    yield store
    store.engine.dispose()


@pytest.fixture
def store(empty_store: SqlStore) -> SqlStore:
    """A company with the default setup, one customer, one vendor and a bank."""
    from tests.helpers import seed_basics

    create_company(empty_store, "Test GmbH", "EUR")
    seed_basics(empty_store)
    return empty_store


@pytest.fixture
def day() -> date:
    return date(2025, 1, 10)
