"""Claims on payment reconciliation journals (one clerk works a journal, the others read
it): ``core.audit.claims`` for the journals of this package."""

from __future__ import annotations

from contextlib import AbstractContextManager

from core.audit.claims import (
    DEFAULT_TTL,
    HEARTBEAT_EVERY,
    ClaimedError,
    ClaimResult,
    ClaimService,
    ClaimView,
    journal_resource,
)
from core.i18n import N_, _
from core.kernel.store import Clock, Store, utc_now
from core.reconciliation.models import ReconJournal


def journal_what(statement_no: str, bank_account_no: str) -> str:
    return _("Statement {statement_no} of {bank_account_no}").format(
               statement_no=statement_no, bank_account_no=bank_account_no)


class JournalClaims:
    """Claims on payment reconciliation journals for one app session (``session``); what
    the journal screens and ``lettrage reconcile`` use."""

    def __init__(self, store: Store, user: str, session: str | None,
                 clock: Clock = utc_now) -> None:
        self.store = store
        self.session = session
        self.service = ClaimService(store, user, clock=clock)

    def _what(self, journal_id: int) -> str:
        with self.store.read() as s:
            j = s.get(ReconJournal, journal_id)
            return journal_what(j.statement_no, j.bank_account_no) if j is not None \
                else _("Payment reconciliation journal {journal_id}").format(journal_id=journal_id)

    def _token(self) -> str:
        if not self.session:
            raise ClaimedError(N_("This session has no claim token (a programming error)."))
        return self.session

    def claim(self, journal_id: int, *, take_over: bool = False,
              ttl: int = DEFAULT_TTL) -> ClaimResult:
        return self.service.claim(journal_resource(journal_id), self._token(), ttl,
                                  take_over=take_over, what=self._what(journal_id))

    def renew(self, journal_id: int, ttl: int = DEFAULT_TTL) -> ClaimResult:
        return self.service.renew(journal_resource(journal_id), self._token(), ttl,
                                  what=self._what(journal_id))

    def release(self, journal_id: int) -> bool:
        return self.service.release(journal_resource(journal_id), self._token())

    def holder(self, journal_id: int) -> ClaimView | None:
        return self.service.who_holds(journal_resource(journal_id))

    def hold(self, journal_id: int, *, every: float | None = HEARTBEAT_EVERY
             ) -> AbstractContextManager[ClaimResult]:
        """Hold the journal for a command line run (claim, heartbeat, release)."""
        return self.service.hold(journal_resource(journal_id), self._token(),
                                 what=self._what(journal_id), every=every)
