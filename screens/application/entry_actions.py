"""Apply Entries / Post Application, Unapply Entries and Reverse Transaction/Register,
started from the ledger, applied, detailed entries and registers screens.

Each flow is: read what the action would do (a worker), show it and ask (a modal that
returns data), do it (a worker), then ``then()`` so the screen reloads and the
reopened or closed entries show their new remaining amounts. BC's messages come from
the core unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from screens.application.tolerance_dialogs import WarningGroup, ask_decisions
from screens.shared.base import BaseScreen, ListScreen, StaleAwareListScreen
from screens.shared.columns import doc_type
from screens.shared.confirm import ConfirmModal
from tui.context import Context
from tui.widgets.formatting import label

Then = Callable[[], object]


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


def open_apply_entries(screen: BaseScreen, entry: LedgerEntryView, then: Then) -> None:
    """Apply Entries with ``entry`` as the applying entry: save the marks (OK) or save
    them and post the application (F9)."""
    if not entry.open:
        raise LettrageError(_("Entry {entry_no} ({document_no}) is closed: only an open "
                               "entry can be the applying entry.").format(entry_no=entry.entry_no,
                               document_no=entry.document_no))
    apps = posting_services(screen.ctx).applications

    def show(view: ApplyEntriesView) -> None:
        def chosen(choice: ApplyChoice | None) -> None:
            if choice is not None:
                _save_marks(screen, view, choice, then)

        screen.app.push_screen(ApplyEntriesModal(view, screen.ctx.number_format), chosen)

    screen.query_core(lambda: apps.apply_entries_view(entry.entry_no), show, group="apply")


def _save_marks(screen: BaseScreen, view: ApplyEntriesView, choice: ApplyChoice,
                then: Then) -> None:
    apps = posting_services(screen.ctx).applications
    applying = view.applying.entry_no

    def saved(appl_id: str) -> None:
        if choice.post:
            _post_application(screen, view, choice, then)
            return
        screen.notify(
            _("{count} entries marked with Applies-to ID {appl_id}.").format(
                count=len(choice.entry_nos), appl_id=appl_id
            )
            if choice.entry_nos
            else _("No entries marked.")
        )
        then()

    screen.query_core(lambda: apps.set_applies_to_id(
        applying, choice.entry_nos, choice.amounts, versions=choice.versions),
        saved, group="write")


def _post_application(screen: BaseScreen, view: ApplyEntriesView, choice: ApplyChoice,
                      then: Then) -> None:
    apps = posting_services(screen.ctx).applications
    a = view.applying
    marked = [r for r in view.entries if r.entry_no in choice.entry_nos]
    latest = max([a.posting_date, *(r.posting_date for r in marked)])
    nf = screen.ctx.number_format
    body = "\n".join([_("Applying {document_type} {document_no} ({remaining_amount}) to:").format(
                         document_type=label(a.document_type), document_no=a.document_no,
                         remaining_amount=nf.amount(a.remaining_amount)),
                      *[f"  {label(r.document_type)} {r.document_no} "
                        f"{nf.amount(r.remaining)}" for r in marked]])

    def dated(header: DateAndDocument | None) -> None:
        if header is None:
            return

        def fetch(answers: Mapping[int, Decisions]) -> list[WarningGroup]:
            warnings = apps.preview_warnings(a.entry_no, choice.entry_nos,
                                             header.posting_date, answers.get(0))
            title = _("Applying {document_no}").format(document_no=a.document_no)
            return [WarningGroup(0, title, warnings)]

        def post(answers: dict[int, Decisions]) -> None:
            screen.query_core(lambda: apps.post_application(
                a.entry_no, choice.entry_nos, header.posting_date, answers.get(0),
                document_no=header.document_no),
                lambda r: _done(screen, r, _("Application posted"), then), group="post")

        ask_decisions(screen, fetch, post)

    screen.app.push_screen(DateDocumentModal(_("Post Application"), body, latest,
                                             a.document_no), dated)


def _done(screen: BaseScreen, result: PostingResult, title: str, then: Then) -> None:
    message = " ".join(result.messages) or _("Register {register_no} posted.").format(
                                              register_no=result.register_no)
    screen.notify(_("{message} (register {register_no})").format(message=message,
                     register_no=result.register_no), title=title, timeout=10)
    then()


# --- Unapply -------------------------------------------------------------------------------


def start_unapply(screen: BaseScreen, entry_no: int, then: Then) -> None:
    """Unapply Entries: show the latest application of ``entry_no`` and post its
    reversal with the posting date and document no. the clerk confirms."""
    apps = posting_services(screen.ctx).applications
    nf = screen.ctx.number_format

    def show(p: UnapplyPreview) -> None:
        body = "\n".join([
            _("Application {application_no} of {isoformat} (document {document_no}) is "
               "undone; its entries reopen:").format(application_no=p.application_no,
               isoformat=p.posting_date.isoformat(), document_no=p.document_no),
            *[f"  {ln.ledger_entry_no:<6} {doc_type(ln.document_type):<8} "
              f"{ln.document_no:<10.10} {label(ln.entry_type)[:18]:<18} "
              f"{nf.amount(ln.amount):>12}" for ln in p.lines]])

        def dated(header: DateAndDocument | None) -> None:
            if header is None:
                return
            screen.query_core(lambda: apps.unapply(
                entry_no, header.posting_date, document_no=header.document_no,
                application_no=p.application_no),
                lambda r: _done(screen, r, _("Unapplied"), then), group="post")

        screen.app.push_screen(DateDocumentModal(
            _("Unapply entry {entry_no} ({entry_document_no})").format(entry_no=p.entry_no,
               entry_document_no=p.entry_document_no), body, p.posting_date,
            p.document_no), dated)

    screen.query_core(lambda: apps.unapply_preview(entry_no), show, group="unapply")


# --- Reverse -------------------------------------------------------------------------------


def start_reverse(screen: BaseScreen, *, transaction_no: int | None = None,
                  register_no: int | None = None, then: Then) -> None:
    """Reverse Transaction (or Register): preview the reversing entries, ask, post."""
    apps = posting_services(screen.ctx).applications
    nf = screen.ctx.number_format
    what = (
        _("transaction {transaction_no}").format(transaction_no=transaction_no)
        if transaction_no is not None
        else _("register {register_no}").format(register_no=register_no)
    )

    def run(preview: bool) -> PostingResult:
        if transaction_no is not None:
            return apps.reverse_transaction(transaction_no, preview=preview)
        assert register_no is not None
        return apps.reverse_register(register_no, preview=preview)

    def show(result: PostingResult) -> None:
        body = posting_text(result, nf, preview=True, heading=(
            _("The reversal posts these entries (same document no. and posting date, "
            "opposite sign); the reversed entries close.")))
        docs = ", ".join(result.document_nos[:3])

        def answered(yes: bool | None) -> None:
            if yes:
                screen.query_core(lambda: run(False),
                                  lambda r: _done(screen, r, _("Reversed"), then), group="post")

        screen.app.push_screen(ConfirmModal(_("Reverse {what} ({docs})?").format(what=what,
                                               docs=docs), body,
                                            yes=_("Reverse")), answered)

    screen.query_core(lambda: run(True), show, group="reverse")


class OneEntryScreen(ListScreen):
    """A list about one customer/vendor ledger entry (its detailed or applied entries)
    with U to unapply the entry's latest application; afterwards the entry is read
    again (its new remaining amount) and the ledger lists below are marked stale."""

    def __init__(self, ctx: Context, entry: LedgerEntryView) -> None:
        super().__init__(ctx)
        self.entry = entry

    def action_unapply(self) -> None:
        start_unapply(self, self.entry.entry_no, self._unapplied)

    def _unapplied(self) -> None:
        for screen in self.app.screen_stack:
            if isinstance(screen, StaleAwareListScreen):
                screen.mark_stale()
        queries, entry_no = self.ctx.services.queries, self.entry.entry_no

        def show(entry: LedgerEntryView) -> None:
            self.entry = entry
            self.refresh_list()

        self.query_core(lambda: queries.ledger_entry(entry_no), show, group="entry")
