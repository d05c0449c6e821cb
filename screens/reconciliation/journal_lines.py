"""The Payment Reconciliation Journal's lines as the clerk sees them: the table, the
review counters and the highlighted line's info, refilled from the service after every
change (the display half of ``ReconciliationJournalScreen``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.reconciliation.journal import SortKey
from core.reconciliation.service import ReconciliationService
from core.reconciliation.types import (
    JournalView,
    LineView,
    MappingView,
    TransferResult,
)
from screens.application.support import account_search
from screens.reconciliation.dialogs import (
    MapTextModal,
    MapTextRequest,
    TransferDifferenceModal,
    TransferRequest,
)
from screens.reconciliation.flows import AccountsLoaded, ReconFlows
from screens.shared.base import title_bar
from screens.shared.lookup import Search
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import short_date
from tui.workers import core_worker


def short_day(value: date) -> str:
    """The date with its year and the month in words (``27 Nov 26``): never ambiguous."""
    return short_date(value)


# (label, width, right-aligned); cell padding 0 so the eight columns fit 80 columns
COLUMNS = ((N_("Date"), 10, False), (N_("Text"), 10, False), (N_("Party"), 12, False),
           (N_("Amount"), 11, True), (N_("Applied"), 11, True), (N_("Diff."), 10, True),
           (N_(" Account"), 8, False), (N_(" Conf."), 6, False))
CONFIDENCE = {"high": N_("High"), "medium": N_("Med"), "low": N_("Low"), "none": "-",
                      "manual": N_("Man"),
              "accepted": N_("OK"), "high_text_mapping": N_("Map")}

ACCOUNT_WORDS = {"customer": N_("Customer"), "vendor": N_("Vendor"), "gl_account": N_("G/L"),
                 "bank_account": N_("Bank")}
CONFIDENCE_WORDS = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low"),
                            "none": N_("None"),
                    "manual": N_("Manual"), "accepted": N_("Accepted"),
                    "high_text_mapping": N_("High - text mapping")}


@dataclass
class LinesLoaded(Outcome, namespace="journal_lines"):
    """The journal's header and its lines as the filters ask."""
    journal: JournalView
    lines: list[LineView]


@dataclass
class DifferenceTransferred(Outcome, namespace="journal_lines"):
    result: TransferResult


@dataclass
class TextMapped(Outcome, namespace="journal_lines"):
    mapping: MappingView


class JournalLines(ReconFlows):
    """The journal's table and counters; the journal screen adds the claim and the keys."""

    bank_no: str
    journal: JournalView | None
    lines: list[LineView]
    only_non_applied: bool
    review_sort: bool
    posted_message: str
    held_by: str

    @property
    def service(self) -> ReconciliationService:
        return self.ctx.services.reconciliation

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static(_("Opening the journal…"), id="counters", markup=False)
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="line-info", markup=False)
        yield FitFooter()

    @property
    def table(self) -> DataTable[str | Text]:
        return cast("DataTable[str | Text]", self.query_one("#lines", DataTable))

    # --- display ---------------------------------------------------------------------

    def action_reload(self) -> None:
        if self.journal is None:
            return
        self._load_lines(self.journal.id, self.only_non_applied,
                         "review" if self.review_sort else "date")

    @core_worker("recon", exclusive=False)
    def _load_lines(self, journal_id: int, only_non_applied: bool, sort: SortKey
                    ) -> LinesLoaded:
        svc = self.service
        return LinesLoaded(svc.journal(journal_id),
                                svc.lines(journal_id, only_non_applied=only_non_applied,
                                          sort=sort))

    def on_journal_lines_lines_loaded(self, message: LinesLoaded) -> None:
        self.journal, self.lines = message.journal, message.lines
        table = self.table
        current = self.current()
        table.clear()
        for ln in self.lines:
            table.add_row(*self._cells(ln), key=str(ln.id))
        if current is not None:
            ids = [ln.id for ln in self.lines]
            if current.id in ids:
                table.move_cursor(row=ids.index(current.id))
        self._counters()
        self._line_info()
        self.refresh_bindings()

    def _cells(self, ln: LineView) -> list[str | Text]:
        nf = self.ctx.number_format

        def money(value: Decimal, blank_zero: bool = False) -> Text:
            return Text(nf.amount(value, blank_zero) + " ", justify="right")

        confidence = _(CONFIDENCE[ln.confidence]) if ln.confidence in CONFIDENCE \
            else ln.confidence[:4]
        return [short_day(ln.transaction_date), ln.text[:9],
                ln.related_party_name[:11], money(ln.amount),
                money(ln.applied_amount, True), money(ln.difference, True),
                " " + (ln.account_no or "")[:7],
                Text(("!" if ln.needs_review else " ") + confidence,
                     style="bold" if ln.needs_review else "")]

    def _counters(self) -> None:
        j = self.journal
        if j is None:
            return
        nf = self.ctx.number_format
        # one line at 80 columns: the counters first, BC's words
        words = [_("To review: {lines_to_review}").format(lines_to_review=j.lines_to_review),
                 _("With difference: {lines_with_difference}").format(
                     lines_with_difference=j.lines_with_difference),
                 _("Applied {applied}/{count}").format(applied=j.applied_lines,
                                                      count=j.line_count),
                 _("St. {statement_no}").format(statement_no=j.statement_no),
                 _("Total {amount}").format(amount=nf.amount(j.total_amount))]
        if j.status != "open":
            words.append(_("POSTED") if j.status == "posted" else j.status.upper())
        elif self.held_by:
            words.append(_("READ-ONLY"))
        if self.only_non_applied:
            words.append(_("non-applied only"))
        if self.review_sort:
            words.append(_("sorted for review"))
        self.query_one("#counters", Static).update(" · ".join(words))

    def _line_info(self) -> None:
        ln = self.current()
        text = ""
        if ln is not None:
            kind = _(ACCOUNT_WORDS.get(ln.account_type or "", ln.account_type or ""))
            applied = (f"{kind} {ln.account_no} {ln.account_name} · "
                       f"{_(CONFIDENCE_WORDS.get(ln.confidence, ln.confidence))}"
                       ) if ln.is_applied else _("not applied")
            # two lines of the info's width, each cut with … (never a third line
            # lost under the footer): the statement's words, then where the line went
            room = max(self.query_one("#line-info", Static).size.width - 2, 40)
            said = f"{ln.text} {ln.additional_info}".strip()
            went = f"→ {applied}" + (f" · {ln.details[0]}" if ln.details else "")
            text = "\n".join(t if len(t) <= room else t[:room - 1] + "…"
                              for t in (said, went))
        if self.posted_message:  # the journal is done: keep saying what was posted
            text = self.posted_message
        self.query_one("#line-info", Static).update(text[:240])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._line_info()

    def current(self) -> LineView | None:
        if not self.lines:
            return None
        row = self.table.cursor_row
        if 0 <= row < len(self.lines):
            return self.lines[row]
        return None

    def _need_line(self) -> LineView:
        ln = self.current()
        if ln is None:
            raise LettrageError(_("There is no statement line here. Import a statement "
                                "first (i on the bank accounts list)."))
        return ln

    def _need_journal(self) -> JournalView:
        if self.journal is None:
            raise LettrageError(_("The journal is still opening; try again in a moment."))
        return self.journal

    def _changed(self, message: str = "") -> None:
        if message:
            self.notify(message)
        self.action_reload()

    # --- the difference and the text of a line (dialogs) -------------------------------

    def _account_lookups(self) -> Callable[[str], Search | None]:
        """F4 in the transfer and mapping dialogs: customers, vendors, G/L and banks."""
        queries = self.ctx.services.queries
        return lambda kind: account_search(queries, kind)

    def action_transfer(self) -> None:
        line = self._need_line()
        if line.difference == 0:
            raise LettrageError(_("This line has no difference to transfer."))

        self.with_gl_accounts("transfer", line)

    def action_map_text(self) -> None:
        self.with_gl_accounts("map_text", self._need_line())

    def on_recon_flows_accounts_loaded(self, message: AccountsLoaded
                                          ) -> None:
        line, names = message.line, message.names
        if message.purpose == "transfer":
            def transfer(request: TransferRequest | None) -> None:
                if request is not None:
                    self._transfer(line.id, request)

            self.app.push_screen(
                TransferDifferenceModal(line, self.ctx.number_format).with_accounts(names)
                .with_lookups(self._account_lookups()), transfer)
            return

        def map_text(request: MapTextRequest | None) -> None:
            if request is not None:
                self._map_text(line.id, request)

        self.app.push_screen(
            MapTextModal(line).with_accounts(names).with_lookups(self._account_lookups()),
            map_text)

    @core_worker("recon", exclusive=False, title=N_("Cannot transfer the difference"))
    def _transfer(self, line_id: int, request: TransferRequest) -> DifferenceTransferred:
        return DifferenceTransferred(self.service.transfer_difference(
            line_id, request.account_type, request.account_no, request.description))

    def on_journal_lines_difference_transferred(self, message: DifferenceTransferred
                                                ) -> None:
        self._changed(message.result.message or _("Difference transferred."))

    @core_worker("recon", exclusive=False, title=N_("Cannot map the text"))
    def _map_text(self, line_id: int, request: MapTextRequest) -> TextMapped:
        return TextMapped(self.service.map_text_to_account(
            line_id, request.mapping_text, request.debit_acc_no, request.credit_acc_no,
            request.bal_source_type, request.bal_source_no))

    def on_journal_lines_text_mapped(self, message: TextMapped) -> None:
        self._changed(_("Text '{mapping_text}' mapped. Press a to apply automatically "
                        "again.").format(mapping_text=message.mapping.mapping_text))
