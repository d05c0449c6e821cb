"""Documents to customers are in the customer's language, whatever the clerk's (issue 16):
for each kind (reminder, finance charge memo, customer statement) and each clerk language,
a French customer gets French and an English one English, in the same run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from core.collections.documents import CollectionsDocuments
from core.collections.service import CollectionsService
from core.collections.setup import CollectionsSetupService
from core.i18n import customer_language, set_language
from core.kernel.store import Store
from core.ledger.models import Party
from core.reports.documents import statement_text
from core.reports.service import ReportsService
from tests.collections_support import setup_terms
from tests.helpers import invoice, payment

FRENCH_WORDS = ("Facture SI0000", "1\u202f234,56")  # Babel: a narrow no-break space
ENGLISH_WORDS = ("Invoice SI0000", "1,234.56")


@pytest.fixture(params=["en", "fr"])
def clerk(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    try:
        yield request.param
    finally:
        set_language("en")


def _customers(store: Store, french_code: str = "fr") -> None:
    """C002 French (``french_code``), C001 English; both on reminder and interest terms."""
    setup_terms(store)
    CollectionsSetupService(store, user="tester").set_customer(
        "C001", reminder_terms_code="T", fin_charge_terms_code="FC")
    with store.write() as s:
        for no, code in (("C001", "en"), ("C002", french_code)):
            party = s.get(Party, ("customer", no))
            assert party is not None
            party.language_code = code


def _issued(store: Store, kind: str, day: date) -> tuple[CollectionsService, dict[str, str]]:
    service = CollectionsService(store, user="tester",
                                 clock=lambda: datetime(2025, 3, 1, 9, tzinfo=UTC))
    drafts = service.create(kind, day).created
    return service, {service.get(kind, d).customer_no: service.issue(kind, d).issued_no
                     for d in drafts}


def _check(french: str, english: str, french_title: str, english_title: str) -> None:
    for word in (french_title, *FRENCH_WORDS):
        assert word in french, word
    for word in (english_title, *ENGLISH_WORDS):
        assert word in english, word
    assert english_title not in french and french_title not in english


def test_reminders_follow_the_customer(store: Store, clerk: str) -> None:
    _customers(store)
    for no in ("C001", "C002"):
        invoice(store, no, "1234.56", date(2025, 1, 1))
    service, issued = _issued(store, "reminder", date(2025, 2, 10))
    out = CollectionsDocuments(store, service)
    _check(out.text("reminder", issued["C002"]), out.text("reminder", issued["C001"]),
           "RELANCE", "REMINDER")


def test_finance_charge_memos_follow_the_customer(store: Store, clerk: str) -> None:
    _customers(store)
    for no in ("C001", "C002"):
        invoice(store, no, "1234.56", date(2025, 1, 1))
        payment(store, no, "400", date(2025, 2, 15), applies_to="SI000001" if no == "C001"
                else "SI000002", doc_no=f"PAY-{no}")
    service, issued = _issued(store, "finance_charge", date(2025, 3, 2))
    assert set(issued) == {"C001", "C002"}
    out = CollectionsDocuments(store, service)
    french = out.text("finance_charge", issued["C002"])
    english = out.text("finance_charge", issued["C001"])
    for word in ("FACTURE D'INTÉRÊTS", "Facture SI0000"):
        assert word.lower() in french.lower(), word
    for word in ("FINANCE CHARGE MEMO", "Invoice SI0000"):
        assert word in english, word
    assert "FINANCE CHARGE" not in french and "INTÉRÊTS" not in english.upper()


@pytest.mark.parametrize("french_code", ["fr", "FRA"])  # BC's own language code too
def test_statements_follow_the_customer(store: Store, clerk: str, french_code: str) -> None:
    _customers(store, french_code)
    for no in ("C001", "C002"):
        invoice(store, no, "1234.56", date(2025, 3, 1))
    reports = ReportsService(store, lambda: date(2025, 3, 31))
    french = statement_text(reports.statement("C002", date(2025, 3, 31)))
    english = statement_text(reports.statement("C001", date(2025, 3, 31)))
    _check(french, english, "RELEVÉ CLIENT", "CUSTOMER STATEMENT")
    assert "31/03/2025" in french and "31/03/2025" not in english


def test_customer_language_codes() -> None:
    assert [customer_language(c) for c in ("fr", "fr-BE", "FRA", "ENU", "", None, "DEU")] \
        == ["fr", "fr", "fr", "en", "en", "en", "en"]
