"""The Cash Receipt / Payment Journal's lines as the clerk sees them: the grid, the
batch totals and the highlighted line's info and errors, loaded in one worker call (the
display half of ``CashReceiptJournalScreen``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from core.application.journal import (
    BatchTotals,
    BatchView,
    JournalLineView,
)
from core.i18n import N_, _, ngettext
from core.kernel.errors import LettrageError
from screens.application.support import posting_services
from screens.shared.base import BaseScreen, title_bar
from tui.context import AppServices
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day, label, short_date
from tui.workers import core_worker

TITLES = {"cash_receipt": N_("Cash Receipt Journal"), "payment": N_("Payment Journal")}
DOC_SHORT = {"payment": N_("Pmt"), "refund": N_("Rfd"), "invoice": N_("Inv"),
                        "credit_memo": N_("CrM")}
ACC_SHORT = {"customer": "C", "vendor": "V", "gl_account": "G", "bank_account": "B"}
# (label, width, right-aligned); cell padding 0 so the grid fits 80 columns
# the date in 9 cells with its year (``12 Mar 26``): the description gives the room
COLUMNS = (("!", 1, False), (N_("Date"), 10, False), (N_("Doc. no."), 10, False),
           (N_("Type"), 5, False), (N_("Account"), 10, False), (N_("Description"), 11, False),
           (N_("Amount"), 12, True), (N_(" Bal."), 7, False), (N_("Applies-to"), 11, False))


@dataclass(frozen=True)
class JournalState:
    """Everything the screen shows, loaded in one worker call."""

    batch: BatchView
    lines: tuple[JournalLineView, ...]
    totals: BatchTotals
    errors: Mapping[int, tuple[str, ...]]  # line id -> reasons it cannot post


@dataclass
class BatchLoaded(Outcome, namespace="cash_journal_lines"):
    """The batch's lines, totals and errors; ``select_line`` gets the cursor."""
    state: JournalState
    select_line: int | None


class CashJournalLines(BaseScreen):
    """The journal's grid and totals; the journal screen adds the keys that change it."""

    template: str
    batch_id: int | None
    state: JournalState | None

    @property
    def services(self) -> AppServices:
        return posting_services(self.ctx)

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static(_("Opening the journal…"), id="totals", markup=False)
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="line-info", markup=False)
        yield FitFooter()

    @property
    def table(self) -> DataTable[Any]:
        table: DataTable[Any] = self.query_one("#lines", DataTable)
        return table

    # --- loading ---------------------------------------------------------------------

    def action_reload(self, select_line: int | None = None) -> None:
        self._load_batch(self.template, self.batch_id, select_line)

    @core_worker("load")
    def _load_batch(self, template: str, wanted: int | None, select_line: int | None
                    ) -> BatchLoaded:
        journal = self.services.journal

        def load() -> JournalState:
            batch_id = wanted
            if batch_id is None:
                batches = journal.batches(template)
                if not batches:
                    raise LettrageError(_("There is no {journal} batch; press b to create "
                                          "one.").format(journal=_(TITLES[template]).lower()))
                batch_id = next((b.id for b in batches if b.name == "DEFAULT"),
                                batches[0].id)
            errors: dict[int, tuple[str, ...]] = {}
            for e in journal.line_errors(batch_id):
                errors[e.line_id] = (*errors.get(e.line_id, ()), e.message)
            return JournalState(journal.batch(batch_id), tuple(journal.lines(batch_id)),
                                journal.batch_totals(batch_id), errors)

        return BatchLoaded(load(), select_line)

    def on_cash_journal_lines_batch_loaded(self, message: BatchLoaded) -> None:
        self._fill(message.state, message.select_line)

    def _fill(self, state: JournalState, select_line: int | None = None) -> None:
        current = self.current()
        row_before = self.table.cursor_row
        self.state, self.batch_id = state, state.batch.id
        table = self.table
        table.clear()
        for ln in state.lines:
            table.add_row(*self._cells(ln), key=str(ln.id))
        wanted = select_line if select_line is not None else (current.id if current else None)
        ids = [ln.id for ln in state.lines]
        if wanted in ids:
            table.move_cursor(row=ids.index(wanted))
        elif ids:  # the line is gone (deleted, posted): stay at the same place
            table.move_cursor(row=min(max(row_before, 0), len(ids) - 1))
        self._totals()
        self._line_info()
        self.refresh_bindings()

    def _cells(self, ln: JournalLineView) -> list[str | Text]:
        nf = self.ctx.number_format
        bad = self.state is not None and ln.id in self.state.errors
        applies = ln.applies_to_doc_no or (f"ID {ln.applies_to_id}" if ln.applies_to_id
                                            else "")
        bal = ln.bal_account_no or (self.state.batch.bal_account_no if self.state else "")
        posted = short_date(ln.posting_date)
        return [Text("!", style="bold red") if bad else Text(" "), posted, _fit(ln.document_no, 9),
                _(DOC_SHORT[ln.document_type]) if ln.document_type in DOC_SHORT
                else ln.document_type[:3],
                _fit(f"{ACC_SHORT.get(ln.account_type, '?')} {ln.account_no}", 9),
                _fit(ln.description, 10),
                Text(nf.amount(ln.amount) + " ", justify="right"),
                " " + _fit(bal, 6), _fit(applies, 11)]

    def _totals(self) -> None:
        st = self.state
        if st is None:
            return
        nf = self.ctx.number_format
        b = st.batch
        count = st.totals.line_count
        bal = b.bal_account_no or _("no bal. account")
        words = [f"{b.name} → {bal}",
                 ngettext("{count} line", "{count} lines", count).format(count=count),
                 _("Total {amount}").format(amount=nf.amount(st.totals.total)),
                 _("Balance {amount}").format(amount=nf.amount(st.totals.balance))]
        if st.errors:
            words.append("! " + _("{count} cannot post").format(count=len(st.errors)))
        self.query_one("#totals", Static).update(" · ".join(words))

    def _line_info(self) -> None:
        info = self.query_one("#line-info", Static)
        ln, st = self.current(), self.state
        if st is not None and not st.lines:
            info.set_class(False, "-error")
            info.update(_("The batch is empty: n adds a line, b chooses another batch."))
            return
        if ln is None or st is None:
            info.update("")
            return
        errors = st.errors.get(ln.id, ())
        info.set_class(bool(errors), "-error")
        if errors:
            reason = errors[0].removeprefix(_("line {line_no}: ").format(line_no=ln.line_no))
            info.update(_("Line {line_no} cannot post: {reason}").format(
                            line_no=ln.line_no, reason=reason)[:156])
            return
        nf = self.ctx.number_format
        no_type = _("no type")
        text = (f"{label(ln.account_type)} {ln.account_no} · "
                f"{label(ln.document_type) if ln.document_type else no_type} "
                f"{ln.document_no} · {day(ln.posting_date)} · {nf.amount(ln.amount)}")
        if ln.external_document_no:
            text += _(" · ext. {external_document_no}").format(
                       external_document_no=ln.external_document_no)
        if ln.applies_to_doc_no:
            kind = label(ln.applies_to_doc_type) if ln.applies_to_doc_type else ""
            text += "\n" + _("Applies to {document}").format(
                document=f"{kind} {ln.applies_to_doc_no}".strip())
        elif ln.applies_to_id:
            text += _("\nApplies to the entries marked {applies_to_id} (a to see them)").format(
                       applies_to_id=ln.applies_to_id)
        else:
            text += _("\nNot applied: a marks the entries it pays.")
        info.update(text)

    @on(DataTable.RowHighlighted, "#lines")
    def _highlighted(self) -> None:
        self._line_info()

    def current(self) -> JournalLineView | None:
        st = self.state
        if st is None or not st.lines:
            return None
        row = self.table.cursor_row
        return st.lines[row] if 0 <= row < len(st.lines) else None

    def _need_line(self) -> JournalLineView:
        ln = self.current()
        if ln is None:
            raise LettrageError(_("There is no journal line here: n adds one."))
        return ln

    def _need_state(self) -> JournalState:
        if self.state is None:
            raise LettrageError(_("The journal is still opening; try again in a moment."))
        return self.state


def _fit(value: str, width: int) -> str:
    """``value`` cut to ``width`` with an ellipsis, so a cut number never looks whole."""
    return value if len(value) <= width else value[:width - 1] + "…"
