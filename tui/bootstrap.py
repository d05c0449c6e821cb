"""Composition root: the one place that knows the database URL.

It builds the engine, brings the schema to the head revision, wraps the engine in the
core's ``Store`` and builds the services the app and the command line use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

from core.kernel.store import Store, today
from data.engine import SqlStore, make_engine
from data.paths import default_database_url
from data.schema import SCHEMA_HEAD, ensure_schema

if TYPE_CHECKING:
    from core.application.journal import JournalService
    from core.application.service import ApplicationService
    from core.application.tolerance import ToleranceService
    from core.audit.queries import AuditQueryService
    from core.ledger.parties import PartyService
    from core.ledger.posting import PostingService
    from core.queries.service import QueryService
    from core.reconciliation.service import ReconciliationService
    from core.reconciliation.setup import MatchingSetupService
    from core.statements.importer import StatementImportService


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
    # one token per app run: the claims this run holds (reconciliation journals)
    session_token: str = field(default_factory=lambda: uuid4().hex)

    @property
    def posting(self) -> PostingService:
        from core.ledger.posting import PostingService

        return PostingService(self.store)

    @property
    def queries(self) -> QueryService:
        from core.queries.service import QueryService

        return QueryService(self.store, self.today)

    @property
    def parties(self) -> PartyService:
        from core.ledger.parties import PartyService

        return PartyService(self.store, self.today)

    @property
    def reconciliation(self) -> ReconciliationService:
        from core.reconciliation.service import ReconciliationService

        return ReconciliationService(self.store, today=self.today(),
                                     session=self.session_token)

    @property
    def matching_setup(self) -> MatchingSetupService:
        from core.reconciliation.setup import MatchingSetupService

        return MatchingSetupService(self.store)

    @property
    def journal(self) -> JournalService:
        from core.application.journal import JournalService

        return JournalService(self.store)

    @property
    def applications(self) -> ApplicationService:
        from core.application.service import ApplicationService

        return ApplicationService(self.store)

    @property
    def tolerance(self) -> ToleranceService:
        from core.application.tolerance import ToleranceService

        return ToleranceService(self.store)

    @property
    def audit(self) -> AuditQueryService:
        from core.audit.queries import AuditQueryService

        return AuditQueryService(self.store)

    @property
    def statement_import(self) -> StatementImportService:
        from core.statements.importer import StatementImportService

        return StatementImportService(self.store)

    @property
    def statement_profiles_dir(self) -> Path | None:
        """Where the clerk's own CSV statement profiles live (may not exist yet)."""
        from data.paths import config_dir

        try:
            return config_dir() / "profiles"
        except OSError:
            return None


def build_services(url: str | None = None) -> Services:
    return Services(open_store(url))
