"""OFX/QFX parser on inline SGML and XML samples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.statements import StatementError, detect_format, parse_bytes

SGML = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240105
<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0
<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>FR761234
<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20240105
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240102<TRNAMT>1234.10<FITID>F-1<NAME>Café Dupont & Fils
<MEMO>Facture 2024-001</STMTTRN>
<STMTTRN><TRNTYPE>CHECK<DTPOSTED>20240103120000[-5:EST]<TRNAMT>-0.10<FITID>F-2
<CHECKNUM>1002<NAME>Landlord</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>5000.00<DTASOF>20240105</LEDGERBAL></STMTRS></STMTTRNRS>
</BANKMSGSRSV1></OFX>
"""

XML = """<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE>
<SEVERITY>INFO</SEVERITY></STATUS><CCSTMTRS><CURDEF>USD</CURDEF><CCACCTFROM>
<ACCTID>4111</ACCTID></CCACCTFROM><BANKTRANLIST><DTSTART>20240101</DTSTART>
<DTEND>20240131</DTEND><STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240110</DTPOSTED>
<TRNAMT>-19,99</TRNAMT><FITID>X1</FITID><NAME>Shop</NAME></STMTTRN></BANKTRANLIST>
<LEDGERBAL><BALAMT>-19.99</BALAMT><DTASOF>20240131</DTASOF></LEDGERBAL></CCSTMTRS>
</CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>
"""


def test_stmt_ofx_sgml_fields() -> None:
    parsed = parse_bytes(SGML.encode("cp1252"), "a.ofx")
    assert parsed.format == "ofx" and parsed.encoding == "cp1252"
    statement = parsed.statements[0]
    assert statement.account == "FR761234" and statement.currency == "EUR"
    assert statement.closing_balance == Decimal("5000.00")
    assert statement.closing_date == date(2024, 1, 5)
    first, second = statement.lines
    assert first.amount == Decimal("1234.10") and isinstance(first.amount, Decimal)
    assert first.bank_reference == "F-1"
    assert first.counterparty_name == "Café Dupont & Fils"
    assert first.remittance == "Facture 2024-001"
    assert first.booking_date == date(2024, 1, 2)
    assert second.amount == Decimal("-0.10")
    assert second.check_number == "1002"
    assert "<TRNAMT>-0.10" in second.raw


def test_stmt_ofx_xml_credit_card_decimal_comma() -> None:
    data = XML.encode()
    assert detect_format(data) == "ofx"
    statement = parse_bytes(data, "b.qfx").statements[0]
    assert statement.lines[0].amount == Decimal("-19.99")
    assert statement.account == "4111"


def test_stmt_ofx_investment_refused() -> None:
    data = SGML.replace("STMTRS>", "INVSTMTRS>").replace("<STMTRS>", "<INVSTMTRS>").encode()
    with pytest.raises(StatementError, match="investment statements are not bank statements"):
        parse_bytes(data, "inv.ofx")


def test_stmt_ofx_missing_amount_rejected() -> None:
    data = SGML.replace("<TRNAMT>1234.10", "").encode()
    with pytest.raises(StatementError, match="unreadable"):
        parse_bytes(data, "c.ofx")


def test_stmt_ofx_server_error_reported() -> None:
    data = SGML.replace("<STMTRS>", "<XSTMT>").replace("<CODE>0\n<SEVERITY>INFO</STATUS><XSTMT>",
                                                       "<CODE>2000<MESSAGE>Down</STATUS><XSTMT>")
    with pytest.raises(StatementError, match=r"no statement|2000"):
        parse_bytes(data.encode(), "d.ofx")
