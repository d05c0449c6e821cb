"""SEPA direct debit in the demo (#20): the collections account BANK4 set up for direct
debit, mandates of five customers, one collection exported three days before the demo's
today, and its bank statement (``data/samples/sepa-001.camt053.xml``): the batch credit
as one line and one return (AM04, insufficient funds) with a 3.50 fee. Two mandate
customers' invoices, due in December, are left for a new collection.

    .venv/bin/python -m data.demo_sepa   # rewrites the sample statement
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from core.direct_debit.service import DirectDebitService
from core.direct_debit.views import CollectRequest
from core.i18n import _
from core.kernel.store import Store
from core.ledger.drafts import DocumentDraft, DocumentLineDraft
from core.ledger.models import BankAccount, NoSeries
from core.ledger.posting import PostingService
from data.demo_story import DEMO_TODAY

SAMPLE = Path(__file__).parent / "samples" / "sepa-001.camt053.xml"
BANK, IBAN, BIC = "BANK4", "DE62370400440532013001", "COBADEFFXXX"
CREDITOR_ID = "DE98ZZZ09999999999"
MSG_SERIES = "DDMSG"
# customer, amount, days after the demo's today the invoice falls due
COLLECTED = (("C00013", "1250.00", 3), ("C00014", "830.40", 3), ("C00015", "415.00", 3))
LATER = (("C00016", "960.00", 14), ("C00017", "1120.00", 18))
RETURNED, RETURN_FEE, RETURN_REASON = "C00014", Decimal("3.50"), "AM04"
STATEMENT_DAY = 4  # days after the demo's today the bank books the collection


@dataclass(frozen=True)
class SepaSample:
    batch_ref: str
    total: Decimal
    return_e2e: str
    return_amount: Decimal
    day: date


def build_sepa_demo(store: Store, today: date) -> SepaSample:
    with store.write() as s:
        s.add(BankAccount(no=BANK, name=_("SEPA collections account"), gl_account_no="1100",
                          iban=IBAN, bic=BIC, last_statement_no="0"))
        s.add(NoSeries(code=MSG_SERIES, description=_("Direct Debit Msg. Nos."), prefix="DD-",
                       width=5))
    dd = DirectDebitService(store, lambda: today, user="demo")
    dd.setup_bank(BANK, creditor_id=CREDITOR_ID, msg_nos=MSG_SERIES,
                  export_format="pain.008.001.02", return_fee_account="6400")
    posting = PostingService(store, user="demo")
    docs: dict[str, str] = {}
    for customer, amount, days in COLLECTED + LATER:
        dd.add_mandate(customer, "MAIN", f"MD-{customer}", valid_from=today - timedelta(365),
                       date_of_signature=today - timedelta(370), expected_debits=12)
        docs[customer] = posting.post_document(DocumentDraft(
            "customer", customer, "invoice", today - timedelta(27),
            (DocumentLineDraft("4100", Decimal(amount), Decimal(0), "Office furniture"),),
            due_date=today + timedelta(days))).document_nos[0]
    due = today + timedelta(COLLECTED[0][2])
    view = dd.create_collection(CollectRequest(
        BANK, due, due, document_nos=tuple(docs[c] for c, _a, _d in COLLECTED)))
    dd.export(view.no, Path(tempfile.gettempdir()) / "lettrage-demo-DD-00001.xml")
    entries = dd.entries(view.no)
    back = next(e for e in entries if e.customer_no == RETURNED)
    return SepaSample(entries[0].payment_info_id, sum((e.amount for e in entries), Decimal(0)),
                      back.transaction_id, back.amount, today + timedelta(STATEMENT_DAY))


def camt053(sample: SepaSample, iban: str = IBAN, statement_no: str = "1",
            opening: Decimal = Decimal(0)) -> str:
    """The collections account's statement: the batch credit (one entry, its batch
    reference, no transaction details) and the return of one debit with its fee."""
    d = sample.day.isoformat()
    debit = sample.return_amount + RETURN_FEE
    closing = opening + sample.total - debit
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>LETTRAGE-SEPA-{statement_no}</MsgId><CreDtTm>{d}T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>SEPA-{statement_no}</Id>
      <ElctrncSeqNb>{statement_no}</ElctrncSeqNb>
      <CreDtTm>{d}T18:00:00</CreDtTm>
      <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      {_balance("PRCD", opening, sample.day)}
      {_balance("CLBD", closing, sample.day)}
      <Ntry>
        <Amt Ccy="EUR">{sample.total:.2f}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{d}</Dt></BookgDt>
        <ValDt><Dt>{d}</Dt></ValDt>
        <AcctSvcrRef>SEPA{statement_no}-1</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RDDT</Cd><SubFmlyCd>BBDD</SubFmlyCd></Fmly>
          </Domn></BkTxCd>
        <NtryDtls><Btch><PmtInfId>{sample.batch_ref}</PmtInfId><NbOfTxs>3</NbOfTxs>
          </Btch></NtryDtls>
        <AddtlNtryInf>SEPA CORE DIRECT DEBIT BATCH {sample.batch_ref}</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">{debit:.2f}</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{d}</Dt></BookgDt>
        <ValDt><Dt>{d}</Dt></ValDt>
        <AcctSvcrRef>SEPA{statement_no}-2</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RDDT</Cd><SubFmlyCd>UPDD</SubFmlyCd></Fmly>
          </Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>{sample.return_e2e}</EndToEndId></Refs>
          <AmtDtls><TxAmt><Amt Ccy="EUR">{debit:.2f}</Amt></TxAmt></AmtDtls>
          <RtrInf><Rsn><Cd>{RETURN_REASON}</Cd></Rsn>
            <AddtlInf>RETURN OF DIRECT DEBIT, FEE {RETURN_FEE:.2f}</AddtlInf></RtrInf>
        </TxDtls></NtryDtls>
        <AddtlNtryInf>SEPA DIRECT DEBIT RETURN {sample.return_e2e}</AddtlNtryInf>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""


def _balance(code: str, amount: Decimal, day: date) -> str:
    ind = "CRDT" if amount >= 0 else "DBIT"
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>{ind}</CdtDbtInd>'
            f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>")


def expected_sample(today: date) -> SepaSample:
    """The sample statement's facts: the demo's first collection (``DD-00001``), its one
    batch and the end-to-end ID of the returned debit (its second entry)."""
    total = sum((Decimal(a) for _c, a, _d in COLLECTED), Decimal(0))
    back = next(Decimal(a) for c, a, _d in COLLECTED if c == RETURNED)
    return SepaSample("DD-00001-1", total, "DD-00001-2", back,
                      today + timedelta(STATEMENT_DAY))


def main() -> None:  # pragma: no cover - writes the committed sample
    SAMPLE.write_text(camt053(expected_sample(DEMO_TODAY)), encoding="utf-8")
    print(SAMPLE)


if __name__ == "__main__":  # pragma: no cover
    main()
