"""The journal line form (new or edit): every field of a cash receipt / payment journal
line on one 80x24 dialog, F4 looks up the account, balancing account or the open
entry to apply to. Ctrl+S saves, Esc cancels.

The form returns the parsed values (``dict`` of ``JournalLineInput`` field names); the
journal screen adds the line or sends only the changed fields to the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from core.application.journal import BatchView, JournalLineView
from core.i18n import N_, _, date_example, format_date, get_language, parse_date
from core.i18n.formats import InputFormatError
from core.kernel.errors import LettrageError
from core.kernel.money import parse_amount
from screens.shared.lookup import LookupModal, Search
from tui.messages import Outcome
from tui.widgets.formatting import NumberFormat
from tui.workers import core_worker

LineValues = dict[str, Any]
DOCUMENT_TYPES = ((N_("Payment"), "payment"), (N_("Refund"), "refund"), (N_("(blank)"), ""),
                  (N_("Invoice"), "invoice"), (N_("Credit memo"), "credit_memo"))
ACCOUNT_TYPES = ((N_("Customer"), "customer"), (N_("Vendor"), "vendor"),
                 (N_("G/L account"), "gl_account"), (N_("Bank account"), "bank_account"))
BAL_TYPES = ((N_("(batch default)"), ""), *ACCOUNT_TYPES)
APPLIES_TYPES = ((N_("(any)"), ""), (N_("Invoice"), "invoice"), (N_("Credit memo"), "credit_memo"),
                 (N_("Payment"), "payment"), (N_("Refund"), "refund"))
TEXT_FIELDS = ("document_no", "external_document_no", "account_no", "description",
               "bal_account_no", "applies_to_doc_no", "applies_to_id")
SELECT_FIELDS = ("document_type", "account_type", "bal_account_type", "applies_to_doc_type")
SIGN_HINT = {
    "customer": N_("Customer: money received is NEGATIVE (-1000 or 1000-)."),
    "vendor": N_("Vendor: money paid out is POSITIVE, a refund back negative."),
    "gl_account": N_("G/L account: debit positive, credit negative."),
    "bank_account": N_("Bank account: money in positive, money out negative."),
}


ACCOUNT_ECHO_FIELDS = ("account_no", "bal_account_no")


@dataclass
class AccountChecked(Outcome, namespace="journal_line_modal"):
    """What an account no. typed on the line is: its name, or that it does not exist."""
    field: str
    account_no: str
    text: str
    known: bool


def options(pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """Select options with their labels in the current language."""
    return [(_(text), value) for text, value in pairs]


def parse_day(text: str, today: date) -> date:
    """A full date in the language's form or ISO, or day and month (French ``DD/MM``,
    English ``MM-DD``) / the day alone in the current year and month, or t for today."""
    text = text.strip().lower()
    if text in ("t", "today", ""):
        return today
    french = get_language() == "fr"
    try:
        if len(text) <= 2:
            return today.replace(day=int(text))
        if len(text) <= 5:
            first, second = text.replace("/", "-").replace(".", "-").split("-")
            day_, month = (first, second) if french else (second, first)
            return today.replace(month=int(month), day=int(day_))
        return parse_date(text)
    except (ValueError, InputFormatError):
        raise LettrageError(_("Posting date '{text}': type {example}, {short}, the day "
                              "alone or t for today").format(
                                  text=text, example=date_example(),
                                  short="JJ/MM" if french else "MM-DD")) from None


class JournalLineModal(ModalScreen[LineValues | None]):
    """Edit ``line`` (None: a new line with the template's defaults)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "save", N_("Save"), id="line.save"),
        Binding("f4,ctrl+l", "lookup", N_("Lookup"), id="line.lookup"),
        Binding("escape", "cancel", N_("Cancel"), id="line.cancel"),
    ]
    DEFAULT_CSS = """
    JournalLineModal #dialog { width: 76; }
    JournalLineModal #fields { grid-columns: 17 1fr; }
    JournalLineModal #sign-hint { color: $text-muted; height: 1; }
    JournalLineModal #account-echo { height: 1; }
    JournalLineModal #account-echo.unknown { color: $error; text-style: bold; }
    """

    def __init__(self, batch: BatchView, line: JournalLineView | None, today: date,
                 nf: NumberFormat, lookups: Callable[[str], Search | None],
                 defaults: LineValues | None = None) -> None:
        super().__init__()
        self.journal_batch = batch
        self.line = line
        self.today = today
        self.nf = nf
        self.lookups = lookups
        self.defaults = defaults or {}

    def _initial(self) -> LineValues:
        ln = self.line
        if ln is None:
            kind = "vendor" if self.journal_batch.template == "payment" else "customer"
            base: LineValues = {"posting_date": self.today, "document_type": "payment",
                                "account_type": kind, "amount": None,
                                "bal_account_type": "", "applies_to_doc_type": ""}
            base.update(dict.fromkeys(TEXT_FIELDS, ""))
            base.update(self.defaults)
            return base
        values = {f: getattr(ln, f) for f in (*TEXT_FIELDS, *SELECT_FIELDS)}
        values.update(posting_date=ln.posting_date, amount=ln.amount)
        return values

    def compose(self) -> ComposeResult:
        v = self._initial()
        what = _("line {line_no}").format(line_no=self.line.line_no) if self.line else _("new line")
        bal = (
            _("{bal_account_no} (batch)").format(bal_account_no=self.journal_batch.bal_account_no)
            if self.journal_batch.bal_account_no
            else _("none in the batch")
        )
        with Vertical(id="dialog"):
            yield Static(
                _("{name}: {what} — Ctrl+S saves, F4 looks up, Esc cancels").format(
                    name=self.journal_batch.name, what=what
                ),
                classes="dialog-title",
                markup=False,
            )
            with Grid(id="fields"):
                yield Label(_("Posting date"))
                yield Input(format_date(v["posting_date"]), id="posting_date")
                yield Label(_("Document type"))
                yield Select(options(DOCUMENT_TYPES), value=v["document_type"], allow_blank=False,
                             id="document_type")
                yield Label(_("Document no."))
                yield Input(v["document_no"], id="document_no",
                            placeholder=_("blank: next no. of the batch's series"))
                yield Label(_("Ext. doc. no."))
                yield Input(v["external_document_no"], id="external_document_no")
                yield Label(_("Account type"))
                yield Select(options(ACCOUNT_TYPES), value=v["account_type"], allow_blank=False,
                             id="account_type")
                yield Label(_("Account no."))
                yield Input(v["account_no"], id="account_no", placeholder=_("F4: look up"))
                yield Label(_("Description"))
                yield Input(v["description"], id="description",
                            placeholder=_("blank: the account's name"))
                yield Label(_("Amount"))
                amount = v["amount"]
                yield Input("" if amount is None or amount == 0 else f"{amount:f}",
                            id="amount", placeholder=_("blank: from the applied entries"))
                yield Label(_("Bal. acc. type"))
                yield Select(options(BAL_TYPES), value=v["bal_account_type"], allow_blank=False,
                             id="bal_account_type")
                yield Label(_("Bal. acc. no."))
                yield Input(v["bal_account_no"], id="bal_account_no", placeholder=bal)
                yield Label(_("Applies-to type"))
                yield Select(options(APPLIES_TYPES), value=v["applies_to_doc_type"],
                             allow_blank=False, id="applies_to_doc_type")
                yield Label(_("Applies-to doc."))
                yield Input(v["applies_to_doc_no"], id="applies_to_doc_no",
                            placeholder=_("F4: the party's open entries"))
                yield Label(_("Applies-to ID"))
                yield Input(v["applies_to_id"], id="applies_to_id",
                            placeholder=_("set by Apply Entries (a)"))
            yield Static("", id="account-echo", markup=False)
            yield Static(SIGN_HINT[v["account_type"]], id="sign-hint", markup=False)
            yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        first = "account_no" if self.line is None else "amount"
        self.query_one(f"#{first}", Input).focus()
        if self.line is not None:
            self._check("account_no")

    @on(Select.Changed, "#account_type")
    def _account_type_changed(self, event: Select.Changed) -> None:
        self.query_one("#sign-hint", Static).update(SIGN_HINT.get(str(event.value), ""))
        self._check("account_no")

    @on(Select.Changed, "#bal_account_type")
    def _bal_type_changed(self, _event: Select.Changed) -> None:
        self._check("bal_account_no")

    # --- the account typed, checked when the clerk leaves the field --------------------

    @on(Input.Blurred, "#account_no, #bal_account_no")
    def _account_left(self, event: Input.Blurred) -> None:
        if event.input.id:
            self._check(event.input.id)

    def _account_kind(self, field: str) -> str:
        if field == "account_no":
            return self.choice("account_type")
        return self.choice("bal_account_type") or self.journal_batch.bal_account_type \
            or "bank_account"

    def _check(self, field: str) -> None:
        no = self.text(field)
        if not no:
            self._echo("", known=True)
            return
        kind = self._account_kind(field)
        search = self.lookups(kind)
        if search is not None:
            self._look_up_account(field, kind, no, search)

    @core_worker("account-check")
    def _look_up_account(self, field: str, kind: str, no: str, search: Search
                         ) -> AccountChecked:
        kind_label = {value: text for text, value in options(ACCOUNT_TYPES)}.get(kind, kind)
        label = next((text for value, text in search(no) if value == no), None)
        if label is None:
            return AccountChecked(field, no, _(
                "{kind} {no} does not exist: F4 looks it up.").format(kind=kind_label, no=no),
                known=False)
        rest = " ".join(label[len(no):].split()) if label.startswith(no) else label
        return AccountChecked(field, no, f"{kind_label} {no}: {rest}", known=True)

    def on_journal_line_modal_account_checked(self, message: AccountChecked) -> None:
        if self.text(message.field) == message.account_no:  # not retyped meanwhile
            self._echo(message.text, message.known)

    def _echo(self, text: str, known: bool) -> None:
        echo = self.query_one("#account-echo", Static)
        echo.update(text)
        echo.set_class(not known, "unknown")

    # --- values ----------------------------------------------------------------------

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def choice(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def values(self) -> LineValues:
        """The form's values, parsed; raises LettrageError naming the bad field."""
        out: LineValues = {f: self.text(f) for f in TEXT_FIELDS}
        out.update({f: self.choice(f) for f in SELECT_FIELDS})
        out["posting_date"] = parse_day(self.text("posting_date"), self.today)
        raw = self.text("amount")
        try:
            out["amount"] = parse_amount(raw, self.nf.decimal, self.nf.thousands) if raw \
                else parse_amount("0")
        except LettrageError as error:
            raise LettrageError(_("Amount: {error}. Type e.g. -1250.00").format(
                error=error)) from None
        if not out["account_no"]:
            raise LettrageError(_("Enter the account no. (F4 looks it up)."))
        if out["applies_to_doc_no"] and out["applies_to_id"]:
            raise LettrageError(_("You cannot set Applies-to ID while selecting Applies-to "
                                "Doc. No.: clear one of them."))
        return out

    def changes(self) -> LineValues:
        """For an edited line: only the fields that differ from it."""
        values = self.values()
        if self.line is None:
            return values
        return {k: v for k, v in values.items() if getattr(self.line, k) != v}

    # --- actions ---------------------------------------------------------------------

    def action_save(self) -> None:
        try:
            result = self.changes()
        except LettrageError as error:
            self.query_one("#error", Static).update(str(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_lookup(self) -> None:
        focused = self.focused
        field = focused.id if isinstance(focused, Input) else None
        kinds = {"account_no": self.choice("account_type"),
                 "bal_account_no": self.choice("bal_account_type") or
                 self.journal_batch.bal_account_type or "bank_account",
                 "applies_to_doc_no": f"open:{self.choice('account_type')}:"
                                      f"{self.text('account_no')}"}
        if field not in kinds:
            self.notify(_("F4 looks up the account no., bal. account no. or applies-to "
                        "doc. no.: move to one of them first."))
            return
        search = self.lookups(kinds[field])
        if search is None:
            self.notify(_("Enter a customer or vendor account no. first."), severity="warning")
            return

        def chosen(value: str | None) -> None:
            if value is not None:
                self.query_one(f"#{field}", Input).value = value
                self._after_lookup(field)

        title = {"account_no": _("Account no."), "bal_account_no": _("Bal. account no."),
                 "applies_to_doc_no": _("Open entries")}[field]
        current = self.text(field) if field != "applies_to_doc_no" else ""
        self.app.push_screen(LookupModal(title, search, current), chosen)

    def _after_lookup(self, field: str) -> None:
        if field == "applies_to_doc_no":
            self.query_one("#applies_to_id", Input).value = ""
        else:
            self._check(field)
        nxt = {"account_no": "description", "bal_account_no": "applies_to_doc_no",
               "applies_to_doc_no": "applies_to_id"}[field]
        self.query_one(f"#{nxt}", Input).focus()
