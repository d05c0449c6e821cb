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
from typing import TYPE_CHECKING, Any, cast
from uuid import uuid4

from core.bank_reconciliation.invariants import bank_rec_checks
from core.collections.check import collection_checks
from core.kernel.store import Store, today
from core.ledger.check import CheckReport, register_check, run_check
from core.prediction.check import prediction_checks
from core.registration.check import registration_checks
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
    from core.reports.service import ReportsService  # aging, statements, cash picture (#19)
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


def _load(module: str, name: str) -> Any:
    """``module.name``, imported when a service is first asked for: a command imports
    only the capabilities it calls (CLI start-up), ``lettrage --help`` none of them."""
    return getattr(importlib.import_module(module), name)


def register_checks() -> None:
    """Every capability's invariants in ``lettrage check`` (the ledger imports none)."""
    register_check("bank_reconciliation", bank_rec_checks)
    register_check("prediction", prediction_checks)
    register_check("registration", registration_checks)
    register_check("collections", collection_checks)


register_checks()  # every store this root opens is checked in full


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
        return _load("core.collections.hub", "CollectionsHub")(self.store,
                                                               config_dir() / "smtp.toml")

    @property
    def posting(self) -> PostingService:
        return _load("core.ledger.posting", "PostingService")(self.store)

    @property
    def queries(self) -> QueryService:
        return _load("core.queries.service", "QueryService")(self.store, self.today)

    @property
    def parties(self) -> PartyService:
        return _load("core.ledger.parties", "PartyService")(self.store, self.today)

    @property
    def reconciliation(self) -> ReconciliationService:
        extension = _load("core.direct_debit.recon", "extension")
        return _load("core.reconciliation.service", "ReconciliationService")(
            self.store, today=self.today(), session=self.session_token,
            extensions=(extension(),))

    @property
    def direct_debit(self) -> DirectDebitService:  # SEPA direct debit (#20)
        return _load("core.direct_debit.service", "DirectDebitService")(  # type: ignore[no-any-return]
            self.store, self.today)

    @property
    def matching_setup(self) -> MatchingSetupService:
        return _load("core.reconciliation.setup", "MatchingSetupService")(self.store)

    @property
    def journal(self) -> JournalService:
        return _load("core.application.journal", "JournalService")(self.store)

    @property
    def applications(self) -> ApplicationService:
        return _load("core.application.service", "ApplicationService")(self.store)

    @property
    def tolerance(self) -> ToleranceService:
        return _load("core.application.tolerance", "ToleranceService")(self.store)

    @property
    def audit(self) -> AuditQueryService:
        return _load("core.audit.queries", "AuditQueryService")(self.store)

    @property
    def statement_import(self) -> StatementImportService:
        return _load("core.statements.importer", "StatementImportService")(self.store)

    # --- registration (issue #17) ---
    @property
    def sales(self) -> SalesService:
        return _load("core.registration.sales", "SalesService")(self.store)

    @property
    def registration(self) -> RegistrationService:
        return _load("core.registration.service", "RegistrationService")(self.store)

    @property
    def registration_setup(self) -> RegistrationSetupService:
        return _load("core.registration.setup", "RegistrationSetupService")(self.store)

    @property
    def bank_rec(self) -> BankRecServices:  # core.bank_reconciliation
        return _load("core.bank_reconciliation.facade", "BankRecServices")(self.store)

    @property
    def feed(self) -> FeedService:  # bank feed (#23)
        # imported on first use: statement parsers (lxml, charset detection) are not paid
        # by every command's start (issue #15)
        service = importlib.import_module("core.feed.service").FeedService
        return cast("FeedService", service(
            self.store, extensions=self.reconciliation.extensions))

    @property
    def prediction(self) -> PredictionService:  # late payment prediction (#22)
        return _load("core.prediction.service", "PredictionService")(self.store, self.today)

    def close(self) -> None:
        """Give the database connections back (``serve`` before its app processes)."""
        if isinstance(self.store, SqlStore):
            self.store.engine.dispose()

    @property
    def reports(self) -> ReportsService:  # aging, statements, card figures, cash (#19)
        return _load("core.reports.service", "ReportsService")(self.store, self.today)

    @property
    def statement_documents(self) -> StatementDocuments:  # statements out (#19)
        # fpdf: loaded when used
        return _load("core.reports.documents", "StatementDocuments")(  # type: ignore[no-any-return]
            config_dir() / "smtp.toml")

    @property
    def statement_profiles_dir(self) -> Path | None:
        """Where the clerk's own CSV statement profiles live (may not exist yet)."""
        try:
            return config_dir() / "profiles"
        except OSError:
            return None


def check_database(url: str) -> CheckReport:
    """``lettrage check`` on another database (a backup copy): its schema as it is, every
    capability's invariants, the connections closed afterwards."""
    engine = make_engine(url)
    try:
        return run_check(SqlStore(engine))
    finally:
        engine.dispose()


def build_services(url: str | None = None, create: bool = True) -> Services:
    """Services over the company at ``url``; ``create=False`` (every command but
    ``init`` and ``demo``) refuses a database that holds no company."""
    store = open_store(url, create=create)
    if not create:
        refuse_without_company(store, url or default_database_url())
    return Services(store)
