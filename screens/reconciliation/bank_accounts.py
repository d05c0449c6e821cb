"""Bank Accounts (BC page 371) with balance and open (unreconciled) entries, and the
keys to reconcile, import, set the match tolerance and open the matching setup."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.queries.types import BankAccountRow, PageRequest
from core.reconciliation.setup import TOLERANCE_LABELS, ToleranceView, parse_tolerance
from screens.bank_reconciliation.lists import BankRecListScreen
from screens.ledger.bank_entries import BankEntriesScreen
from screens.reconciliation.dialogs import FormModal
from screens.shared.base import ListScreen
from screens.shared.navigate import Navigate
from screens.statements.flows import ImportFlow
from tui.messages import Outcome
from tui.widgets.lazy_table import Column, Fetch, LazyTable
from tui.workers import core_worker


class ToleranceModal(FormModal[tuple[str, Decimal]]):
    """The bank account's match tolerance: Amount (± that much) or Percentage."""

    FIRST = "tolerance_type"

    def __init__(self, view: ToleranceView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        v = self.view
        with Vertical(id="dialog"):
            yield Static(
                _(
                    "Match tolerance of {bank_account_no} {bank_account_name} — "
                    "Ctrl+S saves, Esc cancels"
                ).format(bank_account_no=v.bank_account_no, bank_account_name=v.bank_account_name),
                classes="dialog-title",
                markup=False,
            )
            yield Static(_("Apply Automatically counts an open entry as the right amount "
                         "when it lies within the statement amount ± this tolerance."),
                         markup=False)
            with Grid(id="fields"):
                yield Label(_("Tolerance type"))
                yield Select([(_(text), value) for value, text in TOLERANCE_LABELS.items()],
                             value=v.tolerance_type, allow_blank=False, id="tolerance_type")
                yield Label(_("Tolerance value"))
                yield Input(f"{v.tolerance_value:.2f}", id="tolerance_value",
                            placeholder=_("e.g. 5.00 (amount) or 1.5 (percent)"))
            yield Static("", id="error", markup=False)

    def result(self) -> tuple[str, Decimal]:
        kind = self.choice("tolerance_type")
        text = self.text("tolerance_value").replace(",", ".")
        return kind, parse_tolerance(kind, text)


@dataclass
class ToleranceLoaded(Outcome, namespace="bank_accounts_screen"):
    view: ToleranceView


@dataclass
class ToleranceSaved(Outcome, namespace="bank_accounts_screen"):
    view: ToleranceView


class BankAccountsScreen(ImportFlow, ListScreen):
    # priority: the list's own j/k move the cursor
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "journal", N_("Reconcile"), priority=True, id="banks.journal",
                tooltip=N_("Open the payment reconciliation journal of the account")),
        Binding("i", "import_statement", N_("Import"), priority=True, id="banks.import",
                tooltip=N_("Import a bank statement file for the account")),
        Binding("l", "bank_rec", N_("Bank rec."), id="banks.bank_rec",
                tooltip=N_("Bank account reconciliations of the account")),
        Binding("t", "tolerance", N_("Tolerance"), id="banks.tolerance",
                tooltip=N_("Match tolerance of the account (amount or percentage)")),
        Binding("u", "open('payment_rules')", N_("Rules"), show=False, id="banks.rules",
                tooltip=N_("Payment application rules")),
        Binding("e", "open('match_settings')", N_("Settings"), show=False,
                id="banks.settings", tooltip=N_("Payment application settings")),
        Binding("K", "open('text_mappings')", N_("Mappings"), show=False, id="banks.mappings",
                tooltip=N_("Text-to-account mappings")),
    ]
    SORTABLE = SEARCHABLE = False
    TITLE_TEXT = N_("Bank Accounts")
    HELP = (N_("Enter opens the account's ledger entries, j its payment reconciliation "
            "journal, l its bank account reconciliations, i imports a statement file, t "
            "sets its match tolerance. The "
            "matching setup: u payment application rules, e settings, K text-to-account "
            "mappings."))

    def filter_words(self) -> list[str]:
        return [_("Enter: entries · j: reconcile · l: bank rec. · i: import · t: tolerance · "
                "u/e/K: rules/settings/mappings")]

    def _bank_no(self) -> str | None:
        row = self.table.cursor_value
        return row.no if isinstance(row, BankAccountRow) else None

    def action_journal(self) -> None:
        if (no := self._bank_no()) is not None:
            self.post_message(Navigate("journal", bank_no=no))

    def action_bank_rec(self) -> None:
        if (no := self._bank_no()) is not None:
            self.app.push_screen(BankRecListScreen(self.ctx, no))

    def action_import_statement(self) -> None:
        self.open_import(self._bank_no())

    def action_tolerance(self) -> None:
        no = self._bank_no()
        if no is None:
            raise LettrageError(_("There is no bank account here."))
        self._load_tolerance(no)

    @core_worker("tolerance")
    def _load_tolerance(self, no: str) -> ToleranceLoaded:
        return ToleranceLoaded(self.ctx.services.matching_setup.tolerance(no))

    def on_bank_accounts_screen_tolerance_loaded(self, message: ToleranceLoaded) -> None:
        view = message.view

        def chosen(value: tuple[str, Decimal] | None) -> None:
            if value is None or value == (view.tolerance_type, view.tolerance_value):
                return
            self._save_tolerance(view, *value)

        self.app.push_screen(ToleranceModal(view), chosen)

    @core_worker("tolerance")
    def _save_tolerance(self, view: ToleranceView, kind: str, amount: Decimal
                        ) -> ToleranceSaved:
        return ToleranceSaved(self.ctx.services.matching_setup.set_tolerance(
            view.bank_account_no, kind, amount, view.version))

    def on_bank_accounts_screen_tolerance_saved(self, message: ToleranceSaved) -> None:
        view = message.view
        shown = f"{view.tolerance_value:.2f}" + (" %" if view.tolerance_type == "percentage"
                                                  else "")
        self.notify(_("Match tolerance of {bank_account_no}: {tolerance_type} {shown}.").format(
                       bank_account_no=view.bank_account_no,
                       tolerance_type=_(TOLERANCE_LABELS[view.tolerance_type]), shown=shown))

    def action_open(self, target: str) -> None:
        self.post_message(Navigate(target))

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format
        return [Column(_("No."), 6, lambda r: r.no), Column(_("Name"), 0, lambda r: r.name),
                Column(_("Cur."), 4, lambda r: r.currency),
                Column(_("Balance"), 13, lambda r: nf.amount(r.balance), right=True),
                Column(_("Open"), 5, lambda r: str(r.open_entries), right=True),
                Column(_("Last st."), 8, lambda r: r.last_statement_no or "-", right=True),
                Column(_("St. balance"), 13, lambda r: nf.amount(r.balance_last_statement)
                       if r.last_statement_no else "", right=True)]

    def make_fetch(self) -> Fetch:
        queries = self.ctx.services.queries

        def fetch(_request: PageRequest) -> Any:
            return queries.bank_accounts()

        return fetch

    @on(LazyTable.RowSelected)
    def _selected(self, event: LazyTable.RowSelected) -> None:
        if isinstance(row := event.value, BankAccountRow):
            self.app.push_screen(BankEntriesScreen(self.ctx, row.no, row.name, iban=row.iban))
