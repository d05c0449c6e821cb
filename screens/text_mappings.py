"""Text-to-Account Mappings (BC page 1254): statement texts that always go to the same
account, such as bank fees. A line whose text contains a mapping text is applied to its
account by the next Apply Automatically ("High - Text-to-Account Mapping").

Enter (or e) edits, a (or Insert) adds, Delete (or x) deletes. k on a journal line
creates a mapping from that line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from core.errors import ConflictError, LettrageError
from core.services.recon_rules import MAPPING_SOURCE_LABELS, MatchingSetupService
from core.services.recon_types import MappingView
from screens.base import BaseScreen, title_bar
from screens.recon_dialogs import ConfirmModal, FormModal
from screens.reconciliation_journal import recon_services
from tui.context import Context

COLUMNS = (("Mapping text", 30, False), ("Debit acc.", 11, False),
           ("Credit acc.", 12, False), ("Bal. source", 13, False), ("Source no.", 11, False))
SOURCES = tuple((text, value) for value, text in MAPPING_SOURCE_LABELS.items())


def describe(m: MappingView) -> str:
    if m.bal_source_type == "gl_account":
        parts = [f"received → G/L {m.debit_acc_no}" if m.debit_acc_no else
                 "received: no account", f"paid out → G/L {m.credit_acc_no}"
                 if m.credit_acc_no else "paid out: no account"]
        target = " · ".join(parts)
    else:
        target = f"→ {MAPPING_SOURCE_LABELS[m.bal_source_type]} {m.bal_source_no}"
    return f"Lines whose text contains '{m.mapping_text}': {target}"


class MappingModal(FormModal[MappingView]):
    """Edit (or add) one mapping."""

    def __init__(self, mapping: MappingView, adding: bool) -> None:
        super().__init__()
        self.mapping = mapping
        self.adding = adding

    def compose(self) -> ComposeResult:
        m = self.mapping
        with Vertical(id="dialog"):
            yield Static(("New text mapping" if self.adding else "Text mapping")
                         + " — Ctrl+S saves, Esc cancels", classes="dialog-title",
                         markup=False)
            yield Static("Debit acc. no. takes money received, credit acc. no. money "
                         "paid out; or choose a customer, vendor or bank account.",
                         markup=False)
            with Grid(id="fields"):
                yield Label("Mapping text")
                yield Input(m.mapping_text, id="mapping_text")
                yield Label("Debit acc. no.")
                yield Input(m.debit_acc_no, id="debit_acc_no")
                yield Label("Credit acc. no.")
                yield Input(m.credit_acc_no, id="credit_acc_no")
                yield Label("Bal. source type")
                yield Select(SOURCES, value=m.bal_source_type, allow_blank=False,
                             id="bal_source_type")
                yield Label("Bal. source no.")
                yield Input(m.bal_source_no, id="bal_source_no")
            yield Static("", id="error", markup=False)

    def result(self) -> MappingView:
        if not self.text("mapping_text"):
            raise LettrageError("Enter the mapping text.")
        return replace(self.mapping, mapping_text=self.text("mapping_text"),
                       debit_acc_no=self.text("debit_acc_no"),
                       credit_acc_no=self.text("credit_acc_no"),
                       bal_source_type=self.choice("bal_source_type"),
                       bal_source_no=self.text("bal_source_no"))


class TextMappingsScreen(BaseScreen):
    """The text-to-account mappings, editable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="mappings.edit",
                tooltip="Change the highlighted mapping (or Enter)"),
        Binding("a,insert", "add", "Add", id="mappings.add", tooltip="Add a mapping"),
        Binding("delete,x", "delete", "Delete", id="mappings.delete",
                tooltip="Delete the highlighted mapping"),
        Binding("f5", "reload", "Refresh", show=False, id="mappings.refresh"),
    ]
    DEFAULT_CSS = """
    TextMappingsScreen #mappings { height: 1fr; }
    TextMappingsScreen #mapping-info { height: 2; padding: 0 1; background: $boost; }
    """
    HELP = ("A statement line whose text contains a mapping text goes to the mapping's "
            "account on the next Apply Automatically, unless a High rule matches. Enter "
            "edits, a adds, Delete removes. k on a journal line maps its text.")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.mappings: list[MappingView] = []

    def screen_title(self) -> str:
        return "Text-to-Account Mappings"

    @property
    def service(self) -> MatchingSetupService:
        return recon_services(self.ctx).matching_setup

    @property
    def table(self) -> DataTable[str | Text]:
        return cast("DataTable[str | Text]", self.query_one("#mappings", DataTable))

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("Loading the mappings…", id="filters", markup=False)
        yield DataTable(id="mappings", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="mapping-info", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        for name, width, _right in COLUMNS:
            self.table.add_column(name, width=width, key=name)
        self.table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.query_core(self.service.mappings, self._fill)

    def _fill(self, mappings: list[MappingView], focus: int | None = None) -> None:
        current = self.current()
        wanted = focus if focus is not None else (current.id if current else None)
        self.mappings = mappings
        self.table.clear()
        for m in mappings:
            self.table.add_row(m.mapping_text[:29], m.debit_acc_no, m.credit_acc_no,
                               MAPPING_SOURCE_LABELS.get(m.bal_source_type,
                                                         m.bal_source_type),
                               m.bal_source_no, key=str(m.id))
        ids = [m.id for m in mappings]
        if wanted in ids:
            self.table.move_cursor(row=ids.index(wanted))
        self.query_one("#filters", Static).update(
            f"{len(mappings)} mappings · used by the next Apply Automatically")
        self._info()

    def _info(self) -> None:
        m = self.current()
        self.query_one("#mapping-info", Static).update(
            describe(m) if m else "No mappings yet: a adds one, or k on a journal line.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._info()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def current(self) -> MappingView | None:
        row = self.table.cursor_row if self.mappings else -1
        return self.mappings[row] if 0 <= row < len(self.mappings) else None

    def _need_mapping(self) -> MappingView:
        m = self.current()
        if m is None:
            raise LettrageError("There is no mapping here; a adds one.")
        return m

    def _write(self, change: Callable[[MatchingSetupService], MappingView | None],
               done: str) -> None:
        """Run ``change`` in a worker and read the list again (also after a conflict,
        so the clerk sees what the other clerk saved)."""
        svc = self.service

        def call() -> tuple[list[MappingView], int | None, str]:
            try:
                saved = change(svc)
            except ConflictError as error:
                return svc.mappings(), None, str(error)
            return svc.mappings(), saved.id if saved else None, ""

        def then(result: tuple[list[MappingView], int | None, str]) -> None:
            mappings, focus, conflict = result
            self._fill(mappings, focus)
            if conflict:
                self.notify(conflict, title="Not saved", severity="warning", timeout=8)
            else:
                self.notify(done)

        self.query_core(call, then, group="write")

    def action_edit(self) -> None:
        before = self._need_mapping()

        def chosen(after: MappingView | None) -> None:
            if after is not None and after != before:
                self._write(lambda svc: svc.update_mapping(before, after), "Mapping saved.")

        self.app.push_screen(MappingModal(before, adding=False), chosen)

    def action_add(self) -> None:
        def chosen(new: MappingView | None) -> None:
            if new is not None:
                self._write(lambda svc: svc.add_mapping(new), "Mapping added.")

        self.app.push_screen(MappingModal(MappingView(0, "", "", "", "gl_account", ""),
                                          adding=True), chosen)

    def action_delete(self) -> None:
        m = self._need_mapping()

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(lambda svc: _deleted(svc, m), "Mapping deleted.")

        self.app.push_screen(ConfirmModal(f"Delete the mapping of '{m.mapping_text}'?"),
                             answered)


def _deleted(svc: MatchingSetupService, m: MappingView) -> None:
    svc.delete_mapping(m)
