"""Posting use cases: journal lines, journal batches and simple sales/purchase documents.

Every public method is one unit of work: one write transaction, one register, all or
nothing. ``preview=True`` runs the same code and rolls back, returning what would have
been written (BC's Preview Posting).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from core.application import Decisions
from core.i18n import N_, _
from core.kernel.errors import NotFoundError, PostingError
from core.kernel.money import ZERO, from_minor, money, to_minor
from core.kernel.store import Store
from core.ledger.defaults import VAT_INPUT_ACCOUNT, VAT_OUTPUT_ACCOUNT
from core.ledger.drafts import (
    DocumentDraft,
    LineDraft,
    PostingResult,
    document_word,
    party_title,
)
from core.ledger.models import (
    JournalBatch,
    JournalLine,
    LedgerEntry,
    Party,
    PostedDocument,
    PostedDocumentLine,
)
from core.ledger.numbering import next_document_no
from core.ledger.poster import Poster, check_party_blocked
from core.ledger.views import bank_view, detailed_view, gl_view, ledger_view

_SERIES = {("customer", "invoice"): "S-INV", ("customer", "credit_memo"): "S-CR",
           ("vendor", "invoice"): "P-INV", ("vendor", "credit_memo"): "P-CR"}


def result_of(poster: Poster, register_no: int, documents: Sequence[str]) -> PostingResult:
    return PostingResult(
        register_no=register_no, transaction_nos=tuple(poster.transaction_nos),
        document_nos=tuple(dict.fromkeys(documents)),
        gl_entries=tuple(gl_view(e) for e in poster.gl_entries),
        ledger_entries=tuple(ledger_view(e) for e in poster.ledger_entries),
        detailed_entries=tuple(detailed_view(e) for e in poster.detailed_entries),
        bank_entries=tuple(bank_view(e) for e in poster.bank_entries),
        messages=tuple(poster.messages))


class PostingService:
    """Posts journal lines and documents through the posting engine."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user

    def make_poster(self, s: Session, source_code: str, batch: str = "",
                    decisions: Mapping[str, Decisions] | None = None) -> Poster:
        """A poster that applies entries as their lines ask; ``decisions`` are the
        clerk's answers to the tolerance warnings, by line ref."""
        # upward call: applying builds on the posting engine (listed in pyproject's layers)
        from core.application.applying import apply_hook_with, apply_on_posting

        hook = apply_hook_with(decisions) if decisions else apply_on_posting
        return Poster(s, source_code=source_code, journal_batch=batch, user=self.user,
                      apply_hook=hook)

    def post_lines(self, lines: Sequence[LineDraft], *, source_code: str = "GENJNL",
                   preview: bool = False) -> PostingResult:
        with self.store.write() as s:
            poster = self.make_poster(s, source_code)
            register_no = poster.post(lines)
            result = result_of(poster, register_no, [ln.document_no for ln in lines])
            if preview:
                s.rollback()
        return result

    # --- documents -------------------------------------------------------------------

    def post_document(self, draft: DocumentDraft, *, preview: bool = False) -> PostingResult:
        """Post a sales/purchase invoice or credit memo with VAT."""
        with self.store.write() as s:
            doc_no = draft.document_no or next_document_no(
                s, _SERIES[(draft.party_type, draft.document_type)])
            lines, excl, vat = document_lines(s, draft, doc_no)
            poster = self.make_poster(s, "SALES" if draft.party_type == "customer"
                                      else "PURCHASES")
            register_no = poster.post(lines)
            self._store_document(s, poster.ledger_entries[0], draft, doc_no, excl, vat)
            result = result_of(poster, register_no, [doc_no])
            if preview:
                s.rollback()
        return result

    def post_documents(self, drafts: Sequence[DocumentDraft], *, source_code: str = "SALES"
                       ) -> PostingResult:
        """Post several documents as one register (batch invoicing, demo data)."""
        with self.store.write() as s:
            all_lines: list[LineDraft] = []
            heads: list[tuple[DocumentDraft, str, Decimal, Decimal]] = []
            for draft in drafts:
                doc_no = draft.document_no or next_document_no(
                    s, _SERIES[(draft.party_type, draft.document_type)])
                lines, excl, vat = document_lines(s, draft, doc_no)
                all_lines += lines
                heads.append((draft, doc_no, excl, vat))
            poster = self.make_poster(s, source_code)
            register_no = poster.post(all_lines)
            by_doc = {(e.party_type, e.document_no): e for e in poster.ledger_entries}
            for draft, doc_no, excl, vat in heads:
                self._store_document(s, by_doc[(draft.party_type, doc_no)], draft, doc_no,
                                     excl, vat)
            return result_of(poster, register_no, [h[1] for h in heads])

    @staticmethod
    def _store_document(s: Session, entry: LedgerEntry, draft: DocumentDraft, doc_no: str,
                        excl: Decimal, vat: Decimal) -> None:
        header = PostedDocument(
            party_type=draft.party_type, party_no=draft.party_no,
            document_type=draft.document_type, document_no=doc_no,
            external_document_no=draft.external_document_no,
            posting_date=draft.posting_date,
            document_date=draft.document_date or draft.posting_date, due_date=entry.due_date,
            amount_excl_vat=to_minor(excl), vat_amount=to_minor(vat),
            amount_incl_vat=to_minor(excl + vat), ledger_entry_no=entry.entry_no,
            transaction_no=entry.transaction_no)
        s.add(header)
        s.flush()
        assert header.id is not None
        for i, ln in enumerate(draft.lines, start=1):
            s.add(PostedDocumentLine(
                document_id=header.id, line_no=i * 10000, gl_account_no=ln.gl_account_no,
                description=ln.description, amount_excl_vat=to_minor(money(ln.amount_excl_vat)),
                vat_pct=str(ln.vat_pct), vat_amount=to_minor(_vat(ln.amount_excl_vat,
                                                                   ln.vat_pct))))

    # --- journal batches ---------------------------------------------------------------

    def post_batch(self, batch_id: int, *, preview: bool = False,
                   decisions: Mapping[int, Decisions] | None = None) -> PostingResult:
        """Post every line of a journal batch and empty it (the lines become entries).
        ``decisions``: the answers to the tolerance warnings, by journal line id."""
        with self.store.write() as s:
            batch = s.get(JournalBatch, batch_id)
            if batch is None:
                raise NotFoundError(N_("Journal batch {batch_id} does not exist"),
                                    batch_id=batch_id)
            rows = s.exec(select(JournalLine).where(JournalLine.batch_id == batch_id)
                          .order_by(col(JournalLine.line_no))).all()
            drafts = [journal_line_draft(row, batch) for row in rows]
            answers = decisions or {}
            by_ref = {f"line {row.line_no}": answers[row.id] for row in rows
                      if row.id is not None and row.id in answers}
            poster = self.make_poster(s, _source_code(batch.template),
                                      f"{batch.template}/{batch.name}", by_ref)
            register_no = poster.post(drafts)
            for row in rows:
                s.delete(row)
            result = result_of(poster, register_no, [d.document_no for d in drafts])
            if preview:
                s.rollback()
        return result


def _source_code(template: str) -> str:
    return {"cash_receipt": "CASHRECJNL", "payment": "PAYMENTJNL"}.get(template, "GENJNL")


def journal_line_draft(row: JournalLine, batch: JournalBatch) -> LineDraft:
    """A stored journal line as a draft; the batch's balancing account is the default."""
    bal_type, bal_no = row.bal_account_type, row.bal_account_no
    if not bal_no and batch.bal_account_no and row.account_type != batch.bal_account_type:
        bal_type, bal_no = batch.bal_account_type, batch.bal_account_no
    return LineDraft(
        posting_date=row.posting_date, account_type=row.account_type,
        account_no=row.account_no, amount=from_minor(row.amount),
        document_type=row.document_type, document_no=row.document_no,
        external_document_no=row.external_document_no, description=row.description,
        bal_account_type=bal_type, bal_account_no=bal_no, document_date=row.document_date,
        due_date=row.due_date, pmt_discount_date=row.pmt_discount_date,
        pmt_disc_possible=from_minor(row.pmt_disc_possible) if row.pmt_disc_possible else None,
        payment_reference=row.payment_reference, currency=row.currency,
        applies_to_doc_type=row.applies_to_doc_type, applies_to_doc_no=row.applies_to_doc_no,
        applies_to_id=row.applies_to_id, payment_method=row.payment_method,
        ref=f"line {row.line_no}")


def _vat(amount: Decimal, pct: Decimal) -> Decimal:
    return money(amount * pct / 100)


def document_lines(s: Session, draft: DocumentDraft, doc_no: str
                   ) -> tuple[list[LineDraft], Decimal, Decimal]:
    """The journal lines of a document: the party line (incl. VAT), one G/L line per
    document line and one VAT line per rate."""
    if draft.document_type not in ("invoice", "credit_memo"):
        raise PostingError(N_("Document type {document_type} cannot be posted as a document"),
                           document_type=draft.document_type)
    party = s.get(Party, (draft.party_type, draft.party_no))
    if party is None:
        raise NotFoundError(N_("{party_type} {party_no} does not exist"),
                            party_type=party_title(draft.party_type), party_no=draft.party_no)
    check_party_blocked(party, draft.document_type)
    if not draft.lines:
        raise PostingError(N_("{document_type} {doc_no} has no lines"),
                           document_type=draft.document_type, doc_no=doc_no)
    # Sales income is credit (negative); a customer invoice debits the customer.
    sign = Decimal(1) if (draft.party_type == "customer") == (
        draft.document_type == "invoice") else Decimal(-1)
    base = LineDraft(posting_date=draft.posting_date, account_type="gl_account",
                     account_no="", amount=ZERO, document_type=draft.document_type,
                     document_no=doc_no, external_document_no=draft.external_document_no,
                     description=draft.description or _("{document_type} {doc_no}").format(
                         document_type=_capital(document_word(draft.document_type)),
                         doc_no=doc_no),
                     document_date=draft.document_date)
    lines: list[LineDraft] = []
    excl = vat_total = ZERO
    vat_by_rate: dict[Decimal, Decimal] = {}
    for i, ln in enumerate(draft.lines, start=1):
        amount = money(ln.amount_excl_vat)
        if amount == ZERO:
            raise PostingError(N_("{doc_no} line {i}: the amount must not be zero"),
                               doc_no=doc_no, i=i)
        excl += amount
        vat_by_rate[ln.vat_pct] = vat_by_rate.get(ln.vat_pct, ZERO) + amount
        lines.append(replace(base, account_no=ln.gl_account_no, amount=-sign * amount,
                             description=ln.description or base.description,
                             ref=f"{doc_no} line {i}"))
    vat_account = VAT_OUTPUT_ACCOUNT if draft.party_type == "customer" else VAT_INPUT_ACCOUNT
    for rate, amount in vat_by_rate.items():
        vat = _vat(amount, rate)
        if vat:
            vat_total += vat
            lines.append(replace(base, account_no=vat_account, amount=-sign * vat,
                                 description=_("VAT {rate} %").format(rate=rate),
                                 ref=f"{doc_no} VAT"))
    lines.insert(0, replace(base, account_type=draft.party_type, account_no=draft.party_no,
                            amount=sign * (excl + vat_total), due_date=draft.due_date,
                            payment_reference=draft.payment_reference, ref=doc_no))
    return lines, excl, vat_total


def today_or(d: date | None) -> date:
    return d or date.today()


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]
