"""CSV bank exports read through a :class:`~core.statements.profiles.Profile`.

Finds the header row (after ``skip_lines``, by the profile's header names), maps
each data row to a :class:`StatementLine`, applies the sign convention, skips
section-note rows and rows the profile filters out (each with a warning), and
derives opening/closing balances from a running-balance column when one is mapped.
Every bad cell is reported with its CSV row number and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from core.i18n import N_
from core.kernel.errors import Text
from core.kernel.money import AmountError, parse_amount
from core.statements.errors import CSV_ROW, StatementError
from core.statements.model import Statement, StatementLine, trim_raw
from core.statements.profiles import Profile, find_header, norm_header

_NOT_AMOUNT = re.compile(r"[^\d.,'+\-()]")
csv.field_size_limit(1024 * 1024)


class _Fail(Exception):
    def __init__(self, row: int, problem: Text, expected: Text | None = None) -> None:
        super().__init__(problem)
        self.row = row
        self.problem = problem
        self.expected = expected


def read_rows(text: str, profile: Profile) -> list[list[str]]:
    lines = text.splitlines()[profile.skip_lines:]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=profile.delimiter,
                        quotechar=profile.quotechar)
    return [list(row) for row in reader]


def parse_csv(text: str, profile: Profile, name: str) -> Statement:
    """Read decoded CSV ``text`` with ``profile`` into one statement."""
    try:
        return _parse(text, profile)
    except _Fail as fail:
        raise StatementError(name, fail.problem, Text(CSV_ROW, row=fail.row),
                             fail.expected) from None
    except csv.Error as exc:
        raise StatementError(name, Text(N_("CSV not readable: {reason}"),
                                         reason=str(exc))) from None


def _parse(text: str, profile: Profile) -> Statement:
    rows = read_rows(text, profile)
    start, index = _header(rows, profile)
    warnings: list[Text | str] = []
    lines: list[StatementLine] = []
    balances: list[tuple[date, Decimal, Decimal]] = []
    needed = max((i for key, cols in index.items() if not key.startswith("skip:")
                  for i in cols), default=0) + 1
    for offset, row in enumerate(rows[start:], start=start):
        rowno = offset + 1 + profile.skip_lines
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < needed and sum(1 for c in row if c.strip()) <= 1:
            warnings.append(Text(N_("CSV row {row} skipped: not a transaction ({text})"),
                                 row=rowno, text=repr(row[0][:40])))
            continue
        if _filtered(row, index, profile):
            warnings.append(Text(N_("CSV row {row} skipped by the profile's skip_when rule"),
                                 row=rowno))
            continue
        line = _line(row, rowno, index, profile, len(lines) + 1)
        lines.append(line)
        balance = _optional_amount(row, rowno, index, profile, "balance")
        if balance is not None and line.booking_date is not None:
            balances.append((line.booking_date, balance, line.amount))
    return _statement(profile, rows, index, lines, balances, warnings)


def _header(rows: list[list[str]], profile: Profile) -> tuple[int, dict[str, list[int]]]:
    if not profile.has_header:
        return 0, _indexes(profile, {})
    names = profile.header_names()
    found = find_header(rows, names) if names else 0
    if found is None:
        raise _Fail(1 + profile.skip_lines, Text(N_("header row not found")),
                    Text(N_("a header with {names}"),
                         names=", ".join(repr(n) for n in names)))
    positions: dict[str, int] = {}
    for i, cell in enumerate(rows[found]):
        positions.setdefault(norm_header(cell), i)
    return found + 1, _indexes(profile, positions)


def _indexes(profile: Profile, positions: dict[str, int]) -> dict[str, list[int]]:
    result: dict[str, list[int]] = {}
    for key, ref in profile.columns.items():
        items = ref if isinstance(ref, list) else [ref]
        found = [_position(item, positions) for item in items]
        present = [i for i in found if i is not None]
        if present:
            result[key] = present
        elif key not in profile.optional_columns:
            raise _Fail(1, Text(N_("column '{column}' for {key} not in the header"),
                                column=ref, key=key))
    for header in profile.skip_when:
        position = _position(header, positions)
        if position is not None:
            result[f"skip:{header}"] = [position]
    return result


def _position(item: str | int, positions: dict[str, int]) -> int | None:
    if isinstance(item, int):
        return item
    return positions.get(norm_header(item))


def _cell(row: Sequence[str], index: dict[str, list[int]], key: str) -> str:
    parts = [row[i].strip() for i in index.get(key, []) if i < len(row) and row[i].strip()]
    return " ".join(" ".join(parts).split())


def _filtered(row: Sequence[str], index: dict[str, list[int]], profile: Profile) -> bool:
    for header, values in profile.skip_when.items():
        for position in index.get(f"skip:{header}", []):
            if position < len(row) and row[position].strip() in values:
                return True
    return False


def _line(row: Sequence[str], rowno: int, index: dict[str, list[int]], profile: Profile,
          entry_no: int) -> StatementLine:
    def text(key: str) -> str | None:
        return _cell(row, index, key) or None

    return StatementLine(
        amount=_signed_amount(row, rowno, index, profile),
        currency=text("currency") or profile.currency,
        booking_date=_date(row, rowno, index, profile, "booking_date", required=True),
        value_date=_date(row, rowno, index, profile, "value_date", required=False),
        bank_transaction_code=text("bank_transaction_code"),
        bank_reference=text("bank_reference"),
        end_to_end_id=text("end_to_end_id"),
        mandate_id=text("mandate_id"),
        creditor_id=text("creditor_id"),
        counterparty_name=text("counterparty_name"),
        counterparty_iban=(text("counterparty_iban") or "").replace(" ", "") or None,
        counterparty_bic=text("counterparty_bic"),
        counterparty_address=text("counterparty_address"),
        remittance=text("remittance"),
        check_number=text("check_number"),
        entry_no=entry_no,
        bank_text=text("bank_text"),
        raw=trim_raw(profile.delimiter.join(row)),
    )


def _signed_amount(row: Sequence[str], rowno: int, index: dict[str, list[int]],
                   profile: Profile) -> Decimal:
    if "amount" in index:
        amount = _optional_amount(row, rowno, index, profile, "amount")
        if amount is None:
            raise _Fail(rowno, Text(N_("empty amount")),
                        Text(N_("an amount in column '{column}'"),
                             column=profile.columns['amount']))
    else:
        credit = _optional_amount(row, rowno, index, profile, "credit") or Decimal(0)
        debit = _optional_amount(row, rowno, index, profile, "debit") or Decimal(0)
        if not _cell(row, index, "credit") and not _cell(row, index, "debit"):
            raise _Fail(rowno, Text(N_("neither debit nor credit amount")),
                        Text(N_("an amount in one of them")))
        amount = abs(credit) - abs(debit)
    if profile.sign == "inverted":
        return -amount
    if profile.sign == "indicator":
        flag = _cell(row, index, "indicator").upper()
        if flag in (v.upper() for v in profile.debit_values):
            return -abs(amount)
        if flag in (v.upper() for v in profile.credit_values):
            return abs(amount)
        raise _Fail(rowno, Text(N_("debit/credit indicator '{value}' not understood"),
                           value=flag),
                    Text(N_("one of {values}"), values=", ".join(
                        profile.credit_values + profile.debit_values)))
    return amount


def _optional_amount(row: Sequence[str], rowno: int, index: dict[str, list[int]],
                     profile: Profile, key: str) -> Decimal | None:
    raw = _cell(row, index, key)
    if not raw:
        return None
    text = _NOT_AMOUNT.sub("", raw)
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    try:
        value = parse_amount(text, profile.decimal_separator, profile.thousands_separator)
    except AmountError:
        raise _Fail(rowno, Text(N_("{what} '{value}' is not an amount"), what=key,
                                value=raw[:40]),
                    Text(N_("decimal separator '{decimal}', thousands '{thousands}'"),
                         decimal=profile.decimal_separator,
                         thousands=profile.thousands_separator)) from None
    return -value if negative else value


def _date(row: Sequence[str], rowno: int, index: dict[str, list[int]], profile: Profile,
          key: str, required: bool) -> date | None:
    raw = _cell(row, index, key)
    if not raw:
        if required:
            raise _Fail(rowno, Text(N_("empty {column}"), column=key.replace("_", " ")),
                        Text(N_("a date like {format}"), format=profile.date_formats[0]))
        return None
    for fmt in profile.date_formats:
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise _Fail(rowno, Text(N_("{column} '{value}' not understood"),
                           column=key.replace("_", " "),
                           value=raw[:30]),
                Text(N_("a date in format {formats}"), formats=" | ".join(profile.date_formats)))


def _statement(profile: Profile, rows: list[list[str]], index: dict[str, list[int]],
               lines: list[StatementLine], balances: list[tuple[date, Decimal, Decimal]],
               warnings: list[Text | str]) -> Statement:
    account = profile.account
    if account is None and "account" in index and lines:
        account = next((_cell(r, index, "account") for r in rows if _cell(r, index, "account")
                        and _cell(r, index, "account") != _header_text(profile)), None)
    opening = closing = None
    opening_date = closing_date = None
    currencies = {ln.currency for ln in lines if ln.currency}
    if balances and len(currencies) <= 1 and balances[0][0] != balances[-1][0] and _ordered(
            balances):
        first, last = (balances[0], balances[-1])
        if first[0] > last[0]:
            first, last = last, first
        closing, closing_date = last[1], last[0]
        opening, opening_date = first[1] - first[2], first[0]
    return Statement(
        source_format=f"csv:{profile.name}",
        account=account,
        currency=currencies.pop() if len(currencies) == 1 else profile.currency,
        statement_date=max((ln.booking_date for ln in lines if ln.booking_date), default=None),
        period_start=min((ln.booking_date for ln in lines if ln.booking_date), default=None),
        period_end=max((ln.booking_date for ln in lines if ln.booking_date), default=None),
        opening_balance=opening,
        opening_date=opening_date,
        closing_balance=closing,
        closing_date=closing_date,
        lines=tuple(lines),
        warnings=tuple(warnings),
    )


def _header_text(profile: Profile) -> str:
    ref = profile.columns.get("account")
    return ref if isinstance(ref, str) else ""


def _ordered(balances: list[tuple[date, Decimal, Decimal]]) -> bool:
    days = [b[0] for b in balances]
    return days == sorted(days) or days == sorted(days, reverse=True)
