"""Create Direct Debit Collection (bc-spec §10) inside a unit of work."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.direct_debit.mandates import state
from core.direct_debit.models import (
    PARTNER_TYPES,
    DDBankSetup,
    DDCollection,
    DDEntry,
    DDEntryRow,
    DDMandate,
)
from core.direct_debit.rules import DirectDebitError, MandateState, is_active, sequence_type
from core.direct_debit.views import CollectRequest
from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.kernel.records import bulk_insert_dicts
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


def _invoices(s: Session, req: CollectRequest, bank: BankAccount) -> list[Any]:
    """(entry no., customer, document no., due date, remaining) of the open invoices."""
    company = s.get(Company, 1)
    lcy = company.currency if company else ""
    wanted = {"", lcy} if bank.currency in ("", lcy) else {bank.currency}
    le = LedgerEntry
    return list(s.execute(sa_select(
        col(le.entry_no), col(le.party_no), col(le.document_no), col(le.due_date),
        col(le.remaining_amount)).where(
        col(le.party_type) == "customer", col(le.open).is_(True),
        col(le.document_type) == "invoice",
        col(le.due_date) >= req.from_date, col(le.due_date) <= req.to_date,
        col(le.currency).in_(wanted),
        *((col(le.document_no).in_(req.document_nos),) if req.document_nos else ()))
        .order_by(col(le.party_no), col(le.due_date), col(le.entry_no))).all())


def mandates_of(s: Session, customer_nos: list[str]) -> dict[str, list[DDMandate]]:
    """Each customer's mandates, the default one first."""
    out: dict[str, list[DDMandate]] = defaultdict(list)
    for start in range(0, len(customer_nos), 500):
        for m in s.exec(select(DDMandate).where(
                col(DDMandate.customer_no).in_(customer_nos[start:start + 500]))
                .order_by(col(DDMandate.is_default).desc(), col(DDMandate.id))).all():
            out[m.customer_no].append(m)
    return out


def _pick(mandates: list[DDMandate], states: dict[str, MandateState], day: date
          ) -> DDMandate | None:
    for m in mandates:
        st = states.get(m.id)
        if st is None:
            st = states[m.id] = state(m)
        if is_active(st, day):
            return m
    return None


def create_collection(s: Session, req: CollectRequest, today: date, now: datetime,
                      user: str) -> DDCollection:
    """One entry per not fully collected invoice due in the range whose customer has a
    valid mandate; refuses with BC's messages and writes nothing when none qualifies."""
    if req.to_date < req.from_date:
        raise DirectDebitError(N_("To Date must be equal to or greater than From Date."))
    if req.partner_type and req.partner_type not in PARTNER_TYPES:
        raise DirectDebitError(N_("Unknown partner type {value}: use person or company, or "
                                  "leave it empty for both."), value=req.partner_type)
    bank, setup = bank_setup(s, req.bank_account_no)
    invoices = _invoices(s, req, bank)
    held = held_amounts(s, [r.entry_no for r in invoices])
    mandates = mandates_of(s, sorted({r.party_no for r in invoices}))
    states: dict[str, MandateState] = {}
    counters: dict[str, int] = {}
    # (customer, invoice entry, document, transfer date, amount, sequence type, mandate)
    picked: list[tuple[str, int, str, date, int, str, str]] = []
    for entry_no, party_no, document_no, due, remaining in invoices:
        transfer = max(due or today, today)
        m = _pick(mandates.get(party_no, []), states, transfer)
        if m is None and (req.only_customers_with_mandate or req.only_invoices_with_mandate):
            continue
        if m is not None and req.partner_type and m.partner_type != req.partner_type:
            continue
        amount = remaining - held.get(entry_no, 0)
        if amount <= 0:
            continue
        seq = ""
        if m is not None:
            n = counters.get(m.id, m.debit_counter)
            seq = sequence_type(replace(states[m.id], debit_counter=n))
            counters[m.id] = n + 1
        picked.append((party_no, entry_no, document_no, transfer, amount, seq,
                       m.id if m else ""))
    if not picked:
        raise DirectDebitError(N_("No entries have been created."))
    identifier = next_document_no(s, setup.msg_nos)
    c = DDCollection(identifier=identifier, bank_account_no=bank.no, from_date=req.from_date,
                     to_date=req.to_date, partner_type=req.partner_type, created_at=now,
                     created_by=user[:50])
    s.add(c)
    s.flush()
    assert c.no is not None
    rows = [DDEntryRow(collection_no=c.no, customer_no=party_no, ledger_entry_no=entry_no,
                       document_no=document_no, transfer_date=transfer, currency="EUR",
                       amount=amount, transaction_id=f"{identifier}-{i}"[:35],
                       sequence_type=seq, mandate_id=mandate_id, status="new")
            for i, (party_no, entry_no, document_no, transfer, amount, seq, mandate_id)
            in enumerate(picked, 1)]
    bulk_insert_dicts(s.connection(), DDEntry.__table__,  # type: ignore[attr-defined]
                      rows, chunk=1000)
    return c
