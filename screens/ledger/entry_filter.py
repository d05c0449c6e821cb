"""The filter dialog of a ledger entries list: posting date range, document type and
amount range. It returns the new filter (or None) and changes nothing itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from core.i18n import N_, _, date_example, format_date, format_number, parse_date
from core.i18n.formats import InputFormatError
from core.kernel.money import AmountError, parse_amount
from core.ledger.drafts import DOCUMENT_TYPES
from core.queries.types import LedgerFilter
from screens.shared.columns import doc_type

FIELDS = (
    ("date_from", N_("Posting from"), ""),  # hint: the language's date form
    ("date_to", N_("Posting to"), ""),
    ("amount_min", N_("Amount from"), N_("e.g. -100")),
    ("amount_max", N_("Amount to"), N_("e.g. 5000")),
)


def describe(f: LedgerFilter) -> list[str]:
    """The filter dialog's settings as words for the filter line."""
    words = []
    if f.date_from or f.date_to:
        words.append(_("posted {value}..{value2}").format(value=f.date_from or '…',
                        value2=f.date_to or '…'))
    if f.document_type:
        words.append(doc_type(f.document_type))
    if f.amount_min is not None or f.amount_max is not None:
        low = "…" if f.amount_min is None else f.amount_min
        high = "…" if f.amount_max is None else f.amount_max
        words.append(_("amount {low}..{high}").format(low=low, high=high))
    return words


class FilterError(ValueError):
    pass


def _date(text: str, what: str) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text.strip())  # the language's form (27/11/2026) or ISO
    except InputFormatError as exc:
        raise FilterError(_("{what}: {problem}").format(what=what, problem=exc)) from exc


def _amount(text: str, what: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise FilterError(f"{what}: {exc}") from exc


class LedgerFilterModal(ModalScreen[LedgerFilter | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "apply", N_("Apply"), id="filter.apply"),
        Binding("escape", "cancel", N_("Cancel"), id="filter.cancel"),
        Binding("ctrl+r", "clear", N_("Clear"), id="filter.clear"),
    ]

    def __init__(self, current: LedgerFilter) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        c = self.current
        values = {"date_from": format_date(c.date_from), "date_to": format_date(c.date_to),
                  "amount_min": "" if c.amount_min is None else format_number(c.amount_min),
                  "amount_max": "" if c.amount_max is None else format_number(c.amount_max)}
        with Vertical(id="dialog"):
            yield Static(_("Filter entries — Enter on the last field or Ctrl+S applies, Esc "
                         "cancels, Ctrl+R clears"), classes="dialog-title")
            with Grid(id="fields"):
                for name, text, hint in FIELDS:
                    yield Label(_(text))
                    yield Input(str(values[name]), placeholder=_(hint) if hint else date_example(),
                                id=name)
                yield Label(_("Document type"))
                options = [(doc_type(t), t) for t in DOCUMENT_TYPES if t]
                yield Select(options, value=c.document_type or Select.NULL, id="document_type",
                             prompt=_("Any"))
            yield Static("", id="error", markup=False)

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        for name, _w, _t in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#document_type", Select).clear()

    def action_apply(self) -> None:
        try:
            result = self._read()
        except FilterError as error:
            self.query_one("#error", Static).update(str(error))
            return
        self.dismiss(result)

    def _read(self) -> LedgerFilter:
        def text(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        kind = self.query_one("#document_type", Select).value
        return replace(self.current, date_from=_date(text("date_from"), _("Posting from")),
                       date_to=_date(text("date_to"), _("Posting to")),
                       amount_min=_amount(text("amount_min"), _("Amount from")),
                       amount_max=_amount(text("amount_max"), _("Amount to")),
                       document_type=kind if isinstance(kind, str) else "")
