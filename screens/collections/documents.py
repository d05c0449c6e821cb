"""Reminders / Finance Charge Memos (drafts) and Issued Reminders / Memos: one list,
``i`` switches between drafts and issued ones, ``m`` between reminders and memos.
``c`` runs Create Reminders (Create Finance Charge Memos) for today, F9 issues the
highlighted draft, ``x`` cancels the highlighted issued one, Enter opens the card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.collections.service import ListFilter
from core.collections.views import CancelResult, CreateResult, DocumentSummary, IssueResult
from core.i18n import N_, NP_, _, format_date
from screens.collections.card import DocumentCardScreen
from screens.collections.common import hub, right
from screens.collections.setup import TermsSetupScreen
from screens.shared.base import BaseScreen, title_bar
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.workers import core_worker

TITLES = {("reminder", "draft"): N_("Reminders"), ("reminder", "issued"): N_("Issued Reminders"),
          ("finance_charge", "draft"): N_("Finance Charge Memos"),
          ("finance_charge", "issued"): N_("Issued Finance Charge Memos")}
COLUMNS = ((N_("No."), 9), (N_("Cust."), 6), (N_("Name"), 11), (N_("Lv"), 2), (N_("Date"), 9),
           (N_("Remaining"), 11), (N_("Int.+fees"), 9), (N_("Total"), 11))


@dataclass
class DocumentsLoaded(Outcome, namespace="collections_list_screen"):
    documents: list[DocumentSummary]


@dataclass
class DocumentsCreated(Outcome, namespace="collections_list_screen"):
    result: CreateResult
    day: date


@dataclass
class DocumentChanged(Outcome, namespace="collections_list_screen"):
    """A document was issued or its issue canceled."""
    result: IssueResult | CancelResult


class CollectionsListScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", NP_("action", "Open"), id="coll.open"),
        Binding("c", "create", N_("Create"), id="coll.create"),
        Binding("f9", "issue", N_("Issue"), id="coll.issue"),
        Binding("i", "toggle_status", N_("Drafts/issued"), id="coll.status"),
        Binding("m", "toggle_kind", N_("Reminders/memos"), id="coll.kind", show=False),
        Binding("x", "cancel_issued", N_("Cancel issued"), id="coll.cancel", show=False),
        Binding("t", "terms", N_("Terms setup"), id="coll.terms", show=False),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="coll.refresh", show=False),
    ]
    HELP = (N_("c creates reminders (or memos) for today for every customer with overdue "
            "entries; F9 issues the highlighted draft (posting its interest and fees); "
            "i shows the issued ones, x cancels the highlighted issued one (its posting "
            "is reversed, the level rolls back); m switches between reminders and finance "
            "charge memos; t opens the terms setup; Enter opens the card."))
    DEFAULT_CSS = """
    CollectionsListScreen #coll-table { height: 1fr; }
    CollectionsListScreen #coll-info { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, ctx: Context, kind: str = "reminder", status: str = "draft",
                 customer_no: str = "") -> None:
        super().__init__(ctx)
        self.kind, self.status, self.customer_no = kind, status, customer_no
        self.nos: list[str] = []

    def screen_title(self) -> str:
        return _(TITLES[(self.kind, self.status)])

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static("", id="coll-info", markup=False)
        table: DataTable[str] = DataTable(id="coll-table", cursor_type="row", cell_padding=0)
        yield table
        yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for i, (label, width) in enumerate(COLUMNS):  # No. and Name stay left-aligned
            text = _(label)
            width = max(width, len(text))  # a longer French title ("Int.+frais") is not cut
            table.add_column(Text(text, justify="right") if width >= 9 and i not in (0, 2)
                             else text, width=width + 1)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load(self.kind, ListFilter(status=self.status, customer_no=self.customer_no))

    @core_worker("load")
    def _load(self, kind: str, flt: ListFilter) -> DocumentsLoaded:
        return DocumentsLoaded(hub(self.ctx).service.documents(kind, flt))

    def on_collections_list_screen_documents_loaded(self, message: DocumentsLoaded) -> None:
        docs = message.documents
        self.query_one("#title").update(self.screen_title())  # type: ignore[attr-defined]
        table = self.query_one(DataTable)
        table.clear()
        self.nos = [d.no for d in docs]
        for d in docs:
            table.add_row(d.no, d.customer_no, d.name[:11],
                          str(d.level) if d.kind == "reminder" else "",
                          short_date(d.document_date), right(self.ctx, d.remaining),
                          right(self.ctx, d.interest + d.fees), right(self.ctx, d.total),
                          key=d.no)
        who = (_(" · customer {customer_no}").format(customer_no=self.customer_no)
               if self.customer_no else "")
        self.query_one("#coll-info", Static).update(
            (_("{count} draft(s){who} · c create · F9 issue · i issued") if self.status == "draft"
             else _("{count} issued{who} · c create · F9 issue · i drafts")).format(
                count=len(docs), who=who))

    def _current(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.nos or table.cursor_row is None or table.cursor_row >= len(self.nos):
            return None
        return self.nos[table.cursor_row]

    def action_open(self) -> None:
        if (no := self._current()) is not None:
            self.app.push_screen(DocumentCardScreen(self.ctx, self.kind, no))

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_create(self) -> None:
        customers = (self.customer_no,) if self.customer_no else ()
        self._create(self.kind, self.ctx.today(), customers)

    @core_worker("write")
    def _create(self, kind: str, day: date, customers: tuple[str, ...]) -> DocumentsCreated:
        return DocumentsCreated(hub(self.ctx).service.create(kind, day, customer_nos=customers),
                                day)

    def on_collections_list_screen_documents_created(self, message: DocumentsCreated) -> None:
        result, day = message.result, message.day
        self.notify(_("Created {count} document(s) dated {day}; {count2} customer(s) "
                       "had nothing to remind").format(count=len(result.created),
                                                       day=format_date(day),
                       count2=len(result.skipped)))
        self.status = "draft"
        self.action_reload()

    def action_issue(self) -> None:
        no = self._current()
        if no is None or self.status != "draft":
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self._issue(self.kind, no)

        self.app.push_screen(
            ConfirmModal(
                _("Issue {no}?").format(no=no),
                _("Interest and fees are posted to the customer as the terms say."),
            ),
            answered,
        )

    def action_cancel_issued(self) -> None:
        no = self._current()
        if no is None or self.status != "issued":
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel(self.kind, no)

        self.app.push_screen(
            ConfirmModal(
                _("Cancel {no}?").format(no=no),
                _("Its posting is reversed and the entries' reminder level rolls back."),
            ),
            answered,
        )

    def action_toggle_status(self) -> None:
        self.status = "issued" if self.status == "draft" else "draft"
        self.action_reload()

    def action_toggle_kind(self) -> None:
        self.kind = "finance_charge" if self.kind == "reminder" else "reminder"
        self.action_reload()

    def action_terms(self) -> None:
        self.app.push_screen(TermsSetupScreen(self.ctx))

    @core_worker("write")
    def _issue(self, kind: str, no: str) -> DocumentChanged:
        return DocumentChanged(hub(self.ctx).service.issue(kind, no))

    @core_worker("write")
    def _cancel(self, kind: str, no: str) -> DocumentChanged:
        return DocumentChanged(hub(self.ctx).service.cancel(kind, no))

    def on_collections_list_screen_document_changed(self, message: DocumentChanged) -> None:
        self.notify(message.result.message)
        self.action_reload()
