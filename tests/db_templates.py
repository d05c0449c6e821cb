"""Fast fresh databases for the fixtures: the schema (and the seeded company) is built once
per worker process and copied or restored for each test, so every test still starts from
exactly the database the slow path would have made.

- SQLite in memory: a template connection per kind (empty schema / company with the basics)
  copied into the test's connection with SQLite's online backup API (a memory copy).
- SQLite file (``tests/ui_fixtures.py``): a template file copied with ``shutil``.
- PostgreSQL: the worker's database keeps its schema between tests; a catalog fingerprint
  proves it is still the models' schema (otherwise it is dropped and created again), the
  tables holding rows are emptied (``DELETE``; ``TRUNCATE`` for the audit trail, whose
  trigger refuses deletes) and advanced sequences restarted. The
  seeded company is restored from rows captured the first time it was built.
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from data.schema import ensure_schema
from tests.helpers import seed_basics

TABLES = [t.name for t in SQLModel.metadata.sorted_tables]
# one query telling which tables hold at least one row
_NON_EMPTY = " UNION ALL ".join(
    f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in TABLES)
# what create_all made: relations, columns, defaults, constraints, indexes, triggers, functions
_PG_FINGERPRINT = """
SELECT md5(coalesce(string_agg(item, '|' ORDER BY item), '')) FROM (
  SELECT c.relkind::text || ':' || c.relname AS item FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
         || ':' || a.attnotnull::text || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT conrelid::regclass::text || '.' || conname || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT pg_get_indexdef(indexrelid) FROM pg_index
   WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
  UNION ALL
  SELECT 'trigger:' || tgname FROM pg_trigger
   WHERE tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
     AND NOT tgisinternal
  UNION ALL
  SELECT 'proc:' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
) q
"""
_ADVANCED_SEQUENCES = """
SELECT format('%I.%I', schemaname, sequencename), start_value, last_value FROM pg_sequences
 WHERE schemaname = 'public' AND last_value IS NOT NULL
"""

_sqlite_templates: dict[bool, tuple[Engine, Any]] = {}
_file_templates: dict[str, Path] = {}
_pg_fingerprints: dict[str, str] = {}
_pg_seeded: dict[str, tuple[list[tuple[str, list[dict[str, Any]]]], list[tuple[str, int]]]] = {}
_fresh: weakref.WeakSet[SqlStore] = weakref.WeakSet()


def _build_schema(engine: Engine, seeded: bool) -> None:
    SQLModel.metadata.create_all(engine)
    if seeded:
        store = SqlStore(engine)
        create_company(store, "Test GmbH", "EUR")
        seed_basics(store)


# --- SQLite -------------------------------------------------------------------------

def _sqlite_template(seeded: bool) -> sqlite3.Connection:
    if seeded not in _sqlite_templates:
        engine = make_engine("sqlite://")
        _build_schema(engine, seeded)
        # keep the one connection of this StaticPool engine checked out for good
        _sqlite_templates[seeded] = (engine, engine.raw_connection())
    conn = _sqlite_templates[seeded][1].driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def copy_sqlite(engine: Engine, seeded: bool) -> None:
    """Replace the whole content of ``engine``'s SQLite database by the template's."""
    raw = engine.raw_connection()
    try:
        target = raw.driver_connection
        assert isinstance(target, sqlite3.Connection)
        _sqlite_template(seeded).backup(target)
    finally:
        raw.close()


def sqlite_file(path: Path, kind: str, build: Callable[[Path], SqlStore]) -> SqlStore:
    """A SQLite file at ``path`` with the content ``build`` makes (built once per process
    into a template file, then copied)."""
    if kind not in _file_templates:
        folder = Path(tempfile.mkdtemp(prefix="lettrage-test-templates-"))
        atexit.register(shutil.rmtree, folder, True)
        template = folder / f"{kind}.db"
        built = build(template)
        built.engine.dispose()  # the last connection closes: WAL checkpointed and removed
        if Path(f"{template}-wal").exists():  # pragma: no cover - never seen
            raise RuntimeError(f"{template} kept a WAL file")
        _file_templates[kind] = template
    shutil.copyfile(_file_templates[kind], path)
    return SqlStore(make_engine(f"sqlite:///{path}"))


# --- PostgreSQL ---------------------------------------------------------------------

_TRIGGERED = """
SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
"""


def _delete_rows(conn: Connection) -> None:
    """Empty the tables holding rows: ``DELETE`` (children first: no foreign key is ever
    violated), but ``TRUNCATE`` for a table with a trigger of its own: the audit trail's
    refuses every row ``DELETE`` (the schema would then be built again, seconds per test)
    and ``TRUNCATE`` fires no row trigger (``CASCADE``: tables referring to it are emptied
    here anyway)."""
    non_empty = {row[0] for row in conn.execute(text(_NON_EMPTY))}
    triggered = {row[0] for row in conn.execute(text(_TRIGGERED))} & non_empty
    if triggered:
        # TRUNCATE takes an exclusive lock: a connection some test left open must make it
        # fail (the caller then builds the schema again), never wait for ever
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))
        conn.execute(text(f'TRUNCATE {", ".join(f"{chr(34)}{n}{chr(34)}" for n in triggered)}'
                          " CASCADE"))
    for name in reversed(TABLES):
        if name in non_empty - triggered:
            conn.execute(text(f'DELETE FROM "{name}"'))
    for seq, start, _last in conn.execute(text(_ADVANCED_SEQUENCES)).all():
        conn.execute(text("SELECT setval(CAST(:s AS regclass), :v, false)"),
                     {"s": seq, "v": start})


def empty_pg(engine: Engine) -> None:
    """Make the database behind ``engine`` hold the models' schema and no rows."""
    key = engine.url.render_as_string(hide_password=False)
    known = _pg_fingerprints.get(key)
    if known is not None:
        with engine.connect() as conn:
            current = conn.execute(text(_PG_FINGERPRINT)).scalar()
        if current == known:
            try:
                with engine.begin() as conn:
                    conn.execute(text("SET LOCAL synchronous_commit = off"))
                    _delete_rows(conn)
                return
            except DBAPIError:
                pass  # e.g. a trigger refusing the delete: build it all again
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    SQLModel.metadata.create_all(engine)
    with engine.connect() as conn:
        _pg_fingerprints[key] = str(conn.execute(text(_PG_FINGERPRINT)).scalar())


def _capture_pg(engine: Engine) -> tuple[list[tuple[str, list[dict[str, Any]]]],
                                         list[tuple[str, int]]]:
    tables: list[tuple[str, list[dict[str, Any]]]] = []
    with engine.connect() as conn:
        non_empty = {row[0] for row in conn.execute(text(_NON_EMPTY))}
        for name in TABLES:
            if name in non_empty:
                rows = conn.execute(text(f'SELECT * FROM "{name}"')).mappings().all()
                tables.append((name, [dict(row) for row in rows]))
        sequences = [(str(seq), int(last))
                     for seq, _start, last in conn.execute(text(_ADVANCED_SEQUENCES)).all()]
    return tables, sequences


def _restore_pg(engine: Engine, tables: list[tuple[str, list[dict[str, Any]]]],
                sequences: list[tuple[str, int]]) -> None:
    with engine.begin() as conn:
        for name, rows in tables:
            columns = list(rows[0])
            sql = (f'INSERT INTO "{name}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)})'
                   f' VALUES ({", ".join(f":p{i}" for i in range(len(columns)))})')
            conn.execute(text(sql), [{f"p{i}": row[c] for i, c in enumerate(columns)}
                                     for row in rows])
        for seq, value in sequences:
            conn.execute(text("SELECT setval(CAST(:s AS regclass), :v, true)"),
                         {"s": seq, "v": value})


# --- the fixtures' entry points -----------------------------------------------------

def mark_empty(store: SqlStore) -> None:
    """``store`` was just made by ``empty_store`` from a template."""
    _fresh.add(store)


def _is_empty(store: SqlStore) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(text(_NON_EMPTY)).first() is None


def seed_basics_fast(store: SqlStore) -> None:
    """``create_company(store, "Test GmbH", "EUR")`` and ``seed_basics(store)``, copied from
    a template when ``store`` is still the untouched empty store of the fixture."""
    if store not in _fresh or not _is_empty(store):
        create_company(store, "Test GmbH", "EUR")
        seed_basics(store)
        return
    if store.dialect == "sqlite":
        copy_sqlite(store.engine, seeded=True)
        return
    key = store.engine.url.render_as_string(hide_password=False)
    if key not in _pg_seeded:
        create_company(store, "Test GmbH", "EUR")
        seed_basics(store)
        _pg_seeded[key] = _capture_pg(store.engine)
        return
    _restore_pg(store.engine, *_pg_seeded[key])


# --- migrated databases (the command line's and the watcher's schema) ---------------

def _build_migrated(engine: Engine) -> None:
    """What a migrated company database holds: ``ensure_schema`` (the migrations, with
    their version table), ``create_company(store, "Test GmbH", "EUR")`` and ``seed_basics``."""
    ensure_schema(engine)
    store = SqlStore(engine)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)


def migrated_sqlite(path: Path) -> SqlStore:
    """A migrated company (``_build_migrated``) in the SQLite file ``path`` (built once per
    process, then copied)."""
    def build(template: Path) -> SqlStore:
        engine = make_engine(f"sqlite:///{template}")
        _build_migrated(engine)
        return SqlStore(engine)

    return sqlite_file(path, "migrated", build)


_pg_migrated: dict[str, tuple[str, list[tuple[str, list[dict[str, Any]]]],
                              list[tuple[str, int]]]] = {}


def _reset_migrated_pg(engine: Engine, key: str) -> bool:
    """Bring the migrated database back to its captured rows; False when its schema is not
    the one captured (or a trigger refused the delete)."""
    fingerprint, tables, sequences = _pg_migrated[key]
    with engine.connect() as conn:
        if conn.execute(text(_PG_FINGERPRINT)).scalar() != fingerprint:
            return False
    try:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL synchronous_commit = off"))
            _delete_rows(conn)  # alembic_version is not a model's table: it stays
    except DBAPIError:
        return False
    _restore_pg(engine, tables, sequences)
    return True


def migrated_pg(admin_url: str, name: str) -> str:
    """A migrated company (``_build_migrated``) in the PostgreSQL database ``name``; the
    first time it is built by the migrations, later only its rows are put back (emptied,
    the captured rows inserted, sequences set) while a catalog fingerprint proves its schema
    is still the migrated one. The URL of ``name``."""
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    try:
        if url in _pg_migrated and _reset_migrated_pg(engine, url):
            return url
        admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                {"n": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        _build_migrated(engine)
        with engine.connect() as conn:
            fingerprint = str(conn.execute(text(_PG_FINGERPRINT)).scalar())
        _pg_migrated[url] = (fingerprint, *_capture_pg(engine))
    finally:
        engine.dispose()
    return url
