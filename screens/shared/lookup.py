"""Lookup (BC's F4/"..." on a field): type to narrow, arrows to move, Enter to take the
highlighted value, Esc to leave the field as it was. The search runs in a worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from core.i18n import N_, _
from tui.messages import Outcome
from tui.workers import core_worker

Search = Callable[[str], Sequence[tuple[str, str]]]  # text -> [(value, label)]
DELAY = 0.15


@dataclass
class Found(Outcome, namespace="lookup_modal"):
    """The rows matching what the clerk typed: (value, label)."""
    rows: list[tuple[str, str]]


class LookupModal(ModalScreen[str | None]):
    """Choose one value; ``search`` runs in a thread worker for each pause in typing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="lookup.cancel"),
        Binding("down", "move(1)", N_("Down"), show=False, id="lookup.down"),
        Binding("up", "move(-1)", N_("Up"), show=False, id="lookup.up"),
    ]
    DEFAULT_CSS = """
    LookupModal #dialog { height: 20; }
    LookupModal #lookup-text { height: 1; border: none; padding: 0 1; background: $boost; }
    LookupModal #lookup-list { height: 1fr; border: none; }
    """

    def __init__(self, title: str, search: Search, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.search = search
        self.text = text
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("{title_text} — type to search, Enter takes, Esc cancels").format(
                            title_text=self.title_text),
                         classes="dialog-title", markup=False)
            yield Input(self.text, placeholder=_("no. or name"), id="lookup-text")
            yield OptionList(id="lookup-list")

    def on_mount(self) -> None:
        self.query_one("#lookup-text", Input).focus()
        self._run()

    @property
    def options(self) -> OptionList:
        return self.query_one("#lookup-list", OptionList)

    def _run(self) -> None:
        self._search(self.search, self.query_one("#lookup-text", Input).value.strip())

    @core_worker("lookup")
    def _search(self, search: Search, text: str) -> Found:
        return Found(list(search(text)))

    def on_lookup_modal_found(self, message: Found) -> None:
        rows = message.rows
        options = self.options
        options.clear_options()
        for value, text in rows:
            options.add_option(Option(text, id=value))
        if not rows:
            options.add_option(Option(_("Nothing found"), disabled=True))
        else:
            options.highlighted = 0

    @on(Input.Changed, "#lookup-text")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DELAY, self._run)

    def action_move(self, step: int) -> None:
        options = self.options
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#lookup-text")
    def _submitted(self) -> None:
        self._take(self.options.highlighted)

    @on(OptionList.OptionSelected, "#lookup-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._take(event.option_index)

    def _take(self, index: int | None) -> None:
        if index is None or not self.options.option_count:
            return
        option = self.options.get_option_at_index(index)
        if option.id and not option.disabled:
            self.dismiss(option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
