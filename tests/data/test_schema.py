"""Migrations: a new database is created at the head; an older one is upgraded; a newer
one is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from core.kernel.errors import SchemaError
from data.engine import make_engine
from data.schema import SCHEMA_HEAD, current_revision, head_revision, upgrade


def test_schema_head_constant_matches_alembic() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_new_database_gets_every_table_at_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        assert current_revision(conn) == SCHEMA_HEAD
        tables = set(inspect(conn).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_migrated_schema_equals_models(tmp_path: Path) -> None:
    """The migrations produce exactly the models' schema (no forgotten migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(f"sqlite:///{tmp_path / 'cmp.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'newer.db'}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="newer than this Lettrage"):
        upgrade(engine)


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as conn:
        assert current_revision(conn) == SCHEMA_HEAD


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_older_database_is_upgraded_keeping_its_data(tmp_path: Path) -> None:
    """A company created at revision 0001 opens in this version with its data intact."""
    from alembic import command
    from alembic.config import Config

    from data.schema import MIGRATIONS

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO company (id, name, currency, pmt_disc_grace_days, "
                          "payment_tolerance_pct, max_payment_tolerance, "
                          "payment_tolerance_warning, pmt_disc_tolerance_warning, "
                          "payment_tolerance_posting, pmt_disc_tolerance_posting, "
                          "appln_rounding_precision, version) VALUES (1, 'Old GmbH', 'EUR', "
                          "0, '0', 0, 1, 1, 'a', 'b', 0, 1)"))
    upgrade(engine)
    with engine.connect() as conn:
        assert current_revision(conn) == SCHEMA_HEAD != "0001"
        assert conn.execute(text("SELECT name FROM company")).scalar() == "Old GmbH"
        assert "reconjournal" in inspect(conn).get_table_names()
