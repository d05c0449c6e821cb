"""Detailed Ledger Entries of one customer or vendor entry (BC pages 573/574)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from core.queries.types import PageRequest
from screens.application.entry_actions import OneEntryScreen
from screens.shared.columns import detailed_columns
from tui.widgets.lazy_table import Column, Fetch


class DetailedEntriesScreen(OneEntryScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("U", "unapply", "Unapply", id="detailed.unapply",
                tooltip="Unapply the latest application of this entry"),
    ]
    SORTABLE = SEARCHABLE = False
    HELP = ("The detailed entries make up an entry's remaining amount: the initial entry, "
            "applications, payment discounts, tolerances and rounding. U unapplies the "
            "entry's latest application; the reversing entries are marked unapplied.")

    def screen_title(self) -> str:
        e = self.entry
        return (f"Detailed Entries — entry {e.entry_no} · {e.document_no} · "
                f"{e.party_no} {e.party_name}")

    def columns(self) -> list[Column]:
        return detailed_columns(self.ctx.number_format)

    def filter_words(self) -> list[str]:
        nf = self.ctx.number_format
        return [f"amount {nf.amount(self.entry.amount)}",
                f"remaining {nf.amount(self.entry.remaining_amount)}"]

    def make_fetch(self) -> Fetch:
        queries, entry_no = self.ctx.services.queries, self.entry.entry_no

        def fetch(_request: PageRequest) -> Any:
            return queries.detailed_entries(entry_no)

        return fetch

