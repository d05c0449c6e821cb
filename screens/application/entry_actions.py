"""Apply Entries / Post Application, Unapply Entries and Reverse Transaction/Register,
started from the ledger, applied, detailed entries and registers screens.

Each flow is: read what the action would do (a worker posting a typed message), show
it and ask (a modal that returns data), do it (a worker), then ``entries_changed()`` so
the screen reloads and the
reopened or closed entries show their new remaining amounts. BC's messages come from
the core unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from core.application import Decisions
from core.application.service import ApplyEntriesView, UnapplyPreview
from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.ledger.drafts import LedgerEntryView, PostingResult
from screens.application.apply_entries import ApplyChoice, ApplyEntriesModal
from screens.application.support import posting_services, posting_text
from screens.application.tolerance_dialogs import AsksDecisions, DecisionsMade, WarningGroup
from screens.shared.base import ListScreen, StaleAwareListScreen
from screens.shared.columns import doc_type
from screens.shared.confirm import ConfirmModal
from tui.context import AppServices, Context
from tui.messages import Outcome
from tui.widgets.formatting import label
from tui.workers import core_worker


@dataclass(frozen=True)
class DateAndDocument:
    posting_date: date
    document_no: str


class DateDocumentModal(ModalScreen[DateAndDocument | None]):
    """Post Application / Unapply Entries header: posting date and document no., with
    what will happen above them. Ctrl+S (or Enter) posts, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "confirm", N_("Post"), id="datedoc.post"),
        Binding("escape", "cancel", N_("Cancel"), id="datedoc.cancel"),
    ]
    DEFAULT_CSS = """
    DateDocumentModal #datedoc-body { height: auto; max-height: 12; }
    """

    def __init__(self, title: str, body: str, posting_date: date, document_no: str) -> None:
        super().__init__()
        self.title_text, self.body = title, body
        self.posting_date, self.document_no = posting_date, document_no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("{title_text} — Enter/Ctrl+S posts, Esc cancels").format(
                            title_text=self.title_text),
                         classes="dialog-title", markup=False)
            with VerticalScroll(id="datedoc-body"):
                yield Static(self.body, markup=False)
            with Grid(id="fields"):
                yield Label(_("Posting date"))
                yield Input(self.posting_date.isoformat(), id="posting_date")
                yield Label(_("Document no."))
                yield Input(self.document_no, id="document_no")
            yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#posting_date", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        raw = self.query_one("#posting_date", Input).value.strip()
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            self.query_one("#error", Static).update(
                _("Posting date '{raw}': type it as YYYY-MM-DD.").format(raw=raw))
            return
        doc = self.query_one("#document_no", Input).value.strip()
        if not doc:
            self.query_one("#error", Static).update(_("Enter a document no."))
            return
        self.dismiss(DateAndDocument(day, doc))

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- Apply Entries on posted entries ------------------------------------------------------


@dataclass
class ApplyEntriesLoaded(Outcome, namespace="entry_actions"):
    view: ApplyEntriesView


@dataclass
class MarksSaved(Outcome, namespace="entry_actions"):
    """The marked entries carry the applying entry's Applies-to ID ``appl_id``."""
    view: ApplyEntriesView
    choice: ApplyChoice
    appl_id: str


@dataclass
class ApplicationPosted(Outcome, namespace="entry_actions"):
    result: PostingResult


@dataclass
class UnapplyPreviewed(Outcome, namespace="entry_actions"):
    preview: UnapplyPreview


@dataclass
class EntriesUnapplied(Outcome, namespace="entry_actions"):
    result: PostingResult


@dataclass
class ReversalPreviewed(Outcome, namespace="entry_actions"):
    target: Reversal
    result: PostingResult


@dataclass
class TransactionReversed(Outcome, namespace="entry_actions"):
    result: PostingResult


@dataclass(frozen=True)
class ApplicationWarnings:
    """Post Application of ``applying`` to ``entry_nos``: its tolerance warnings."""
    applying: int
    document_no: str
    entry_nos: tuple[int, ...]
    header: DateAndDocument

    def warnings(self, services: AppServices, answers: Mapping[int, Decisions]
                 ) -> list[WarningGroup]:
        warnings = services.applications.preview_warnings(
            self.applying, list(self.entry_nos), self.header.posting_date, answers.get(0))
        return [WarningGroup(0, _("Applying {document_no}").format(document_no=self.document_no),
                             warnings)]


@dataclass(frozen=True)
class Reversal:
    """A transaction or a register to reverse."""
    transaction_no: int | None = None
    register_no: int | None = None

    def what(self) -> str:
        if self.transaction_no is not None:
            return _("transaction {transaction_no}").format(transaction_no=self.transaction_no)
        return _("register {register_no}").format(register_no=self.register_no)

    def run(self, services: AppServices, preview: bool) -> PostingResult:
        if self.transaction_no is not None:
            return services.applications.reverse_transaction(self.transaction_no,
                                                             preview=preview)
        assert self.register_no is not None
        return services.applications.reverse_register(self.register_no, preview=preview)


class EntryActions(AsksDecisions):
    """Apply Entries / Post Application, Unapply and Reverse on posted entries, for the
    screens listing them: each step is a worker posting a typed message; when the books
    changed ``entries_changed`` runs (the screen reloads)."""

    def entries_changed(self) -> None:
        """The screen's reaction once entries were applied, unapplied or reversed."""

    def _done(self, result: PostingResult, title: str) -> None:
        message = " ".join(result.messages) or _("Register {register_no} posted.").format(
                                                  register_no=result.register_no)
        self.notify(_("{message} (register {register_no})").format(
                        message=message, register_no=result.register_no),
                    title=title, timeout=10)
        self.entries_changed()

    # --- Apply Entries -----------------------------------------------------------------

    def open_apply_entries(self, entry: LedgerEntryView) -> None:
        """Apply Entries with ``entry`` as the applying entry: save the marks (OK) or
        save them and post the application (F9)."""
        if not entry.open:
            raise LettrageError(_("Entry {entry_no} ({document_no}) is closed: only an open "
                                   "entry can be the applying entry.").format(
                                       entry_no=entry.entry_no, document_no=entry.document_no))
        self._load_apply_entries(entry.entry_no)

    @core_worker("apply")
    def _load_apply_entries(self, entry_no: int) -> ApplyEntriesLoaded:
        return ApplyEntriesLoaded(
            posting_services(self.ctx).applications.apply_entries_view(entry_no))

    def on_entry_actions_apply_entries_loaded(self, message: ApplyEntriesLoaded) -> None:
        view = message.view

        def chosen(choice: ApplyChoice | None) -> None:
            if choice is not None:
                self._save_marks(view, choice)

        self.app.push_screen(ApplyEntriesModal(view, self.ctx.number_format), chosen)

    @core_worker("write")
    def _save_marks(self, view: ApplyEntriesView, choice: ApplyChoice) -> MarksSaved:
        appl_id = posting_services(self.ctx).applications.set_applies_to_id(
            view.applying.entry_no, choice.entry_nos, choice.amounts, versions=choice.versions)
        return MarksSaved(view, choice, appl_id)

    def on_entry_actions_marks_saved(self, message: MarksSaved) -> None:
        choice = message.choice
        if choice.post:
            self._ask_post_application(message.view, choice)
            return
        self.notify(_("{count} entries marked with Applies-to ID {appl_id}.").format(
                        count=len(choice.entry_nos), appl_id=message.appl_id)
                    if choice.entry_nos else _("No entries marked."))
        self.entries_changed()

    def _ask_post_application(self, view: ApplyEntriesView, choice: ApplyChoice) -> None:
        a = view.applying
        marked = [r for r in view.entries if r.entry_no in choice.entry_nos]
        latest = max([a.posting_date, *(r.posting_date for r in marked)])
        nf = self.ctx.number_format
        body = "\n".join([_("Applying {document_type} {document_no} ({remaining_amount}) "
                            "to:").format(document_type=label(a.document_type),
                                          document_no=a.document_no,
                                          remaining_amount=nf.amount(a.remaining_amount)),
                          *[f"  {label(r.document_type)} {r.document_no} "
                            f"{nf.amount(r.remaining)}" for r in marked]])

        def dated(header: DateAndDocument | None) -> None:
            if header is not None:
                self.ask_decisions(ApplicationWarnings(a.entry_no, a.document_no,
                                                       tuple(choice.entry_nos), header))

        self.app.push_screen(DateDocumentModal(_("Post Application"), body, latest,
                                               a.document_no), dated)

    def on_asks_decisions_decisions_made(self, message: DecisionsMade) -> None:
        request = message.request
        assert isinstance(request, ApplicationWarnings)
        self._post_application(request, message.answers.get(0))

    @core_worker("post")
    def _post_application(self, request: ApplicationWarnings, decisions: Decisions | None
                          ) -> ApplicationPosted:
        return ApplicationPosted(posting_services(self.ctx).applications.post_application(
            request.applying, list(request.entry_nos), request.header.posting_date,
            decisions, document_no=request.header.document_no))

    def on_entry_actions_application_posted(self, message: ApplicationPosted) -> None:
        self._done(message.result, _("Application posted"))

    # --- Unapply -----------------------------------------------------------------------

    def start_unapply(self, entry_no: int) -> None:
        """Unapply Entries: show the latest application of ``entry_no`` and post its
        reversal with the posting date and document no. the clerk confirms."""
        self._preview_unapply(entry_no)

    @core_worker("unapply")
    def _preview_unapply(self, entry_no: int) -> UnapplyPreviewed:
        return UnapplyPreviewed(posting_services(self.ctx).applications.unapply_preview(entry_no))

    def on_entry_actions_unapply_previewed(self, message: UnapplyPreviewed) -> None:
        p = message.preview
        nf = self.ctx.number_format
        body = "\n".join([
            _("Application {application_no} of {isoformat} (document {document_no}) is "
               "undone; its entries reopen:").format(application_no=p.application_no,
               isoformat=p.posting_date.isoformat(), document_no=p.document_no),
            *[f"  {ln.ledger_entry_no:<6} {doc_type(ln.document_type):<8} "
              f"{ln.document_no:<10.10} {label(ln.entry_type)[:18]:<18} "
              f"{nf.amount(ln.amount):>12}" for ln in p.lines]])

        def dated(header: DateAndDocument | None) -> None:
            if header is not None:
                self._unapply(p.entry_no, p.application_no, header)

        self.app.push_screen(DateDocumentModal(
            _("Unapply entry {entry_no} ({entry_document_no})").format(entry_no=p.entry_no,
               entry_document_no=p.entry_document_no), body, p.posting_date,
            p.document_no), dated)

    @core_worker("post")
    def _unapply(self, entry_no: int, application_no: int, header: DateAndDocument
                 ) -> EntriesUnapplied:
        return EntriesUnapplied(posting_services(self.ctx).applications.unapply(
            entry_no, header.posting_date, document_no=header.document_no,
            application_no=application_no))

    def on_entry_actions_entries_unapplied(self, message: EntriesUnapplied) -> None:
        self._done(message.result, _("Unapplied"))

    # --- Reverse -----------------------------------------------------------------------

    def start_reverse(self, target: Reversal) -> None:
        """Reverse Transaction (or Register): preview the reversing entries, ask, post."""
        self._preview_reversal(target)

    @core_worker("reverse")
    def _preview_reversal(self, target: Reversal) -> ReversalPreviewed:
        return ReversalPreviewed(target, target.run(posting_services(self.ctx), True))

    def on_entry_actions_reversal_previewed(self, message: ReversalPreviewed) -> None:
        result, target = message.result, message.target
        body = posting_text(result, self.ctx.number_format, preview=True, heading=(
            _("The reversal posts these entries (same document no. and posting date, "
            "opposite sign); the reversed entries close.")))
        docs = ", ".join(result.document_nos[:3])

        def answered(yes: bool | None) -> None:
            if yes:
                self._reverse(target)

        self.app.push_screen(ConfirmModal(_("Reverse {what} ({docs})?").format(
                                              what=target.what(), docs=docs), body,
                                          yes=_("Reverse")), answered)

    @core_worker("post")
    def _reverse(self, target: Reversal) -> TransactionReversed:
        return TransactionReversed(target.run(posting_services(self.ctx), False))

    def on_entry_actions_transaction_reversed(self, message: TransactionReversed) -> None:
        self._done(message.result, _("Reversed"))


@dataclass
class EntryReloaded(Outcome, namespace="one_entry_screen"):
    entry: LedgerEntryView


class OneEntryScreen(EntryActions, ListScreen):
    """A list about one customer/vendor ledger entry (its detailed or applied entries)
    with U to unapply the entry's latest application; afterwards the entry is read
    again (its new remaining amount) and the ledger lists below are marked stale."""

    def __init__(self, ctx: Context, entry: LedgerEntryView) -> None:
        super().__init__(ctx)
        self.entry = entry

    def action_unapply(self) -> None:
        self.start_unapply(self.entry.entry_no)

    def entries_changed(self) -> None:
        for screen in self.app.screen_stack:
            if isinstance(screen, StaleAwareListScreen):
                screen.mark_stale()
        self._reload_entry(self.entry.entry_no)

    @core_worker("entry")
    def _reload_entry(self, entry_no: int) -> EntryReloaded:
        return EntryReloaded(self.ctx.services.queries.ledger_entry(entry_no))

    def on_one_entry_screen_entry_reloaded(self, message: EntryReloaded) -> None:
        self.entry = message.entry
        self.refresh_list()
