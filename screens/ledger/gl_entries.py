"""General Ledger Entries (BC page 20), all or one account's or one register's."""

from __future__ import annotations

from typing import Any

from core.i18n import N_, _
from core.queries.types import GLFilter, PageRequest
from screens.shared.base import ListScreen
from screens.shared.columns import gl_columns
from tui.context import Context
from tui.widgets.lazy_table import Column, Fetch


class GLEntriesScreen(ListScreen):
    SORTS = ("posting_date", "entry_no", "amount")
    START_AT_END = True
    HELP = N_("G/L entries, newest at the bottom; every transaction balances to zero.")

    def __init__(self, ctx: Context, account_no: str = "", account_name: str = "",
                 entry_range: tuple[int, int] | None = None) -> None:
        super().__init__(ctx)
        self.account_no, self.account_name = account_no, account_name
        self.entry_range = entry_range

    def screen_title(self) -> str:
        if self.account_no:
            return f"General Ledger Entries — {self.account_no} {self.account_name}".rstrip()
        return _("General Ledger Entries")

    def filter_words(self) -> list[str]:
        if self.entry_range:
            return [_("entries {value}..{value2}").format(value=self.entry_range[0],
                       value2=self.entry_range[1])]
        return []

    def columns(self) -> list[Column]:
        return gl_columns(self.ctx.number_format)

    def make_fetch(self) -> Fetch:
        lo, hi = self.entry_range or (None, None)
        f = GLFilter(self.account_no, text=self.text, from_entry_no=lo, to_entry_no=hi)
        queries, sort, desc = self.ctx.services.queries, self.sort, self.descending

        def fetch(request: PageRequest) -> Any:
            return queries.gl_entries(f, request, sort, desc)

        return fetch
