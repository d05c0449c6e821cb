"""Check ledger entries (BC "Check Ledger Entry").

A payment posted with payment method ``check`` (the payment journal line's
``payment_method``; the document no. is the check no.) writes a check entry beside its
bank entry, through ``core.posting.BANK_ENTRY_WRITERS``. ``CheckService.void``
voids a check as BC does: *financially* posts the reversing bank entry (against the
account the check paid) and closes both bank entries; *not financially* only marks
the check voided (the bank entry stays outstanding until a statement shows it).
Reconciling the bank entry closes the check entry (see ``posting``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from core.bank_reconciliation.models import CheckLedgerEntry, CheckLedgerEntryRow
from core.bank_reconciliation.store import BankRecError
from core.bank_reconciliation.views import CheckView
from core.i18n import N_, _
from core.kernel.errors import NotFoundError, PostingError, Text
from core.kernel.money import from_minor
from core.kernel.store import Store
from core.ledger import poster as ledger_posting
from core.ledger.drafts import LineDraft
from core.ledger.models import BankLedgerEntry
from core.ledger.poster import Poster, os_user

CHECK_METHOD = "check"
COUNTER = "check_entry"


def check_rows(poster: Poster, pairs: list[tuple[LineDraft, Any]]
               ) -> list[tuple[type, Sequence[Mapping[str, Any]]]]:
    """The check entries of the check lines of a posting (a ``BANK_ENTRY_WRITERS`` hook)."""
    rows: list[CheckLedgerEntryRow] = []
    for line, entry in pairs:
        if line.payment_method != CHECK_METHOD:
            raise PostingError(
                N_("{ref}: unknown payment method '{payment_method}' (only '{CHECK_METHOD}')"),
                value=line.ref or "the line",
                payment_method=line.payment_method,
                CHECK_METHOD=CHECK_METHOD,
            )
        if entry.amount >= 0:
            raise PostingError(
                N_(
                    "{value}: a check pays money out of bank account "
                    "{bank_account_no}; the amount has the wrong sign"
                ),
                value=line.ref or "the line",
                bank_account_no=entry.bank_account_no,
            )
        if not line.document_no:
            raise PostingError(N_("{ref}: a check needs its check no. in the document no."),
                               ref=line.ref or _('the line'))
        rows.append(check_row(poster, entry, line.document_no, line.description))
    return [(CheckLedgerEntry, rows)]


def check_row(poster: Poster, entry: Any, check_no: str, description: str
              ) -> CheckLedgerEntryRow:
    """The check entry beside the new bank entry ``entry`` (a record of the posting)."""
    return CheckLedgerEntryRow(
        entry_no=poster.counters.next(COUNTER), bank_account_no=entry.bank_account_no,
        bank_entry_no=entry.entry_no, posting_date=entry.posting_date,
        check_date=entry.posting_date, check_no=check_no[:40],
        document_no=entry.document_no[:50], description=description[:250],
        amount=-entry.amount, bal_account_type=entry.bal_account_type,
        bal_account_no=entry.bal_account_no, status="posted", open=True,
        statement_status="open", statement_no="", void_bank_entry_no=None, version=1)


def register() -> None:
    if check_rows not in ledger_posting.BANK_ENTRY_WRITERS:
        ledger_posting.BANK_ENTRY_WRITERS.append(check_rows)


def _view(c: CheckLedgerEntry) -> CheckView:
    return CheckView(c.entry_no, c.bank_account_no, c.bank_entry_no, c.check_no, c.check_date,
                     from_minor(c.amount), c.status, c.statement_status, c.open)


class CheckService:
    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user if user is not None else os_user("")

    def checks(self, bank_no: str, open_only: bool = False) -> list[CheckView]:
        """The check ledger entries of bank account ``bank_no`` (of every bank when blank)."""
        with self.store.read() as s:
            q = select(CheckLedgerEntry)
            if bank_no:
                q = q.where(CheckLedgerEntry.bank_account_no == bank_no)
            if open_only:
                q = q.where(col(CheckLedgerEntry.open).is_(True))
            return [_view(c) for c in s.exec(q.order_by(col(CheckLedgerEntry.entry_no)))]

    def find(self, bank_no: str, check_no: str) -> CheckView:
        """The check ``check_no`` of bank account ``bank_no``: the open one when the no.
        was used again after a void, else the latest."""
        with self.store.read() as s:
            rows = list(s.exec(select(CheckLedgerEntry).where(
                CheckLedgerEntry.bank_account_no == bank_no,
                CheckLedgerEntry.check_no == check_no)
                .order_by(col(CheckLedgerEntry.entry_no))).all())
        if not rows:
            raise NotFoundError(N_("Bank account {bank} has no check no. {check_no}"),
                                bank=bank_no, check_no=check_no)
        open_rows = [c for c in rows if c.open]
        if len(open_rows) > 1:
            raise BankRecError(N_("Bank account {bank} has {count} open checks no. "
                                  "{check_no}: void them by entry no. on the check ledger "
                                  "entries"), bank=bank_no, count=len(open_rows),
                               check_no=check_no)
        return _view((open_rows or rows)[-1])

    def void_check(self, bank_no: str, check_no: str, financially: bool,
                   void_date: date | None = None) -> CheckView:
        """``void`` by check no. (the command line's ``bank-rec void-check``)."""
        return self.void(self.find(bank_no, check_no).entry_no, financially, void_date)

    def void(self, entry_no: int, financially: bool, void_date: date | None = None) -> CheckView:
        with self.store.write() as s:
            c = s.exec(select(CheckLedgerEntry).where(CheckLedgerEntry.entry_no == entry_no)
                       .with_for_update()).first()
            if c is None:
                raise NotFoundError(N_("Check ledger entry {entry_no} does not exist"),
                                    entry_no=entry_no)
            if c.status != "posted" or not c.open:
                raise BankRecError(N_("Check {check_no} (entry {entry_no}) cannot be "
                                      "voided: it is {replace}{closed}"), check_no=c.check_no,
                                   entry_no=entry_no, replace=c.status.replace('_', ' '),
                                   closed="" if c.open else Text(N_(" and closed")))
            bank_entry = s.get(BankLedgerEntry, c.bank_entry_no)
            assert bank_entry is not None
            if bank_entry.statement_status != "open" or not bank_entry.open:
                raise BankRecError(
                    N_(
                        "Check {check_no}: its bank entry {entry_no} is "
                        "matched or reconciled on statement {statement_no}; "
                        "remove the match first"
                    ),
                    check_no=c.check_no,
                    entry_no=bank_entry.entry_no,
                    statement_no=bank_entry.statement_no,
                )
            if financially:
                c.void_bank_entry_no = self._post_void(s, c, bank_entry,
                                                       void_date or c.posting_date)
                c.status = "financially_voided"
            else:
                c.status = "voided"
            c.open, c.version = False, c.version + 1
            return _view(c)

    def _post_void(self, s: Session, c: CheckLedgerEntry, b: BankLedgerEntry, day: date) -> int:
        """The reversing bank entry; both bank entries close (they cancel out)."""
        if day < b.posting_date:
            raise BankRecError(N_("The void date {day} is before the check's posting date "
                                  "{posting_date}"), day=day, posting_date=b.posting_date)
        amount = Decimal(from_minor(c.amount))
        draft = LineDraft(posting_date=day, account_type="bank_account",
                          account_no=c.bank_account_no, amount=amount,
                          document_no=c.document_no or c.check_no,
                          description=_("Void check {check_no}").format(
                              check_no=c.check_no)[:100],
                          bal_account_type=c.bal_account_type or "gl_account",
                          bal_account_no=c.bal_account_no, ref=f"check {c.check_no}")
        poster = Poster(s, source_code="VOIDCHECK", user=self.user)
        poster.post([draft])
        new_no = poster.bank_entries[0].entry_no
        s.execute(update(BankLedgerEntry).where(
            col(BankLedgerEntry.entry_no).in_([b.entry_no, new_no]))
            .values(open=False, remaining_amount=0, statement_status="closed",
                    closed_at_date=day, version=BankLedgerEntry.version + 1)
            .execution_options(synchronize_session=False))
        s.expire(b)
        return int(new_no)
