"""Small builders for service tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.kernel.store import Store
from core.ledger.drafts import DocumentDraft, DocumentLineDraft, LineDraft
from core.ledger.models import BankAccount, Party, PartyBankAccount
from core.ledger.posting import PostingService


def seed_basics(store: Store) -> None:
    with store.write() as s:
        s.add(Party(party_type="customer", no="C001", name="Adatum Corporation",
                    payment_terms_code="2/10N30", city="Berlin", country="DE"))
        s.add(Party(party_type="customer", no="C002", name="Trey Research",
                    payment_terms_code="30D", application_method="apply_to_oldest"))
        s.add(Party(party_type="vendor", no="V001", name="Fabrikam Supplies",
                    payment_terms_code="30D"))
        s.add(BankAccount(no="BANK1", name="Operating account", gl_account_no="1100",
                          iban="DE89370400440532013000"))
        s.flush()
        s.add(PartyBankAccount(party_type="customer", party_no="C001", code="MAIN",
                               iban="DE02120300000000202051"))


def invoice(store: Store, party_no: str, amount: str, day: date, party_type: str = "customer",
            vat: str = "0", doc_type: str = "invoice") -> str:
    account = "4100" if party_type == "customer" else "5100"
    result = PostingService(store).post_document(DocumentDraft(
        party_type=party_type, party_no=party_no, document_type=doc_type, posting_date=day,
        lines=(DocumentLineDraft(account, Decimal(amount), Decimal(vat), "Goods"),)))
    return result.document_nos[0]


def payment(store: Store, party_no: str, amount: str, day: date, applies_to: str = "",
            doc_no: str = "PAY1", party_type: str = "customer"):  # type: ignore[no-untyped-def]
    sign = Decimal(-1) if party_type == "customer" else Decimal(1)
    return PostingService(store).post_lines([LineDraft(
        posting_date=day, account_type=party_type, account_no=party_no,
        amount=sign * Decimal(amount), document_type="payment", document_no=doc_no,
        bal_account_type="bank_account", bal_account_no="BANK1", applies_to_doc_no=applies_to,
        ref="line 1")])


def dd_ready(store: Store, today: date):  # type: ignore[no-untyped-def]
    """SEPA direct debit on BANK1 (creditor id, Msg. Nos., fee account 6400) and a
    recurrent mandate for C001 and C002; returns the DirectDebitService."""
    from core.direct_debit.service import DirectDebitService
    from core.ledger.models import NoSeries

    with store.write() as s:
        s.add(NoSeries(code="DDMSG", prefix="DD", width=4))
        s.add(PartyBankAccount(party_type="customer", party_no="C002", code="MAIN",
                               iban="FR1420041010050500013M02606", bic="PSSTFRPPLIL"))
        bank = s.get(BankAccount, "BANK1")
        assert bank is not None
        bank.bic = "COBADEFFXXX"
    dd = DirectDebitService(store, lambda: today, user="clerk")
    dd.setup_bank("BANK1", creditor_id="DE98ZZZ09999999999", msg_nos="DDMSG",
                  return_fee_account="6400")
    dd.add_mandate("C001", "MAIN", "M-C001", valid_from=date(2024, 1, 1), expected_debits=3)
    dd.add_mandate("C002", "MAIN", "M-C002", valid_from=date(2024, 1, 1),
                   ignore_expected=True)
    return dd
