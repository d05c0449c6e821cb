"""Sales invoices and credit memos: create, edit, delete, post (F9) and preview.

Posting goes through the posting engine as one register: the customer line (incl.
VAT), one G/L line per document line, one VAT line per rate, and, when the document's
payment method has a balancing account, the payment applied to the document in the
same transaction (BC's "paid at posting", e.g. PayPal). A credit memo with an
applies-to doc. no. is applied to that invoice at posting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from sqlmodel import Session, col, select

from core.audit.conflicts import conflict
from core.i18n import N_, _
from core.kernel import dateformula
from core.kernel.errors import NotFoundError, PostingError, Text
from core.kernel.money import ZERO, from_minor, money, to_minor
from core.kernel.store import Store
from core.ledger.drafts import DocumentDraft, DocumentLineDraft, LineDraft, PostingResult
from core.ledger.models import GLAccount, NoSeries, Party, PaymentTerms
from core.ledger.numbering import next_document_no
from core.ledger.poster import Poster, check_party_blocked, os_user
from core.ledger.posting import PostingService, document_lines, result_of
from core.queries.types import Page, PageRequest
from core.registration.items import ITEM, ItemService, gl_account_of, item_for_line
from core.registration.models import PaymentMethod, SalesHeader, SalesLine
from core.registration.sales_types import (
    DOCUMENT_TYPES,
    SalesDocumentInput,
    SalesDocumentView,
    SalesLineInput,
    totals,
)

# series of unposted documents (created when missing) and of posted ones (defaults)
DRAFT_SERIES = {"invoice": ("S-INVD", N_("Sales invoices (unposted)"), "SID"),
                "credit_memo": ("S-CRD", N_("Sales credit memos (unposted)"), "SCD")}
POSTED_SERIES = {"invoice": "S-INV", "credit_memo": "S-CR"}
LABEL = {"invoice": N_("Sales invoice"), "credit_memo": N_("Sales credit memo")}
# the same, within a sentence ("There is nothing to post: sales invoice SID000001 ...")
LOWER_LABEL = {"invoice": N_("sales invoice"), "credit_memo": N_("sales credit memo")}

MSG_TYPE = N_("Document type {document_type!r} is not a sales invoice or credit memo "
              "(invoice, credit_memo)")
MSG_CUSTOMER = N_("Customer {customer_no} does not exist")
MSG_METHOD = N_("Payment method {code} does not exist")
MSG_GL = N_("{document} line {line}: G/L account {account_no} does not exist")
MSG_GL_POSTING = N_("{document} line {line}: G/L account {account_no} ({name}) is not a "
                    "posting account or is blocked")
MSG_QTY = N_("{document} line {line}: the quantity must not be zero")
MSG_LINE_TYPE = N_("{document} line {line}: line type {line_type!r} is not supported "
                   "(gl_account, item)")
MSG_NO_LINES = N_("There is nothing to post: {document_type} {no} has no lines.")
MSG_APPLIES = N_("{document_type} {no}: only a credit memo can be applied to an invoice "
                 "at posting")
MSG_PCT = N_("{document_type} {no}: the payment discount % must be between 0 and 100")
MSG_MISSING = N_("Sales document {header_id} does not exist (deleted or posted meanwhile)")
DOCUMENT = N_("{document_type} {no}")
DOCUMENT_LINE = N_("{document_type} {no} line {line}")


def label(document_type: str) -> str:
    """The document type in the clerk's words (translated when shown); an unknown
    code as written."""
    return LABEL.get(document_type, document_type)


def document_text(document_type: str, no: str) -> Text:
    """"Sales invoice SID000001", worded when shown."""
    return Text(DOCUMENT, document_type=label(document_type), no=no)


class SalesService:
    """Unposted sales documents and their posting; payment methods."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user or os_user()
        self.posting = PostingService(store, self.user)

    @property
    def items(self) -> ItemService:
        """The items and service codes the lines may name."""
        return ItemService(self.store, self.user)

    # --- reading ---------------------------------------------------------------------

    def documents(self, document_type: str = "", request: PageRequest = PageRequest(),
                  text: str = "", customer_no: str = "") -> Page[SalesDocumentView]:
        """Unposted documents by number (keyset on id)."""
        with self.store.read() as s:
            stmt = select(SalesHeader)
            if customer_no:
                stmt = stmt.where(col(SalesHeader.customer_no) == customer_no)
            if document_type:
                stmt = stmt.where(col(SalesHeader.document_type) == document_type)
            if text:
                like = f"%{text}%"
                stmt = stmt.where(col(SalesHeader.no).ilike(like)
                                  | col(SalesHeader.customer_no).ilike(like))
            backward = request.before is not None or (request.from_end and request.after is None)
            key = request.before if backward else request.after
            if key is not None:
                stmt = stmt.where(col(SalesHeader.id) < key[0] if backward
                                  else col(SalesHeader.id) > key[0])
            order = col(SalesHeader.id).desc() if backward else col(SalesHeader.id)
            rows = list(s.exec(stmt.order_by(order).limit(request.limit + 1)).all())
            more = len(rows) > request.limit
            rows = rows[: request.limit]
            if backward:
                rows.reverse()
            views = tuple(_view(s, h) for h in rows)
            keys = tuple((h.id,) for h in rows)
        if backward:
            return Page(views, keys, more_before=more, more_after=key is not None)
        return Page(views, keys, more_before=key is not None, more_after=more)

    def document(self, header_id: int) -> SalesDocumentView:
        with self.store.read() as s:
            return _view(s, _header(s, header_id))

    def document_by_no(self, document_type: str, no: str) -> SalesDocumentView:
        with self.store.read() as s:
            h = s.exec(select(SalesHeader).where(col(SalesHeader.document_type) == document_type,
                                                 col(SalesHeader.no) == no)).first()
            if h is None:
                raise NotFoundError(N_("{document_type} {no} does not exist"),
                                    document_type=label(document_type), no=no)
            return _view(s, h)

    # --- writing ---------------------------------------------------------------------

    def create(self, doc: SalesDocumentInput) -> SalesDocumentView:
        with self.store.write() as s:
            header = _create(s, doc)
            return _view(s, header)

    def update(self, header_id: int, doc: SalesDocumentInput,
               expected_version: int | None = None) -> SalesDocumentView:
        with self.store.write() as s:
            header = _locked(s, header_id, expected_version)
            if doc.document_type != header.document_type:
                raise PostingError(N_("{document_type} {no}: the document type cannot be changed"),
                                   document_type=label(header.document_type), no=header.no)
            _fill(s, header, doc)
            header.version += 1
            _replace_lines(s, header, doc.lines)
            return _view(s, header)

    def delete(self, header_id: int, expected_version: int | None = None) -> None:
        with self.store.write() as s:
            header = _locked(s, header_id, expected_version)
            _delete(s, header)

    def post(self, header_id: int, *, preview: bool = False,
             expected_version: int | None = None) -> PostingResult:
        """Post (or preview) one document: one register, all or nothing."""
        with self.store.write() as s:
            header = _locked(s, header_id, expected_version)
            poster, register_no, doc_no = self._post(s, header)
            result = result_of(poster, register_no, [doc_no])
            if preview:
                s.rollback()
        return result

    def post_inputs(self, docs: Sequence[SalesDocumentInput], *, preview: bool = False
                    ) -> list[PostingResult]:
        """Create and post several documents in one transaction (the command line):
        one register each; a bad document writes nothing at all."""
        if not docs:
            raise PostingError(N_("There is nothing to post."))
        results = []
        with self.store.write() as s:
            for i, doc in enumerate(docs, start=1):
                try:
                    header = _create(s, doc)
                    poster, register_no, doc_no = self._post(s, header)
                except (PostingError, NotFoundError) as exc:
                    raise type(exc)(N_("document {index}: {error}"), index=i,
                                    error=Text(exc.message_id, **exc.params)) from None
                results.append(result_of(poster, register_no, [doc_no]))
            if preview:
                s.rollback()
        return results

    def _post(self, s: Session, header: SalesHeader) -> tuple[Poster, int, str]:
        party = s.get(Party, ("customer", header.customer_no))
        if party is None:
            raise NotFoundError(MSG_CUSTOMER, customer_no=header.customer_no)
        check_party_blocked(party, header.document_type)
        lines = lines_of(s, header)
        if not lines:
            raise PostingError(MSG_NO_LINES, no=header.no, document_type=LOWER_LABEL.get(
                header.document_type, header.document_type))
        _check_lines(s, header.document_type, header.no, lines)
        doc_no = header.posting_no or next_document_no(s, POSTED_SERIES[header.document_type])
        draft = DocumentDraft(
            "customer", header.customer_no, header.document_type, header.posting_date,
            tuple(DocumentLineDraft(gl_account_of(s, ln, Text(
                DOCUMENT_LINE, document_type=label(header.document_type), no=header.no, line=i)),
                                    ln.amount, ln.vat_pct, ln.description)
                  for i, ln in enumerate(lines, start=1)),
            document_no=doc_no, document_date=header.document_date,
            external_document_no=header.external_document_no, due_date=header.due_date)
        journal, excl, vat = document_lines(s, draft, doc_no)
        sign = Decimal(1) if header.document_type == "invoice" else Decimal(-1)
        disc = money((excl + vat) * Decimal(header.payment_discount_pct) / 100) \
            if header.pmt_discount_date else ZERO
        party_line = replace(journal[0], pmt_discount_date=header.pmt_discount_date if disc
                             else None, pmt_disc_possible=sign * disc)
        if header.applies_to_doc_no:
            party_line = replace(party_line, applies_to_doc_type="invoice",
                                 applies_to_doc_no=header.applies_to_doc_no)
        journal[0] = party_line
        method = s.get(PaymentMethod, header.payment_method_code) \
            if header.payment_method_code else None
        if method is not None and method.bal_account_no:
            on_time = disc and header.posting_date <= (header.pmt_discount_date
                                                       or header.posting_date)
            paid = sign * (excl + vat - (disc if on_time else ZERO))
            journal.append(LineDraft(
                posting_date=header.posting_date, account_type="customer",
                account_no=header.customer_no, amount=-paid,
                document_type="payment" if sign > 0 else "refund", document_no=doc_no,
                external_document_no=header.external_document_no,
                description=_("Payment {doc_no} ({method})").format(doc_no=doc_no,
                                                                     method=method.code),
                bal_account_type=method.bal_account_type or "gl_account",
                bal_account_no=method.bal_account_no,
                applies_to_doc_type=header.document_type, applies_to_doc_no=doc_no,
                ref=_("{document_no} payment ({code})").format(document_no=doc_no,
                                                               code=method.code)))
        poster = self.posting.make_poster(s, "SALES")
        register_no = poster.post(journal)
        entry = next(e for e in poster.ledger_entries
                     if e.document_no == doc_no and e.document_type == header.document_type)
        PostingService._store_document(s, entry, draft, doc_no, excl, vat)
        _delete(s, header)
        return poster, register_no, doc_no


# --- helpers ------------------------------------------------------------------------------


def _header(s: Session, header_id: int) -> SalesHeader:
    header = s.get(SalesHeader, header_id)
    if header is None:
        raise NotFoundError(MSG_MISSING, header_id=header_id)
    return header


def _locked(s: Session, header_id: int, expected_version: int | None) -> SalesHeader:
    header = s.exec(select(SalesHeader).where(col(SalesHeader.id) == header_id)
                    .with_for_update()).first()
    if header is None:
        raise NotFoundError(MSG_MISSING, header_id=header_id)
    if expected_version is not None and header.version != expected_version:
        raise conflict(s, document_text(header.document_type, header.no),
                       [("sales_header", header.id)], hint=N_("reopen it to see the change"))
    return header


def _create(s: Session, doc: SalesDocumentInput) -> SalesHeader:
    if doc.document_type not in DOCUMENT_TYPES:
        raise PostingError(MSG_TYPE, document_type=doc.document_type)
    code, desc, prefix = DRAFT_SERIES[doc.document_type]
    if s.get(NoSeries, code) is None:
        s.add(NoSeries(code=code, description=_(desc), prefix=prefix, width=6))
        s.flush()
    header = SalesHeader(document_type=doc.document_type, no=next_document_no(s, code),
                         customer_no=doc.customer_no, posting_date=doc.posting_date,
                         document_date=doc.document_date or doc.posting_date)
    _fill(s, header, doc)
    s.add(header)
    s.flush()
    _replace_lines(s, header, doc.lines)
    return header


def _fill(s: Session, header: SalesHeader, doc: SalesDocumentInput) -> None:
    """Header fields from the input; dates and discount from the customer's payment
    terms (computed from the document date, as BC does) where the input leaves them."""
    party = s.get(Party, ("customer", doc.customer_no))
    if party is None:
        raise NotFoundError(MSG_CUSTOMER, customer_no=doc.customer_no)
    check_party_blocked(party, doc.document_type, action="create")
    method = doc.payment_method_code if doc.payment_method_code is not None \
        else party.payment_method_code
    if method and s.get(PaymentMethod, method) is None:
        raise NotFoundError(MSG_METHOD, code=method)
    if doc.applies_to_doc_no and doc.document_type != "credit_memo":
        raise PostingError(MSG_APPLIES, document_type=label(doc.document_type), no=header.no)
    header.customer_no = doc.customer_no
    header.posting_date = doc.posting_date
    header.document_date = doc.document_date or doc.posting_date
    header.external_document_no = doc.external_document_no
    header.payment_method_code = method or ""
    header.applies_to_doc_no = doc.applies_to_doc_no
    header.currency = party.currency
    terms = s.get(PaymentTerms, party.payment_terms_code) if party.payment_terms_code else None
    header.payment_terms_code = terms.code if terms else ""
    applies = terms is not None and (doc.document_type == "invoice"
                                     or terms.calc_pmt_disc_on_cr_memos)
    header.due_date = doc.due_date or (
        dateformula.calc_date(terms.due_date_formula, header.document_date)
        if terms is not None and applies else header.document_date)
    pct = doc.payment_discount_pct
    if pct is None:
        pct = Decimal(terms.discount_pct) if applies and terms is not None \
            and terms.discount_date_formula else ZERO
    if not ZERO <= pct <= 100:
        raise PostingError(MSG_PCT, document_type=label(doc.document_type), no=header.no)
    header.payment_discount_pct = str(pct)
    if doc.pmt_discount_date is not None:
        header.pmt_discount_date = doc.pmt_discount_date
    elif pct and terms is not None and terms.discount_date_formula:
        header.pmt_discount_date = dateformula.calc_date(terms.discount_date_formula,
                                                         header.document_date)
    else:
        header.pmt_discount_date = None
    if not pct:
        header.pmt_discount_date = None


def _check_lines(s: Session, document_type: str, no: str,
                 lines: Sequence[SalesLineInput]) -> None:
    document = document_text(document_type, no)
    for i, ln in enumerate(lines, start=1):
        if ln.line_type not in ("gl_account", ITEM):
            raise PostingError(MSG_LINE_TYPE, document=document, line=i, line_type=ln.line_type)
        if ln.line_type == ITEM:
            item_for_line(s, ln.no, Text(DOCUMENT_LINE, document_type=label(document_type),
                                        no=no, line=i))
            if ln.quantity == ZERO:
                raise PostingError(MSG_QTY, document=document, line=i)
            continue
        gl = s.get(GLAccount, ln.no)
        if gl is None:
            raise NotFoundError(MSG_GL, document=document, line=i, account_no=ln.no)
        if gl.account_type != "posting" or gl.blocked:
            raise PostingError(MSG_GL_POSTING, document=document, line=i, account_no=ln.no,
                               name=gl.name)
        if ln.quantity == ZERO:
            raise PostingError(MSG_QTY, document=document, line=i)


def _replace_lines(s: Session, header: SalesHeader, lines: Sequence[SalesLineInput]) -> None:
    assert header.id is not None
    _check_lines(s, header.document_type, header.no, lines)
    for old in s.exec(select(SalesLine).where(col(SalesLine.header_id) == header.id)).all():
        s.delete(old)
    s.flush()
    for i, ln in enumerate(lines, start=1):
        s.add(SalesLine(header_id=header.id, line_no=i * 10000, line_type=ln.line_type,
                        no=ln.no, description=ln.description, quantity=str(ln.quantity),
                        unit_price=to_minor(money(ln.unit_price)), vat_pct=str(ln.vat_pct)))
    s.flush()


def lines_of(s: Session, header: SalesHeader) -> tuple[SalesLineInput, ...]:
    rows = s.exec(select(SalesLine).where(col(SalesLine.header_id) == header.id)
                  .order_by(col(SalesLine.line_no))).all()
    return tuple(SalesLineInput(r.no, Decimal(r.quantity), from_minor(r.unit_price),
                                Decimal(r.vat_pct), r.description, r.line_type) for r in rows)


def _delete(s: Session, header: SalesHeader) -> None:
    for old in s.exec(select(SalesLine).where(col(SalesLine.header_id) == header.id)).all():
        s.delete(old)
    s.flush()
    s.delete(header)
    s.flush()


def _view(s: Session, h: SalesHeader) -> SalesDocumentView:
    assert h.id is not None
    party = s.get(Party, ("customer", h.customer_no))
    lines = lines_of(s, h)
    pct = Decimal(h.payment_discount_pct)
    return SalesDocumentView(
        h.id, h.document_type, h.no, h.customer_no, party.name if party else "",
        h.posting_date, h.document_date, h.due_date, h.payment_terms_code,
        h.pmt_discount_date, pct, h.external_document_no, h.payment_method_code,
        h.currency, h.applies_to_doc_no, lines,
        totals(lines, pct if h.pmt_discount_date else ZERO), h.version)
