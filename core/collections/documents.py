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
from core.kernel.errors import LettrageError
from core.kernel.store import Store
from core.ledger.models import Company

# language -> label -> text (English is the fallback)
LABELS: dict[str, dict[str, str]] = {
    "": {"reminder": "Reminder", "finance_charge": "Finance charge memo",
         "customer": "Customer no.", "document_date": "Date", "due_date": "Due date",
         "level": "Reminder level", "doc": "Document", "doc_date": "Doc. date",
         "due": "Due", "days": "Days", "original": "Original", "remaining": "Remaining",
         "interest": "Interest", "fee": "Fee", "overdue": "Overdue entries",
         "not_due": "Open entries not yet due", "on_hold": "Entries on hold",
         "total_remaining": "Remaining amount", "total_interest": "Interest",
         "total_fee": "Additional fee", "total_line_fee": "Fees per line",
         "total": "Total due", "subject": "{title} {no} from {company}",
         "body": "Please find attached {title} {no}."},
    "fr": {"reminder": "Relance", "finance_charge": "Note d'intérêts de retard",
           "customer": "N° client", "document_date": "Date", "due_date": "Échéance",
           "level": "Niveau de relance", "doc": "Document", "doc_date": "Date doc.",
           "due": "Échéance", "days": "Jours", "original": "Montant", "remaining": "Restant",
           "interest": "Intérêts", "fee": "Frais", "overdue": "Écritures échues",
           "not_due": "Écritures non échues", "on_hold": "Écritures en attente",
           "total_remaining": "Montant restant dû", "total_interest": "Intérêts de retard",
           "total_fee": "Indemnité / frais", "total_line_fee": "Frais par ligne",
           "total": "Total à payer", "subject": "{title} {no} - {company}",
           "body": "Veuillez trouver ci-joint notre {title} {no}."},
}
DOC_TYPES = {"": {"invoice": "Invoice", "credit_memo": "Credit memo", "payment": "Payment",
                  "refund": "Refund", "reminder": "Reminder",
                  "finance_charge_memo": "Fin. charge memo"},
             "fr": {"invoice": "Facture", "credit_memo": "Avoir", "payment": "Paiement",
                    "refund": "Remboursement", "reminder": "Relance",
                    "finance_charge_memo": "Note d'intérêts"}}


def labels(language: str) -> dict[str, str]:
    return {**LABELS[""], **LABELS.get(language.lower()[:2], {})}


def _row(doc_amount: Callable[..., str], day: Callable[..., str], ln: LineView,
         kind: str, language: str) -> tuple[str, ...]:
    if ln.line_type in ("fee", "line_fee"):
        return (ln.description, "", "", "", "", "", "", doc_amount(ln.fee))
    types = DOC_TYPES.get(language.lower()[:2], DOC_TYPES[""])
    name = f"{types.get(ln.document_type, ln.document_type)} {ln.document_no}".strip()
    days = str(ln.interest_days if kind == "finance_charge" else ln.days_overdue)
    return (name, day(ln.document_date), day(ln.due_date), days,
            doc_amount(ln.original_amount), doc_amount(ln.remaining),
            doc_amount(ln.interest) if ln.interest else "", "")


def build_document(view: DocumentView, company: Company, company_lines: tuple[str, ...] = ()
                   ) -> Document:
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
    header = [(lab["customer"], view.customer_no), (lab["document_date"],
                                                     shell.day(view.document_date)),
              (lab["due_date"], shell.day(view.due_date))]
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
            raise LettrageError(f"{view.kind_name} {no} is not issued yet; issue it first "
                                "(documents go out only for issued reminders and memos)")
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
            raise MailError(f"Customer {view.customer_no} ({view.name}) has no e-mail "
                            f"address; {no} was not sent")
        lab = labels(view.language)
        subject = lab["subject"].format(title=doc.title, no=no, company=doc.company.name)
        body = lab["body"].format(title=doc.title.lower(), no=no) + "\n\n" + render_text(doc)
        send(settings, address, subject, body,
             [Attachment(f"{file_stem(doc)}.pdf", render_pdf(doc))])
        self.service.mark_sent(no, address)
        return address
