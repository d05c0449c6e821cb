"""Customer statements out: the shared document model (core.documents) in the
customer's language and currency, as PDF and plain text, written to a folder or sent
by e-mail through the reminders' SMTP sender."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from core.documents.mail import Attachment, MailError, SmtpSettings, load_settings, send
from core.documents.model import Address, Column, Document, Total
from core.documents.out import file_stem, write_document
from core.documents.pdf import render_pdf
from core.documents.text import render_text
from core.i18n import N_, _, customer_language, pgettext, using_language
from core.reports.labels import bucket_title, entry_text
from core.reports.statement import Statement


def statement_number(st: Statement) -> str:
    return f"{st.customer_no}-{st.date_to:%Y%m%d}"


def build_document(st: Statement) -> Document:
    """The statement as a document, in the customer's language."""
    with using_language(customer_language(st.language)) as language:
        shell = Document(title="", number="", language=language, currency=st.currency,
                         company=Address(st.company_name), recipient=Address(st.name))
        columns = (Column(_("Date"), 10), Column(_("Document"), 19),
                   Column(pgettext("statement column", "Due date"), 10),
                   Column(pgettext("statement column", "Days"), 5, True),
                   Column(_("Amount"), 13, True), Column(_("Balance"), 14, True))
        # 71 characters + 5 spaces: the 76-column text
        rows: list[tuple[str, ...]] = [
            (shell.day(st.date_from), _("Opening balance"), "", "", "",
             shell.amount(st.opening))]
        sections = [(0, _("Entries from {start} to {end}").format(
            start=shell.day(st.date_from), end=shell.day(st.date_to)))]
        for ln in st.lines:
            rows.append((shell.day(ln.posting_date),
                         entry_text(ln.entry_type, ln.document_type, ln.document_no),
                         shell.day(ln.due_date), "", shell.amount(ln.amount),
                         shell.amount(ln.balance)))
        if st.open_entries:
            sections.append((len(rows), _("Open entries at {day} (remaining amount)").format(
                day=shell.day(st.date_to))))
        for e in st.open_entries:
            rows.append((shell.day(e.posting_date),
                         entry_text("initial", e.document_type, e.document_no),
                         shell.day(e.due_date), str(max(e.days, 0)) if e.days > 0 else "",
                         shell.amount(e.amount), shell.amount(e.remaining)))
        totals = [Total(_("Opening balance"), st.opening),
                  Total(_("Closing balance"), st.closing, strong=True)]
        totals += [Total(bucket_title(k), a) for k, a in zip(st.aging_keys, st.aging,
                                                              strict=True) if a]
        header = ((_("Customer no."), st.customer_no),
                  (_("Statement date"), shell.long_day(st.date_to)),
                  (_("Period"), f"{shell.day(st.date_from)} - {shell.day(st.date_to)}"),
                  (_("Currency"), st.currency))
        texts = (_("Overdue: {amount} {currency}. Please pay the overdue entries or tell "
                   "us if you disagree with them.").format(amount=shell.amount(st.overdue),
                                                          currency=st.currency),) \
            if st.overdue > 0 else ()
        return Document(
            title=_("Customer Statement"), number=statement_number(st), language=language,
            currency=st.currency, company=Address(st.company_name),
            recipient=Address(st.name, st.address, st.email), header_fields=header,
            columns=columns, rows=tuple(rows), totals=tuple(totals), ending_texts=texts,
            footer=st.company_name, sections=tuple(sections), carry_column=5,
            carry_until=len(st.lines) + 1)


def statement_text(st: Statement) -> str:
    return render_text(build_document(st))


def statement_pdf(st: Statement) -> bytes:
    return render_pdf(build_document(st))


def write_statement(st: Statement, folder: Path) -> tuple[Path, Path]:
    """``<no>_<customer>.pdf`` and ``.txt`` in ``folder``."""
    return write_document(build_document(st), folder)


def send_statement(st: Statement, settings: SmtpSettings, to: str = "") -> str:
    """E-mail the PDF (the text as the body) to ``to`` or the customer's address; the
    address it went to."""
    address = to or st.email
    if not address:
        raise MailError(N_("Customer {no} ({name}) has no e-mail address; the statement "
                           "was not sent"), no=st.customer_no, name=st.name)
    doc = build_document(st)
    with using_language(customer_language(st.language)):
        subject = _("{title} {no} from {company}").format(
            title=doc.title, no=doc.number, company=st.company_name)
        body = _("Please find attached your statement of account at {day}.").format(
            day=doc.long_day(st.date_to))
    send(settings, address, subject, body + "\n\n" + render_text(doc),
         [Attachment(f"{file_stem(doc)}.pdf", render_pdf(doc))])
    return address


class StatementDocuments:
    """Statements as text, PDF, files and e-mail (``services.statement_documents``)."""

    def __init__(self, smtp_config: Path | None = None) -> None:
        self.smtp_config = smtp_config

    def smtp_settings(self, env: Mapping[str, str] | None = None) -> SmtpSettings:
        return load_settings(self.smtp_config, env)

    def text(self, st: Statement) -> str:
        return statement_text(st)

    def pdf(self, st: Statement) -> bytes:
        return statement_pdf(st)

    def write(self, st: Statement, folder: Path) -> tuple[Path, Path]:
        return write_statement(st, folder)

    def send(self, st: Statement, to: str = "", settings: SmtpSettings | None = None) -> str:
        return send_statement(st, settings or self.smtp_settings(), to)
