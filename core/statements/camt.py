"""ISO 20022 CAMT.052 / .053 / .054 parser (every version, namespace-agnostic).

Streams the document with ``lxml.etree.iterparse`` and handles one ``Ntry`` at a
time, removing it from the tree afterwards, so memory stays flat for large files.
Batch bookings are split into one line per ``TxDtls``; every split line keeps the
entry's reference. Balances: OPBD/PRCD opening, CLBD closing (CLAV only when no
CLBD). Elements are matched by local name, so the namespace version is irrelevant.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from core.i18n import N_
from core.kernel.errors import Text
from core.kernel.money import AmountError, exponent, parse_amount
from core.statements.errors import ELEMENT, LINE, LINE_ELEMENT, StatementError
from core.statements.model import RemittanceReference, Statement, StatementLine, trim_raw
from core.statements.xmlsafe import MAX_DEPTH, PARSER_OPTIONS, dtd_problem
from core.statements.xmltree import (
    DepthError,
    Flat,
    element_path,
    flatten,
    local_name,
    max_depth_of,
)

_STMT_NAMES = frozenset({"Stmt", "Rpt", "Ntfctn"})
_NTRY_STOPS = frozenset({"TxDtls"})
_TX_STOPS = frozenset({"Strd"})
_STMT_STOPS = frozenset({"Bal", "Ntry"})
_EVENT_TAGS = ("{*}Ntry", "{*}Stmt", "{*}Rpt", "{*}Ntfctn")
_VERSION = re.compile(r"camt\.05[234]\.\d{3}\.\d{2}")
_NOT_PROVIDED = {"NOTPROVIDED", "NONREF", "NONE"}

AMOUNT_LIKE = N_("an amount like 123.45")


class _Fail(Exception):
    """Internal: a problem at an element, turned into StatementError by the caller."""

    def __init__(self, element: Any, problem: Text, expected: Text | str | None = None) -> None:
        super().__init__(problem)
        self.element = element
        self.problem = problem
        self.expected = expected


def parse_camt(data: bytes, name: str) -> tuple[Statement, ...]:
    """Parse a CAMT document; raise StatementError naming the element on failure."""
    problem = dtd_problem(data)
    if problem:
        raise StatementError(name, problem)
    try:
        return _parse(data)
    except _Fail as fail:
        raise StatementError(name, fail.problem, _where(fail.element), fail.expected) from None
    except DepthError as exc:
        raise StatementError(name, Text(N_("elements nested deeper than {depth} levels, "
                                            "refused"), depth=MAX_DEPTH),
                             _where(exc.element)) from None
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise StatementError(name, Text(N_("XML is not well-formed: {reason}"), reason=exc.msg),
                             Text(LINE, line=line) if line else None) from None


def _where(element: Any) -> Text:
    line = getattr(element, "sourceline", None)
    path = element_path(element)
    return Text(LINE_ELEMENT, line=line, path=path) if line else Text(ELEMENT, path=path)


def _parse(data: bytes) -> tuple[Statement, ...]:
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag=_EVENT_TAGS,
                             **PARSER_OPTIONS)
    statements: list[Statement] = []
    lines: list[StatementLine] = []
    version = "camt"
    entry_no = 0
    for _event, element in events:
        name = local_name(element.tag)
        parent = element.getparent()
        if name == "Ntry":
            if parent is None or local_name(parent.tag) not in _STMT_NAMES:
                raise _Fail(element, Text(N_("entry outside a statement")),
                            Text(N_("Ntry inside Stmt/Rpt/Ntfctn")))
            entry_no += 1
            lines.extend(_entry_lines(element, entry_no))
            parent.remove(element)
            continue
        if parent is None or not local_name(parent.tag).startswith(("BkToCstmr", "BkToCst")):
            continue  # e.g. an Rpt element somewhere else: not a statement block
        version = _version_of(element.tag)
        statements.append(_statement(element, tuple(lines), version))
        lines = []
        entry_no = 0
        parent.remove(element)
    root = events.root
    if root is not None:
        max_depth_of(root, 1, MAX_DEPTH)
    if not statements:
        where = root if root is not None else None
        raise _Fail(where, Text(N_("no statement found (no Stmt, Rpt or Ntfctn element)")),
                    Text(N_("a camt.052 report, camt.053 statement or camt.054 "
                            "notification")))
    return tuple(statements)


def _version_of(tag: str) -> str:
    match = _VERSION.search(tag)
    return match.group(0) if match else "camt"


# --- statement header ---------------------------------------------------------------


def _statement(element: Any, lines: tuple[StatementLine, ...], version: str) -> Statement:
    flat = flatten(element, _STMT_STOPS, 3, MAX_DEPTH)
    warnings: list[Text | str] = []
    balances = [_balance(b, warnings) for b in flat.subs.get("Bal", [])]
    opening = _pick(balances, ("OPBD", "PRCD"), first=True) or _pick(balances, ("OPAV",), True)
    closing = _pick(balances, ("CLBD",), first=False) or _pick(balances, ("CLAV",), first=False)
    created = _datetime(flat.first("CreDtTm"))
    period_end = _date_any(flat.first("FrToDt/ToDtTm", "FrToDt/ToDt"))
    currency = flat.first("Acct/Ccy") or _first_currency(balances, lines)
    return Statement(
        source_format=version,
        account=flat.first("Acct/Id/IBAN", "Acct/Id/Othr/Id", "Acct/Id/PrtryAcct/Id",
                           "Acct/Id/BBAN", "Acct/Id/UPIC"),
        currency=currency,
        statement_id=flat.first("Id"),
        sequence=flat.first("ElctrncSeqNb", "LglSeqNb"),
        statement_date=period_end or (closing[2] if closing else None)
        or (created.date() if created else None),
        created_at=created,
        period_start=_date_any(flat.first("FrToDt/FrDtTm", "FrToDt/FrDt")),
        period_end=period_end,
        opening_balance=opening[1] if opening else None,
        opening_date=opening[2] if opening else None,
        closing_balance=closing[1] if closing else None,
        closing_date=closing[2] if closing else None,
        lines=lines,
        warnings=tuple(warnings),
    )


_Balance = tuple[str, Decimal, date | None, str | None]


def _balance(element: Any, warnings: list[Text | str]) -> _Balance:
    flat = flatten(element, frozenset(), 4, MAX_DEPTH)
    code = flat.first("Tp/CdOrPrtry/Cd", "Tp/Cd", "Tp/CdOrPrtry/Prtry", "Tp/Prtry") or "?"
    currency = flat.first("Amt@Ccy")
    amount = _amount(element, flat.first("Amt"), "balance Amt")
    indicator = flat.first("CdtDbtInd")
    if indicator == "DBIT":
        amount = -amount
    elif indicator is None:
        warnings.append(Text(N_("balance {code} has no CdtDbtInd; read as credit"), code=code))
    day = _date_any(flat.first("Dt/Dt", "Dt/DtTm"))
    if day is None:
        warnings.append(Text(N_("balance {code} has no date"), code=code))
    if -amount.as_tuple().exponent > exponent(currency):  # type: ignore[operator]
        warnings.append(Text(N_("balance {code} {amount} has more decimals than {currency} "
                                "allows"), code=code, amount=amount, currency=currency))
    return code, amount, day, currency


def _pick(balances: list[_Balance], codes: tuple[str, ...], first: bool) -> _Balance | None:
    for code in codes:
        found = [b for b in balances if b[0] == code]
        if found:
            dated = sorted(found, key=lambda b: b[2] or date.min)
            return dated[0] if first else dated[-1]
    return None


def _first_currency(balances: list[_Balance], lines: tuple[StatementLine, ...]) -> str | None:
    for bal in balances:
        if bal[3]:
            return bal[3]
    return lines[0].currency if lines else None


# --- entries ---------------------------------------------------------------------------


def _entry_lines(entry: Any, entry_no: int) -> list[StatementLine]:
    flat = flatten(entry, _NTRY_STOPS, 4, MAX_DEPTH)
    head = _EntryHead.read(entry, flat, entry_no)
    head.booking = _entry_date(entry, flat, "BookgDt")
    head.value = _entry_date(entry, flat, "ValDt")
    txs = flat.subs.get("TxDtls", [])
    if not txs:
        return [head.line(None, head.amount, head.currency, trim_raw(_xml(entry)))]
    if len(txs) == 1:
        return [head.line(_tx_flat(txs[0]), head.amount, head.currency, trim_raw(_xml(entry)))]
    flats = [_tx_flat(tx) for tx in txs]
    amounts = [_tx_amount(tx, f, head) for tx, f in zip(txs, flats, strict=True)]
    if any(a is None for a in amounts):  # no amounts to split by: one line, all details
        line = head.line(flats[0], head.amount, head.currency, trim_raw(_xml(entry)))
        texts = [t for f in flats for t in f.all("RmtInf/Ustrd")]
        return [replace(line, remittance=" ".join(texts) or None,
                        references=tuple(r for f in flats for r in _references(f)))]
    return [head.line(f, a[0], a[1], trim_raw(_xml(tx)))  # type: ignore[index]
            for tx, f, a in zip(txs, flats, amounts, strict=True)]


def _tx_flat(tx: Any) -> Flat:
    return flatten(tx, _TX_STOPS, 6, MAX_DEPTH)


def _tx_amount(tx: Any, flat: Flat, head: _EntryHead) -> tuple[Decimal, str | None] | None:
    for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/CntrValAmt/Amt", "AmtDtls/InstdAmt/Amt"):
        text = flat.first(path)
        if text:
            value = _amount(tx, text, f"TxDtls/{path}")
            indicator = flat.first("CdtDbtInd")
            sign = head.sign if indicator is None else _sign(tx, indicator)
            return value * sign, flat.first(path + "@Ccy") or head.currency
    return None


def _xml(element: Any) -> str:
    return str(etree.tostring(element, encoding="unicode", with_tail=False))


class _EntryHead:
    """The entry-level facts every line of one Ntry shares."""

    __slots__ = ("amount", "booking", "code", "currency", "entry_no", "flat", "info", "reference",
                 "reversal", "sign", "status", "value")

    def __init__(self, flat: Flat, entry_no: int, amount: Decimal, currency: str | None,
                 sign: int) -> None:
        self.flat = flat
        self.entry_no = entry_no
        self.amount = amount
        self.currency = currency
        self.sign = sign
        self.reversal = (flat.first("RvslInd") or "").lower() in ("true", "1")
        self.status = flat.first("Sts", "Sts/Cd", "Sts/Prtry")
        self.reference = flat.first("AcctSvcrRef", "NtryRef")
        self.code = _bank_code(flat, "BkTxCd")
        self.info = flat.first("AddtlNtryInf")
        self.booking: date | None = None
        self.value: date | None = None

    @classmethod
    def read(cls, entry: Any, flat: Flat, entry_no: int) -> _EntryHead:
        text = flat.first("Amt")
        if text is None:
            raise _Fail(entry, Text(N_("entry without amount")), "Ntry/Amt")
        indicator = flat.first("CdtDbtInd")
        if indicator is None:
            raise _Fail(entry, Text(N_("entry without credit/debit indicator")),
                        "Ntry/CdtDbtInd")
        sign = _sign(entry, indicator)
        amount = _amount(entry, text, "Ntry/Amt") * sign
        return cls(flat, entry_no, amount, flat.first("Amt@Ccy"), sign)

    def line(self, tx: Flat | None, amount: Decimal, currency: str | None,
             raw: str) -> StatementLine:
        t = tx or Flat()
        role = "Dbtr" if amount >= 0 else "Cdtr"
        mandate = t.first("Refs/MndtId")
        return StatementLine(
            amount=amount,
            currency=currency,
            booking_date=self.booking,
            value_date=self.value,
            bank_transaction_code=_bank_code(t, "BkTxCd") or self.code,
            bank_reference=t.first("Refs/AcctSvcrRef") or (self.reference if tx is None or
                                                           amount == self.amount else None),
            end_to_end_id=_clean_ref(t.first("Refs/EndToEndId")),
            mandate_id=mandate,
            creditor_id=_creditor_id(t) if mandate else None,
            counterparty_name=_party_name(t, role),
            counterparty_iban=t.first(f"RltdPties/{role}Acct/Id/IBAN",
                                      f"RltdPties/{role}Acct/Id/Othr/Id"),
            counterparty_bic=t.first(f"RltdAgts/{role}Agt/FinInstnId/BIC",
                                     f"RltdAgts/{role}Agt/FinInstnId/BICFI"),
            counterparty_address=_address(t, role),
            remittance=" ".join(t.all("RmtInf/Ustrd")) or None,
            references=_references(t),
            check_number=t.first("Refs/ChqNb"),
            reversal=self.reversal,
            returned=bool(t.under("RtrInf")),
            return_reason=t.first("RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry"),
            entry_reference=self.reference,
            entry_no=self.entry_no,
            status=self.status,
            bank_text=t.first("AddtlTxInf") or self.info,
            raw=raw,
            batch_ref=_clean_ref(t.first("Refs/PmtInfId")
                                 or self.flat.first("NtryDtls/Btch/PmtInfId")),
        )


def _party_name(t: Flat, role: str) -> str | None:
    return t.first(f"RltdPties/{role}/Nm", f"RltdPties/{role}/Pty/Nm",
                   f"RltdPties/Ultmt{role}/Nm", f"RltdPties/Ultmt{role}/Pty/Nm")


def _address(t: Flat, role: str) -> str | None:
    parts = t.under(f"RltdPties/{role}/PstlAdr") or t.under(f"RltdPties/{role}/Pty/PstlAdr")
    return ", ".join(parts) or None


def _creditor_id(t: Flat) -> str | None:
    return t.first("RltdPties/Cdtr/Id/PrvtId/Othr/Id", "RltdPties/Cdtr/Pty/Id/PrvtId/Othr/Id",
                   "RltdPties/CdtrSchmeId/Id/PrvtId/Othr/Id")


def _references(t: Flat) -> tuple[RemittanceReference, ...]:
    refs: list[RemittanceReference] = []
    for strd in t.subs.get("Strd", []):
        refs.extend(_strd_references(strd))
    return tuple(refs)


def _strd_references(strd: Any) -> Iterator[RemittanceReference]:
    s = flatten(strd, frozenset(), 8, MAX_DEPTH)
    creditor = s.first("CdtrRefInf/Ref")
    if creditor:
        yield RemittanceReference(
            "creditor", creditor,
            s.first("CdtrRefInf/Tp/CdOrPrtry/Cd", "CdtrRefInf/Tp/CdOrPrtry/Prtry",
                    "CdtrRefInf/CdtrRefTp/Cd", "CdtrRefInf/Tp/Issr"))
    numbers = s.all("RfrdDocInf/Nb")
    amount_text = s.first("RfrdDocAmt/RmtdAmt", "RfrdDocAmt/DuePyblAmt")
    amount_ccy = s.first("RfrdDocAmt/RmtdAmt@Ccy", "RfrdDocAmt/DuePyblAmt@Ccy")
    amount = _amount(strd, amount_text, "RfrdDocAmt") if amount_text else None
    code = s.first("RfrdDocInf/Tp/CdOrPrtry/Cd", "RfrdDocInf/Tp/CdOrPrtry/Prtry")
    for number in numbers:
        single = len(numbers) == 1
        yield RemittanceReference("document", number, code, amount if single else None,
                                  amount_ccy if single else None)


def _bank_code(flat: Flat, prefix: str) -> str | None:
    domain = flat.first(f"{prefix}/Domn/Cd")
    if domain:
        family = flat.first(f"{prefix}/Domn/Fmly/Cd")
        sub = flat.first(f"{prefix}/Domn/Fmly/SubFmlyCd")
        return "-".join(p for p in (domain, family, sub) if p)
    return flat.first(f"{prefix}/Prtry/Cd")


def _clean_ref(value: str | None) -> str | None:
    if value is None or value.upper() in _NOT_PROVIDED:
        return None
    return value


# --- scalars -----------------------------------------------------------------------------


def _sign(element: Any, indicator: str) -> int:
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise _Fail(element, Text(N_("credit/debit indicator '{value}'"), value=indicator),
                Text(N_("CRDT or DBIT")))


def _amount(element: Any, text: str | None, what: str) -> Decimal:
    if text is None:
        raise _Fail(element, Text(N_("missing {what}"), what=what), Text(AMOUNT_LIKE))
    try:
        return parse_amount(text)
    except AmountError:
        raise _Fail(element, Text(N_("{what} '{value}' is not an amount"), what=what,
                                 value=text[:40]), Text(AMOUNT_LIKE)) from None


def _entry_date(entry: Any, flat: Flat, name: str) -> date | None:
    text = flat.first(f"{name}/Dt", f"{name}/DtTm")
    if text is None:
        return None
    day = _date_any(text)
    if day is None:
        raise _Fail(entry, Text(N_("{what} '{value}' is not a date"), what=name,
                                value=text[:30]), "YYYY-MM-DD")
    return day


def _date_any(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _datetime(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        day = _date_any(text)
        return datetime(day.year, day.month, day.day) if day else None
