"""Composition root: the one place that knows the database URL.

It builds the engine, brings the schema to the head revision, wraps the engine in the
core's ``Store`` and builds the services the app and the command line use.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.store import Store
from data.engine import SqlStore, make_engine
from data.paths import default_database_url
from data.schema import SCHEMA_HEAD, ensure_schema


def open_store(url: str | None = None, migrate: bool = True) -> SqlStore:
    """Open (creating or upgrading) the company database at ``url``."""
    engine = make_engine(url or default_database_url())
    if migrate:
        ensure_schema(engine, SCHEMA_HEAD)
    return SqlStore(engine)


@dataclass(frozen=True)
class Services:
    """The service objects screens and commands may call."""

    store: Store

    @property
    def posting(self):  # type: ignore[no-untyped-def]
        from core.services.posting import PostingService

        return PostingService(self.store)


def build_services(url: str | None = None) -> Services:
    return Services(open_store(url))
