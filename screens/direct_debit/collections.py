"""Direct Debit Collections: the list (c create, Enter entries, e export, F9 post payment
receipts, j write them to a cash receipt journal only, i import a pain.002 status report,
x close)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.direct_debit.views import (
    CollectionView,
    CollectRequest,
)
from core.i18n import N_, _, ngettext
from core.kernel.errors import LettrageError
from screens.direct_debit.common import FormModal, dd, partner_type, right, status
from screens.direct_debit.entries import DDEntriesScreen
from screens.direct_debit.table import LIST_COLUMNS, _columns, _Table
from screens.shared.base import title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.workers import core_worker


@dataclass
class CollectionsLoaded(Outcome, namespace="dd_collections_screen"):
    rows: list[CollectionView]


@dataclass
class CollectionCreated(Outcome, namespace="dd_collections_screen"):
    collection: CollectionView


@dataclass
class CollectionClosed(Outcome, namespace="dd_collections_screen"):
    no: int


class DDCollectionsScreen(_Table):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Entries"), id="ddc.open"),
        Binding("c", "create", N_("Create"), id="ddc.create"),
        Binding("e", "export", N_("Export"), id="ddc.export"),
        Binding("f9", "post", N_("Post"), id="ddc.post"),
        Binding("j", "journal_only", N_("Journal only"), id="ddc.journal"),
        Binding("i", "import_status", N_("Status report"), id="ddc.status"),
        Binding("x", "close", N_("Close"), id="ddc.close", show=False),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="ddc.refresh", show=False),
    ]
    HELP = N_("c creates a collection of the invoices due in a date range whose customers "
              "have a valid mandate; Enter shows its entries; e exports it as a pain.008 "
              "file (checked against the official XSD first); F9 posts its payment "
              "receipts, j only writes them to a cash receipt journal batch to review and "
              "post there; i imports the bank's pain.002 status report (the entries it "
              "rejects become Rejected); x closes it.")
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
        self._load_collections()

    @core_worker("load")
    def _load_collections(self) -> CollectionsLoaded:
        return CollectionsLoaded(dd(self.ctx).collections())

    def on_dd_collections_screen_collections_loaded(self, message: CollectionsLoaded) -> None:
        rows = message.rows
        table = self.query_one(DataTable)
        table.clear()
        self.keys = [c.no for c in rows]
        self.rows = {c.no: c for c in rows}
        for c in rows:
            table.add_row(str(c.no), c.identifier[:10], c.bank_account_no[:6], status(c.status),
                          short_date(c.from_date), short_date(c.to_date), str(c.entries),
                          right(self.ctx, c.total), key=str(c.no))
        self.query_one("#ddc-info", Static).update(ngettext(
            "{count} collection · c create · Enter entries · e export · F9 post",
            "{count} collections · c create · Enter entries · e export · F9 post",
            len(rows)).format(count=len(rows)))

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
                                     date.fromisoformat(values["to"]),
                                     partner_type(values["partner"]))
            except ValueError:
                self.notify(_("Enter dates as YYYY-MM-DD."), severity="error")
                return
            except LettrageError as exc:
                self.notify(str(exc), severity="error")
                return
            self._create(req)

        self.app.push_screen(FormModal(_("Create Direct Debit Collection"), [
            ("from", _("From Due Date"), today.isoformat()),
            ("to", _("To Due Date"), (today + timedelta(days=30)).isoformat()),
            ("bank", _("Bank Account No."), banks[0] if banks else ""),
            ("partner", _("Partner Type (person, company; empty: both)"), "")]), answered)

    @core_worker("write")
    def _create(self, req: CollectRequest) -> CollectionCreated:
        return CollectionCreated(dd(self.ctx).create_collection(req))

    def on_dd_collections_screen_collection_created(self, message: CollectionCreated) -> None:
        self._done(message.collection.message)

    def action_export(self) -> None:
        if (no := self._current()) is not None:
            self._ask_export(no, self.rows[no].identifier)

    def action_post(self) -> None:
        if (no := self._current()) is not None:
            self._post(no)

    def action_journal_only(self) -> None:
        if (no := self._current()) is not None:
            self._journal_only(no)

    def action_import_status(self) -> None:
        self._import_status()

    def action_close(self) -> None:
        no = self._current()
        if no is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._close(no)

        self.app.push_screen(ConfirmModal(_("Close collection {no}?").format(no=no), ""),
                             answered)

    @core_worker("write")
    def _close(self, no: int) -> CollectionClosed:
        dd(self.ctx).close(no)
        return CollectionClosed(no)

    def on_dd_collections_screen_collection_closed(self, message: CollectionClosed) -> None:
        self._done(_("Collection {no} closed.").format(no=message.no))
