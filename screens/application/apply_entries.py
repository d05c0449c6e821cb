"""Apply Customer / Vendor Entries (BC pages 232/233): the party's open entries, marked
with the applying side's Applies-to ID, an Amount to Apply per entry, and BC's footer
totals recomputed (by the core's pure calculation) at every mark.

The applying side is a posted entry (from the ledger entries) or an unposted journal
line (``view.journal_line_id``). The dialog returns the clerk's ``ApplyChoice``; the
caller saves the marks (Set Applies-to ID) and, when ``post`` is set, posts the
application, all in workers. Esc discards the changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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

from core.application.service import ApplyEntriesView, ApplyEntryRow, apply_totals
from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.money import parse_amount
from screens.shared.columns import doc_type
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import NumberFormat, day, short_date

# (label, width, right-aligned); cell padding 0 so each column keeps one blank cell
# before the next and the table fits 80 columns (the discount date is on the line
# under the table)
COLUMNS = (("", 2, False), (N_("Type"), 8, False), (N_("Document"), 10, False),
           (N_("Due"), 10, False), (N_("Remaining"), 11, True),
           (N_("Disc.poss."), 11, True), (N_("Max.tol."), 10, True), (N_("To apply"), 11, True))


@dataclass(frozen=True)
class ApplyChoice:
    """The marked entries (in page order), their Amount to Apply (absent = all of the
    remaining), the versions the clerk saw, and whether to post the application."""

    entry_nos: list[int]
    amounts: dict[int, Decimal] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)
    post: bool = False


def _short(value: date | None) -> str:
    return short_date(value)  # with the year: 27 Nov 26 (issue #15)


class ApplyEntriesModal(ModalScreen[ApplyChoice | None]):
    """Mark entries (space or m), set an Amount to Apply (e or Enter), OK (Ctrl+S) or,
    from ledger entries, Post Application (F9)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,m,shift+f11", "toggle_mark", N_("Mark"), id="apply_entries.mark",
                tooltip=N_("Set Applies-to ID on the entry (toggle)")),
        Binding("e", "edit_amount", N_("Amount"), id="apply_entries.amount",
                tooltip=N_("Amount to Apply of the entry (blank: all of it)")),
        Binding("ctrl+s", "ok", N_("OK"), id="apply_entries.ok",
                tooltip=N_("Keep the marks and close")),
        Binding("f9,p", "post", N_("Post appl."), id="apply_entries.post",
                tooltip=N_("Post Application (from ledger entries)")),
        Binding("escape", "cancel", N_("Cancel"), id="apply_entries.cancel"),
    ]
    DEFAULT_CSS = """
    ApplyEntriesModal > Vertical { width: 100%; max-width: 100; height: 100%;
        border: round $primary; background: $surface; padding: 0 1; }
    ApplyEntriesModal #apply-head { height: 2; }
    ApplyEntriesModal #apply-table { height: 1fr; }
    ApplyEntriesModal #apply-amount { height: 1; border: none; padding: 0 1;
        background: $boost; display: none; }
    ApplyEntriesModal #apply-amount.-editing { display: block; }
    ApplyEntriesModal #apply-row { height: 1; color: $text-muted; }
    ApplyEntriesModal #apply-totals { height: 2; background: $boost; }
    """

    def __init__(self, view: ApplyEntriesView, nf: NumberFormat) -> None:
        super().__init__()
        self.view = view
        self.nf = nf
        self.rows = list(view.entries)
        # entry no. -> Amount to Apply (None: all of the remaining)
        self.marks: dict[int, Decimal | None] = {
            r.entry_no: (r.amount_to_apply or None) for r in view.entries if r.marked}

    @property
    def fills_amount(self) -> bool:
        """A journal line without an amount gets the one that settles the marks."""
        return self.from_journal and not self.view.applying.remaining_amount

    @property
    def from_journal(self) -> bool:
        return self.view.journal_line_id is not None

    def compose(self) -> ComposeResult:
        a = self.view.applying
        kind = _("Customer") if a.party_type == "customer" else _("Vendor")
        source = (_("journal line") if self.from_journal
                  else _("entry {entry_no}").format(entry_no=a.entry_no))
        with Vertical():
            yield Static(_("Apply {kind} Entries — {party_no} {party_name}").format(
                             kind=kind, party_no=a.party_no, party_name=a.party_name)[:76],
                         classes="dialog-title", markup=False)
            yield Static(_("Applying {source}: {doc_type} {document_no} of {isoformat}, "
                           "{amount}\nApplies-to ID {applies_to_id} · space marks · e amount "
                           "to apply").format(
                             source=source, doc_type=doc_type(a.document_type),
                             document_no=a.document_no, isoformat=day(a.posting_date),
                             amount=self.nf.amount(a.remaining_amount),
                             applies_to_id=self.view.applies_to_id),
                         id="apply-head", markup=False)
            yield DataTable(id="apply-table", cursor_type="row", zebra_stripes=True,
                            cell_padding=0)
            yield Input(placeholder=_("Amount to apply, Enter sets it (blank: all)"),
                        id="apply-amount")
            yield Static("", id="apply-row", markup=False)
            yield Static("", id="apply-totals", markup=False)
            yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one("#apply-table", DataTable)
        for name, width, right in COLUMNS:
            title = _(name)
            table.add_column(Text(title + " ", justify="right") if right else title,
                             width=width)
        for r in self.rows:
            table.add_row(*self._cells(r), key=str(r.entry_no))
        table.focus()
        self._totals()
        self._row_info()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # a journal line applies when the journal is posted: no Post Application there
        return not (action == "post" and self.from_journal)

    # --- display ---------------------------------------------------------------------

    def _cells(self, r: ApplyEntryRow) -> list[str | Text]:
        nf = self.nf

        def right(text: str) -> Text:
            return Text(text + " ", justify="right")

        marked = r.entry_no in self.marks
        amount = self.marks.get(r.entry_no)
        to_apply = nf.amount(r.remaining if amount is None else amount) if marked else ""
        return [Text("✓" if marked else " ", style="bold"), doc_type(r.document_type)[:7],
                r.document_no[:9], _short(r.due_date), right(nf.amount(r.remaining)),
                right(nf.amount(r.remaining_pmt_disc_possible, True)),
                right(nf.amount(r.max_payment_tolerance, True)), right(to_apply)]

    def _refresh_row(self, r: ApplyEntryRow) -> None:
        table = self.query_one("#apply-table", DataTable)
        row = table.get_row_index(str(r.entry_no))
        for col, value in enumerate(self._cells(r)):
            table.update_cell_at(Coordinate(row, col), value)
        self._totals()

    def totals_text(self) -> str:
        t = apply_totals(self.view, self.marks)
        nf = self.nf
        return (_("Amount to apply {amount} · Pmt. disc. {amount2} · Rounding "
                  "{amount3}\nApplied {amount4} · Available {amount5} · Balance {amount6}").format(
                    amount=nf.amount(t.amount_to_apply), amount2=nf.amount(t.pmt_disc_amount),
                    amount3=nf.amount(t.rounding), amount4=nf.amount(t.applied_amount),
                    amount5=nf.amount(t.available_amount), amount6=nf.amount(t.balance))
                + (" → " + _("line amount {amount}").format(amount=nf.amount(-t.applied_amount))
                   if self.fills_amount and self.marks
                   else " · " + _("{count} marked").format(count=len(self.marks))))

    def _totals(self) -> None:
        self.query_one("#apply-totals", Static).update(self.totals_text())

    def _row_info(self) -> None:
        r = self.current()
        text = _("No open entries to apply. Esc closes.") if not self.rows else ""
        if r is not None:
            text = _("{doc} {document_no} · posted {date}").format(
                doc=doc_type(r.document_type), document_no=r.document_no,
                date=day(r.posting_date))
            if r.due_date:
                text += " · " + _("due {date}").format(date=day(r.due_date))
            if r.pmt_discount_date:
                text += " · " + _("disc. until {date}").format(
                    date=_short(r.pmt_discount_date))
            if r.pmt_disc_tolerance_date and r.pmt_disc_tolerance_date != r.pmt_discount_date:
                text += " · " + _("late disc. to {date}").format(
                    date=_short(r.pmt_disc_tolerance_date))
            if r.applies_to_id and r.applies_to_id != self.view.applies_to_id:
                text += " · " + _("marked for {applies_to_id}").format(
                    applies_to_id=r.applies_to_id)
        self.query_one("#apply-row", Static).update(text[:96])

    @on(DataTable.RowHighlighted, "#apply-table")
    def _highlighted(self) -> None:
        self._row_info()

    @on(DataTable.RowSelected, "#apply-table")
    def _selected(self) -> None:
        self.action_edit_amount()

    def current(self) -> ApplyEntryRow | None:
        table = self.query_one("#apply-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # --- actions ---------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        r = self.current()
        if r is None:
            return
        if r.entry_no in self.marks:
            del self.marks[r.entry_no]
        else:
            self.marks[r.entry_no] = None
        self._refresh_row(r)
        table = self.query_one("#apply-table", DataTable)
        if table.cursor_row < len(self.rows) - 1:  # mark one, move on, like a checklist
            table.move_cursor(row=table.cursor_row + 1)

    def action_edit_amount(self) -> None:
        r = self.current()
        if r is None:
            return
        field_ = self.query_one("#apply-amount", Input)
        amount = self.marks.get(r.entry_no)
        field_.value = "" if amount is None else f"{abs(amount):f}"
        field_.add_class("-editing")
        field_.focus()

    def set_amount(self, entry_no: int, text: str) -> None:
        """Mark ``entry_no`` with the amount typed, in the entry's sign (blank: all)."""
        r = next(x for x in self.rows if x.entry_no == entry_no)
        amount: Decimal | None = None
        if text:
            typed = abs(parse_amount(text, self.nf.decimal, self.nf.thousands))
            if typed > abs(r.remaining):
                raise LettrageError(
                    _("Amount to Apply {typed} exceeds the remaining {amount}").format(
                        typed=self.nf.amount(typed), amount=self.nf.amount(abs(r.remaining))
                    )
                )
            if typed == 0:
                raise LettrageError(_("Amount to Apply must not be 0; space unmarks"))
            amount = typed if r.remaining > 0 else -typed
            if amount == r.remaining:
                amount = None
        self.marks[entry_no] = amount
        self._refresh_row(r)

    @on(Input.Submitted, "#apply-amount")
    def _amount_entered(self, event: Input.Submitted) -> None:
        r = self.current()
        if r is None:
            return
        try:
            self.set_amount(r.entry_no, event.value.strip())
        except LettrageError as error:
            self.notify(str(error), severity="warning")
            return
        self._close_amount()

    def _close_amount(self) -> None:
        field_ = self.query_one("#apply-amount", Input)
        field_.value = ""
        field_.remove_class("-editing")
        self.query_one("#apply-table", DataTable).focus()

    def choice(self, post: bool = False) -> ApplyChoice:
        order = [r.entry_no for r in self.rows if r.entry_no in self.marks]
        amounts = {n: a for n, a in self.marks.items() if a is not None}
        versions = {r.entry_no: r.version for r in self.rows
                    if r.entry_no in self.marks or r.marked}
        return ApplyChoice(order, amounts, versions, post)

    def action_ok(self) -> None:
        self.dismiss(self.choice())

    def action_post(self) -> None:
        if self.from_journal:
            return
        if not self.marks:
            self.notify(_("Mark the entries to apply first (space)."), severity="warning")
            return
        self.dismiss(self.choice(post=True))

    def action_cancel(self) -> None:
        if self.query_one("#apply-amount", Input).has_class("-editing"):
            self._close_amount()
            return
        self.dismiss(None)
