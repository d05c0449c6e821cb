"""Home: the figures a clerk starts from, each one key or Enter away from the list
behind it, and the keys to every ledger and list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from core.feed.service import BankFeedStatus, FileOutcome
from core.i18n import N_, NP_, _, format_number, pgettext
from core.prediction.service import ModelStatus
from core.queries.types import HomeFigures
from core.reports.figures import CashPicture
from screens.reconciliation.journal import ReconciliationJournalScreen
from screens.reports.common import sparkline
from screens.shared.base import title_bar
from screens.statements.flows import ImportFlow
from tui.messages import Outcome
from tui.navigation import screen_for
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day
from tui.workers import core_worker

# option id -> (key shown, label); the figure options get their amounts when loaded
NAVIGATION = (("import", "i", N_("Import a bank statement file")),
              ("journal", "j", N_("Payment reconciliation journal (first or highlighted bank)")),
              ("customers", "c", N_("Customers")), ("vendors", "v", N_("Vendors")),
              ("entries", "e", N_("Customer ledger entries")),
              ("vendor_entries", "n", N_("Vendor ledger entries")),
              ("gl", "g", N_("General ledger entries")), ("chart", "a", N_("Chart of accounts")),
              ("banks", "b", N_("Bank accounts")), ("registers", "r", N_("Registers")),
              ("match_settings", "m", N_("Matching setup (rules, settings, text mappings)")),
              ("cash_receipts", "k", N_("Cash receipt journal")),
              ("payment_journal", "y", N_("Payment journal")),
              ("application_setup", "t", N_("Application setup (payment tolerance)")),
              ("audit", "w", N_("Audit trail (who changed what)")),
              ("bank_recs", "h", N_("Bank account reconciliations (checks, outstanding)")),
              ("registration", "x", N_("Payment registration (register customer payments)")),
              ("sales_documents", "s", N_("Sales invoices and credit memos")),
              ("reminders", "d", N_("Reminders and finance charge memos (collect overdue)")),
              ("dd_collections", "D", N_("SEPA direct debit collections and mandates")),
              ("aging", "z", N_("Aged receivables (by age, chart, statements)")))


REFRESH_SECONDS = 20.0


@dataclass
class FiguresLoaded(Outcome, namespace="home_screen"):
    home: HomeFigures


@dataclass
class PredictionStatusLoaded(Outcome, namespace="home_screen"):
    status: ModelStatus


@dataclass
class FeedLoaded(Outcome, namespace="home_screen"):
    overview: tuple[list[BankFeedStatus], list[FileOutcome]]


@dataclass
class CashLoaded(Outcome, namespace="home_screen"):
    picture: CashPicture


class HomeScreen(ImportFlow):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open('receivables')", N_("Receivables"), id="home.receivables"),
        Binding("u", "open('overdue')", N_("Overdue"), id="home.overdue"),
        Binding("d", "open('reminders')", N_("Reminders"), id="home.reminders", show=False,
                tooltip=N_("Reminders: create, issue and send them for the overdue entries")),
        Binding("p", "open('payables')", N_("Payables"), id="home.payables", show=False),
        Binding("l", "open('predicted_late')", N_("Predicted late"), id="home.predicted_late",
                show=False, tooltip=N_("Open invoices the local model predicts to be paid late")),
        Binding("c", "open('customers')", N_("Customers"), id="home.customers"),
        Binding("v", "open('vendors')", NP_("footer", "Vendors"), id="home.vendors"),
        Binding("e", "open('entries')", N_("Entries"), id="home.entries", show=False),
        Binding("n", "open('vendor_entries')", N_("Vendor entries"), id="home.vendor_entries",
                show=False),
        Binding("g", "open('gl')", N_("G/L"), id="home.gl", show=False),
        Binding("a", "open('chart')", N_("Accounts"), id="home.chart", show=False),
        Binding("b", "open('banks')", N_("Banks"), id="home.banks", show=False),
        Binding("r", "open('registers')", N_("Registers"), id="home.registers", show=False),
        Binding("m", "open('match_settings')", N_("Matching setup"), id="home.matching",
                show=False, tooltip=N_("Payment application settings, rules, text mappings")),
        Binding("k", "open('cash_receipts')", N_("Cash receipts"), id="home.cash_receipts",
                tooltip=N_("Cash receipt journal: enter and apply customer payments")),
        Binding("y", "open('payment_journal')", N_("Payment journal"),
                id="home.payment_journal", show=False),
        Binding("t", "open('application_setup')", N_("Tolerance setup"),
                id="home.application_setup", show=False,
                tooltip=N_("Payment discount grace period, payment tolerance, warnings")),
        Binding("w", "open('audit')", N_("Audit trail"), id="home.audit", show=False,
                tooltip=N_("Who changed what: the audit trail, newest first")),
        Binding("j", "journal", N_("Reconcile"), id="home.journal", show=False,
                tooltip=N_("Payment reconciliation journal of the highlighted (or first) bank")),
        Binding("i", "import_statement", N_("Import"), id="home.import", show=False,
                tooltip=N_("Import a bank statement file")),
        Binding("h", "open('bank_recs')", N_("Bank rec."), id="home.bank_recs", show=False,
                tooltip=N_("Bank account reconciliations")),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="home.refresh", show=False),
        Binding("x", "open('registration')", N_("Payment registration"), id="home.registration",
                show=False),
        Binding("s", "open('sales_documents')", N_("Sales documents"), id="home.sales",
                show=False),
        Binding("D", "open('dd_collections')", N_("Direct debit"), id="home.direct_debit",
                show=False, tooltip=N_("SEPA direct debit collections (Ctrl+P: mandates)")),
        Binding("z", "open('aging')", N_("Aging"), id="home.aging", show=False,
                tooltip=N_("Aged receivables: who owes what since when, as a chart")),
        Binding("f", "open('cash')", N_("Cash picture"), id="home.cash", show=False,
                tooltip=N_("Due per week for the next 8 weeks against received per week")),
        Binding("q", "app.quit", N_("Quit"), id="home.quit"),
        Binding("escape", "back", N_("Back"), show=False, id="nav.back"),
    ]
    HELP = (N_("Each line opens the list behind it: press its key, or move to it and press "
            "Enter (on a bank: its payment reconciliation journal). j reconciles the "
            "highlighted or first bank, i imports a bank statement, l opens the invoices "
            "predicted to be paid late. Ctrl+P searches "
            "screens, customers, vendors and documents."))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back"

    def compose(self) -> ComposeResult:
        yield title_bar("Lettrage", hint=_("F1/? help · q quit"))  # nothing to go back to
        yield Static("", id="filters", markup=False)
        yield OptionList(id="figures")
        yield FitFooter()

    _home: HomeFigures | None = None
    _prediction: ModelStatus | None = None  # late payment prediction (#22)
    _feed: tuple[list[BankFeedStatus], list[FileOutcome]] | None = None  # bank feed (#23)
    _cash: CashPicture | None = None  # cash picture (#19)

    def screen_title(self) -> str:
        return pgettext("navigation", "Home")

    def on_mount(self) -> None:
        self._fill(None)
        self.query_one("#figures", OptionList).focus()
        self.action_reload()
        # statements arrive by the feed while the clerk looks: refresh while shown
        self.set_interval(REFRESH_SECONDS, self._refresh_if_shown)

    def _refresh_if_shown(self) -> None:
        if self.app.screen is self:
            self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load_figures()
        self._load_prediction()
        self._load_feed()
        self._load_cash()

    @core_worker("load")
    def _load_figures(self) -> FiguresLoaded:
        return FiguresLoaded(self.ctx.services.queries.home())

    @core_worker("prediction")
    def _load_prediction(self) -> PredictionStatusLoaded:
        return PredictionStatusLoaded(self.ctx.services.prediction.status())

    @core_worker("feed")
    def _load_feed(self) -> FeedLoaded:
        return FeedLoaded(self.ctx.services.feed.overview())

    @core_worker("cash")
    def _load_cash(self) -> CashLoaded:
        return CashLoaded(self.ctx.services.reports.cash_picture())

    def on_home_screen_figures_loaded(self, message: FiguresLoaded) -> None:
        self._fill(message.home)

    def on_home_screen_cash_loaded(self, message: CashLoaded) -> None:
        self._cash = message.picture
        if self._home is not None:
            self._fill(self._home)

    def on_home_screen_feed_loaded(self, message: FeedLoaded) -> None:
        self._feed = message.overview
        if self._home is not None:
            self._fill(self._home)

    def on_home_screen_prediction_status_loaded(self, message: PredictionStatusLoaded
                                                ) -> None:
        self._prediction = message.status
        if self._home is not None:
            self._fill(self._home)

    def _fill(self, home: HomeFigures | None) -> None:
        nf = self.ctx.number_format
        figures = self.query_one("#figures", OptionList)
        highlighted = figures.highlighted
        figures.clear_options()
        self._home = home
        if home is None:
            figures.add_option(Option(_("  Loading figures…"), disabled=True))
        else:
            self.query_one("#title", Static).update(_("Lettrage — {company}").format(
                company=home.company_name))
            self.query_one("#filters", Static).update(
                _("As of {day} · amounts in {currency}").format(
                    day=day(home.as_of), currency=home.currency))
            rows = [("receivables", "o", _("Open receivables"), nf.amount(home.open_receivables)),
                    ("overdue", "u", _("Overdue receivables ({count})").format(
                                         count=format_number(home.overdue_count)),
                     nf.amount(home.overdue_receivables)),
                    ("payables", "p", _("Open payables"), nf.amount(home.open_payables))]
            if (pred := self._prediction) is not None:
                rows.append(("predicted_late", "l",
                             _("Predicted late ({count})").format(
                                 count=format_number(pred.predicted_late))
                             if pred.usable else _("Predicted late: no usable model"),
                             nf.amount(pred.predicted_late_amount) if pred.usable else ""))
            if self._cash is not None:
                rows.append(cash_row(self._cash, nf.amount))
            rows += [(f"bank:{b.no}", "", bank_label(b.no, b.name),
                      format_number(b.open_entries)) for b in home.banks]
            rows += feed_rows(*(self._feed or ([], [])))
            for ident, key, text, value in rows:
                figures.add_option(Option(f"{key or ' '}  {text:<52.52} {value:>14}",
                                          id=ident))
        figures.add_option(None)
        for ident, key, label_text in NAVIGATION:
            text = _(label_text)
            figures.add_option(Option(f"{key}  {text}", id=ident))
        if highlighted is not None and highlighted < figures.option_count:
            figures.highlighted = highlighted

    @on(OptionList.OptionSelected, "#figures")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open(event.option.id)

    def _bank_no(self) -> str | None:
        """The bank of the highlighted figure, else the first bank."""
        figures = self.query_one("#figures", OptionList)
        ids = [figures.get_option_at_index(i).id or "" for i in range(figures.option_count)]
        banks = [i[5:] for i in ids if i.startswith("bank:")]
        index = figures.highlighted
        if index is not None and ids[index].partition(":")[0] in ("bank", "feed", "feed!"):
            return ids[index].partition(":")[2]
        return banks[0] if banks else None

    def action_journal(self) -> None:
        if (no := self._bank_no()) is not None:
            self.app.push_screen(ReconciliationJournalScreen(self.ctx, no))

    def action_import_statement(self) -> None:
        self.open_import(self._bank_no())

    def action_open(self, target: str) -> None:
        if target == "import":
            self.action_import_statement()
            return
        if target == "journal":
            self.action_journal()
            return
        kind, _, bank = target.partition(":")
        if kind in ("bank", "feed", "feed!"):  # a bank's figure or feed line: reconcile it
            self.app.push_screen(ReconciliationJournalScreen(self.ctx, bank))
            return
        screen = screen_for(self.ctx, target)
        if screen is not None:
            self.app.push_screen(screen)


def bank_label(no: str, name: str, width: int = 52) -> str:
    """``BANK1 Hausbank operating account: unreconciled`` in ``width`` cells: a long
    name is shortened (…), the words after it stay whole (short, so a usual bank
    name fits whole at 80 columns)."""
    suffix = _(": unreconciled")
    room = width - len(suffix) - len(no) - 1
    if len(name) > room:
        name = name[:max(room - 1, 1)] + "…"
    return f"{no} {name}{suffix}"


def cash_row(p: CashPicture, amount: Callable[[Decimal], str]) -> tuple[str, str, str, str]:
    """The cash picture in one line: received per week for the last 8 weeks, then due
    per week for the next 8, as bars on one scale; the amount predicted late in those
    8 weeks (f opens the chart)."""
    top = max((*p.received, *p.due), default=Decimal(0))
    text = _("Cash in {past} due {next}").format(past=sparkline(p.received, top),
                                                 next=sparkline(p.due, top))
    value = _("late {amount}").format(amount=amount(p.predicted_late_total)) \
        if p.prediction_used else ""
    return ("cash", "f", text, value)


def feed_rows(status: list[BankFeedStatus], unrouted: list[FileOutcome]
              ) -> list[tuple[str, str, str, str]]:
    """Per bank with a feed: when it last brought a statement and the lines waiting for
    review (Enter opens the journal); a file rejected since then, with its reason; files
    of a shared inbox that no bank account could take."""
    rows: list[tuple[str, str, str, str]] = [
        (f"feedfile:{n}", "", _("! rejected {file}: {reason}").format(
            file=o.file_name, reason=o.reason), "")
        for n, o in enumerate(unrouted)]
    for f in status:
        when = f"{f.last_file_at:%d/%m %H:%M}" if f.last_file_at else _("no file yet")
        rows.append((f"feed:{f.bank_account_no}", "",
                     _("{bank} feed {when}: review / unapplied").format(
                         bank=f.bank_account_no, when=when),
                     f"{f.lines_to_review:,} / {f.lines_waiting:,}"))
        if f.last_error_at and (f.last_file_at is None or f.last_error_at > f.last_file_at):
            rows.append((f"feed!:{f.bank_account_no}", "",
                         _("! {bank} rejected {file}: {reason}").format(
                             bank=f.bank_account_no, file=f.last_error_file,
                             reason=f.last_error),
                         ""))
    return rows
