"""One small form dialog for the registration screens: labelled fields (text, a
choice or a check box), Enter or Ctrl+S saves, Esc cancels. It returns the values as
text (check boxes as "1"/""), the caller parses them and the core validates them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Select, Static

from core.i18n import N_, _
from screens.shared.lookup import LookupModal, Search
from tui.widgets.checkbox import TickBox


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""
    kind: str = "text"  # text | choice | check
    choices: tuple[tuple[str, str], ...] = field(default=())  # (label, value)


@dataclass(frozen=True)
class Lookup:
    """F4 on a field: choose its value from a list; ``fill`` gives the other fields'
    values that come with the chosen one (an item's description, price, VAT %)."""

    title: str
    search: Search
    fill: Callable[[str], dict[str, str]] = field(default=lambda _value: {})
    # the text the lookup starts from, given the form's values (default: the field's)
    start: Callable[[dict[str, str]], str] | None = None


class FormModal(ModalScreen[dict[str, str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
        Binding("f4", "lookup", N_("Lookup"), id="form.lookup"),
    ]
    DEFAULT_CSS = """
    FormModal .form-row { height: 1; margin-bottom: 0; }
    FormModal .form-label { width: 24; padding: 0 1 0 0; }
    FormModal .form-row Input { width: 1fr; height: 1; border: none; padding: 0 1;
                                background: $boost; }
    FormModal .form-row Input:focus { background: $accent 30%; }
    FormModal .form-row Select { width: 1fr; height: 1; }
    FormModal .form-row SelectCurrent { border: none; height: 1; padding: 0 1; }
    FormModal .form-row Checkbox { height: 1; border: none; padding: 0; }
    FormModal .form-keys { color: $text-muted; height: 1; }
    FormModal .form-note { color: $text-muted; height: auto; }
    """

    def __init__(self, title: str, fields: list[Field], note: str = "",
                 lookups: dict[str, Lookup] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.note = note
        self.lookups = lookups or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            for f in self.fields:
                with Horizontal(classes="form-row"):
                    yield Static(f.label, classes="form-label", markup=False)
                    if f.kind == "choice":
                        yield Select([(lbl, val) for lbl, val in f.choices], value=f.value,
                                     allow_blank=False, id=f"f-{f.name}")
                    elif f.kind == "check":
                        yield TickBox("", value=bool(f.value), id=f"f-{f.name}")
                    else:
                        yield Input(f.value, id=f"f-{f.name}")
            if self.note:
                yield Static(self.note, classes="form-note", markup=False)
            yield Static(_("Enter/Ctrl+S: save · Esc: cancel · Tab: next field")
                         + (_(" · F4: lookup") if self.lookups else ""),
                         classes="form-keys", markup=False)

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#f-{self.fields[0].name}").focus()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.name}")
            if isinstance(widget, Select):
                out[f.name] = str(widget.value)
            elif isinstance(widget, Checkbox):
                out[f.name] = "1" if widget.value else ""
            elif isinstance(widget, Input):
                out[f.name] = widget.value.strip()
        return out

    def action_lookup(self) -> None:
        """F4 on a field with a lookup (BC's "..."): the chosen value, and what comes
        with it, fill the form."""
        focused = self.focused
        name = (focused.id or "").removeprefix("f-") if focused is not None else ""
        lookup = self.lookups.get(name)
        if lookup is None or not isinstance(focused, Input):
            return

        def chosen(value: str | None) -> None:
            if value is None:
                return
            focused.value = value
            for other, text in lookup.fill(value).items():
                widget = self.query_one(f"#f-{other}")
                if isinstance(widget, Select | Input):
                    widget.value = text

        text = lookup.start(self.values()) if lookup.start else focused.value
        self.app.push_screen(LookupModal(lookup.title, lookup.search, text), chosen)

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)
