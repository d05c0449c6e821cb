"""Composition root: the one place that knows the database URL.

It builds the engine, brings the schema to the head revision, wraps the engine in the
core's ``Store`` and builds the services the app and the command line use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast
from uuid import uuid4

from core.kernel.store import Store, today
from core.reports.service import ReportsService  # aging, statements, cash picture (#19)
from data.engine import SqlStore, make_engine
from data.opening import refuse_bad_location, refuse_foreign_database, refuse_without_company
from data.paths import config_dir, default_database_url
from data.schema import SCHEMA_HEAD, ensure_schema

if TYPE_CHECKING:
    from core.application.journal import JournalService
    from core.application.service import ApplicationService
    from core.application.tolerance import ToleranceService
    from core.audit.queries import AuditQueryService
    from core.bank_reconciliation.facade import BankRecServices
    from core.collections.hub import CollectionsHub
    from core.direct_debit.service import DirectDebitService
    from core.feed.service import FeedService
    from core.ledger.parties import PartyService
    from core.ledger.posting import PostingService
    from core.prediction.service import PredictionService
    from core.queries.service import QueryService
    from core.reconciliation.service import ReconciliationService
    from core.reconciliation.setup import MatchingSetupService
    from core.registration.sales import SalesService  # registration
    from core.registration.service import RegistrationService  # registration
    from core.registration.setup import RegistrationSetupService  # registration
    from core.reports.documents import StatementDocuments  # statements out (#19)
    from core.statements.importer import StatementImportService


def open_store(url: str | None = None, migrate: bool = True, create: bool = True) -> SqlStore:
    """Open (creating or upgrading) the company database at ``url``. With
    ``create=False`` a missing SQLite file or a database without Lettrage's schema is
    refused and nothing is created (only ``init`` and ``demo`` create a company)."""
    url = url or default_database_url()
    refuse_bad_location(url, create)
    engine = make_engine(url)
    try:
        refuse_foreign_database(engine, url, create)
        if migrate:
            ensure_schema(engine, SCHEMA_HEAD)
    except BaseException:
        engine.dispose()
        raise
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
    def collections(self) -> CollectionsHub:  # reminders, finance charge memos (#18)
        from core.collections.hub import CollectionsHub
        from data.paths import config_dir

        return CollectionsHub(self.store, config_dir() / "smtp.toml")

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
        from core.direct_debit.recon import extension as direct_debit_extension
        from core.reconciliation.service import ReconciliationService

        return ReconciliationService(self.store, today=self.today(),
                                     session=self.session_token,
                                     extensions=(direct_debit_extension(),))

    @property
    def direct_debit(self) -> DirectDebitService:  # SEPA direct debit (#20)
        from core.direct_debit.service import DirectDebitService

        return DirectDebitService(self.store, self.today)

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

    # --- registration (issue #17) ---
    @property
    def sales(self) -> SalesService:
        from core.registration.sales import SalesService

        return SalesService(self.store)

    @property
    def registration(self) -> RegistrationService:
        from core.registration.service import RegistrationService

        return RegistrationService(self.store)

    @property
    def registration_setup(self) -> RegistrationSetupService:
        from core.registration.setup import RegistrationSetupService

        return RegistrationSetupService(self.store)

    @property
    def bank_rec(self) -> BankRecServices:  # core.bank_reconciliation
        from core.bank_reconciliation.facade import BankRecServices

        return BankRecServices(self.store)

    @property
    def feed(self) -> FeedService:  # bank feed (#23)
        # imported on first use: statement parsers (lxml, charset detection) are not paid
        # by every command's start (issue #15)
        service = importlib.import_module("core.feed.service").FeedService
        return cast("FeedService", service(
            self.store, extensions=self.reconciliation.extensions))

    @property
    def prediction(self) -> PredictionService:  # late payment prediction (#22)
        from core.prediction.service import PredictionService

        return PredictionService(self.store, self.today)

    @property
    def reports(self) -> ReportsService:  # aging, statements, card figures, cash (#19)
        return ReportsService(self.store, self.today)

    @property
    def statement_documents(self) -> StatementDocuments:  # statements out (#19)
        from core.reports.documents import StatementDocuments  # fpdf: loaded when used

        return StatementDocuments(config_dir() / "smtp.toml")

    @property
    def statement_profiles_dir(self) -> Path | None:
        """Where the clerk's own CSV statement profiles live (may not exist yet)."""
        from data.paths import config_dir

        try:
            return config_dir() / "profiles"
        except OSError:
            return None


def build_services(url: str | None = None, create: bool = True) -> Services:
    """Services over the company at ``url``; ``create=False`` (every command but
    ``init`` and ``demo``) refuses a database that holds no company."""
    store = open_store(url, create=create)
    if not create:
        refuse_without_company(store, url or default_database_url())
    return Services(store)
