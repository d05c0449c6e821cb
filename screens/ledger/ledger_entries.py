"""Customer / Vendor Ledger Entries (BC pages 25 and 29): every entry or one party's,
newest at the bottom, with open / overdue toggles, filters, search and sorting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.ledger.drafts import LedgerEntryView
from core.prediction.service import PredictionView
from core.queries.types import LedgerFilter, PageRequest, PostedDocumentView
from screens.application.entry_actions import EntryActions, Reversal
from screens.ledger.applied_entries import AppliedEntriesScreen
from screens.ledger.detailed_entries import DetailedEntriesScreen
from screens.ledger.entry_filter import LedgerFilterModal, describe
from screens.ledger.posted_document import PostedDocumentScreen
from screens.shared.base import StaleAwareListScreen
from screens.shared.columns import ledger_columns, ledger_style
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.lazy_table import Column, Fetch, LazyTable
from tui.workers import core_worker


@dataclass
class PredictionsLoaded(Outcome, namespace="ledger_entries_screen"):
    views: list[PredictionView]


@dataclass
class DocumentLoaded(Outcome, namespace="ledger_entries_screen"):
    document: PostedDocumentView


class LedgerEntriesScreen(EntryActions, StaleAwareListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "document", N_("Document"), id="entries.document"),
        Binding("a,shift+f11", "apply_entries", N_("Apply"), id="entries.apply",
                tooltip=N_("Apply Entries with this entry as the applying entry; F9 there "
                        "posts the application")),
        Binding("d,ctrl+f7", "detailed", N_("Detailed"), id="entries.detailed"),
        Binding("c", "applied", N_("Applied"), id="entries.applied"),
        Binding("o", "toggle_open", N_("Open only"), id="entries.open_only"),
        Binding("u", "toggle_overdue", N_("Overdue"), id="entries.overdue"),
        Binding("f", "filters", N_("Filter"), id="entries.filters"),
        Binding("U", "unapply", N_("Unapply"), id="entries.unapply", show=False,
                tooltip=N_("Unapply Entries: undo this entry's latest application")),
        Binding("R", "reverse", N_("Reverse"), id="entries.reverse", show=False,
                tooltip=N_("Reverse Transaction: the transaction that posted this entry")),
        Binding("P", "toggle_prediction", N_("Prediction"), id="entries.prediction", show=False,
                tooltip=N_("Show or hide the payment prediction column (late / on time)")),
    ]
    SORTS = ("posting_date", "due_date", "document_no", "amount", "entry_no")
    START_AT_END = True
    DEFAULT_CSS = """
    LedgerEntriesScreen #entry-info { height: 1; padding: 0 1; background: $boost; }
    """
    HELP = (N_("Entries of the ledger, newest at the bottom. Overdue open entries are shown "
            "in the error colour, closed ones dimmed. Home/End (g/G) jump to the first or "
            "last entry at any depth; PageUp/PageDown and the arrows move. a (Shift+F11) "
            "applies the highlighted open entry to others (F9 there posts the "
            "application), U unapplies its latest application, R reverses the "
            "transaction that posted it. P shows or hides the payment prediction of "
            "open customer invoices (late / on time and its confidence)."))

    def __init__(self, ctx: Context, party_type: str = "customer", party_no: str = "",
                 party_name: str = "", *, open_only: bool = False, overdue: bool = False,
                 entry_range: tuple[int, int] | None = None) -> None:
        super().__init__(ctx)
        self.party_type, self.party_no, self.party_name = party_type, party_no, party_name
        lo, hi = entry_range or (None, None)
        self.filter = LedgerFilter(party_type, party_no, open_only=open_only,
                                   from_entry_no=lo, to_entry_no=hi)
        self.overdue = overdue
        self.predictions: dict[int, str] | None = None  # entry no -> "Late High 93%"

    def screen_title(self) -> str:
        title = (_("Customer Ledger Entries") if self.party_type == "customer"
                 else _("Vendor Ledger Entries"))
        if self.party_no:
            title += f" — {self.party_no} {self.party_name}".rstrip()
        return title

    def compose(self) -> ComposeResult:
        """The list and, when it shows every party, the highlighted entry's party in
        full with its description under it (the Party column is tight at 80 columns)."""
        widgets = list(super().compose())
        if not self.party_no:
            widgets.insert(len(widgets) - 1, Static("", id="entry-info", markup=False))
        yield from widgets

    @on(LazyTable.RowHighlighted)
    def _highlighted(self) -> None:
        if self.party_no:
            return
        entry = self._entry()
        info = self.query_one("#entry-info", Static)
        text = "" if entry is None else " · ".join(
            t for t in (f"{entry.party_no} {entry.party_name}", entry.description) if t)
        room = max(info.size.width - 2, 40)
        info.update(text if len(text) <= room else text[:room - 1] + "…")

    def columns(self) -> list[Column]:
        cols = ledger_columns(self.ctx.number_format, with_party=not self.party_no)
        if self.predictions is not None:
            shown = self.predictions  # takes the Type column's place, so 80 columns fit
            cols = [c for c in cols if c.label != _("Type")]
            cols.insert(-2, Column(_("Prediction"), 11, lambda r: shown.get(r.entry_no, "")))
        return cols

    def action_toggle_prediction(self) -> None:
        """The payment prediction column (BC's Payment Prediction / Confidence fields)."""
        if self.predictions is not None:
            self.predictions = None
            self.table.set_columns(self.columns())
            return
        if self.party_type != "customer":
            return
        self._load_predictions(self.party_no or None)

    @core_worker("prediction")
    def _load_predictions(self, party_no: str | None) -> PredictionsLoaded:
        return PredictionsLoaded(self.ctx.services.prediction.predictions(party_no))

    def on_ledger_entries_screen_predictions_loaded(self, message: PredictionsLoaded) -> None:
        views = message.views
        late, on_time = _("Late"), _("On time")
        self.predictions = {v.entry_no: f"{late if v.late else on_time} "
                            f"{v.confidence_pct}%" for v in views}
        self.table.set_columns(self.columns())

    def row_style(self, row: Any) -> str:
        style: str = ledger_style(self.ctx.today())(row)
        return style

    def current_filter(self) -> LedgerFilter:
        return replace(self.filter, text=self.text,
                       overdue_as_of=self.ctx.today() if self.overdue else None)

    def make_fetch(self) -> Fetch:
        queries, f = self.ctx.services.queries, self.current_filter()
        sort, desc = self.sort, self.descending

        def fetch(request: PageRequest) -> Any:
            return queries.ledger_entries(f, request, sort, desc)

        return fetch

    def filter_words(self) -> list[str]:
        words = []
        if self.overdue:
            words.append(_("overdue on {isoformat}").format(
                            isoformat=self.ctx.today().isoformat()))
        elif self.filter.open_only:
            words.append(_("open only"))
        if self.filter.from_entry_no is not None:
            words.append(_("entries {from_entry_no}..{to_entry_no}").format(
                            from_entry_no=self.filter.from_entry_no,
                            to_entry_no=self.filter.to_entry_no))
        return words + describe(self.filter)

    # --- actions --------------------------------------------------------------------------

    def _entry(self) -> LedgerEntryView | None:
        value = self.table.cursor_value
        return value if isinstance(value, LedgerEntryView) else None

    def action_toggle_open(self) -> None:
        self.filter = replace(self.filter, open_only=not self.filter.open_only)
        self.overdue = False
        self.refresh_list()

    def action_toggle_overdue(self) -> None:
        self.overdue = not self.overdue
        self.refresh_list()

    def action_filters(self) -> None:
        def chosen(result: LedgerFilter | None) -> None:
            if result is not None:
                self.filter = result
                self.refresh_list()

        self.app.push_screen(LedgerFilterModal(self.filter), chosen)

    def action_detailed(self) -> None:
        if (entry := self._entry()) is not None:
            self.app.push_screen(DetailedEntriesScreen(self.ctx, entry))

    def action_applied(self) -> None:
        if (entry := self._entry()) is not None:
            self.app.push_screen(AppliedEntriesScreen(self.ctx, entry))

    def action_document(self) -> None:
        if (entry := self._entry()) is None:
            return
        self._load_document(entry.entry_no)

    @core_worker("document")
    def _load_document(self, entry_no: int) -> DocumentLoaded:
        return DocumentLoaded(self.ctx.services.queries.posted_document(entry_no))

    def on_ledger_entries_screen_document_loaded(self, message: DocumentLoaded) -> None:
        self.app.push_screen(PostedDocumentScreen(self.ctx, message.document))

    @on(LazyTable.RowSelected)
    def _selected(self) -> None:
        self.action_document()

    # --- applying, unapplying, reversing ----------------------------------------------------

    def _need_entry(self) -> LedgerEntryView:
        entry = self._entry()
        if entry is None:
            raise LettrageError(_("There is no entry here."))
        return entry

    def entries_changed(self) -> None:
        self.table.reload()

    def action_apply_entries(self) -> None:
        self.open_apply_entries(self._need_entry())

    def action_unapply(self) -> None:
        self.start_unapply(self._need_entry().entry_no)

    def action_reverse(self) -> None:
        self.start_reverse(Reversal(transaction_no=self._need_entry().transaction_no))
