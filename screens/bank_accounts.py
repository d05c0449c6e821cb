"""Bank Accounts (BC page 371) with balance and open (unreconciled) entries."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from core.services.query_types import BankAccountRow, PageRequest
from screens.base import ListScreen
from tui.widgets.lazy_table import Column, Fetch, LazyTable


class BankAccountsScreen(ListScreen):
    # priority: the list's own j/k move the cursor
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "journal", "Reconcile", priority=True, id="banks.journal",
                tooltip="Open the payment reconciliation journal of the account"),
        Binding("i", "import_statement", "Import", priority=True, id="banks.import",
                tooltip="Import a bank statement file for the account"),
    ]
    SORTABLE = SEARCHABLE = False
    TITLE_TEXT = "Bank Accounts"
    HELP = ("Enter opens the account's ledger entries, j its payment reconciliation "
            "journal, i imports a statement file.")

    def filter_words(self) -> list[str]:
        return ["Enter: ledger entries · j: reconciliation journal · i: import statement"]

    def _bank_no(self) -> str | None:
        row = self.table.cursor_value
        return row.no if isinstance(row, BankAccountRow) else None

    def action_journal(self) -> None:
        from screens.reconciliation_journal import ReconciliationJournalScreen

        if (no := self._bank_no()) is not None:
            self.app.push_screen(ReconciliationJournalScreen(self.ctx, no))

    def action_import_statement(self) -> None:
        from screens.reconciliation_journal import open_import

        open_import(self, self._bank_no())

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
