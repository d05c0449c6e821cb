"""Light records for rows a posting inserts.

Building a SQLModel table instance runs validation and SQLAlchemy instrumentation
(about 0.2 ms each); a 10,000-line posting writes 50,000 rows. New entries are built as
plain slotted records with the same attribute names and defaults, changed in memory by
applications within the same posting, and bulk-inserted at the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table
from sqlmodel import SQLModel


def record_type(model: type[SQLModel]) -> type:
    """A slotted class with ``model``'s columns, defaults and ``as_dict()``."""
    columns = list(model.__table__.columns.keys())  # type: ignore[attr-defined]
    defaults: dict[str, Any] = {}
    for name in columns:
        field = model.model_fields.get(name)
        default = getattr(field, "default", None)
        defaults[name] = None if repr(default) == "PydanticUndefined" else default

    # __init__ and as_dict are generated with one keyword argument / key per column:
    # a posting builds and reads hundreds of thousands of records, and the generated
    # code costs a third of a loop over the columns.
    args = ", ".join(f"{name}=_d[{name!r}]" for name in columns)
    body = "".join(f"\n    self.{name} = {name}" for name in columns)
    keys = ", ".join(f"{name!r}: self.{name}" for name in columns)
    namespace: dict[str, Any] = {"_d": defaults}
    exec(f"def __init__(self, *, {args}):{body}\n"
         f"def as_dict(self):\n    return {{{keys}}}\n", namespace)
    __init__, as_dict = namespace["__init__"], namespace["as_dict"]

    def __repr__(self: Any) -> str:
        return f"{model.__name__}Record({self.as_dict()})"

    return type(f"{model.__name__}Record", (), {
        "__slots__": tuple(columns), "__init__": __init__, "as_dict": as_dict,
        "__repr__": __repr__, "model": model})


REBUILD_MIN_ROWS = 20_000


@contextmanager
def indexes_built_after(conn: Connection, table: Table, new_rows: int,
                        existing_rows: int) -> Iterator[None]:
    """Insert ``new_rows`` into a SQLite ``table`` without maintaining its (non-unique)
    secondary indexes row by row: they are dropped, then created again from their own
    SQL once the rows are in (one sort instead of a random B-tree insert per row and
    index: a 100,000-entry opening load writes in half the time).

    Only when the rows at least double the table and are many; inside the caller's
    write transaction, so no other connection ever sees the table without them (SQLite
    DDL is transactional: a rollback brings them back as they were). PostgreSQL keeps
    its indexes (dropping one there locks the table for every reader)."""
    if (conn.dialect.name != "sqlite" or new_rows < REBUILD_MIN_ROWS
            or new_rows < existing_rows):
        yield
        return
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%' ORDER BY rowid",
        (table.name,)).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)


def bulk_insert(conn: Connection, table: Table, records: Sequence[Any],
                chunk: int = 5000) -> None:
    """INSERT ``records`` (built by ``record_type``) with the driver's executemany.

    Each value goes through SQLAlchemy's own bind processor of its column type (dates
    and booleans for SQLite, ...), so the rows are written exactly as ``conn.execute(
    table.insert(), dicts)`` would write them, without its per-row parameter building
    (a third of a 100,000-entry load). Dialects with named parameters take that path."""
    _bulk(conn, table, records, chunk, attrgetter, lambda r: r.as_dict(), by_attribute=True)


def bulk_insert_dicts(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                      chunk: int = 5000) -> None:
    """``bulk_insert`` for rows given as dicts with the same keys; the table's columns
    left out get their scalar Python-side defaults (a callable default takes the Core
    path)."""
    if not rows:
        return
    keys = set(rows[0])
    defaults: dict[str, Any] = {}
    for c in table.columns:
        if c.name in keys or c.default is None:
            continue
        if not c.default.is_scalar:
            conn.execute(table.insert(), list(rows))
            return
        defaults[c.name] = c.default.arg  # type: ignore[attr-defined]
    if defaults:
        rows = [{**defaults, **r} for r in rows]
    _bulk(conn, table, rows, chunk, itemgetter, dict, keys | set(defaults))


def bulk_insert_rows(conn: Connection, table: Table, names: Sequence[str],
                     rows: Sequence[Sequence[Any]], chunk: int = 5000) -> None:
    """``bulk_insert`` for rows given as sequences of the values of ``names`` (in that
    order; every other column must have a scalar default or be nullable)."""
    if not rows:
        return
    keys = set(names)
    defaults = [c.name for c in table.columns
                if c.name not in keys and c.default is not None]
    if defaults:  # the defaults of the columns left out: the dict path fills them
        bulk_insert_dicts(conn, table, [dict(zip(names, r, strict=True)) for r in rows],
                          chunk)
        return
    order = {name: i for i, name in enumerate(names)}
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=sorted(keys))
    positions = compiled.positiontup
    if positions and list(positions) != list(names):  # the driver's order: reorder
        pick = itemgetter(*(order[n] for n in positions))
        rows = [pick(r) for r in rows]
    _bulk(conn, table, rows, chunk, lambda *n: itemgetter(0) if len(n) == 1 else tuple,
          lambda r: dict(zip(positions or names, r, strict=True)), keys)


def _bulk(conn: Connection, table: Table, rows: Sequence[Any], chunk: int,
          getter_of: Any, as_dict: Any, keys: set[str] | None = None,
          by_attribute: bool = False) -> None:
    if not rows:
        return
    compiled = table.insert().compile(
        dialect=conn.dialect, column_keys=sorted(keys) if keys is not None else None)
    names = compiled.positiontup
    if not names:  # named paramstyle (e.g. psycopg): the Core path
        for start in range(0, len(rows), chunk):
            conn.execute(table.insert(), [as_dict(r) for r in rows[start:start + chunk]])
        return
    procs = [(i, proc) for i, name in enumerate(names)
             if (proc := table.c[name].type.bind_processor(conn.dialect)) is not None]
    # SQLite: dates the driver adapts (no processor of their own) are converted here
    dates = {i for i, name in enumerate(names)
             if isinstance(table.c[name].type, Date) and not isinstance(table.c[name].type,
                                                                         DateTime)
             and i not in dict(procs)} if conn.dialect.name == "sqlite" else set()
    getter = getter_of(*names)
    sql = str(compiled)
    single = len(names) == 1
    converter = _converter(len(names), procs, dates)
    if by_attribute:  # records: one generated function reads and converts each row
        row_of = _converter(len(names), procs, dates, names)
        for start in range(0, len(rows), chunk):
            conn.exec_driver_sql(sql, list(map(row_of, rows[start:start + chunk])))
        return
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        if single:
            out = [(getter(r),) for r in part]
        else:
            out = list(map(getter, part))  # itemgetter / attrgetter give tuples
        if procs or dates:  # only the columns whose type converts (dates, booleans, ...)
            out = list(map(converter, out))
        conn.exec_driver_sql(sql, out)


def _converter(width: int, procs: list[tuple[int, Any]], dates: set[int],
               attributes: Sequence[str] | None = None) -> Any:
    """A function converting one row tuple (or, given its ``attributes``, reading one
    record): each value of a column in ``procs`` through its processor (None stays
    None), a ``date`` of a column in ``dates`` to the text the sqlite3 driver's adapter
    writes (``isoformat()``: the same, without a Python call per value), the others as
    they are. Generated: it runs for every row inserted."""
    converted = dict(procs)
    namespace: dict[str, Any] = {f"p{i}": proc for i, proc in procs}
    namespace["_date"] = date

    def item(i: int) -> str:
        value = f"t.{attributes[i]}" if attributes is not None else f"t[{i}]"
        if i in converted:
            return f"None if (v{i} := {value}) is None else p{i}(v{i})"
        if i in dates:
            return (f"v{i}.isoformat() if (v{i} := {value}).__class__ is _date "  # i18n: not shown
                    f"else v{i}")
        return value

    items = ", ".join(item(i) for i in range(width))
    exec(f"def convert(t):\n    return ({items},)\n", namespace)
    return namespace["convert"]
