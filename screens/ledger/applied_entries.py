"""Applied Entries: the entries an entry closed or was closed by (BC "Applied Entries")."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from core.i18n import N_, _
from core.ledger.drafts import LedgerEntryView
from core.queries.types import PageRequest
from screens.application.entry_actions import OneEntryScreen
from screens.ledger.detailed_entries import DetailedEntriesScreen
from screens.shared.columns import ledger_columns, ledger_style
from tui.widgets.lazy_table import Column, Fetch, LazyTable


class AppliedEntriesScreen(OneEntryScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,ctrl+f7", "detailed", N_("Detailed"), id="applied.detailed"),
        Binding("U", "unapply", N_("Unapply"), id="applied.unapply",
                tooltip=N_("Unapply the latest application of this screen's entry")),
    ]
    SORTABLE = SEARCHABLE = False
    HELP = (N_("The entries applied to this one (through applications not unapplied). U "
            "unapplies the entry's latest application (latest first, as BC requires)."))

    def screen_title(self) -> str:
        e = self.entry
        return _("Applied Entries — entry {entry_no} · {document_no} · {party_name}").format(
                  entry_no=e.entry_no, document_no=e.document_no, party_name=e.party_name)

    def columns(self) -> list[Column]:
        return ledger_columns(self.ctx.number_format, with_party=False)

    def row_style(self, row: Any) -> str:
        style: str = ledger_style(self.ctx.today())(row)
        return style

    def filter_words(self) -> list[str]:
        return [_("Enter: the entries of the highlighted one")]

    def make_fetch(self) -> Fetch:
        queries, entry_no = self.ctx.services.queries, self.entry.entry_no

        def fetch(_request: PageRequest) -> Any:
            return queries.applied_entries(entry_no)

        return fetch

    def action_detailed(self) -> None:
        if isinstance(entry := self.table.cursor_value, LedgerEntryView):
            self.app.push_screen(DetailedEntriesScreen(self.ctx, entry))

    @on(LazyTable.RowSelected)
    def _selected(self, event: LazyTable.RowSelected) -> None:
        if isinstance(event.value, LedgerEntryView):
            self.app.push_screen(AppliedEntriesScreen(self.ctx, event.value))

