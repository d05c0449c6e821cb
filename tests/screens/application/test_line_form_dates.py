"""A journal line's posting date typed the way the clerk's language writes it: French
``05/11`` is the 5th of November (day first), English ``11-05`` too; a full date in the
language's form or ISO; the day alone; t for today."""

from __future__ import annotations

from datetime import date

import pytest

from core.i18n import using_language
from core.kernel.errors import LettrageError
from screens.application.line_form import parse_day

TODAY = date(2026, 12, 3)


def test_french_reads_day_before_month() -> None:
    with using_language("fr"):
        assert parse_day("05/11", TODAY) == date(2026, 11, 5)
        assert parse_day("27/11/2026", TODAY) == date(2026, 11, 27)
        assert parse_day("2026-11-27", TODAY) == date(2026, 11, 27)
        assert parse_day("9", TODAY) == date(2026, 12, 9)
        with pytest.raises(LettrageError, match="saisissez JJ/MM/AAAA, JJ/MM, le jour seul"):
            parse_day("31/02", TODAY)


def test_english_reads_month_before_day() -> None:
    with using_language("en"):
        assert parse_day("11-05", TODAY) == date(2026, 11, 5)
        assert parse_day("t", TODAY) == TODAY
        with pytest.raises(LettrageError, match="type YYYY-MM-DD, MM-DD, the day alone"):
            parse_day("13-40", TODAY)
