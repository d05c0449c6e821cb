"""Statement numbers: BC's INCSTR (a light module, so the bank account reconciliation
tables can number statements without importing the matching engine)."""

from __future__ import annotations

import re

_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def next_statement_no(last: str) -> str:
    """BC's INCSTR: increase the trailing number, keeping its width ('' -> '1')."""
    if not last:
        return "1"
    m = _TRAILING_DIGITS.match(last)
    if m is None:
        return last + "1"
    head, digits = m.groups()
    return head + str(int(digits) + 1).zfill(len(digits))
