"""Payment methods, customer default payment method and the per-user setup."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from core.audit.models import AuditEntry
from core.kernel.errors import ConflictError, NotFoundError, PostingError
from core.ledger.models import LedgerEntry
from core.registration.marks import tick
from core.registration.sales_types import PaymentMethodView
from core.registration.service import RegistrationService
from core.registration.setup import RegistrationSetupService
from data.engine import SqlStore
from tests.core.registration.reg_support import sales_invoice


def test_defaults_then_saved_setup_is_used_for_posting(store: SqlStore) -> None:
    svc = RegistrationSetupService(store, user="anna")
    setup = svc.setup()
    assert (setup.journal_batch, setup.bal_account_type, setup.bal_account_no, setup.version) \
        == ("cash_receipt/DEFAULT", "bank_account", "BANK1", 0)
    saved = svc.save_setup(type(setup)(**{**setup.__dict__, "bal_account_type": "gl_account",
                                          "bal_account_no": "1150"}))
    assert saved.version == 1
    with pytest.raises(ConflictError):
        svc.save_setup(setup)  # version 0 read before: someone saved meanwhile
    with pytest.raises(PostingError, match=r"Bal\. Account No\. must have a value"):
        svc.save_setup(type(setup)(**{**saved.__dict__, "bal_account_no": ""}))
    inv = sales_invoice(store, "C002", "100", date(2025, 1, 5))
    row = RegistrationService(store).rows_by_document([inv])[inv]
    result = RegistrationService(store, user="anna").post([tick(row, date(2025, 1, 6))])
    assert sorted(g.gl_account_no for g in result.gl_entries) == ["1150", "1200"]


def test_payment_methods_and_customer_default_are_audited(store: SqlStore) -> None:
    svc = RegistrationSetupService(store, user="anna")
    svc.save_payment_method(PaymentMethodView("paypal", "PayPal", "gl_account", "1150"))
    assert [m.code for m in svc.payment_methods()] == ["PAYPAL"]
    with pytest.raises(NotFoundError, match="G/L account 9999 does not exist"):
        svc.save_payment_method(PaymentMethodView("X", "", "gl_account", "9999"))
    svc.set_customer_payment_method("C001", "PAYPAL")
    with pytest.raises(PostingError, match="default of customer C001"):
        svc.delete_payment_method("PAYPAL")
    svc.set_customer_payment_method("C001", "")
    svc.delete_payment_method("PAYPAL")
    with store.read() as s:
        actions = [(a.entity, a.action) for a in s.exec(
            select(AuditEntry).order_by(col(AuditEntry.id))).all()]
    assert actions == [("payment_method", "insert"), ("customer", "update"),
                       ("customer", "update"), ("payment_method", "delete")]
    with store.read() as s:
        assert s.exec(select(LedgerEntry)).first() is None
