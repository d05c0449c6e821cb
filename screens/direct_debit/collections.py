"""Direct Debit Collections: the list (c create, Enter entries, e export, F9 post payment
receipts, x close) and one collection's entries with their status (r reject, d delete
while New)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.direct_debit.views import CollectRequest
from core.i18n import N_, NP_, _, format_date
from screens.direct_debit.common import FormModal, dd, right, status
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date

LIST_COLUMNS = (
    (NP_("dd column", "No."), 4),
    (NP_("dd column", "Identifier"), 11),
    (NP_("dd column", "Bank"), 6),
    (NP_("dd column", "Status"), 12),
    (NP_("dd column", "From"), 9),
    (NP_("dd column", "To"), 9),
    (NP_("dd column", "Entr."), 5),
    (NP_("dd column", "Total"), 12),
)
ENTRY_COLUMNS = (
    (NP_("dd column", "Entry"), 5),
    (NP_("dd column", "Cust."), 7),
    (NP_("dd column", "Document"), 10),
    (NP_("dd column", "Transfer"), 9),
    (NP_("dd column", "Amount"), 11),
    (NP_("dd column", "Seq."), 5),
    (NP_("dd column", "Status"), 12),
    (NP_("dd column", "Reason"), 6),
)


def _short(day: date | None) -> str:
    return short_date(day)  # 27 Nov 26: the year always there, the month in words


def _columns(table: DataTable[Any], columns: tuple[tuple[str, int], ...]) -> None:
    for label, width in columns:
        text = str(label)
        if getattr(label, "msgid", label) in ("Total", "Amount"):
            table.add_column(Text(text + " ", justify="right"), width=width + 1)
        else:
            seq = getattr(label, "msgid", label) == "Seq."
            table.add_column(" " + text if seq else text, width=width + 1)


class _Table(BaseScreen):
    keys: list[int]

    def _current(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.keys or table.cursor_row is None or table.cursor_row >= len(self.keys):
            return None
        return self.keys[table.cursor_row]

    def _ask_export(self, no: int, identifier: str) -> None:
        default = str(Path.home() / f"{identifier}.xml")

        def answered(values: dict[str, str] | None) -> None:
            if not values:
                return
            fmt = values["format"] or None
            self.query_core(lambda: dd(self.ctx).export(no, Path(values["path"]), fmt),
                            lambda r: self._done(r.message), group="write")

        self.app.push_screen(FormModal(_("Export collection {no} (pain.008)").format(no=no), [
            ("path", _("File"), default),
            ("format", _("Format (empty: the bank's; pain.008.001.02 or .08)"), "")]),
            answered)

    def _post(self, no: int) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.query_core(lambda: dd(self.ctx).post_receipts(no),
                                lambda v: self._done(v.message), group="write")

        self.app.push_screen(ConfirmModal(
            _("Post the payment receipts of collection {no}?").format(no=no),
            _("One payment per File Created entry, applied to its invoice.")), answered)

    def _done(self, message: str) -> None:
        self.notify(message, timeout=8)
        self.action_reload()

    def action_reload(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class DDCollectionsScreen(_Table):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Entries"), id="ddc.open"),
        Binding("c", "create", N_("Create"), id="ddc.create"),
        Binding("e", "export", N_("Export"), id="ddc.export"),
        Binding("f9", "post", N_("Post"), id="ddc.post"),
        Binding("x", "close", N_("Close"), id="ddc.close", show=False),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="ddc.refresh", show=False),
    ]
    HELP = N_("c creates a collection of the invoices due in a date range whose customers "
              "have a valid mandate; Enter shows its entries; e exports it as a pain.008 "
              "file (checked against the official XSD first); F9 posts its payment "
              "receipts; x closes it.")
    DEFAULT_CSS = """
    DDCollectionsScreen #ddc-table { height: 1fr; }
    DDCollectionsScreen #ddc-info { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.keys: list[int] = []
        self.rows: dict[int, Any] = {}

    def screen_title(self) -> str:
        return _("Direct Debit Collections")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="ddc-info", markup=False)
        yield DataTable(id="ddc-table", cursor_type="row", cell_padding=0)
        yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        _columns(table, LIST_COLUMNS)
        table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.query_core(dd(self.ctx).collections, self._fill)

    def _fill(self, rows: list[Any]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.keys = [c.no for c in rows]
        self.rows = {c.no: c for c in rows}
        for c in rows:
            table.add_row(str(c.no), c.identifier[:10], c.bank_account_no[:6], status(c.status),
                          _short(c.from_date), _short(c.to_date), str(c.entries),
                          right(self.ctx, c.total), key=str(c.no))
        self.query_one("#ddc-info", Static).update(_(
            "{count} collections · c create · Enter entries · e export · F9 post").format(
                count=len(rows)))

    def action_open(self) -> None:
        if (no := self._current()) is not None:
            self.app.push_screen(DDEntriesScreen(self.ctx, no))

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_create(self) -> None:
        today = self.ctx.today()
        banks = [c.bank_account_no for c in self.rows.values()]

        def answered(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                req = CollectRequest(values["bank"], date.fromisoformat(values["from"]),
                                     date.fromisoformat(values["to"]))
            except ValueError:
                self.notify(_("Enter dates as YYYY-MM-DD."), severity="error")
                return
            self.query_core(lambda: dd(self.ctx).create_collection(req),
                            lambda v: self._done(v.message), group="write")

        self.app.push_screen(FormModal(_("Create Direct Debit Collection"), [
            ("from", _("From Due Date"), today.isoformat()),
            ("to", _("To Due Date"), (today + timedelta(days=30)).isoformat()),
            ("bank", _("Bank Account No."), banks[0] if banks else "")]), answered)

    def action_export(self) -> None:
        if (no := self._current()) is not None:
            self._ask_export(no, self.rows[no].identifier)

    def action_post(self) -> None:
        if (no := self._current()) is not None:
            self._post(no)

    def action_close(self) -> None:
        no = self._current()
        if no is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_core(lambda: dd(self.ctx).close(no),
                                lambda _v: self._done(_("Collection {no} closed.").format(
                                    no=no)), group="write")

        self.app.push_screen(ConfirmModal(_("Close collection {no}?").format(no=no), ""),
                             answered)


class DDEntriesScreen(_Table):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reject", N_("Reject"), id="dde.reject"),
        Binding("d", "delete", N_("Delete"), id="dde.delete"),
        Binding("e", "export", N_("Export"), id="dde.export"),
        Binding("f9", "post", N_("Post"), id="dde.post"),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="dde.refresh", show=False),
    ]
    HELP = N_("The entries of one collection with their status: r rejects a File Created "
              "entry with the bank's reason code (the mandate counter rolls back), d deletes "
              "a New entry, e exports the collection, F9 posts its payment receipts.")
    DEFAULT_CSS = """
    DDEntriesScreen #dde-table { height: 1fr; }
    DDEntriesScreen #dde-info { height: 2; padding: 0 1; background: $boost; }
    """

    def __init__(self, ctx: Context, collection_no: int) -> None:
        super().__init__(ctx)
        self.collection_no = collection_no
        self.keys: list[int] = []
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
        svc, no = dd(self.ctx), self.collection_no
        self.query_core(lambda: (svc.collection(no), svc.entries(no)), self._fill)

    def _fill(self, loaded: tuple[Any, list[Any]]) -> None:
        c, rows = loaded
        self.identifier = c.identifier
        table = self.query_one(DataTable)
        table.clear()
        self.keys = [e.id for e in rows]
        for e in rows:
            table.add_row(str(e.id), e.customer_no[:7], e.document_no[:10],
                          _short(e.transfer_date), right(self.ctx, e.amount), " " + e.sequence_type,
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
                self.query_core(lambda: dd(self.ctx).reject(entry, values["reason"]),
                                lambda e: self._done(_("Entry {entry} rejected: {reason}.")
                                                     .format(entry=e.id,
                                                             reason=e.reject_reason)),
                                group="write")

        self.app.push_screen(FormModal(_("Reject entry {entry}").format(entry=entry), [
            ("reason", _("Reason code (e.g. MD06, AM04)"), "")]), answered)

    def action_delete(self) -> None:
        entry = self._current()
        if entry is not None:
            self.query_core(lambda: dd(self.ctx).delete_entry(entry),
                            lambda _v: self._done(_("Entry {entry} deleted.").format(
                                entry=entry)), group="write")

    def action_export(self) -> None:
        self._ask_export(self.collection_no, self.identifier or str(self.collection_no))

    def action_post(self) -> None:
        self._post(self.collection_no)
