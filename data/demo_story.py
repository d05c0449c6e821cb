"""The demo's story: open invoices of the first customers, and the two sample bank
statements (``data/samples/``) that pay them the ways real payers do.

Everything here is fixed (no randomness, no size dependence), so the committed sample
files match every demo database. ``python -m data.make_samples`` rewrites the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from data.demo_names import STORY_CUSTOMERS, iban_for, rf_reference

# The demo's "today": fixed so the demo and its sample statements stay in step.
DEMO_TODAY = date(2026, 11, 27)
STATEMENT_100_DATE = DEMO_TODAY - timedelta(days=2)
STATEMENT_100_BALANCE = Decimal("25000.00")

_INVOICE_SETS = (
    ((20, "1000.00"), (12, "2380.00")),
    ((25, "400.00"), (25, "600.00"), (9, "150.00")),
    ((40, "1250.50"),),
    ((15, "980.00"), (6, "1190.00")),
)


@dataclass(frozen=True)
class StoryInvoice:
    party_no: str
    document_no: str
    posting_date: date
    amount: Decimal
    external_document_no: str
    payment_reference: str


def story_invoices(customers: object = None) -> list[StoryInvoice]:
    """Invoices SI9cckkk of story customer cc (C000cc), independent of the demo size."""
    out = []
    for i in range(len(STORY_CUSTOMERS)):
        party_no = f"C{i + 1:05d}"
        for k, (days_ago, amount) in enumerate(_INVOICE_SETS[i % len(_INVOICE_SETS)]):
            out.append(StoryInvoice(
                party_no, f"SI9{i + 1:02d}{k + 1:03d}", DEMO_TODAY - timedelta(days=days_ago),
                Decimal(amount), f"PO-{i + 1}{k + 1}", rf_reference(f"{party_no}{k + 1}")))
    return out


@dataclass(frozen=True)
class SampleLine:
    """One line of a sample statement: who pays what, written how."""

    booking_date: date
    amount: Decimal
    name: str
    iban: str
    text: str
    bank_reference: str
    creditor_reference: str = ""
    expected: str = ""  # what a clerk should end up with (documentation and tests)


def _iban(customer_index: int) -> str:
    country = STORY_CUSTOMERS[customer_index][2]
    return iban_for(country, f"C{customer_index + 1:05d}")


def statement_101() -> list[SampleLine]:
    d = DEMO_TODAY - timedelta(days=1)
    inv = {i.document_no: i for i in story_invoices()}
    return [
        SampleLine(d, Decimal("1000.00"), "ADATUM CORPORATION GMBH", _iban(0),
                   "Payment from Adatum Corporation inv SI901001", "DEMO101-0001",
                   expected="SI901001 closed (IBAN, document no., amount)"),
        SampleLine(d, Decimal("1000.00"), "Trey Research BV", _iban(1),
                   "INV SI902001 SI902002", "DEMO101-0002",
                   expected="SI902001 and SI902002 closed (lump payment, listed)"),
        SampleLine(d, Decimal("1250.50"), "CAFE LUMIERE", "",
                   "Facture 903001 merci", "DEMO101-0003",
                   expected="SI903001 closed (name without accents, number without prefix)"),
        SampleLine(d, Decimal("1166.20"), "Kowalski Meble Sp. z o.o.", _iban(3),
                   "FV SI904002 skonto 2%", "DEMO101-0004",
                   expected="SI904002 closed with 23.80 payment discount"),
        SampleLine(d, Decimal("2375.00"), "Fabrikam Bueromoebel AG", _iban(4),
                   "RE SI-905002", "DEMO101-0005",
                   expected="SI905002: 5.00 short (bank charges): transfer the difference "
                            "to 6400 or accept payment tolerance"),
        SampleLine(d, Decimal("400.00"), "Contoso Ltd", _iban(5), "",
                   "DEMO101-0006", creditor_reference=inv["SI906001"].payment_reference,
                   expected="SI906001 closed (structured creditor reference)"),
    ]


def statement_102() -> list[SampleLine]:
    d = DEMO_TODAY
    return [
        SampleLine(d, Decimal("150.00"), "CONTOSO", "", "Rechnung SI906003", "DEMO102-0001",
                   expected="SI906003 closed"),
        SampleLine(d, Decimal("-12.50"), "", "", "Kontofuehrung account maintenance fee 11/2026",
                   "DEMO102-0002",
                   expected="G/L 6400 Bank charges (the demo's text-to-account mapping)"),
        SampleLine(d, Decimal("250.00"), "Max Mustermann", "DE44500105175407324931",
                   "Spende Sommerfest", "DEMO102-0003",
                   expected="nothing matches: transfer to an account by hand"),
        SampleLine(d, Decimal("980.00"), "Northwind Traders S.L.", _iban(7),
                   "payment 908001", "DEMO102-0004", expected="SI908001 closed"),
        SampleLine(d, Decimal("1000.00"), "Alpine Ski House", _iban(6),
                   "SI907001 Teilzahlung", "DEMO102-0005",
                   expected="SI907001 partly paid, 250.50 stays open"),
    ]
