"""Dialogs of the bank reconciliation screens (Ctrl+S or F9 confirms, Esc cancels)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from core.bank_reconciliation.facade import BankRecServices
from core.bank_reconciliation.views import TransferDraft
from core.i18n import N_, _, date_example, format_date, parse_date
from core.i18n.formats import InputFormatError
from core.kernel.errors import LettrageError
from core.kernel.money import AmountError, parse_amount
from screens.reconciliation.dialogs import FormModal
from tui.context import Context

TITLE_KEYS = N_(" — Ctrl+S saves, Esc cancels")


def bankrec(ctx: Context) -> BankRecServices:
    """The bank reconciliation services of the app's context."""
    return ctx.services.bank_rec


def parse_day(text: str, what: str) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)  # the language's form (27/11/2026) or ISO
    except InputFormatError as exc:
        raise LettrageError(_("{what}: {problem}").format(what=what, problem=exc)) from None


def parse_money(text: str, what: str) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_amount(text.replace(",", "."))
    except AmountError as exc:
        raise LettrageError(N_("{what}: {exc}"), what=what, exc=exc) from None


@dataclass(frozen=True)
class HeaderRequest:
    bank_no: str
    statement_date: date | None
    ending_balance: Decimal | None
    file: str = ""


class HeaderModal(FormModal[HeaderRequest]):
    """New reconciliation, import a statement file, or the header of an open one."""

    def __init__(self, title: str, bank_no: str = "", statement_date: date | None = None,
                 ending: Decimal | None = None, *, ask_bank: bool = False,
                 ask_file: bool = False) -> None:
        super().__init__()
        self.title_text, self.bank_no = title, bank_no
        self.statement_date, self.ending = statement_date, ending
        self.ask_bank, self.ask_file = ask_bank, ask_file

    def first(self) -> str:
        return "bank_no" if self.ask_bank else "file" if self.ask_file else "statement_date"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text + _(TITLE_KEYS), classes="dialog-title", markup=False)
            with Grid(id="fields"):
                if self.ask_bank:
                    yield Label(_("Bank account no."))
                    yield Input(self.bank_no, id="bank_no")
                if self.ask_file:
                    yield Label(_("Statement file"))
                    yield Input("", id="file", placeholder=_("path of a CAMT, MT940, OFX, CSV"))
                yield Label(_("Statement date"))
                yield Input(format_date(self.statement_date),
                            id="statement_date", placeholder=date_example()
                            + (_(" (blank: the file's)") if self.ask_file else ""))
                yield Label(_("Ending balance"))
                yield Input(f"{self.ending:.2f}" if self.ending is not None else "",
                            id="ending", placeholder=_("blank: the file's") if self.ask_file
                            else _("statement ending balance"))
            yield Static("", id="error", markup=False)

    def result(self) -> HeaderRequest:
        bank = self.text("bank_no") if self.ask_bank else self.bank_no
        if not bank:
            raise LettrageError(_("Enter the bank account no."))
        file = self.text("file") if self.ask_file else ""
        if self.ask_file and not file:
            raise LettrageError(_("Enter the path of the statement file."))
        return HeaderRequest(bank, parse_day(self.text("statement_date"), _("Statement date")),
                             parse_money(self.text("ending"), _("Ending balance")), file)


class ToleranceModal(FormModal[int]):
    FIRST = "days"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("Match Automatically") + _(" — Ctrl+S matches, Esc cancels"),
                         classes="dialog-title", markup=False)
            yield Static(_("Transaction Date Tolerance (Days): 0 matches entries of the same "
                         "date only."), markup=False)
            with Grid(id="fields"):
                yield Label(_("Tolerance (days)"))
                yield Input("0", id="days")
            yield Static("", id="error", markup=False)

    def result(self) -> int:
        text = self.text("days") or "0"
        if not text.isdigit() or int(text) > 366:
            raise LettrageError(_("Tolerance: '{text}' is not a number of days (0 to 366)").format(
                                   text=text))
        return int(text)


@dataclass(frozen=True)
class TransferRequest:
    gl_account_no: str
    description: str


class TransferModal(FormModal[TransferRequest]):
    """Transfer to General Journal: the journal line prefilled from the statement line."""

    FIRST = "gl_account_no"

    def __init__(self, draft: TransferDraft, amount_text: str) -> None:
        super().__init__()
        self.draft, self.amount_text = draft, amount_text

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical(id="dialog"):
            yield Static(_("Transfer to General Journal — Ctrl+S posts, Esc cancels"),
                         classes="dialog-title", markup=False)
            yield Static(_("{posting_date} · bank {bank_account_no} · {amount_text} · "
                            "document {document_no}").format(
                            posting_date=format_date(d.posting_date),
                            bank_account_no=d.bank_account_no, amount_text=self.amount_text,
                            document_no=d.document_no), markup=False)
            with Grid(id="fields"):
                yield Label(_("Bal. G/L account"))
                yield Input(d.bal_gl_account_no, id="gl_account_no")
                yield Label(_("Description"))
                yield Input(d.description, id="description")
            yield Static("", id="error", markup=False)

    def result(self) -> TransferRequest:
        if not self.text("gl_account_no"):
            raise LettrageError(_("Enter the G/L account that takes the fee or interest."))
        return TransferRequest(self.text("gl_account_no"), self.text("description"))


class StatementNoModal(FormModal[str]):
    FIRST = "statement_no"

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("Change Statement No.") + _(TITLE_KEYS), classes="dialog-title",
                         markup=False)
            with Grid(id="fields"):
                yield Label(_("Statement no."))
                yield Input(self.current, id="statement_no")
            yield Static("", id="error", markup=False)

    def result(self) -> str:
        if not self.text("statement_no"):
            raise LettrageError(_("Enter a statement no."))
        return self.text("statement_no")


class DateModal(FormModal[date]):
    FIRST = "day"

    def __init__(self, title: str, day: date) -> None:
        super().__init__()
        self.title_text, self.day = title, day

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text + _(TITLE_KEYS), classes="dialog-title", markup=False)
            with Grid(id="fields"):
                yield Label(_("Date"))
                yield Input(format_date(self.day), id="day")
            yield Static("", id="error", markup=False)

    def result(self) -> date:
        day = parse_day(self.text("day"), _("Date"))
        if day is None:
            raise LettrageError(_("Enter a date ({example})").format(example=date_example()))
        return day
