"""The reports' use cases for the screens and the command line (``services.reports``):
each opens one read session and returns frozen values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.kernel.store import Store
from core.ledger.models import Company, Party
from core.reports.aging import (
    DEFAULT_BUCKETS,
    AgedEntry,
    AgingError,
    AgingOptions,
    AgingReport,
    aged_entries,
    run_aging,
)
from core.reports.figures import CashPicture, CustomerFigures, cash_picture, customer_figures
from core.reports.statement import Statement, build_statement, statement_customers


class ReportsService:
    def __init__(self, store: Store, today: Callable[[], date]) -> None:
        self.store = store
        self.today = today

    def aging(self, options: AgingOptions) -> AgingReport:
        with self.store.read() as s:
            return run_aging(s, options)

    def aging_entries(self, options: AgingOptions, bucket: int | None = None
                      ) -> list[AgedEntry]:
        """The drill-down: one party's (or every party's) entries at the date."""
        with self.store.read() as s:
            return aged_entries(s, options, bucket)

    def statement(self, customer_no: str, date_to: date, date_from: date | None = None,
                  buckets: tuple[int, ...] = DEFAULT_BUCKETS) -> Statement:
        start = date_from or date_to.replace(day=1)
        if start > date_to:
            raise AgingError(N_("The statement period starts ({start}) after it ends "
                                "({end})"), start=start, end=date_to)
        with self.store.read() as s:
            party = s.get(Party, ("customer", customer_no))
            if party is None:
                raise NotFoundError(N_("Customer {no} does not exist"), no=customer_no)
            company = s.get(Company, 1)
            assert company is not None
            return build_statement(s, party, company, start, date_to, buckets)

    def statement_customers(self, date_to: date, overdue_only: bool = False) -> list[str]:
        with self.store.read() as s:
            return statement_customers(s, date_to, overdue_only)

    def customer_figures(self, customer_no: str, as_of: date | None = None,
                         buckets: tuple[int, ...] = DEFAULT_BUCKETS) -> CustomerFigures:
        with self.store.read() as s:
            return customer_figures(s, customer_no, as_of or self.today(), buckets)

    def cash_picture(self, as_of: date | None = None) -> CashPicture:
        with self.store.read() as s:
            return cash_picture(s, as_of or self.today())
