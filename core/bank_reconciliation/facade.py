"""The bank reconciliation services of one company, as the app's context hands them out."""

from __future__ import annotations

from dataclasses import dataclass

from core.bank_reconciliation.checks import CheckService
from core.bank_reconciliation.posting import BankRecPosting
from core.bank_reconciliation.service import BankRecService
from core.bank_reconciliation.transfer import TransferService
from core.kernel.store import Store


@dataclass(frozen=True)
class BankRecServices:
    store: Store
    user: str | None = None

    @property
    def rec(self) -> BankRecService:
        return BankRecService(self.store, self.user)

    @property
    def posting(self) -> BankRecPosting:
        return BankRecPosting(self.store, self.user)

    @property
    def transfer(self) -> TransferService:
        return TransferService(self.store, self.user)

    @property
    def checks(self) -> CheckService:
        return CheckService(self.store, self.user)
