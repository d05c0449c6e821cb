"""Chart of Accounts with balances (BC page 16). Enter opens the account's entries."""

from __future__ import annotations

from typing import Any

from textual import on

from core.i18n import N_, _
from core.queries.types import AccountRow, PageRequest
from screens.ledger.gl_entries import GLEntriesScreen
from screens.shared.base import ListScreen
from tui.widgets.formatting import label
from tui.widgets.lazy_table import Column, Fetch, LazyTable


class ChartOfAccountsScreen(ListScreen):
    SORTABLE = SEARCHABLE = False
    TITLE_TEXT = N_("Chart of Accounts")
    HELP = N_("A heading shows the total of the accounts below it, up to the next heading.")

    def filter_words(self) -> list[str]:
        return [_("Enter: the account's G/L entries")]

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format

        def name(r: AccountRow) -> str:
            return r.name if r.account_type != "heading" else r.name.upper()

        return [Column(_("No."), 6, lambda r: r.no), Column(_("Name"), 0, name),
                Column(_("Category"), 11, lambda r: label(r.category)),
                Column(_("Balance"), 15, lambda r: nf.amount(r.balance), right=True)]

    def row_style(self, row: Any) -> str:
        return "muted" if row.account_type == "heading" else ""

    def make_fetch(self) -> Fetch:
        queries = self.ctx.services.queries

        def fetch(_request: PageRequest) -> Any:
            return queries.chart_of_accounts()

        return fetch

    @on(LazyTable.RowSelected)
    def _selected(self, event: LazyTable.RowSelected) -> None:
        row = event.value
        if isinstance(row, AccountRow) and row.account_type == "posting":
            self.app.push_screen(GLEntriesScreen(self.ctx, row.no, row.name))
