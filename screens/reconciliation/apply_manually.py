"""Apply Manually (BC Payment Application page): the open entries a statement line may
pay, each with an applied checkbox (space toggles) and an editable amount.

The dialog returns ``[(entry no., amount or None)]`` through ``dismiss`` (None: the
amount the service suggests, discount included); the caller calls
``ReconciliationService.apply_manually`` in a worker. Esc returns ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.money import parse_amount
from core.reconciliation.types import CandidateView, LineView
from screens.shared.lookup import LookupModal, Search
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import NumberFormat, label, short_date
from tui.workers import core_worker

Applications = list[tuple[int, Decimal | None]]
# (party type, party no.) -> that party's open entries for the line (in a worker)
LoadCandidates = Callable[[str, str], list[CandidateView]]
# (label, width, right-aligned): cell padding 0 so the table fits 80 columns
COLUMNS = ((N_("Appl"), 5, False), (N_("Account"), 8, False), (N_("Doc. no."), 9, False),
           (N_("Due"), 9, False), (N_("Remaining"), 11, True), (N_("Incl.disc"), 11, True),
           (N_(" Disc.date"), 10, False), (N_("Applied"), 11, True))


def _short(value: date | None) -> str:
    return short_date(value)  # with the year, the month in words: 27 Nov 26


@dataclass
class PartyCandidatesLoaded(Outcome, namespace="apply_manually"):
    """The open entries of the party the clerk picked for a line without one."""
    party_type: str
    no: str
    candidates: list[CandidateView]


class ApplyManuallyModal(ModalScreen[Applications | None]):
    """Choose the entries the line pays and how much of each; on a line without a
    party (or the wrong one), c or v (F4: the likely one) picks the customer or vendor
    whose open entries are shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_applied", N_("Applied"), id="apply.toggle"),
        Binding("e", "edit_amount", N_("Amount"), id="apply.amount"),
        Binding("ctrl+s,f9", "confirm", N_("OK"), id="apply.confirm"),
        Binding("escape", "cancel", N_("Cancel"), id="apply.cancel"),
        Binding("c", "pick_party('customer')", N_("Customer"), id="apply.customer",
                tooltip=N_("Show the open entries of a customer you choose")),
        Binding("v", "pick_party('vendor')", N_("Vendor"), id="apply.vendor",
                tooltip=N_("Show the open entries of a vendor you choose")),
        Binding("f4", "pick_party('')", N_("Party"), id="apply.party", show=False),
    ]
    DEFAULT_CSS = """
    ApplyManuallyModal > Vertical { width: 100%; max-width: 120; height: 100%;
        border: round $primary; background: $surface; padding: 0 1; }
    ApplyManuallyModal DataTable { height: 1fr; }
    ApplyManuallyModal #amount { height: 1; border: none; padding: 0 1; background: $boost; }
    ApplyManuallyModal #apply-status { height: auto; }
    """

    def __init__(self, line: LineView, candidates: Sequence[CandidateView],
                 nf: NumberFormat, *, load: LoadCandidates | None = None,
                 lookups: Callable[[str], Search | None] | None = None) -> None:
        super().__init__()
        self.line = line
        self.candidates = list(candidates)
        self.nf = nf
        self.load = load
        self.lookups = lookups
        # the party whose entries are shown when the clerk chose one (type, no.)
        self.party: tuple[str, str] | None = None
        # entry no. -> applied amount (None: suggested by the service)
        self.applied: dict[int, Decimal | None] = {
            c.entry_no: c.applied_here for c in self.candidates if c.applied}

    def compose(self) -> ComposeResult:
        ln = self.line
        with Vertical():
            yield Static(
                _("Apply line {line_no} ({amount}): {value}").format(
                    line_no=ln.line_no, amount=self.nf.amount(ln.amount), value=ln.text[:40]
                ),
                classes="dialog-title", id="apply-title",
                markup=False,
            )
            yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True,
                            cell_padding=0)
            yield Input(placeholder=_("Amount for the highlighted entry (Enter sets it)"),
                        id="amount")
            yield Static("", id="apply-status", markup=False)
            yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one("#candidates", DataTable)
        for name, width, right in COLUMNS:
            table.add_column(Text(_(name) + " ", justify="right") if right else _(name),
                             width=width)
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one("#candidates", DataTable)
        table.clear()
        for c in self.candidates:
            table.add_row(*self._cells(c), key=str(c.entry_no))
        self._status()

    # --- choosing the party ----------------------------------------------------------

    def action_pick_party(self, party_type: str) -> None:
        """Look up a customer or vendor (F4: customers for money received, vendors for
        money paid out) and show that party's open entries."""
        kind = party_type or ("customer" if self.line.amount >= 0 else "vendor")
        search = self.lookups(kind) if self.lookups is not None else None
        if search is None or self.load is None:
            return

        def chosen(no: str | None) -> None:
            if no:
                self.show_party(kind, no)

        self.app.push_screen(LookupModal(_("Look up {kind}").format(kind=label(kind)),
                                         search), chosen)

    def show_party(self, party_type: str, no: str) -> None:
        """Replace the list with ``no``'s open entries (nothing applied yet)."""
        if self.load is not None:
            self._load_party(self.load, party_type, no)

    @core_worker("party-candidates")
    def _load_party(self, load: LoadCandidates, party_type: str,
                    no: str) -> PartyCandidatesLoaded:
        return PartyCandidatesLoaded(party_type, no, list(load(party_type, no)))

    def on_apply_manually_party_candidates_loaded(self, message: PartyCandidatesLoaded
                                                  ) -> None:
        party_type, no = message.party_type, message.no
        self.party = (party_type, no)
        self.candidates = list(message.candidates)
        ln = self.line
        self.query_one("#apply-title", Static).update(
            _("Apply line {line_no} ({amount}) to {party} {no}").format(
                line_no=ln.line_no, amount=self.nf.amount(ln.amount),
                party=label(party_type), no=no))
        self.applied = {c.entry_no: c.applied_here for c in self.candidates
                        if c.applied}
        self._fill()

    def _cells(self, c: CandidateView) -> list[Text]:
        on_ = c.entry_no in self.applied
        amount = self.applied.get(c.entry_no)
        shown = ("suggested" if amount is None else self.nf.amount(amount)) if on_ else ""

        def right(text: str) -> Text:
            return Text(text + " ", justify="right")

        return [Text("[x]" if on_ else "[ ]"), Text(c.account_no[:7]),
                Text(c.document_no[:9]), Text(_short(c.due_date)),
                right(self.nf.amount(c.remaining)),
                right(self.nf.amount(c.remaining_incl_discount)),
                Text(" " + _short(c.pmt_discount_date)), right(shown)]

    def _refresh_row(self, c: CandidateView) -> None:
        table = self.query_one("#candidates", DataTable)
        row = table.get_row_index(str(c.entry_no))
        for col, value in enumerate(self._cells(c)):
            table.update_cell_at(Coordinate(row, col), value)
        self._status()

    def _status(self) -> None:
        explicit = sum((a for a in self.applied.values() if a is not None), Decimal(0))
        suggested = sum(1 for a in self.applied.values() if a is None)
        text = (_("{count} applied · amounts entered {explicit} of {amount}").format(
                   count=len(self.applied), explicit=self.nf.amount(explicit),
                   amount=self.nf.amount(self.line.amount)))
        if suggested:
            text += _(" · {suggested} suggested by the service").format(suggested=suggested)
        c = self.current() if self.is_mounted else None
        if c is not None:
            doc = f"{c.document_type} {c.document_no}"
            extra = "" if c.description in ("", doc) else f" {c.description}"
            text += f"\n{c.account_no} {c.account_name} · {doc}{extra}"[:70]
            if c.applied_elsewhere:
                text += _(" · {applied_elsewhere} on other lines").format(
                           applied_elsewhere=self.nf.amount(c.applied_elsewhere))
        if not self.candidates and self.party is not None:
            text = _("{party} {no} has no open entries for this line. c picks a customer, "
                     "v a vendor; Esc closes.").format(party=label(self.party[0]),
                                                       no=self.party[1])
        elif not self.candidates:
            text = _("No open entries found for this line: c picks a customer, v a vendor "
                     "to show their open entries; Esc closes.")
        self.query_one("#apply-status", Static).update(text)

    def current(self) -> CandidateView | None:
        table = self.query_one("#candidates", DataTable)
        if not self.candidates or table.cursor_row < 0:
            return None
        return self.candidates[table.cursor_row]

    # --- actions ---------------------------------------------------------------------

    def action_toggle_applied(self) -> None:
        c = self.current()
        if c is None:
            return
        if c.entry_no in self.applied:
            del self.applied[c.entry_no]
        else:
            self.applied[c.entry_no] = None
        self._refresh_row(c)

    def action_edit_amount(self) -> None:
        c = self.current()
        if c is None:
            return
        amount = self.applied.get(c.entry_no)
        field = self.query_one("#amount", Input)
        field.value = "" if amount is None else f"{amount:.2f}"
        field.focus()

    def set_amount(self, entry_no: int, text: str) -> None:
        """Apply ``entry_no`` with the amount typed (blank: the suggested amount)."""
        amount = parse_amount(text, self.nf.decimal, self.nf.thousands) if text else None
        self.applied[entry_no] = amount
        c = next(c for c in self.candidates if c.entry_no == entry_no)
        self._refresh_row(c)

    @on(Input.Submitted, "#amount")
    def _amount_entered(self, event: Input.Submitted) -> None:
        c = self.current()
        if c is None:
            return
        try:
            self.set_amount(c.entry_no, event.value.strip())
        except LettrageError as error:
            self.notify(_("{error}. Type an amount such as 123.45.").format(error=error),
                        severity="warning")
            return
        event.input.value = ""
        self.query_one("#candidates", DataTable).focus()

    @on(DataTable.RowHighlighted, "#candidates")
    def _row_highlighted(self) -> None:
        self._status()

    @on(DataTable.RowSelected, "#candidates")
    def _row_selected(self) -> None:
        self.action_edit_amount()

    def action_confirm(self) -> None:
        order = [c.entry_no for c in self.candidates if c.entry_no in self.applied]
        self.dismiss([(n, self.applied[n]) for n in order])

    def action_cancel(self) -> None:
        field = self.query_one("#amount", Input)
        if field.has_focus:
            field.value = ""
            self.query_one("#candidates", DataTable).focus()
            return
        self.dismiss(None)
