"""The cash picture's charts speak the clerk's language: y-axis ticks in the locale's
compact number form (French ``60 k``, English ``60k``), never plotext's raw floats
(``68797.1``); week labels with the month in words."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from textual_plotext.plot import Plot

from core.i18n import using_language
from core.reports.figures import CashPicture
from screens.reports.cash import draw_picture, week_table
from screens.reports.charts import compact, nice_step

ANSI = re.compile(r"\x1b\[[0-9;]*m")
MONDAY = date(2026, 11, 30)


def picture() -> CashPicture:
    weeks = tuple(MONDAY + timedelta(weeks=k) for k in range(8))
    past = tuple(MONDAY - timedelta(weeks=8 - k) for k in range(8))
    due = tuple(Decimal(v) for v in ("68797.10", "12500.00", "0", "43210.55", "9000",
                                      "0", "1250.40", "30000"))
    return CashPicture(as_of=MONDAY, week_starts=weeks, due=due,
                       predicted_late=(Decimal(0),) * 8, past_starts=past,
                       received=tuple(Decimal(v) * 1000 for v in range(1, 9)),
                       overdue=Decimal("5000"), prediction_used=True,
                       expected=tuple(v / 2 for v in due))


def rendered(language: str) -> tuple[str, str]:
    received, due = Plot(), Plot()
    with using_language(language):
        draw_picture(received, due, picture())
        out = []
        for plt in (received, due):
            plt.plotsize(78, 16)
            out.append(ANSI.sub("", plt.build()))
    return out[0], out[1]


def test_french_chart_ticks_are_french_numbers() -> None:
    received, due = rendered("fr")
    assert "68797" not in due and "68797.1" not in due and "e+" not in due
    assert re.search(r"60\u202fk", due), due  # 0, 20 k, 40 k, 60 k
    assert "20\u202fk" in due and "40\u202fk" in due
    assert "30 nov" in due and "07 déc" in due  # week labels, month in words
    assert "5\u202fk┤" in received and "\n  0┤" in received, received


def test_english_chart_ticks_are_english_numbers() -> None:
    _received, due = rendered("en")
    assert "60k" in due and "20k" in due and "68797" not in due
    assert "30 Nov" in due and "07 Dec" in due


def test_compact_numbers_follow_the_locale() -> None:
    with using_language("fr"):
        assert compact(68800.0, 200.0) == "68,8\u202fk"
        assert compact(1_500_000.0, 500_000.0) == "1,5\u202fM"
        assert compact(1250.0, 50.0) == "1,25\u202fk"
        assert compact(250.0, 50.0) == "250"
        assert compact(0.0, 20000.0) == "0"
    with using_language("en"):
        assert compact(68800.0, 200.0) == "68.8k"
        assert compact(-20000.0, 20000.0) == "-20k"
    assert [nice_step(x) for x in (0.3, 7.0, 1720.0, 17200.0)] == [0.5, 10, 2000, 20000]


def test_week_table_in_french() -> None:
    with using_language("fr"):
        table = week_table(picture())
    assert "30 nov" in table and "68\u202f797" in table.replace("\u00a0", "\u202f")
