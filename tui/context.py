"""What every screen receives by constructor: the services, the clock and the number
format. Screens never import the composition root (it imports storage), only this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from core.ledger.parties import PartyService
from core.prediction.service import PredictionService
from core.queries.service import QueryService
from core.reports.service import ReportsService
from tui.widgets.formatting import NumberFormat

if TYPE_CHECKING:  # types only: each capability's services load when first used
    from pathlib import Path

    from core.application.journal import JournalService
    from core.application.service import ApplicationService
    from core.application.tolerance import ToleranceService
    from core.audit.queries import AuditQueryService
    from core.bank_reconciliation.facade import BankRecServices
    from core.collections.hub import CollectionsHub
    from core.direct_debit.service import DirectDebitService
    from core.feed.service import FeedService
    from core.reconciliation.service import ReconciliationService
    from core.reconciliation.setup import MatchingSetupService
    from core.registration.sales import SalesService
    from core.registration.service import RegistrationService
    from core.registration.setup import RegistrationSetupService
    from core.reports.documents import StatementDocuments
    from core.statements.importer import StatementImportService


class AppServices(Protocol):
    """What the screens may call: ``tui.bootstrap.Services`` as screens see it (a new
    capability adds its property there and here)."""

    @property
    def queries(self) -> QueryService: ...

    @property
    def parties(self) -> PartyService: ...

    @property
    def prediction(self) -> PredictionService: ...

    @property
    def feed(self) -> FeedService: ...

    @property
    def today(self) -> Callable[[], date]: ...

    @property
    def direct_debit(self) -> DirectDebitService: ...  # SEPA direct debit (#20)

    @property
    def reports(self) -> ReportsService: ...  # aging, statements, cash picture (#19)

    @property
    def statement_documents(self) -> StatementDocuments: ...  # statements out (#19)

    @property
    def reconciliation(self) -> ReconciliationService: ...

    @property
    def statement_import(self) -> StatementImportService: ...

    @property
    def statement_profiles_dir(self) -> Path | None: ...

    @property
    def matching_setup(self) -> MatchingSetupService: ...

    @property
    def journal(self) -> JournalService: ...

    @property
    def applications(self) -> ApplicationService: ...

    @property
    def tolerance(self) -> ToleranceService: ...

    @property
    def audit(self) -> AuditQueryService: ...

    @property
    def bank_rec(self) -> BankRecServices: ...

    @property
    def collections(self) -> CollectionsHub: ...

    @property
    def sales(self) -> SalesService: ...

    @property
    def registration(self) -> RegistrationService: ...

    @property
    def registration_setup(self) -> RegistrationSetupService: ...


@dataclass(frozen=True)
class Context:
    services: AppServices
    number_format: NumberFormat = field(default_factory=NumberFormat)

    def today(self) -> date:
        return self.services.today()
