"""Choose a journal batch, or create one (BC's Journal Batches page, reduced to what a
clerk needs: name, description, balancing bank account)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.application.journal import BatchView
from core.i18n import N_, _
from core.kernel.errors import LettrageError

NEW = "__new__"


@dataclass(frozen=True)
class NewBatch:
    name: str
    description: str
    bal_account_no: str


class BatchPickerModal(ModalScreen[int | NewBatch | None]):
    """Returns the chosen batch id, or a ``NewBatch`` to create."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="batch.cancel"),
        Binding("ctrl+s", "create", N_("Create"), show=False, id="batch.create"),
    ]
    DEFAULT_CSS = """
    BatchPickerModal #batch-list { height: auto; max-height: 10; border: none; }
    BatchPickerModal #new-batch { display: none; }
    BatchPickerModal.-new #new-batch { display: block; }
    BatchPickerModal.-new #batch-list { display: none; }
    """

    def __init__(self, title: str, batches: Sequence[BatchView], current: int | None,
                 default_bal: str) -> None:
        super().__init__()
        self.title_text = title
        self.batches = list(batches)
        self.current = current
        self.default_bal = default_bal

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("{title_text} batches — Enter opens, Esc cancels").format(
                            title_text=self.title_text),
                         classes="dialog-title", markup=False)
            options = [
                Option(
                    _("{name:<10} {value:<30} {line_count:>4} lines  bal. {value2}").format(
                        name=b.name,
                        value=b.description[:30],
                        line_count=b.line_count,
                        value2=b.bal_account_no or "-",
                    ),
                    id=str(b.id),
                )
                for b in self.batches
            ]
            yield OptionList(*options, Option(_("+ New batch…"), id=NEW), id="batch-list")
            with Vertical(id="new-batch"):
                yield Static(_("New batch — Ctrl+S creates, Esc cancels"), markup=False)
                with Grid(id="fields"):
                    yield Label(_("Name"))
                    yield Input("", id="name", placeholder=_("e.g. LOCKBOX (max. 20)"))
                    yield Label(_("Description"))
                    yield Input("", id="description")
                    yield Label(_("Bal. bank account"))
                    yield Input(self.default_bal, id="bal_account_no",
                                placeholder=_("blank: each line names its own"))
                yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        options = self.query_one("#batch-list", OptionList)
        ids = [b.id for b in self.batches]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected, "#batch-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NEW:
            self.add_class("-new")
            self.query_one("#name", Input).focus()
            return
        self.dismiss(int(event.option.id or 0))

    def action_create(self) -> None:
        if not self.has_class("-new"):
            return
        name = self.query_one("#name", Input).value.strip()
        try:
            if not name:
                raise LettrageError(_("Enter a name for the new batch."))
        except LettrageError as error:
            self.query_one("#error", Static).update(str(error))
            return
        self.dismiss(NewBatch(name, self.query_one("#description", Input).value.strip(),
                              self.query_one("#bal_account_no", Input).value.strip()))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_create()

    def action_cancel(self) -> None:
        self.dismiss(None)
