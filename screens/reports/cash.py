"""The cash picture: receivables falling due in each of the next 8 weeks against what
came in from customers in each of the last 8, and the expected inflow per week from the
late payment prediction (each invoice predicted late in its expected payment week):
bars (plotext) and the same numbers as a small table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from core.i18n import N_, _, format_amount, pgettext
from core.reports.figures import CashPicture
from screens.reports.charts import day_month, draw_weeks
from screens.shared.base import BaseScreen, title_bar
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.workers import core_worker


def week_label(picture: CashPicture, k: int, past: bool) -> str:
    return day_month((picture.past_starts if past else picture.week_starts)[k])


@dataclass
class PictureLoaded(Outcome, namespace="cash_picture_screen"):
    picture: CashPicture


def week_table(p: CashPicture) -> str:
    """Due and expected per week as text columns (whole units): the chart's numbers."""
    label = 9
    head = [f"{'':<{label}}" + "".join(f"{week_label(p, k, False):>8}"
                                       for k in range(len(p.due)))]
    rows = [(pgettext("cash picture", "Due"), p.due)]
    if p.prediction_used:
        rows.append((pgettext("cash picture", "Expected"), p.expected))
    for title, values in rows:
        head.append(f"{title[:label]:<{label}}" + "".join(
            f"{format_amount(v, 0):>8}" for v in values))
    return "\n".join(head)


class CashPictureScreen(BaseScreen):
    DEFAULT_CSS = """
    CashPictureScreen #cash-in { height: 7; }
    CashPictureScreen #cash-due { height: 1fr; }
    CashPictureScreen #cash-summary { height: auto; padding: 0 1; }
    CashPictureScreen #cash-table { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="cash.refresh"),
    ]
    HELP = N_("Top: what came in from customers in each of the last 8 weeks. Bottom: the "
              "open receivables falling due in each of the next 8 weeks (this week first, "
              "from today) and, from the late payment prediction, the expected inflow: "
              "each invoice predicted late moved to the week of its expected payment "
              "date. The table under the chart gives both per week. What is already "
              "overdue (the home screen's figure) is in the line above the charts.")

    def compose(self) -> ComposeResult:
        yield title_bar(_("Cash Picture"))
        yield Static(_("Loading…"), id="cash-summary", markup=False)
        yield PlotextPlot(id="cash-in")
        yield PlotextPlot(id="cash-due")
        yield Static("", id="cash-table", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @core_worker("load")
    def _load(self) -> PictureLoaded:
        return PictureLoaded(self.ctx.services.reports.cash_picture())

    def on_cash_picture_screen_picture_loaded(self, message: PictureLoaded) -> None:
        p = message.picture
        received = sum(p.received, start=p.overdue * 0)
        due = sum(p.due, start=p.overdue * 0)
        late = (_("predicted late {amount}, after the 8 weeks {later}").format(
            amount=format_amount(p.predicted_late_total),
            later=format_amount(p.expected_later))
                if p.prediction_used else _("no late payment prediction"))
        self.query_one("#cash-summary", Static).update(
            _("In, last 8 weeks {received} · due, next 8 weeks {due} ({late}) · already "
              "overdue {overdue}").format(received=format_amount(received),
                                          due=format_amount(due), late=late,
                                          overdue=format_amount(p.overdue)))
        draw_picture(self.query_one("#cash-in", PlotextPlot).plt,
                     self.query_one("#cash-due", PlotextPlot).plt, p)
        for plot in self.query(PlotextPlot):
            plot.refresh()
        self.query_one("#cash-table", Static).update(week_table(p))


def draw_picture(received: Plot, due: Plot, p: CashPicture) -> None:
    """The two charts: received in the past weeks, due (and expected) in the next."""
    draw_weeks(received, [week_label(p, k, True) for k in range(len(p.received))],
               [p.received], _("Received per week"), ticks=2)  # a low chart: 3 rows
    labels = [week_label(p, k, False) for k in range(len(p.due))]
    if p.prediction_used:
        draw_weeks(due, labels, [p.due, p.expected],
                   _("Due and expected (prediction) per week"),
                   [pgettext("cash picture", "due"), pgettext("cash picture", "expected")])
    else:
        draw_weeks(due, labels, [p.due], _("Due per week"))
