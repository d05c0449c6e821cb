"""Customer Statement (bc-spec §9.4) on screen as the customer will read it (their
language and currency), with p to write the PDF and text, m to e-mail it and o to
change the period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.reports.statement import Statement
from screens.collections.prompt import PromptModal
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day
from tui.workers import core_worker


@dataclass
class StatementBuilt(Outcome, namespace="statement_screen"):
    statement: Statement
    text: str


@dataclass
class StatementWritten(Outcome, namespace="statement_screen"):
    pdf: Path
    text: Path


@dataclass
class StatementSent(Outcome, namespace="statement_screen"):
    to: str


class StatementScreen(BaseScreen):
    DEFAULT_CSS = """
    StatementScreen #statement { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "print", N_("Print (PDF)"), id="statement.print"),
        Binding("m", "send", N_("Send"), id="statement.send"),
        Binding("o", "period", N_("Period"), id="statement.period"),
    ]
    HELP = N_("The statement as the customer reads it. p writes its PDF and text to a "
              "folder, m e-mails it (PDF attached) to the customer's address or another, "
              "o changes the start of the period (the end is the statement date).")

    def __init__(self, ctx: Context, customer_no: str, date_to: date | None = None,
                 date_from: date | None = None) -> None:
        super().__init__(ctx)
        self.customer_no = customer_no
        self.date_to = date_to or ctx.today()
        self.date_from = date_from
        self.statement: Statement | None = None

    def compose(self) -> ComposeResult:
        yield title_bar(_("Customer Statement {no}").format(no=self.customer_no))
        with VerticalScroll(id="statement"):
            yield Static(_("Loading…"), id="statement-text", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one("#statement", VerticalScroll).focus()
        self.load()

    def load(self) -> None:
        self._build(self.customer_no, self.date_to, self.date_from)

    @core_worker("load")
    def _build(self, no: str, end: date, start: date | None) -> StatementBuilt:
        st = self.ctx.services.reports.statement(no, end, start)
        return StatementBuilt(st, self.ctx.services.statement_documents.text(st))

    def on_statement_screen_statement_built(self, message: StatementBuilt) -> None:
        self.statement = message.statement
        self.query_one("#statement-text", Static).update(message.text)

    def action_period(self) -> None:
        def chosen(text: str | None) -> None:
            if text:
                try:
                    self.date_from = self.ctx.number_format.parse_day(text)
                except (LettrageError, ValueError) as exc:
                    self.notify(str(exc), severity="error")
                    return
                self.load()

        start = self.statement.date_from if self.statement else self.date_to.replace(day=1)
        self.app.push_screen(PromptModal(_("Statement period starts on"), day(start)), chosen)

    def action_print(self) -> None:
        st = self.statement
        if st is None:
            return
        def chosen(folder: str | None) -> None:
            if folder:
                self._write(st, Path(folder).expanduser())

        self.app.push_screen(PromptModal(_("Write the PDF and text to the folder"),
                                         str(Path.home() / "statements")), chosen)

    def action_send(self) -> None:
        st = self.statement
        if st is None:
            return
        def chosen(address: str | None) -> None:
            if address:
                self._send(st, address)

        self.app.push_screen(PromptModal(_("E-mail the statement to"), st.email), chosen)

    @core_worker("print")
    def _write(self, st: Statement, folder: Path) -> StatementWritten:
        return StatementWritten(*self.ctx.services.statement_documents.write(st, folder))

    def on_statement_screen_statement_written(self, message: StatementWritten) -> None:
        self.notify(_("Written: {pdf}").format(pdf=message.pdf))

    @core_worker("send")
    def _send(self, st: Statement, address: str) -> StatementSent:
        return StatementSent(self.ctx.services.statement_documents.send(st, address))

    def on_statement_screen_statement_sent(self, message: StatementSent) -> None:
        self.notify(_("Statement sent to {to}").format(to=message.to))
