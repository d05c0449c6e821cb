"""SEPA direct debit for screens and commands (``services.direct_debit``): one unit of
work per call, plain values back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.direct_debit import mandates as mnd
from core.direct_debit import receipts as rc
from core.direct_debit.collect import create_collection, held_amounts
from core.direct_debit.export import export_collection, get_collection
from core.direct_debit.loader import load_collections
from core.direct_debit.models import FORMATS, DDBankSetup, DDCollection, DDEntry, DDMandate
from core.direct_debit.rules import DirectDebitError, check_creditor_id
from core.direct_debit.status_report import apply_status_report, read_pain002
from core.direct_debit.views import (
    CollectionView,
    CollectRequest,
    EntryView,
    ExportResult,
    MandateView,
    StatusReport,
    collection_view,
    entry_view,
    mandate_view,
)
from core.i18n import N_, _, format_amount
from core.kernel.errors import NotFoundError
from core.kernel.files import read_capped
from core.kernel.money import to_minor
from core.kernel.store import Store, utc_now
from core.kernel.users import os_user
from core.ledger.loading import LoadingService, LoadResult
from core.ledger.models import (
    BankAccount,
    GLAccount,
    LedgerEntry,
    NoSeries,
    Party,
    PartyBankAccount,
)


class DirectDebitService:
    def __init__(self, store: Store, today: Callable[[], date] = date.today,
                 user: str | None = None) -> None:
        self.store = store
        self.today = today
        self.user = user or os_user()

    # --- setup and mandates -------------------------------------------------------------

    def setup_bank(self, bank_no: str, *, creditor_id: str, msg_nos: str,
                   export_format: str = "pain.008.001.02", return_fee_account: str = "") -> None:
        with self.store.write() as s:
            if s.get(BankAccount, bank_no) is None:
                raise NotFoundError(N_("Bank account {bank_no} does not exist."),
                                    bank_no=bank_no)
            if export_format not in FORMATS:
                raise DirectDebitError(N_("Unknown export format {fmt}: use pain.008.001.02 "
                                          "or pain.008.001.08."), fmt=export_format)
            if msg_nos and s.get(NoSeries, msg_nos) is None:
                raise NotFoundError(N_("Number series {series_code} does not exist"),
                                    series_code=msg_nos)
            if return_fee_account and s.get(GLAccount, return_fee_account) is None:
                raise NotFoundError(N_("G/L account {no} does not exist."),
                                    no=return_fee_account)
            cid = check_creditor_id(creditor_id)
            row = s.get(DDBankSetup, bank_no) or DDBankSetup(bank_account_no=bank_no)
            row.creditor_id, row.msg_nos, row.export_format = cid, msg_nos, export_format
            row.return_fee_account, row.version = return_fee_account, row.version + 1
            s.add(row)

    def add_mandate(self, customer_no: str, bank_account_code: str, mandate_id: str, *,
                    valid_from: date | None = None, valid_to: date | None = None,
                    date_of_signature: date | None = None, type_of_payment: str = "recurrent",
                    expected_debits: int = 1, ignore_expected: bool = False,
                    partner_type: str = "person", is_default: bool = True) -> MandateView:
        with self.store.write() as s:
            m = mnd.add_mandate(
                s, customer_no, bank_account_code, mandate_id,
                valid_from=valid_from or self.today(), valid_to=valid_to,
                date_of_signature=date_of_signature, type_of_payment=type_of_payment,
                expected_debits=expected_debits, ignore_expected=ignore_expected,
                partner_type=partner_type, is_default=is_default)
            return self._mandate_view(s, m)

    def set_blocked(self, mandate_id: str, blocked: bool) -> MandateView:
        with self.store.write() as s:
            m = mnd.get_mandate(s, mandate_id, lock=True)
            m.blocked, m.version = blocked, m.version + 1
            return self._mandate_view(s, m)

    def mandates(self, customer_no: str | None = None) -> list[MandateView]:
        with self.store.read() as s:
            q = select(DDMandate).order_by(col(DDMandate.customer_no), col(DDMandate.id))
            if customer_no:
                if s.get(Party, ("customer", customer_no)) is None:
                    raise NotFoundError(N_("Customer {customer_no} does not exist."),
                                        customer_no=customer_no)
                q = q.where(DDMandate.customer_no == customer_no)
            return [self._mandate_view(s, m) for m in s.exec(q).all()]

    @staticmethod
    def _mandate_view(s: Session, m: DDMandate) -> MandateView:
        bank = s.get(PartyBankAccount, ("customer", m.customer_no, m.bank_account_code))
        return mandate_view(m, bank.iban if bank else "")

    # --- collections --------------------------------------------------------------------

    def create_collection(self, req: CollectRequest) -> CollectionView:
        with self.store.write() as s:
            c = create_collection(s, req, self.today(), utc_now(), self.user)
            view = self._collection_view(s, c)
        return CollectionView(**{**view.__dict__, "message": _(
            "Collection {no} ({identifier}) created with {count} entries, {total} in "
            "total.").format(no=view.no, identifier=view.identifier, count=view.entries,
                             total=format_amount(view.total))})

    def collections(self) -> list[CollectionView]:
        with self.store.read() as s:
            rows = s.exec(select(DDCollection).order_by(col(DDCollection.no).desc())).all()
            return [self._collection_view(s, c) for c in rows]

    def collection(self, no: int) -> CollectionView:
        with self.store.read() as s:
            return self._collection_view(s, get_collection(s, no))

    @staticmethod
    def _collection_view(s: Session, c: DDCollection) -> CollectionView:
        count, total = s.execute(select(func.count(), func.coalesce(func.sum(DDEntry.amount), 0))
                                 .where(DDEntry.collection_no == c.no,
                                        DDEntry.status != "rejected")).one()
        return collection_view(c, int(count), int(total))

    def entries(self, collection_no: int) -> list[EntryView]:
        with self.store.read() as s:
            get_collection(s, collection_no)
            rows = s.exec(select(DDEntry).where(DDEntry.collection_no == collection_no)
                          .order_by(col(DDEntry.id))).all()
            names = dict(s.execute(select(col(Party.no), col(Party.name)).where(
                Party.party_type == "customer",
                col(Party.no).in_(sorted({e.customer_no for e in rows})))).all()) if rows else {}
            return [entry_view(e, names.get(e.customer_no, "")) for e in rows]

    def edit_entry(self, entry_id: int, transfer_date: date | None = None,
                   amount: Decimal | None = None) -> EntryView:
        """Change a New entry's transfer date and/or amount (None: unchanged)."""
        with self.store.write() as s:
            e = rc.get_entry(s, entry_id)
            inv = s.get(LedgerEntry, e.ledger_entry_no)
            open_amount = (inv.remaining_amount if inv else 0) - held_amounts(
                s, [e.ledger_entry_no]).get(e.ledger_entry_no, 0) + e.amount
            minor = None if amount is None else to_minor(amount)
            rc.set_transfer_date(e, transfer_date, minor, self.today(), open_amount)
            names = dict(s.execute(select(col(Party.no), col(Party.name)).where(
                Party.party_type == "customer", Party.no == e.customer_no)).all())
            return entry_view(e, names.get(e.customer_no, ""))

    def delete_entry(self, entry_id: int) -> None:
        with self.store.write() as s:
            e = rc.get_entry(s, entry_id)
            if e.status != "new":
                raise DirectDebitError(N_("Entry {entry} can only be deleted while New."),
                                       entry=entry_id)
            s.delete(e)

    def export(self, collection_no: int, path: Path, fmt: str | None = None) -> ExportResult:
        with self.store.write() as s:
            c, msg, used = export_collection(s, collection_no, path, fmt, self.today(),
                                             utc_now())
            count = sum(len(b.transactions) for b in msg.batches)
            total = sum((b.total for b in msg.batches), Decimal(0))
            return ExportResult(c.no or 0, str(path), used, count, total,
                                len(msg.batches), _(
                                    "Collection {no} exported to {path} ({fmt}): {count} "
                                    "entries in {batches} batches.").format(
                                        no=c.no, path=path, fmt=used, count=count,
                                        batches=len(msg.batches)))

    def reject(self, entry_id: int, reason: str) -> EntryView:
        if not reason.strip():
            raise DirectDebitError(N_("Enter the reason code of the rejection (e.g. MD06)."))
        with self.store.write() as s:
            e = rc.get_entry(s, entry_id)
            rc.reject(s, e, reason)
            return entry_view(e)

    def close(self, collection_no: int) -> CollectionView:
        with self.store.write() as s:
            c = get_collection(s, collection_no, lock=True)
            rc.close(c)
            return self._collection_view(s, c)

    def post_receipts(self, collection_no: int, *, journal_only: bool = False,
                      batch: str = "") -> CollectionView:
        """Post Payment Receipts; ``journal_only``: BC's Create Journal Only, the payment
        lines go to cash receipt journal batch ``batch`` (default DIRDEBIT) unposted."""
        with self.store.write() as s:
            if journal_only:
                c, name, count, synced = rc.create_journal_lines(s, collection_no, batch)
                message = _("{count} payment receipts of collection {no} written to cash "
                            "receipt journal batch {batch}, not posted: review and post them "
                            "there.").format(count=count, no=collection_no, batch=name)
            else:
                c, register, count, synced = rc.post_receipts(s, collection_no, self.user)
                message = _("{count} payment receipts of collection {no} posted (register "
                            "{register}).").format(count=count, no=collection_no,
                                                   register=register)
            view = self._collection_view(s, c)
        if synced:
            done = _("{count} entries of collection {no} were posted from a cash receipt "
                     "journal and are now Posted.").format(count=synced, no=collection_no)
            message = f"{done} {message}" if count else done
        return CollectionView(**{**view.__dict__, "message": message})

    def import_status_report(self, path: Path) -> StatusReport:
        """A pain.002 from the bank: rejects the entries it rejects, once per report."""
        data = read_capped(path)
        report = read_pain002(data)
        with self.store.write() as s:
            return apply_status_report(s, report, data, path.name, self.user, self.today(),
                                       utc_now())

    # --- migration --------------------------------------------------------------------

    def load_collections(self, path: Path) -> LoadResult:
        """``lettrage load dd-collections``: collections another system already sent."""
        with self.store.write() as s:
            return load_collections(s, path, self.user, utc_now())

    def load_bank_accounts(self, path: Path) -> LoadResult:
        """``lettrage load bank-accounts`` with the optional ``dd_mandate_id`` and
        ``dd_mandate_valid_from`` columns (a recurrent mandate on the account)."""
        return LoadingService(self.store, self.user).load_bank_accounts(
            path, row_hook=mnd.mandate_row_hook(self.today()))
