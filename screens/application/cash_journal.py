"""Cash Receipt Journal (BC page 255) and, with ``template="payment"``, the Payment
Journal (page 256): one batch's lines, its totals and balance always in view, the line
under the cursor with the reason it cannot post, and the keys to add, edit, apply,
preview and post.

Every service call runs in a thread worker; the table is refilled from the service
after each change, so totals and errors are always the core's, never recomputed here.
A journal batch holds what a clerk enters in a session, so a plain DataTable is enough.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from core.application import Decisions
from core.application.journal import (
    BatchView,
    JournalLineInput,
    JournalLineView,
)
from core.application.service import ApplyEntriesView
from core.i18n import N_, _, ngettext
from core.kernel.errors import LettrageError
from core.ledger.drafts import PostingResult
from screens.application.apply_entries import ApplyChoice, ApplyEntriesModal
from screens.application.batches import BatchPickerModal, NewBatch
from screens.application.journal_lines import COLUMNS, TITLES, CashJournalLines
from screens.application.journal_lines import JournalState as JournalState  # re-exported
from screens.application.line_form import JournalLineModal, LineValues
from screens.application.support import account_search, posting_text
from screens.application.tolerance_dialogs import AsksDecisions, DecisionsMade, WarningGroup
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.reconciliation.dialogs import TextModal
from screens.shared.confirm import ConfirmModal
from screens.shared.lookup import Search
from tui.context import AppServices, Context
from tui.messages import Outcome
from tui.workers import core_worker


@dataclass
class LineAdded(Outcome, namespace="cash_receipt_journal_screen"):
    line: JournalLineView


@dataclass
class LineUpdated(Outcome, namespace="cash_receipt_journal_screen"):
    line: JournalLineView


@dataclass
class LineDeleted(Outcome, namespace="cash_receipt_journal_screen"):
    line_id: int


@dataclass
class ApplyViewLoaded(Outcome, namespace="cash_receipt_journal_screen"):
    """Apply Entries' list for the line under the cursor."""
    view: ApplyEntriesView


@dataclass
class EntriesMarked(Outcome, namespace="cash_receipt_journal_screen"):
    """The line's Applies-to ID was set (or cleared) on the marked entries."""
    line: JournalLineView


@dataclass
class BatchPosted(Outcome, namespace="cash_receipt_journal_screen"):
    result: PostingResult
    preview: bool


@dataclass
class BatchesLoaded(Outcome, namespace="cash_receipt_journal_screen"):
    batches: list[BatchView]


@dataclass
class BatchCreated(Outcome, namespace="cash_receipt_journal_screen"):
    batch: BatchView


@dataclass(frozen=True)
class BatchWarnings:
    """The batch about to be posted (or previewed): its lines' tolerance warnings."""
    batch_id: int
    preview: bool

    def warnings(self, services: AppServices, answers: Mapping[int, Decisions]
                 ) -> list[WarningGroup]:
        return [WarningGroup(w.line_id, _("Line {line_no} {document_no} {account_no}").format(
                                           line_no=w.line_no, document_no=w.document_no,
                                           account_no=w.account_no), w.warnings)
                for w in services.journal.posting_warnings(self.batch_id, answers)]


class CashReceiptJournalScreen(AsksDecisions, CashJournalLines):
    """The lines of one batch of the cash receipt (or payment) journal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,insert", "new_line", N_("New"), id="journal.new",
                tooltip=N_("New line (the document no. comes from the batch's series)")),
        Binding("e,f2", "edit_line", N_("Edit"), id="journal.edit",
                tooltip=N_("Edit the line (Enter does the same)")),
        Binding("a,shift+f11", "apply_entries", N_("Apply"), id="journal.apply",
                tooltip=N_("Apply Entries: mark the open entries the line pays")),
        Binding("f9,p", "post", N_("Post"), id="journal.post", tooltip=N_("Post the batch")),
        Binding("v,ctrl+alt+f9", "preview", N_("Preview"), id="journal.preview",
                tooltip=N_("Preview posting: the entries posting would write")),
        Binding("delete,x", "delete_line", N_("Delete"), id="journal.delete",
                tooltip=N_("Delete the line")),
        Binding("b", "batches", N_("Batch"), id="journal.batch",
                tooltip=N_("Choose or create a journal batch")),
        Binding("l,ctrl+f7", "ledger", N_("Entries"), show=False, id="journal.ledger",
                tooltip=N_("Open entries of the line's customer or vendor")),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), show=False, id="journal.refresh"),
    ]
    DEFAULT_CSS = """
    CashReceiptJournalScreen #lines { height: 1fr; }
    CashReceiptJournalScreen #totals { height: auto; max-height: 2; padding: 0 1;
        background: $boost; }
    CashReceiptJournalScreen #line-info { height: 2; padding: 0 1; }
    CashReceiptJournalScreen #line-info.-error { color: $error; }
    """
    HELP = (N_("Enter payments one line each: n adds a line (Enter or e edits it), a applies "
            "it to the customer's or vendor's open entries (mark with space, the amount "
            "fills itself when blank). The totals line shows the batch's total and "
            "balance; a line marked ! cannot post and says why below the grid. v previews "
            "the entries, F9 or p posts; payment tolerance questions are asked before "
            "posting when the setup turns them on. b chooses or creates a batch."))

    def __init__(self, ctx: Context, template: str = "cash_receipt",
                 batch_id: int | None = None) -> None:
        super().__init__(ctx)
        self.template = template
        self.batch_id = batch_id
        self.state: JournalState | None = None

    def screen_title(self) -> str:
        return _(TITLES.get(self.template, N_("Journal")))

    def on_mount(self) -> None:
        for name, width, right in COLUMNS:
            title = _(name)
            self.table.add_column(Text(title + " ", justify="right") if right else title,
                                  width=width, key=getattr(name, "msgid", name))
        self.table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.state is not None:
            self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Line actions are dimmed (not hidden) while there is no line."""
        needs_line = {"edit_line", "delete_line", "apply_entries", "ledger", "post",
                      "preview"}
        if action in needs_line and (self.state is None or not self.state.lines):
            return None
        return True

    @on(DataTable.RowSelected, "#lines")
    def _selected(self) -> None:
        self.action_edit_line()

    # --- lines -----------------------------------------------------------------------

    def _lookups(self) -> Callable[[str], Search | None]:
        queries = self.services.queries
        return lambda kind: account_search(queries, kind)

    def action_new_line(self) -> None:
        st = self._need_state()
        last = st.lines[-1] if st.lines else None
        defaults: LineValues = {}
        if last is not None:  # BC copies the date and document type of the line above
            defaults = {"posting_date": last.posting_date,
                        "document_type": last.document_type}

        def entered(values: LineValues | None) -> None:
            if values is None:
                return
            self._add_line(st.batch.id, values)

        self.app.push_screen(JournalLineModal(st.batch, None, self.ctx.today(),
                                              self.ctx.number_format, self._lookups(),
                                              defaults), entered)

    @core_worker("write")
    def _add_line(self, batch_id: int, values: LineValues) -> LineAdded:
        return LineAdded(self.services.journal.add_line(batch_id,
                                                             JournalLineInput(**values)))

    def on_cash_receipt_journal_screen_line_added(self, message: LineAdded) -> None:
        line = message.line
        hint = _("a applies it to open entries") if not (
            line.applies_to_doc_no or line.applies_to_id) else _("F9 posts the batch")
        self.notify(_("Line {line_no} ({document_no}) added: {hint}.").format(
                        line_no=line.line_no, document_no=line.document_no, hint=hint))
        self.action_reload(select_line=line.id)

    def action_edit_line(self) -> None:
        st, line = self._need_state(), self._need_line()

        def edited(changes: LineValues | None) -> None:
            if not changes:
                return
            self._update_line(line.id, line.version, changes)

        self.app.push_screen(JournalLineModal(st.batch, line, self.ctx.today(),
                                              self.ctx.number_format, self._lookups()),
                             edited)

    @core_worker("write")
    def _update_line(self, line_id: int, version: int, changes: LineValues) -> LineUpdated:
        return LineUpdated(self.services.journal.update_line(line_id, version, changes))

    def on_cash_receipt_journal_screen_line_updated(self, message: LineUpdated) -> None:
        self.action_reload(select_line=message.line.id)

    def action_delete_line(self) -> None:
        line = self._need_line()

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self._delete_line(line.id, line.version)

        self.app.push_screen(ConfirmModal(
            _("Delete line {line_no} ({document_no}, {amount})?").format(
                line_no=line.line_no, document_no=line.document_no,
                amount=self.ctx.number_format.amount(line.amount)),
            _("Marks it carries on open entries stay until you unmark them in Apply "
            "Entries.")), answered)

    @core_worker("write")
    def _delete_line(self, line_id: int, version: int) -> LineDeleted:
        self.services.journal.delete_line(line_id, version)
        return LineDeleted(line_id)

    def on_cash_receipt_journal_screen_line_deleted(self, message: LineDeleted) -> None:
        self.action_reload()

    # --- apply entries ---------------------------------------------------------------

    def action_apply_entries(self) -> None:
        self._load_apply_view(self._need_line().id)

    @core_worker("apply")
    def _load_apply_view(self, line_id: int) -> ApplyViewLoaded:
        return ApplyViewLoaded(self.services.applications.journal_apply_view(line_id))

    def on_cash_receipt_journal_screen_apply_view_loaded(self, message: ApplyViewLoaded
                                                         ) -> None:
        view = message.view
        line_id = view.journal_line_id
        assert line_id is not None

        def chosen(choice: ApplyChoice | None) -> None:
            if choice is not None:
                self._mark_entries(line_id, view.applying_version, choice)

        self.app.push_screen(ApplyEntriesModal(view, self.ctx.number_format), chosen)

    @core_worker("write")
    def _mark_entries(self, line_id: int, version: int, choice: ApplyChoice
                      ) -> EntriesMarked:
        return EntriesMarked(self.services.applications.set_journal_applies_to(
            line_id, version, choice.entry_nos, choice.amounts, versions=choice.versions))

    def on_cash_receipt_journal_screen_entries_marked(self, message: EntriesMarked) -> None:
        line = message.line
        nf = self.ctx.number_format
        if line.applies_to_id:
            self.notify(_("Line {line_no} applies to the entries marked {applies_to_id}; "
                          "amount {amount}.").format(
                            line_no=line.line_no, applies_to_id=line.applies_to_id,
                            amount=nf.amount(line.amount)))
        else:
            self.notify(_("Line {line_no} applies to no entries now.").format(line_no=line.line_no))
        self.action_reload(select_line=line.id)

    # --- posting ---------------------------------------------------------------------

    def _ready_to_post(self) -> JournalState:
        st = self._need_state()
        if not st.lines:
            raise LettrageError(_("There is nothing to post: the batch is empty."))
        if st.errors:
            line_id, reasons = next(iter(st.errors.items()))
            no = next(ln.line_no for ln in st.lines if ln.id == line_id)
            reason = reasons[0].removeprefix(_("line {no}: ").format(no=no))
            raise LettrageError(_("{count} line(s) cannot post (marked !). Line {no}: "
                                  "{reason}").format(count=len(st.errors), no=no, reason=reason))
        return st

    def action_post(self) -> None:
        st = self._ready_to_post()
        nf = self.ctx.number_format
        body = (_("Total {amount} · balance {amount2}\nThe lines become ledger entries and "
                  "leave the journal.").format(
                    amount=nf.amount(st.totals.total), amount2=nf.amount(st.totals.balance)))

        def answered(yes: bool | None) -> None:
            if yes:
                self.ask_decisions(BatchWarnings(st.batch.id, preview=False))

        count = st.totals.line_count
        self.app.push_screen(ConfirmModal(
            ngettext("Post {count} journal line of batch {name}?",
                     "Post {count} journal lines of batch {name}?", count).format(
                count=count, name=st.batch.name), body,
                yes=_("Post")), answered)

    def action_preview(self) -> None:
        st = self._ready_to_post()
        self.ask_decisions(BatchWarnings(st.batch.id, preview=True))

    def on_asks_decisions_decisions_made(self, message: DecisionsMade) -> None:
        request = message.request
        assert isinstance(request, BatchWarnings)
        self._post_batch(request.batch_id, message.answers, request.preview)

    @core_worker("post")
    def _post_batch(self, batch_id: int, answers: dict[int, Decisions], preview: bool
                    ) -> BatchPosted:
        return BatchPosted(self.services.journal.post_batch(
            batch_id, preview=preview, decisions=answers), preview)

    def on_cash_receipt_journal_screen_batch_posted(self, message: BatchPosted) -> None:
        result, preview = message.result, message.preview
        nf = self.ctx.number_format
        if preview:
            self.app.push_screen(TextModal(_("Posting preview"),
                                           posting_text(result, nf, preview=True)))
            return
        applied = {d.applied_ledger_entry_no for d in result.detailed_entries
                   if d.entry_type == "application"} - {
            e.entry_no for e in result.ledger_entries}
        docs = ", ".join(result.document_nos[:3]) + (
            "…" if len(result.document_nos) > 3 else "")
        more = _(", applied to {count} open entries").format(count=len(applied)) if applied else ""
        self.notify(_("Posted {docs} as register {register_no}: {count} G/L entries, {count2} "
                      "customer/vendor entries").format(
                        docs=docs, register_no=result.register_no, count=len(result.gl_entries),
                        count2=len(result.ledger_entries)) + more + ".",
                    title=_("Posted"), timeout=10)
        self.action_reload()

    # --- batches and navigation ----------------------------------------------------------

    def action_batches(self) -> None:
        self._load_batches(self.template)

    @core_worker("batches")
    def _load_batches(self, template: str) -> BatchesLoaded:
        return BatchesLoaded(self.services.journal.batches(template))

    def on_cash_receipt_journal_screen_batches_loaded(self, message: BatchesLoaded) -> None:
        template = self.template
        default_bal = self.state.batch.bal_account_no if self.state else ""

        def chosen(choice: int | NewBatch | None) -> None:
            if isinstance(choice, NewBatch):
                self._create_batch(template, choice)
            elif choice is not None:
                self._switch(choice)

        self.app.push_screen(BatchPickerModal(_(TITLES[template]), message.batches,
                                              self.batch_id, default_bal), chosen)

    @core_worker("write")
    def _create_batch(self, template: str, choice: NewBatch) -> BatchCreated:
        return BatchCreated(self.services.journal.create_batch(
            template, choice.name, choice.description, bal_account_no=choice.bal_account_no))

    def on_cash_receipt_journal_screen_batch_created(self, message: BatchCreated) -> None:
        self._switch(message.batch.id, _("Batch {name} created.").format(
                                           name=message.batch.name))

    def _switch(self, batch_id: int, message: str = "") -> None:
        if message:
            self.notify(message)
        self.batch_id = batch_id
        self.table.clear()
        self.action_reload()

    def action_ledger(self) -> None:
        ln = self._need_line()
        if ln.account_type not in ("customer", "vendor"):
            raise LettrageError(_("Entries: the line's account is not a customer or vendor."))
        self.app.push_screen(LedgerEntriesScreen(self.ctx, ln.account_type, ln.account_no,
                                                 open_only=True))
