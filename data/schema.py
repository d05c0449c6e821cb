"""Opening a company database: create it, upgrade an older schema, refuse a newer one.

The schema version lives in Alembic's ``alembic_version`` table. Opening a database
whose version is the head costs one query; only an empty or older database loads
Alembic and runs the migrations.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from core.i18n import N_
from core.kernel.errors import SchemaError

MIGRATIONS = Path(__file__).parent / "migrations"
# The head revision, so opening an up-to-date database needs no Alembic import
# (tests/data/test_schema.py asserts it equals Alembic's head).
SCHEMA_HEAD = "reports2"


def _script_dir():  # type: ignore[no-untyped-def]
    from alembic import config, script  # alembic loads only to read or upgrade the schema

    cfg = config.Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg, script.ScriptDirectory.from_config(cfg)


def head_revision() -> str:
    _cfg, script = _script_dir()
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def _known(script, revision: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the head revision, refusing a newer one."""
    from alembic import command  # alembic loads only to read or upgrade the schema

    cfg, script = _script_dir()
    with engine.begin() as conn:
        current = current_revision(conn)
        if current is not None and not _known(script, current):
            raise SchemaError(
                N_("The database has schema version {current}, which is newer than this "
                   "Lettrage knows. Upgrade Lettrage to open it."), current=current
            )
        if current == script.get_current_head():
            return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def ensure_schema(engine: Engine, known_head: str | None = None) -> None:
    """Fast path when the version equals ``known_head``; otherwise ``upgrade``."""
    if known_head is not None:
        try:
            with engine.connect() as conn:
                if current_revision(conn) == known_head:
                    return
        except Exception:
            pass
    upgrade(engine)
