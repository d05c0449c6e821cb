"""Create Direct Debit Collection (bc-spec §10) inside a unit of work."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from core.direct_debit.mandates import state, valid_mandate
from core.direct_debit.models import DDBankSetup, DDCollection, DDEntry, DDMandate
from core.direct_debit.rules import DirectDebitError, sequence_type
from core.direct_debit.views import CollectRequest
from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.ledger.models import BankAccount, Company, LedgerEntry
from core.ledger.numbering import next_document_no

ACTIVE = ("new", "file_created")  # entries that hold an amount of their invoice


def bank_setup(s: Session, bank_no: str) -> tuple[BankAccount, DDBankSetup]:
    """The bank and its direct-debit setup, checked as BC does before a collection."""
    bank = s.get(BankAccount, bank_no)
    if bank is None:
        raise NotFoundError(N_("Bank account {bank_no} does not exist."), bank_no=bank_no)
    setup = s.get(DDBankSetup, bank_no)
    if setup is None or not setup.msg_nos:
        raise DirectDebitError(N_("The bank account {bank_no} is not set up for direct debit "
                                  "collections. Enter a number series in Direct Debit Msg. "
                                  "Nos."), bank_no=bank_no)
    if currency_of(s, bank) != "EUR":
        raise DirectDebitError(N_("Only transactions in euro (EUR) are allowed."))
    return bank, setup


def currency_of(s: Session, bank: BankAccount) -> str:
    if bank.currency:
        return bank.currency
    company = s.get(Company, 1)
    return company.currency if company else ""


def held_amounts(s: Session, entry_nos: list[int]) -> dict[int, int]:
    """Per invoice, the amount already on active collection entries."""
    out: dict[int, int] = defaultdict(int)
    for start in range(0, len(entry_nos), 500):
        part = entry_nos[start:start + 500]
        for no, total in s.execute(
                select(col(DDEntry.ledger_entry_no), func.sum(DDEntry.amount))
                .where(col(DDEntry.ledger_entry_no).in_(part), col(DDEntry.status).in_(ACTIVE))
                .group_by(col(DDEntry.ledger_entry_no))):
            out[int(no)] = int(total)
    return out


def _invoices(s: Session, req: CollectRequest, bank: BankAccount) -> list[LedgerEntry]:
    company = s.get(Company, 1)
    lcy = company.currency if company else ""
    wanted = {"", lcy} if bank.currency in ("", lcy) else {bank.currency}
    le = LedgerEntry
    return list(s.exec(select(le).where(
        le.party_type == "customer", col(le.open).is_(True), le.document_type == "invoice",
        col(le.due_date) >= req.from_date, col(le.due_date) <= req.to_date,
        col(le.currency).in_(wanted),
        *((col(le.document_no).in_(req.document_nos),) if req.document_nos else ()))
        .order_by(col(le.party_no), col(le.due_date),
                                               col(le.entry_no))).all())


def create_collection(s: Session, req: CollectRequest, today: date, now: datetime,
                      user: str) -> DDCollection:
    """One entry per not fully collected invoice due in the range whose customer has a
    valid mandate; refuses with BC's messages and writes nothing when none qualifies."""
    if req.to_date < req.from_date:
        raise DirectDebitError(N_("To Date must be equal to or greater than From Date."))
    bank, setup = bank_setup(s, req.bank_account_no)
    invoices = _invoices(s, req, bank)
    held = held_amounts(s, [e.entry_no for e in invoices])
    mandates: dict[str, DDMandate | None] = {}
    counters: dict[str, int] = {}
    rows: list[dict[str, object]] = []
    for e in invoices:
        transfer = max(e.due_date or today, today)
        m = valid_mandate(s, e.party_no, transfer, mandates)
        if m is None and (req.only_customers_with_mandate or req.only_invoices_with_mandate):
            continue
        if m is not None and req.partner_type and m.partner_type != req.partner_type:
            continue
        amount = e.remaining_amount - held.get(e.entry_no, 0)
        if amount <= 0:
            continue
        seq = ""
        if m is not None:
            n = counters.get(m.id, m.debit_counter)
            seq = sequence_type(replace(state(m), debit_counter=n))
            counters[m.id] = n + 1
        rows.append({"customer_no": e.party_no, "ledger_entry_no": e.entry_no,
                     "document_no": e.document_no, "transfer_date": transfer,
                     "currency": "EUR", "amount": amount, "sequence_type": seq,
                     "mandate_id": m.id if m else "", "status": "new"})
    if not rows:
        raise DirectDebitError(N_("No entries have been created."))
    identifier = next_document_no(s, setup.msg_nos)
    c = DDCollection(identifier=identifier, bank_account_no=bank.no, from_date=req.from_date,
                     to_date=req.to_date, partner_type=req.partner_type, created_at=now,
                     created_by=user[:50])
    s.add(c)
    s.flush()
    for i, r in enumerate(rows, 1):
        r["collection_no"] = c.no
        r["transaction_id"] = f"{identifier}-{i}"[:35]
    for start in range(0, len(rows), 1000):
        s.execute(insert(DDEntry), rows[start:start + 1000])
    return c

