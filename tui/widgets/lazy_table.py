"""A table that holds one window of a list, fed a page at a time by a core query.

Textual's DataTable keeps every row; a million-entry ledger would take minutes. This
table keeps at most ``MAX_ROWS`` rows (a few pages around the cursor), renders only the
visible lines (Line API) and asks its ``fetch`` for the page before or after the keys
it holds, in a thread worker, before the cursor gets there. Home/End ask for the first
or last page directly (keyset from either end), so both are as fast at any depth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from core.i18n import N_, NP_, _
from core.queries.types import Page, PageRequest
from tui.messages import Outcome
from tui.workers import core_worker

Fetch = Callable[[PageRequest], Page[Any]]


MIN_FLEX = 8  # cells a flexible column keeps when fixed ones grow to their titles


@dataclass(frozen=True)
class Column:
    """A column: ``width`` 0 takes the remaining width; ``cell`` formats a row."""

    label: str
    width: int
    cell: Callable[[Any], str]
    right: bool = False


@dataclass(frozen=True)
class _Row:
    value: Any
    cells: tuple[str, ...]
    style: str  # a component class suffix: "" | "overdue" | "muted"


@dataclass
class PageLoaded(Outcome, namespace="lazy_table"):
    """A page of rows (formatted in the worker) for the request ``kind`` of load
    ``generation``; a page of an older load is dropped."""
    generation: int
    kind: str
    page: Page[Any]
    rows: list[_Row]


class LazyTable(Widget, can_focus=True):
    """A keyset-paged list with a cursor. Post ``RowHighlighted``/``RowSelected``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", N_("Up"), show=False, id="table.up"),
        Binding("down,j", "cursor(1)", N_("Down"), show=False, id="table.down"),
        Binding("pageup,ctrl+b", "page(-1)", N_("Page up"), show=False, id="table.page_up"),
        Binding("pagedown,ctrl+f,space", "page(1)", N_("Page down"), show=False,
                id="table.page_down"),
        Binding("home,g", "first", N_("First"), show=False, id="table.first"),
        Binding("end,G", "last", N_("Last"), show=False, id="table.last"),
        Binding("enter", "select", NP_("action", "Open"), show=False, id="table.select"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lazy-table--header", "lazy-table--cursor", "lazy-table--overdue",
        "lazy-table--muted"}
    DEFAULT_CSS = """
    LazyTable { height: 1fr; background: $surface; }
    LazyTable > .lazy-table--header { text-style: bold; background: $panel; color: $text; }
    LazyTable > .lazy-table--cursor { background: $block-cursor-blurred-background; }
    LazyTable:focus > .lazy-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    LazyTable > .lazy-table--overdue { color: $error; }
    LazyTable > .lazy-table--muted { color: $text-muted; }
    """
    MAX_ROWS = 600
    PAGE = 100

    class RowHighlighted(Message):
        def __init__(self, table: LazyTable, value: Any) -> None:
            super().__init__()
            self.table = table
            self.value = value

    class RowSelected(Message):
        def __init__(self, table: LazyTable, value: Any) -> None:
            super().__init__()
            self.table = table
            self.value = value

    def __init__(self, columns: Sequence[Column], *,
                 row_style: Callable[[Any], str] | None = None,
                 empty_text: str = N_("No entries"), id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.row_style = row_style or (lambda _row: "")
        self.empty_text = _(empty_text)
        self._fetch: Fetch | None = None
        self._rows: list[_Row] = []
        self._keys: list[Any] = []
        self._more_before = self._more_after = False
        self._top = self._cursor = 0
        self._generation = 0
        self._busy: set[str] = set()
        self._loading = False
        self._at_end = False

    # --- public ------------------------------------------------------------------------

    def load(self, fetch: Fetch, *, at_end: bool = False) -> None:
        """Show the list ``fetch`` pages through, from its first (or last) page."""
        self._fetch = fetch
        self._at_end = at_end
        self._reset(at_end)

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Change the columns (a toggled column): the rows held are formatted again."""
        self.columns = tuple(columns)
        self._rows = [_Row(r.value, self._format(r.value), r.style) for r in self._rows]
        self.refresh()

    def reload(self) -> None:
        if self._fetch is not None:
            self._reset(self._at_end)

    @property
    def cursor_value(self) -> Any | None:
        return self._rows[self._cursor].value if self._rows else None

    @property
    def loaded_rows(self) -> list[Any]:
        """The rows in the window (for tests and for the screen's totals)."""
        return [r.value for r in self._rows]

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def visible_height(self) -> int:
        return max(1, self.size.height - 1)

    # --- fetching ----------------------------------------------------------------------

    def _reset(self, at_end: bool) -> None:
        self._generation += 1
        self._busy.clear()
        self._loading = True
        request = PageRequest(from_end=at_end, limit=self.PAGE)
        self._request("reset-end" if at_end else "reset", request)
        self.refresh()

    def _request(self, kind: str, request: PageRequest) -> None:
        fetch, generation = self._fetch, self._generation
        if fetch is None or kind in self._busy:
            return
        self._busy.add(kind)
        if kind.startswith("reset"):  # a newer reset cancels an older one
            self._fetch_reset(fetch, generation, kind, request)
        else:
            self._fetch_more(fetch, generation, kind, request)

    def _page(self, fetch: Fetch, generation: int, kind: str, request: PageRequest
              ) -> PageLoaded:
        page = fetch(request)
        cells, style = self._format, self.row_style
        return PageLoaded(generation, kind, page,
                          [_Row(v, cells(v), style(v)) for v in page.rows])

    @core_worker("table-reset")
    def _fetch_reset(self, fetch: Fetch, generation: int, kind: str, request: PageRequest
                     ) -> PageLoaded:
        return self._page(fetch, generation, kind, request)

    @core_worker("table-more", exclusive=False)
    def _fetch_more(self, fetch: Fetch, generation: int, kind: str, request: PageRequest
                    ) -> PageLoaded:
        return self._page(fetch, generation, kind, request)

    def on_lazy_table_page_loaded(self, message: PageLoaded) -> None:
        self._arrived(message.generation, message.kind, message.page, message.rows)

    def _format(self, value: Any) -> tuple[str, ...]:
        return tuple(c.cell(value) for c in self.columns)

    def _arrived(self, generation: int, kind: str, page: Page[Any], rows: list[_Row]) -> None:
        if generation != self._generation:
            return
        self._busy.discard(kind)
        if kind.startswith("reset"):
            self._rows, self._keys = rows, list(page.keys)
            self._more_before, self._more_after = page.more_before, page.more_after
            self._cursor = len(rows) - 1 if kind == "reset-end" and rows else 0
            self._top = max(0, self._cursor - self.visible_height + 1)
            self._loading = False
        elif kind == "after":
            self._rows += rows
            self._keys += page.keys
            self._more_after = page.more_after
            self._trim(front=True)
        else:
            self._rows[:0], self._keys[:0] = rows, page.keys
            self._cursor += len(rows)
            self._top += len(rows)
            self._more_before = page.more_before
            self._trim(front=False)
        self._moved()

    def _trim(self, front: bool) -> None:
        excess = len(self._rows) - self.MAX_ROWS
        if excess <= 0:
            return
        if front:
            excess = min(excess, max(0, self._top - self.visible_height))
            del self._rows[:excess], self._keys[:excess]
            self._cursor, self._top = self._cursor - excess, self._top - excess
            self._more_before = self._more_before or excess > 0
        else:
            keep = max(len(self._rows) - excess, self._top + 3 * self.visible_height)
            if keep < len(self._rows):
                del self._rows[keep:], self._keys[keep:]
                self._more_after = True

    def _prefetch(self) -> None:
        margin = 2 * self.visible_height + 10
        if self._more_after and len(self._rows) - self._cursor < margin and self._keys:
            self._request("after", PageRequest(after=self._keys[-1], limit=self.PAGE))
        if self._more_before and self._cursor < margin and self._keys:
            self._request("before", PageRequest(before=self._keys[0], limit=self.PAGE))

    # --- moving ------------------------------------------------------------------------

    def _moved(self) -> None:
        if self._rows:
            self._cursor = max(0, min(self._cursor, len(self._rows) - 1))
            height = self.visible_height
            if self._cursor < self._top:
                self._top = self._cursor
            elif self._cursor >= self._top + height:
                self._top = self._cursor - height + 1
            self._top = max(0, min(self._top, max(0, len(self._rows) - height)))
            self.post_message(self.RowHighlighted(self, self._rows[self._cursor].value))
        self._prefetch()
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self._cursor += delta
        self._moved()

    def action_page(self, direction: int) -> None:
        step = direction * max(1, self.visible_height - 1)
        self._cursor += step
        self._top += step
        self._moved()

    def action_first(self) -> None:
        if self._more_before:
            self._at_end = False
            self._reset(False)
        else:
            self._cursor = 0
            self._moved()

    def action_last(self) -> None:
        if self._more_after:
            self._at_end = True
            self._reset(True)
        else:
            self._cursor = len(self._rows) - 1
            self._moved()

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._rows[self._cursor].value))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.action_cursor(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.action_cursor(-3)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1 and self._top + event.y - 1 < len(self._rows):
            self._cursor = self._top + event.y - 1
            self._moved()
            if event.chain >= 2:
                self.action_select()

    def on_resize(self) -> None:
        self._moved()

    # --- rendering ---------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        fixed = sum(c.width for c in self.columns) + len(self.columns)
        flex = [i for i, c in enumerate(self.columns) if c.width == 0]
        spare = max(0, width - fixed)
        widths = [c.width for c in self.columns]
        # A fixed column grows to its title when a translation is longer ("Dern. rel."),
        # taking from the spare width but leaving a flexible column 8 cells.
        budget = max(0, spare - MIN_FLEX * len(flex))
        for i, c in enumerate(self.columns):
            grow = min(budget, len(c.label) - c.width) if c.width else 0
            if grow > 0:
                widths[i] += grow
                budget -= grow
                spare -= grow
        for n, i in enumerate(flex):
            widths[i] = spare // len(flex) + (1 if n < spare % len(flex) else 0)
        return widths

    def _line(self, cells: Sequence[str], widths: list[int]) -> str:
        parts = []
        for column, text, w in zip(self.columns, cells, widths, strict=True):
            text = text if len(text) <= w else text[: max(0, w - 1)] + "…"
            parts.append(text.rjust(w) if column.right else text.ljust(w))
        return " " + " ".join(parts)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        widths = self._widths(width)
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("lazy-table--header")
            return self._strip(self._line([c.label for c in self.columns], widths), style,
                               width)
        index = self._top + y - 1
        if index >= len(self._rows):
            text = ""
            if y == 1 and not self._rows:
                text = " " + _("Loading…") if self._loading else f" {self.empty_text}"
            return self._strip(text, base, width)
        row = self._rows[index]
        style = base
        if row.style:
            style += self.get_component_rich_style(f"lazy-table--{row.style}")
        if index == self._cursor:
            style += self.get_component_rich_style("lazy-table--cursor")
        return self._strip(self._line(row.cells, widths), style, width)

    @staticmethod
    def _strip(text: str, style: Style, width: int) -> Strip:
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)
