"""Read queries on parties, totals, documents, registers and the palette search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, or_, select

from core.i18n import N_, format_datetime
from core.kernel.errors import NotFoundError
from core.kernel.money import from_minor
from core.ledger.drafts import DOCUMENT_WORDS
from core.ledger.models import (
    BankLedgerEntry,
    LedgerEntry,
    Party,
    PartyBankAccount,
    PostedDocument,
    PostedDocumentLine,
    Register,
)
from core.queries.keyset import SortColumn, fetch_page
from core.queries.ledger import text_match
from core.queries.types import (
    DocumentLineView,
    Page,
    PageRequest,
    PartyBankAccountView,
    PartyCard,
    PartyFilter,
    PartyRow,
    PostedDocumentView,
    RegisterRow,
    SearchHit,
)

LE = LedgerEntry
PARTY_SORTS: dict[str, tuple[SortColumn, ...]] = {
    "no": (SortColumn(col(Party.no)),),
    "name": (SortColumn(col(Party.name)), SortColumn(col(Party.no))),
}


def open_total(s: Session, party_type: str) -> Decimal:
    total = s.exec(select(func.sum(LE.remaining_amount)).where(
        col(LE.party_type) == party_type, col(LE.open).is_(True))).one()
    return from_minor(int(total or 0))


def overdue_total(s: Session, party_type: str, as_of: date) -> tuple[Decimal, int]:
    total, count = s.exec(select(func.sum(LE.remaining_amount), func.count()).where(
        col(LE.party_type) == party_type, col(LE.open).is_(True),
        col(LE.due_date) < as_of)).one()
    return from_minor(int(total or 0)), int(count or 0)


def balances(s: Session, party_type: str, nos: list[str], as_of: date
             ) -> dict[str, tuple[Decimal, Decimal, int]]:
    """Balance, overdue balance and open entry count per party no."""
    if not nos:
        return {}
    overdue = case((col(LE.due_date) < as_of, LE.remaining_amount), else_=0)
    rows = s.exec(select(LE.party_no, func.sum(LE.remaining_amount), func.sum(overdue),
                         func.count()).where(
        col(LE.party_type) == party_type, col(LE.party_no).in_(nos), col(LE.open).is_(True))
        .group_by(col(LE.party_no))).all()
    return {no: (from_minor(int(b or 0)), from_minor(int(o or 0)), int(n))
            for no, b, o, n in rows}


def party_page(s: Session, f: PartyFilter, request: PageRequest, sort: str, descending: bool,
               as_of: date) -> Page[PartyRow]:
    stmt = select(Party).where(col(Party.party_type) == f.party_type)
    if f.text.strip():
        stmt = stmt.where(text_match(f.text, col(Party.no), col(Party.name)))
    if f.blocked_only:
        stmt = stmt.where(col(Party.blocked) != "")
    order = PARTY_SORTS.get(sort, PARTY_SORTS["no"])

    def views(rows: list[Party]) -> list[PartyRow]:
        sums = balances(s, f.party_type, [p.no for p in rows], as_of)
        zero = (Decimal("0.00"), Decimal("0.00"), 0)
        return [PartyRow(p.party_type, p.no, p.name, p.city, p.country, p.blocked,
                         sums.get(p.no, zero)[0], sums.get(p.no, zero)[1]) for p in rows]

    return fetch_page(s, stmt, order, request, descending, views)


def party_card(s: Session, party_type: str, no: str, as_of: date) -> PartyCard:
    p = s.get(Party, (party_type, no))
    if p is None:
        raise NotFoundError(N_("{party_type} {no} does not exist"),
                            party_type=party_type.title(), no=no)
    balance, overdue, count = balances(s, party_type, [no], as_of).get(
        no, (Decimal("0.00"), Decimal("0.00"), 0))
    banks = s.exec(select(PartyBankAccount).where(
        col(PartyBankAccount.party_type) == party_type, col(PartyBankAccount.party_no) == no)
        .order_by(col(PartyBankAccount.code))).all()
    return PartyCard(
        p.party_type, p.no, p.name, p.address, p.post_code, p.city, p.country, p.email,
        p.vat_no, p.payment_terms_code or "", p.posting_group, p.currency, p.blocked,
        p.privacy_blocked, p.application_method, p.version, balance, overdue, count,
        tuple(PartyBankAccountView(b.code, b.iban, b.bic, b.bank_account_no, b.name)
              for b in banks), block_payment_tolerance=p.block_payment_tolerance)


def bank_sums(s: Session) -> dict[str, tuple[int, int]]:
    """Per bank account: balance (minor units) and count of open entries."""
    ble = BankLedgerEntry
    opened = case((col(ble.open).is_(True), 1), else_=0)
    rows = s.exec(select(ble.bank_account_no, func.sum(ble.amount), func.sum(opened))
                  .group_by(col(ble.bank_account_no))).all()
    return {no: (int(total or 0), int(n or 0)) for no, total, n in rows}


def posted_document(s: Session, entry_no: int) -> PostedDocumentView:
    entry = s.get(LedgerEntry, entry_no)
    if entry is None:
        raise NotFoundError(N_("Ledger entry {entry_no} does not exist"), entry_no=entry_no)
    doc = s.exec(select(PostedDocument).where(
        col(PostedDocument.party_type) == entry.party_type,
        col(PostedDocument.document_type) == entry.document_type,
        col(PostedDocument.document_no) == entry.document_no)).first()
    if doc is None or doc.id is None:
        raise NotFoundError(N_("{value} {document_no} was posted from a journal: there is no "
                               "posted document to show"),
                            value=DOCUMENT_WORDS.get(entry.document_type, entry.document_type),
                            document_no=entry.document_no)
    lines = s.exec(select(PostedDocumentLine).where(
        col(PostedDocumentLine.document_id) == doc.id)
        .order_by(col(PostedDocumentLine.line_no))).all()
    party = s.get(Party, (doc.party_type, doc.party_no))
    return PostedDocumentView(
        doc.party_type, doc.party_no, party.name if party else "", doc.document_type,
        doc.document_no, doc.external_document_no, doc.posting_date, doc.document_date,
        doc.due_date, doc.currency, from_minor(doc.amount_excl_vat), from_minor(doc.vat_amount),
        from_minor(doc.amount_incl_vat),
        tuple(DocumentLineView(ln.line_no, ln.gl_account_no, ln.description,
                               from_minor(ln.amount_excl_vat), ln.vat_pct,
                               from_minor(ln.vat_amount)) for ln in lines))


def register_row(r: Register) -> RegisterRow:
    return RegisterRow(r.no, format_datetime(r.created_at), r.user_id, r.source_code,
                       r.journal_batch, r.from_gl_entry_no, r.to_gl_entry_no, r.from_entry_no,
                       r.to_entry_no, r.from_bank_entry_no, r.to_bank_entry_no, r.reversed)


def register_page(s: Session, request: PageRequest, descending: bool) -> Page[RegisterRow]:
    return fetch_page(s, select(Register), (SortColumn(col(Register.no)),), request,
                      descending, lambda rows: [register_row(r) for r in rows])


def _prefix(column: Any, text: str) -> Any:
    """An index-friendly prefix match: ``text <= column < text + U+FFFF``."""
    return (column >= text) & (column < text + "\uffff")


def search(s: Session, text: str, limit: int) -> tuple[SearchHit, ...]:
    parties = s.exec(select(Party).where(or_(_prefix(col(Party.no), text.upper()),
                                             text_match(text, col(Party.name))))
                     .order_by(col(Party.party_type), col(Party.no)).limit(limit)).all()
    hits = [SearchHit(p.party_type, p.no, f"{p.no} {p.name}", f"{p.party_type} · {p.city}",
                      p.party_type) for p in parties]
    entries = s.exec(select(LedgerEntry).where(_prefix(col(LE.document_no), text.upper()))
                     .order_by(col(LE.document_no), col(LE.entry_no)).limit(limit)).all()
    hits += [SearchHit("document", str(e.entry_no), f"{e.document_no} {e.document_type}",
                       f"{e.party_type} {e.party_no} · {e.posting_date.isoformat()} · "
                       f"{from_minor(e.amount)}", e.party_type) for e in entries]
    return tuple(hits)
