"""Small dialogs of the Payment Reconciliation Journal: Transfer Difference to Account,
Map Text to Account, Post, and a read-only text panel (Match Details, preview).

Each dialog returns plain data through ``dismiss``; the calling screen hands it to the
reconciliation service in a thread worker (modals return data, not side effects).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from core.i18n import N_, InputFormatError, _
from core.kernel.errors import LettrageError
from core.reconciliation.types import JournalView, LineView, MappingView
from screens.shared.lookup import LookupModal, Search
from tui.widgets.formatting import NumberFormat, day, label

ACCOUNT_TYPES = ((N_("G/L account"), "gl_account"), (N_("Customer"), "customer"),
                 (N_("Vendor"), "vendor"))
R = TypeVar("R")
POST_MODES = ((N_("Post payments only"), "payments"),
              (N_("Post payments and reconcile bank account"), "reconcile"))


@dataclass(frozen=True)
class TransferRequest:
    account_type: str
    account_no: str
    description: str


MapTextRequest = MappingView  # the mapping to add (id 0): one field list, in core


@dataclass(frozen=True)
class PostRequest:
    reconcile: bool
    statement_date: date | None
    ending_balance: Decimal | None


class _FormModal(ModalScreen[R | None], Generic[R]):
    """A dialog of labelled fields: Ctrl+S (or F9) confirms, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "confirm", N_("OK"), id="dialog.confirm"),
        Binding("f4", "lookup", N_("Look up"), id="dialog.lookup"),
        Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
    ]

    # G/L posting accounts (no. -> name) for the name shown under an account no.
    gl_accounts: dict[str, str] = {}
    # account type -> search (customers, vendors, banks), from the calling screen
    lookups: Callable[[str], Search | None] | None = None

    def with_accounts(self, names: dict[str, str]) -> _FormModal[R]:
        self.gl_accounts = names
        return self

    def with_lookups(self, lookups: Callable[[str], Search | None]) -> _FormModal[R]:
        self.lookups = lookups
        return self

    def action_lookup(self) -> None:
        """F4 on an account field: the list of accounts of the chosen type; the choice
        goes into the field, Esc keeps what was typed."""
        field = self.focused
        if not isinstance(field, Input) or field.id not in ACCOUNT_FIELDS:
            return
        kind = "gl_account"
        types = list(self.query("#account_type, #bal_source_type").results(Select))
        if field.id in ("account_no", "bal_source_no") and types:
            kind = str(types[0].value)
        search = self.lookups(kind) if self.lookups is not None else None
        if search is None and kind == "gl_account":
            names = self.gl_accounts
            search = lambda text: [(no, f"{no:<7} {name}") for no, name in names.items()  # noqa: E731
                                   if no.startswith(text) or text.lower() in name.lower()]
        if search is None:
            return

        def chosen(value: str | None) -> None:
            if value:
                field.value = value
                field.focus()

        self.app.push_screen(LookupModal(_("Look up {kind}").format(kind=label(kind)), search,
                                         field.value), chosen)

    @on(Input.Changed, ".gl-account")
    def _echo_account(self, event: Input.Changed) -> None:
        """Say which G/L account the clerk typed (or that there is none)."""
        no = event.value.strip()
        kind = self.query("#account_type, #bal_source_type")
        is_gl = not kind or str(kind.first(Select).value) == "gl_account" \
            or event.input.id != "account_no"
        text = ""
        if no and self.gl_accounts and is_gl:
            name = self.gl_accounts.get(no)
            text = f"G/L {no}: {name}" if name else _("G/L {no}: no such posting account").format(
                                                        no=no)
        for echo in self.query("#account-name").results(Static):
            echo.update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        try:
            value = self.result()
        except LettrageError as error:
            self.query_one("#error", Static).update(str(error))
            return
        self.dismiss(value)

    def result(self) -> R:
        raise NotImplementedError

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def choice(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    # Textual runs the on_mount of every class in the MRO, so subclasses name the
    # widget to focus first here (or in ``first``) instead of overriding on_mount.
    FIRST: ClassVar[str] = ""

    def first(self) -> str:
        return self.FIRST

    def on_mount(self) -> None:
        if self.first():
            self.query_one(f"#{self.first()}").focus()
        else:
            self.query(Input).first().focus()


ACCOUNT_FIELDS = ("account_no", "debit_acc_no", "credit_acc_no", "bal_source_no")


class TransferDifferenceModal(_FormModal[TransferRequest]):
    """Transfer Difference to Account: the difference goes to a new line applied to
    the account chosen here."""

    FIRST = "account_no"

    def __init__(self, line: LineView, nf: NumberFormat) -> None:
        super().__init__()
        self.line = line
        self.nf = nf

    def compose(self) -> ComposeResult:
        ln = self.line
        with Vertical(id="dialog"):
            yield Static(_("Transfer difference to account — Ctrl+S transfers, Esc cancels"),
                         classes="dialog-title", markup=False)
            yield Static(_("Line {line_no}: {text}\nDifference {amount} of {amount2}").format(
                             line_no=ln.line_no, text=ln.text[:50],
                             amount=self.nf.amount(ln.difference),
                             amount2=self.nf.amount(ln.amount)),
                         markup=False)
            with Grid(id="fields"):
                yield Label(_("Account type"))
                yield Select(
                    [(_(t), v) for t, v in ACCOUNT_TYPES],
                    value="gl_account",
                    allow_blank=False,
                    id="account_type",
                )
                yield Label(_("Account no."))
                yield Input("", placeholder=_("G/L account, customer or vendor no."),
                            id="account_no", classes="gl-account")
                yield Label(_("Description"))
                # edited, not replaced: the cursor goes to the end, nothing selected
                yield Input(ln.text[:100], id="description", select_on_focus=False)
            yield Static("", id="account-name", markup=False)
            yield Static("", id="error", markup=False)

    def result(self) -> TransferRequest:
        if not self.text("account_no"):
            raise LettrageError(_("Enter the account no. that takes the difference."))
        no = self.text("account_no")
        if self.choice("account_type") == "gl_account" and self.gl_accounts \
                and no not in self.gl_accounts:  # stay open: keep what was typed
            raise LettrageError(_("G/L {no}: no such posting account (F4 looks it up)").format(
                no=no))
        return TransferRequest(self.choice("account_type"), self.text("account_no"),
                               self.text("description"))


class MapTextModal(_FormModal[MapTextRequest]):
    """Map Text to Account: lines whose text contains the mapping text go to the
    account on the next Apply Automatically."""

    def __init__(self, line: LineView) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        ln = self.line
        side = _("received: the Debit") if ln.amount >= 0 else _("paid out: the Credit")
        with Vertical(id="dialog"):
            yield Static(_("Map text to account — Ctrl+S saves, Esc cancels"),
                         classes="dialog-title", markup=False)
            yield Static(_("This line is money {side} acc. no. takes it (or choose a customer "
                           "or vendor). Keep the text to what recurs.").format(side=side),
                         markup=False)
            with Grid(id="fields"):
                yield Label(_("Mapping text"))
                yield Input(suggest_mapping_text(ln.text or ln.related_party_name),
                            id="mapping_text")
                yield Label(_("Debit acc. no."))
                yield Input("", id="debit_acc_no", classes="gl-account")
                yield Label(_("Credit acc. no."))
                yield Input("", id="credit_acc_no", classes="gl-account")
                yield Label(_("Bal. source type"))
                yield Select(
                    [(_(t), v) for t, v in ACCOUNT_TYPES],
                    value="gl_account",
                    allow_blank=False,
                    id="bal_source_type",
                )
                yield Label(_("Bal. source no."))
                yield Input("", id="bal_source_no")
            yield Static("", id="account-name", markup=False)
            yield Static("", id="error", markup=False)

    def first(self) -> str:
        """The account no. this line needs: money received -> debit, paid out -> credit."""
        return "debit_acc_no" if self.line.amount >= 0 else "credit_acc_no"

    def result(self) -> MapTextRequest:
        if not self.text("mapping_text"):
            raise LettrageError(_("Enter the mapping text."))
        return MapTextRequest(0, self.text("mapping_text"), self.text("debit_acc_no"),
                              self.text("credit_acc_no"), self.choice("bal_source_type"),
                              self.text("bal_source_no"))


def suggest_mapping_text(text: str) -> str:
    """The words of ``text`` before the first one with a digit (dates, periods and
    numbers change every month: "Kontofuehrung fee 11/2026" -> "Kontofuehrung fee")."""
    words: list[str] = []
    for word in text.split():
        if any(ch.isdigit() for ch in word):
            break
        words.append(word)
    return (" ".join(words) if words else text.strip())[:250]


class PostModal(_FormModal[PostRequest]):
    """Post payments only, or post and reconcile with the statement date and ending
    balance (prefilled from the journal)."""

    FIRST = "mode"

    def __init__(self, journal: JournalView, nf: NumberFormat, today: date) -> None:
        super().__init__()
        self.journal = journal
        self.nf = nf
        self.today = today

    def compose(self) -> ComposeResult:
        j = self.journal
        ending = j.statement_ending_balance
        if ending is None:
            ending = j.ending_balance_from_lines
        with Vertical(id="dialog"):
            yield Static(_("Post statement {statement_no} of {bank_account_no} — Ctrl+S posts, "
                           "Esc cancels").format(
                             statement_no=j.statement_no, bank_account_no=j.bank_account_no),
                             classes="dialog-title", markup=False)
            yield Static(_("{count} lines · total {total} · balance last statement {last} · "
                           "from lines {from_lines}").format(
                             count=j.line_count, total=self.nf.amount(j.total_amount),
                             last=self.nf.amount(j.balance_last_statement),
                             from_lines=self.nf.amount(j.ending_balance_from_lines)),
                         markup=False)
            with Grid(id="fields"):
                yield Label(_("Post"))
                yield Select([(_(text), mode) for text, mode in POST_MODES], value="reconcile",
                allow_blank=False, id="mode")
                yield Label(_("Statement date"))
                yield Input(day(j.statement_date or self.today), id="statement_date")
                yield Label(_("Ending balance"))
                yield Input(self.nf.amount(ending), id="ending_balance")
            yield Static("", id="error", markup=False)

    def result(self) -> PostRequest:
        reconcile = self.choice("mode") == "reconcile"
        if not reconcile:
            return PostRequest(False, None, None)
        try:
            when = self.nf.parse_day(self.text("statement_date"))
            balance = self.nf.parse(self.text("ending_balance"))
        except InputFormatError as exc:
            raise LettrageError(str(exc)) from None
        return PostRequest(True, when, balance)


class TextModal(ModalScreen[None]):
    """Read-only text (Match Details, posting preview): Esc or Enter closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", N_("Close"), id="dialog.close"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                _("{title_text} — Esc closes").format(title_text=self.title_text),
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="text-body"):
                yield Static(self.body, markup=False)

    def on_mount(self) -> None:
        self.query_one("#text-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


def details_text(line: LineView, nf: NumberFormat) -> str:
    """A line, its application, its alternatives and its evidence as plain text."""
    parts = [line_text(line, nf), "", proposal_text(line, nf), "",
             alternatives_text(line), "", _("Evidence:")]
    parts += [f"  {d}" for d in line.details] or ["  " + _("(none)")]
    return "\n".join(parts)


def line_text(line: LineView, nf: NumberFormat) -> str:
    rows = [_("Line {line_no} · {date} · {amount}").format(
                line_no=line.line_no, date=day(line.transaction_date),
                amount=nf.amount(line.amount)),
            _("Text: {text}").format(text=line.text)]
    if line.additional_info:
        rows.append(_("Info: {text}").format(text=line.additional_info))
    party = ", ".join(x for x in (line.related_party_name, line.related_party_city) if x)
    if party:
        rows.append(_("From: {party}").format(party=party))
    if line.related_party_iban:
        rows.append(_("IBAN: {related_party_iban}").format(
                       related_party_iban=line.related_party_iban))
    if line.payment_reference:
        rows.append(_("Reference: {reference}").format(reference=line.payment_reference))
    return "\n".join(rows)


def proposal_text(line: LineView, nf: NumberFormat) -> str:
    if not line.is_applied:
        return _("Proposal: not applied")
    rows = [_("Proposal: {account} · {confidence} ({score})").format(
                account=f"{label(line.account_type or '')} {line.account_no or ''} "
                        f"{line.account_name}",
                confidence=label(line.confidence), score=line.score)]
    for a in line.applications:
        doc = f"{label(a.document_type)} {a.document_no}".strip() or _("on account")
        disc = (" " + _("(discount {amount})").format(amount=nf.amount(a.pmt_discount))
                if a.pmt_discount else "")
        rows.append("  " + _("{doc}: {amount}{disc}").format(
            doc=doc, amount=nf.amount(a.applied_amount), disc=disc))
    rows.append(_("Applied {amount} · difference {amount2}").format(
                    amount=nf.amount(line.applied_amount), amount2=nf.amount(line.difference)))
    return "\n".join(rows)


def alternatives_text(line: LineView) -> str:
    if not line.alternatives:
        return _("Alternatives: none")
    rows = [_("Alternatives (press the number):")]
    rows += [f"  {n}. {alt.summary} ({alt.score})"
             for n, alt in enumerate(line.alternatives[:9], start=1)]
    return "\n".join(rows)


FormModal = _FormModal  # for the matching-setup screens' dialogs
YES_NO = ((N_("Yes"), "yes"), (N_("No"), "no"))
