"""SWIFT MT940 / MT942 parser (own tokenizer, tolerant of real-world files).

Handles SWIFT envelopes (``{1:}{2:}{4:`` … ``-}``), SOH/ETX and Ctrl-Z bytes, legacy
``:940:``/``:9401:`` first lines, blank and space-led continuation lines, ``:NS:``
non-SWIFT fields, several statements per file, and 30 February (corrected to the
month's last day with a warning). A ``:61:`` without a ``:20:`` header, or a file
without tags, is refused. The ``:86:`` layouts are read in :mod:`mt940_details`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from core.i18n import N_
from core.kernel.errors import Text
from core.statements.errors import LINE, StatementError
from core.statements.model import Statement, StatementLine, trim_raw
from core.statements.mt940_details import Details, parse_details, parse_ns

KNOWN_TAGS = frozenset({
    "20", "21", "25", "25P", "28", "28C", "13", "13D", "34F", "60F", "60M", "61", "86",
    "62F", "62M", "64", "65", "90D", "90C", "NS",
})
_TAG = re.compile(r"^:(\d{2}[A-Z]?|NS):(.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENVELOPE = re.compile(r"\{[1235]:[^{}]*\}|\{5:.*$|\{4:|^-\}|\}$")
_LEGACY_HEADER = re.compile(r"^:?9\d{2,3}:?$")
_LINE61 = re.compile(
    r"^(?P<vd>\d{6})(?P<ed>\d{4})?(?P<mark>RC|RD|EC|ED|C|D)(?P<fc>[A-Z])?"
    r"(?P<amt>\d[\d,.]*)(?P<type>[A-Z][A-Z0-9 ]{3})?(?P<cref>.*?)(?://(?P<bref>.*))?$"
)
_BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})?(?P<amt>\d[\d,.]*)$")
_ACCOUNT_CCY = re.compile(r"^(?P<acct>.*?\d)\s*(?P<ccy>[A-Z]{3})$")


@dataclass(slots=True)
class _Field:
    tag: str
    lines: list[str]
    lineno: int

    @property
    def text(self) -> str:
        return "".join(self.lines).strip()

    @property
    def head(self) -> str:
        """The first line only (balances and references are one line long)."""
        return self.lines[0].strip()


@dataclass(slots=True)
class _Builder:
    start: _Field
    fields: list[_Field] = field(default_factory=list)

STARTING_20 = N_("a statement starting with :20:")
AMOUNT_LIKE = N_("an amount like 100,00")
NO_DATE = N_("date {value} does not exist")
REAL_DATE = N_("a real calendar date")


class _Fail(Exception):
    def __init__(self, lineno: int, problem: Text, expected: Text | None = None) -> None:
        super().__init__(problem)
        self.lineno = lineno
        self.problem = problem
        self.expected = expected


def parse_mt940(text: str, name: str) -> tuple[tuple[Statement, ...], str]:
    """Parse MT940/MT942 text; return the statements and ``"mt940"`` or ``"mt942"``."""
    try:
        fields = tokenize(text)
        if not fields:
            raise _Fail(1, Text(N_("no MT940 fields found")),
                        Text(N_("lines starting with :20:, :25:, :61:...")))
        builders = _group(fields)
        if not builders:
            raise _Fail(fields[0].lineno, Text(N_("no statement header :20: found")),
                        Text(STARTING_20))
        kind = "mt942" if _is_942(fields) else "mt940"
        return _statements(builders, kind), kind
    except _Fail as fail:
        raise StatementError(name, fail.problem, Text(LINE, line=fail.lineno),
                             fail.expected) from None


def tokenize(text: str) -> list[_Field]:
    """Split the text into tagged fields with their continuation lines."""
    fields: list[_Field] = []
    current: _Field | None = None
    for lineno, raw in enumerate(_CONTROL.sub("", text.replace("\r\n", "\n")).split("\n"), 1):
        line = _ENVELOPE.sub("", raw.replace("\r", "")).rstrip()
        stripped = line.strip()
        if not stripped or stripped == "-" or _LEGACY_HEADER.match(stripped):
            continue
        match = _TAG.match(line)
        if match and match.group(1) in KNOWN_TAGS:
            current = _Field(match.group(1), [match.group(2)], lineno)
            fields.append(current)
        elif current is not None:
            current.lines.append(line)
    return fields


def _group(fields: list[_Field]) -> list[_Builder]:
    builders: list[_Builder] = []
    for fld in fields:
        if fld.tag == "20":
            builders.append(_Builder(fld))
        elif builders:
            builders[-1].fields.append(fld)
        elif fld.tag in ("61", "60F", "60M", "62F", "62M", "25"):
            raise _Fail(fld.lineno, Text(N_("field :{tag}: before any statement header :20:"),
                                        tag=fld.tag), Text(STARTING_20))
    return builders


def _is_942(fields: list[_Field]) -> bool:
    tags = {f.tag for f in fields}
    return bool(tags & {"34F", "13D", "90D", "90C"}) and not tags & {"60F", "60M"}


# --- one statement ---------------------------------------------------------------------------


@dataclass(slots=True)
class _State:
    account: str | None = None
    currency: str | None = None
    sequence: str | None = None
    opening: tuple[Decimal, date, str | None] | None = None
    closing: tuple[Decimal, date, str | None] | None = None
    txns: list[tuple[_Field, _Field | None]] = field(default_factory=list)
    warnings: list[Text | str] = field(default_factory=list)


def _statements(builders: list[_Builder], kind: str) -> tuple[Statement, ...]:
    statements: list[Statement] = []
    for builder in builders:
        if not builder.fields and statements:
            last = statements.pop()
            note = Text(N_("line {line}: statement header :20: without any other field "
                           "ignored"), line=builder.start.lineno)
            statements.append(replace(last, warnings=(*last.warnings, note)))
            continue
        statements.append(_statement(builder, kind))
    return tuple(statements)


def _statement(builder: _Builder, kind: str) -> Statement:
    state = _State()
    for fld in builder.fields:
        _apply(fld, state)
    if state.account is None:
        raise _Fail(builder.start.lineno,
                    Text(N_("statement without account identification :25:")),
                    Text(N_(":25: after :20:")))
    if state.closing is None and kind == "mt940":
        state.warnings.append(Text(N_("line {line}: statement without closing balance"),
                                   line=builder.start.lineno))
    currency = state.currency or (state.opening[2] if state.opening else None) or (
        state.closing[2] if state.closing else None)
    lines = tuple(_line(f61, f86, currency, state.warnings) for f61, f86 in state.txns)
    return Statement(
        source_format=kind,
        account=state.account,
        currency=currency,
        statement_id=builder.start.head or None,
        sequence=state.sequence,
        statement_date=state.closing[1] if state.closing else None,
        opening_balance=state.opening[0] if state.opening else None,
        opening_date=state.opening[1] if state.opening else None,
        closing_balance=state.closing[0] if state.closing else None,
        closing_date=state.closing[1] if state.closing else None,
        lines=lines,
        warnings=tuple(state.warnings),
    )


def _apply(fld: _Field, state: _State) -> None:
    tag = fld.tag
    if tag == "25":
        if state.account is not None and state.txns:
            state.warnings.append(Text(N_("line {line}: second :25: after transactions "
                                          "ignored"), line=fld.lineno))
            return
        state.account, ccy = _account(fld.text)
        state.currency = state.currency or ccy
    elif tag in ("28", "28C"):
        state.sequence = fld.text or None
    elif tag in ("60F", "60M"):
        if state.opening is None:
            state.opening = _balance(fld, state.warnings)
            state.currency = state.opening[2] or state.currency
    elif tag in ("62F", "62M"):
        state.closing = _balance(fld, state.warnings)
    elif tag == "61":
        state.txns.append((fld, None))
    elif tag in ("86", "NS") and state.txns and state.txns[-1][1] is None:
        state.txns[-1] = (state.txns[-1][0], fld)
    elif tag == "34F" and state.currency is None:
        match = re.match(r"([A-Z]{3})", fld.text)
        state.currency = match.group(1) if match else None


def _account(text: str) -> tuple[str | None, str | None]:
    text = text.strip()
    match = _ACCOUNT_CCY.match(text)
    if match:
        return match.group("acct").strip() or None, match.group("ccy")
    return text or None, None


def _balance(fld: _Field, warnings: list[Text | str]) -> tuple[Decimal, date, str | None]:
    text = fld.head.replace(" ", "")
    match = _BALANCE.match(text)
    if match is None:
        raise _Fail(fld.lineno, Text(N_(":{tag}: balance '{value}' not understood"),
                                     tag=fld.tag, value=text[:40]),
                    Text(N_("C or D, date YYMMDD, currency, amount like C230209EUR100,00")))
    amount = _amount(fld, match.group("amt"))
    if match.group("mark") == "D":
        amount = -amount
    day = _yymmdd(fld, match.group("date"), warnings)
    return amount, day, match.group("ccy")


def _line(f61: _Field, f86: _Field | None, currency: str | None,
          warnings: list[Text | str]) -> StatementLine:
    head = f61.lines[0].strip()
    match = _LINE61.match(head)
    extra_lines = f61.lines[1:]
    if match is None and len(f61.lines) > 1:
        head = (f61.lines[0] + f61.lines[1]).strip()
        match = _LINE61.match(head)
        extra_lines = f61.lines[2:]
    if match is None:
        raise _Fail(f61.lineno, Text(N_(":61: line '{value}' not understood"), value=head[:50]),
                    Text(N_("value date YYMMDD, [entry date MMDD], C/D/RC/RD, amount, "
                            "type code")))
    value_date = _yymmdd(f61, match.group("vd"), warnings)
    booking = _entry_date(f61, match.group("ed"), value_date, warnings)
    mark = match.group("mark")
    amount = _amount(f61, match.group("amt"))
    if mark in ("D", "RC", "ED"):
        amount = -amount
    details = _details(f86)
    type_code = (match.group("type") or "").strip() or None
    cref = (match.group("cref") or "").strip()
    bref = (match.group("bref") or "").strip() or None
    return StatementLine(
        amount=amount,
        currency=currency,
        booking_date=booking,
        value_date=value_date,
        bank_transaction_code=details.code or type_code,
        bank_reference=bref,
        end_to_end_id=details.end_to_end_id,
        mandate_id=details.mandate_id,
        creditor_id=details.creditor_id,
        counterparty_name=details.name,
        counterparty_iban=details.iban or _supplementary_account(extra_lines),
        counterparty_bic=details.bic,
        counterparty_address=details.address,
        remittance=details.remittance,
        check_number=cref if type_code and type_code.endswith("CHK") and cref else None,
        reversal=mark in ("RC", "RD"),
        returned=details.returned,
        return_reason=details.return_reason,
        entry_reference=cref if cref and cref.upper() != "NONREF" else None,
        entry_no=0,
        bank_text=details.bank_text,
        raw=trim_raw(_raw(f61, f86)),
    )


def _details(f86: _Field | None) -> Details:
    if f86 is None:
        return Details()
    if f86.tag == "NS":
        return parse_ns(f86.lines)
    return parse_details(f86.lines)


def _supplementary_account(lines: list[str]) -> str | None:
    for line in lines:
        token = line.strip().split(" ")[0]
        if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", token):
            return token
    return None


def _raw(f61: _Field, f86: _Field | None) -> str:
    text = ":61:" + "\n".join(f61.lines)
    if f86 is not None:
        text += f"\n:{f86.tag}:" + "\n".join(f86.lines)
    return text


# --- scalars ------------------------------------------------------------------------------------


def _amount(fld: _Field, text: str) -> Decimal:
    if "," in text and "." in text:
        raise _Fail(fld.lineno, Text(N_("amount '{value}' has both ',' and '.'"), value=text),
                    Text(AMOUNT_LIKE))
    try:
        return Decimal(text.replace(",", ".").rstrip(".") or "x")
    except InvalidOperation:
        raise _Fail(fld.lineno, Text(N_("amount '{value}' is not a number"), value=text),
                    Text(AMOUNT_LIKE)) from None


def _yymmdd(fld: _Field, text: str, warnings: list[Text | str]) -> date:
    year = 2000 + int(text[:2]) if int(text[:2]) < 80 else 1900 + int(text[:2])
    return _make_date(fld, year, int(text[2:4]), int(text[4:6]), warnings)


def _entry_date(fld: _Field, text: str | None, value: date, warnings: list[Text | str]) -> date:
    if not text:
        return value
    month, day = int(text[:2]), int(text[2:])
    year = value.year
    if month == 12 and value.month == 1:
        year -= 1
    elif month == 1 and value.month == 12:
        year += 1
    return _make_date(fld, year, month, day, warnings)


def _make_date(fld: _Field, year: int, month: int, day: int, warnings: list[Text | str]) -> date:
    if not 1 <= month <= 12 or day < 1:
        raise _Fail(fld.lineno, Text(NO_DATE, value=f"{year}-{month:02d}-{day:02d}"),
                    Text(REAL_DATE))
    last = calendar.monthrange(year, month)[1]
    if day > last:
        if day > 31:
            raise _Fail(fld.lineno, Text(NO_DATE, value=f"{year}-{month:02d}-{day:02d}"),
                        Text(REAL_DATE))
        warnings.append(Text(N_("line {line}: date {value} does not exist; read as {read}"),
                             line=fld.lineno, value=f"{year}-{month:02d}-{day:02d}",
                             read=date(year, month, last)))
        day = last
    return date(year, month, day)
