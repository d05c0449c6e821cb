"""The direct debit tables' shared parts: columns, and the list and entries screens'
common actions (export, post payment receipts, journal only, import a status report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from core.direct_debit.views import (
    CollectionView,
    ExportResult,
    StatusReport,
)
from core.i18n import NP_, _
from screens.direct_debit.common import FormModal, dd
from screens.shared.base import BaseScreen
from screens.shared.confirm import ConfirmModal
from tui.messages import Outcome
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
