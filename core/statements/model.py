"""The normalized bank statement every parser produces, and its JSON form.

All formats (CAMT, OFX/QFX, MT940/MT942, CSV) end up as the same frozen
dataclasses: a :class:`ParsedFile` holding :class:`Statement` objects holding
:class:`StatementLine` objects. Amounts are ``Decimal`` and positive for money
received. ``statement_to_dict``/``parsed_to_json`` give the JSON shape used by
``lettrage statement parse FILE --json`` (amounts as strings with two decimals,
dates in ISO format).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.kernel.errors import Text

RAW_MAX = 4000
"""Longest ``raw`` text kept per line (characters)."""


def trim_raw(text: str) -> str:
    """Trim the bank's raw text for one line to :data:`RAW_MAX` characters."""
    text = text.strip()
    return text if len(text) <= RAW_MAX else text[: RAW_MAX - 1] + "…"


@dataclass(frozen=True, slots=True)
class RemittanceReference:
    """One structured remittance reference.

    ``kind`` is ``"creditor"`` for a creditor reference (ISO 11649 ``RF..``, Swiss
    QRR/ISR, SCOR) or ``"document"`` for a referred document (invoice number) with
    its amount when the bank gives one.
    """

    kind: str
    reference: str
    type_code: str | None = None
    amount: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One booked (or notified) amount on the bank account."""

    amount: Decimal
    currency: str | None
    booking_date: date | None
    value_date: date | None = None
    bank_transaction_code: str | None = None
    bank_reference: str | None = None
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    creditor_id: str | None = None
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    counterparty_bic: str | None = None
    counterparty_address: str | None = None
    remittance: str | None = None
    references: tuple[RemittanceReference, ...] = ()
    check_number: str | None = None
    reversal: bool = False
    returned: bool = False
    return_reason: str | None = None
    entry_reference: str | None = None
    entry_no: int = 0
    status: str | None = None
    bank_text: str | None = None
    raw: str = ""
    # the batch (payment information) a direct-debit credit or return belongs to
    # (camt ``NtryDtls/Btch/PmtInfId`` or ``TxDtls/Refs/PmtInfId``)
    batch_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One account statement (or report / notification) as the bank sent it."""

    source_format: str
    account: str | None
    currency: str | None
    statement_id: str | None = None
    sequence: str | None = None
    statement_date: date | None = None
    created_at: datetime | None = None
    period_start: date | None = None
    period_end: date | None = None
    opening_balance: Decimal | None = None
    opening_date: date | None = None
    closing_balance: Decimal | None = None
    closing_date: date | None = None
    lines: tuple[StatementLine, ...] = ()
    warnings: tuple[Text | str, ...] = ()  # language-neutral: worded when shown

    @property
    def name(self) -> str:
        """The number a clerk knows the statement by ("" when the bank gave none)."""
        return statement_name(self.source_format, self.statement_id, self.sequence)


def statement_name(source_format: str, statement_id: str | None,
                   sequence: str | None) -> str:
    """A statement's number as the clerk knows it: for MT940/MT942 the statement number
    of ``:28C:`` (``102/1``), because ``:20:`` is a transaction reference that many banks
    fill with a constant such as ``STARTUMSE``; for the other formats the bank's id
    (CAMT ``Stmt/Id``); "" when there is none."""
    if source_format.lower().startswith("mt94") and sequence:
        return sequence
    return statement_id or ""


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one file held: its detected format, text encoding and statements."""

    name: str
    format: str
    encoding: str | None
    statements: tuple[Statement, ...] = field(default_factory=tuple)

    @property
    def line_count(self) -> int:
        return sum(len(s.lines) for s in self.statements)


def _amount_text(value: Decimal) -> str:
    if -value.as_tuple().exponent > 2:  # type: ignore[operator]
        return str(value)  # keep sub-cent precision visible rather than round it away
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _amount_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    return value


def statement_to_dict(statement: Statement) -> dict[str, Any]:
    """A JSON-able dict: amounts as strings with two decimals, ISO dates."""
    result: dict[str, Any] = _jsonable(statement)
    result["line_count"] = len(statement.lines)
    return result


def parsed_to_dict(parsed: ParsedFile) -> dict[str, Any]:
    return {
        "name": parsed.name,
        "format": parsed.format,
        "encoding": parsed.encoding,
        "line_count": parsed.line_count,
        "statements": [statement_to_dict(s) for s in parsed.statements],
    }


def parsed_to_json(parsed: ParsedFile, indent: int | None = 2) -> str:
    """The whole parse result as JSON text."""
    return json.dumps(parsed_to_dict(parsed), indent=indent, ensure_ascii=False)
