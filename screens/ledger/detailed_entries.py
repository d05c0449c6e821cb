"""Detailed Ledger Entries of one customer or vendor entry (BC pages 573/574)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from core.i18n import N_, _
from core.queries.types import PageRequest
from screens.application.entry_actions import OneEntryScreen
from screens.shared.columns import detailed_columns
from tui.widgets.lazy_table import Column, Fetch


class DetailedEntriesScreen(OneEntryScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("U", "unapply", N_("Unapply"), id="detailed.unapply",
                tooltip=N_("Unapply the latest application of this entry")),
    ]
    SORTABLE = SEARCHABLE = False
    HELP = (N_("The detailed entries make up an entry's remaining amount: the initial entry, "
            "applications, payment discounts, tolerances and rounding. U unapplies the "
            "entry's latest application; the reversing entries are marked unapplied."))

    def screen_title(self) -> str:
        e = self.entry
        return _(
            "Detailed Entries — entry {entry_no} · {document_no} · {party_no} {party_name}"
        ).format(
            entry_no=e.entry_no,
            document_no=e.document_no,
            party_no=e.party_no,
            party_name=e.party_name,
        )

    def columns(self) -> list[Column]:
        return detailed_columns(self.ctx.number_format)

    def filter_words(self) -> list[str]:
        nf = self.ctx.number_format
        return [_("amount {amount}").format(amount=nf.amount(self.entry.amount)),
                _("remaining {remaining_amount}").format(
                   remaining_amount=nf.amount(self.entry.remaining_amount))]

    def make_fetch(self) -> Fetch:
        queries, entry_no = self.ctx.services.queries, self.entry.entry_no

        def fetch(_request: PageRequest) -> Any:
            return queries.detailed_entries(entry_no)

        return fetch

