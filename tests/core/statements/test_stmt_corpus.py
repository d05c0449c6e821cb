"""Walk the public statement corpus using its MANIFEST.md.

Every file the manifest says to ACCEPT must parse with the stated number of
transactions; every file it says to REJECT (and every pain file, XSD, investment
OFX and no-statement OFX) must fail with StatementError and nothing else.
Two deliberate deviations are listed in DEVIATIONS with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from core.statements import StatementError, parse_file
from tests.core.statements.conftest import corpus_dir

REJECT = {
    "camt/genkgo__camt053.v2.wrong.xml",
    "camt/dvbern__invalid__camt_054_Beispiel_NotificationMissing.xml",
    "camt/hbci4java__test-camt-parse-invalid.xml",
    "camt/hbci4java__test-camt-parse-none.xml",
    "camt/ofxstatement-iso20022__unsupported.xml",
    "ofx/oca__test_ofx_wrong.ofx",
    "ofx/ofxparse__fail_nice_date_missing.ofx",
    "ofx/ofxparse__fail_nice_decimal_error.ofx",
    "ofx/ofxparse__bank_small.ofx",
    "ofx/ofxparse__signon_fail.ofx",
    "ofx/ofxparse__signon_success.ofx",
    "ofx/ofxparse__signon_success_no_message.ofx",
    "ofx/ofxparse__error_message.ofx",
    "ofx/ofxtools__profrs.ofx",
    "ofx/ofxparse__account_listing_aggregation.ofx",
    "mt940/wolph-mt940__self-provided__invalid_statement.sta",
    "mt940/wolph-mt940__self-provided__empty_non_swift.sta",
    "mt940/wolph-mt940__cmxl__statement_details.sta",
    "mt940/wolph-mt940__self-provided__sparkassen.sta",
}
DEVIATIONS = {
    # Listed as REJECT only because OCA's ING-flavoured parser refuses its ':9401:'
    # header; the manifest itself lists ':9401:' first lines as a tolerated oddity and
    # the file is a complete Rabobank statement (1 :20:, 1 :61:), so we accept it.
    "mt940/oca-mt940_base__test-wrong-file.940": "accept",
    # Listed with "1 STMTTRN", but that STMTTRN is literally "*snipped*": no amount,
    # no date, no FITID. Importing it is impossible; refused with a clear message.
    "ofx/asgrim-ofxparser__ofxdata-banking-xml200.ofx": "reject",
}
# The manifest gives no transaction counts for CSV; these were checked by hand.
CSV_LINES = {
    "beancount-import__schwab_EAC_Checking_Transactions_20201223-160009.CSV": 12,
    "beancount-import__venmo_transactions.csv": 11,
    "csv2ofx__capitalone.csv": 2,
    "csv2ofx__gls.csv": 1,
    "csv2ofx__ingesp.csv": 10,
    "csv2ofx__n26-fr.csv": 2,
    "csv2ofx__payoneer.csv": 2,
    "csv2ofx__pcmastercard.csv": 2,
    "csv2ofx__schwab-checking.csv": 4,
    "csv2ofx__ubs-ch-fr_trimmed.csv": 3,
    "oca-adyen__settlement_detail_report_batch_238.csv": 3,
    "oca-paypal__activity_en.csv": 62,
    "oca-paypal__statement_es.csv": 4,
    "ofxstatement-de-ing__test_with_saldo_2.csv": 9,
    "ofxstatement-de-ing__test_without_saldo_1.csv": 6,
    "ofxstatement-revolut__2022-january.csv": 7,
    "ofxstatement-sparkasse-freiburg__simple2.csv": 17,
}
# Statement counts that differ from the manifest's ':20:' count, with the reason.
MT940_STATEMENTS = {
    # The second ':20:' is the file's last line, with no other field: dropped with a warning.
    "php-mt940__Rabo__sample2.sta": 1,
}
_ROW = re.compile(r"^\| `([a-z0-9]+/[^`]+)` \|.*\| ([^|]*) \|[^|]*\|$")


def _manifest_rows() -> dict[str, str]:
    root = corpus_dir()
    if root is None:
        return {}
    rows = {}
    for line in (root / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows[match.group(1)] = line
    return rows


ROWS = _manifest_rows()


def _expect(rel: str, row: str) -> str:
    if rel in DEVIATIONS:
        return DEVIATIONS[rel]
    if rel in REJECT or rel.startswith(("pain/", "xsd/")) or "INVESTMENT" in row:
        return "reject"
    if rel.startswith("ofx/") and "STMTTRN" not in row and "statements" not in row:
        return "reject"
    return "accept"


@pytest.mark.parametrize("rel", sorted(ROWS) or ["<no corpus>"])
def test_stmt_corpus_file(rel: str, corpus: Path) -> None:
    row = ROWS[rel]
    path = corpus / rel
    if _expect(rel, row) == "reject":
        with pytest.raises(StatementError) as info:
            parse_file(path)
        assert path.name in str(info.value)
        return
    parsed = parse_file(path)
    assert parsed.statements, rel
    folder = rel.split("/")[0]
    {"ofx": _check_ofx, "mt940": _check_mt940, "camt": _check_camt, "csv": _check_csv}[folder](
        rel, row, parsed, path)


def _check_ofx(rel: str, row: str, parsed: object, path: Path) -> None:
    trn = re.search(r"(\d+) STMTTRN", row)
    stm = re.search(r"(\d+) statements", row)
    assert trn is not None or stm is not None, row
    if trn:
        assert parsed.line_count == int(trn.group(1))  # type: ignore[attr-defined]
    if stm:
        assert len(parsed.statements) == int(stm.group(1))  # type: ignore[attr-defined]


def _check_mt940(rel: str, row: str, parsed: object, path: Path) -> None:
    match = re.search(r"(\d+) :20: / (\d+) :61:", row)
    assert match, row
    assert parsed.line_count == int(match.group(2))  # type: ignore[attr-defined]
    expected = MT940_STATEMENTS.get(path.name, int(match.group(1)))
    assert len(parsed.statements) == expected  # type: ignore[attr-defined]


def _check_camt(rel: str, row: str, parsed: object, path: Path) -> None:
    statements = parsed.statements  # type: ignore[attr-defined]
    if path.suffix == ".zip":
        assert len(statements) == 2
        assert parsed.line_count == 6  # type: ignore[attr-defined]
        return
    match = re.search(r"(\d+) Ntry / (\d+) TxDtls", row)
    assert match, row
    entries = sum(len({ln.entry_no for ln in s.lines}) for s in statements)
    assert entries == int(match.group(1))
    assert parsed.line_count == _independent_line_count(path)  # type: ignore[attr-defined]


def _independent_line_count(path: Path) -> int:
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    total = 0
    for entry in tree.iter("{*}Ntry"):
        txs = list(entry.iter("{*}TxDtls"))
        with_amount = [t for t in txs if t.find("{*}Amt") is not None
                       or t.find("{*}AmtDtls//{*}Amt") is not None]
        total += len(txs) if len(txs) > 1 and len(with_amount) == len(txs) else 1
    return total


def _check_csv(rel: str, row: str, parsed: object, path: Path) -> None:
    assert parsed.line_count == CSV_LINES[path.name]  # type: ignore[attr-defined]


def test_stmt_corpus_lenient_files_flag_their_balance(corpus: Path) -> None:
    for name, word in (("hbci4java__test-camt-parse-5200108-invalid-saldo.xml", "decimals"),
                       ("hbci4java__test-camt-parse-5200108-missing-date.xml", "no date")):
        statement = parse_file(corpus / "camt" / name).statements[0]
        assert any(word in str(w) for w in statement.warnings), statement.warnings


def test_stmt_corpus_every_file_is_listed(corpus: Path) -> None:
    on_disk = {f"{p.parent.name}/{p.name}" for p in corpus.glob("*/*")}
    assert on_disk == set(ROWS)
