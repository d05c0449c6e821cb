"""Stored descriptions are data worded once, in the language of the clerk who creates
them (as in Business Central): a French clerk's company, postings and setup say
"Paiement …", "TVA 19 %", "Banque, compte courant"; an English clerk's "Payment …".
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from core.collections.defaults import FINANCE_TERMS, REMINDER_TERMS, add_defaults
from core.collections.models import FinanceChargeTerms, ReminderTerms
from core.i18n import using_language
from core.ledger.models import GLAccount, GLEntry, JournalBatch, LedgerEntry, NoSeries, PaymentTerms
from core.ledger.setup import create_company
from core.registration.marks import tick
from core.registration.service import RegistrationService
from data.engine import SqlStore
from tests.core.registration.reg_support import sales_invoice

FRENCH = {"gl": "Banque, compte courant", "terms": "Net 30 jours", "series": "Factures vente",
          "batch": "Paiements", "reminder": "Relances (3 niveaux)",
          "finance": "Pénalités de retard BCE+10",
          "line": "Intérêts de retard, {days} j à {rate} %"}
ENGLISH = {"gl": "Bank, operating account", "terms": "Net 30 days", "series": "Sales invoices",
           "batch": "Payments", "reminder": "Reminders (3 levels)",
           "finance": "Late-payment interest ECB+10",
           "line": "Late-payment interest, {days} days at {rate} %"}


@pytest.mark.parametrize(("language", "words"), [("fr", FRENCH), ("en", ENGLISH)])
def test_a_new_company_is_set_up_in_its_creators_language(
        empty_store: SqlStore, language: str, words: dict[str, str]) -> None:
    with using_language(language):
        create_company(empty_store, "Test SARL", "EUR")
        with empty_store.write() as s:
            assert add_defaults(s)
    with using_language("en" if language == "fr" else "fr"), empty_store.read() as s:
        gl, terms = s.get(GLAccount, "1100"), s.get(PaymentTerms, "30D")
        series = s.get(NoSeries, "S-INV")
        batch = s.exec(select(JournalBatch).where(col(JournalBatch.template) == "payment")
                       ).one()
        reminder, finance = s.get(ReminderTerms, REMINDER_TERMS), \
            s.get(FinanceChargeTerms, FINANCE_TERMS)
        assert gl is not None and terms is not None and series is not None
        assert reminder is not None and finance is not None
        found = {"gl": gl.name, "terms": terms.description, "series": series.description,
                 "batch": batch.description, "reminder": reminder.description,
                 "finance": finance.description, "line": finance.line_description}
    assert found == words  # data: the reader's language does not change it


@pytest.mark.parametrize(("language", "payment", "vat"), [
    ("fr", "Paiement {doc}", "TVA 19 %"), ("en", "Payment {doc}", "VAT 19 %")])
def test_postings_are_described_in_the_posting_clerks_language(
        store: SqlStore, language: str, payment: str, vat: str) -> None:
    with using_language(language):
        doc = sales_invoice(store, "C001", "1000", date(2025, 1, 5), vat="19")
        row = RegistrationService(store).rows_by_document([doc])[doc]
        RegistrationService(store).post([tick(row, date(2025, 1, 10))])
    with store.read() as s:
        paid = s.exec(select(LedgerEntry).where(col(LedgerEntry.document_type) == "payment")
                      ).one()
        vat_lines = s.exec(select(GLEntry.description).where(
            col(GLEntry.gl_account_no) == "2300")).all()
    assert paid.description == payment.format(doc=doc)
    assert list(vat_lines) == [vat]
