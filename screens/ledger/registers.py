"""Registers (BC G/L Registers): one row per posting; from a register, its entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from core.i18n import N_, _
from core.queries.types import LedgerFilter, PageRequest, RegisterRow
from screens.application.entry_actions import EntryActions, Reversal
from screens.ledger.bank_entries import BankEntriesScreen
from screens.ledger.gl_entries import GLEntriesScreen
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.shared.base import ListScreen
from tui.messages import Outcome
from tui.widgets.lazy_table import Column, Fetch, LazyTable
from tui.workers import core_worker


@dataclass
class PartyTypeFound(Outcome, namespace="registers_screen"):
    """Whether the register's entry range holds customer or vendor entries."""
    party_type: str
    span: tuple[int, int]


class RegistersScreen(EntryActions, ListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "gl_entries", N_("G/L entries"), id="registers.gl_entries"),
        Binding("e", "party_entries", N_("Cust./vend. entries"), id="registers.party_entries"),
        Binding("b", "bank_entries", N_("Bank entries"), id="registers.bank_entries"),
        Binding("R", "reverse", N_("Reverse"), id="registers.reverse",
                tooltip=N_("Reverse Register: every transaction of the register")),
    ]
    SEARCHABLE = False
    SORTS = ("no",)
    START_AT_END = True
    TITLE_TEXT = N_("Registers")
    HELP = (N_("Each posting writes one register with the entry-number ranges it created. "
            "Enter shows its G/L entries, e its customer or vendor entries, b its bank "
            "entries; R reverses the register (shows the reversing entries first)."))

    def columns(self) -> list[Column]:
        def gl(r: RegisterRow) -> str:
            return f"{r.from_gl_entry_no}..{r.to_gl_entry_no}" if r.to_gl_entry_no else ""

        return [Column(_("No."), 6, lambda r: str(r.no), right=True),
                Column(_("Created"), 16, lambda r: r.created_at_text),
                Column(_("Source"), 10, lambda r: r.source_code),
                Column(_("User"), 0, lambda r: r.user_id),
                Column(_("G/L entries"), 15, gl),
                Column(_("Entries"), 13, lambda r: f"{r.from_entry_no}..{r.to_entry_no}"
                       if r.to_entry_no else "")]

    def make_fetch(self) -> Fetch:
        queries, desc = self.ctx.services.queries, self.descending

        def fetch(request: PageRequest) -> Any:
            return queries.registers(request, desc)

        return fetch

    def _register(self) -> RegisterRow | None:
        value = self.table.cursor_value
        return value if isinstance(value, RegisterRow) else None

    @on(LazyTable.RowSelected)
    def _selected(self) -> None:
        self.action_gl_entries()

    def action_gl_entries(self) -> None:
        if (r := self._register()) is not None and r.to_gl_entry_no:
            self.app.push_screen(GLEntriesScreen(
                self.ctx, entry_range=(r.from_gl_entry_no, r.to_gl_entry_no)))

    def action_party_entries(self) -> None:
        r = self._register()
        if r is None or not r.to_entry_no:
            self.notify(_("This register wrote no customer or vendor entries"))
            return
        self._find_party_type((r.from_entry_no, r.to_entry_no))

    @core_worker("party-type")
    def _find_party_type(self, span: tuple[int, int]) -> PartyTypeFound:
        page = self.ctx.services.queries.ledger_entries(
            LedgerFilter("customer", from_entry_no=span[0], to_entry_no=span[1]),
            PageRequest(limit=1))
        return PartyTypeFound("customer" if page.rows else "vendor", span)

    def on_registers_screen_party_type_found(self, message: PartyTypeFound) -> None:
        self.app.push_screen(LedgerEntriesScreen(self.ctx, message.party_type,
                                                 entry_range=message.span))

    def action_bank_entries(self) -> None:
        r = self._register()
        if r is None or not r.to_bank_entry_no:
            self.notify(_("This register wrote no bank entries"))
            return
        self.app.push_screen(BankEntriesScreen(
            self.ctx, entry_range=(r.from_bank_entry_no, r.to_bank_entry_no)))

    def action_reverse(self) -> None:
        if (r := self._register()) is not None:
            self.start_reverse(Reversal(register_no=r.no))

    def entries_changed(self) -> None:
        self.table.reload()
