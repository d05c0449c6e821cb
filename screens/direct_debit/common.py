"""What the direct debit screens share: the service, labels, a small form modal."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from core.direct_debit.models import PARTNER_TYPES, STATUS_LABELS
from core.direct_debit.rules import DirectDebitError
from core.i18n import N_, _
from tui.context import Context

STATUS = STATUS_LABELS


def dd(ctx: Context) -> Any:
    """The direct debit service (``services.direct_debit``)."""
    return ctx.services.direct_debit


def status(value: str) -> str:
    return _(STATUS[value]) if value in STATUS else value


PARTNER_LABELS = {"person": N_("person"), "company": N_("company")}


def partner_type(text: str) -> str:
    """The partner type the clerk typed (its code or its word in the clerk's language;
    empty: both) as its code."""
    typed = text.strip().casefold()
    if not typed:
        return ""
    for code in PARTNER_TYPES:
        if typed in (code, _(PARTNER_LABELS[code]).casefold()):
            return code
    raise DirectDebitError(N_("Unknown partner type {value}: use person or company, or "
                              "leave it empty for both."), value=text.strip())


def right(ctx: Context, value: Any) -> Text:
    return Text(str(ctx.number_format.amount(value)) + " ", justify="right")


class FormModal(ModalScreen[dict[str, str] | None]):
    """A few labelled one-line fields; Enter on the last one answers, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="ddform.cancel"),
    ]
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal #dialog { width: 64; height: auto; border: round $accent; padding: 0 1; }
    FormModal #dialog Input { margin: 0; height: 1; border: none; padding: 0 1;
                              background: $boost; }
    FormModal #dialog Label { margin-top: 1; }
    """

    def __init__(self, title: str, fields: list[tuple[str, str, str]]) -> None:
        """``fields``: (name, label, initial value)."""
        super().__init__()
        self.title_text, self.fields = title, fields

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            for name, label, value in self.fields:
                yield Label(label, markup=False)
                yield Input(value, id=f"f-{name}")
            yield Static(_("Enter: next / OK · Esc: cancel"), markup=False)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        at = inputs.index(event.input)
        if at + 1 < len(inputs):
            inputs[at + 1].focus()
            return
        self.dismiss({name: self.query_one(f"#f-{name}", Input).value.strip()
                      for name, _label, _value in self.fields})

    def action_cancel(self) -> None:
        self.dismiss(None)
