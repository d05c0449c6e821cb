"""Bank Accounts (BC page 371) with balance and open (unreconciled) entries."""

from __future__ import annotations

from typing import Any

from textual import on

from core.services.query_types import BankAccountRow, PageRequest
from screens.base import ListScreen
from tui.widgets.lazy_table import Column, Fetch, LazyTable


class BankAccountsScreen(ListScreen):
    SORTABLE = SEARCHABLE = False
    TITLE_TEXT = "Bank Accounts"
    HELP = "Enter opens the account's ledger entries."

    def filter_words(self) -> list[str]:
        return ["Enter: the account's ledger entries"]

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format
        return [Column("No.", 6, lambda r: r.no), Column("Name", 0, lambda r: r.name),
                Column("IBAN", 22, lambda r: r.iban),
                Column("Balance", 14, lambda r: nf.amount(r.balance), right=True),
                Column("Open", 6, lambda r: str(r.open_entries), right=True)]

    def make_fetch(self) -> Fetch:
        queries = self.ctx.services.queries

        def fetch(_request: PageRequest) -> Any:
            return queries.bank_accounts()

        return fetch

    @on(LazyTable.RowSelected)
    def _selected(self, event: LazyTable.RowSelected) -> None:
        from screens.bank_entries import BankEntriesScreen

        if isinstance(row := event.value, BankAccountRow):
            self.app.push_screen(BankEntriesScreen(self.ctx, row.no, row.name))
