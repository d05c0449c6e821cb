"""Payments Predicted to be Late (BC's tile and list, explained): the open invoices not
yet due that the model predicts late, with the confidence, the expected payment date
and, under the list, why the highlighted one is predicted late."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.i18n import N_, _
from core.prediction.service import ModelStatus, PredictionView, TrainReport
from screens.ledger.party_card import PartyCardScreen
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day
from tui.workers import core_worker

TEXT = {
    "title": N_("Payments Predicted to be Late"),
    "all_title": N_("Payment Predictions (all open invoices not yet due)"),
    "none": N_("No open invoice not yet due is predicted late."),
    "why": N_("Why: "),
    "training": N_("Training the model on the closed invoices…"),
    "trained": N_("Model version {version} trained: ROC AUC {auc:.2f}, {n} invoices scored"),
}
COLUMNS = ((N_("Document"), 9), (N_("Customer"), 11), (N_("Due"), 10), (N_("Prediction"), 16),
           (N_("Expected"), 10), (N_("Remaining"), 11))  # 67 + 2 padding per column: fits 80


@dataclass
class PredictionsLoaded(Outcome, namespace="predictions_screen"):
    status: ModelStatus
    views: list[PredictionView]


@dataclass
class ModelTrained(Outcome, namespace="predictions_screen"):
    report: TrainReport


class PredictionsScreen(BaseScreen):
    DEFAULT_CSS = """
    PredictionsScreen #predictions { height: 1fr; }
    PredictionsScreen #why { height: 4; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,c", "customer", N_("Customer card"), id="predictions.customer"),
        Binding("a", "toggle_all", N_("All/late"), id="predictions.all"),
        Binding("t", "train", N_("Train"), id="predictions.train"),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="predictions.refresh", show=False),
    ]
    HELP = (N_("Open invoices not yet due that the local model predicts to be paid late, "
            "soonest due first. The lines under the list say why the highlighted invoice "
            "is predicted so: the two or three facts that pushed the model most. Enter "
            "(or c) opens the customer card, a shows all predictions or only the late "
            "ones, t trains the model again now (the quality report is in 'lettrage "
            "predict evaluate')."))

    def __init__(self, ctx: Context, late_only: bool = True) -> None:
        super().__init__(ctx)
        self.late_only = late_only
        self.views: list[PredictionView] = []

    def screen_title(self) -> str:
        return _(TEXT["title"]) if self.late_only else _(TEXT["all_title"])

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="filters", markup=False)
        yield DataTable(id="predictions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="why", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one("#predictions", DataTable)
        for label, width in COLUMNS:
            table.add_column(_(label), width=width, key=label)
        self.action_reload()
        table.focus()

    def action_reload(self) -> None:
        self._load(self.late_only)

    @core_worker("load")
    def _load(self, late_only: bool) -> PredictionsLoaded:
        service = self.ctx.services.prediction
        return PredictionsLoaded(service.status(), service.predictions(late_only=late_only))

    def on_predictions_screen_predictions_loaded(self, message: PredictionsLoaded) -> None:
        status, views = message.status, message.views
        self.views = views
        self.query_one("#title", Static).update(self.screen_title())
        self.query_one("#filters", Static).update(status.message)
        table = self.query_one("#predictions", DataTable)
        table.clear()
        nf = self.ctx.number_format
        for v in views:
            table.add_row(
                v.document_no,
                f"{v.customer_no} {v.customer_name}",
                day(v.due_date),
                (_("Late") if v.late else _("On time")) + f" {_(v.confidence)} "
                f"{v.confidence_pct}%",
                day(v.expected_payment_date),
                nf.amount(v.remaining_amount),
                key=str(v.entry_no),
            )
        self._why(0 if views else None)

    def _current(self) -> PredictionView | None:
        table = self.query_one("#predictions", DataTable)
        row = table.cursor_row
        return self.views[row] if self.views and 0 <= row < len(self.views) else None

    def _why(self, row: int | None) -> None:
        why = self.query_one("#why", Static)
        if row is None or not self.views:
            why.update(_(TEXT["none"]) if self.late_only else "")
            return
        v = self.views[row]
        verdict = _("late") if v.late else _("on time")
        why.update(f"{v.document_no} {verdict} — " + "; ".join(v.reasons))

    @on(DataTable.RowHighlighted, "#predictions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._why(event.cursor_row)

    @on(DataTable.RowSelected, "#predictions")
    def _selected(self) -> None:
        self.action_customer()

    def action_toggle_all(self) -> None:
        self.late_only = not self.late_only
        self.action_reload()

    def action_customer(self) -> None:
        if (v := self._current()) is not None:
            self.app.push_screen(PartyCardScreen(self.ctx, "customer", v.customer_no))

    def action_train(self) -> None:
        self.notify(_(TEXT["training"]))
        self._train()

    @core_worker("train")
    def _train(self) -> ModelTrained:
        return ModelTrained(self.ctx.services.prediction.train())

    def on_predictions_screen_model_trained(self, message: ModelTrained) -> None:
        report = message.report
        self.notify(_(TEXT["trained"]).format(version=report.version,
                                           auc=report.quality.roc_auc,
                                           n=report.predictions))
        self.action_reload()
