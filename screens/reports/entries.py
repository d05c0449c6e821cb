"""The entries behind an aging line: one customer's (or vendor's) entries with a
remaining amount at the aging date, oldest first, with their days and bucket; t opens
the customer's statement at that date."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from core.i18n import N_, _, format_amount, ngettext
from core.reports.aging import AgedEntry, AgingOptions, bucket_keys
from core.reports.labels import bucket_title, entry_text
from screens.reports.common import list_fetch
from screens.reports.statement import StatementScreen
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day
from tui.widgets.lazy_table import Column, LazyTable
from tui.workers import core_worker


@dataclass
class EntriesLoaded(Outcome, namespace="aged_entries_screen"):
    entries: list[AgedEntry]


class AgedEntriesScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "statement", N_("Statement"), id="aged_entries.statement"),
        Binding("a", "all", N_("All buckets"), id="aged_entries.all"),
    ]
    HELP = N_("The entries with a remaining amount at the aging date, oldest first. a shows "
              "every bucket again; t opens the customer statement (print, send).")

    def __init__(self, ctx: Context, options: AgingOptions, name: str,
                 bucket: int | None = None) -> None:
        super().__init__(ctx)
        self.options, self.party_name, self.bucket = options, name, bucket
        self.entries: list[AgedEntry] | None = None

    def compose(self) -> ComposeResult:
        yield title_bar(_("Entries at {day}: {no} {name}").format(
            day=day(self.options.as_of), no=self.options.party_no, name=self.party_name))
        yield Static("", id="filters", markup=False)
        yield LazyTable([
            Column(_("Posting"), 10, lambda e: day(e.posting_date)),
            Column(_("Document"), 0, lambda e: entry_text("initial", e.document_type,
                                                           e.document_no)),
            Column(_("Due date"), 10, lambda e: day(e.due_date)),
            Column(_("Days"), 5, lambda e: str(e.days) if e.days > 0 else "", right=True),
            Column(_("Amount"), 12, lambda e: format_amount(e.amount), right=True),
            Column(_("Remaining"), 12, lambda e: format_amount(e.remaining), right=True)],
            row_style=lambda e: "overdue" if e.days > 0 and e.remaining > 0 else "",
            id="entries-table", empty_text=N_("No open entries"))
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(LazyTable).focus()
        self._load(self.options)

    @core_worker("load")
    def _load(self, options: AgingOptions) -> EntriesLoaded:
        return EntriesLoaded(self.ctx.services.reports.aging_entries(options))

    def on_aged_entries_screen_entries_loaded(self, message: EntriesLoaded) -> None:
        self.entries = message.entries
        self._fill()

    def _fill(self) -> None:
        if self.entries is None:
            return
        shown = [e for e in self.entries if self.bucket is None or e.bucket == self.bucket]
        keys = bucket_keys(self.options.buckets)
        which = bucket_title(keys[self.bucket]) if self.bucket is not None else _("all buckets")
        total = sum((e.remaining for e in shown), start=Decimal(0))
        self.query_one("#filters", Static).update(
            ngettext("{which} · {n} entry · remaining {total}",
                     "{which} · {n} entries · remaining {total}", len(shown)).format(
                which=which, n=len(shown), total=format_amount(total)))
        self.query_one(LazyTable).load(list_fetch(shown))

    def action_all(self) -> None:
        self.bucket = None
        self._fill()

    def action_statement(self) -> None:
        if self.options.party_type == "customer":
            self.app.push_screen(StatementScreen(self.ctx, self.options.party_no,
                                                 self.options.as_of))
