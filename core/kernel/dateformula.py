"""BC date formulas ("30D", "1M", "CM+10D", "-1W") used by payment terms and grace periods.

Units: D day, W week, M month, Q quarter, Y year; a ``C`` prefix means the end of the
current period ("CM" = last day of the month). A month step keeps the day of month,
clamped to the month's last day (Jan 31 + 1M = Feb 28/29), as BC does.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from core.i18n import N_
from core.kernel.errors import LettrageError

_TERM = re.compile(r"([+-]?)(\d*)(C?)([DWMQY])")


class DateFormulaError(LettrageError):
    pass


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _period_end(d: date, unit: str) -> date:
    if unit == "D":
        return d
    if unit == "W":
        return d + timedelta(days=6 - d.weekday())
    if unit == "M":
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    if unit == "Q":
        last_month = ((d.month - 1) // 3 + 1) * 3
        return date(d.year, last_month, calendar.monthrange(d.year, last_month)[1])
    return date(d.year, 12, 31)


def _step(d: date, n: int, unit: str) -> date:
    if unit == "D":
        return d + timedelta(days=n)
    if unit == "W":
        return d + timedelta(weeks=n)
    if unit == "M":
        return _add_months(d, n)
    if unit == "Q":
        return _add_months(d, 3 * n)
    return _add_months(d, 12 * n)


def validate(formula: str) -> str:
    """Normalize a formula (upper case, no blanks or angle brackets) or raise."""
    f = formula.strip().upper().replace(" ", "").strip("<>")
    pos = 0
    while pos < len(f):
        m = _TERM.match(f, pos)
        if not m or (m.group(3) and m.group(2)):
            raise DateFormulaError(N_("'{formula}' is not a date formula (try 30D, 1M or "
                                      "CM+10D)"), formula=formula)
        pos = m.end()
    return f


def calc_date(formula: str, base: date) -> date:
    """Apply ``formula`` to ``base``. An empty formula returns ``base``."""
    f = validate(formula)
    d = base
    for sign, num, current, unit in _TERM.findall(f):
        if current:
            d = _period_end(d, unit)
            continue
        n = int(num or "1")
        d = _step(d, -n if sign == "-" else n, unit)
    return d
