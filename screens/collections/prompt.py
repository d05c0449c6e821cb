"""A one-line question (a level, a folder, an e-mail address): Enter answers, Esc
cancels (returns None)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from core.i18n import N_, _


class PromptModal(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="prompt.cancel"),
    ]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question, self.value = question, value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Input(self.value, id="prompt-input")
            yield Static(_("Enter: OK · Esc: cancel"), markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextViewScreen(ModalScreen[None]):
    """A read-only text (the plain-text version of a document)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", N_("Close"), id="textview.close"),
    ]
    DEFAULT_CSS = """
    TextViewScreen { align: center middle; }
    TextViewScreen #textview { width: 80; height: 100%; border: round $accent; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="textview") as scroll:
            scroll.border_title = self.title_text
            scroll.border_subtitle = _("Esc: close")
            yield Static(self.text, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
