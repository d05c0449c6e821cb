"""Issued reminders and finance charge memos as customer documents: build the shared
document model in the customer's language, write PDF + text, send by e-mail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from core.collections.service import CollectionsService
from core.collections.views import DocumentView, LineView
from core.documents.mail import Attachment, MailError, SmtpSettings, send
from core.documents.model import Address, Column, Document, Total
from core.documents.out import file_stem, write_document
from core.documents.pdf import render_pdf
from core.documents.text import render_text
from core.i18n import N_, NP_, _, customer_language, using_language
from core.kernel.errors import LettrageError
from core.kernel.store import Store
from core.ledger.models import Company

# label key -> message (English); rendered in the customer's language (using_language)
LABELS: dict[str, str] = {
    "reminder": N_("Reminder"), "finance_charge": N_("Finance charge memo"),
    "customer": N_("Customer no."), "document_date": NP_("document", "Date"),
    "due_date": N_("Due date"), "level": N_("Reminder level"), "doc": N_("Document"),
    "doc_date": N_("Doc. date"), "due": NP_("document", "Due"), "days": N_("Days"),
    "original": N_("Original"), "remaining": NP_("document", "Remaining"),
    "interest": N_("Interest"), "fee": N_("Fee"), "overdue": N_("Overdue entries"),
    "not_due": N_("Open entries not yet due"), "on_hold": N_("Entries on hold"),
    "total_remaining": N_("Remaining amount"), "total_interest": NP_("total", "Interest"),
    "total_fee": N_("Additional fee"), "total_line_fee": N_("Fees per line"),
    "total": N_("Total due"),
    # Translators: e-mail subject of a reminder or memo: "Reminder R-0001 from CRONUS"
    "subject": N_("{title} {no} from {company}"),
    # Translators: e-mail body; {title} is the document's name in lower case
    "body": N_("Please find attached {title} {no}."),
}
# the fee lines' descriptions Create Reminders stores (English): worded in the document's
# language when printed; a description typed by the clerk prints as typed
FEE_TEXTS: dict[str, str] = {"Additional fee": N_("Additional fee"),
                             "Additional fee per line": N_("Additional fee per line")}
DOC_TYPES: dict[str, str] = {
    "invoice": NP_("document", "Invoice"), "credit_memo": NP_("document", "Credit memo"),
    "payment": NP_("document", "Payment"), "refund": NP_("document", "Refund"),
    "reminder": NP_("document", "Reminder"),
    "finance_charge_memo": NP_("document", "Fin. charge memo")}


def document_language(language: str) -> str:
    """The language a customer's documents are written in: the customer's language code
    when Lettrage has it (``FRA``/``fr-BE`` -> ``fr``), else the company's (English,
    the source language: the company record has no language of its own)."""
    return customer_language(language)


def labels(language: str) -> dict[str, str]:
    """Every label of a reminder or memo in ``language`` (a customer's language code)."""
    with using_language(document_language(language)):
        return {key: _(text) for key, text in LABELS.items()}


def _row(doc_amount: Callable[..., str], day: Callable[..., str], ln: LineView,
         kind: str, language: str) -> tuple[str, ...]:
    if ln.line_type in ("fee", "line_fee"):
        fee = FEE_TEXTS.get(ln.description)
        return (_(fee) if fee else ln.description, "", "", "", "", "", "", doc_amount(ln.fee))
    kind_text = DOC_TYPES.get(ln.document_type)
    name = f"{_(kind_text) if kind_text else ln.document_type} {ln.document_no}".strip()
    days = str(ln.interest_days if kind == "finance_charge" else ln.days_overdue)
    return (name, day(ln.document_date), day(ln.due_date), days,
            doc_amount(ln.original_amount), doc_amount(ln.remaining),
            doc_amount(ln.interest) if ln.interest else "", "")


def build_document(view: DocumentView, company: Company, company_lines: tuple[str, ...] = ()
                   ) -> Document:
    """The reminder or memo as a document, every word in the customer's language."""
    with using_language(document_language(view.language)):
        return _build(view, company, company_lines)


def _build(view: DocumentView, company: Company, company_lines: tuple[str, ...]) -> Document:
    lab = labels(view.language)
    currency = view.currency or company.currency
    columns = (Column(lab["doc"], 16), Column(lab["doc_date"], 10), Column(lab["due"], 10),
               Column(lab["days"], 5, True), Column(lab["original"], 12, True, in_text=False),
               Column(lab["remaining"], 11, True), Column(lab["interest"], 9, True),
               Column(lab["fee"], 8, True))
    shell = Document(title=lab[view.kind], number=view.no, language=view.language,
                     currency=currency, company=Address(company.name),
                     recipient=Address(view.name))
    rows: list[tuple[str, ...]] = []
    sections: list[tuple[int, str]] = []
    current = ""
    for ln in view.lines:
        section = ln.section if ln.line_type == "entry" else current  # fees: no heading
        if view.kind == "reminder" and section != current and section in lab:
            sections.append((len(rows), lab[section]))
            current = section
        rows.append(_row(shell.amount, shell.day, ln, view.kind, view.language))
    totals = [Total(lab["total_remaining"], view.remaining)] if view.kind == "reminder" else []
    if view.interest:
        totals.append(Total(lab["total_interest"], view.interest))
    if view.additional_fee:
        totals.append(Total(lab["total_fee"], view.additional_fee))
    if view.line_fee:
        totals.append(Total(lab["total_line_fee"], view.line_fee))
    totals.append(Total(lab["total"], view.total, strong=True))
    header = [(lab["customer"], view.customer_no),
              (lab["document_date"], shell.long_day(view.document_date)),
              (lab["due_date"], shell.long_day(view.due_date))]
    if view.kind == "reminder":
        header.append((lab["level"], str(view.level)))
    recipient = Address(view.name, (view.address, f"{view.post_code} {view.city}".strip(),
                                    view.country), view.email)
    return Document(
        title=lab[view.kind], number=view.no, language=view.language, currency=currency,
        company=Address(company.name, company_lines), recipient=recipient,
        header_fields=tuple(header), columns=columns, rows=tuple(rows), totals=tuple(totals),
        beginning_texts=view.beginning_texts, ending_texts=view.ending_texts,
        footer=company.name, sections=tuple(sections))


class CollectionsDocuments:
    """Render, write and send issued reminders and memos."""

    def __init__(self, store: Store, service: CollectionsService,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.service = service
        self.clock = clock

    def document(self, kind: str, no: str) -> Document:
        view = self.service.get(kind, no)
        if view.status == "draft":
            raise LettrageError(N_("{kind} {no} is not issued yet; issue it first (documents "
                                   "go out only for issued reminders and memos)"),
                                kind=view.kind_name, no=no)
        with self.store.read() as s:
            company = s.get(Company, 1)
            assert company is not None
            s.expunge(company)
        return build_document(view, company)

    def text(self, kind: str, no: str) -> str:
        return render_text(self.document(kind, no))

    def write(self, kind: str, no: str, folder: Path) -> tuple[Path, Path]:
        return write_document(self.document(kind, no), folder)

    def send(self, kind: str, no: str, settings: SmtpSettings, to: str = "") -> str:
        """E-mail the PDF (text version as the body) to ``to`` or the customer's address;
        returns the address it went to."""
        view = self.service.get(kind, no)
        doc = self.document(kind, no)
        address = to or view.email
        if not address:
            raise MailError(N_("Customer {customer_no} ({name}) has no e-mail address; {no} "
                               "was not sent"), customer_no=view.customer_no, name=view.name,
                            no=no)
        lab = labels(view.language)
        subject = lab["subject"].format(title=doc.title, no=no, company=doc.company.name)
        body = lab["body"].format(title=doc.title.lower(), no=no) + "\n\n" + render_text(doc)
        send(settings, address, subject, body,
             [Attachment(f"{file_stem(doc)}.pdf", render_pdf(doc))])
        self.service.mark_sent(no, address)
        return address
