"""Composition root: the one place that knows the database URL.

It builds the engine, brings the schema to the head revision, wraps the engine in the
core's ``Store`` and builds the services the app and the command line use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from core.store import Store, today
from data.engine import SqlStore, make_engine
from data.paths import default_database_url
from data.schema import SCHEMA_HEAD, ensure_schema

if TYPE_CHECKING:
    from core.services.parties import PartyService
    from core.services.posting import PostingService
    from core.services.queries import QueryService


def open_store(url: str | None = None, migrate: bool = True) -> SqlStore:
    """Open (creating or upgrading) the company database at ``url``."""
    engine = make_engine(url or default_database_url())
    if migrate:
        ensure_schema(engine, SCHEMA_HEAD)
    return SqlStore(engine)


@dataclass(frozen=True)
class Services:
    """The service objects screens and commands may call. ``today`` is the clock that
    decides what is overdue (tests and demos pin it)."""

    store: Store
    today: Callable[[], date] = field(default=today)

    @property
    def posting(self) -> PostingService:
        from core.services.posting import PostingService

        return PostingService(self.store)

    @property
    def queries(self) -> QueryService:
        from core.services.queries import QueryService

        return QueryService(self.store, self.today)

    @property
    def parties(self) -> PartyService:
        from core.services.parties import PartyService

        return PartyService(self.store, self.today)


def build_services(url: str | None = None) -> Services:
    return Services(open_store(url))
