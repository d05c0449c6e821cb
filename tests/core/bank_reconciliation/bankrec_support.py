"""Builders for the bank reconciliation service tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import col, select

from core.bank_reconciliation.checks import CheckService
from core.bank_reconciliation.posting import BankRecPosting
from core.bank_reconciliation.service import BankRecService
from core.bank_reconciliation.transfer import TransferService
from core.kernel.store import Store
from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.models import BankLedgerEntry
from core.ledger.posting import PostingService

BANK = "BANK1"


class Kit:
    """The services of one test company."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rec = BankRecService(store, user="clerk")
        self.posting = BankRecPosting(store, user="clerk")
        self.transfer = TransferService(store, user="clerk")
        self.checks = CheckService(store, user="clerk")

    def entry(self, amount: str, day: date, doc: str, ext: str = "", desc: str = "",
              method: str = "", bal: tuple[str, str] = ("gl_account", "3900")) -> int:
        """Post one bank entry (against the opening account by default)."""
        PostingService(self.store).post_lines([LineDraft(
            posting_date=day, account_type="bank_account", account_no=BANK,
            amount=Decimal(amount), document_type="payment", document_no=doc,
            external_document_no=ext, description=desc or doc, bal_account_type=bal[0],
            bal_account_no=bal[1], payment_method=method, ref="line 1")])
        with self.store.read() as s:
            e = s.exec(select(BankLedgerEntry).order_by(col(BankLedgerEntry.entry_no).desc())
                       ).first()
            assert e is not None
            return int(e.entry_no)

    def bank_entry(self, no: int) -> BankLedgerEntry:
        with self.store.read() as s:
            e = s.get(BankLedgerEntry, no)
            assert e is not None
            s.expunge(e)
            return e

    def assert_books_ok(self) -> None:
        report = run_check(self.store)
        assert report.ok, [r for r in report.results if not r.ok]
