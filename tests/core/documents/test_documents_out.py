"""The shared documents-out package: PDF read back with pypdf, text, folder, SMTP."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.documents.mail import Attachment, MailError, load_settings, send
from core.documents.model import Address, Column, Document, Total
from core.documents.out import write_document
from core.documents.pdf import render_pdf
from core.documents.text import render_text
from tests.smtp_support import Inbox, free_port


def sample(rows: int = 2, language: str = "fr") -> Document:
    return Document(
        title="Relance", number="IRM000001", language=language, currency="EUR",
        company=Address("Société Générale d'Équipement", ("12 rue de la Paix", "75002 Paris")),
        recipient=Address("Café Noël SARL", ("3 place du Marché", "69001 Lyon")),
        header_fields=(("Date", "06/02/2025"), ("Niveau de relance", "1")),
        columns=(Column("Document", 20), Column("Échéance", 10),
                 Column("Restant", 12, numeric=True)),
        rows=tuple((f"Facture SI{i:06d}", "31/01/2025", "1 000,00") for i in range(rows)),
        totals=(Total("Total à payer", D("1040.00"), strong=True),),
        beginning_texts=("Sauf erreur de notre part, les factures ci-dessous restent impayées.",),
        ending_texts=("Merci de régler EUR 1 040,00 avant le 14/02/2025 (€).",))


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_pdf_reads_back() -> None:
    pages, text = pdf_text(render_pdf(sample()))
    assert pages == 1
    for expected in ("Relance IRM000001", "Café Noël SARL", "Facture SI000001", "Total à payer",
                     "1 040,00 EUR", "restent impayées", "Niveau de relance"):
        assert expected in text.replace("\u202f", " "), expected


def test_long_document_goes_on_numbered_pages() -> None:
    pages, text = pdf_text(render_pdf(sample(rows=200)))
    assert pages == 5 and "more lines" not in text and "Total à payer" in text
    assert all(text.count(f"Facture SI{i:06d}") == 1 for i in range(200))
    assert "Page 1 sur 5" in text and "Page 5 sur 5" in text
    assert "À reporter" not in text  # nothing to carry: no running balance


def test_text_rendering_and_amount_format() -> None:
    doc = sample()
    assert doc.amount(D("1234.5")) == "1\u202f234,50" and doc.day(date(2025, 2, 6)) == "06/02/2025"
    assert doc.long_day(date(2025, 2, 6)) == "6 février 2025"
    # BC's language codes; a language Lettrage does not have writes English
    for code in ("ENU", "de"):
        english = sample(language=code)
        assert english.amount(D("-1234.5")) == "-1,234.50"
        assert english.day(date(2025, 2, 6)) == "2025-02-06"
        assert english.long_day(date(2025, 2, 6)) == "February 6, 2025"
    assert sample(language="FRA").day(date(2025, 2, 6)) == "06/02/2025"
    text = render_text(doc)
    assert "RELANCE IRM000001" in text and "Facture SI000001" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_write_to_folder(tmp_path: Path) -> None:
    pdf, txt = write_document(sample(), tmp_path / "out")
    assert pdf.name == "IRM000001_Caf_No_l_SARL.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert "Café Noël SARL" in txt.read_text("utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(Exception, match="Cannot write relance IRM000001 to"):
        write_document(sample(), blocker / "sub")


def test_settings_from_env_and_file(tmp_path: Path) -> None:
    config = tmp_path / "smtp.toml"
    config.write_text('[smtp]\nhost = "mail.example.org"\nport = 2525\nuser = "a"\n')
    s = load_settings(config, env={"LETTRAGE_SMTP_PASSWORD": "pw", "LETTRAGE_SMTP_STARTTLS": "0"})
    assert (s.host, s.port, s.user, s.password, s.starttls) == ("mail.example.org", 2525, "a",
                                                                "pw", False)
    with pytest.raises(MailError, match="No SMTP server is set up"):
        load_settings(None, env={})
    with pytest.raises(MailError, match="'x' is not a number"):
        load_settings(None, env={"LETTRAGE_SMTP_HOST": "h", "LETTRAGE_SMTP_PORT": "x"})


def test_send_through_real_smtp(smtp_server: Inbox) -> None:
    settings = load_settings(None, env={
        "LETTRAGE_SMTP_HOST": "127.0.0.1", "LETTRAGE_SMTP_PORT": str(smtp_server.port),
        "LETTRAGE_SMTP_STARTTLS": "false", "LETTRAGE_SMTP_USER": "clerk",
        "LETTRAGE_SMTP_PASSWORD": "s3cret", "LETTRAGE_SMTP_FROM": "ar@example.org"})
    data = render_pdf(sample())
    send(settings, "client@example.com", "Relance IRM000001", render_text(sample()),
         [Attachment("IRM000001.pdf", data)])
    (msg,) = smtp_server.messages
    assert msg["To"] == "client@example.com" and msg["From"] == "ar@example.org"
    parts = [p for p in msg.walk() if p.get_filename()]
    assert parts[0].get_filename() == "IRM000001.pdf"
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes) and "Café Noël SARL" in pdf_text(payload)[1]
    closed = load_settings(None, env={"LETTRAGE_SMTP_HOST": "127.0.0.1",
                                      "LETTRAGE_SMTP_PORT": str(free_port()),
                                      "LETTRAGE_SMTP_STARTTLS": "false"})
    with pytest.raises(MailError, match=r"Cannot send to client@example\.com through 127\.0\.0\.1"):
        send(closed, "client@example.com", "x", "y")
    tls = load_settings(None, env={"LETTRAGE_SMTP_HOST": "127.0.0.1",
                                   "LETTRAGE_SMTP_PORT": str(smtp_server.port)})
    with pytest.raises(MailError, match="STARTTLS"):  # the test server offers no STARTTLS
        send(tls, "client@example.com", "x", "y")
    assert len(smtp_server.messages) == 1
