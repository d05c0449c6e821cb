"""Test report and outstanding items of bank account reconciliation (read-only screens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from core.bank_reconciliation.views import Outstanding, TestReport
from core.i18n import N_, _
from screens.bank_reconciliation.dialogs import DateModal, bankrec
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import NumberFormat
from tui.workers import core_worker


def report_text(r: TestReport, nf: NumberFormat) -> str:
    rows = [(_("Statement date"), str(r.statement_date or "")),
            (_("Balance last statement"), nf.amount(r.rec.balance_last_statement)),
            (_("Statement ending balance"), nf.amount(r.rec.statement_ending_balance)),
            (_("G/L balance at the date"), nf.amount(r.gl_balance)),
            (_("Sum of differences"), nf.amount(r.sum_of_differences)),
            (_("Outstanding bank transactions"), nf.amount(r.outstanding_transactions)),
            (_("Outstanding checks"), nf.amount(r.outstanding_checks)),
            (_("Bank account balance"), nf.amount(r.bank_account_balance))]
    text = [_("Bank {bank_account_no} · statement {statement_no} · {line_count} line(s), "
               "{unmatched_lines} not matched").format(bank_account_no=r.rec.bank_account_no,
               statement_no=r.rec.statement_no, line_count=r.rec.line_count,
               unmatched_lines=r.unmatched_lines), ""]
    text += [f"{k:<32}{v:>18}" for k, v in rows]
    if r.warnings:
        text += ["", *[_("Warning: {w}").format(w=w) for w in r.warnings]]
    if r.outstanding is not None:
        for title, items in ((_("Outstanding bank transactions"), r.outstanding.transactions),
                             (_("Outstanding checks"), r.outstanding.checks)):
            text += ["", f"{title} ({len(items)})"]
            text += [f"{i.entry_no:>7} {i.posting_date} {i.document_no[:12]:<12} "
                     f"{i.description[:24]:<24} {nf.amount(i.amount):>14}" for i in items]
    return "\n".join(text)


@dataclass
class ReportLoaded(Outcome, namespace="test_report_screen"):
    report: TestReport


class TestReportScreen(BaseScreen):
    """BC's Bank Acc. Recon. - Test report of an open reconciliation."""

    __test__ = False
    HELP = (N_("Bank Account Balance = Statement Ending Balance + Outstanding Bank "
            "Transactions + Outstanding Checks. Esc goes back."))

    def __init__(self, ctx: Context, rec_id: int) -> None:
        super().__init__(ctx)
        self.rec_id = rec_id
        self.report: TestReport | None = None

    def screen_title(self) -> str:
        return _("Bank Acc. Recon. - Test")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        with VerticalScroll():
            yield Static("", id="report", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        self._load_report(self.rec_id)

    @core_worker("load")
    def _load_report(self, rec_id: int) -> ReportLoaded:
        return ReportLoaded(bankrec(self.ctx).posting.test_report(rec_id))

    def on_test_report_screen_report_loaded(self, message: ReportLoaded) -> None:
        report = message.report
        self.report = report
        self.query_one("#report", Static).update(report_text(report, self.ctx.number_format))


@dataclass
class OutstandingLoaded(Outcome, namespace="outstanding_screen"):
    outstanding: Outstanding


class OutstandingScreen(BaseScreen):
    """Bank entries not reconciled at a date: still open, or closed by a later statement."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "date", N_("Date"), id="outstanding.date"),
    ]
    HELP = (N_("The entries posted by the date and not reconciled by then (an entry closed "
            "by a later statement still counts). d changes the date."))

    def screen_title(self) -> str:
        return _("Outstanding Items — bank {bank_no}").format(bank_no=self.bank_no)

    def __init__(self, ctx: Context, bank_no: str, at: date | None = None) -> None:
        super().__init__(ctx)
        self.bank_no = bank_no
        self.at = at or ctx.today()
        self.data: Outstanding | None = None

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="summary", markup=False)
        yield DataTable(id="items", cursor_type="row", cell_padding=1)
        yield FitFooter()

    def on_mount(self) -> None:
        t = self.query_one("#items", DataTable)
        for label, width in ((_("Entry"), 6), (_("Date"), 10), (_("Document"), 12),
                             (_("Description"), 22), (_("Amount"), 12), (_("Check"), 6)):
            t.add_column(label, width=width)
        t.focus()
        self._load()

    def _load(self) -> None:
        self._load_outstanding(self.bank_no, self.at)

    @core_worker("load")
    def _load_outstanding(self, bank: str, at: date) -> OutstandingLoaded:
        return OutstandingLoaded(bankrec(self.ctx).posting.outstanding(bank, at))

    def on_outstanding_screen_outstanding_loaded(self, message: OutstandingLoaded) -> None:
        out = message.outstanding
        self.data = out
        nf = self.ctx.number_format
        self.query_one("#summary", Static).update(
            _("At {at}: {count} bank transactions {transactions_total} · {count2} checks "
               "{checks_total}").format(at=self.at, count=len(out.transactions),
               transactions_total=nf.amount(out.transactions_total), count2=len(out.checks),
               checks_total=nf.amount(out.checks_total)))
        t: DataTable[Any] = self.query_one("#items", DataTable)
        t.clear()
        for i in (*out.transactions, *out.checks):
            t.add_row(str(i.entry_no), i.posting_date.isoformat(), i.document_no[:12],
                      i.description[:22], Text(nf.amount(i.amount), justify="right"),
                      i.check_no)

    def action_date(self) -> None:
        def chosen(day: date | None) -> None:
            if day is not None:
                self.at = day
                self._load()

        self.app.push_screen(DateModal(_("Outstanding items at"), self.at), chosen)
