"""Text-to-Account Mappings (BC page 1254): statement texts that always go to the same
account, such as bank fees. A line whose text contains a mapping text is applied to its
account by the next Apply Automatically ("High - Text-to-Account Mapping").

Enter (or e) edits, a (or Insert) adds, Delete (or x) deletes. k on a journal line
creates a mapping from that line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.reconciliation.setup import MAPPING_SOURCE_LABELS, MatchingSetupService
from core.reconciliation.types import MappingView
from screens.application.support import account_search
from screens.reconciliation.dialogs import FormModal
from screens.reconciliation.setup_table import SetupTableScreen
from screens.shared.confirm import ConfirmModal
from tui.messages import Outcome
from tui.workers import core_worker

MAPPING_COLUMNS = ((N_("Mapping text"), 30, False), (N_("Debit acc."), 11, False),
                   (N_("Credit acc."), 12, False), (N_("Bal. source"), 13, False),
                   (N_("Source no."), 11, False))
SOURCES = tuple((text, value) for value, text in MAPPING_SOURCE_LABELS.items())  # _() when shown


def describe(m: MappingView) -> str:
    if m.bal_source_type == "gl_account":
        parts = [
            _("received → G/L {debit_acc_no}").format(debit_acc_no=m.debit_acc_no)
            if m.debit_acc_no
            else _("received: no account"),
            _("paid out → G/L {credit_acc_no}").format(credit_acc_no=m.credit_acc_no)
            if m.credit_acc_no
            else _("paid out: no account"),
        ]
        target = " · ".join(parts)
    else:
        target = f"→ {_(MAPPING_SOURCE_LABELS[m.bal_source_type])} {m.bal_source_no}"
    return _("Lines whose text contains '{mapping_text}': {target}").format(
              mapping_text=m.mapping_text, target=target)


class MappingModal(FormModal[MappingView]):
    """Edit (or add) one mapping."""

    def __init__(self, mapping: MappingView, adding: bool) -> None:
        super().__init__()
        self.mapping = mapping
        self.adding = adding

    def compose(self) -> ComposeResult:
        m = self.mapping
        with Vertical(id="dialog"):
            yield Static((_("New text mapping") if self.adding else _("Text mapping"))
                         + _(" — Ctrl+S saves, Esc cancels"), classes="dialog-title",
                         markup=False)
            yield Static(_("Debit acc. no. takes money received, credit acc. no. money "
                         "paid out; or choose a customer, vendor or bank account."),
                         markup=False)
            with Grid(id="fields"):
                yield Label(_("Mapping text"))
                yield Input(m.mapping_text, id="mapping_text")
                yield Label(_("Debit acc. no."))
                yield Input(m.debit_acc_no, id="debit_acc_no", classes="gl-account")
                yield Label(_("Credit acc. no."))
                yield Input(m.credit_acc_no, id="credit_acc_no", classes="gl-account")
                yield Label(_("Bal. source type"))
                yield Select(
                    [(_(t), v) for t, v in SOURCES],
                    value=m.bal_source_type,
                    allow_blank=False,
                    id="bal_source_type",
                )
                yield Label(_("Bal. source no."))
                yield Input(m.bal_source_no, id="bal_source_no")
            yield Static("", id="account-name", markup=False)
            yield Static("", id="error", markup=False)

    def result(self) -> MappingView:
        if not self.text("mapping_text"):
            raise LettrageError(_("Enter the mapping text."))
        return replace(self.mapping, mapping_text=self.text("mapping_text"),
                       debit_acc_no=self.text("debit_acc_no"),
                       credit_acc_no=self.text("credit_acc_no"),
                       bal_source_type=self.choice("bal_source_type"),
                       bal_source_no=self.text("bal_source_no"))


@dataclass(frozen=True)
class UpdateMapping:
    """Change the mapping the clerk saw (``before``) into ``after`` (a SetupChange)."""
    before: MappingView
    after: MappingView

    def run(self, svc: MatchingSetupService) -> MappingView:
        return svc.update_mapping(self.before, self.after)


@dataclass(frozen=True)
class AddMapping:
    mapping: MappingView

    def run(self, svc: MatchingSetupService) -> MappingView:
        return svc.add_mapping(self.mapping)


@dataclass(frozen=True)
class DeleteMapping:
    mapping: MappingView

    def run(self, svc: MatchingSetupService) -> None:
        svc.delete_mapping(self.mapping)


@dataclass
class MappingAccountsLoaded(Outcome, namespace="text_mappings_screen"):
    """The G/L posting accounts (no. -> name) for the mapping form."""
    names: dict[str, str]


class TextMappingsScreen(SetupTableScreen[MappingView]):
    """The text-to-account mappings, editable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", N_("Edit"), id="mappings.edit",
                tooltip=N_("Change the highlighted mapping (or Enter)")),
        Binding("a,insert", "add", N_("Add"), id="mappings.add", tooltip=N_("Add a mapping")),
        Binding("delete,x", "delete", N_("Delete"), id="mappings.delete",
                tooltip=N_("Delete the highlighted mapping")),
        Binding("f5", "reload", N_("Refresh"), show=False, id="mappings.refresh"),
    ]
    HELP = (N_("A statement line whose text contains a mapping text goes to the mapping's "
            "account on the next Apply Automatically, unless a High rule matches. Enter "
            "edits, a adds, Delete removes. k on a journal line maps its text."))
    COLUMNS = MAPPING_COLUMNS
    LOADING = N_("Loading the mappings…")
    EMPTY = N_("No mappings yet: a adds one, or k on a journal line.")
    NONE_HERE = N_("There is no mapping here; a adds one.")

    def screen_title(self) -> str:
        return _("Text-to-Account Mappings")

    @property
    def mappings(self) -> list[MappingView]:
        return self.rows

    def load(self, svc: MatchingSetupService) -> list[MappingView]:
        return svc.mappings()

    def row_key(self, row: MappingView) -> str:
        return str(row.id)

    def saved_key(self, saved: object) -> str | None:
        return str(saved.id) if isinstance(saved, MappingView) else None

    def summary(self, rows: list[MappingView]) -> str:
        return _("{count} mappings · used by the next Apply Automatically").format(
                  count=len(rows))

    def cells(self, row: MappingView) -> list[str | Text]:
        return [row.mapping_text[:29], row.debit_acc_no, row.credit_acc_no,
                _(MAPPING_SOURCE_LABELS.get(row.bal_source_type, row.bal_source_type)),
                row.bal_source_no]

    def describe(self, row: MappingView) -> str:
        return describe(row)

    def action_edit(self) -> None:
        before = self.need_row()

        def chosen(after: MappingView | None) -> None:
            if after is not None and after != before:
                self.write(UpdateMapping(before, after), _("Mapping saved."))

        self._open(MappingModal(before, adding=False), chosen)

    def action_add(self) -> None:
        def chosen(new: MappingView | None) -> None:
            if new is not None:
                self.write(AddMapping(new), _("Mapping added."))

        self._open(MappingModal(MappingView(0, "", "", "", "gl_account", ""), adding=True),
                   chosen)

    def _open(self, modal: MappingModal, chosen: Callable[[MappingView | None], None]) -> None:
        """Show the form with the G/L accounts (the name under a typed no.) and F4 on
        every account field: G/L accounts, customers, vendors, bank accounts."""
        self._form = (modal, chosen)
        self._load_accounts()

    @core_worker("gl-accounts")
    def _load_accounts(self) -> MappingAccountsLoaded:
        return MappingAccountsLoaded(
            {a.no: a.name for a in self.ctx.services.queries.chart_of_accounts().rows
             if a.account_type == "posting" and not a.blocked})

    def on_text_mappings_screen_mapping_accounts_loaded(self, message: MappingAccountsLoaded
                                                        ) -> None:
        modal, chosen = self._form
        queries = self.ctx.services.queries
        self.app.push_screen(
            modal.with_accounts(message.names).with_lookups(
                lambda kind: account_search(queries, kind)), chosen)

    def action_delete(self) -> None:
        m = self.need_row()

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(DeleteMapping(m), _("Mapping deleted."))

        self.app.push_screen(ConfirmModal(_("Delete the mapping of '{mapping_text}'?").format(
                                             mapping_text=m.mapping_text)),
                             answered)

