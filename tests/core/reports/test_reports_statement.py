"""Customer statements: balances equal the sum of the entries (payment discount lines
included), the French PDF read back with pypdf, sent through a real SMTP server; the card
figures and the cash picture."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from email.header import decode_header, make_header
from itertools import pairwise
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import select

from core.documents.mail import load_settings
from core.kernel.store import Store
from core.ledger.models import LedgerEntry, Party
from core.prediction.models import PaymentPrediction
from core.queries.service import QueryService
from core.reports.documents import StatementDocuments, statement_pdf, statement_text
from core.reports.service import ReportsService
from core.reports.statement import Statement, StatementLine
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
    assert cash.expected == cash.due and not cash.prediction_used  # no prediction yet


def test_cash_picture_moves_predicted_late_invoices_to_their_payment_week(
        store: Store) -> None:
    """Each invoice predicted late counts in the week of its expected payment date
    (an overdue one too); the overdue figure is the home screen's."""
    service = _books(store)
    invoice(store, "C002", "300", date(2025, 3, 25))  # due 24 April: week 6
    today = date(2025, 3, 12)
    with store.write() as s:
        def predict(doc: str, late: bool, paid: date) -> None:
            e = s.exec(select(LedgerEntry).where(LedgerEntry.document_no == doc)).one()
            assert e.entry_no is not None and e.due_date is not None
            s.add(PaymentPrediction(
                entry_no=e.entry_no, customer_no=e.party_no, document_no=doc,
                due_date=e.due_date, remaining_amount=e.remaining_amount, late=late,
                confidence_pct=90, expected_payment_date=paid, reasons="[]",
                model_version=1, scored_on=today))

        predict("SI000002", True, date(2025, 3, 19))  # overdue 500, paid in week 1
        predict("SI000003", True, date(2025, 4, 23))  # due week 4, paid in week 6
        predict("SI000004", True, date(2025, 6, 2))  # C002's: after the 8 weeks
    cash = service.cash_picture(today)
    home = QueryService(store, lambda: today).home()
    assert (cash.overdue, cash.overdue_count) == (home.overdue_receivables,
                                                  home.overdue_count) == (Decimal("500"), 1)
    assert cash.due[4] == cash.predicted_late[4] == Decimal("250")
    assert cash.due[6] == cash.predicted_late[6] == Decimal("300")
    assert cash.expected[1] == Decimal("500") and cash.expected[4] == 0
    assert cash.expected[6] == Decimal("250") and cash.expected_later == Decimal("300")
    assert cash.prediction_used
    row = next(r for r in cash.as_dict()["due"] if r["week"] == "2025-04-21")
    assert row == {"week": "2025-04-21", "amount": "300.00", "predicted_late": "300.00",
                   "expected": "250.00"}


def test_long_statement_pdf_has_every_line_on_numbered_pages() -> None:
    """A statement of three pages: every entry printed once, the column titles repeated,
    the running balance carried forward at each page's foot and brought forward at the
    next page's top, each page numbered."""
    day = date(2025, 1, 1)
    lines, balance = [], Decimal("100")
    for i in range(100):
        amount = Decimal(100 + i) if i % 3 else Decimal(-(50 + i))
        balance += amount
        lines.append(StatementLine(day, "initial", "invoice" if amount > 0 else "payment",
                                   f"DOC{i:05d}", "", day, amount, balance))
    st = Statement("C001", "Adatum Corporation", ("Lyon",), "", "en", "EUR", "Test GmbH",
                   day, date(2025, 3, 31), Decimal("100"), tuple(lines), balance, (),
                   ("current",), (balance,))
    reader = PdfReader(io.BytesIO(StatementDocuments().pdf(st)))
    assert len(reader.pages) == 3
    pages = [p.extract_text().replace("\u202f", " ") for p in reader.pages]
    whole = "\n".join(pages)
    for ln in lines:
        assert whole.count(ln.document_no) == 1, ln.document_no
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of 3" in text
        assert text.count("Balance") >= 1  # the column titles on every page
    for before, after in pairwise(pages):
        carried = before.split("Carried forward")[1].split()[0]
        assert after.split("Brought forward")[1].split()[0] == carried
        # the carried balance is the running balance of the page's last entry
        last = [ln for ln in lines if ln.document_no in before][-1]
        assert carried == f"{last.balance:,.2f}"
    assert "Closing balance" in pages[-1] and "more lines" not in whole
