"""MT940/MT942 parser on inline samples: signs, dates, balances and :86: layouts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.statements import StatementError, parse_bytes, parse_file

GERMAN = """{1:F01TESTDEFFAXXX0000000000}{2:O940TESTDEFFXXXXN}{4:
:20:STARTUMS
:25:10020030/1234567890
:28C:00001/001
:60F:C231229EUR1000,00
:61:2312290102CR150,25NTRFNONREF//BANKREF1
:86:166?00SEPA-GUTSCHRIFT?100399?20EREF+E2E-4711?21MREF+MANDATE-1?22CRED+DE98ZZZ09999999999
?24SVWZ+Rechnung 2023-77 danke?30COBADEFFXXX?31DE02120300000000202051
?32Max Mustermann?33GmbH
:61:2401020102RD20,00NMSCNONREF
:86:109?00RUECKLASTSCHRIFT?20SVWZ+Storno
:62F:C240102EUR1130,25
-}
"""

DUTCH = """:20:940S140102
:25:NL34RABO0142623393 EUR
:28C:0
:60F:D131231EUR000000000100,00
:61:140102D000000000400,00N541NONREF
:86:/EREF/E-9//CNTP/NL32INGB0000012345/INGBNL2A/J. Janssen/AMSTERDAM//REMI/USTD//Factuur 12
3/
:61:140102C000000000010,00N541NONREF
:86:/ORDP//NAME/R. SMITH/ADDR/Green market 74/REMI/Test money/ISDT/2014-01-02
:62F:D140102EUR000000000490,00
"""

POLISH = """:20:ST1
:25:/PL29114010810000267002001002
:28C:1/1
:60F:C170119PLN0,40
:61:1701190119CN0,01NTRFNONREF//MB1
:86:020~00TRAN~20Faktura FV/1/2017~21czesc 2~32JAN NOWAK~33KRAKOW~38PL61109010140000071219812874
:62F:C170119PLN0,41
"""


def test_stmt_mt940_german_subfields_and_sepa_tags() -> None:
    parsed = parse_bytes(GERMAN.encode(), "de.sta")
    assert parsed.format == "mt940"
    statement = parsed.statements[0]
    assert statement.account == "10020030/1234567890"
    # :20: is a constant transaction reference at German banks; the statement number the
    # clerk knows is :28C:
    assert (statement.statement_id, statement.name) == ("STARTUMS", "00001/001")
    assert (statement.opening_balance, statement.opening_date) == (Decimal("1000.00"),
                                                                   date(2023, 12, 29))
    assert statement.closing_balance == Decimal("1130.25")
    credit, reversal = statement.lines
    assert credit.amount == Decimal("150.25")
    assert credit.value_date == date(2023, 12, 29)
    assert credit.booking_date == date(2024, 1, 2)  # entry date crosses the year end
    assert credit.bank_reference == "BANKREF1"
    assert credit.bank_transaction_code == "166"
    assert credit.end_to_end_id == "E2E-4711"
    assert credit.mandate_id == "MANDATE-1"
    assert credit.creditor_id == "DE98ZZZ09999999999"
    assert credit.remittance == "Rechnung 2023-77 danke"
    assert credit.counterparty_iban == "DE02120300000000202051"
    assert credit.counterparty_bic == "COBADEFFXXX"
    assert credit.counterparty_name == "Max Mustermann GmbH"
    assert reversal.amount == Decimal("20.00") and reversal.reversal  # RD: debit reversed
    assert reversal.returned


def test_stmt_mt940_dutch_layout() -> None:
    statement = parse_bytes(DUTCH.encode(), "nl.sta").statements[0]
    assert statement.account == "NL34RABO0142623393"
    assert statement.currency == "EUR"
    assert statement.opening_balance == Decimal("-100.00")
    debit, credit = statement.lines
    assert debit.amount == Decimal("-400.00")
    assert debit.counterparty_iban == "NL32INGB0000012345"
    assert debit.counterparty_bic == "INGBNL2A"
    assert debit.counterparty_name == "J. Janssen"
    assert debit.end_to_end_id == "E-9"
    assert debit.remittance == "Factuur 123"
    assert credit.counterparty_name == "R. SMITH"
    assert credit.counterparty_address == "Green market 74"
    assert credit.remittance == "Test money"


def test_stmt_mt940_polish_tilde_layout() -> None:
    line = parse_bytes(POLISH.encode(), "pl.sta").statements[0].lines[0]
    assert line.amount == Decimal("0.01")
    assert line.counterparty_name == "JAN NOWAK KRAKOW"
    assert line.counterparty_iban == "PL61109010140000071219812874"
    assert line.remittance == "Faktura FV/1/2017 czesc 2"


def test_stmt_mt940_several_statements_and_mt942() -> None:
    two = (DUTCH + DUTCH.replace("940S140102", "940S140103")).encode()
    assert len(parse_bytes(two, "two.sta").statements) == 2
    mt942 = (":20:X\n:25:PL29114010810000267002001002\n:28C:1\n:34F:PLNC0,00\n"
             ":13D:1701191200+0100\n:61:1701190119CN0,01NTRFNONREF\n:86:test\n:90C:1PLN0,01\n")
    parsed = parse_bytes(mt942.encode(), "i.sta")
    assert parsed.format == "mt942"
    assert parsed.statements[0].currency == "PLN"


def test_stmt_mt940_cp852_text(corpus: Path) -> None:
    parsed = parse_file(corpus / "mt940" / "wolph-mt940__self-provided__raiffeisen-cmi.sta")
    assert parsed.encoding == "cp852"
    assert "összevont" in (parsed.statements[0].lines[0].remittance or "")


def test_stmt_mt940_latin1_declared_by_content() -> None:
    data = DUTCH.replace("Test money", "Überweisung für Müller").encode("cp1252")
    parsed = parse_bytes(data, "de.sta")
    assert "Müller" in (parsed.statements[0].lines[1].remittance or "")


@pytest.mark.parametrize(("text", "message"), [
    (":61:2401020102C1,00NTRF\n:86:x\n", "before any statement header"),
    (":20:A\n:25:B\n:60F:C240101EUR1,00\n:61:2413010102C1,00NTRF\n:62F:C240101EUR1,00\n",
     "does not exist"),
    (":20:A\n:25:B\n:60F:X240101EUR1,00\n:62F:C240101EUR1,00\n", "balance"),
    (":20:A\n:60F:C240101EUR1,00\n:62F:C240101EUR1,00\n", ":25:"),
])
def test_stmt_mt940_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(StatementError, match=message) as info:
        parse_bytes(text.encode(), "bad.sta", format="mt940")
    assert "line" in str(info.value)
