"""Aged receivables / payables (BC's Aged Accounts Receivable) at a date: the buckets as
a bar chart, a line per customer with its buckets, total and share; sort by any bucket;
filters; Enter or 1-5 drill into the entries behind a line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual_plotext import PlotextPlot

from core.i18n import N_, _, format_amount, format_number, ngettext
from core.kernel.errors import LettrageError
from core.reports.aging import AgingLine, AgingOptions, AgingReport, parse_buckets
from screens.collections.prompt import PromptModal
from screens.ledger.party_card import PartyCardScreen
from screens.reports.batch import StatementBatchScreen
from screens.reports.charts import draw_bars
from screens.reports.common import list_fetch, short_title
from screens.reports.entries import AgedEntriesScreen
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day
from tui.widgets.lazy_table import Column, LazyTable
from tui.workers import core_worker

SORT_NAME = "no"
WIDE = 100  # terminal columns from which the list shows the customer no. and cents


@dataclass
class AgingLoaded(Outcome, namespace="aging_screen"):
    report: AgingReport


class AgingScreen(BaseScreen):
    DEFAULT_CSS = """
    AgingScreen #aging-chart { height: 8; }
    AgingScreen #aging-table { height: 1fr; }
    AgingScreen #aging-info { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "drill", N_("Entries"), id="aging.drill"),
        Binding("s", "sort", N_("Sort"), id="aging.sort"),
        Binding("r", "reverse", N_("Reverse"), show=False, id="aging.reverse"),
        Binding("d", "date", N_("Date"), id="aging.date"),
        Binding("b", "by", N_("Due/posting"), id="aging.by"),
        Binding("f", "filter", N_("Filter"), id="aging.filter"),
        Binding("v", "vendors", N_("Vendors"), show=False, id="aging.vendors"),
        Binding("k", "buckets", N_("Buckets"), show=False, id="aging.buckets"),
        Binding("c", "card", N_("Card"), show=False, id="aging.card"),
        Binding("t", "statements", N_("Statements"), id="aging.statements"),
        *[Binding(str(k), f"bucket({k - 1})", N_("Entries of a bucket"), show=False,
                  id=f"aging.bucket{k}") for k in range(1, 10)],
        Binding("f5,ctrl+r", "reload", N_("Refresh"), show=False, id="aging.refresh"),
    ]
    HELP = N_("The remaining amounts at the aging date, per customer and age: not due, then "
              "days past the due date (b: by posting date). Entries open at that date count "
              "even if paid since. s sorts by the next column (number, each bucket, total), "
              "r reverses; d changes the date, k the buckets (e.g. 30,60,90), f filters "
              "(country, posting group, blocked), v switches to vendors. Enter lists the "
              "highlighted customer's entries; 1 to 5 only those of that bucket (1 = not "
              "due); c opens the customer card; t makes the statements of many customers "
              "(print or send, all with a balance or only the overdue ones).")

    def __init__(self, ctx: Context, as_of: date | None = None, vendors: bool = False) -> None:
        super().__init__(ctx)
        self.options = AgingOptions(as_of or ctx.today(),
                                    party_type="vendor" if vendors else "customer")
        self.report: AgingReport | None = None
        self.sort = SORT_NAME
        self.descending = False
        self._wide = False

    def screen_title(self) -> str:
        return _("Aged Accounts Payable") if self.options.party_type == "vendor" \
            else _("Aged Accounts Receivable")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="filters", markup=False)
        yield PlotextPlot(id="aging-chart")
        yield LazyTable(self._columns(), id="aging-table", empty_text=N_("No open entries"))
        yield Static("", id="aging-info", markup=False)
        yield FitFooter()

    @property
    def table(self) -> LazyTable:
        return self.query_one("#aging-table", LazyTable)

    def on_mount(self) -> None:
        self._wide = self.app.size.width >= WIDE
        self.table.focus()
        self.action_reload()

    def _columns(self) -> list[Column]:
        """At 80 columns the name needs room: the buckets in whole units and the number
        left out (the line under the table shows the highlighted one's); from 100
        columns on, the number and the cents too."""
        from_keys = self.report.keys if self.report else ("current", "1-30", "31-60",
                                                          "61-90", "over_90")
        wide = self.app.size.width >= WIDE
        cols = [Column(_("No."), 7, lambda ln: ln.party_no)] if wide else []
        cols.append(Column(_("Name"), 0, lambda ln: ln.name))
        for i, key in enumerate(from_keys):
            cols.append(Column(short_title(key), 10 if wide else 9,
                               bucket_cell(i, 2 if wide else 0), right=True))
        cols.append(Column(_("Total"), 12, lambda ln: format_amount(ln.total), right=True))
        return cols

    def on_resize(self) -> None:
        if self.is_mounted and (self.app.size.width >= WIDE) != self._wide:
            self._wide = self.app.size.width >= WIDE
            self.table.set_columns(self._columns())

    def action_reload(self) -> None:
        self.query_one("#filters", Static).update(_("Loading…"))
        self._load(self.options)

    @core_worker("load")
    def _load(self, options: AgingOptions) -> AgingLoaded:
        return AgingLoaded(self.ctx.services.reports.aging(options))

    def on_aging_screen_aging_loaded(self, message: AgingLoaded) -> None:
        report = message.report
        self.report = report
        self.table.set_columns(self._columns())
        self._refill()
        titles = [short_title(k) for k in report.keys]
        draw_bars(self.query_one("#aging-chart", PlotextPlot), titles, report.totals,
                  _("Total {amount} · days past due").format(
                      amount=format_amount(report.total)))

    def _sorted(self) -> list[AgingLine]:
        assert self.report is not None
        lines = list(self.report.lines)
        if self.sort == SORT_NAME:
            return lines[::-1] if self.descending else lines

        def key(ln: AgingLine) -> Any:
            return ln.total if self.sort == "total" else ln.amounts[int(self.sort)]

        # amounts: largest first unless reversed
        return sorted(lines, key=key, reverse=not self.descending)

    def _refill(self) -> None:
        if self.report is None:
            return
        o = self.options
        sort = {SORT_NAME: _("No."), "total": _("Total")}.get(
            self.sort, short_title(self.report.keys[int(self.sort)] if self.sort.isdigit()
                                   else "current"))
        words = [_("at {day}").format(day=day(o.as_of)),
                 _("by due date") if o.by == "due" else _("by posting date"),
                 ngettext_lines(len(self.report.lines)),
                 _("sort: {field}").format(field=sort) + (" ↑" if self.descending else " ↓")]
        if o.country:
            words.append(_("country {code}").format(code=o.country))
        if o.posting_group:
            words.append(_("group {code}").format(code=o.posting_group))
        if o.blocked is not None:
            words.append(_("blocked only") if o.blocked else _("not blocked"))
        self.query_one("#filters", Static).update(" · ".join(words))
        self.table.load(list_fetch(self._sorted()))

    def on_lazy_table_row_highlighted(self, event: LazyTable.RowHighlighted) -> None:
        ln = event.value
        if isinstance(ln, AgingLine):
            self.query_one("#aging-info", Static).update(
                _("{no} {name} · {share} % · Enter/1-5: entries")
                .format(no=ln.party_no, name=ln.name, share=format_number(ln.share, 1)))

    def on_lazy_table_row_selected(self, event: LazyTable.RowSelected) -> None:
        self._drill(None)

    # --- actions -----------------------------------------------------------------------

    def action_sort(self) -> None:
        if self.report is None:
            return
        order = [SORT_NAME, *map(str, range(len(self.report.keys))), "total"]
        self.sort = order[(order.index(self.sort) + 1) % len(order)]
        self.descending = False
        self._refill()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._refill()

    def action_by(self) -> None:
        self._change(by="posting" if self.options.by == "due" else "due")

    def action_vendors(self) -> None:
        vendor = self.options.party_type == "customer"
        self._change(party_type="vendor" if vendor else "customer")
        self.query_one("#title", Static).update(self.screen_title())

    def _change(self, **changes: Any) -> None:
        try:
            self.options = AgingOptions(**{**self.options.__dict__, **changes})
        except LettrageError as exc:
            self.notify(str(exc), severity="error")
            return
        self.action_reload()

    def action_date(self) -> None:
        def chosen(text: str | None) -> None:
            if text:
                try:
                    self._change(as_of=self.ctx.number_format.parse_day(text))
                except (LettrageError, ValueError) as exc:
                    self.notify(str(exc), severity="error")

        self.app.push_screen(PromptModal(_("Aging date"), day(self.options.as_of)), chosen)

    def action_buckets(self) -> None:
        def chosen(text: str | None) -> None:
            if text:
                try:
                    self._change(buckets=parse_buckets(text))
                except LettrageError as exc:
                    self.notify(str(exc), severity="error")

        current = ",".join(map(str, self.options.buckets))
        self.app.push_screen(PromptModal(_("Buckets (day limits, e.g. 30,60,90)"), current),
                             chosen)

    def action_filter(self) -> None:
        o = self.options
        now = " ".join(w for w in (
            f"country={o.country}" if o.country else "",
            f"group={o.posting_group}" if o.posting_group else "",
            "blocked=yes" if o.blocked else "blocked=no" if o.blocked is False else "") if w)

        def chosen(text: str | None) -> None:
            if text is None:
                return
            values = dict(w.partition("=")[::2] for w in text.split())
            blocked = values.get("blocked", "").lower()
            self._change(country=values.get("country", "").upper(),
                         posting_group=values.get("group", "").upper(),
                         blocked=True if blocked in ("yes", "oui", "1") else
                         False if blocked in ("no", "non", "0") else None)

        self.app.push_screen(PromptModal(_("Filter: country=DE group=DOMESTIC blocked=yes|no "
                                           "(empty: none)"), now), chosen)

    def action_drill(self) -> None:
        self._drill(None)

    def action_bucket(self, index: int) -> None:
        if self.report is not None and index < len(self.report.keys):
            self._drill(index)

    def _drill(self, bucket: int | None) -> None:
        ln = self.table.cursor_value
        if not isinstance(ln, AgingLine) or self.report is None:
            return
        options = AgingOptions(**{**self.options.__dict__, "party_no": ln.party_no})
        self.app.push_screen(AgedEntriesScreen(self.ctx, options, ln.name, bucket))

    def action_statements(self) -> None:
        if self.options.party_type == "customer":
            self.app.push_screen(StatementBatchScreen(self.ctx, self.options.as_of))

    def action_card(self) -> None:
        ln = self.table.cursor_value
        if isinstance(ln, AgingLine):
            self.app.push_screen(PartyCardScreen(self.ctx, self.options.party_type,
                                                 ln.party_no))


def bucket_cell(i: int, places: int = 2) -> Callable[[AgingLine], str]:
    return lambda ln: format_amount(ln.amounts[i], places, blank_zero=True)


def ngettext_lines(n: int) -> str:
    return ngettext("{n} with a balance", "{n} with a balance", n).format(n=format_number(n))
