"""The document model every customer document shares (reminders, finance charge memos,
statements): a header, two addresses, a table of lines, totals, texts and a language.

Amounts are Decimal; cells are already-formatted text so the renderers only lay out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.documents.formats import amount_text, date_text, long_date_text


@dataclass(frozen=True)
class Address:
    name: str
    lines: tuple[str, ...] = ()
    email: str = ""
    vat_no: str = ""

    def all_lines(self) -> tuple[str, ...]:
        return (self.name, *(ln for ln in self.lines if ln))


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # characters in the text rendering (relative width in the PDF)
    numeric: bool = False
    in_text: bool = True  # False: the PDF shows it, the 76-column text leaves it out


@dataclass(frozen=True)
class Total:
    label: str
    amount: Decimal
    strong: bool = False


@dataclass(frozen=True)
class Document:
    title: str  # "Reminder", "Relance", "Statement" ...
    number: str
    language: str
    currency: str
    company: Address
    recipient: Address
    header_fields: tuple[tuple[str, str], ...] = ()  # (label, value), e.g. dates, level
    columns: tuple[Column, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    totals: tuple[Total, ...] = ()
    beginning_texts: tuple[str, ...] = ()
    ending_texts: tuple[str, ...] = ()
    footer: str = ""
    sections: tuple[tuple[int, str], ...] = field(default=())  # (row index, heading)
    # A running balance to carry from page to page: rows before ``carry_until`` hold it
    # in column ``carry_column`` (-1: nothing to carry).
    carry_column: int = -1
    carry_until: int = 0

    def amount(self, value: Decimal) -> str:
        return amount_text(value, self.language)

    def day(self, value: date | None) -> str:
        """A date in a table cell."""
        return date_text(value, self.language) if value else ""

    def long_day(self, value: date | None) -> str:
        """A date in a sentence or a header field, in words."""
        return long_date_text(value, self.language) if value else ""
