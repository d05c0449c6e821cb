"""Demo data of Payment Registration: payment methods (one PayPal-like with a clearing
account, so invoices using it are paid at posting), customers' default methods and a
few unposted sales invoices to post (lines of G/L accounts and of items), and a small
list of items and service codes. Nothing is posted here, so the demo's bank history
and sample statements stay as they are."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.i18n import N_, _
from core.kernel.store import Store
from core.ledger.models import GLAccount, Party
from core.registration.items import ItemView
from core.registration.models import PaymentMethod
from core.registration.sales import SalesService
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from data.demo_story import DEMO_TODAY

CLEARING_ACCOUNT = ("1160", N_("PayPal clearing account"))
METHODS = (  # descriptions worded once in the language of the clerk who builds the demo
    ("BANK", N_("Bank transfer"), "", ""),
    ("CASH", N_("Cash at the counter"), "gl_account", "1150"),
    ("CARD", N_("Card payment"), "bank_account", "BANK1"),
    ("PAYPAL", "PayPal", "gl_account", CLEARING_ACCOUNT[0]),
)
ITEMS = (  # no., description, unit price, VAT %, G/L account
    ("CHAIR-01", "Office chair", "120.00", "19", "4100"),
    ("DESK-01", "Standing desk", "540.00", "19", "4100"),
    ("ASSEMBLY", "Assembly per hour", "85.00", "19", "4200"),
    ("DELIVERY", "Delivery", "35.00", "19", "4200"),
    ("TRAINING", "Training day", "900.00", "19", "4200"),
)


def add_registration_demo(store: Store, customers: list[Party]) -> int:
    """Adds the payment methods and unposted invoices; returns how many invoices."""
    with store.write() as s:
        if s.get(GLAccount, CLEARING_ACCOUNT[0]) is None:
            s.add(GLAccount(no=CLEARING_ACCOUNT[0], name=_(CLEARING_ACCOUNT[1]),
                            account_type="posting", income_balance="balance",
                            category="assets"))
            s.flush()
        for code, desc, bal_type, bal_no in METHODS:
            s.add(PaymentMethod(code=code, description=_(desc), bal_account_type=bal_type,
                                bal_account_no=bal_no))
        s.flush()
        for i, c in enumerate(customers):
            party = s.get(Party, (c.party_type, c.no))
            if party is not None and not party.blocked:
                party.payment_method_code = "PAYPAL" if i % 9 == 4 else "BANK"
    sales = SalesService(store, user="demo")
    sales.items.save_many([ItemView(no, desc, Decimal(price), Decimal(vat), gl)
                           for no, desc, price, vat, gl in ITEMS])
    drafts = [c for c in customers if not c.blocked][:4]
    for i, c in enumerate(drafts):
        lines = (SalesLineInput("4100", Decimal(3 + i), Decimal("120.00"), Decimal(19),
                                "Office chairs"),
                 sales.items.line("ASSEMBLY", Decimal(1)))
        sales.create(SalesDocumentInput(
            "invoice", c.no, DEMO_TODAY - timedelta(days=i), lines,
            external_document_no=f"PO-{4711 + i}",
            payment_method_code="PAYPAL" if i == 3 else None))
    return len(drafts)
