"""CAMT parser on small inline documents: signs, dates, balances, batch split, reversal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.statements import StatementError, detect_format, parse_bytes

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


def doc(entries: str, balances: str = "", ns: str = NS, root: str = "BkToCstmrStmt",
        block: str = "Stmt") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{ns}"><{root}><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<{block}><Id>S-1</Id><ElctrncSeqNb>7</ElctrncSeqNb><CreDtTm>2024-03-01T10:00:00</CreDtTm>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>{balances}{entries}
</{block}></{root}></Document>""".encode()


def bal(code: str, amount: str, ind: str, day: str = "2024-03-01") -> str:
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy='EUR'>{amount}</Amt>"
            f"<CdtDbtInd>{ind}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>")


CREDIT = """<Ntry><Amt Ccy="EUR">100.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2024-03-01</Dt></BookgDt><ValDt><DtTm>2024-03-02T08:00:00</DtTm></ValDt>
<AcctSvcrRef>BANK-1</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs>
<RltdPties><Dbtr><Pty><Nm>ACME SA</Nm><PstlAdr><TwnNm>Paris</TwnNm><Ctry>FR</Ctry></PstlAdr></Pty>
</Dbtr><DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct>
<Cdtr><Pty><Nm>Us GmbH</Nm></Pty></Cdtr></RltdPties>
<RltdAgts><DbtrAgt><FinInstnId><BICFI>AGRIFRPP</BICFI></FinInstnId></DbtrAgt></RltdAgts>
<RmtInf><Ustrd>Invoice 4711</Ustrd><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>
</Tp><Ref>RF18539007547034</Ref></CdtrRefInf></Strd>
<Strd><RfrdDocInf><Nb>INV-9</Nb></RfrdDocInf><RfrdDocAmt><RmtdAmt Ccy="EUR">40.00</RmtdAmt>
</RfrdDocAmt></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"""

BATCH = """<Ntry><NtryRef>N-7</NtryRef><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>
<RvslInd>true</RvslInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-01</Dt></BookgDt>
<AcctSvcrRef>BATCH-1</AcctSvcrRef><NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>
<TxDtls><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>
<Refs><MndtId>M-1</MndtId></Refs><RltdPties><Cdtr><Nm>Ins Co</Nm><Id><PrvtId><Othr>
<Id>DE98ZZZ09999999999</Id></Othr></PrvtId></Id></Cdtr></RltdPties>
<RtrInf><Rsn><Cd>AC06</Cd></Rsn></RtrInf></TxDtls>
<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">20.00</Amt></TxAmt></AmtDtls></TxDtls>
</NtryDtls></Ntry>"""


def test_stmt_camt_credit_line_fields() -> None:
    parsed = parse_bytes(doc(CREDIT), "a.xml")
    assert parsed.format == "camt.053"
    line = parsed.statements[0].lines[0]
    assert line.amount == Decimal("100.50")
    assert line.booking_date == date(2024, 3, 1)
    assert line.value_date == date(2024, 3, 2)
    assert line.status == "BOOK"
    assert line.bank_transaction_code == "PMNT-RCDT-ESCT"
    assert line.bank_reference == "BANK-1"
    assert line.end_to_end_id == "E2E-1"
    assert line.counterparty_name == "ACME SA"  # debtor, since money came in
    assert line.counterparty_iban == "FR7630006000011234567890189"
    assert line.counterparty_bic == "AGRIFRPP"
    assert line.counterparty_address == "Paris, FR"
    assert line.remittance == "Invoice 4711"
    creditor, document = line.references
    assert (creditor.kind, creditor.reference, creditor.type_code) == (
        "creditor", "RF18539007547034", "SCOR")
    assert (document.kind, document.reference, document.amount) == (
        "document", "INV-9", Decimal("40.00"))
    assert "<Ntry" in line.raw


def test_stmt_camt_batch_split_keeps_entry_reference() -> None:
    statement = parse_bytes(doc(BATCH), "b.xml").statements[0]
    first, second = statement.lines
    assert (first.amount, second.amount) == (Decimal("-10.00"), Decimal("-20.00"))
    assert first.entry_reference == second.entry_reference == "BATCH-1"
    assert first.entry_no == second.entry_no == 1
    assert first.reversal and second.reversal
    assert first.returned and first.return_reason == "AC06"
    assert first.mandate_id == "M-1" and first.creditor_id == "DE98ZZZ09999999999"
    assert first.counterparty_name == "Ins Co"


def test_stmt_camt_balances_clbd_wins_over_clav() -> None:
    balances = (bal("PRCD", "10.00", "DBIT", "2024-02-29") + bal("CLAV", "99.00", "CRDT")
                + bal("CLBD", "90.50", "CRDT"))
    statement = parse_bytes(doc(CREDIT, balances), "c.xml").statements[0]
    assert statement.opening_balance == Decimal("-10.00")
    assert statement.opening_date == date(2024, 2, 29)
    assert statement.closing_balance == Decimal("90.50")
    assert statement.account == "DE89370400440532013000"
    assert statement.currency == "EUR"
    assert statement.statement_id == "S-1" and statement.sequence == "7"


def test_stmt_camt_clav_used_when_no_clbd() -> None:
    statement = parse_bytes(doc("", bal("CLAV", "5.00", "CRDT")), "d.xml").statements[0]
    assert statement.closing_balance == Decimal("5.00")
    assert statement.lines == ()


@pytest.mark.parametrize(("ns", "root", "block", "kind"), [
    ("urn:iso:std:iso:20022:tech:xsd:camt.052.001.02", "BkToCstmrAcctRpt", "Rpt", "camt.052"),
    ("urn:iso:std:iso:20022:tech:xsd:camt.054.001.04", "BkToCstmrDbtCdtNtfctn", "Ntfctn",
     "camt.054"),
])
def test_stmt_camt_052_054(ns: str, root: str, block: str, kind: str) -> None:
    data = doc(CREDIT, ns=ns, root=root, block=block)
    assert detect_format(data) == kind
    assert parse_bytes(data, "x.xml").statements[0].lines[0].amount == Decimal("100.50")


@pytest.mark.parametrize(("bad", "where"), [
    ("<Amt Ccy='EUR'>12,5</Amt>", "Ntry"),
    ("<Amt Ccy='EUR'>12.5</Amt><CdtDbtInd>XXXX</CdtDbtInd>", "Ntry"),
])
def test_stmt_camt_errors_name_the_element(bad: str, where: str) -> None:
    entry = f"<Ntry>{bad}<CdtDbtInd>CRDT</CdtDbtInd></Ntry>"
    with pytest.raises(StatementError) as info:
        parse_bytes(doc(entry), "bad.xml")
    assert "bad.xml" in str(info.value) and where in str(info.value)
    assert "line" in str(info.value)


def test_stmt_camt_not_well_formed() -> None:
    with pytest.raises(StatementError, match="not well-formed"):
        parse_bytes(doc(CREDIT)[:-30], "cut.xml")


def test_stmt_camt_pain_refused() -> None:
    data = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"><x/></Document>'
    with pytest.raises(StatementError, match="payment initiation"):
        parse_bytes(data, "p.xml")
