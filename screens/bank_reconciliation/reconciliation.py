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

KIND = {"none": "", "one_to_one": "1:1", "many_to_one": "n:1", "one_to_many": "1:n",
        "manual": "man"}
MATCHED = "bold green"
ELSEWHERE = "italic blue"


class BankRecScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch", "Pane", id="bankrec.switch"),
        Binding("space", "mark", "Mark", id="bankrec.mark"),
        Binding("m", "match", "Match", id="bankrec.match"),
        Binding("a", "auto", "Auto", id="bankrec.auto"),
        Binding("f9", "post", "Post", id="bankrec.post"),
        Binding("x", "remove", "Remove match", show=False, id="bankrec.remove"),
        Binding("g", "transfer", "Transfer to G/L", show=False, id="bankrec.transfer"),
        Binding("t", "test_report", "Test report", show=False, id="bankrec.test"),
        Binding("h", "header", "Date/balance", show=False, id="bankrec.header"),
        Binding("c", "change_no", "Change no.", show=False, id="bankrec.change_no"),
        Binding("o", "outstanding", "Outstanding", show=False, id="bankrec.outstanding"),
        Binding("d", "details", "Details", show=False, id="bankrec.details"),
        Binding("f5,ctrl+r", "reload", "Refresh", show=False, id="bankrec.reload"),
    ]
    DEFAULT_CSS = """
    BankRecScreen #totals { height: 2; background: $panel; }
    BankRecScreen .pane-title { height: 1; color: $text-muted; }
    BankRecScreen DataTable { height: 1fr; }
    """
    HELP = ("Tab switches between the statement lines (top) and the open bank entries "
            "(bottom); space marks rows. m matches the marked line with the marked entries "
            "(or the marked lines with one entry), a matches automatically, x removes the "
            "match of the line, d shows why a line matched, g transfers a line without an "
            "entry (fee, interest) to the general journal, h sets the statement date and "
            "ending balance, c changes the statement no., t shows the test report, o the "
            "outstanding items, F9 posts.")

    def __init__(self, ctx: Context, rec_id: int) -> None:
        super().__init__(ctx)
        self.rec_id = rec_id
        self.rec: RecView | None = None
        self.lines: list[RecLineView] = []
        self.entries: list[BankEntryView] = []
        self.marked_lines: set[int] = set()
        self.marked_entries: set[int] = set()

    def screen_title(self) -> str:
        return "Bank Acc. Reconciliation"

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="totals", markup=False)
        yield Static("Statement lines", classes="pane-title", id="lines-title")
        yield DataTable(id="lines", cursor_type="row", cell_padding=1)
        yield Static("Open bank ledger entries", classes="pane-title", id="entries-title")
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
        for label, width in (("", 1), ("Mt.", 3), ("Date", 5), ("Amount", 11),
                             ("Diff.", 10), ("Text", 34)):
            lt.add_column(label, width=width)
        for label, width in (("", 1), ("Entry", 5), ("Date", 5), ("Document", 12),
                             ("Description", 22), ("Remaining", 11), ("St.", 3)):
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
        first = (f"Bank {r.bank_account_no} · statement {r.statement_no} · "
                 f"{r.statement_date or 'no date'} · last {nf.amount(r.balance_last_statement)}"
                 f" · ending {nf.amount(r.statement_ending_balance)}")
        second = (f"Lines {nf.amount(r.total_amount)} ({r.matched_count}/{r.line_count} "
                  f"matched) · entries {nf.amount(r.total_applied)} ({matched_entries}) · "
                  f"Difference {nf.amount(r.total_difference)}")
        if r.total_balance != r.statement_ending_balance:
            second += " · ending ≠ total!"
        self.query_one("#totals", Static).update(f"{first}\n{second}")

    def _fill_lines(self) -> None:
        table, nf = self.line_table, self.ctx.number_format
        row = table.cursor_row
        table.clear()
        for ln in self.lines:
            style = MATCHED if ln.matched else ""
            mark = "•" if ln.id in self.marked_lines else ("✓" if ln.matched else "")
            table.add_row(Text(mark, style=style), KIND[ln.match],
                          ln.transaction_date.strftime("%m-%d"),
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
                          e.posting_date.strftime("%m-%d"), doc[:12],
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
                        lambda _v: self._done("Matched by hand."), group="write")
        self.marked_lines.clear()
        self.marked_entries.clear()

    def action_auto(self) -> None:
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id

        def chosen(days: int | None) -> None:
            if days is None:
                return
            self.query_core(lambda: svc.match_auto(rec_id, days),
                            lambda s: self._done(f"Match Automatically: {s.matched_lines} "
                                                 f"line(s) matched."), group="write")

        self.app.push_screen(ToleranceModal(), chosen)

    def action_remove(self) -> None:
        ids = sorted(self.marked_lines) or ([ln.id] if (ln := self._current_line()) else [])
        if not ids:
            return
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id
        self.marked_lines.clear()
        self.query_core(lambda: svc.remove_match(rec_id, ids),
                        lambda _v: self._done("Match removed."), group="write")

    def action_details(self) -> None:
        ln = self._current_line()
        if ln is None:
            return
        nos = ", ".join(f"{e.entry_no} {e.document_no}" for e in ln.matched_entries) or "none"
        body = "\n".join([f"Matched entries: {nos}", *ln.details]) or "No evidence."
        self.app.push_screen(ConfirmModal(f"Line {ln.line_no}: {ln.text[:50]}", body,
                                          yes="Close", no="Close"))

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
                    lambda _v: self._done(f"Line {ln.line_no} posted to G/L "
                                          f"{req.gl_account_no} and matched."), group="write")

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
                                lambda _v: self._done("Header saved."), group="write")

        self.app.push_screen(HeaderModal("Statement date and ending balance",
                                         r.bank_account_no, r.statement_date,
                                         r.statement_ending_balance), chosen)

    def action_change_no(self) -> None:
        if self.rec is None:
            return
        svc, rec_id = bankrec(self.ctx).rec, self.rec_id

        def chosen(no: str | None) -> None:
            if no:
                self.query_core(lambda: svc.change_statement_no(rec_id, no),
                                lambda v: self._done(f"Statement no. is now {v.statement_no}."),
                                group="write")

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
            f"Post statement {r.statement_no} of bank account {r.bank_account_no}?",
            f"{r.line_count} line(s), ending balance {nf.amount(r.statement_ending_balance)}."
            " The matched bank entries close; the others stay outstanding."), answered)

    def _posted(self, result: Any) -> None:
        self.notify(result.message)
        self.app.pop_screen()
