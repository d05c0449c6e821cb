"""Bank Account Ledger Entries (BC page 372), all or one bank account's."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from core.i18n import N_, _
from core.queries.types import BankFilter, PageRequest
from screens.shared.base import ListScreen
from screens.shared.columns import bank_columns
from tui.context import Context
from tui.widgets.lazy_table import Column, Fetch


class BankEntriesScreen(ListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "toggle_open", N_("Open only"), id="bank_entries.open_only"),
    ]
    SORTS = ("posting_date", "entry_no", "amount")
    START_AT_END = True
    HELP = N_("Open entries are not yet reconciled with a bank statement.")

    def __init__(self, ctx: Context, bank_no: str = "", bank_name: str = "", *,
                 open_only: bool = False, entry_range: tuple[int, int] | None = None,
                 iban: str = "") -> None:
        super().__init__(ctx)
        self.bank_no, self.bank_name, self.iban = bank_no, bank_name, iban
        self.open_only = open_only
        self.entry_range = entry_range

    def screen_title(self) -> str:
        if self.bank_no:
            return f"Bank Account Ledger Entries — {self.bank_no} {self.bank_name}".rstrip()
        return _("Bank Account Ledger Entries")

    def filter_words(self) -> list[str]:
        words = [_("IBAN {iban}").format(iban=self.iban)] if self.iban else []
        if self.open_only:
            words.append(_("open only"))
        if self.entry_range:
            words.append(_("entries {value}..{value2}").format(value=self.entry_range[0],
                            value2=self.entry_range[1]))
        return words

    def columns(self) -> list[Column]:
        return bank_columns(self.ctx.number_format)

    def row_style(self, row: Any) -> str:
        return "" if row.open else "muted"

    def make_fetch(self) -> Fetch:
        lo, hi = self.entry_range or (None, None)
        f = BankFilter(self.bank_no, self.open_only, text=self.text, from_entry_no=lo,
                       to_entry_no=hi)
        queries, sort, desc = self.ctx.services.queries, self.sort, self.descending

        def fetch(request: PageRequest) -> Any:
            return queries.bank_entries(f, request, sort, desc)

        return fetch

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self.refresh_list()
