"""Loading the match index from the database in a few column queries.

Open customer/vendor entries of the document types BC matches, without an Applies-to
ID set elsewhere, net of what lines of other open journals already apply; parties with
their bank accounts; open bank ledger entries of the bank. Rows are read as tuples,
never as ORM objects, so 100,000 entries load in about a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from core.kernel.money import from_minor_places
from core.ledger.models import (
    BankAccount,
    BankLedgerEntry,
    Company,
    DetailedLedgerEntry,
    LedgerEntry,
    Party,
    PartyBankAccount,
)
from core.matching import (
    BankEntryRef,
    DirectDebitRef,
    MatchIndex,
    MatchSettings,
    OpenEntryRef,
    PartyRef,
)
from core.reconciliation.models import AppliedPaymentEntry, ReconJournal

MATCH_DOC_TYPES = ("", "invoice", "credit_memo", "finance_charge_memo", "reminder")
Reserved = dict[tuple[str, int], int]
_ZERO = Decimal("0.00")


def _dec(units: int) -> Decimal:
    """Minor units -> Decimal (cents: the journal's amounts are at two decimals)."""
    return from_minor_places(units) if units else _ZERO


def settings_for(bank: BankAccount) -> MatchSettings:
    kind = bank.match_tolerance_type if bank.match_tolerance_type in ("amount",
                                                                      "percentage") else "amount"
    return MatchSettings(tolerance_type=kind,  # type: ignore[arg-type]
                         tolerance_value=Decimal(bank.match_tolerance_value or "0"),
                         bank_account_no=bank.no)


def reserved_elsewhere(s: Session, journal_id: int | None) -> Reserved:
    """(space, entry no.) -> minor units applied on lines of other open journals, where
    space is 'cv' for customer/vendor entries and 'bank' for bank ledger entries."""
    ape = AppliedPaymentEntry
    stmt = (select(col(ape.account_type), col(ape.applies_to_entry_no),
                   func.sum(col(ape.applied_amount)))
            .join(ReconJournal, col(ReconJournal.id) == col(ape.journal_id))
            .where(col(ReconJournal.status) == "open", col(ape.applies_to_entry_no).is_not(None))
            .group_by(col(ape.account_type), col(ape.applies_to_entry_no)))
    if journal_id is not None:
        stmt = stmt.where(col(ape.journal_id) != journal_id)
    out: Reserved = defaultdict(int)
    for account_type, entry_no, total in s.execute(stmt):
        space = "bank" if account_type == "bank_account" else "cv"
        out[(space, int(entry_no))] += int(total)
    return out


def _currencies(bank: BankAccount, company_currency: str) -> tuple[str, ...]:
    if bank.currency and bank.currency != company_currency:
        return (bank.currency,)
    return ("", company_currency)


def no_tolerance_parties(s: Session) -> set[tuple[str, str]] | None:
    """Parties whose short payments may NOT close through payment tolerance (Block
    Payment Tolerance, or Apply to Oldest: BC never posts tolerance for them), or None
    when nobody's may: the Payment Tolerance Warning is on (BC asks at posting and,
    unanswered, leaves the balance open)."""
    company = s.get(Company, 1)
    if company is None or company.payment_tolerance_warning:
        return None
    p = Party
    rows: Any = s.connection().execute(select(col(p.party_type), col(p.no)).where(
        (col(p.block_payment_tolerance).is_(True))
        | (col(p.application_method) == "apply_to_oldest")))
    return {(ptype, no) for ptype, no in rows}


def load_entries(s: Session, bank: BankAccount, company_currency: str,
                 reserved: Reserved) -> list[OpenEntryRef]:
    le = LedgerEntry
    blocked = no_tolerance_parties(s)
    stmt = select(*(col(c) for c in (
        le.entry_no, le.party_type, le.party_no, le.document_type, le.document_no,
        le.external_document_no, le.payment_reference, le.remaining_amount, le.posting_date,
        le.due_date, le.remaining_pmt_disc_possible, le.pmt_discount_date,
        le.pmt_disc_tolerance_date, le.max_payment_tolerance))).where(
        col(le.open).is_(True), col(le.applies_to_id) == "",
        col(le.document_type).in_(MATCH_DOC_TYPES),
        col(le.currency).in_(_currencies(bank, company_currency)))
    out: list[OpenEntryRef] = []
    add = out.append
    # Core rows fetched at once (no ORM loading, no fetch call per row)
    rows: Any = s.connection().execute(stmt).all()
    cv = [no for (space, no) in reserved if space == "cv"]
    taken = {no: reserved[("cv", no)] for no in cv}
    dec = Decimal  # from_minor_places inline (Decimal(units).scaleb(-2)): 100,000 rows
    for (no, ptype, pno, dtype, dno, ext, payref, rem, posted, due, disc, ddate,
         tdate, tol) in rows:
        left = rem - taken[no] if taken and no in taken else rem
        if left == 0 or (left > 0) != (rem > 0):
            continue
        if tol and (blocked is None or left != rem or (ptype, pno) in blocked):
            tol = 0
        # positional (the fields' order), the Decimals made inline
        add(OpenEntryRef(
            no, ptype, pno, dtype, dno, dec(left).scaleb(-2), posted, due or posted,
            ext, payref, dec(disc).scaleb(-2) if disc else _ZERO, ddate, tdate, "",
            dec(tol).scaleb(-2) if tol else _ZERO))
    return out


def load_parties(s: Session) -> list[PartyRef]:
    ibans: dict[tuple[str, str], list[str]] = defaultdict(list)
    pba = PartyBankAccount
    accounts: Any = s.connection().execute(select(*(col(c) for c in (
        pba.party_type, pba.party_no, pba.iban, pba.bank_account_no))))
    for ptype, pno, iban, acc in accounts:
        if iban or acc:
            ibans[(ptype, pno)].append(iban or acc)
    p = Party
    rows: Any = s.connection().execute(
        select(*(col(c) for c in (p.party_type, p.no, p.name, p.address, p.city))))
    return [PartyRef(ptype, no, name, address, city, tuple(ibans.get((ptype, no), ())))
            for ptype, no, name, address, city in rows]


def load_bank_entries(s: Session, bank_no: str, reserved: Reserved,
                      closing_doc_nos: bool = False) -> list[BankEntryRef]:
    """Open bank ledger entries of the bank; with ``closing_doc_nos`` (setting "Bank Ledg
    Closing Doc No Match") each carries the documents its posting closed."""
    b = BankLedgerEntry
    closing = closing_document_nos(s, bank_no) if closing_doc_nos else {}
    out: list[BankEntryRef] = []
    for no, posted, rem, dno, ext, desc, btype, bno in s.execute(
            select(*(col(c) for c in (b.entry_no, b.posting_date, b.remaining_amount,
                                      b.document_no, b.external_document_no, b.description,
                                      b.bal_account_type, b.bal_account_no)))
            .where(col(b.bank_account_no) == bank_no,
                                           col(b.open).is_(True), col(b.reversed).is_(False))):
        rem -= reserved.get(("bank", no), 0)
        if rem == 0:
            continue
        out.append(BankEntryRef(no, posted, _dec(rem), dno, ext, desc, btype, bno,
                                closing.get(no, ())))
    return out


def closing_document_nos(s: Session, bank_no: str) -> dict[int, tuple[str, ...]]:
    """Open bank entry no. -> document numbers of the customer/vendor entries its posting
    closed (BC "Bank Ledg Closing Doc No Match").

    The posting of a bank entry wrote customer/vendor entries in the same transaction
    (their initial detailed entries carry its transaction no.); the documents they were
    applied to, through application detailed entries not unapplied since, and that are
    closed now, are the closing documents. (BC reads the documents' "Closed by Entry
    No."; here the applying side of an application is not always the one recorded there,
    so the application entries are the reliable link.) When the bank entry's balancing
    account is a customer or vendor, only that party's entries of the transaction count
    (a statement posted per day shares one transaction among several parties). One
    query, only run when the setting is on."""
    b = BankLedgerEntry
    initial = aliased(DetailedLedgerEntry)
    applied = aliased(DetailedLedgerEntry)
    closed = aliased(LedgerEntry)
    stmt = (select(col(b.entry_no), col(b.bal_account_type), col(b.bal_account_no),
                   col(initial.party_type), col(initial.party_no), col(closed.document_no))
            .select_from(b)
            .join(initial, and_(col(initial.transaction_no) == col(b.transaction_no),
                                col(initial.entry_type) == "initial"))
            .join(applied, and_(col(applied.ledger_entry_no) == col(initial.ledger_entry_no),
                                col(applied.entry_type) == "application",
                                col(applied.unapplied).is_(False),
                                col(applied.applied_ledger_entry_no)
                                != col(applied.ledger_entry_no)))
            .join(closed, col(closed.entry_no) == col(applied.applied_ledger_entry_no))
            .where(col(b.bank_account_no) == bank_no, col(b.open).is_(True),
                   col(b.reversed).is_(False), col(closed.open).is_(False),
                   col(closed.document_no) != "")
            .order_by(col(b.entry_no), col(closed.entry_no)))
    found: dict[int, list[str]] = defaultdict(list)
    rows: Any = s.connection().execute(stmt)
    for no, btype, bno, ptype, pno, doc in rows:
        if btype in ("customer", "vendor") and (btype, bno) != (ptype, pno):
            continue
        if doc not in found[no]:
            found[no].append(doc)
    return {no: tuple(docs) for no, docs in found.items()}


def count_applied_elsewhere(s: Session) -> int:
    le = LedgerEntry
    return int(s.execute(select(func.count()).select_from(le).where(
        col(le.open).is_(True), col(le.applies_to_id) != "")).scalar_one())


def build_index(s: Session, bank: BankAccount, company_currency: str,
                journal_id: int | None,
                direct_debits: Iterable[DirectDebitRef] = (),
                closing_doc_nos: bool = False) -> MatchIndex:
    """The index Apply Automatically matches against. ``direct_debits``: the direct-debit
    collection entries (transaction ID -> ledger entry no., status) for the M6 rule,
    to be loaded here once their table exists. ``closing_doc_nos``: load the closing
    document numbers of the bank entries (``MatchSettings.bank_closing_doc_no_match``)."""
    s.flush()  # entries and parties are read as Core rows (no autoflush)
    reserved = reserved_elsewhere(s, journal_id)
    entries = load_entries(s, bank, company_currency, reserved)
    bank_entries = load_bank_entries(s, bank.no, reserved, closing_doc_nos)
    return MatchIndex.build(entries, load_parties(s), bank_entries,
                            direct_debits=direct_debits)
