"""Bank Acc. Reconciliation (BC page 379): statement lines above, open bank entries below.

At 80x24 the two panes are stacked, the totals of both sides and the difference always
on top. Tab switches the pane, space marks a row; m matches the marked line(s) with the
marked entry(ies) (one line + n entries, or n lines + one entry), a matches
automatically, x removes a match, g transfers a fee or interest line to the general
journal, t shows the test report, F9 posts. Matched rows are marked ✓ in green; an
entry matched on another open reconciliation shows its statement no. in italics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.bank_reconciliation.views import (
    BankEntryView,
    PostResult,
    RecLineView,
    RecView,
    TransferDraft,
)
from core.i18n import N_, _
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
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import NumberFormat, day, short_date
from tui.workers import core_worker

KIND = {"none": "", "one_to_one": "1:1", "many_to_one": "n:1", "one_to_many": "1:n",
        "manual": "man"}
MATCHED = "bold green"
ELSEWHERE = "italic blue"



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

@dataclass
class RecLoaded(Outcome, namespace="bank_rec_screen"):
    """The reconciliation's header, its statement lines and the bank entries."""
    rec: RecView
    lines: list[RecLineView]
    entries: list[BankEntryView]


@dataclass
class RecChanged(Outcome, namespace="bank_rec_screen"):
    """A change was saved (matched, unmatched, header, number, a difference posted);
    ``notice`` tells the clerk which."""
    notice: Notice


@dataclass
class TransferDrafted(Outcome, namespace="bank_rec_screen"):
    """What Transfer to G/L Account would post for ``line``."""
    line: RecLineView
    draft: TransferDraft


@dataclass
class StatementPosted(Outcome, namespace="bank_rec_screen"):
    result: PostResult


@dataclass(frozen=True)
class Notice:
    """What to tell the clerk after a change (translated on the UI thread)."""
    kind: str
    matched_lines: int = 0
    statement_no: str = ""
    line_no: int = 0
    gl_account_no: str = ""

    def text(self) -> str:
        if self.kind == "auto":
            return _("Match Automatically: {matched_lines} line(s) matched.").format(
                matched_lines=self.matched_lines)
        if self.kind == "number":
            return _("Statement no. is now {no}.").format(no=self.statement_no)
        if self.kind == "transfer":
            return _("Line {line_no} posted to G/L {gl_account_no} and matched.").format(
                line_no=self.line_no, gl_account_no=self.gl_account_no)
        return {"manual": _("Matched by hand."), "removed": _("Match removed."),
                "header": _("Header saved.")}[self.kind]


class RecChanges(BaseScreen):
    """The changes the reconciliation screen makes, each a worker posting ``RecChanged``."""

    @core_worker("write")
    def _match_manual(self, rec_id: int, lines: list[int], entries: list[int]) -> RecChanged:
        bankrec(self.ctx).rec.match_manual(rec_id, lines, entries)
        return RecChanged(Notice("manual"))

    @core_worker("write")
    def _match_auto(self, rec_id: int, days: int) -> RecChanged:
        summary = bankrec(self.ctx).rec.match_auto(rec_id, days)
        return RecChanged(Notice("auto", matched_lines=summary.matched_lines))

    @core_worker("write")
    def _remove_match(self, rec_id: int, ids: list[int]) -> RecChanged:
        bankrec(self.ctx).rec.remove_match(rec_id, ids)
        return RecChanged(Notice("removed"))

    @core_worker("write")
    def _transfer(self, rec_id: int, line: RecLineView, req: TransferRequest) -> RecChanged:
        bankrec(self.ctx).transfer.post(rec_id, line.id, req.gl_account_no, req.description)
        return RecChanged(Notice("transfer", line_no=line.line_no,
                                 gl_account_no=req.gl_account_no))

    @core_worker("write")
    def _set_header(self, rec_id: int, req: HeaderRequest) -> RecChanged:
        bankrec(self.ctx).rec.set_header(rec_id, req.statement_date, req.ending_balance)
        return RecChanged(Notice("header"))

    @core_worker("write")
    def _change_no(self, rec_id: int, no: str) -> RecChanged:
        view = bankrec(self.ctx).rec.change_statement_no(rec_id, no)
        return RecChanged(Notice("number", statement_no=view.statement_no))


class BankRecScreen(RecChanges):
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
        # dates in 9 cells with their year (``12 Mar 26``)
        for label, width in (("", 1), (_("Mt."), 3), (_("Date"), 9), (_("Amount"), 11),
                             (_("Diff."), 10), (_("Text"), 30)):
            lt.add_column(label, width=width)
        for label, width in (("", 1), (_("Entry"), 5), (_("Date"), 9), (_("Document"), 12),
                             (_("Description"), 20), (_("Remaining"), 11), (_("St."), 3)):
            et.add_column(label, width=width)
        lt.focus()
        self.action_reload()

    # --- loading ---------------------------------------------------------------------

    def action_reload(self) -> None:
        self._load(self.rec_id)

    @core_worker("load")
    def _load(self, rec_id: int) -> RecLoaded:
        svc = bankrec(self.ctx).rec
        return RecLoaded(svc.rec(rec_id), svc.lines(rec_id), svc.entries(rec_id))

    def on_bank_rec_screen_rec_loaded(self, message: RecLoaded) -> None:
        self.rec, self.lines, self.entries = message.rec, message.lines, message.entries
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
                          short_date(ln.transaction_date),
                          Text(nf.amount(ln.amount), style=style, justify="right"),
                          Text(nf.amount(ln.difference) if ln.difference else "",
                               justify="right"),
                          Text(ln.text[:30], style=style), key=str(ln.id))
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
                          short_date(e.posting_date), doc[:12],
                          Text(e.description[:20], style=style),
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
        self._match_manual(self.rec_id, sorted(lines), sorted(entries))
        self.marked_lines.clear()
        self.marked_entries.clear()

    def action_auto(self) -> None:
        def chosen(days: int | None) -> None:
            if days is not None:
                self._match_auto(self.rec_id, days)

        self.app.push_screen(ToleranceModal(), chosen)

    def action_remove(self) -> None:
        ids = sorted(self.marked_lines) or ([ln.id] if (ln := self._current_line()) else [])
        if not ids:
            return
        self.marked_lines.clear()
        self._remove_match(self.rec_id, ids)

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
        self._draft_transfer(self.rec_id, ln)

    @core_worker("draft")
    def _draft_transfer(self, rec_id: int, line: RecLineView) -> TransferDrafted:
        return TransferDrafted(line, bankrec(self.ctx).transfer.draft(rec_id, line.id))

    def on_bank_rec_screen_transfer_drafted(self, message: TransferDrafted) -> None:
        line, draft = message.line, message.draft

        def chosen(req: TransferRequest | None) -> None:
            if req is not None:
                self._transfer(self.rec_id, line, req)

        self.app.push_screen(TransferModal(draft, self.ctx.number_format.amount(draft.amount)),
                             chosen)

    def action_header(self) -> None:
        r = self.rec
        if r is None:
            return

        def chosen(req: HeaderRequest | None) -> None:
            if req is not None:
                self._set_header(self.rec_id, req)

        self.app.push_screen(HeaderModal(_("Statement date and ending balance"),
                                         r.bank_account_no, r.statement_date,
                                         r.statement_ending_balance), chosen)

    def action_change_no(self) -> None:
        if self.rec is None:
            return

        def chosen(no: str | None) -> None:
            if no:
                self._change_no(self.rec_id, no)

        self.app.push_screen(StatementNoModal(self.rec.statement_no), chosen)

    def on_bank_rec_screen_rec_changed(self, message: RecChanged) -> None:
        self.notify(message.notice.text())
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
        nf = self.ctx.number_format

        def answered(yes: bool | None) -> None:
            if yes:
                self._post(self.rec_id)

        self.app.push_screen(ConfirmModal(
            _("Post statement {statement_no} of bank account {bank_account_no}?").format(
               statement_no=r.statement_no, bank_account_no=r.bank_account_no),
            _("{line_count} line(s), ending balance {statement_ending_balance}. The "
               "matched bank entries close; the others stay outstanding.").format(
               line_count=r.line_count,
               statement_ending_balance=nf.amount(r.statement_ending_balance))), answered)

    @core_worker("write")
    def _post(self, rec_id: int) -> StatementPosted:
        return StatementPosted(bankrec(self.ctx).posting.post(rec_id))

    def on_bank_rec_screen_statement_posted(self, message: StatementPosted) -> None:
        self.notify(message.result.message)
        self.app.pop_screen()
