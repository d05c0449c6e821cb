"""``lettrage load dd-collections FILE.csv``: collections another system already sent,
so their bank credits and returns match here.

Columns ``batch_id,collection_date,entry_no,customer_no,document_no,mandate_id,
end_to_end_id,amount,status`` (status ``sent`` or ``returned``; ``entry_no`` may be
empty). One collection per ``batch_id`` (its message ID and batch reference), on the bank
account set up for direct debit. Every row is checked before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session, select

from core.direct_debit.models import DDBankSetup, DDCollection, DDEntry, DDMandate
from core.i18n import N_
from core.kernel.errors import ImportFileError
from core.kernel.money import AmountError, parse_amount, to_minor
from core.ledger.load_csv import RowError, Rows, lock_loads, previous_load, record_load
from core.ledger.loading import LoadResult
from core.ledger.models import LedgerEntry

COLUMNS = ("batch_id", "collection_date", "entry_no", "customer_no", "document_no",
           "mandate_id", "end_to_end_id", "amount", "status")


def _bank(s: Session) -> str:
    row = s.exec(select(DDBankSetup).order_by(DDBankSetup.bank_account_no)).first()
    if row is None:
        raise ImportFileError(N_("No bank account is set up for direct debit collections; "
                                 "set one up before loading collections."))
    return row.bank_account_no


def _row(s: Session, row: dict[str, str], seen: set[str]) -> DDEntry:
    if not row["batch_id"]:
        raise RowError("batch_id", N_("a batch ID is required"))
    try:
        day = date.fromisoformat(row["collection_date"])
    except ValueError:
        raise RowError("collection_date", N_("'{value}' is not a date (YYYY-MM-DD)"),
                       value=row['collection_date']) from None
    try:
        amount = parse_amount(row["amount"])
    except AmountError:
        raise RowError("amount", N_("'{value}' is not an amount"), value=row['amount']) from None
    if amount <= Decimal(0):
        raise RowError("amount", N_("the amount must be positive"))
    status = row["status"].lower()
    if status not in ("sent", "returned"):
        raise RowError("status", N_("'{value}' must be sent or returned"), value=row['status'])
    e2e = row["end_to_end_id"]
    if not e2e or len(e2e) > 35:
        raise RowError("end_to_end_id", N_("an end-to-end ID of up to 35 characters is required"))
    if e2e in seen or s.exec(select(DDEntry).where(DDEntry.transaction_id == e2e)).first():
        raise RowError("end_to_end_id", N_("end-to-end ID {e2e} is already registered"), e2e=e2e)
    seen.add(e2e)
    m = s.get(DDMandate, row["mandate_id"])
    if m is None or m.customer_no != row["customer_no"]:
        raise RowError("mandate_id", N_("mandate '{value}' of customer {value2} does not exist"),
                       value=row['mandate_id'], value2=row['customer_no'])
    inv = s.exec(select(LedgerEntry).where(
        LedgerEntry.party_type == "customer", LedgerEntry.party_no == row["customer_no"],
        LedgerEntry.document_no == row["document_no"],
        LedgerEntry.document_type == "invoice")).first()
    if inv is None:
        raise RowError("document_no", N_("customer {value} has no invoice {value2}"),
                       value=row['customer_no'], value2=row['document_no'])
    entry_id = None
    if row["entry_no"]:
        if not row["entry_no"].isdigit() or s.get(DDEntry, int(row["entry_no"])) is not None:
            raise RowError("entry_no", N_("entry no. '{value}' is not a free number"),
                           value=row['entry_no'])
        entry_id = int(row["entry_no"])
    return DDEntry(id=entry_id, collection_no=0, customer_no=row["customer_no"],
                   ledger_entry_no=inv.entry_no, document_no=inv.document_no,
                   transfer_date=day, currency="EUR", amount=to_minor(amount),
                   transaction_id=e2e, sequence_type="RCUR", mandate_id=m.id,
                   status="file_created" if status == "sent" else "rejected",
                   returned=status == "returned", payment_info_id=row["batch_id"][:35])


def load_collections(s: Session, path: Path, user: str, now: datetime) -> LoadResult:
    rows = Rows(path, COLUMNS)
    lock_loads(s)
    previous = previous_load(s, "dd-collections", rows.sha256)
    if previous is not None:
        return LoadResult("dd-collections", str(path), rows.count, 0,
                          already_loaded=previous.describe(path))
    bank = _bank(s)
    seen: set[str] = set()
    batches: dict[str, list[DDEntry]] = defaultdict(list)
    for i, row in rows:
        try:
            e = _row(s, row, seen)
            batches[e.payment_info_id].append(e)
        except RowError as exc:
            rows.fail(i, exc.column, exc.text)
    rows.raise_errors()
    if not batches:
        raise ImportFileError(N_("{path}: the file has a header but no rows"), path=path)
    for batch_id, entries in batches.items():
        if s.exec(select(DDCollection).where(DDCollection.identifier == batch_id)).first():
            raise ImportFileError(N_("{path}: batch {batch} is already registered; nothing "
                                     "was loaded"), path=path, batch=batch_id)
        c = DDCollection(identifier=batch_id, bank_account_no=bank, status="file_created",
                         created_at=now, created_by=user[:50], exported_at=now,
                         export_format="", exported_file=str(path)[:500])
        s.add(c)
        s.flush()
        for e in entries:
            e.collection_no = c.no or 0
            s.add(e)
    s.flush()
    record_load(s, "dd-collections", rows, user)
    return LoadResult("dd-collections", str(path), rows.count, rows.count)
