"""The aging buckets as bars (plotext), amounts written above them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from textual_plotext import PlotextPlot

from core.i18n import format_amount


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
