"""The demo company: a believable small European wholesaler, built deterministically
through the core services (never by writing rows past them).

``build_demo(store, size, seed)`` creates the company, customers and vendors from
several countries with bank accounts, 18 months of invoices, credit memos and payments
(on time, late, partial, with discount), open and overdue items, and bank history.

The first customers are "story" customers whose open invoices do not depend on size or
seed: the sample statements in ``data/samples/`` pay them the ways real payers do
(see ``data/samples/README.md``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import func, select

from core.i18n import NP_, _, format_date
from core.kernel.money import from_minor, money, to_minor
from core.kernel.store import Store
from core.ledger.drafts import DocumentDraft, DocumentLineDraft, LineDraft
from core.ledger.models import BankAccount, BankLedgerEntry, Company, Party, PartyBankAccount
from core.ledger.posting import PostingService
from core.ledger.setup import create_company
from core.reconciliation.setup import MatchingSetupService
from core.reconciliation.types import MappingView
from data.demo_bankrec import build_bankrec_demo
from data.demo_collections import build_collections_demo
from data.demo_names import COUNTRIES, STORY_CUSTOMERS, VENDOR_NAMES, iban_for
from data.demo_prediction import add_history_and_train, plan_payment
from data.demo_registration import add_registration_demo
from data.demo_sepa import build_sepa_demo
from data.demo_story import DEMO_TODAY, STATEMENT_100_BALANCE, STATEMENT_100_DATE, story_invoices

HISTORY_MONTHS = 18
SIZES = {"small": (40, 10), "medium": (400, 60), "large": (4000, 300)}
COMPANY_NAME = "Lettrage Demo GmbH"
SIZE_WORDS = {"small": NP_("demo size", "small"), "medium": NP_("demo size", "medium"),
              "large": NP_("demo size", "large")}


@dataclass(frozen=True)
class DemoSummary:
    size: str
    seed: int
    customers: int
    vendors: int
    invoices: int
    payments: int
    today: str
    prediction: str = ""  # the late payment model's outcome (#22)

    def describe(self) -> str:
        """The demo in words (its size in the clerk's language)."""
        text = _("Demo company '{name}' ({size}, seed {seed}): {customers} customers, "
                 "{vendors} vendors, {invoices} invoices and credit memos, {payments} "
                 "payments up to {today}.").format(
            name=COMPANY_NAME, size=_(SIZE_WORDS[self.size]) if self.size in SIZE_WORDS
            else self.size, seed=self.seed, customers=self.customers,
            vendors=self.vendors, invoices=self.invoices, payments=self.payments,
            today=format_date(date.fromisoformat(self.today)))
        return text + (" " + _("Late payment {outcome}.").format(outcome=self.prediction)
                       if self.prediction else "")


def build_demo(store: Store, size: str = "small", seed: int = 42) -> DemoSummary:
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size}")
    create_company(store, COMPANY_NAME, "EUR")
    n_customers, n_vendors = SIZES[size]
    rng = random.Random(seed)
    _setup(store)
    _text_mappings(store)  # statement 102's bank fee posts out of the box (#15)
    customers = _customers(store, n_customers, rng)
    vendors = _vendors(store, n_vendors, rng)
    builder = _History(store, rng, customers, vendors)
    builder.run()
    _close_bank_history(store)
    build_bankrec_demo(store)  # BANK3: checks and deposits for bank reconciliation
    start = _add_months(DEMO_TODAY.replace(day=1), -HISTORY_MONTHS)
    builder.prediction = add_history_and_train(  # late payment prediction (#22)
        store, customers[len(STORY_CUSTOMERS):], start, DEMO_TODAY, rng)
    add_registration_demo(store, customers)  # registration: payment methods, drafts
    build_collections_demo(store, DEMO_TODAY)  # reminders and finance charges (#18)
    build_sepa_demo(store, DEMO_TODAY)  # SEPA direct debit (#20): BANK4, mandates, DD-00001
    return DemoSummary(size, seed, len(customers), len(vendors), builder.documents,
                       builder.payments, DEMO_TODAY.isoformat(), builder.prediction)


def _close_bank_history(store: Store) -> None:
    """The bank's history is reconciled up to statement 100, whose balance is the same
    for every demo size: a sweep to the savings account brings the operating account to
    ``STATEMENT_100_BALANCE``, so the sample statements 101 and 102 continue it."""

    with store.read() as s:
        total = s.exec(select(func.coalesce(func.sum(BankLedgerEntry.amount), 0)).where(
            BankLedgerEntry.bank_account_no == "BANK1")).one()
    sweep = STATEMENT_100_BALANCE - from_minor(int(total))
    if sweep:
        PostingService(store, user="demo").post_lines([LineDraft(
            STATEMENT_100_DATE, "bank_account", "BANK1", sweep, document_no="SWEEP100",
            description=_("Transfer to/from savings account"), bal_account_type="bank_account",
            bal_account_no="BANK2")])
    with store.write() as s:
        bank = s.get(BankAccount, "BANK1")
        assert bank is not None
        for e in s.exec(select(BankLedgerEntry).where(
                BankLedgerEntry.bank_account_no == "BANK1")).all():
            e.open, e.remaining_amount, e.statement_status = False, 0, "closed"
            e.statement_no, e.closed_at_date = "100", STATEMENT_100_DATE
        bank.last_statement_no = "100"
        bank.balance_last_statement = to_minor(STATEMENT_100_BALANCE)


def _setup(store: Store) -> None:
    with store.write() as s:
        company = s.get(Company, 1)
        assert company is not None
        company.payment_tolerance_pct = "0.5"
        company.max_payment_tolerance = 500
        company.pmt_disc_grace_days = 5
        s.add(BankAccount(no="BANK1", name=_("Hausbank operating account"), gl_account_no="1100",
                          iban="DE89370400440532013000", bic="COBADEFFXXX",
                          match_tolerance_type="amount", match_tolerance_value="0"))
        s.add(BankAccount(no="BANK2", name=_("Savings account"), gl_account_no="1110",
                          iban="DE02120300000000202051", bic="BYLADEM1001"))


def _text_mappings(store: Store) -> None:
    """The mapping a real company sets up on its first fee: the bank's account
    maintenance fee ("Kontofuehrung") goes to G/L 6400 Bank charges."""
    MatchingSetupService(store, user="demo").add_mapping(
        MappingView(0, "Kontofuehrung", "", "6400", "gl_account", ""))  # money out: credit


def _customers(store: Store, count: int, rng: random.Random) -> list[Party]:
    parties: list[Party] = []
    terms = ["30D", "14D", "2/10N30", "30D", "60D", "2/10N30", "CM+30D"]
    with store.write() as s:
        for i in range(count):
            if i < len(STORY_CUSTOMERS):
                name, city, country, term = STORY_CUSTOMERS[i]
            else:
                country = rng.choice(list(COUNTRIES))
                names, cities = COUNTRIES[country]
                name = f"{rng.choice(names[0])} {rng.choice(names[1])} {rng.choice(names[2])}"
                city, term = rng.choice(cities), rng.choice(terms)
            no = f"C{i + 1:05d}"
            party = Party(party_type="customer", no=no, name=name, city=city, country=country,
                          address=f"{rng.choice(['Main', 'Market', 'Station', 'Harbour'])} "
                                  f"Street {rng.randint(1, 120)}",
                          email=f"accounts@{no.lower()}.example", payment_terms_code=term,
                          posting_group="DOMESTIC" if country == "DE" else "EU",
                          vat_no=f"{country}{rng.randint(10**8, 10**9 - 1)}",
                          application_method="apply_to_oldest" if i % 17 == 16 else "manual")
            s.add(party)
            parties.append(party)
        s.flush()
        for party in parties:
            s.add(PartyBankAccount(party_type="customer", party_no=party.no, code="MAIN",
                                   iban=iban_for(party.country, party.no), bic=""))
    return parties


def _vendors(store: Store, count: int, rng: random.Random) -> list[Party]:
    parties: list[Party] = []
    with store.write() as s:
        for i in range(count):
            name, country, city = VENDOR_NAMES[i % len(VENDOR_NAMES)]
            if i >= len(VENDOR_NAMES):
                name = f"{name} {i // len(VENDOR_NAMES) + 1}"
            no = f"V{i + 1:05d}"
            party = Party(party_type="vendor", no=no, name=name, city=city, country=country,
                          payment_terms_code=rng.choice(["30D", "14D", "2/10N30"]),
                          posting_group="DOMESTIC" if country == "DE" else "EU")
            s.add(party)
            parties.append(party)
        s.flush()
        for party in parties:
            s.add(PartyBankAccount(party_type="vendor", party_no=party.no, code="MAIN",
                                   iban=iban_for(party.country, party.no)))
    return parties


@dataclass
class _Open:
    party: Party
    document_no: str
    amount: Decimal
    posted: date
    discount_pct: Decimal


class _History:
    """Posts 18 months of business, one register per month and kind."""

    def __init__(self, store: Store, rng: random.Random, customers: list[Party],
                 vendors: list[Party]) -> None:
        self.posting = PostingService(store, user="demo")
        self.rng = rng
        self.customers = customers
        self.vendors = vendors
        self.documents = 0
        self.payments = 0
        self.pay_no = 0
        self.prediction = ""

    def run(self) -> None:
        start = _add_months(DEMO_TODAY.replace(day=1), -HISTORY_MONTHS)
        month = start
        while month <= DEMO_TODAY:
            self._month(month)
            month = _add_months(month, 1)
        self._story()

    def _month(self, first: date) -> None:
        rng = self.rng
        docs: list[DocumentDraft] = []
        story = len(STORY_CUSTOMERS)
        for party in self.customers[story:]:
            for _repeat in range(rng.choice([0, 1, 1, 1, 2])):
                day = first + timedelta(days=rng.randint(0, 27))
                if day > DEMO_TODAY - timedelta(days=1):
                    continue
                docs.append(self._sales_doc(party, day, rng.random() < 0.06))
        for party in self.vendors:
            day = first + timedelta(days=rng.randint(0, 27))
            if day < DEMO_TODAY:
                docs.append(self._purchase_doc(party, day))
        if not docs:
            return
        docs.sort(key=lambda d: d.posting_date)
        result = self.posting.post_documents(docs)
        self.documents += len(docs)
        self._payments(result.ledger_entries)

    def _sales_doc(self, party: Party, day: date, credit: bool) -> DocumentDraft:
        rng = self.rng
        lines = tuple(DocumentLineDraft(rng.choice(["4100", "4100", "4200"]),
                                        money(Decimal(rng.randint(4000, 600000)) / 100),
                                        Decimal("19") if party.country == "DE" else Decimal(0),
                                        rng.choice(["Office chairs", "Desk lamps", "Shelving",
                                                    "Installation", "Consulting hours",
                                                    "Spare parts", "Delivery"]))
                      for _ in range(rng.randint(1, 3)))
        if credit:
            lines = lines[:1]
        return DocumentDraft("customer", party.no, "credit_memo" if credit else "invoice",
                             day, lines, external_document_no=f"PO-{rng.randint(1000, 99999)}")

    def _purchase_doc(self, party: Party, day: date) -> DocumentDraft:
        rng = self.rng
        amount = money(Decimal(rng.randint(20000, 900000)) / 100)
        return DocumentDraft("vendor", party.no, "invoice", day,
                             (DocumentLineDraft(rng.choice(["5100", "5200", "6100", "6300"]),
                                                amount, Decimal(19), "Supplies"),),
                             external_document_no=f"{party.no}-{rng.randint(10000, 99999)}")

    def _payments(self, entries) -> None:  # type: ignore[no-untyped-def]
        """Pay this month's documents the ways real payers do: most on time, some late,
        some partially, some with discount, some not yet."""
        rng = self.rng
        lines: list[LineDraft] = []
        for e in entries:
            if e.document_type != "invoice":
                continue
            planned = plan_payment(e, rng)  # each customer's payment habit (prediction)
            if planned is None:
                continue  # unpaid: stays open (overdue once due)
            day, amount = planned
            day = max(day, e.posting_date)
            if day >= DEMO_TODAY - timedelta(days=1):
                continue  # statements 101 and 102 (data/samples) bring the rest
            lines.append(self._payment_line(e.party_type, e.party_no, e.document_no, amount,
                                            day))
        self._post_payments(lines)

    def _payment_line(self, party_type: str, party_no: str, doc_no: str, amount: Decimal,
                      day: date) -> LineDraft:
        self.pay_no += 1
        sign = Decimal(-1)  # a customer payment or a vendor payment both close the entry
        return LineDraft(posting_date=day, account_type=party_type, account_no=party_no,
                         amount=sign * amount, document_type="payment",
                         document_no=f"BNK{self.pay_no:07d}",
                         description=_("Payment {doc}").format(doc=doc_no),
                         bal_account_type="bank_account", bal_account_no="BANK1",
                         applies_to_doc_no=doc_no, ref=f"payment of {doc_no}")

    def _post_payments(self, lines: list[LineDraft]) -> None:
        by_month: dict[tuple[int, int], list[LineDraft]] = {}
        for line in lines:
            by_month.setdefault((line.posting_date.year, line.posting_date.month),
                                []).append(line)
        for key in sorted(by_month):
            batch = sorted(by_month[key], key=lambda ln: ln.posting_date)
            self.posting.post_lines(batch, source_code="CASHRECJNL")
            self.payments += len(batch)

    def _story(self) -> None:
        """Open invoices of the story customers, paid by the sample statements."""
        docs = [DocumentDraft(
            "customer", inv.party_no, "invoice", inv.posting_date,
            (DocumentLineDraft("4100", inv.amount, Decimal(0), "Goods"),),
            document_no=inv.document_no, external_document_no=inv.external_document_no,
            payment_reference=inv.payment_reference)
            for inv in story_invoices(self.customers[: len(STORY_CUSTOMERS)])]
        docs.sort(key=lambda d: d.posting_date)
        self.posting.post_documents(docs)
        self.documents += len(docs)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)
