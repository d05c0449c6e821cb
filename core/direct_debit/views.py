"""Plain values of direct debit for screens and the command line (never ORM rows)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.direct_debit.models import DDCollection, DDEntry, DDMandate
from core.kernel.money import from_minor


@dataclass(frozen=True)
class MandateView:
    id: str
    customer_no: str
    bank_account_code: str
    iban: str
    valid_from: date | None
    valid_to: date | None
    date_of_signature: date | None
    type_of_payment: str
    partner_type: str
    expected_debits: int
    debit_counter: int
    blocked: bool
    closed: bool
    is_default: bool
    version: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def mandate_view(m: DDMandate, iban: str = "") -> MandateView:
    return MandateView(m.id, m.customer_no, m.bank_account_code, iban, m.valid_from,
                       m.valid_to, m.date_of_signature, m.type_of_payment, m.partner_type,
                       m.expected_debits, m.debit_counter, m.blocked, m.closed, m.is_default,
                       m.version)


@dataclass(frozen=True)
class EntryView:
    id: int
    collection_no: int
    customer_no: str
    customer_name: str
    ledger_entry_no: int
    document_no: str
    transfer_date: date
    amount: Decimal
    transaction_id: str
    sequence_type: str
    mandate_id: str
    status: str
    reject_reason: str
    payment_info_id: str
    returned: bool
    version: int

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["amount"] = str(self.amount)
        return d


def entry_view(e: DDEntry, name: str = "") -> EntryView:
    assert e.id is not None
    return EntryView(e.id, e.collection_no, e.customer_no, name, e.ledger_entry_no,
                     e.document_no, e.transfer_date, from_minor(e.amount), e.transaction_id,
                     e.sequence_type, e.mandate_id, e.status, e.reject_reason,
                     e.payment_info_id, e.returned, e.version)


@dataclass(frozen=True)
class CollectionView:
    no: int
    identifier: str
    bank_account_no: str
    from_date: date | None
    to_date: date | None
    partner_type: str
    status: str
    export_format: str
    exported_file: str
    exported_at: datetime | None
    entries: int
    total: Decimal
    version: int
    message: str = ""

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["total"] = str(self.total)
        return d


def collection_view(c: DDCollection, count: int, total: int, message: str = ""
                    ) -> CollectionView:
    assert c.no is not None
    return CollectionView(c.no, c.identifier, c.bank_account_no, c.from_date, c.to_date,
                          c.partner_type, c.status, c.export_format, c.exported_file,
                          c.exported_at, count, from_minor(total), c.version, message)


@dataclass(frozen=True)
class ExportResult:
    collection_no: int
    path: str
    format: str
    transactions: int
    total: Decimal
    batches: int
    message: str

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["total"] = str(self.total)
        return d


@dataclass(frozen=True)
class CollectRequest:
    bank_account_no: str
    from_date: date
    to_date: date
    partner_type: str = ""  # '' = any
    only_customers_with_mandate: bool = True
    only_invoices_with_mandate: bool = True
    document_nos: tuple[str, ...] = ()  # only these invoices (e.g. the clerk's selection)


@dataclass(frozen=True)
class StatusReport:
    """What a pain.002 did: entries rejected (of them, those whose posted payment was
    undone), end-to-end IDs it named that are unknown here, or not File Created or
    Posted (left alone)."""

    msg_id: str
    original_msg_id: str
    rejected: tuple[int, ...]
    reopened: tuple[int, ...]
    unknown: tuple[str, ...]
    skipped: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"msg_id": self.msg_id, "original_msg_id": self.original_msg_id,
                "rejected": list(self.rejected), "reopened": list(self.reopened),
                "unknown": list(self.unknown), "skipped": list(self.skipped)}
