"""Guess a CSV profile for a bank nobody has configured yet.

Sniffs encoding, delimiter, the header row, date format, decimal and thousands
separators, and which columns hold date, amount (or debit/credit), name,
remittance, IBAN, currency and balance, from header words in several languages
and from the values themselves. The clerk reviews and saves the result with
:func:`core.statements.profiles.save_profile`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime

from core.statements.encoding import decode
from core.statements.profiles import ColumnRef, Profile, norm_header

DATE_FORMATS = (
    "%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%Y%m%d",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%y", "%m/%d/%y", "%Y/%m/%d",
)
KEYWORDS: dict[str, tuple[str, ...]] = {
    "value_date": ("valuta", "value date", "wertstellung", "date de valeur", "valutadatum",
                   "fecha valor"),
    "booking_date": ("buchungstag", "booking date", "buchung", "posted date", "completed date",
                     "date", "datum", "fecha", "data", "transaction date"),
    "debit": ("debit", "withdrawal", "soll", "débit", "ausgang", "money out", "paid out"),
    "credit": ("credit", "deposit", "haben", "crédit", "eingang", "money in", "paid in"),
    "amount": ("amount", "betrag", "importe", "montant", "bedrag", "kwota", "umsatz", "gross",
               "bruto", "net"),
    "currency": ("currency", "währung", "waehrung", "devise", "divisa", "ccy", "monn"),
    "balance": ("balance", "saldo", "solde", "kontostand"),
    "counterparty_iban": ("iban", "kontonummer"),
    "counterparty_bic": ("bic",),
    "counterparty_name": ("name", "payee", "auftraggeber", "empfänger", "beguenstigter",
                          "merchant", "partner", "nombre", "beneficiary"),
    "remittance": ("verwendungszweck", "memo", "description", "payment reference", "reference",
                   "concepto", "note", "libellé", "purpose", "details"),
    "check_number": ("check", "cheque", "chèque"),
}
_NUMBER = re.compile(r"^[+-]?\s*[$€£]?\s*[+-]?[\d.,' ]*\d[)]?$|^\([\d.,']+\)$")


def guess_profile(data: bytes, name: str = "new-bank") -> Profile:
    """A best-effort profile for ``data`` (a CSV export); review before saving."""
    text, encoding = decode(data)
    delimiter = _delimiter(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header_at = _header_row(rows)
    header = rows[header_at] if header_at is not None else []
    first_body = 0 if header_at is None else header_at + 1  # a header in row 0 is no body
    body = [r for r in rows[first_body:] if any(c.strip() for c in r)][:200]
    columns = _columns(header, body)
    date_col = columns.get("booking_date")
    formats = _date_formats(body, date_col, header)
    amount_refs = [columns[k] for k in ("amount", "debit", "credit", "balance") if k in columns]
    decimal_sep, thousands = _separators(body, amount_refs, header)
    return Profile(
        name=name,
        description="guessed; review the column mapping before use",
        delimiter=delimiter,
        encoding=encoding,
        skip_lines=0,
        has_header=header_at is not None,
        date_formats=formats,
        decimal_separator=decimal_sep,
        thousands_separator=thousands,
        columns=columns,
    )


def _delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:80] if ln.strip()]
    best, best_score = ",", -1
    for delim in (",", ";", "\t", "|"):
        counts = Counter(len(r) for r in csv.reader(io.StringIO("\n".join(lines)),
                                                      delimiter=delim))
        width, rows = max(((w, n) for w, n in counts.items() if w > 1),
                          key=lambda x: (x[1], x[0]), default=(1, 0))
        score = rows * 100 + width
        if score > best_score:
            best, best_score = delim, score
    return best


def _header_row(rows: list[list[str]]) -> int | None:
    widths = Counter(len(r) for r in rows if len(r) > 1)
    if not widths:
        return None
    width = widths.most_common(1)[0][0]
    for index, row in enumerate(rows[:60]):
        cells = [c.strip() for c in row if c.strip()]
        if len(row) >= max(2, width - 2) and len(cells) >= 2 and not any(
                _NUMBER.match(c) or _is_date(c) for c in cells):
            return index
    return None


def _is_date(value: str) -> bool:
    return any(_parses(value, f) for f in DATE_FORMATS)


def _parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 - a date only
        return True
    except ValueError:
        return False


def _columns(header: list[str], body: list[list[str]]) -> dict[str, ColumnRef]:
    names = [norm_header(h) for h in header]
    columns: dict[str, ColumnRef] = {}
    used: set[int] = set()
    for key, words in KEYWORDS.items():
        for word in words:
            index = next((i for i, n in enumerate(names) if i not in used and
                          (n == word or word in n.split() or n.startswith(word))), None)
            if index is not None:
                columns[key] = header[index].strip()
                used.add(index)
                break
    if "booking_date" not in columns:
        index = _value_column(body, _is_date, used)
        if index is not None:
            columns["booking_date"] = header[index].strip() if header else index
            used.add(index)
    if "amount" not in columns and not {"debit", "credit"} <= set(columns):
        index = _value_column(body, lambda v: bool(_NUMBER.match(v)), used)
        if index is not None:
            columns["amount"] = header[index].strip() if header else index
    if {"debit", "credit"} <= set(columns):
        columns.pop("amount", None)
    elif "amount" in columns:
        columns.pop("debit", None)
        columns.pop("credit", None)
    return columns


def _value_column(body: list[list[str]], test: object, used: set[int]) -> int | None:
    assert callable(test)
    width = max((len(r) for r in body), default=0)
    for index in range(width):
        values = [r[index].strip() for r in body if index < len(r) and r[index].strip()]
        if index not in used and values and all(test(v) for v in values):
            return index
    return None


def _position(ref: ColumnRef, header: list[str]) -> int | None:
    if isinstance(ref, int):
        return ref
    if isinstance(ref, str):
        wanted = norm_header(ref)
        return next((i for i, h in enumerate(header) if norm_header(h) == wanted), None)
    return None


def _date_formats(body: list[list[str]], ref: ColumnRef | None,
                  header: list[str]) -> tuple[str, ...]:
    index = _position(ref, header) if ref is not None else None
    values = [r[index].strip() for r in body if index is not None and index < len(r)
              and r[index].strip()]
    matching = [f for f in DATE_FORMATS if values and all(_parses(v, f) for v in values)]
    return tuple(matching[:1]) or ("%Y-%m-%d",)


def _separators(body: list[list[str]], refs: list[ColumnRef],
                header: list[str]) -> tuple[str, str]:
    values: list[str] = []
    for ref in refs:
        index = _position(ref, header)
        values += [r[index] for r in body if index is not None and index < len(r)]
    joined = " ".join(values)
    if "'" in joined and re.search(r"\d'\d{3}", joined):
        return ".", "'"
    if re.search(r"\d,\d{1,2}(\D|$)", joined) and not re.search(r"\d\.\d{1,2}(\D|$)", joined):
        return ",", "." if re.search(r"\d\.\d{3}", joined) else ""
    return ".", "," if re.search(r"\d,\d{3}", joined) else ""
