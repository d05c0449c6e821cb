"""OFX / QFX (1.x SGML and 2.x XML) bank and credit-card statements via ofxparse.

The text is decoded here (the CHARSET header often lies), XML prologs are dropped
and empty elements removed, then ofxparse reads it with ``fail_fast=False``: any
transaction ofxparse had to discard makes the whole file fail (nothing is imported
silently), balance problems become warnings. Investment statements, signon-only,
profile, account-list and server-error responses are refused with a message.
Amounts are Decimals read from the file's text, FITID is the bank reference.
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.i18n import N_
from core.kernel.errors import Text
from core.statements.errors import StatementError
from core.statements.model import Statement, StatementLine, trim_raw
from core.statements.xmlsafe import dtd_problem

_EMPTY_FITID = "__LETTRAGE_EMPTY_FITID__"
_HEADER = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:UTF-8\n"
           "CHARSET:NONE\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")
_STMT_BLOCK = re.compile(r"<(STMTRS|CCSTMTRS)>(.*?)(?:</\1>|(?=<(?:STMTRS|CCSTMTRS)>)|$)",
                         re.IGNORECASE | re.DOTALL)
_TRN_BLOCK = re.compile(r"<STMTTRN>(.*?)(?=</STMTTRN>|<STMTTRN>|</BANKTRANLIST>|$)",
                        re.IGNORECASE | re.DOTALL)
_STATUS = re.compile(r"<STATUS>\s*<CODE>\s*(\d+)(.*?)</STATUS>", re.IGNORECASE | re.DOTALL)
_TAG_TEXT = r"<{tag}>\s*([^<]*)"


def parse_ofx(text: str, name: str) -> tuple[Statement, ...]:
    """Parse decoded OFX text; raise StatementError when it holds no bank statement."""
    problem = dtd_problem(text.encode("utf-8", errors="replace"))
    if problem:
        raise StatementError(name, problem)
    body = _body(text, name)
    _refuse_non_statements(body, name)
    result = _run_ofxparse(body, name)
    blocks = [m.group(2) for m in _STMT_BLOCK.finditer(body)]
    accounts = [a for a in result.accounts if type(a.statement).__name__ == "Statement"]
    if len(accounts) != len(blocks):
        raise StatementError(name, Text(N_("found {found} statements but ofxparse read "
                                            "{read}"), found=len(blocks), read=len(accounts)),
                             expected=Text(N_("well-formed STMTRS aggregates")))
    return tuple(_statement(account, block, name, index)
                 for index, (account, block) in enumerate(zip(accounts, blocks, strict=True), 1))


def _body(text: str, name: str) -> str:
    start = text.upper().find("<OFX>")
    if start < 0:
        raise StatementError(name, Text(N_("no <OFX> element")),
                             expected=Text(N_("an OFX document")))
    body = text[start:]
    body = re.sub(r"<FITID>\s*(</FITID>|(?=<))", f"<FITID>{_EMPTY_FITID}</FITID>", body,
                  flags=re.IGNORECASE)
    body = re.sub(r"<([A-Za-z0-9_.]+)>\s*</\1>", "", body)
    return body


def _refuse_non_statements(body: str, name: str) -> None:
    upper = body.upper()
    if "<STMTRS>" in upper or "<CCSTMTRS>" in upper:
        return
    if "<INVSTMTRS>" in upper:
        raise StatementError(name, Text(N_("this is an investment statement (INVSTMTRS); "
                                            "investment statements are not bank statements")),
                             expected=Text(N_("STMTRS or CCSTMTRS")))
    for match in _STATUS.finditer(body):
        if match.group(1) != "0":
            message = re.search(r"<MESSAGE>\s*([^<]*)", match.group(2), re.IGNORECASE)
            detail = f": {message.group(1).strip()}" if message else ""
            raise StatementError(name, Text(N_("the bank answered with error code {code}"
                                                "{detail}; the file holds no statement"),
                                             code=match.group(1), detail=detail))
    raise StatementError(name, Text(N_("holds no bank statement (only signon, profile or "
                                        "account list)")),
                         expected=Text(N_("a STMTRS or CCSTMTRS aggregate")))


def _run_ofxparse(body: str, name: str) -> Any:
    import ofxparse  # local: heavy import, only needed for OFX files

    data = (_HEADER + body).encode("utf-8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ofxparse.OfxParser.parse(io.BytesIO(data), fail_fast=False)
    except Exception as exc:  # ofxparse raises many types; the file is the cause
        raise StatementError(name, Text(N_("OFX not readable: {reason}"),
                                         reason=_short(exc))) from None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _statement(account: Any, block: str, name: str, index: int) -> Statement:
    stmt = account.statement
    discarded = getattr(stmt, "discarded_entries", [])
    if discarded:
        reason = " ".join(str(discarded[0].get("error", "invalid")).split())
        raise StatementError(name, Text(N_("{count} transaction(s) unreadable: {reason}"),
                                         count=len(discarded), reason=reason),
                             Text(N_("statement {index}"), index=index),
                             Text(N_("DTPOSTED, TRNAMT and FITID on every STMTTRN")))
    raws = [m.group(1) for m in _TRN_BLOCK.finditer(block)]
    currency = _clean(account.curdef) or _tag(block, "CURDEF")
    lines = tuple(_line(t, raws[i] if i < len(raws) else "", currency, i)
                  for i, t in enumerate(stmt.transactions))
    balance = _decimal(getattr(stmt, "balance", None))
    return Statement(
        source_format="ofx",
        account=_clean(account.account_id) or _clean(getattr(account, "number", None)),
        currency=currency,
        statement_date=_day(getattr(stmt, "end_date", None)),
        period_start=_day(getattr(stmt, "start_date", None)),
        period_end=_day(getattr(stmt, "end_date", None)),
        closing_balance=balance,
        closing_date=_day(getattr(stmt, "balance_date", None)) if balance is not None else None,
        lines=lines,
        warnings=tuple(" ".join(str(w).split())[:120] for w in getattr(stmt, "warnings", [])),
    )


def _line(txn: Any, raw: str, currency: str | None, index: int) -> StatementLine:
    fitid = _clean(txn.id)
    name = _clean(getattr(txn, "payee", None))
    memo = _clean(getattr(txn, "memo", None))
    return StatementLine(
        amount=_amount_from_raw(raw) or _decimal(txn.amount) or Decimal(0),
        currency=_tag(raw, "CURRENCY/CURSYM") or currency,
        booking_date=_day(txn.date),
        value_date=_day(getattr(txn, "user_date", None)),
        bank_transaction_code=_clean(getattr(txn, "type", None)),
        bank_reference=None if fitid == _EMPTY_FITID else fitid,
        counterparty_name=name,
        remittance=memo,
        check_number=_clean(getattr(txn, "checknum", None)),
        entry_no=index + 1,
        raw=trim_raw("<STMTTRN>" + raw.replace(_EMPTY_FITID, "")),
    )


def _amount_from_raw(raw: str) -> Decimal | None:
    """TRNAMT straight from the file text, so no float can slip in."""
    match = re.search(r"<TRNAMT>\s*([+-]?[\d.,]+)", raw, re.IGNORECASE)
    if not match:
        return None
    text = match.group(1)
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    text = text.replace(",", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _tag(block: str, tag: str) -> str | None:
    name = tag.split("/")[-1]
    match = re.search(_TAG_TEXT.format(tag=name), block, re.IGNORECASE)
    return _clean(match.group(1)) if match else None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None
