"""SEPA Direct Debit Mandates: all of them, or one customer's (from the customer card,
per bank account). n adds a mandate on a bank account, b blocks or unblocks one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.direct_debit.views import MandateView
from core.i18n import N_, NP_, _, pgettext
from screens.direct_debit.common import FormModal, dd
from screens.direct_debit.table import _columns
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.workers import core_worker

COLUMNS = (
    (NP_("dd column", "Mandate"), 12),
    (NP_("dd column", "Cust."), 7),
    (NP_("dd column", "IBAN"), 27),
    (NP_("dd column", "From"), 9),
    (NP_("dd column", "Type"), 4),
    (NP_("dd column", "Debits"), 6),
    (NP_("dd column", "State"), 7),
)
TYPES = {"recurrent": N_("RCUR"), "one_off": N_("OOFF")}


@dataclass
class MandatesLoaded(Outcome, namespace="mandates_screen"):
    rows: list[MandateView]


@dataclass
class MandateBlocked(Outcome, namespace="mandates_screen"):
    mandate: MandateView


@dataclass
class MandateAdded(Outcome, namespace="mandates_screen"):
    mandate: MandateView


class MandatesScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New mandate"), id="ddm.new"),
        Binding("b", "block", N_("Block/unblock"), id="ddm.block"),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="ddm.refresh", show=False),
    ]
    HELP = N_("The SEPA direct debit mandates of the customers' bank accounts: n adds one "
              "(IBAN checked), b blocks or unblocks the highlighted one. A collection only "
              "takes invoices of customers with an active mandate.")
    DEFAULT_CSS = """
    MandatesScreen #ddm-table { height: 1fr; }
    MandatesScreen #ddm-info { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, ctx: Context, customer_no: str = "") -> None:
        super().__init__(ctx)
        self.customer_no = customer_no
        self.rows: list[Any] = []

    def screen_title(self) -> str:
        if self.customer_no:
            return _("Direct Debit Mandates of customer {no}").format(no=self.customer_no)
        return _("SEPA Direct Debit Mandates")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="ddm-info", markup=False)
        yield DataTable(id="ddm-table", cursor_type="row", cell_padding=0)
        yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        _columns(table, COLUMNS)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load_mandates(self.customer_no or None)

    @core_worker("load")
    def _load_mandates(self, customer_no: str | None) -> MandatesLoaded:
        return MandatesLoaded(dd(self.ctx).mandates(customer_no))

    def on_mandates_screen_mandates_loaded(self, message: MandatesLoaded) -> None:
        rows = message.rows
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for m in rows:
            state = _("blocked") if m.blocked else pgettext("mandate", "closed") if m.closed else (
                _("default") if m.is_default else "")
            debits = f"{m.debit_counter}/{m.expected_debits}"
            table.add_row(m.id[:12], m.customer_no[:7], m.iban[:27],
                          short_date(m.valid_from), _(TYPES.get(m.type_of_payment, "")), debits,
                          state[:7], key=m.id)
        self.query_one("#ddm-info", Static).update(_("{count} mandates · n new · b block")
                                                   .format(count=len(rows)))

    def _current(self) -> Any:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_block(self) -> None:
        m = self._current()
        if m is not None:
            self._set_blocked(m.id, not m.blocked)

    @core_worker("write")
    def _set_blocked(self, mandate_id: str, blocked: bool) -> MandateBlocked:
        return MandateBlocked(dd(self.ctx).set_blocked(mandate_id, blocked))

    def on_mandates_screen_mandate_blocked(self, message: MandateBlocked) -> None:
        self.action_reload()

    def action_new(self) -> None:
        today = self.ctx.today()

        def answered(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                start = date.fromisoformat(values["from"]) if values["from"] else today
                expected = int(values["expected"] or "1")
            except ValueError:
                self.notify(_("Enter a date as YYYY-MM-DD and a whole number of debits."),
                            severity="error")
                return
            kind = "one_off" if values["type"].upper() == "OOFF" else "recurrent"
            self._add_mandate(values["customer"], values["bank"] or "MAIN", values["id"],
                              start, kind, expected)

        self.app.push_screen(FormModal(_("New SEPA direct debit mandate"), [
            ("customer", _("Customer No."), self.customer_no),
            ("bank", _("Customer bank account code"), "MAIN"),
            ("id", _("Mandate ID"), ""), ("from", _("Valid From"), today.isoformat()),
            ("type", _("Type of payment (RCUR or OOFF)"), "RCUR"),
            ("expected", _("Expected number of debits"), "12")]), answered)

    @core_worker("write")
    def _add_mandate(self, customer_no: str, bank: str, mandate_id: str, start: date,
                     kind: str, expected: int) -> MandateAdded:
        return MandateAdded(dd(self.ctx).add_mandate(
            customer_no, bank, mandate_id, valid_from=start, type_of_payment=kind,
            expected_debits=expected))

    def on_mandates_screen_mandate_added(self, message: MandateAdded) -> None:
        self.notify(_("Mandate {id} added.").format(id=message.mandate.id))
        self.action_reload()
