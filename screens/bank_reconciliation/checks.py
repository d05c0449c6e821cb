"""Check Ledger Entries of a bank account, with Void Check (BC): a financial void posts
the reversing bank entry on the void date and closes both bank entries; a void without
posting only marks the check voided (its bank entry stays outstanding until a statement
shows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Input, Label, Select, Static

from core.bank_reconciliation.views import CheckView
from core.i18n import N_, _, date_example, format_date
from core.kernel.errors import LettrageError
from screens.bank_reconciliation.dialogs import bankrec, parse_day
from screens.reconciliation.dialogs import FormModal
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import day
from tui.workers import core_worker

STATUS = {"posted": N_("Posted"), "voided": N_("Voided"),
          "financially_voided": N_("Financially voided")}
STATEMENT = {"open": N_("Open"), "closed": N_("Closed")}
FINANCIAL, NOT_FINANCIAL = "financial", "not_financial"


@dataclass(frozen=True)
class VoidRequest:
    financially: bool
    void_date: date | None


class VoidCheckModal(FormModal[VoidRequest]):
    """BC's Confirm Financial Void: the void date and whether to post."""

    FIRST = "void_type"

    def __init__(self, check: CheckView, amount_text: str) -> None:
        super().__init__()
        self.check, self.amount_text = check, amount_text

    def compose(self) -> ComposeResult:
        c = self.check
        with Vertical(id="dialog"):
            yield Static(_("Void check {check_no} — Ctrl+S voids, Esc cancels").format(
                check_no=c.check_no), classes="dialog-title", markup=False)
            yield Static(_("Check date {day} · amount {amount} · bank entry {entry}").format(
                day=day(c.check_date), amount=self.amount_text,
                entry=c.bank_entry_no), markup=False)
            with Grid(id="fields"):
                yield Label(_("Void type"))
                yield Select([(_("Financial void (post the reversing entry)"), FINANCIAL),
                              (_("Void check only (no posting)"), NOT_FINANCIAL)],
                             value=FINANCIAL, allow_blank=False, id="void_type")
                yield Label(_("Void date"))
                yield Input(format_date(c.check_date), id="void_date")
            yield Static("", id="error", markup=False)

    def result(self) -> VoidRequest:
        financially = self.choice("void_type") == FINANCIAL
        void_date = parse_day(self.text("void_date"), _("Void date"))
        if financially and void_date is None:
            raise LettrageError(N_("Enter the void date ({example})."), example=date_example())
        return VoidRequest(financially, void_date)


@dataclass
class ChecksLoaded(Outcome, namespace="check_entries_screen"):
    rows: list[CheckView]


@dataclass
class CheckVoided(Outcome, namespace="check_entries_screen"):
    check: CheckView


class CheckEntriesScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "void", N_("Void check"), id="checks.void"),
        Binding("a", "toggle_all", N_("Open/all"), id="checks.all"),
    ]
    HELP = N_("The check ledger entries (of one bank account, or of all). v voids the highlighted "
              "check: a financial void posts the reversing bank entry on the void date and "
              "closes both entries; Void check only marks it voided and its bank entry "
              "stays outstanding. a shows only the open checks or all of them.")

    def __init__(self, ctx: Context, bank_no: str = "") -> None:
        super().__init__(ctx)
        self.bank_no = bank_no
        self.open_only = False
        self.rows: list[CheckView] = []

    def compose(self) -> ComposeResult:
        yield title_bar(_("Check Ledger Entries — {bank}").format(bank=self.bank_no)
                        if self.bank_no else _("Check Ledger Entries"))
        yield Static("", id="filters", markup=False)
        yield DataTable(id="checks", cursor_type="row", cell_padding=1)
        yield FitFooter()

    def screen_title(self) -> str:
        return _("Check Ledger Entries")

    def on_mount(self) -> None:
        t = self.query_one("#checks", DataTable)
        for label, width in ((_("Check no."), 10), (_("Date"), 10), (_("Amount"), 12),
                             (_("Status"), 21), (_("Statement"), 8), (_("Bank"), 6)):
            t.add_column(label, width=width)
        t.focus()
        self._load()

    def _load(self) -> None:
        self.query_one("#filters", Static).update(
            _("open checks") if self.open_only else _("all checks"))
        self._load_checks(self.bank_no, self.open_only)

    @core_worker("load")
    def _load_checks(self, bank: str, open_only: bool) -> ChecksLoaded:
        return ChecksLoaded(bankrec(self.ctx).checks.checks(bank, open_only=open_only))

    def on_check_entries_screen_checks_loaded(self, message: ChecksLoaded) -> None:
        rows = self.rows = message.rows
        nf = self.ctx.number_format
        t: DataTable[Any] = self.query_one("#checks", DataTable)
        t.clear()
        for c in rows:
            t.add_row(c.check_no[:10], day(c.check_date), nf.amount(c.amount),
                      _(STATUS.get(c.status, c.status)),
                      _(STATEMENT.get(c.statement_status, c.statement_status)),
                      c.bank_account_no[:6])

    def _current(self) -> CheckView | None:
        t = self.query_one("#checks", DataTable)
        return self.rows[t.cursor_row] if self.rows and 0 <= t.cursor_row < len(
            self.rows) else None

    def action_toggle_all(self) -> None:
        self.open_only = not self.open_only
        self._load()

    def action_void(self) -> None:
        c = self._current()
        if c is None:
            return
        if c.status != "posted" or not c.open:
            self.notify(_("Check {check_no} cannot be voided: it is {status}.").format(
                check_no=c.check_no, status=_(STATUS.get(c.status, c.status)).lower()
                if c.open else _("closed")), severity="warning")
            return
        def chosen(req: VoidRequest | None) -> None:
            if req is not None:
                self._void(c.entry_no, req)

        self.app.push_screen(VoidCheckModal(c, self.ctx.number_format.amount(c.amount)), chosen)

    @core_worker("write")
    def _void(self, entry_no: int, req: VoidRequest) -> CheckVoided:
        return CheckVoided(bankrec(self.ctx).checks.void(entry_no, req.financially,
                                                         req.void_date))

    def on_check_entries_screen_check_voided(self, message: CheckVoided) -> None:
        c = message.check
        self.notify(_("Check {check_no} voided ({status}).").format(
            check_no=c.check_no, status=_(STATUS.get(c.status, c.status)).lower()))
        self._load()
