"""XML safety: billion laughs, XXE, deep nesting, size cap, and the JSON output shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.statements import StatementError, parse_file, parsed_to_json, statement_to_dict, xmlsafe
from tests.core.statements.test_stmt_camt import BATCH, CREDIT, doc

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE Document [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Document xmlns="{NS}"><BkToCstmrStmt><Stmt><Id>&lol3;</Id></Stmt></BkToCstmrStmt></Document>
"""

XXE = f"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="{NS}"><BkToCstmrStmt><Stmt><Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>
"""

OFX_XXE = """<?xml version="1.0"?><!DOCTYPE OFX [<!ENTITY x SYSTEM "http://example.com/x">]>
<?OFX OFXHEADER="200" VERSION="211"?><OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>&x;</CURDEF>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, XXE, OFX_XXE])
def test_stmt_safety_entities_refused(text: str, tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StatementError, match="refused for safety") as info:
        parse_file(path)
    assert "evil.xml" in str(info.value)


def test_stmt_safety_external_dtd_refused(tmp_path: Path) -> None:
    path = tmp_path / "dtd.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://x/y.dtd">'
                    + doc(CREDIT).decode().split("?>", 1)[1], encoding="utf-8")
    with pytest.raises(StatementError, match="refused for safety"):
        parse_file(path)


def test_stmt_safety_deep_nesting_refused(tmp_path: Path) -> None:
    deep = "<X>" * 100 + "1" + "</X>" * 100
    entry = CREDIT.replace("<Ustrd>Invoice 4711</Ustrd>", f"<Ustrd>{deep}</Ustrd>")
    path = tmp_path / "deep.xml"
    path.write_bytes(doc(entry))
    with pytest.raises(StatementError, match="nested deeper than 64"):
        parse_file(path)
    very_deep = tmp_path / "verydeep.xml"
    very_deep.write_bytes(doc("", "<Y>" * 5000 + "</Y>" * 5000))
    with pytest.raises(StatementError):
        parse_file(very_deep)


def test_stmt_safety_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlsafe, "MAX_FILE_BYTES", 100)
    import core.statements as statements

    monkeypatch.setattr(statements, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.xml"
    path.write_bytes(doc(CREDIT))
    with pytest.raises(StatementError, match="larger than"):
        parse_file(path)


def test_stmt_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "ok.xml"
    path.write_bytes(doc(CREDIT + BATCH))
    parsed = parse_file(path)
    data = json.loads(parsed_to_json(parsed))
    assert data["format"] == "camt.053" and data["line_count"] == 3
    line = data["statements"][0]["lines"][0]
    assert line["amount"] == "100.50" and line["booking_date"] == "2024-03-01"
    assert line["references"][1]["amount"] == "40.00"
    assert statement_to_dict(parsed.statements[0])["lines"][1]["amount"] == "-10.00"
