"""The dialog shown for an unexpected error (a bug): what happened, where it is logged,
and that the app keeps running."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from core.i18n import N_, _


class ErrorDialog(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", N_("Close"), id="error.close"),
    ]
    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical {
        width: 70; max-width: 100%; height: auto; border: thick $error;
        background: $surface; padding: 1 2;
    }
    ErrorDialog .error-title { text-style: bold; color: $error; }
    ErrorDialog Button { margin-top: 1; }
    """

    def __init__(self, summary: str, log_path: str) -> None:
        super().__init__()
        self.summary = summary
        self.log_path = log_path

    def compose(self) -> ComposeResult:
        where = (_("The details are in {log_path}.").format(log_path=self.log_path)
                 if self.log_path else "")
        with Vertical():
            yield Static(_("Something went wrong"), classes="error-title")
            yield Static(self.summary, markup=False)
            yield Static(_("This is a bug, not something you did. {where} Lettrage keeps "
                           "running; nothing was saved by the failed "
                           "step.").format(where=where), markup=False)
            yield Button(_("Close"), variant="error", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
