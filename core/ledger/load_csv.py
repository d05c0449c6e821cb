"""Strict CSV reading and the load ledger for ``lettrage load``.

Reading is strict: a quote that is not closed, text after a closing quote, a field that
runs over several lines, a row with more or fewer fields than the header, a NUL byte or
a field longer than the database column stops the load with the file and line. So the
rows read are exactly the data lines of the file, and a load reports both counts.

Loads are exclusive and idempotent: each load takes the loads lock inside its write
transaction (PostgreSQL: a transaction-level advisory lock; SQLite: the write lock every
write transaction takes at BEGIN), then looks up the file's SHA-256 in the load ledger.
A second load of the same file, concurrent or later, finds the first one's row and
loads nothing; a different file with the same records finds them already there.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from core.i18n import N_, ngettext
from core.kernel.errors import ImportFileError, Text, TextLines
from core.kernel.files import looks_binary, read_capped
from core.kernel.store import utc_now
from core.ledger.load_ledger import LoadRecord

MAX_REPORTED = 20
# The advisory lock key all loads share (any constant; "LTLOAD" in ASCII).
LOADS_LOCK_KEY = 0x4C544C4F4144


@dataclass(frozen=True)
class PreviousLoad:
    loaded_at: datetime
    user: str
    rows: int
    file_name: str

    def describe(self, path: Path) -> str:
        at = f"{self.loaded_at:%Y-%m-%d %H:%M}"
        if self.user:
            return ngettext(
                "{path} was already loaded on {at} by {user} ({rows} row, as {file_name}): "
                "nothing loaded again",
                "{path} was already loaded on {at} by {user} ({rows} rows, as {file_name}): "
                "nothing loaded again", self.rows).format(
                    path=path, at=at, user=self.user, rows=self.rows, file_name=self.file_name)
        return ngettext(
            "{path} was already loaded on {at} ({rows} row, as {file_name}): nothing "
            "loaded again",
            "{path} was already loaded on {at} ({rows} rows, as {file_name}): nothing "
            "loaded again", self.rows).format(
                path=path, at=at, rows=self.rows, file_name=self.file_name)


class RowError(Exception):
    """A CSV row's value is refused: ``column`` and a message id with its parameters."""

    def __init__(self, column: str, message: str, /, **params: Any) -> None:
        super().__init__(message)
        self.column = column
        self.text = Text(message, **params)

    def __str__(self) -> str:
        return str(self.text)


def decode(path: Path, data: bytes) -> str:
    if looks_binary(data) or b"\x00" in data:
        raise ImportFileError(N_("{path}: not a CSV text file (binary data); save the file "
                                 "as UTF-8 CSV"), path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(N_("{path}: not UTF-8 text (byte {start}); save the file as "
                                 "UTF-8 CSV"), path=path, start=exc.start) from None


def strict_records(path: Path, text_: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each non-blank record, refusing bad quoting."""
    reader = csv.reader(io.StringIO(text_, newline=""), strict=True)
    line = 1
    while True:
        start = line
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(N_("{path}, line {start}: {csv_problem}; nothing was loaded"),
                                  path=path, start=start,
                                  csv_problem=_csv_problem(str(exc))) from None
        line = reader.line_num + 1
        # a line break in a field makes the record span several physical lines
        if reader.line_num != start and any("\n" in f or "\r" in f for f in fields):
            raise ImportFileError(
                N_(
                    "{path}, line {start}: a quoted field runs over several lines (to line "
                    "{line_num}); check for a quote that is not closed; nothing was loaded"
                ),
                path=path,
                start=start,
                line_num=reader.line_num,
            )
        if fields:
            yield start, fields


def _csv_problem(message: str) -> Text:
    if "unexpected end of data" in message:
        return Text(N_("a quote is not closed"))
    if "field larger than field limit" in message:
        return Text(N_("a field is longer than {limit} characters"),
                    limit=Decimal(csv.field_size_limit()))
    if "expected after" in message:
        return Text(N_("text follows a closing quote (a quote inside a field must be "
                       "doubled)"))
    return Text(N_("the CSV is malformed ({message})"), message=message)


class Rows:
    """A load file read whole and strictly, its header checked; collects row errors
    with file, row and column."""

    def __init__(self, path: Path, required: tuple[str, ...]) -> None:
        self.path = path
        self.errors: list[Text] = []
        data = read_capped(path)
        self.sha256 = hashlib.sha256(data).hexdigest()
        text_ = decode(path, data)
        records = strict_records(path, text_)
        first = next(records, None)
        if first is None:
            raise ImportFileError(N_("{path}: the file is empty; expected a header row"), path=path)
        self.header = [h.strip().lower() for h in first[1]]
        missing = [c for c in required if c not in self.header]
        if missing:
            raise ImportFileError(
                N_("{path}, row 1: missing column(s) {missing}; expected at least {required}"),
                path=path,
                missing=", ".join(missing),
                required=", ".join(required),
            )
        self.records = list(records)
        width = len(self.header)
        has_nul = "\x00" in text_
        for line, fields in self.records:
            if len(fields) != width:
                raise ImportFileError(
                    N_(
                        "{path}, line {line}: {count} fields where the "
                        "header has {width}; nothing was loaded"
                    ),
                    path=path,
                    line=line,
                    count=len(fields),
                    width=width,
                )
            if not has_nul:  # decode refuses NUL bytes: looked for field by field only then
                continue
            for name, value in zip(self.header, fields, strict=True):
                if "\x00" in value:
                    raise ImportFileError(
                        N_(
                            "{path}, line {line}, column {name}: contains "
                            "a NUL byte; nothing was loaded"
                        ),
                        path=path,
                        line=line,
                        name=name,
                    )

    @property
    def count(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = self.header
        if all(header):  # every column named: no empty name to leave out
            for line, fields in self.records:
                yield line, dict(zip(header, map(str.strip, fields), strict=True))
            return
        for line, fields in self.records:
            yield line, {k: v.strip() for k, v in zip(header, fields, strict=True) if k}

    def fail(self, row: int, column: str, message: Text | str) -> None:
        self.errors.append(Text(N_("{path}, row {row}, column {column}: {message}"),
                                path=str(self.path), row=row, column=column, message=message))

    def raise_errors(self) -> None:
        if self.errors:
            more = len(self.errors) - MAX_REPORTED
            shown: list[Text | str] = list(self.errors[:MAX_REPORTED])
            if more > 0:
                shown.append(Text(N_("... and {more} more"), more=more))
            text_ = TextLines(shown)
            raise ImportFileError(N_("Nothing was loaded from {path}:\n{text}"), path=self.path,
                                  text=text_)


def check_fits(obj: SQLModel, column_of: dict[str, str] | None = None) -> None:
    """Refuse a text longer than its column (PostgreSQL would refuse it at commit, SQLite
    would store it): a ``RowError`` naming the CSV column."""
    for column in obj.__table__.columns:  # type: ignore[attr-defined]
        length = getattr(column.type, "length", None)
        value = getattr(obj, column.name, None)
        if length and isinstance(value, str) and len(value) > length:
            name = (column_of or {}).get(column.name, column.name)
            raise RowError(name, N_("'{value}…' is longer than {length} characters"),
                           value=value[:30], length=length)


# --- the load ledger ----------------------------------------------------------------------


def lock_loads(s: Session) -> None:
    """Serialize loads: PostgreSQL takes an advisory lock held to the end of this
    transaction; SQLite's write transaction (BEGIN IMMEDIATE) already excludes others."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOADS_LOCK_KEY})


def previous_load(s: Session, kind: str, sha256: str) -> PreviousLoad | None:
    row = s.exec(select(LoadRecord).where(LoadRecord.kind == kind,
                                          LoadRecord.sha256 == sha256)).first()
    if row is None:
        return None
    return PreviousLoad(row.loaded_at, row.user_id, row.rows, row.file_name)


def record_load(s: Session, kind: str, rows: Rows, user: str | None) -> None:
    s.add(LoadRecord(kind=kind, sha256=rows.sha256, file_name=rows.path.name[:255],
                     rows=rows.count, user_id=(user or "")[:100],
                     loaded_at=utc_now()))
