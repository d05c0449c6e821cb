"""The demo company's checking account for bank account reconciliation (issue #21).

``build_bankrec_demo`` adds BANK3, reconciled up to statement 40 (10,000.00), with
November's bank entries: checks (two cleared weeks later, one still outstanding), a
deposit slip of two deposits, a card settlement of two card sales, a transfer, an
insurance refund the bank credits a week later under another name, and a deposit
still in transit. ``data/samples/bankrec-041.camt053.xml`` is the bank's statement 41
for it (``python -m data.demo_bankrec`` writes it; a test checks it is current):

    lettrage bank-rec import data/samples/bankrec-041.camt053.xml --bank-account BANK3
    lettrage bank-rec match-auto --bank-account BANK3 --date-tolerance 3

matches the checks by their printed numbers, the slip and the card settlement as one
credit each, and the transfer; the refund is matched by hand, the account fee is
transferred to the general journal (G/L 6400); check 1003 and deposit DEP-2613 stay
outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlmodel import select

from core.i18n import _
from core.kernel.money import to_minor
from core.kernel.store import Store
from core.ledger.drafts import LineDraft
from core.ledger.models import BankAccount, BankLedgerEntry, GLAccount
from core.ledger.posting import PostingService
from data.demo_story import SampleLine
from data.make_samples import _balance, _entry  # the CAMT pieces of the other samples

BANK, GL_ACCOUNT = "BANK3", "1120"  # its own G/L account: the test report shows it
IBAN, BIC = "DE75512108001245126199", "SOLADEST600"
LAST_STATEMENT, LAST_DATE, LAST_BALANCE = "40", date(2026, 10, 31), Decimal("10000.00")
STATEMENT_NO, FROM, TO = "41", date(2026, 11, 1), date(2026, 11, 26)
SAMPLE = Path(__file__).parent / "samples" / "bankrec-041.camt053.xml"


@dataclass(frozen=True)
class Book:
    """A bank entry of November: check no. in ``document_no`` when ``check``."""

    day: date
    document_no: str
    external_document_no: str
    description: str
    amount: Decimal
    gl_account: str
    check: bool = False


ENTRIES = (
    Book(date(2026, 10, 30), "1001", "", "Rent November, Hausverwaltung Kern",
         Decimal("-1250.00"), "6100", check=True),
    Book(date(2026, 11, 5), "1002", "", "Office supplies, Papier Schulz",
         Decimal("-418.20"), "6200", check=True),
    Book(date(2026, 11, 12), "DEP-2611", "DS-48213", "Cash sales deposited",
         Decimal("640.00"), "4100"),
    Book(date(2026, 11, 13), "DEP-2612", "DS-48213", "Customer checks deposited",
         Decimal("1185.50"), "4100"),
    Book(date(2026, 11, 17), "INS-7781", "", "Insurance refund (claim 7781)",
         Decimal("312.40"), "4900"),
    Book(date(2026, 11, 18), "TRF-2026-118", "", "Contoso, consulting services",
         Decimal("3400.00"), "4200"),
    Book(date(2026, 11, 19), "CS-1119-1", "CB2026111901", "Card sales, till 1",
         Decimal("220.10"), "4100"),
    Book(date(2026, 11, 19), "CS-1119-2", "CB2026111901", "Card sales, till 2",
         Decimal("98.90"), "4100"),
    Book(date(2026, 11, 20), "1003", "", "Subcontractor, Bau Meier",
         Decimal("-2300.00"), "5200", check=True),  # outstanding check
    Book(date(2026, 11, 25), "DEP-2613", "DS-48290", "Cash sales deposited",
         Decimal("450.00"), "4100"),  # deposit in transit
)


def statement_41() -> list[SampleLine]:
    def line(day: int, amount: str, name: str, text: str, ref: str, expected: str
             ) -> SampleLine:
        return SampleLine(date(2026, 11, day), Decimal(amount), name, "", text, ref,
                          expected=expected)

    return [
        line(14, "1825.50", "", "DEPOSIT SLIP DS-48213", "BR41-001",
             "many-to-one: DEP-2611 + DEP-2612"),
        line(18, "3400.00", "Contoso Ltd", "TRF-2026-118 consulting", "BR41-002",
             "one-to-one by document no."),
        line(20, "-1250.00", "", "CHQ 0001001", "BR41-003", "check 1001, posted 3 weeks before"),
        line(20, "319.00", "Card acquirer", "CARD SETTLEMENT CB2026111901", "BR41-004",
             "many-to-one: the two card sales"),
        line(24, "-418.20", "", "CHEQUE N 1002", "BR41-005", "check 1002"),
        line(24, "312.40", "Allianz Versicherung", "ERSTATTUNG SCHADEN", "BR41-006",
             "match by hand with INS-7781 (a week apart, no common text)"),
        line(26, "-7.50", "", "KONTOFUEHRUNGSGEBUEHR NOVEMBER", "BR41-007",
             "transfer to the general journal, G/L 6400 bank charges"),
    ]


def camt053() -> str:
    lines = statement_41()
    closing = LAST_BALANCE + sum((ln.amount for ln in lines), Decimal(0))
    entries = "".join(_entry(ln) for ln in lines)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>LETTRAGE-DEMO-BANK3-{STATEMENT_NO}</MsgId>
      <CreDtTm>{TO.isoformat()}T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{STATEMENT_NO}</Id>
      <ElctrncSeqNb>{STATEMENT_NO}</ElctrncSeqNb>
      <CreDtTm>{TO.isoformat()}T18:00:00</CreDtTm>
      <FrToDt><FrDtTm>{FROM.isoformat()}T00:00:00</FrDtTm>
        <ToDtTm>{TO.isoformat()}T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy>
        <Svcr><FinInstnId><BIC>{BIC}</BIC></FinInstnId></Svcr></Acct>
      {_balance("PRCD", LAST_BALANCE, FROM)}
      {_balance("CLBD", closing, TO)}{entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""


def build_bankrec_demo(store: Store) -> int:
    """Add BANK3 and its November entries; returns the number of entries posted."""
    with store.write() as s:
        s.add(GLAccount(no=GL_ACCOUNT, name=_("Bank, checking account"), category="assets"))
        s.flush()
        s.add(BankAccount(no=BANK, name=_("Checking account (checks)"), gl_account_no=GL_ACCOUNT,
                          iban=IBAN, bic=BIC))
    posting = PostingService(store, user="demo")
    posting.post_lines([LineDraft(date(2026, 10, 1), "bank_account", BANK, LAST_BALANCE,
                                  document_no="OPEN-BANK3", description=_("Opening balance"),
                                  bal_account_type="gl_account", bal_account_no="3900")])
    with store.write() as s:
        for e in s.exec(select(BankLedgerEntry).where(BankLedgerEntry.bank_account_no == BANK)):
            e.open, e.remaining_amount, e.statement_status = False, 0, "closed"
            e.statement_no, e.closed_at_date = LAST_STATEMENT, LAST_DATE
        bank = s.get(BankAccount, BANK)
        assert bank is not None
        bank.last_statement_no, bank.balance_last_statement = LAST_STATEMENT, to_minor(
            LAST_BALANCE)
    posting.post_lines([LineDraft(
        b.day, "bank_account", BANK, b.amount, document_type="payment",
        document_no=b.document_no, external_document_no=b.external_document_no,
        description=b.description, bal_account_type="gl_account", bal_account_no=b.gl_account,
        payment_method="check" if b.check else "", ref=b.document_no) for b in ENTRIES])
    return len(ENTRIES)


if __name__ == "__main__":  # python -m data.demo_bankrec
    SAMPLE.write_text(camt053(), encoding="utf-8")
    print(f"wrote {SAMPLE}")
