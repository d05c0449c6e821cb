"""The cash picture: receivables falling due in each of the next 8 weeks against what
came in from customers in each of the last 8, with the amount the late payment
prediction expects to come late (bars, plotext)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual_plotext import PlotextPlot

from core.i18n import N_, _, format_amount, pgettext
from core.reports.figures import CashPicture
from screens.shared.base import BaseScreen, title_bar
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.workers import core_worker


def week_label(picture: CashPicture, k: int, past: bool) -> str:
    start = (picture.past_starts if past else picture.week_starts)[k]
    return f"{start:%d/%m}"


@dataclass
class PictureLoaded(Outcome, namespace="cash_picture_screen"):
    picture: CashPicture


class CashPictureScreen(BaseScreen):
    DEFAULT_CSS = """
    CashPictureScreen #cash-in, CashPictureScreen #cash-due { height: 1fr; }
    CashPictureScreen #cash-summary { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="cash.refresh"),
    ]
    HELP = N_("Top: what came in from customers in each of the last 8 weeks. Bottom: the "
              "open receivables falling due in each of the next 8 weeks (this week first) "
              "and, from the late payment prediction, the part predicted to come late. "
              "What is already overdue is in the line above the charts.")

    def compose(self) -> ComposeResult:
        yield title_bar(_("Cash Picture"))
        yield Static(_("Loading…"), id="cash-summary", markup=False)
        yield PlotextPlot(id="cash-in")
        yield PlotextPlot(id="cash-due")
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
        late = (_("predicted late {amount}").format(amount=format_amount(p.predicted_late_total))
                if p.prediction_used else _("no late payment prediction"))
        self.query_one("#cash-summary", Static).update(
            _("In, last 8 weeks {received} · due, next 8 weeks {due} ({late}) · already "
              "overdue {overdue}").format(received=format_amount(received),
                                          due=format_amount(due), late=late,
                                          overdue=format_amount(p.overdue)))
        plot = self.query_one("#cash-in", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.bar([week_label(p, k, True) for k in range(len(p.received))],
                [float(v) for v in p.received], marker="hd", width=0.6)
        plt.title(_("Received per week"))
        plot.refresh()
        plot = self.query_one("#cash-due", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [week_label(p, k, False) for k in range(len(p.due))]
        on_time = [float(d - lt) for d, lt in zip(p.due, p.predicted_late, strict=True)]
        plt.stacked_bar(labels, [on_time, [float(v) for v in p.predicted_late]],
                        labels=[pgettext("cash picture", "due"), _("predicted late")],  # type: ignore[call-arg]
                        marker="hd", width=0.6)
        plt.title(_("Due per week"))
        plot.refresh()
