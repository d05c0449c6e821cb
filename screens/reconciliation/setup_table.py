"""A setup table edited in place (payment application rules, text-to-account mappings):
a table of rows, a line describing the highlighted row, Enter (or e) edits, a (or
Insert) adds, Delete (or x) deletes.

Every change is a typed command (``UpdateRule``, ``AddMapping``, … next to the screen
that gives it, a ``SetupChange``) run in a worker through the matching setup service;
``TableWritten`` reports it. The table is read again afterwards, also when the service
refuses the change because another clerk changed the row meanwhile: the clerk then sees
the other clerk's values and the message that says who changed what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from core.i18n import N_, _
from core.kernel.errors import ConflictError, LettrageError
from core.reconciliation.setup import MatchingSetupService
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.workers import core_worker

R = TypeVar("R")
Cell = str | Text


class SetupChange(Protocol):
    """One change of a setup table, run by the write worker on the setup service; it
    returns what was saved (a row whose key the cursor goes to) or None."""

    def run(self, svc: MatchingSetupService) -> object: ...


@dataclass
class RowsLoaded(Outcome, namespace="setup_table_screen"):
    rows: list[Any]


@dataclass
class TableWritten(Outcome, namespace="setup_table_screen"):
    """``change`` was saved (``conflict`` empty) or refused by another clerk's; the rows
    now."""
    change: SetupChange
    rows: list[Any]
    focus: str | None
    conflict: str
    done: str


class SetupTableScreen(BaseScreen, Generic[R]):
    """Subclasses name the columns and the words, and say how to load, show and key a
    row; the table, the info line, the cursor and the write-then-reload are here."""

    # (label, width, right-aligned); cell padding 0, so the table fits 80 columns
    COLUMNS: ClassVar[tuple[tuple[str, int, bool], ...]] = ()
    LOADING: ClassVar[str] = N_("Loading…")
    EMPTY: ClassVar[str] = N_("Nothing here yet: a adds one.")  # the info line of an empty table
    NONE_HERE: ClassVar[str] = N_("There is nothing here; a adds one.")
    DEFAULT_CSS = """
    SetupTableScreen #setup-table { height: 1fr; }
    SetupTableScreen #setup-info { height: 2; padding: 0 1; background: $boost; }
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.rows: list[R] = []

    # --- what a subclass says ----------------------------------------------------------

    def load(self, svc: MatchingSetupService) -> list[R]:
        raise NotImplementedError

    def row_key(self, row: R) -> str:
        raise NotImplementedError

    def cells(self, row: R) -> list[Cell]:
        raise NotImplementedError

    def describe(self, row: R) -> str:
        raise NotImplementedError

    def summary(self, rows: list[R]) -> str:
        raise NotImplementedError

    # --- the table -------------------------------------------------------------------

    @property
    def service(self) -> MatchingSetupService:
        return self.ctx.services.matching_setup

    @property
    def table(self) -> DataTable[Cell]:
        return cast("DataTable[Cell]", self.query_one("#setup-table", DataTable))

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static(_(self.LOADING), id="filters", markup=False)
        yield DataTable(id="setup-table", cursor_type="row", zebra_stripes=True,
                        cell_padding=0)
        yield Static("", id="setup-info", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        for name, width, right in self.COLUMNS:
            self.table.add_column(Text(_(name) + " ", justify="right") if right else _(name),
                                  width=width, key=name)
        self.table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @core_worker("load")
    def _load(self) -> RowsLoaded:
        return RowsLoaded(self.load(self.service))

    def on_setup_table_screen_rows_loaded(self, message: RowsLoaded) -> None:
        self._fill(message.rows)

    def _fill(self, rows: list[R], focus: str | None = None) -> None:
        current = self.current()
        wanted = focus or (self.row_key(current) if current is not None else None)
        self.rows = rows
        self.table.clear()
        for row in rows:
            self.table.add_row(*self.cells(row), key=self.row_key(row))
        keys = [self.row_key(r) for r in rows]
        if wanted in keys:
            self.table.move_cursor(row=keys.index(wanted))
        self.query_one("#filters", Static).update(self.summary(rows))
        self._info()

    def _info(self) -> None:
        row = self.current()
        self.query_one("#setup-info", Static).update(
            self.describe(row) if row is not None else _(self.EMPTY))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._info()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        raise NotImplementedError

    def current(self) -> R | None:
        row = self.table.cursor_row if self.rows else -1
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def need_row(self) -> R:
        row = self.current()
        if row is None:
            raise LettrageError(_(self.NONE_HERE))
        return row

    # --- writing ---------------------------------------------------------------------

    @core_worker("write")
    def write(self, change: SetupChange, done: str, focus: str | None = None
              ) -> TableWritten:
        """Run ``change`` in a worker, then read the table again and put the cursor on
        ``focus`` (or on the row ``change`` returned). A conflict is reported and the
        table reloaded, so the clerk sees the other clerk's values. ``done`` is the
        notification, translated by the caller on the UI thread."""
        svc = self.service
        try:
            saved = change.run(svc)
        except ConflictError as error:
            return TableWritten(change, self.load(svc), None, str(error), done)
        return TableWritten(change, self.load(svc), focus or self.saved_key(saved), "", done)

    def on_setup_table_screen_table_written(self, message: TableWritten) -> None:
        self._fill(message.rows, message.focus)
        if message.conflict:
            self.notify(message.conflict, title=_("Not saved"), severity="warning", timeout=8)
        else:
            self.notify(message.done)

    def saved_key(self, saved: object) -> str | None:
        """The key of the row a change returned, when the cursor should go to it."""
        return None
