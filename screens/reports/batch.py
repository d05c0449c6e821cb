"""Statements for many customers at once (what ``lettrage statements`` does, in the app):
choose the statement date, the start of the period, the customers (all with a balance,
only those with overdue entries, or a list of numbers), then write them all to a folder
(p) or e-mail them (m), with a progress bar and a line per customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from core.documents.mail import SmtpSettings
from core.i18n import N_, _, format_amount, format_number
from core.kernel.errors import LettrageError
from screens.collections.prompt import PromptModal
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day


@dataclass
class BatchStarted(Outcome, namespace="statement_batch_screen"):
    """The customers are chosen: ``total`` statements to make."""
    total: int


@dataclass
class StatementMade(Outcome, namespace="statement_batch_screen"):
    """One customer's statement written, sent, skipped or refused (``line`` says which)."""
    line: str


@dataclass
class BatchFinished(Outcome, namespace="statement_batch_screen"):
    done: int
    failed: int
    error: str = ""


class StatementBatchScreen(BaseScreen):
    DEFAULT_CSS = """
    StatementBatchScreen #batch-options { height: auto; padding: 0 1; }
    StatementBatchScreen #batch-progress { height: 1; padding: 0 1; }
    StatementBatchScreen #batch-log { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "print", N_("Print all (PDF)"), id="batch.print"),
        Binding("m", "send", N_("Send all"), id="batch.send"),
        Binding("d", "date", N_("Date"), id="batch.date"),
        Binding("o", "period", N_("Period"), id="batch.period"),
        Binding("c", "customers", N_("Customers"), id="batch.customers"),
        Binding("u", "overdue", N_("Overdue only"), id="batch.overdue"),
    ]
    HELP = N_("Statements for many customers: d sets the statement date, o the start of "
              "the period (empty: the first of the date's month), c the customers (numbers "
              "separated by spaces; empty: every customer with a balance), u only those "
              "with overdue entries. p writes every statement's PDF and text to a folder, "
              "m e-mails each to its customer's address; a line per customer tells where "
              "it went or why not.")

    def __init__(self, ctx: Context, date_to: date | None = None,
                 customers: tuple[str, ...] = ()) -> None:
        super().__init__(ctx)
        self.date_to = date_to or ctx.today()
        self.date_from: date | None = None
        self.customers = customers
        self.overdue_only = False
        self.running = False
        self.results: list[str] = []

    def compose(self) -> ComposeResult:
        yield title_bar(_("Customer Statements"))
        yield Static("", id="batch-options", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="batch-progress")
        with VerticalScroll(id="batch-log"):
            yield Static(_("p: print all · m: send all"), id="batch-lines", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        self._describe()

    def _describe(self) -> None:
        start = self.date_from or self.date_to.replace(day=1)
        who = (" ".join(self.customers) if self.customers else
               _("every customer with a balance"))
        lines = [_("Statement date {day} · period from {start}").format(
                     day=day(self.date_to), start=day(start)),
                 _("Customers: {who}").format(who=who)
                 + (" · " + _("only with overdue entries") if self.overdue_only else "")]
        self.query_one("#batch-options", Static).update("\n".join(lines))

    # --- choices -----------------------------------------------------------------------

    def _ask_day(self, question: str, current: date, apply: str) -> None:
        def chosen(text: str | None) -> None:
            if text is None:
                return
            try:
                value = self.ctx.number_format.parse_day(text) if text else None
            except (LettrageError, ValueError) as exc:
                self.notify(str(exc), severity="error")
                return
            if apply == "date_to" and value is not None:
                self.date_to = value
            elif apply == "date_from":
                self.date_from = value
            self._describe()

        self.app.push_screen(PromptModal(question, day(current)), chosen)

    def action_date(self) -> None:
        self._ask_day(_("Statement date"), self.date_to, "date_to")

    def action_period(self) -> None:
        self._ask_day(_("Statement period starts on"),
                      self.date_from or self.date_to.replace(day=1), "date_from")

    def action_customers(self) -> None:
        def chosen(text: str | None) -> None:
            if text is not None:
                self.customers = tuple(t.upper() for t in text.replace(",", " ").split())
                self._describe()

        self.app.push_screen(PromptModal(_("Customer numbers (empty: all with a balance)"),
                                         " ".join(self.customers)), chosen)

    def action_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self._describe()

    # --- the run -----------------------------------------------------------------------

    def action_print(self) -> None:
        def chosen(folder: str | None) -> None:
            if folder:
                self._run(Path(folder).expanduser())

        self.app.push_screen(PromptModal(_("Write the PDFs and texts to the folder"),
                                         str(Path.home() / "statements")), chosen)

    def action_send(self) -> None:
        self._run(None, send=True)

    def _run(self, folder: Path | None, send: bool = False) -> None:
        if self.running:
            self.notify(_("Statements are being made; wait for the end"), severity="warning")
            return
        self.running = True
        self.results = []
        self.query_one("#batch-lines", Static).update(_("Choosing the customers…"))
        self._make(folder, send, self.date_to, self.date_from, self.overdue_only,
                   list(self.customers))

    @work(thread=True, group="batch", exclusive=True, exit_on_error=False,
          description="statement batch")
    def _make(self, folder: Path | None, send: bool, date_to: date, date_from: date | None,
              overdue_only: bool, customers: list[str]) -> None:
        """Every statement in a thread, each reported by a typed message (the progress)."""
        worker = get_current_worker()
        reports, documents = self.ctx.services.reports, self.ctx.services.statement_documents
        done = failed = 0
        try:
            settings: SmtpSettings | None = documents.smtp_settings() if send else None
            nos = customers or reports.statement_customers(date_to, overdue_only)
        except LettrageError as exc:
            self.post_message(BatchFinished(0, 1, str(exc)))
            return
        self.post_message(BatchStarted(len(nos)))
        for no in nos:
            if worker.is_cancelled:
                return
            try:
                st = reports.statement(no, date_to, date_from)
                if overdue_only and st.overdue <= 0:
                    line = _("{no} {name}: nothing overdue, skipped").format(
                        no=no, name=st.name)
                else:
                    where = (str(documents.write(st, folder)[0]) if folder is not None
                             else documents.send(st, settings=settings))
                    line = _("{no} {name}: {balance} {currency} -> {where}").format(
                        no=no, name=st.name, balance=format_amount(st.closing),
                        currency=st.currency, where=where)
                    done += 1
            except LettrageError as exc:
                line, failed = f"{no}: {exc}", failed + 1
            self.post_message(StatementMade(line))
        self.post_message(BatchFinished(done, failed))

    def on_statement_batch_screen_batch_started(self, message: BatchStarted) -> None:
        total = message.total
        self.query_one("#batch-progress", ProgressBar).update(total=max(total, 1), progress=0)
        if not total:
            self.query_one("#batch-lines", Static).update(
                _("No customer has a statement to print at {day}.").format(
                    day=day(self.date_to)))

    def on_statement_batch_screen_statement_made(self, message: StatementMade) -> None:
        self.results.append(message.line)
        self.query_one("#batch-progress", ProgressBar).advance(1)
        self.query_one("#batch-lines", Static).update("\n".join(self.results))
        self.query_one("#batch-log", VerticalScroll).scroll_end(animate=False)

    def on_statement_batch_screen_batch_finished(self, message: BatchFinished) -> None:
        done, failed, error = message.done, message.failed, message.error
        self.running = False
        if error:
            self.query_one("#batch-lines", Static).update(error)
        self.notify(_("{done} statements made, {failed} failed").format(
            done=format_number(done), failed=format_number(failed)),
            severity="error" if failed else "information")
