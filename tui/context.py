"""What every screen receives by constructor: the services, the clock and the number
format. Screens never import the composition root (it imports storage), only this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from core.ledger.parties import PartyService
from core.queries.service import QueryService
from tui.widgets.formatting import NumberFormat


class AppServices(Protocol):
    """The part of ``tui.bootstrap.Services`` the screens use."""

    @property
    def queries(self) -> QueryService: ...

    @property
    def parties(self) -> PartyService: ...

    @property
    def today(self) -> Callable[[], date]: ...


@dataclass(frozen=True)
class Context:
    services: AppServices
    number_format: NumberFormat = field(default_factory=NumberFormat)

    def today(self) -> date:
        return self.services.today()
