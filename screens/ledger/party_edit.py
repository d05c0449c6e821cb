"""The edit dialog of a customer or vendor card. It returns the changes (or None); the
card screen saves them through the party service."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static

from core.i18n import N_, _
from core.ledger.parties import APPLICATION_METHODS, BLOCKED_VALUES, PartyChanges
from core.queries.types import PartyCard
from tui.widgets.checkbox import TickBox
from tui.widgets.formatting import label

TEXT_FIELDS = (("name", N_("Name")), ("address", N_("Address")), ("post_code", N_("Post code")),
               ("city", N_("City")), ("country", N_("Country")), ("email", N_("E-mail")),
               ("vat_no", N_("VAT no.")), ("payment_terms_code", N_("Payment terms")))


class PartyEditModal(ModalScreen[PartyChanges | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "save", N_("Save"), id="edit.save"),
        Binding("escape", "cancel", N_("Cancel"), id="edit.cancel"),
    ]

    def __init__(self, card: PartyCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        c = self.card
        with Vertical(id="dialog"):
            yield Static(_("Edit {party_type} {no} — Ctrl+S saves, Esc cancels").format(
                            party_type=c.party_type, no=c.no),
                         classes="dialog-title", markup=False)
            with Grid(id="fields"):
                for name, text in TEXT_FIELDS:
                    yield Label(_(text))
                    yield Input(str(getattr(c, name)), id=name)
                yield Label(_("Blocked"))
                yield Select([(label(v) if v else _("No"), v) for v in
                              BLOCKED_VALUES[c.party_type]], value=c.blocked,
                             allow_blank=False, id="blocked")
                yield Label(_("Application"))
                yield Select([(label(v), v) for v in APPLICATION_METHODS],
                             value=c.application_method, allow_blank=False,
                             id="application_method")
                yield Label(_("Privacy"))
                yield TickBox(_("Privacy blocked"), c.privacy_blocked, id="privacy_blocked")
                yield Label(_("Pmt. tolerance"))
                yield TickBox(_("Block payment tolerance"), c.block_payment_tolerance,
                               id="block_payment_tolerance")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self.dismiss(self.changes())

    def changes(self) -> PartyChanges:
        """Only the fields whose value differs from the card."""
        values: dict[str, object] = {}
        for name, _label in TEXT_FIELDS:
            value = self.query_one(f"#{name}", Input).value.strip()
            if value != str(getattr(self.card, name)):
                values[name] = value
        for name in ("blocked", "application_method"):
            chosen = self.query_one(f"#{name}", Select).value
            if chosen != getattr(self.card, name):
                values[name] = chosen
        for name in ("privacy_blocked", "block_payment_tolerance"):
            checked = self.query_one(f"#{name}", Checkbox).value
            if checked != getattr(self.card, name):
                values[name] = checked
        return PartyChanges(**values)  # type: ignore[arg-type]
