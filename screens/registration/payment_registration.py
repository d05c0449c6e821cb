"""Payment Registration (BC "Register Customer Payments", spec §7): the open customer
documents; space ticks Payment Made (Date Received and Amount Received filled as BC
does), Enter edits the date and amount, i moves the payment discount date (Details),
F9 posts, l posts a lump payment, v previews, f searches documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from core.application.registration import OVERDUE_NOTICE
from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.money import parse_amount
from core.ledger.drafts import PostingResult
from core.queries.types import PageRequest
from core.registration.marks import (
    ASK_LUMP,
    ASK_POST,
    Mark,
    RegistrationRow,
    check_marks,
    lump_total,
    tick,
    with_amount,
    with_date,
    with_discount_date,
)
from core.registration.setup import SetupView
from screens.application.line_form import parse_day
from screens.application.support import posting_text
from screens.reconciliation.dialogs import TextModal
from screens.registration.forms import Field, FormModal
from screens.registration.setup_screens import (
    PaymentMethodsScreen,
    RegistrationFlows,
    SetupSaved,
)
from screens.shared.base import ListScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import AppServices, Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.widgets.lazy_table import Column, Fetch, LazyTable
from tui.workers import core_worker

CLOSE_QUESTION = (N_("The Payment Made check box is selected on one or more lines. Do you want "
                  "to close the window without posting these lines?"))


def short_day(d: date | None) -> str:
    """``15 Dec 26``: the year always there, the month in words (never ``26-12-15``)."""
    return short_date(d)


class MarkTable(LazyTable):
    """The list with space ticking the row instead of paging down."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "screen.tick", N_("Paid"), id="registration.tick"),
    ]

    def reformat(self) -> None:
        """Re-render the loaded rows after a mark changed (no reload)."""
        self._rows = [type(r)(r.value, self._format(r.value), self.row_style(r.value))
                      for r in self._rows]
        self.refresh()


@dataclass
class RegistrationSetupLoaded(Outcome, namespace="payment_registration_screen"):
    setup: SetupView


@dataclass
class PaymentsPosted(Outcome, namespace="payment_registration_screen"):
    """The marked payments were posted (and applied)."""
    result: PostingResult


@dataclass
class PostingPreviewed(Outcome, namespace="payment_registration_screen"):
    result: PostingResult


class PaymentWorkers(RegistrationFlows, ListScreen):
    """The payment registration's service calls, each a worker posting its typed message."""

    @property
    def svc(self) -> AppServices:
        return self.ctx.services

    @core_worker("setup")
    def _load_setup(self) -> RegistrationSetupLoaded:
        return RegistrationSetupLoaded(self.svc.registration_setup.setup())

    @core_worker("post")
    def _post(self, marks: list[Mark], lump: bool) -> PaymentsPosted:
        return PaymentsPosted(self.svc.registration.post(marks, lump=lump))

    @core_worker("preview")
    def _preview(self, marks: list[Mark]) -> PostingPreviewed:
        return PostingPreviewed(self.svc.registration.post(marks, preview=True))


class PaymentRegistrationScreen(PaymentWorkers):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", N_("Paid"), id="registration.tick2", show=False),
        Binding("f9", "post", N_("Post"), id="registration.post"),
        Binding("l", "lump", N_("Lump"), id="registration.lump"),
        Binding("v,ctrl+alt+f9", "preview", N_("Preview"), id="registration.preview"),
        Binding("i", "details", N_("Details"), id="registration.details"),
        Binding("f", "find", N_("Find"), id="registration.find"),
        Binding("enter", "edit", N_("Edit"), id="registration.edit", show=False),
        Binding("u", "setup", N_("Setup"), id="registration.setup", show=False),
        Binding("m", "methods", N_("Payment methods"), id="registration.methods", show=False),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="registration.reload", show=False),
        Binding("slash,ctrl+f3", "search", N_("Search"), id="list.search", show=False),
    ]
    SORTABLE = False
    HELP = (N_("Open customer documents by due date. Space: Payment Made (fills Date Received "
            "and Amount Received); Enter: edit the date and amount; i: Details (move the "
            "payment discount date); F9: post one payment per row; l: one lump payment "
            "(one customer, one date); v: preview; f: Search Documents; u: setup; "
            "m: payment methods; /: search by customer or document."))
    TITLE_TEXT = N_("Payment Registration")

    def __init__(self, ctx: Context, customer_no: str = "") -> None:
        super().__init__(ctx)
        self.customer_no = customer_no
        self.marks: dict[int, Mark] = {}
        self.setup: Any = None

    def screen_title(self) -> str:
        return _(self.TITLE_TEXT) + (_(" — customer {customer_no}").format(
                                     customer_no=self.customer_no) if self.customer_no
                                  else "")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="filters", markup=False)
        search = Input(placeholder=_("Search customer name/no. or document no.; Enter: list"),
                       id="search")
        search.display = False
        yield search
        yield MarkTable(self.columns(), row_style=self.row_style, id="table",
                        empty_text=_("No open documents"))
        yield Static("", id="status", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self._load_setup()

    def on_payment_registration_screen_registration_setup_loaded(
            self, message: RegistrationSetupLoaded) -> None:
        self._setup_loaded(message.setup)

    def on_registration_flows_setup_saved(self, message: SetupSaved) -> None:
        self._setup_loaded(message.setup)

    def _setup_loaded(self, setup: SetupView) -> None:
        self.setup = setup
        self._status()

    # --- list ------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        nf = self.ctx.number_format

        def mark(r: RegistrationRow) -> Mark | None:
            return self.marks.get(r.entry_no)

        def received(r: RegistrationRow) -> str:
            m = mark(r)
            return nf.amount(m.amount_received) if m else ""

        return [Column("✓", 1, lambda r: "✓" if mark(r) else ""),
                Column(_("Cust."), 7, lambda r: r.customer_no),
                Column(_("Document"), 9, lambda r: r.document_no),
                Column(_("Due"), 9, lambda r: short_day(r.due_date)),
                Column(_("Disc. by"), 9, lambda r: short_day(
                    mark(r).pmt_discount_date if mark(r) else r.pmt_discount_date)),  # type: ignore[union-attr]
                Column(_("Remaining"), 10, lambda r: nf.amount(r.remaining), right=True),
                Column(_("Aft. disc."), 10, lambda r: nf.amount(r.rem_after_discount),
                       right=True),
                Column(_("Received"), 9, lambda r: short_day(mark(r).date_received)  # type: ignore[union-attr]
                       if mark(r) else ""),
                Column(_("Amount"), 0, received, right=True)]

    def row_style(self, row: RegistrationRow) -> str:
        m = self.marks.get(row.entry_no)
        if m is not None and (m.due_date_late or m.discount_lost):
            return "overdue"
        return ""

    def filter_words(self) -> list[str]:
        words = [_("open documents except payments, by due date")]
        if self.text:
            words.append(_('search: "{text}"').format(text=self.text))
        return words

    def make_fetch(self) -> Fetch:
        reg, customer, text = self.svc.registration, self.customer_no, self.text

        def fetch(request: PageRequest) -> Any:
            return reg.rows(request, customer_no=customer, text=text)

        return fetch

    @property
    def mark_table(self) -> MarkTable:
        return self.query_one("#table", MarkTable)

    def on_lazy_table_row_selected(self, _event: LazyTable.RowSelected) -> None:
        self.action_edit()

    def on_lazy_table_row_highlighted(self, _event: LazyTable.RowHighlighted) -> None:
        self._status()

    def _status(self) -> None:
        nf = self.ctx.number_format
        row = self.table.cursor_value if self.is_mounted else None
        parts = []
        if row is not None:
            parts.append(f"{row.name[:18]} · {row.document_no}")
            m = self.marks.get(row.entry_no)
            if m is not None:
                parts.append(_("rem. {remaining_after}").format(
                                remaining_after=nf.amount(m.remaining_after)))
                if m.warning:
                    parts.append("overdue" if m.warning == OVERDUE_NOTICE
                                 else _("partial: discount date passed"))
        if self.marks:
            total = lump_total(list(self.marks.values()))
            parts.append(_("{count} ticked, {total}").format(count=len(self.marks),
                            total=nf.amount(total)))
        self.query_one("#status", Static).update(" " + " · ".join(parts))

    def _changed(self) -> None:
        self.mark_table.reformat()
        self._status()

    def _work_date(self) -> date:
        return self.ctx.today()

    def _auto_fill(self) -> bool:
        return bool(self.setup.auto_fill_date_received) if self.setup else True

    # --- marking -----------------------------------------------------------------------

    def action_tick(self) -> None:
        row = self.table.cursor_value
        if row is None:
            return
        if row.entry_no in self.marks:
            del self.marks[row.entry_no]
        else:
            self.marks[row.entry_no] = tick(row, self._work_date(), self._auto_fill())
        self._changed()

    def action_edit(self) -> None:
        row: RegistrationRow | None = self.table.cursor_value
        if row is None:
            return
        m = self.marks.get(row.entry_no)
        fields = [Field("date", _("Date Received"), m.date_received.isoformat()
                        if m and m.date_received else ""),
                  Field("amount", _("Amount Received"), str(m.amount_received) if m else "")]
        note = (_("{document_no}: remaining {remaining}, after discount "
                   "{rem_after_discount} until {value}").format(document_no=row.document_no,
                   remaining=row.remaining, rem_after_discount=row.rem_after_discount,
                   value=row.pmt_discount_date or '—'))

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                mark = self.marks.get(row.entry_no)
                if values["date"]:
                    mark = with_date(row, mark, parse_day(values["date"], self._work_date()))
                if values["amount"]:
                    mark = with_amount(row, mark, parse_amount(values["amount"]),
                                       self._work_date(), self._auto_fill())
            except (LettrageError, ValueError) as exc:
                self.notify(str(exc), severity="warning")
                return
            if mark is not None:
                self.marks[row.entry_no] = mark
                if mark.warning:  # BC's message in full after an edit
                    self.notify(mark.warning, severity="warning", timeout=8)
            self._changed()

        self.app.push_screen(FormModal(_("Payment received"), fields, note), done)

    def action_details(self) -> None:
        row: RegistrationRow | None = self.table.cursor_value
        if row is None:
            return
        m = self.marks.get(row.entry_no)
        current = m.pmt_discount_date if m else row.pmt_discount_date
        note = (_("{customer_no} {name}\n{document_no} {description}\nDue {value} · "
                   "remaining {remaining} · after discount {rem_after_discount}\nThe new "
                   "date goes back to the ledger entry when the payment is posted "
                   "(audited).").format(customer_no=row.customer_no, name=row.name,
                   document_no=row.document_no, description=row.description,
                   value=row.due_date or '—', remaining=row.remaining,
                   rem_after_discount=row.rem_after_discount))

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                d = parse_day(values["disc"], self._work_date()) if values["disc"] else None
            except LettrageError as exc:
                self.notify(str(exc), severity="warning")
                return
            self.marks[row.entry_no] = with_discount_date(
                row, self.marks.get(row.entry_no), d, self._work_date(), self._auto_fill())
            self._changed()

        self.app.push_screen(FormModal(_("Details"), [Field(
            "disc", _("Pmt. Discount Date"), current.isoformat() if current else "")], note),
            done)

    # --- posting -----------------------------------------------------------------------

    def _marks(self, lump: bool) -> list[Mark] | None:
        marks = list(self.marks.values())
        try:
            check_marks(marks, lump)
        except LettrageError as exc:
            self.notify(str(exc), title=_("Cannot post"), severity="warning", timeout=8)
            return None
        return marks

    def action_post(self) -> None:
        self._ask_and_post(lump=False)

    def action_lump(self) -> None:
        self._ask_and_post(lump=True)

    def _ask_and_post(self, lump: bool) -> None:
        marks = self._marks(lump)
        if marks is None:
            return
        nf = self.ctx.number_format
        question = _(ASK_LUMP).format(count=len(marks), amount=nf.amount(lump_total(marks))) \
            if lump else _(ASK_POST).format(count=len(marks))

        def answered(yes: bool | None) -> None:
            if yes:
                self._post(marks, lump)

        self.app.push_screen(ConfirmModal(question), answered)

    def on_payment_registration_screen_payments_posted(self, message: PaymentsPosted) -> None:
        result = message.result
        self.marks.clear()
        self.notify(
            _("Posted {document_nos} (register {register_no}).").format(
                document_nos=", ".join(result.document_nos), register_no=result.register_no
            ),
            title=_("Payments posted"),
        )
        self.action_reload()

    def action_preview(self) -> None:
        marks = self._marks(lump=False)
        if marks is None:
            return
        self._preview(marks)

    def on_payment_registration_screen_posting_previewed(self, message: PostingPreviewed
                                                         ) -> None:
        self.app.push_screen(TextModal(_("Preview Posting"), posting_text(
            message.result, self.ctx.number_format, preview=True)))

    def action_reload(self) -> None:
        self.refresh_list()

    def action_back(self) -> None:
        if self.marks and not self.query_one("#search", Input).has_focus:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.marks.clear()
                    super(PaymentRegistrationScreen, self).action_back()

            self.app.push_screen(ConfirmModal(_(CLOSE_QUESTION)), answered)
            return
        super().action_back()

    # --- search documents, setup, methods ---------------------------------------------

    def action_find(self) -> None:
        self.search_documents()

    def action_setup(self) -> None:
        self.edit_setup()

    def action_methods(self) -> None:
        self.app.push_screen(PaymentMethodsScreen(self.ctx))
