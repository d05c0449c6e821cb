"""The help screen, generated from the keys active on the screen below it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from core.i18n import N_, _


@dataclass(frozen=True)
class HelpRow:
    keys: str
    description: str
    tooltip: str


def help_rows(screen: Screen[object]) -> list[HelpRow]:
    """One row per action active on ``screen``, with every key that runs it."""
    grouped: dict[tuple[str, str], list[str]] = {}
    tooltips: dict[tuple[str, str], str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        # Only our own commands carry an id; scrolling and focus keys of containers
        # would bury them.
        if not binding.description or binding.system or not (binding.id or binding.show):
            continue
        ident = (binding.id or binding.action, binding.description)
        grouped.setdefault(ident, []).append(screen.app.get_key_display(
            Binding(key, binding.action)))
        tooltips[ident] = active.tooltip or binding.tooltip
    return [HelpRow(" ".join(dict.fromkeys(keys)), ident[1], tooltips[ident])
            for ident, keys in grouped.items()]


class HelpScreen(ModalScreen[None]):
    """Keys of the current screen plus its ``HELP`` text. Escape, F1 or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss", N_("Close"), id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    HelpScreen .help-title { text-style: bold; color: $primary; }
    HelpScreen .help-keys { color: $text; }
    """

    def __init__(self, title: str, rows: list[HelpRow], text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_("Help — {title}").format(title=self.title_text),
                         classes="help-title")
            if self.text:
                yield Markdown(self.text)
            width = max((len(r.keys) for r in self.rows), default=8)
            lines = [f"{r.keys:<{width}}  {r.description}" for r in self.rows]
            yield Static("\n".join(lines), classes="help-keys", markup=False)
            yield Static(_("Escape closes this help."), classes="help-title")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
