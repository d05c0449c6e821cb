"""Bank Acc. Reconciliations (the open ones, of one bank or all) and the posted Bank
Account Statements with Undo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.bank_reconciliation.views import PostedLineView, PostedStatementView, RecView
from core.i18n import N_, _
from core.kernel.errors import LettrageError
from screens.bank_reconciliation.checks import CheckEntriesScreen
from screens.bank_reconciliation.dialogs import HeaderModal, HeaderRequest, bankrec
from screens.bank_reconciliation.reconciliation import KIND, BankRecScreen
from screens.bank_reconciliation.reports import OutstandingScreen
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.workers import core_worker


@dataclass
class RecsLoaded(Outcome, namespace="bank_rec_list_screen"):
    recs: list[RecView]


@dataclass
class RecImported(Outcome, namespace="bank_rec_list_screen"):
    """A statement file became a reconciliation."""
    rec: RecView
    message: str


@dataclass
class RecCreated(Outcome, namespace="bank_rec_list_screen"):
    rec: RecView


@dataclass
class RecDeleted(Outcome, namespace="bank_rec_list_screen"):
    rec_id: int


class BankRecListScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "import_file", N_("Import"), id="bankrecs.import"),
        Binding("n", "new", N_("New"), id="bankrecs.new"),
        Binding("p", "posted", N_("Posted"), id="bankrecs.posted"),
        Binding("o", "outstanding", N_("Outstanding"), id="bankrecs.outstanding"),
        Binding("k", "checks", N_("Checks"), id="bankrecs.checks"),
        Binding("delete", "delete", N_("Delete"), show=False, id="bankrecs.delete"),
    ]
    HELP = (N_("The open bank account reconciliations. Enter opens one; i imports a "
            "statement file into a new one; n starts one without a file (Suggest Lines: "
            "the open entries up to the statement date become its lines); p lists the "
            "posted statements (u undoes one); o shows the outstanding items; k the check "
            "ledger entries (v voids a check); Delete "
            "removes an open reconciliation and frees its lines and entries."))

    def __init__(self, ctx: Context, bank_no: str = "") -> None:
        super().__init__(ctx)
        self.bank_no = bank_no
        self.last_bank = bank_no  # the bank last worked on, for o/i/n on an empty list
        self.recs: list[RecView] = []

    def compose(self) -> ComposeResult:
        title = _("Bank Acc. Reconciliations") + (f" — {self.bank_no}" if self.bank_no else "")
        yield title_bar(title)
        yield Static(_("Enter opens · i import · n new · p posted · o outstanding"),
                     id="filters", markup=False)
        yield DataTable(id="recs", cursor_type="row", cell_padding=1)
        yield FitFooter()

    def on_mount(self) -> None:
        t = self.query_one("#recs", DataTable)
        for label, width in ((_("Bank"), 6), (_("St. no."), 7), (_("Date"), 10), (_("Ending"), 13),
                             (_("Lines"), 5), (_("Matched"), 7), (_("Difference"), 12)):
            t.add_column(label, width=max(width, len(label)))  # a French title is not cut
        t.focus()
        self.action_reload()

    def screen_title(self) -> str:
        return _("Bank Acc. Reconciliations")

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load_recs(self.bank_no or None)

    @core_worker("load")
    def _load_recs(self, bank: str | None) -> RecsLoaded:
        return RecsLoaded(bankrec(self.ctx).rec.recs(bank))

    def on_bank_rec_list_screen_recs_loaded(self, message: RecsLoaded) -> None:
        recs = self.recs = message.recs
        nf = self.ctx.number_format
        t: DataTable[Any] = self.query_one("#recs", DataTable)
        t.clear()
        for r in recs:
            t.add_row(r.bank_account_no, r.statement_no, str(r.statement_date or ""),
                      nf.amount(r.statement_ending_balance), str(r.line_count),
                      str(r.matched_count), nf.amount(r.total_difference), key=str(r.id))

    def _current(self) -> RecView | None:
        t = self.query_one("#recs", DataTable)
        return self.recs[t.cursor_row] if self.recs and 0 <= t.cursor_row < len(
            self.recs) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        r = self._current()
        if r is not None:
            self.last_bank = r.bank_account_no
            self.app.push_screen(BankRecScreen(self.ctx, r.id))

    def _bank(self) -> str:
        r = self._current()
        return self.bank_no or (r.bank_account_no if r else self.last_bank)

    def action_import_file(self) -> None:
        def chosen(req: HeaderRequest | None) -> None:
            if req is not None:
                self._import(req)

        self.app.push_screen(HeaderModal(_("Import a bank statement"), self._bank(),
                                         ask_bank=not self.bank_no, ask_file=True), chosen)

    @core_worker("write")
    def _import(self, req: HeaderRequest) -> RecImported:
        rec, message = bankrec(self.ctx).rec.import_statement(
            req.file, req.bank_no, req.statement_date, req.ending_balance)
        return RecImported(rec, message)

    def on_bank_rec_list_screen_rec_imported(self, message: RecImported) -> None:
        rec = message.rec
        self.last_bank = rec.bank_account_no
        self.notify(message.message)
        self.app.push_screen(BankRecScreen(self.ctx, rec.id))

    def action_new(self) -> None:
        def chosen(req: HeaderRequest | None) -> None:
            if req is not None:
                self._create(req)

        self.app.push_screen(HeaderModal(_("New reconciliation (Suggest Lines up to the "
                                         "statement date)"), self._bank(),
                                         ask_bank=not self.bank_no), chosen)

    def action_posted(self) -> None:
        self.app.push_screen(PostedStatementsScreen(self.ctx, self.bank_no))

    def action_outstanding(self) -> None:
        bank = self._bank()
        if not bank:
            raise LettrageError(_("Choose a reconciliation (or open the list of one bank)."))
        self.app.push_screen(OutstandingScreen(self.ctx, bank))

    def action_checks(self) -> None:
        self.app.push_screen(CheckEntriesScreen(self.ctx, self._bank()))  # blank: all banks

    @core_worker("write")
    def _create(self, req: HeaderRequest) -> RecCreated:
        svc = bankrec(self.ctx).rec
        return RecCreated(svc.suggest_lines(req.bank_no, None, req.statement_date)
                          if req.statement_date else svc.create(req.bank_no))

    def on_bank_rec_list_screen_rec_created(self, message: RecCreated) -> None:
        self.app.push_screen(BankRecScreen(self.ctx, message.rec.id))

    def action_delete(self) -> None:
        r = self._current()
        if r is None:
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(r.id)

        self.app.push_screen(
            ConfirmModal(
                _("Delete reconciliation {statement_no} of {bank_account_no}?").format(
                    statement_no=r.statement_no, bank_account_no=r.bank_account_no
                ),
                _("Its imported lines return to the statement import; its matches are removed."),
            ),
            answered,
        )

    @core_worker("write")
    def _delete(self, rec_id: int) -> RecDeleted:
        bankrec(self.ctx).rec.delete(rec_id)
        return RecDeleted(rec_id)

    def on_bank_rec_list_screen_rec_deleted(self, message: RecDeleted) -> None:
        self.action_reload()


@dataclass
class StatementsLoaded(Outcome, namespace="posted_statements_screen"):
    rows: list[PostedStatementView]


@dataclass
class StatementLinesLoaded(Outcome, namespace="posted_statements_screen"):
    statement: PostedStatementView
    lines: list[PostedLineView]


@dataclass
class StatementUndone(Outcome, namespace="posted_statements_screen"):
    """The statement's lines are in a new open reconciliation ``rec_id``."""
    rec_id: int


class PostedStatementsScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "undo", N_("Undo"), id="statements.undo"),
    ]
    HELP = (N_("The posted bank account statements. Enter lists a statement's lines; u "
            "undoes the latest statement of its bank: its entries reopen and its lines "
            "come back in a new open reconciliation (Change Statement No. with c there)."))

    def __init__(self, ctx: Context, bank_no: str = "") -> None:
        super().__init__(ctx)
        self.bank_no = bank_no
        self.rows: list[PostedStatementView] = []

    def compose(self) -> ComposeResult:
        yield title_bar(_("Bank Account Statements") + (f" — {self.bank_no}"
                                                     if self.bank_no else ""))
        yield DataTable(id="statements", cursor_type="row", cell_padding=1)
        yield FitFooter()

    def on_mount(self) -> None:
        t = self.query_one("#statements", DataTable)
        for label, width in (
            (_("Bank"), 6),
            (_("St. no."), 7),
            (_("Date"), 10),
            (_("Last bal."), 13),
            (_("Ending bal."), 13),
            (_("Lines"), 5),
            (_("User"), 8),
        ):
            t.add_column(label, width=max(width, len(label)))  # a French title is not cut
        t.focus()
        self._load()

    def screen_title(self) -> str:
        return _("Bank Account Statements")

    def on_screen_resume(self) -> None:
        self._load()

    def _load(self) -> None:
        self._load_statements(self.bank_no or None)

    @core_worker("load")
    def _load_statements(self, bank: str | None) -> StatementsLoaded:
        return StatementsLoaded(bankrec(self.ctx).posting.statements(bank))

    def on_posted_statements_screen_statements_loaded(self, message: StatementsLoaded) -> None:
        rows = self.rows = message.rows
        nf = self.ctx.number_format
        t: DataTable[Any] = self.query_one("#statements", DataTable)
        t.clear()
        for r in rows:
            t.add_row(r.bank_account_no, r.statement_no, r.statement_date.isoformat(),
                      nf.amount(r.balance_last_statement), nf.amount(r.statement_ending_balance),
                      str(r.line_count), r.user[:8])

    def _current(self) -> PostedStatementView | None:
        t = self.query_one("#statements", DataTable)
        return self.rows[t.cursor_row] if self.rows and 0 <= t.cursor_row < len(
            self.rows) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        st = self._current()
        if st is None:
            return
        self._load_lines(st)

    @core_worker("load")
    def _load_lines(self, st: PostedStatementView) -> StatementLinesLoaded:
        return StatementLinesLoaded(st, bankrec(self.ctx).posting.statement_lines(st.id))

    def on_posted_statements_screen_statement_lines_loaded(
            self, message: StatementLinesLoaded) -> None:
        st, lines, nf = message.statement, message.lines, self.ctx.number_format
        # one row per line inside the 80-column dialog: the pane's match marks
        body = "\n".join(f"{ln.line_no:>5} {short_date(ln.transaction_date):<9} "
                         f"{nf.amount(ln.amount):>12} {KIND.get(ln.match, ln.match):<3} "
                         f"{ln.text[:34]}" for ln in lines)
        self.app.push_screen(
            ConfirmModal(
                _("Statement {statement_no} of {bank_account_no}").format(
                    statement_no=st.statement_no, bank_account_no=st.bank_account_no
                ),
                body or _("No lines."),
                yes=_("Close"),
                no=_("Close"),
            )
        )

    def action_undo(self) -> None:
        st = self._current()
        if st is None:
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self._undo(st.bank_account_no, st.statement_no)

        self.app.push_screen(ConfirmModal(
            _("Undo statement {statement_no} of bank account {bank_account_no}?").format(
               statement_no=st.statement_no, bank_account_no=st.bank_account_no),
            _("Its bank entries reopen and its lines come back in a new open "
            "reconciliation.")), answered)

    @core_worker("write")
    def _undo(self, bank_no: str, statement_no: str) -> StatementUndone:
        return StatementUndone(bankrec(self.ctx).posting.undo(bank_no, statement_no))

    def on_posted_statements_screen_statement_undone(self, message: StatementUndone) -> None:
        rec_id = message.rec_id
        self.notify(_("Statement undone: its lines are in a new open reconciliation."))
        self._load()
        self.app.push_screen(BankRecScreen(self.ctx, rec_id))
