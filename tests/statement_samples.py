"""Small inline bank statements (CAMT.053, MT940, CSV) for the import tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.statements import Profile

IBAN = "DE89370400440532013000"
OTHER_IBAN = "DE02120300000000202051"
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


@dataclass(frozen=True)
class Tx:
    """One statement line: amount positive = received."""

    amount: str
    day: str = "2025-01-10"
    ref: str | None = None
    name: str = "Adatum Corporation"
    text: str = "Invoice 103001"
    iban: str = "DE02120300000000202051"


def _camt_entry(tx: Tx) -> str:
    value = Decimal(tx.amount)
    ind = "CRDT" if value >= 0 else "DBIT"
    role = "Dbtr" if value >= 0 else "Cdtr"
    ref = f"<AcctSvcrRef>{tx.ref}</AcctSvcrRef>" if tx.ref else ""
    return (f"<Ntry><Amt Ccy='EUR'>{abs(value):.2f}</Amt><CdtDbtInd>{ind}</CdtDbtInd>"
            f"<Sts>BOOK</Sts><BookgDt><Dt>{tx.day}</Dt></BookgDt>"
            f"<ValDt><Dt>{tx.day}</Dt></ValDt>{ref}"
            f"<NtryDtls><TxDtls><RltdPties><{role}><Nm>{tx.name}</Nm></{role}>"
            f"<{role}Acct><Id><IBAN>{tx.iban}</IBAN></Id></{role}Acct></RltdPties>"
            f"<RmtInf><Ustrd>{tx.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>")


def _bal(code: str, amount: Decimal, day: str) -> str:
    ind = "CRDT" if amount >= 0 else "DBIT"
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f"<Amt Ccy='EUR'>{abs(amount):.2f}</Amt><CdtDbtInd>{ind}</CdtDbtInd>"
            f"<Dt><Dt>{day}</Dt></Dt></Bal>")


def camt(txs: list[Tx], stmt_id: str = "S-1", opening: str | None = "1000.00",
         start: str = "2025-01-10", end: str = "2025-01-10", iban: str = IBAN,
         currency: str = "EUR", closing: str | None = None) -> bytes:
    """A CAMT.053 statement; the closing balance is opening + lines unless given."""
    balances = ""
    if opening is not None:
        close = Decimal(closing) if closing else Decimal(opening) + sum(
            (Decimal(t.amount) for t in txs), Decimal(0))
        balances = _bal("OPBD", Decimal(opening), start) + _bal("CLBD", close, end)
    entries = "".join(_camt_entry(t) for t in txs)
    return (f"<?xml version='1.0' encoding='UTF-8'?><Document xmlns='{NS}'><BkToCstmrStmt>"
            f"<GrpHdr><MsgId>M-{stmt_id}</MsgId><CreDtTm>{end}T18:00:00</CreDtTm></GrpHdr>"
            f"<Stmt><Id>{stmt_id}</Id><CreDtTm>{end}T18:00:00</CreDtTm>"
            f"<FrToDt><FrDtTm>{start}T00:00:00</FrDtTm><ToDtTm>{end}T23:59:59</ToDtTm></FrToDt>"
            f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
            f"{balances}{entries}</Stmt></BkToCstmrStmt></Document>").encode()


def mt940(txs: list[Tx], account: str = "37040044/0532013000", opening: str = "1000,00",
          day: str = "250110", currency: str = "EUR") -> bytes:
    """An MT940 statement; ``Tx.ref`` becomes the bank reference after ``//``."""
    total = Decimal(opening.replace(",", ".")) + sum((Decimal(t.amount) for t in txs),
                                                     Decimal(0))
    out = [":20:STARTUMS", f":25:{account}", ":28C:1/1", f":60F:C{day}{currency}{opening}"]
    for t in txs:
        value = Decimal(t.amount)
        ymd = t.day[2:4] + t.day[5:7] + t.day[8:10]
        mark = "C" if value >= 0 else "D"
        ref = f"//{t.ref}" if t.ref else ""
        out.append(f":61:{ymd}{ymd[2:]}{mark}{abs(value):.2f}".replace(".", ",")
                   + f"NTRFNONREF{ref}")
        out.append(f":86:166?00GUTSCHRIFT?20{t.text}?32{t.name}?31{t.iban}")
    sign = "C" if total >= 0 else "D"
    out.append(f":62F:{sign}{day}{currency}{abs(total):.2f}".replace(".", ","))
    return ("\r\n".join(out) + "\r\n-").encode("latin-1")


CSV_PROFILE = Profile(
    name="testbank", delimiter=";", date_formats=("%d.%m.%Y",), decimal_separator=",",
    columns={"booking_date": "Datum", "amount": "Betrag", "counterparty_name": "Name",
             "remittance": "Zweck"},
    currency="EUR", account=IBAN)


def csv_file(txs: list[Tx]) -> bytes:
    """A CSV export without bank references (content keys only)."""
    rows = ["Datum;Betrag;Name;Zweck"]
    for t in txs:
        y, m, d = t.day.split("-")
        rows.append(f"{d}.{m}.{y};{t.amount.replace('.', ',')};{t.name};{t.text}")
    return ("\n".join(rows) + "\n").encode()


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path
