"""A yes/no question with an explanation (BC's confirm dialogs): Enter or y answers
yes, Esc or n answers no. The body scrolls when it is long (a posting preview)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from core.i18n import N_, _


class ConfirmModal(ModalScreen[bool]):
    """Ask ``question``; ``body`` says what will happen. Returns True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("escape,n", "answer(False)", N_("No"), id="confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmModal #dialog { max-height: 100%; }
    ConfirmModal #confirm-body { height: auto; max-height: 18; }
    ConfirmModal .confirm-keys { color: $text-muted; height: 1; }
    """

    def __init__(self, question: str, body: str = "", *, yes: str = N_("Yes"),
                 no: str = N_("No")) -> None:
        super().__init__()
        self.question = question
        self.body = body
        self.yes, self.no = _(yes), _(no)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.body:
                with VerticalScroll(id="confirm-body"):
                    yield Static(self.body, markup=False)
            yield Static(self.keys_text(), classes="confirm-keys", markup=False)

    def keys_text(self, scrolls: bool = False) -> str:
        text = _("Enter/y: {yes} · Esc/n: {no}").format(yes=self.yes, no=self.no)
        return text + (_(" · ↑↓ PgUp/PgDn: more") if scrolls else "")

    def on_resize(self) -> None:
        self.call_after_refresh(self._say_scroll)

    def _say_scroll(self) -> None:
        """A body longer than the screen scrolls (it has the focus): say so on the
        keys line, so the entries below the fold are not taken for missing."""
        bodies = self.query("#confirm-body")
        scrolls = bool(bodies) and bodies.first().max_scroll_y > 0
        self.query_one(".confirm-keys", Static).update(self.keys_text(scrolls))

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
