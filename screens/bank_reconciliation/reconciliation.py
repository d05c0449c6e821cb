"""Bank Acc. Reconciliation (BC page 379): statement lines above, open bank entries below.

At 80x24 the two panes are stacked, the totals of both sides and the difference always
on top. Tab switches the pane, space marks a row; m matches the marked line(s) with the
marked entry(ies) (one line + n entries, or n lines + one entry), a matches
automatically, x removes a match, g transfers a fee or interest line to the general
journal, t shows the test report, F9 posts. Matched rows are marked ✓ in green; an
entry matched on another open reconciliation shows its statement no. in italics.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.bank_reconciliation.views import BankEntryView, RecLineView, RecView
from core.i18n import N_, _, get_language
from screens.bank_reconciliation.dialogs import (
    HeaderModal,
    HeaderRequest,
    StatementNoModal,
    ToleranceModal,
    TransferModal,
    TransferRequest,
    bankrec,
)
from screens.bank_reconciliation.reports import OutstandingScreen, TestReportScreen
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import NumberFormat, day

KIND = {"none": "", "one_to_one": "1:1", "many_to_one": "n:1", "one_to_many": "1:n",
        "manual": "man"}
MATCHED = "bold green"
ELSEWHERE = "italic blue"



def day_month() -> str:
    """Day and month in the clerk's language's order (``26/11`` or ``11-26``)."""
    return "%d/%m" if get_language() == "fr" else "%m-%d"


def totals_text(r: RecView, nf: NumberFormat, matched_entries: int) -> str:
    """The two lines under the tables: the header and the totals."""
    first = _("Bank {bank_account_no} · statement {statement_no} · {date} · last "
              "{balance_last_statement} · ending {statement_ending_balance}").format(
        bank_account_no=r.bank_account_no, statement_no=r.statement_no,
        date=day(r.statement_date) if r.statement_date else _("no date"),
        balance_last_statement=nf.amount(r.balance_last_statement),
        statement_ending_balance=nf.amount(r.statement_ending_balance))
    second = _("Lines {total_amount} ({matched_count}/{line_count} matched) · entries "
               "{total_applied} ({matched_entries}) · Difference {total_difference}").format(
        total_amount=nf.amount(r.total_amount), matched_count=r.matched_count,
        line_count=r.line_count, total_applied=nf.amount(r.total_applied),
        matched_entries=matched_entries, total_difference=nf.amount(r.total_difference))
    if r.total_balance != r.statement_ending_balance:
        second += _(" · ending ≠ total!")
    return f"{first}\n{second}"

class BankRecScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch", N_("Pane"), id="bankrec.switch"),
        Binding("space", "mark", N_("Mark"), id="bankrec.mark"),
        Binding("m", "match", N_("Match"), id="bankrec.match"),
        Binding("a", "auto", N_("Auto"), id="bankrec.auto"),
        Binding("f9", "post", N_("Post"), id="bankrec.post"),
        Binding("x", "remove", N_("Remove match"), show=False, id="bankrec.remove"),
        Binding("g", "transfer", N_("Transfer to G/L"), show=False, id="bankrec.transfer"),
        Binding("t", "test_report", N_("Test report"), show=False, id="bankrec.test"),
        Binding("h", "header", N_("Date/balance"), show=False, id="bankrec.header"),
        Binding("c", "change_no", N_("Change no."), show=False, id="bankrec.change_no"),
        Binding("o", "outstanding", N_("Outstanding"), show=False, id="bankrec.outstanding"),
        Binding("d", "details", N_("Details"), show=False, id="bankrec.details"),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), show=False, id="bankrec.reload"),
    ]
    DEFAULT_CSS = """
    BankRecScreen #totals { height: 2; background: $panel; }
    BankRecScreen .pane-title { height: 1; color: $text-muted; }
    BankRecScreen DataTable { height: 1fr; }
    """
    HELP = (N_("Tab switches between the statement lines (top) and the open bank entries "
            "(bottom); space marks rows. m matches the marked line with the marked entries "
            "(or the marked lines with one entry), a matches automatically, x removes the "
            "match of the line, d shows why a line matched, g transfers a line without an "
            "entry (fee, interest) to the general journal, h sets the statement date and "
            "ending balance, c changes the statement no., t shows the test report, o the "
            "outstanding items, F9 posts."))

    def __init__(self, ctx: Context, rec_id: int) -> None:
        super().__init__(ctx)
        self.rec_id = rec_id
        self.rec: RecView | None = None
        self.lines: list[RecLineView] = []
        self.entries: list[BankEntryView] = []
        self.marked_lines: set[int] = set()
        self.marked_entries: set[int] = set()

    def screen_title(self) -> str:
        return _("Bank Acc. Reconciliation")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="totals", markup=False)
        yield Static(_("Statement lines"), classes="pane-title", id="lines-title")
        yield DataTable(id="lines", cursor_type="row", cell_padding=1)
        yield Static(_("Open bank ledger entries"), classes="pane-title", id="entries-title")
        yield DataTable(id="entries", cursor_type="row", cell_padding=1)
        yield FitFooter()

    @property
    def line_table(self) -> DataTable[Any]:
        return self.query_one("#lines", DataTable)

    @property
    def entry_table(self) -> DataTable[Any]:
        return self.query_one("#entries", DataTable)

    def on_mount(self) -> None:
        lt, et = self.line_table, self.entry_table
        for label, width in (("", 1), (_("Mt."), 3), (_("Date"), 5), (_("Amount"), 11),
                             (_("Diff."), 10), (_("Text"), 34)):
            lt.add_column(label, width=width)
        for label, width in (("", 1), (_("Entry"), 5), (_("Date"), 5), (_("Document"), 12),
                             (_("Description"), 22), (_("Remaining"), 11), (_("St."), 3)):
            et.add_column(label, width=width)
        lt.focus()
        self.action_reload()

    # --- loading ---------------------------------------------------------------------

    def action_reload(self) -> None:
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id

        def load() -> tuple[RecView, list[RecLineView], list[BankEntryView]]:
            return svc.rec(rec_id), svc.lines(rec_id), svc.entries(rec_id)

        self.query_core(load, self._show)

    def _show(self, data: tuple[RecView, list[RecLineView], list[BankEntryView]]) -> None:
        self.rec, self.lines, self.entries = data
        self.marked_lines &= {ln.id for ln in self.lines}
        self.marked_entries &= {e.entry_no for e in self.entries}
        self._fill_lines()
        self._fill_entries()
        self._totals()

    def _totals(self) -> None:
        r, nf = self.rec, self.ctx.number_format
        if r is None:
            return
        matched_entries = sum(1 for e in self.entries if e.matched_here)
        self.query_one("#totals", Static).update(totals_text(r, nf, matched_entries))

    def _fill_lines(self) -> None:
        table, nf = self.line_table, self.ctx.number_format
        row = table.cursor_row
        table.clear()
        for ln in self.lines:
            style = MATCHED if ln.matched else ""
            mark = "•" if ln.id in self.marked_lines else ("✓" if ln.matched else "")
            table.add_row(Text(mark, style=style), KIND[ln.match],
                          ln.transaction_date.strftime(day_month()),
                          Text(nf.amount(ln.amount), style=style, justify="right"),
                          Text(nf.amount(ln.difference) if ln.difference else "",
                               justify="right"),
                          Text(ln.text[:34], style=style), key=str(ln.id))
        if self.lines:
            table.move_cursor(row=min(row, len(self.lines) - 1))

    def _fill_entries(self) -> None:
        table, nf = self.entry_table, self.ctx.number_format
        row = table.cursor_row
        table.clear()
        for e in self.entries:
            style = MATCHED if e.matched_here else ELSEWHERE if e.matched_elsewhere else ""
            mark = "•" if e.entry_no in self.marked_entries else (
                "✓" if e.matched_here else "")
            doc = f"{e.document_no} #{e.check_no}" if e.check_no and e.check_no != \
                e.document_no else e.document_no
            table.add_row(Text(mark, style=style), Text(str(e.entry_no), style=style),
                          e.posting_date.strftime(day_month()), doc[:12],
                          Text(e.description[:22], style=style),
                          Text(nf.amount(e.remaining_amount), style=style, justify="right"),
                          Text(e.matched_elsewhere, style=ELSEWHERE), key=str(e.entry_no))
        if self.entries:
            table.move_cursor(row=min(row, len(self.entries) - 1))

    # --- marking ---------------------------------------------------------------------

    def action_switch(self) -> None:
        (self.entry_table if self.line_table.has_focus else self.line_table).focus()

    def _current_line(self) -> RecLineView | None:
        t = self.line_table
        return self.lines[t.cursor_row] if self.lines and 0 <= t.cursor_row < len(
            self.lines) else None

    def _current_entry(self) -> BankEntryView | None:
        t = self.entry_table
        return self.entries[t.cursor_row] if self.entries and 0 <= t.cursor_row < len(
            self.entries) else None

    def action_mark(self) -> None:
        if self.entry_table.has_focus:
            e = self._current_entry()
            if e is not None:
                self.marked_entries ^= {e.entry_no}
                self._fill_entries()
                self.entry_table.action_cursor_down()
        else:
            ln = self._current_line()
            if ln is not None:
                self.marked_lines ^= {ln.id}
                self._fill_lines()
                self.line_table.action_cursor_down()

    # --- matching --------------------------------------------------------------------

    def action_match(self) -> None:
        lines = set(self.marked_lines)
        entries = set(self.marked_entries)
        if not lines and (ln := self._current_line()) is not None:
            lines = {ln.id}
        if not entries and (e := self._current_entry()) is not None:
            entries = {e.entry_no}
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id
        self.query_core(lambda: svc.match_manual(rec_id, sorted(lines), sorted(entries)),
                        lambda _v: self._done(_("Matched by hand.")), group="write")
        self.marked_lines.clear()
        self.marked_entries.clear()

    def action_auto(self) -> None:
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id

        def chosen(days: int | None) -> None:
            if days is None:
                return
            self.query_core(lambda: svc.match_auto(rec_id, days),
                            lambda s: self._done(_("Match Automatically: {matched_lines} "
                                                    "line(s) matched.").format(
                                                    matched_lines=s.matched_lines)), group="write")

        self.app.push_screen(ToleranceModal(), chosen)

    def action_remove(self) -> None:
        ids = sorted(self.marked_lines) or ([ln.id] if (ln := self._current_line()) else [])
        if not ids:
            return
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id
        self.marked_lines.clear()
        self.query_core(lambda: svc.remove_match(rec_id, ids),
                        lambda _v: self._done(_("Match removed.")), group="write")

    def action_details(self) -> None:
        ln = self._current_line()
        if ln is None:
            return
        nos = ", ".join(f"{e.entry_no} {e.document_no}" for e in ln.matched_entries) or "none"
        body = ("\n".join([_("Matched entries: {nos}").format(nos=nos), *ln.details])
                or _("No evidence."))
        self.app.push_screen(ConfirmModal(_("Line {line_no}: {value}").format(line_no=ln.line_no,
                                             value=ln.text[:50]), body,
                                          yes=_("Close"), no=_("Close")))

    def action_transfer(self) -> None:
        ln = self._current_line()
        if ln is None:
            return
        services, rec_id, line_id = bankrec(self.ctx), self.rec_id, ln.id
        nf = self.ctx.number_format

        def chosen(req: TransferRequest | None) -> None:
            if req is not None:
                self.query_core(lambda: services.transfer.post(
                    rec_id, line_id, req.gl_account_no, req.description),
                    lambda _v: self._done(_("Line {line_no} posted to G/L {gl_account_no} "
                                             "and matched.").format(line_no=ln.line_no,
                                             gl_account_no=req.gl_account_no)), group="write")

        self.query_core(lambda: services.transfer.draft(rec_id, line_id),
                        lambda d: self.app.push_screen(
                            TransferModal(d, nf.amount(d.amount)), chosen), group="draft")

    def action_header(self) -> None:
        r = self.rec
        if r is None:
            return
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id

        def chosen(req: HeaderRequest | None) -> None:
            if req is not None:
                self.query_core(lambda: svc.set_header(rec_id, req.statement_date,
                                                       req.ending_balance),
                                lambda _v: self._done(_("Header saved.")), group="write")

        self.app.push_screen(HeaderModal(_("Statement date and ending balance"),
                                         r.bank_account_no, r.statement_date,
                                         r.statement_ending_balance), chosen)

    def action_change_no(self) -> None:
        if self.rec is None:
            return
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id

        def chosen(no: str | None) -> None:
            if no:
                self.query_core(lambda: svc.change_statement_no(rec_id, no), lambda v: self._done(
                    _("Statement no. is now {no}.").format(no=v.statement_no)), group="write")

        self.app.push_screen(StatementNoModal(self.rec.statement_no), chosen)

    def _done(self, message: str) -> None:
        self.notify(message)
        self.action_reload()

    # --- reports and posting ---------------------------------------------------------

    def action_test_report(self) -> None:
        self.app.push_screen(TestReportScreen(self.ctx, self.rec_id))

    def action_outstanding(self) -> None:
        if self.rec is not None:
            self.app.push_screen(OutstandingScreen(self.ctx, self.rec.bank_account_no,
                                                   self.rec.statement_date))

    def action_post(self) -> None:
        r = self.rec
        if r is None:
            return
        posting, rec_id = bankrec(self.ctx).posting, self.rec_id
        nf = self.ctx.number_format

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_core(lambda: posting.post(rec_id), self._posted, group="write")

        self.app.push_screen(ConfirmModal(
            _("Post statement {statement_no} of bank account {bank_account_no}?").format(
               statement_no=r.statement_no, bank_account_no=r.bank_account_no),
            _("{line_count} line(s), ending balance {statement_ending_balance}. The "
               "matched bank entries close; the others stay outstanding.").format(
               line_count=r.line_count,
               statement_ending_balance=nf.amount(r.statement_ending_balance))), answered)

    def _posted(self, result: Any) -> None:
        self.notify(result.message)
        self.app.pop_screen()
