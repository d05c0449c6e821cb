"""Direct Debit Collections: the list (c create, Enter entries, e export, F9 post payment
receipts, j write them to a cash receipt journal only, i import a pain.002 status report,
x close) and one collection's entries with their status (Enter edit and d delete while
New, r reject)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.direct_debit.views import (
    CollectionView,
    CollectRequest,
    EntryView,
    ExportResult,
    StatusReport,
)
from core.i18n import N_, NP_, _, format_date, ngettext
from core.kernel.errors import LettrageError
from screens.direct_debit.common import FormModal, dd, partner_type, right, status
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.workers import core_worker

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


def _columns(table: DataTable[Any], columns: tuple[tuple[str, int], ...]) -> None:
    for label, width in columns:
        text = str(label)
        if getattr(label, "msgid", label) in ("Total", "Amount"):
            table.add_column(Text(text + " ", justify="right"), width=width + 1)
        else:
            seq = getattr(label, "msgid", label) == "Seq."
            table.add_column(" " + text if seq else text, width=width + 1)


@dataclass
class CollectionExported(Outcome, namespace="dd_table"):
    result: ExportResult


@dataclass
class ReceiptsPosted(Outcome, namespace="dd_table"):
    collection: CollectionView


@dataclass
class StatusImported(Outcome, namespace="dd_table"):
    report: StatusReport


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
            self._export(no, Path(values["path"]), values["format"] or None)

        self.app.push_screen(FormModal(_("Export collection {no} (pain.008)").format(no=no), [
            ("path", _("File"), default),
            ("format", _("Format (empty: the bank's; pain.008.001.02 or .08)"), "")]),
            answered)

    def _post(self, no: int) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._post_receipts(no)

        self.app.push_screen(ConfirmModal(
            _("Post the payment receipts of collection {no}?").format(no=no),
            _("One payment per File Created entry, applied to its invoice.")), answered)

    def _journal_only(self, no: int) -> None:
        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self._post_receipts(no, journal_only=True, batch=values["batch"])

        self.app.push_screen(FormModal(
            _("Payment receipts of collection {no} to a journal only").format(no=no),
            [("batch", _("Cash receipt journal batch (posted from there)"), "DIRDEBIT")]),
            answered)

    def _import_status(self) -> None:
        def answered(values: dict[str, str] | None) -> None:
            if values and values["path"]:
                self._import_status_file(Path(values["path"]).expanduser())

        self.app.push_screen(FormModal(_("Import a pain.002 status report"), [
            ("path", _("File"), str(Path.home()) + "/")]), answered)

    @core_worker("write")
    def _import_status_file(self, path: Path) -> StatusImported:
        return StatusImported(dd(self.ctx).import_status_report(path))

    def on_dd_table_status_imported(self, message: StatusImported) -> None:
        r = message.report
        text = _("Status report {msg_id}: {count} entries rejected.").format(
            msg_id=r.msg_id, count=len(r.rejected))
        if r.reopened:
            text += " " + _("{count} posted payments undone, their invoices reopened.").format(
                count=len(r.reopened))
        if r.unknown:
            text += " " + _("Unknown end-to-end IDs: {ids}.").format(ids=", ".join(r.unknown))
        self._done(text)

    @core_worker("write")
    def _export(self, no: int, path: Path, fmt: str | None) -> CollectionExported:
        return CollectionExported(dd(self.ctx).export(no, path, fmt))

    def on_dd_table_collection_exported(self, message: CollectionExported) -> None:
        self._done(message.result.message)

    @core_worker("write")
    def _post_receipts(self, no: int, journal_only: bool = False,
                       batch: str = "") -> ReceiptsPosted:
        return ReceiptsPosted(dd(self.ctx).post_receipts(
            no, journal_only=journal_only, batch=batch))

    def on_dd_table_receipts_posted(self, message: ReceiptsPosted) -> None:
        self._done(message.collection.message)

    def _done(self, message: str) -> None:
        self.notify(message, timeout=8)
        self.action_reload()

    def action_reload(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


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
