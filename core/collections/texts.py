"""Beginning and ending texts: BC's numbered placeholders (bc-spec §9.1, §9.3) filled with
the document's values, dates and amounts formatted for the customer's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from core.documents.formats import amount_text, long_date_text

_PLACEHOLDER = re.compile(r"%(\d{1,2})")


@dataclass(frozen=True)
class TextValues:
    document_date: date
    due_date: date
    interest_rate: Decimal
    remaining: Decimal
    interest: Decimal
    additional_fee: Decimal
    total: Decimal
    currency: str
    posting_date: date
    level: int = 0
    company_name: str = ""
    line_fee: Decimal = Decimal("0")


@lru_cache(maxsize=4096)
def _day(value: date, language: str) -> str:
    """A date in words, remembered: every document of a run has the same few dates."""
    return long_date_text(value, language)


def reminder_values(v: TextValues, language: str) -> dict[int, str]:
    """%1 Document Date … %12 Add. Fee per Line (reminders)."""
    a, d = (lambda x: amount_text(x, language)), (lambda x: _day(x, language))
    return {1: d(v.document_date), 2: d(v.due_date), 3: f"{v.interest_rate.normalize():f}",
            4: a(v.remaining), 5: a(v.interest), 6: a(v.additional_fee), 7: a(v.total),
            8: str(v.level), 9: v.currency, 10: d(v.posting_date), 11: v.company_name,
            12: a(v.line_fee)}


def finance_charge_values(v: TextValues, language: str) -> dict[int, str]:
    """%1 Document Date … %9 Posting Date (finance charge memos)."""
    a, d = (lambda x: amount_text(x, language)), (lambda x: _day(x, language))
    return {1: d(v.document_date), 2: d(v.due_date), 3: f"{v.interest_rate.normalize():f}",
            4: a(v.remaining), 5: a(v.interest), 6: a(v.additional_fee), 7: a(v.total),
            8: v.currency, 9: d(v.posting_date)}


def fill(template: str, values: dict[int, str]) -> str:
    """Replace %1..%12 (longest number first, so %10 is not %1 followed by 0)."""
    return _PLACEHOLDER.sub(lambda m: _one(m, values), template)


def _one(match: re.Match[str], values: dict[int, str]) -> str:
    digits = match.group(1)
    if int(digits) in values:
        return values[int(digits)]
    if len(digits) == 2 and int(digits[0]) in values:  # "%1" followed by a digit
        return values[int(digits[0])] + digits[1]
    return match.group(0)
