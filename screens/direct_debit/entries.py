"""One direct debit collection's entries with their status (Enter edit and d delete while
New, r reject)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.direct_debit.views import (
    CollectionView,
    EntryView,
)
from core.i18n import N_, _, format_date
from core.kernel.errors import LettrageError
from screens.direct_debit.common import FormModal, dd, right, status
from screens.direct_debit.table import ENTRY_COLUMNS, _columns, _Table
from screens.shared.base import title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.workers import core_worker


@dataclass
class EntriesLoaded(Outcome, namespace="dd_entries_screen"):
    collection: CollectionView
    rows: list[EntryView]


@dataclass
class EntryRejected(Outcome, namespace="dd_entries_screen"):
    entry: EntryView


@dataclass
class EntryEdited(Outcome, namespace="dd_entries_screen"):
    entry: EntryView


@dataclass
class EntryDeleted(Outcome, namespace="dd_entries_screen"):
    entry_id: int


class DDEntriesScreen(_Table):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,f2", "edit", N_("Edit"), id="dde.edit"),
        Binding("r", "reject", N_("Reject"), id="dde.reject"),
        Binding("d", "delete", N_("Delete"), id="dde.delete"),
        Binding("e", "export", N_("Export"), id="dde.export"),
        Binding("f9", "post", N_("Post"), id="dde.post"),
        Binding("j", "journal_only", N_("Journal only"), id="dde.journal", show=False),
        Binding("i", "import_status", N_("Status report"), id="dde.status", show=False),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="dde.refresh", show=False),
    ]
    HELP = N_("The entries of one collection with their status: Enter changes the transfer "
              "date or amount of a New entry, d deletes a New entry, r rejects a File "
              "Created entry with the bank's reason code (the mandate counter rolls back), "
              "e exports the collection, F9 posts its payment receipts, j writes them to a "
              "cash receipt journal batch only, i imports a pain.002 status report.")
    DEFAULT_CSS = """
    DDEntriesScreen #dde-table { height: 1fr; }
    DDEntriesScreen #dde-info { height: 2; padding: 0 1; background: $boost; }
    """

    def __init__(self, ctx: Context, collection_no: int) -> None:
        super().__init__(ctx)
        self.collection_no = collection_no
        self.keys: list[int] = []
        self.entries: dict[int, Any] = {}
        self.identifier = ""

    def screen_title(self) -> str:
        return _("Direct Debit Collection {no}").format(no=self.collection_no)

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="dde-info", markup=False)
        yield DataTable(id="dde-table", cursor_type="row", cell_padding=0)
        yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        _columns(table, ENTRY_COLUMNS)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load_entries(self.collection_no)

    @core_worker("load")
    def _load_entries(self, no: int) -> EntriesLoaded:
        svc = dd(self.ctx)
        return EntriesLoaded(svc.collection(no), svc.entries(no))

    def on_dd_entries_screen_entries_loaded(self, message: EntriesLoaded) -> None:
        c, rows = message.collection, message.rows
        self.identifier = c.identifier
        table = self.query_one(DataTable)
        table.clear()
        self.keys = [e.id for e in rows]
        self.entries = {e.id: e for e in rows}
        for e in rows:
            table.add_row(str(e.id), e.customer_no[:7], e.document_no[:10],
                          short_date(e.transfer_date), right(self.ctx, e.amount),
                          " " + e.sequence_type,
                          status(e.status), e.reject_reason[:6], key=str(e.id))
        where = _("file {path}").format(path=c.exported_file) if c.exported_file else ""
        self.query_one("#dde-info", Static).update(_(
            "{identifier} · {status} · {count} entries · {total} · exported {day}\n"
            "{where}").format(identifier=c.identifier, status=status(c.status),
                              count=c.entries, total=self.ctx.number_format.amount(c.total),
                              day=format_date(c.exported_at.date()) if c.exported_at else "-",
                              where=where))

    def action_reject(self) -> None:
        entry = self._current()
        if entry is None:
            return

        def answered(values: dict[str, str] | None) -> None:
            if values:
                self._reject(entry, values["reason"])

        self.app.push_screen(FormModal(_("Reject entry {entry}").format(entry=entry), [
            ("reason", _("Reason code (e.g. MD06, AM04)"), "")]), answered)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        entry = self._current()
        if entry is None:
            return
        e = self.entries[entry]
        if e.status != "new":
            self.notify(_("Entry {entry} can only be changed while New; its status is "
                          "{status}.").format(entry=entry, status=status(e.status)),
                        severity="warning")
            return

        def answered(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                day = self.ctx.number_format.parse_day(values["date"]) \
                    if values["date"] else None
                amount = self.ctx.number_format.parse(values["amount"]) \
                    if values["amount"] else None
            except (ValueError, LettrageError) as exc:
                self.notify(str(exc), severity="error")
                return
            self._edit_entry(entry, day, amount)

        self.app.push_screen(FormModal(_("Edit entry {entry} ({document_no})").format(
            entry=entry, document_no=e.document_no), [
            ("date", _("Transfer Date"), format_date(e.transfer_date)),
            ("amount", _("Transfer Amount"), self.ctx.number_format.amount(e.amount))]),
            answered)

    @core_worker("write")
    def _edit_entry(self, entry_id: int, day: date | None,
                    amount: Decimal | None) -> EntryEdited:
        return EntryEdited(dd(self.ctx).edit_entry(entry_id, day, amount))

    def on_dd_entries_screen_entry_edited(self, message: EntryEdited) -> None:
        v = message.entry
        self._done(_("Entry {entry}: transfer date {day}, amount {amount}.").format(
            entry=v.id, day=format_date(v.transfer_date),
            amount=self.ctx.number_format.amount(v.amount)))

    def action_delete(self) -> None:
        entry = self._current()
        if entry is not None:
            self._delete(entry)

    @core_worker("write")
    def _reject(self, entry_id: int, reason: str) -> EntryRejected:
        return EntryRejected(dd(self.ctx).reject(entry_id, reason))

    def on_dd_entries_screen_entry_rejected(self, message: EntryRejected) -> None:
        self._done(_("Entry {entry} rejected: {reason}.").format(
            entry=message.entry.id, reason=message.entry.reject_reason))

    @core_worker("write")
    def _delete(self, entry_id: int) -> EntryDeleted:
        dd(self.ctx).delete_entry(entry_id)
        return EntryDeleted(entry_id)

    def on_dd_entries_screen_entry_deleted(self, message: EntryDeleted) -> None:
        self._done(_("Entry {entry} deleted.").format(entry=message.entry_id))

    def action_export(self) -> None:
        self._ask_export(self.collection_no, self.identifier or str(self.collection_no))

    def action_post(self) -> None:
        self._post(self.collection_no)

    def action_journal_only(self) -> None:
        self._journal_only(self.collection_no)

    def action_import_status(self) -> None:
        self._import_status()
