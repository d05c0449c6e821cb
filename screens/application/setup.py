"""Application setup (BC General Ledger Setup, Application FastTab): the payment
discount grace period, the tolerance posting options and the two tolerance warnings,
edited with a version check; Payment Tolerance % and Max. Payment Tolerance Amount are
read-only as in BC and changed by the Change Payment Tolerance batch job (t), which
also recalculates the open entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from core.application.tolerance import (
    ApplicationSetupView,
    SetupChanges,
    SetupSaved,
    ToleranceChanged,
)
from core.i18n import N_, _, format_number
from core.kernel.errors import LettrageError
from screens.application.support import posting_services
from screens.reconciliation.dialogs import FormModal
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.messages import Outcome
from tui.widgets.checkbox import TickBox
from tui.widgets.footer import FitFooter
from tui.workers import core_worker

POSTING = ((N_("Payment tolerance accounts"), "payment_tolerance_accounts"),
           (N_("Payment discount accounts"), "payment_discount_accounts"))
CHECKS = (("payment_tolerance_warning", N_("Payment tolerance warning")),
          ("pmt_disc_tolerance_warning", N_("Pmt. disc. tolerance warning")))


@dataclass(frozen=True)
class ToleranceRequest:
    pct: str
    max_amount: str


@dataclass
class SetupLoaded(Outcome, namespace="application_setup_screen"):
    setup: ApplicationSetupView


@dataclass
class SetupWasSaved(Outcome, namespace="application_setup_screen"):
    saved: SetupSaved


@dataclass
class ToleranceWasChanged(Outcome, namespace="application_setup_screen"):
    result: ToleranceChanged


class ApplicationSetupScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "save", N_("Save"), id="setup.save"),
        Binding("f6", "change_tolerance", N_("Change tolerance"), id="setup.tolerance",
                tooltip=N_("Change Payment Tolerance: set % and max. and recalculate the "
                        "open entries")),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="setup.refresh", show=False),
    ]
    DEFAULT_CSS = """
    ApplicationSetupScreen #setup-form { padding: 1 1 0 1; height: auto; }
    ApplicationSetupScreen #setup-fields { grid-size: 2; grid-columns: 31 1fr;
        grid-rows: 1; height: auto; grid-gutter: 0 1; }
    ApplicationSetupScreen #setup-fields Input { height: 1; border: none; padding: 0;
        background: $boost; width: 8; }
    ApplicationSetupScreen #setup-fields Select { height: 1; }
    ApplicationSetupScreen #setup-fields Select > SelectCurrent { height: 1; border: none;
        padding: 0; }
    ApplicationSetupScreen #setup-fields Checkbox { height: 1; border: none; padding: 0; }
    ApplicationSetupScreen .setup-note { color: $text-muted; height: auto; padding: 1 1 0 1; }
    """
    HELP = (N_("BC's General Ledger Setup, Application FastTab. With a warning on, posting "
            "asks before it grants a late payment discount or posts a balance as payment "
            "tolerance; with it off, balances within tolerance close silently. Payment "
            "tolerance % and max. amount change only through Change Payment Tolerance "
            "(F6), which recalculates the max. payment tolerance of every open "
            "invoice and credit memo. Ctrl+S saves; if someone saved meanwhile, the save "
            "is refused: reload (F5) and edit again."))

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.setup: ApplicationSetupView | None = None

    def screen_title(self) -> str:
        return _("Application Setup (payment discount and tolerance)")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        with Vertical(id="setup-form"):
            with Grid(id="setup-fields"):
                yield Label(_("Pmt. disc. grace period (days)"))
                yield Input("", id="pmt_disc_grace_days")
                yield Label(_("Payment tolerance %"))
                yield Static("", id="pct", markup=False)
                yield Label(_("Max. payment tolerance amount"))
                yield Static("", id="max", markup=False)
                yield Label(_("Payment tolerance posting"))
                yield Select([(_(t), v) for t, v in POSTING], allow_blank=False,
                             id="payment_tolerance_posting")
                yield Label(_("Pmt. disc. tolerance posting"))
                yield Select([(_(t), v) for t, v in POSTING], allow_blank=False,
                             id="pmt_disc_tolerance_posting")
                for ident, text in CHECKS:
                    yield Label(_(text))
                    yield TickBox(_("on"), id=ident)
            yield Static("", id="error", markup=False)
        yield Static(_("Ctrl+S saves · F6 changes the payment tolerance % and max. "
                     "amount (and recalculates open entries) · F1 explains"),
                     classes="setup-note", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load_setup()

    @core_worker("load")
    def _load_setup(self) -> SetupLoaded:
        return SetupLoaded(posting_services(self.ctx).tolerance.setup())

    def on_application_setup_screen_setup_loaded(self, message: SetupLoaded) -> None:
        self._show(message.setup)

    def _show(self, setup: ApplicationSetupView) -> None:
        self.setup = setup
        self.query_one("#pmt_disc_grace_days", Input).value = str(setup.pmt_disc_grace_days)
        self.query_one("#pct", Static).update(_("{payment_tolerance_pct} %  (F6 changes)").format(
            payment_tolerance_pct=format_number(setup.payment_tolerance_pct)))
        self.query_one("#max", Static).update(
            _("{max_payment_tolerance} {currency}  (F6 changes)").format(
               max_payment_tolerance=self.ctx.number_format.amount(setup.max_payment_tolerance),
               currency=setup.currency))
        for name in ("payment_tolerance_posting", "pmt_disc_tolerance_posting"):
            self.query_one(f"#{name}", Select).value = getattr(setup, name)
        for ident, _text in CHECKS:
            self.query_one(f"#{ident}", Checkbox).value = getattr(setup, ident)
        self.query_one("#error", Static).update("")
        self.query_one("#pmt_disc_grace_days", Input).focus()

    def changes(self) -> SetupChanges:
        setup = self.setup
        if setup is None:
            raise LettrageError(_("The setup is still loading."))
        raw = self.query_one("#pmt_disc_grace_days", Input).value.strip() or "0"
        if not raw.isdigit():
            raise LettrageError(_("Grace period '{raw}': type a number of days, e.g. 5").format(
                                   raw=raw))
        values: dict[str, Any] = {"pmt_disc_grace_days": int(raw)}
        for name in ("payment_tolerance_posting", "pmt_disc_tolerance_posting"):
            values[name] = str(self.query_one(f"#{name}", Select).value)
        for ident, _text in CHECKS:
            values[ident] = self.query_one(f"#{ident}", Checkbox).value
        return SetupChanges(**{k: v for k, v in values.items() if getattr(setup, k) != v})

    def action_save(self) -> None:
        try:
            changes = self.changes()
        except LettrageError as error:
            self.query_one("#error", Static).update(str(error))
            return
        assert self.setup is not None
        if changes == SetupChanges():
            self.notify(_("Nothing changed."))
            return
        self._save(self.setup.version, changes)

    @core_worker("save")
    def _save(self, version: int, changes: SetupChanges) -> SetupWasSaved:
        return SetupWasSaved(posting_services(self.ctx).tolerance.update_setup(version, changes))

    def on_application_setup_screen_setup_was_saved(self, message: SetupWasSaved) -> None:
        saved = message.saved
        self.notify(saved.message, title=_("Saved"))
        self._show(saved.setup)

    def action_change_tolerance(self) -> None:
        setup = self.setup
        if setup is None:
            return

        def chosen(request: ToleranceRequest | None) -> None:
            if request is None:
                return

            def answered(yes: bool | None) -> None:
                if yes:
                    self._run_change(request, setup.version)

            self.app.push_screen(ConfirmModal(
                _("Change payment tolerance to {value} % (max. {value2})?").format(
                   value=request.pct or '0', value2=request.max_amount or '0'),
                _("The max. payment tolerance of every open invoice and credit memo is "
                "recalculated; customers and vendors with Block Payment Tolerance keep 0."),
                yes=_("Change")), answered)

        self.app.push_screen(ChangeToleranceModal(setup), chosen)

    @core_worker("tolerance")
    def _run_change(self, request: ToleranceRequest, version: int) -> ToleranceWasChanged:
        return ToleranceWasChanged(posting_services(self.ctx).tolerance.change_payment_tolerance(
            request.pct, request.max_amount, version=version))

    def on_application_setup_screen_tolerance_was_changed(self, message: ToleranceWasChanged
                                                          ) -> None:
        self.notify(message.result.message, title=_("Payment tolerance changed"), timeout=10)
        self.action_reload()


class ChangeToleranceModal(FormModal[ToleranceRequest]):
    """Change Payment Tolerance: the two values (validated by the service)."""

    FIRST = "pct"

    def __init__(self, setup: ApplicationSetupView) -> None:
        super().__init__()
        self.setup = setup

    def compose(self) -> ComposeResult:
        s = self.setup
        with Vertical(id="dialog"):
            yield Static(_("Change Payment Tolerance — Ctrl+S runs, Esc cancels"),
                         classes="dialog-title", markup=False)
            yield Static(_("Currency {currency} (the company currency). 0 % with a max. "
                            "amount gives every entry that amount; a % with max. 0 no cap.").format(
                            currency=s.currency),
                         markup=False)
            with Grid(id="fields"):
                yield Label(_("Tolerance %"))
                yield Input(f"{s.payment_tolerance_pct}", id="pct")
                yield Label(_("Max. amount"))
                yield Input(f"{s.max_payment_tolerance}", id="max_amount")
            yield Static("", id="error", markup=False)

    def result(self) -> ToleranceRequest:
        return ToleranceRequest(self.text("pct"), self.text("max_amount"))
