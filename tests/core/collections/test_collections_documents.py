"""Issued reminders and memos out: one-page PDF read back, text, folder, real SMTP."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.collections.documents import CollectionsDocuments
from core.collections.service import CollectionsService
from core.collections.setup import CollectionsSetupService
from core.documents.mail import MailError, load_settings
from core.i18n import set_language
from core.kernel.errors import LettrageError
from core.ledger.models import Party
from tests.helpers import invoice, payment
from tests.smtp_support import Inbox


def _french_customer(collections: CollectionsService) -> None:
    with collections.store.write() as s:
        party = s.get(Party, ("customer", "C002"))
        assert party is not None
        party.language_code, party.email = "fr", "compta@trey.example"
        party.address, party.post_code, party.city = "3 place du Marché", "69001", "Lyon"


def test_reminder_pdf_text_folder_and_mail(collections: CollectionsService, tmp_path: Path,
                                           smtp_server: Inbox) -> None:
    _french_customer(collections)
    invoice(collections.store, "C002", "1000", date(2025, 1, 1))
    draft = collections.create("reminder", date(2025, 2, 10)).created[0]
    out = CollectionsDocuments(collections.store, collections)
    with pytest.raises(LettrageError, match="is not issued yet"):
        out.text("reminder", draft)
    issued = collections.issue("reminder", draft).issued_no
    text = out.text("reminder", issued)
    assert f"RELANCE {issued}" in text and "Facture SI000001" in text
    assert "TOTAL À PAYER" in text and "Écritures échues" in text
    pdf, txt = out.write("reminder", issued, tmp_path / "relances")
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    content = reader.pages[0].extract_text().replace("\u202f", " ")
    assert len(reader.pages) == 1
    for expected in (f"Relance {issued}", "Trey Research", "3 place du Marché", "69001 Lyon",
                     "Facture SI000001", "1 000,00", "Total à payer", "1 010,00 EUR",
                     "Test GmbH"):
        assert expected in content, expected
    assert txt.read_text("utf-8") == text
    settings = load_settings(None, env={"LETTRAGE_SMTP_HOST": "127.0.0.1",
                                        "LETTRAGE_SMTP_PORT": str(smtp_server.port),
                                        "LETTRAGE_SMTP_STARTTLS": "no"})
    assert out.send("reminder", issued, settings) == "compta@trey.example"
    (msg,) = smtp_server.messages
    assert msg["Subject"] == f"Relance {issued} - Test GmbH"
    attachment = next(p for p in msg.walk() if p.get_filename())
    data = attachment.get_payload(decode=True)
    assert isinstance(data, bytes) and "Trey Research" in PdfReader(
        io.BytesIO(data)).pages[0].extract_text()
    assert collections.get("reminder", issued).sent_to == "compta@trey.example"


def test_memo_document_and_missing_email(collections: CollectionsService,
                                         smtp_server: Inbox) -> None:
    invoice(collections.store, "C002", "1000", date(2025, 1, 1))
    payment(collections.store, "C002", "400", date(2025, 2, 15), applies_to="SI000001")
    draft = collections.create("finance_charge", date(2025, 3, 2)).created[0]
    issued = collections.issue("finance_charge", draft).issued_no
    out = CollectionsDocuments(collections.store, collections)
    text = out.text("finance_charge", issued)
    assert f"FINANCE CHARGE MEMO {issued}" in text and "12.00" in text
    settings = load_settings(None, env={"LETTRAGE_SMTP_HOST": "127.0.0.1",
                                        "LETTRAGE_SMTP_PORT": str(smtp_server.port),
                                        "LETTRAGE_SMTP_STARTTLS": "no"})
    with pytest.raises(MailError, match="has no e-mail address"):
        out.send("finance_charge", issued, settings)
    assert smtp_server.messages == []
    out.send("finance_charge", issued, settings, to="ap@trey.example")
    assert smtp_server.messages[0]["To"] == "ap@trey.example"


def _pdf_text(out: CollectionsDocuments, issued: str, folder: Path) -> str:
    pdf, _txt = out.write("reminder", issued, folder)
    return PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text().replace("\u202f", " ")


def test_each_customer_gets_reminders_in_their_language(collections: CollectionsService,
                                                        tmp_path: Path) -> None:
    """The customer's language decides, not the clerk's: a French clerk sends an English
    customer an English reminder and a French customer a French one, in the same run."""
    _french_customer(collections)
    CollectionsSetupService(collections.store, user="tester").set_customer(
        "C001", reminder_terms_code="T")
    invoice(collections.store, "C001", "1234.56", date(2025, 1, 1))
    invoice(collections.store, "C002", "1234.56", date(2025, 1, 1))
    drafts = collections.create("reminder", date(2025, 2, 10)).created
    issued = {collections.get("reminder", d).customer_no: collections.issue("reminder", d).issued_no
              for d in drafts}
    out = CollectionsDocuments(collections.store, collections)
    set_language("fr")
    try:
        french = _pdf_text(out, issued["C002"], tmp_path / "fr")
        english = _pdf_text(out, issued["C001"], tmp_path / "en")
    finally:
        set_language("en")
    for expected in (f"Relance {issued['C002']}", "Échéance", "Niveau de relance",
                     "Facture SI0000", "1 234,56", "Date 10 février 2025", "01/01/2025",
                     "Total à payer"):
        assert expected in french, expected
    for expected in (f"Reminder {issued['C001']}", "Due date", "Reminder level",
                     "Invoice SI0000", "1,234.56", "Date February 10, 2025", "2025-01-01",
                     "Total due"):
        assert expected in english, expected
    assert "Relance" not in english and "Total due" not in french
    # the level's additional fee line is worded in the customer's language too
    assert "Indemnité / frais" in french and "Additional fee" not in french
    assert "Additional fee" in english
