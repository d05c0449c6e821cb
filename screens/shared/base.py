"""What every screen shares: the context, Back, and the list-screen frame (title, filter
line, incremental search, lazy table, footer) with sorting and filter toggles."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from core.i18n import N_, _
from tui.context import Context
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import label
from tui.widgets.lazy_table import Column, Fetch, LazyTable

SEARCH_DELAY = 0.15  # seconds of quiet typing before the list is asked again


def title_bar(title: str, hint: str | None = None) -> Horizontal:
    """The screen's title, with the two keys a new user needs on the right."""
    return Horizontal(Static(title, id="title", markup=False),
                      Static(hint or _("F1/? help · Esc back"), id="hint", markup=False),
                      id="title-bar")


class BaseScreen(Screen[None]):
    """A screen that calls the core through ``ctx.services`` in thread workers
    (``tui.workers.core_worker`` methods posting typed messages)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), show=False, id="nav.back"),
    ]
    HELP: ClassVar[str] = ""

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    def screen_title(self) -> str:
        return type(self).__name__.removesuffix("Screen")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


class ListScreen(BaseScreen):
    """A list over a keyset query. Subclasses give ``columns``, ``fetch`` and
    ``SORTS``; toggles call ``refresh_list``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash,ctrl+f3", "search", N_("Search"), id="list.search"),
        Binding("s", "sort", N_("Sort"), id="list.sort"),
        Binding("r", "reverse", N_("Reverse sort order"), show=False, id="list.reverse"),
    ]
    SORTS: ClassVar[tuple[str, ...]] = ("posting_date",)
    START_AT_END: ClassVar[bool] = False
    SORTABLE: ClassVar[bool] = True
    SEARCHABLE: ClassVar[bool] = True
    TITLE_TEXT: ClassVar[str] = ""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.text = ""
        self.sort = self.SORTS[0]
        self.descending = False
        self._search_timer: Timer | None = None

    # --- subclass hooks -------------------------------------------------------------------

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def make_fetch(self) -> Fetch:
        """The page function for the current filters (called on the UI thread; the
        function it returns runs in a worker, so it must capture values, not ``self``)."""
        raise NotImplementedError

    def row_style(self, row: Any) -> str:
        return ""

    def filter_words(self) -> list[str]:
        """The active filters, for the filter line."""
        return []

    def screen_title(self) -> str:
        return _(self.TITLE_TEXT) if self.TITLE_TEXT else ""

    # --- frame ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="filters", markup=False)
        search = Input(placeholder=_("Search: type, Enter to go to the list, Esc to close"),
                       id="search")
        search.display = False
        yield search
        yield LazyTable(self.columns(), row_style=self.row_style, id="table")
        yield FitFooter()

    @property
    def table(self) -> LazyTable:
        return self.query_one("#table", LazyTable)

    def on_mount(self) -> None:
        self.refresh_list()
        self.table.focus()

    def refresh_list(self) -> None:
        self.query_one("#filters", Static).update(self._filter_line())
        self.table.load(self.make_fetch(), at_end=self.START_AT_END and not self.descending)

    def _filter_line(self) -> str:
        if not self.SORTABLE:
            return " · ".join(self.filter_words())
        arrow = "↓" if self.descending else "↑"
        words = [_("sort: {field} {arrow}").format(field=label(self.sort), arrow=arrow),
                 *self.filter_words()]
        if self.text:
            words.append(_('search: "{text}"').format(text=self.text))
        return " · ".join(words)

    # --- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "reverse") and not self.SORTABLE:
            return False
        return not (action == "search" and not self.SEARCHABLE)

    def action_sort(self) -> None:
        self.sort = self.SORTS[(self.SORTS.index(self.sort) + 1) % len(self.SORTS)]
        self.refresh_list()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.refresh_list()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            if not search.value:
                search.display = False
            self.table.focus()
            return
        super().action_back()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._apply_search)

    def _apply_search(self) -> None:
        self.text = self.query_one("#search", Input).value.strip()
        self.refresh_list()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search()
        self.table.focus()


class StaleAwareListScreen(ListScreen):
    """A list whose entries a screen above it may change (an unapply from the applied or
    detailed entries): that screen calls ``mark_stale`` and the list reloads when the
    clerk comes back."""

    def mark_stale(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.table.reload()
