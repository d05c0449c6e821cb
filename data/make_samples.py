"""Writes the demo's sample bank statements to ``data/samples/``.

    .venv/bin/python -m data.make_samples

Statement 101 as CAMT.053 and statement 102 as MT940, for the demo's operating account
(BANK1). Their lines pay the story invoices of ``data.demo_story``; their opening
balance continues the demo's statement 100. The files are committed; a test checks they
are what this script writes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from data.demo_story import STATEMENT_100_BALANCE, SampleLine, statement_101, statement_102

SAMPLES = Path(__file__).parent / "samples"
IBAN, BIC = "DE89370400440532013000", "COBADEFFXXX"


def _entry(line: SampleLine) -> str:
    credit = line.amount >= 0
    party = "Dbtr" if credit else "Cdtr"
    party_acct = "DbtrAcct" if credit else "CdtrAcct"
    related = ""
    if line.name or line.iban:
        related = "<RltdPties>"
        if line.name:
            related += f"<{party}><Nm>{escape(line.name)}</Nm></{party}>"
        if line.iban:
            related += f"<{party_acct}><Id><IBAN>{line.iban}</IBAN></Id></{party_acct}>"
        related += "</RltdPties>"
    rmt = f"<Ustrd>{escape(line.text)}</Ustrd>" if line.text else ""
    if line.creditor_reference:
        rmt += ("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                f"<Ref>{line.creditor_reference}</Ref></CdtrRefInf></Strd>")
    ind = "CRDT" if credit else "DBIT"
    amt = f"{abs(line.amount):.2f}"
    return f"""
      <Ntry>
        <NtryRef>{line.bank_reference}</NtryRef>
        <Amt Ccy="EUR">{amt}</Amt>
        <CdtDbtInd>{ind}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{line.booking_date.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{line.booking_date.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{line.bank_reference}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{"RCDT" if credit else "CCRD"}</Cd>
          <SubFmlyCd>{"ESCT" if credit else "CHRG"}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>{line.bank_reference}</AcctSvcrRef>
            <EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <AmtDtls><TxAmt><Amt Ccy="EUR">{amt}</Amt></TxAmt></AmtDtls>
          {related}
          <RmtInf>{rmt}</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"""


def _balance(code: str, amount: Decimal, day: date) -> str:
    ind = "CRDT" if amount >= 0 else "DBIT"
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>{ind}</CdtDbtInd>'
            f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>")


def camt053(lines: list[SampleLine], statement_no: str, opening: Decimal) -> str:
    day = lines[0].booking_date
    closing = opening + sum((ln.amount for ln in lines), Decimal(0))
    entries = "".join(_entry(ln) for ln in lines)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>LETTRAGE-DEMO-{statement_no}</MsgId>
      <CreDtTm>{day.isoformat()}T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{statement_no}</Id>
      <ElctrncSeqNb>{statement_no}</ElctrncSeqNb>
      <CreDtTm>{day.isoformat()}T18:00:00</CreDtTm>
      <FrToDt><FrDtTm>{day.isoformat()}T00:00:00</FrDtTm>
        <ToDtTm>{day.isoformat()}T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy>
        <Svcr><FinInstnId><BIC>{BIC}</BIC></FinInstnId></Svcr></Acct>
      {_balance("PRCD", opening, day)}
      {_balance("CLBD", closing, day)}{entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""


def _mt_amount(amount: Decimal) -> str:
    return f"{abs(amount):.2f}".replace(".", ",")


def _mt_balance(tag: str, amount: Decimal, day: date) -> str:
    return f":{tag}:{'C' if amount >= 0 else 'D'}{day:%y%m%d}EUR{_mt_amount(amount)}"


def _mt_line(line: SampleLine) -> list[str]:
    mark = "C" if line.amount >= 0 else "D"
    code = "166" if line.amount >= 0 else "805"
    text = line.text or line.creditor_reference
    chunks = [text[i:i + 27] for i in range(0, len(text), 27)] or [""]
    details = f"{code}?00{'GUTSCHRIFT' if mark == 'C' else 'ENTGELT'}?10931"
    for n, chunk in enumerate(chunks[:9]):
        details += f"?2{n}{chunk}"
    if line.iban:
        details += f"?31{line.iban}"
    if line.name:
        details += f"?32{line.name[:27]}"
    fields = [f":61:{line.booking_date:%y%m%d%m%d}{mark}{_mt_amount(line.amount)}"
              f"NTRFNONREF//{line.bank_reference}", f":86:{details[:65]}"]
    rest = details[65:]
    while rest:
        fields.append(rest[:65])
        rest = rest[65:]
    return fields


def mt940(lines: list[SampleLine], statement_no: str, opening: Decimal) -> str:
    day = lines[0].booking_date
    closing = opening + sum((ln.amount for ln in lines), Decimal(0))
    out = [":20:STARTUMSE", f":25:{IBAN}", f":28C:{statement_no}/1",
           _mt_balance("60F", opening, day)]
    for line in lines:
        out += _mt_line(line)
    out.append(_mt_balance("62F", closing, day))
    out.append("-")
    return "\r\n".join(out) + "\r\n"


def render() -> dict[str, str]:
    first, second = statement_101(), statement_102()
    opening_102 = STATEMENT_100_BALANCE + sum((ln.amount for ln in first), Decimal(0))
    return {"statement-101.camt053.xml": camt053(first, "101", STATEMENT_100_BALANCE),
            "statement-102.mt940.sta": mt940(second, "102", opening_102)}


def main() -> None:
    SAMPLES.mkdir(exist_ok=True)
    for name, text in render().items():
        (SAMPLES / name).write_bytes(text.encode("utf-8"))
        print(SAMPLES / name)


if __name__ == "__main__":
    main()
