"""The unit-of-work boundary the services depend on.

The composition root (``data.engine``) provides a ``Store``; services open one session
per command: ``with store.write() as s: ...`` commits once at the end or rolls back on
any exception, so a posting is all or nothing. ``read()`` never writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Protocol

from sqlmodel import Session


class Store(Protocol):
    """Opens sessions. ``write()`` takes the database's write lock up front (SQLite
    ``BEGIN IMMEDIATE``) so two clerks posting at once queue instead of deadlocking."""

    dialect: str

    def read(self) -> AbstractContextManager[Session]: ...

    def write(self, posting: bool = True) -> AbstractContextManager[Session]:
        """``posting=False``: the transaction posts no ledger register, so the posting
        hooks and the tables it does not use need not be loaded first."""
        ...


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return date.today()


def chunks(items: list[int], size: int = 500) -> Iterator[list[int]]:
    """Split an id list for ``IN (...)`` queries (SQLite's variable limit)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
