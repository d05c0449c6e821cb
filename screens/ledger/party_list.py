"""Customers / Vendors lists (BC pages 22 and 27) with balance and overdue balance."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from core.i18n import N_, _
from core.queries.types import PageRequest, PartyFilter, PartyRow
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_card import PartyCardScreen
from screens.shared.base import ListScreen
from tui.context import Context
from tui.widgets.lazy_table import Column, Fetch, LazyTable


class PartyListScreen(ListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "card", N_("Card"), id="parties.card"),
        Binding("e,ctrl+f7", "entries", N_("Ledger entries"), id="parties.entries"),
        Binding("b", "toggle_blocked", N_("Blocked only"), id="parties.blocked_only"),
    ]
    SORTS = ("no", "name")
    HELP = (N_("Type / to search by number or name. Enter opens the card, Ctrl+F7 (or e) the "
            "ledger entries. Overdue balances are due before today."))

    def __init__(self, ctx: Context, party_type: str = "customer") -> None:
        super().__init__(ctx)
        self.party_type = party_type
        self.blocked_only = False
        self._card_opened = False

    def screen_title(self) -> str:
        return _("Customers") if self.party_type == "customer" else _("Vendors")

    def filter_words(self) -> list[str]:
        return [_("blocked only")] if self.blocked_only else []

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format
        # the name takes what is left: 26 cells at 80 columns, so names that differ
        # only at the end (S.L. / S.A.) stay apart
        return [Column(_("No."), 7, lambda r: r.no), Column(_("Name"), 0, lambda r: r.name),
                Column(_("City"), 10, lambda r: r.city),
                Column(_("Blocked"), 7, lambda r: r.blocked.title()),
                Column(_("Balance"), 12, lambda r: nf.amount(r.balance), right=True),
                Column(_("Overdue"), 12, lambda r: nf.amount(r.overdue, True), right=True)]

    def row_style(self, row: Any) -> str:
        return "overdue" if row.overdue else ("muted" if row.blocked else "")

    def make_fetch(self) -> Fetch:
        f = PartyFilter(self.party_type, self.text, self.blocked_only)
        queries, sort, desc = self.ctx.services.queries, self.sort, self.descending

        def fetch(request: PageRequest) -> Any:
            return queries.parties(f, request, sort, desc)

        return fetch

    def _party(self) -> PartyRow | None:
        value = self.table.cursor_value
        return value if isinstance(value, PartyRow) else None

    def action_toggle_blocked(self) -> None:
        self.blocked_only = not self.blocked_only
        self.refresh_list()

    def action_card(self) -> None:
        if (p := self._party()) is not None:
            self._card_opened = True
            self.app.push_screen(PartyCardScreen(self.ctx, p.party_type, p.no))

    def action_entries(self) -> None:
        if (p := self._party()) is not None:
            self.app.push_screen(LedgerEntriesScreen(self.ctx, p.party_type, p.no, p.name))

    @on(LazyTable.RowSelected)
    def _selected(self) -> None:
        self.action_card()

    def on_screen_resume(self) -> None:
        # A card may have been edited: show its new name, blocked status and balance.
        if self._card_opened:
            self._card_opened = False
            self.refresh_list()
