"""Payment Registration and sales document errors carry a message id and parameters:
a French clerk reads BC's French wording, an English clerk BC's English, whatever the
language the error was raised in (issue 16)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.i18n import set_language, using_language
from core.kernel.errors import LettrageError, NotFoundError, PostingError
from core.ledger.setup import create_company
from core.registration.marks import Mark
from core.registration.sales import SalesService
from core.registration.sales_types import PaymentMethodView, SalesDocumentInput, SalesLineInput
from core.registration.service import RegistrationService
from core.registration.setup import RegistrationSetupService
from data.engine import SqlStore
from tests.core.registration.reg_support import sales_invoice
from tests.helpers import seed_basics
from tui.bootstrap import open_store
from tui.cli import main

DAY = date(2025, 1, 5)


def _raised(kind: type[LettrageError], action: Callable[[], object],
            language: str = "en") -> LettrageError:
    """The error ``action`` raises while the clerk's language is ``language``."""
    with using_language(language), pytest.raises(kind) as info:
        action()
    return info.value


def _line(account: str = "4100") -> SalesLineInput:
    return SalesLineInput(account, Decimal(1), Decimal("100"), Decimal(0), "Goods")


def test_amount_received_zero_in_french_and_english(store: SqlStore) -> None:
    inv = sales_invoice(store, "C001", "1000", DAY)
    svc = RegistrationService(store)
    row = svc.rows_by_document([inv])[inv]
    error = _raised(PostingError, lambda: svc.post(
        [Mark(row, date(2025, 1, 10), Decimal(0), row.pmt_discount_date)]), "fr")
    assert error.params == {"document_no": inv}
    assert error.message_in("fr") == ("Le montant reçu ne doit pas être égal à zéro pour la "
                                      f"ligne avec le n° document {inv}.")
    assert error.message_in("en") == ("Amount Received must not be zero for line with "
                                      f"Document No. {inv}.")
    sign = _raised(PostingError, lambda: svc.post(
        [Mark(row, date(2025, 1, 10), Decimal(-5), row.pmt_discount_date)]))
    assert sign.message_in("fr") == (  # Babel's French thousands separator: U+202F
        "Le montant reçu doit avoir le même signe que le montant ouvert (1\u202f000,00) "
        f"pour la ligne avec le n° document {inv}.")
    assert sign.message_in("en") == ("Amount Received must have the same sign as the Remaining "
                                     f"Amount (1,000.00) for line with Document No. {inv}.")


def test_unknown_customer_and_document_label_on_sales_documents(store: SqlStore) -> None:
    sales = SalesService(store, user="tester")
    error = _raised(NotFoundError, lambda: sales.create(
        SalesDocumentInput("invoice", "C999", DAY, (_line(),))))
    assert (error.message_id, error.params) == ("Customer {customer_no} does not exist",
                                                {"customer_no": "C999"})
    assert error.message_in("fr") == "Le client C999 n'existe pas"
    assert error.message_in("en") == "Customer C999 does not exist"
    # the document type is worded when shown, never baked in English into the message
    bad = _raised(NotFoundError, lambda: sales.create(
        SalesDocumentInput("credit_memo", "C001", DAY, (_line("9999"),))))
    assert bad.message_in("fr") == ("Avoir vente SCD000001 ligne 1 : le compte général 9999 "
                                    "n'existe pas")
    assert bad.message_in("en") == "Sales credit memo SCD000001 line 1: G/L account 9999 " \
        "does not exist"
    empty = sales.create(SalesDocumentInput("invoice", "C001", DAY))
    nothing = _raised(PostingError, lambda: sales.post(empty.id))
    assert nothing.message_in("fr") == (f"Il n'y a rien à valider : facture vente {empty.no} "
                                        "n'a aucune ligne.")
    assert nothing.message_in("en") == (f"There is nothing to post: sales invoice {empty.no} "
                                        "has no lines.")


def test_payment_method_in_use_in_french_and_english(store: SqlStore) -> None:
    setup = RegistrationSetupService(store, user="anna")
    setup.save_payment_method(PaymentMethodView("PAYPAL", "PayPal", "gl_account", "1150"))
    setup.set_customer_payment_method("C001", "PAYPAL")
    error = _raised(PostingError, lambda: setup.delete_payment_method("PAYPAL"), "fr")
    assert error.message_in("fr") == ("Le mode de règlement PAYPAL est celui par défaut du "
                                      "client C001 ; modifiez-le d'abord")
    assert error.message_in("en") == ("Payment method PAYPAL is the default of customer C001; "
                                      "change that first")
    with using_language("fr"):
        assert str(_raised(NotFoundError, lambda: setup.delete_payment_method("NOPE"))) == \
            "Le mode de règlement NOPE n'existe pas"


def test_command_line_says_it_in_the_clerks_language(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'company.db'}"
    store = open_store(url)
    create_company(store, "Test GmbH", "EUR")
    seed_basics(store)
    store.engine.dispose()
    docs = tmp_path / "docs.json"
    docs.write_text(json.dumps([
        {"type": "invoice", "customer": "C001", "posting_date": "2025-01-05",
         "lines": [{"account": "4100", "unit_price": "10"}]},
        {"type": "credit_memo", "customer": "C999", "posting_date": "2025-01-05",
         "lines": [{"account": "4100", "unit_price": "10"}]}]))
    try:
        said = {}
        for language in ("fr", "en"):
            assert main(["--lang", language, "--db", url, "sales", "post", str(docs)]) == 1
            said[language] = capsys.readouterr().err
    finally:
        set_language("en")
    assert "document 2 : Le client C999 n'existe pas" in said["fr"]
    assert "document 2: Customer C999 does not exist" in said["en"]
