"""Customer statements: balances equal the sum of the entries (payment discount lines
included), the French PDF read back with pypdf, sent through a real SMTP server; the card
figures and the cash picture."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from email.header import decode_header, make_header
from pathlib import Path

from pypdf import PdfReader

from core.documents.mail import load_settings
from core.kernel.store import Store
from core.ledger.models import Party
from core.reports.documents import StatementDocuments, statement_pdf, statement_text
from core.reports.service import ReportsService
from tests.helpers import invoice, payment
from tests.smtp_support import Inbox

END = date(2025, 3, 31)


def _books(store: Store) -> ReportsService:
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.language_code, party.email = "fr", "compta@adatum.example"
        party.address, party.post_code, party.city = "3 place du Marché", "69001", "Lyon"
    invoice(store, "C001", "1000", date(2025, 1, 10))  # SI000001, 2/10N30
    invoice(store, "C001", "500", date(2025, 2, 1))  # SI000002, due 3 March
    payment(store, "C001", "980", date(2025, 1, 15), applies_to="SI000001", doc_no="PAY1")
    invoice(store, "C001", "250", date(2025, 3, 10))  # SI000003
    payment(store, "C001", "100", date(2025, 3, 20), doc_no="PAY2")  # unapplied
    return ReportsService(store, lambda: END)


def test_statement_balances_pdf_and_mail(store: Store, tmp_path: Path,
                                        smtp_server: Inbox) -> None:
    service = _books(store)
    st = service.statement("C001", END, date(2025, 2, 1))
    assert st.opening == Decimal("0")  # invoice 1000 less its 980 payment and 20 discount
    assert st.opening + sum(ln.amount for ln in st.lines) == st.closing == Decimal("650")
    assert [ln.balance for ln in st.lines] == [Decimal("500"), Decimal("750"), Decimal("650")]
    whole = service.statement("C001", END, date(2025, 1, 1))
    assert [ln.entry_type for ln in whole.lines].count("payment_discount") == 1
    assert whole.opening + sum(ln.amount for ln in whole.lines) == whole.closing
    assert sum(e.remaining for e in st.open_entries) == st.closing
    # SI000002 28 days late, the unapplied PAY2 11 days old: both 1-30
    assert st.aging == (Decimal("250"), Decimal("400"), 0, 0, 0)
    text = statement_text(st)
    assert "RELEVÉ CLIENT C001-20250331" in text and "Facture SI000002" in text
    assert "SOLDE DE CLÔTURE" in text and "Non échu" in text
    docs = StatementDocuments()
    pdf, txt = docs.write(st, tmp_path / "releves")
    content = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    content = content.replace("\u202f", " ")
    for expected in ("Relevé client C001-20250331", "Adatum Corporation", "69001 Lyon",
                     "Solde d'ouverture", "Facture SI000003", "Paiement PAY2", "650,00 EUR",
                     "1-30 jours", "Test GmbH", "31 mars 2025", "01/02/2025 - 31/03/2025",
                     "10/03/2025"):
        assert expected in content, expected
    assert txt.read_text("utf-8") == text
    settings = load_settings(None, env={"LETTRAGE_SMTP_HOST": "127.0.0.1",
                                        "LETTRAGE_SMTP_PORT": str(smtp_server.port),
                                        "LETTRAGE_SMTP_STARTTLS": "no"})
    assert docs.send(st, settings=settings) == "compta@adatum.example"
    (msg,) = smtp_server.messages
    subject = str(make_header(decode_header(msg["Subject"])))
    assert subject == "Relevé client C001-20250331 - Test GmbH"
    attachment = next(p for p in msg.walk() if p.get_filename())
    data = attachment.get_payload(decode=True)
    assert isinstance(data, bytes) and "Adatum" in PdfReader(io.BytesIO(data)).pages[0] \
        .extract_text()


def test_english_statement_dates_and_amounts(store: Store) -> None:
    """An English customer's statement: Babel's English amounts and dates, in the
    text and in the PDF read back (not the French clerk's formats)."""
    st = replace(_books(store).statement("C001", END, date(2025, 2, 1)), language="ENU")
    text = statement_text(st)
    content = PdfReader(io.BytesIO(statement_pdf(st))).pages[0].extract_text()
    for shown in (text, content):
        for expected in ("C001-20250331", "March 31, 2025",
                         "2025-02-01 - 2025-03-31", "2025-03-10", "Invoice SI000003",
                         "650.00"):
            assert expected in shown, expected
        assert "customer statement" in shown.lower() and "31/03/2025" not in shown
        assert "650,00" not in shown


def test_batch_selection_figures_and_cash_picture(store: Store) -> None:
    service = _books(store)
    invoice(store, "C002", "300", date(2025, 3, 25))  # C002: balance, nothing overdue
    assert service.statement_customers(END) == ["C001", "C002"]
    assert service.statement_customers(END, overdue_only=True) == ["C001"]
    figures = service.customer_figures("C001")
    # overdue: SI000002 (500) less the unapplied payment PAY2 (100), aged by its date
    assert (figures.balance, figures.overdue) == (Decimal("650"), Decimal("400"))
    assert figures.avg_days_to_pay == Decimal("5.0") and figures.invoices_paid == 1
    assert (figures.last_payment_date, figures.last_payment_amount) == (
        date(2025, 3, 20), Decimal("100"))
    cash = service.cash_picture(date(2025, 3, 12))  # a Wednesday: weeks from 10 March
    assert cash.week_starts[0] == date(2025, 3, 10)
    assert cash.past_starts[-1] == date(2025, 3, 3)
    assert cash.overdue == Decimal("500")  # SI000002 due 3 March
    assert cash.due[4] == Decimal("250")  # SI000003 due 9 April (C002: 300 on 24 April)
    assert sum(cash.due) == Decimal("550")
    assert sum(cash.received) == Decimal("980")
