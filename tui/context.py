"""What every screen receives by constructor: the services, the clock and the number
format. Screens never import the composition root (it imports storage), only this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from core.ledger.parties import PartyService
from core.queries.service import QueryService
from core.reports.service import ReportsService
from tui.widgets.formatting import NumberFormat

if TYPE_CHECKING:  # the prediction package is loaded when first used, not at start
    from core.feed.service import FeedService
    from core.reports.documents import StatementDocuments
from core.prediction.service import PredictionService


class AppServices(Protocol):
    """The part of ``tui.bootstrap.Services`` the screens use."""

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
    def reports(self) -> ReportsService: ...  # aging, statements, cash picture (#19)

    @property
    def statement_documents(self) -> StatementDocuments: ...  # statements out (#19)


@dataclass(frozen=True)
class Context:
    services: AppServices
    number_format: NumberFormat = field(default_factory=NumberFormat)

    def today(self) -> date:
        return self.services.today()
