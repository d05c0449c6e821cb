"""Bar charts (plotext) with axes in the clerk's language: the amounts written above the
aging bars, the y axis of the cash picture in the locale's compact number form
(French ``68,8 k``, English ``68.8k``) instead of plotext's raw floats (``68797.1``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from core.i18n import format_amount, format_number, get_language
from tui.widgets.formatting import MONTHS

TICKS = 4  # about as many labelled lines on a y axis


def draw_bars(plot: PlotextPlot, labels: Sequence[str], values: Sequence[Decimal],
              title: str) -> None:
    """Vertical bars with their amounts written above (plotext)."""
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    numbers = [float(v) for v in values]
    plt.bar(list(labels), numbers, width=0.6, marker="hd")
    plt.title(title)
    plt.yticks([])
    top = max(numbers, default=0.0)
    for i, v in enumerate(values, start=1):
        plt.text(format_amount(v, 0), x=i, y=float(v) + top * 0.08, alignment="center")
    plt.ylim(min(0.0, min(numbers, default=0.0)), top * 1.3 if top > 0 else 1.0)
    plot.refresh()


def draw_weeks(plt: Plot, labels: Sequence[str], series: Sequence[Sequence[Decimal]],
               title: str, legend: Sequence[str] = (), ticks: int = TICKS) -> None:
    """Bars per week (two series side by side with a legend), the y axis labelled in the
    current language with about ``ticks`` lines (fewer on a low chart)."""
    plt.clear_data()
    plt.clear_figure()
    numbers = [[float(v) for v in values] for values in series]
    if len(numbers) > 1:
        plt.multiple_bar(list(labels), numbers, labels=list(legend),  # type: ignore[call-arg]
                         marker="hd", width=0.8)
    else:
        plt.bar(list(labels), numbers[0] if numbers else [], marker="hd", width=0.6)
    plt.title(title)
    flat = [v for values in numbers for v in values]
    y_axis(plt, min(0.0, *flat) if flat else 0.0, max(0.0, *flat) if flat else 0.0, ticks)


def y_axis(plt: Plot, low: float, high: float, ticks: int = TICKS) -> None:
    """Round ticks between ``low`` and ``high`` labelled in the locale's form."""
    if high <= low:
        high = low + 1.0
    step = nice_step((high - low) / ticks)
    first = math.ceil(low / step) * step
    values = [first + i * step for i in range(int((high - first) / step) + 1)]
    plt.yticks(values, [compact(t, step) for t in values])
    plt.ylim(low, high)


def nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``raw``."""
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def compact(value: float, step: float) -> str:
    """``68800`` -> ``68,8 k`` (French) / ``68.8k`` (English); as many decimals as the
    ``step`` between ticks needs; small values whole (``1 250`` / ``1,250``)."""
    if value == 0:
        return "0"
    gap = "\u202f" if get_language() == "fr" else ""
    for size, unit in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size or step >= size:
            scaled = Decimal(str(round(value / size, 3)))
            places = min(3, max(0, -math.floor(math.log10(step / size))))
            return f"{format_number(scaled, places)}{gap}{unit}"
    return format_number(Decimal(str(round(value))), 0)


def day_month(day: date) -> str:
    """``27 Nov`` / ``27 nov``: a week's first day, the month in words of the language."""
    months = MONTHS.get(get_language(), MONTHS["en"])
    return f"{day.day:02d} {months[day.month - 1]}"
