"""Payment Reconciliation Journal (BC page 1290) of one bank account: the imported
statement lines with their proposed applications, the review counters, and the keys to
apply, accept, fix, map, transfer and post.

Every service call runs in a thread worker (``core_worker``) that posts a typed message
(``JournalOpened``, ``LinesApplied``, ``JournalPosted`` ...); a clerk's error
(``LettrageError``) comes back as a notification, the table is refilled from the
service after every change. A statement has at most a few thousand lines, so a plain
``DataTable`` is enough here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.timer import Timer

from core.audit.claims import HEARTBEAT_EVERY, ClaimResult
from core.i18n import N_, _
from core.kernel.errors import ConflictError, LettrageError
from core.ledger.drafts import GLEntryView
from core.reconciliation.service import ReconciliationService
from core.reconciliation.types import (
    JournalView,
    LineView,
    PostResult,
)
from screens.reconciliation.dialogs import (
    PostModal,
    PostRequest,
    TextModal,
    details_text,
)
from screens.reconciliation.flows import LineAppliedManually
from screens.reconciliation.journal_lines import COLUMNS, JournalLines
from screens.reconciliation.journal_lines import short_day as short_day  # re-exported
from screens.reconciliation.review_queue import ReviewQueueScreen
from screens.shared.confirm import ConfirmModal
from screens.shared.navigate import Navigate
from screens.statements.flows import ImportFlow
from tui.context import Context
from tui.messages import CommandFailed, Outcome
from tui.widgets.formatting import NumberFormat
from tui.workers import core_worker


def post_summary(result: PostResult, nf: NumberFormat) -> str:
    """What a posting (or its preview) wrote, as text for the preview panel."""
    rows = [result.message, "",
            _("Lines: {lines_posted} · total {amount}").format(
                lines_posted=result.lines_posted, amount=nf.amount(result.total_amount)),
            _("Balance last statement {amount} → ending balance {amount2}").format(
                amount=nf.amount(result.balance_last_statement),
                amount2=nf.amount(result.statement_ending_balance))]
    posting = result.posting
    if posting is not None:
        rows += ["", _("G/L entries:")]
        rows += [f"  {_entry_line(e, nf)}" for e in posting.gl_entries]
        rows += list(posting.messages)
    return "\n".join(rows)


def _entry_line(entry: GLEntryView, nf: NumberFormat) -> str:
    return (f"{entry.gl_account_no:<6} {nf.amount(entry.amount):>13}  "
            f"{entry.document_no:<8.8} {entry.description:.32}")


@dataclass
class JournalOpened(Outcome, namespace="reconciliation_journal_screen"):
    view: JournalView


@dataclass
class JournalClaimed(Outcome, namespace="reconciliation_journal_screen"):
    """The claim asked for (on opening, ``view`` set) or taken over (``view`` None)."""
    result: ClaimResult
    view: JournalView | None = None


@dataclass
class ClaimRenewed(Outcome, namespace="reconciliation_journal_screen"):
    result: ClaimResult


@dataclass
class LinesApplied(Outcome, namespace="reconciliation_journal_screen"):
    """Apply Automatically finished."""
    view: JournalView


@dataclass
class LinesAccepted(Outcome, namespace="reconciliation_journal_screen"):
    lines: list[LineView]


@dataclass
class ApplicationsRemoved(Outcome, namespace="reconciliation_journal_screen"):
    lines: list[LineView]


@dataclass
class MatchDetailsLoaded(Outcome, namespace="reconciliation_journal_screen"):
    line: LineView


@dataclass
class JournalPosted(Outcome, namespace="reconciliation_journal_screen"):
    result: PostResult


@dataclass
class PostingPreviewed(Outcome, namespace="reconciliation_journal_screen"):
    result: PostResult


class JournalCommands(JournalLines):
    """The journal's service calls, each a worker posting its typed message (the screen
    below handles them)."""

    @core_worker("recon", exclusive=False, title=N_("Cannot open the journal"))
    def _open_journal(self, bank_no: str) -> JournalOpened:
        return JournalOpened(self.service.open_journal(bank_no))

    @core_worker("recon", exclusive=False, title=N_("Cannot claim the journal"))
    def _claim(self, view: JournalView) -> JournalClaimed:
        return JournalClaimed(self.service.claims.claim(view.id), view)

    @core_worker("recon", exclusive=False, title=N_("Cannot take the journal over"))
    def _take_over(self, journal_id: int) -> JournalClaimed:
        return JournalClaimed(self.service.claims.claim(journal_id, take_over=True))

    @core_worker("recon", exclusive=False)
    def _renew_claim(self, journal_id: int) -> ClaimRenewed:
        return ClaimRenewed(self.service.claims.renew(journal_id))

    @core_worker("recon", exclusive=False, title=N_("Cannot apply automatically"))
    def _apply_automatically(self, journal_id: int) -> LinesApplied:
        return LinesApplied(self.service.apply_automatically(journal_id))

    @core_worker("recon", exclusive=False, title=N_("Cannot accept"))
    def _accept(self, line_id: int) -> LinesAccepted:
        return LinesAccepted(self.service.accept([line_id]))

    @core_worker("recon", exclusive=False, title=N_("Cannot remove applications"))
    def _remove_applications(self, line_id: int) -> ApplicationsRemoved:
        return ApplicationsRemoved(self.service.remove_applications([line_id]))

    @core_worker("recon", exclusive=False)
    def _match_details(self, line_id: int) -> MatchDetailsLoaded:
        return MatchDetailsLoaded(self.service.match_details(line_id))

    @core_worker("recon", exclusive=False, title=N_("Cannot post"))
    def _post(self, journal_id: int, request: PostRequest) -> JournalPosted:
        return JournalPosted(self.service.post(
            journal_id, request.reconcile, request.statement_date, request.ending_balance))

    @core_worker("recon", exclusive=False, title=N_("Cannot preview the posting"))
    def _preview(self, journal_id: int) -> PostingPreviewed:
        return PostingPreviewed(self.service.post(journal_id, False, preview=True))


class ReconciliationJournalScreen(ImportFlow, JournalCommands):
    """The open payment reconciliation journal of ``bank_no``."""

    # footer order: what a clerk needs first fits in 80 columns; F1 lists all
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "apply_auto", N_("Auto"), id="recon.apply_auto",
                tooltip=N_("Apply Automatically: match every line to open entries")),
        Binding("c", "accept", N_("Accept"), id="recon.accept",
                tooltip=N_("Accept Application of the current line")),
        Binding("r", "review", N_("Review"), id="recon.review",
                tooltip=N_("Step through the lines to review")),
        Binding("m", "manual", N_("Manual"), id="recon.manual",
                tooltip=N_("Apply Manually: choose the open entries the line pays")),
        Binding("f9,p", "post", N_("Post"), id="recon.post",
                tooltip=N_("Post payments, or post and reconcile the bank account")),
        Binding("t", "transfer", N_("Transfer"), id="recon.transfer",
                tooltip=N_("Transfer Difference to Account")),
        Binding("k", "map_text", N_("Map text"), id="recon.map_text",
                tooltip=N_("Map Text to Account")),
        Binding("x", "remove", N_("Remove"), id="recon.remove",
                tooltip=N_("Remove Applications of the current line")),
        Binding("d", "details", N_("Details"), id="recon.details",
                tooltip=N_("Match Details of the current line")),
        Binding("n", "toggle_non_applied", N_("Non-applied"), id="recon.non_applied",
                show=False, tooltip=N_("Show only non-applied lines (toggle)")),
        Binding("s", "toggle_sort", N_("Sort"), id="recon.sort", show=False,
                tooltip=N_("Sort for review / by date (toggle)")),
        Binding("v", "preview", N_("Preview"), id="recon.preview", show=False,
                tooltip=N_("Preview posting (payments only)")),
        Binding("f5", "reload", N_("Refresh"), id="recon.refresh", show=False),
        Binding("i", "import_statement", N_("Import"), id="recon.import", show=False,
                tooltip=N_("Import another statement file into this journal")),
        Binding("u", "setup('payment_rules')", N_("Rules"), id="recon.rules", show=False,
                tooltip=N_("Payment application rules")),
        Binding("e", "setup('match_settings')", N_("Settings"), id="recon.settings",
                show=False, tooltip=N_("Payment application settings")),
        Binding("K", "setup('text_mappings')", N_("Mappings"), id="recon.mappings",
                show=False, tooltip=N_("Text-to-account mappings")),
        Binding("o", "take_over", N_("Take over"), id="recon.take_over", show=False,
                tooltip=N_("Take over a journal another clerk is working (after asking)")),
    ]
    DEFAULT_CSS = """
    ReconciliationJournalScreen #counters { height: auto; max-height: 2; padding: 0 1;
        color: $text-muted; }
    ReconciliationJournalScreen #lines { height: 1fr; }
    ReconciliationJournalScreen #line-info { height: 2; padding: 0 1;
        background: $boost; }
    """
    HELP = (N_("Apply automatically (a), then review: the counters show the lines to review "
            "and those with a difference. r steps through them; c accepts, m applies "
            "by hand, t moves a difference to an account, k maps a text (then a again). "
            "F9 or p posts; v previews the posting; i imports another statement file. The "
            "matching setup: u payment "
            "application rules, e settings, K text-to-account mappings."))

    def __init__(self, ctx: Context, bank_no: str, apply_after_open: bool = False) -> None:
        super().__init__(ctx)
        self.bank_no = bank_no
        # BC: importing bank transactions runs Apply Automatically on the new lines
        self.apply_after_open = apply_after_open
        self.journal: JournalView | None = None
        self.lines: list[LineView] = []
        self.only_non_applied = False
        self.review_sort = False
        self.posted_message = ""
        self.held_by = ""  # who works the journal when it is not us: read-only
        self._heartbeat: Timer | None = None

    def screen_title(self) -> str:
        return _("Payment Reconciliation Journal — {bank_no}").format(bank_no=self.bank_no)

    def on_mount(self) -> None:
        for name, width, right in COLUMNS:
            title = _(name)
            self.table.add_column(Text(title + " ", justify="right") if right else title,
                                  width=width, key=getattr(name, "msgid", name))
        self.table.focus()
        self._open_journal(self.bank_no)

    WRITES = frozenset({"apply_auto", "accept", "remove", "manual", "transfer", "map_text",
                        "review", "post", "preview"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Changes are dimmed (not hidden) until the journal is open, once posted, and
        while another clerk works it."""
        if action in self.WRITES and self.journal is not None \
                and self.journal.status != "open":
            return False  # posted: gone from the footer; pressing one says why (on_key)
        if action in self.WRITES and (self.journal is None or self.held_by):
            return None
        if action == "take_over" and not self.held_by:
            return None
        return True

    def on_key(self, event: events.Key) -> None:
        """A change key on a posted journal: say why nothing happens."""
        j = self.journal
        if j is None or j.status == "open" or event.key not in self._write_keys():
            return
        event.stop()
        self.notify(_("Statement {statement_no} is posted: there is nothing left to apply or "
                      "post in it. i imports the next statement.").format(
                          statement_no=j.statement_no), severity="warning")

    def _write_keys(self) -> set[str]:
        return {key for b in self.BINDINGS if isinstance(b, Binding)
                and b.action.partition("(")[0] in self.WRITES for key in b.key.split(",")}

    def on_screen_resume(self) -> None:
        if self.journal is not None:
            self.action_reload()

    def on_command_failed(self, message: CommandFailed) -> None:
        """After a conflict (another clerk changed the line or its entries) show their
        change at once; the message still bubbles to the app, which shows it."""
        if isinstance(message.error, ConflictError) and self.journal is not None:
            self.action_reload()

    def on_reconciliation_journal_screen_journal_opened(self, message: JournalOpened
                                                       ) -> None:
        view = message.view
        self.journal = view
        if view.status == "open":  # a new statement: the last posting's words are old news
            self.posted_message = ""
        self._claim(view)

    # --- the claim: one clerk works a journal, the others see who and read it -----------

    def on_reconciliation_journal_screen_journal_claimed(self, message: JournalClaimed
                                                         ) -> None:
        self._claimed(message.result, message.view)

    def _claimed(self, result: ClaimResult, view: JournalView | None = None) -> None:
        if result.ok:
            self.held_by = ""
            if result.taken_from is not None and result.taken_from.token != \
                    (result.claim.token if result.claim else ""):
                self.notify(_("You took the journal over from {holder}.").format(
                                holder=result.taken_from.holder))
            if self._heartbeat is None:
                self._heartbeat = self.set_interval(HEARTBEAT_EVERY, self._renew)
        else:
            self.held_by = result.message
            self.notify(_("{message}. You can read it; o takes it over.").format(
                            message=result.message),
                        title=_("Read-only"), severity="warning", timeout=12)
        self.refresh_bindings()
        if view is not None:
            self._after_open(view)
        else:
            self._counters()

    def _renew(self) -> None:
        if self.journal is None or self.held_by or self.journal.status != "open":
            return
        self._renew_claim(self.journal.id)

    def on_reconciliation_journal_screen_claim_renewed(self, message: ClaimRenewed) -> None:
        if not message.result.ok and not self.held_by:  # someone took it over
            self._claimed(message.result)

    def action_take_over(self) -> None:
        journal = self._need_journal()
        if not self.held_by:
            raise LettrageError(_("You are working this journal already."))

        def answered(yes: bool | None) -> None:
            if yes:
                self._take_over(journal.id)

        self.app.push_screen(ConfirmModal(
            _("Take this journal over?"), _("{held_by}. Their decisions so far are saved; they "
                                         "can no longer change the journal once you take it "
                                         "over.").format(held_by=self.held_by)), answered)

    def on_unmount(self) -> None:
        if self.journal is not None and not self.held_by:
            # an app worker: the screen's workers are cancelled once it is unmounted
            self.app.run_worker(partial(_release_quietly, self.service, self.journal.id),
                                thread=True, group="release-claim", exclusive=False,
                                exit_on_error=False)

    def _after_open(self, view: JournalView) -> None:
        applying = self.apply_after_open and view.line_count and view.status == "open" \
            and not self.held_by
        if view.message and not applying:  # after an import its own message says it
            self.notify(view.message)
        if applying:
            self.action_apply_auto()  # reloads when done
            return
        self.action_reload()

    # --- actions ---------------------------------------------------------------------

    def action_apply_auto(self) -> None:
        self._apply_automatically(self._need_journal().id)

    def on_reconciliation_journal_screen_lines_applied(self, message: LinesApplied) -> None:
        view = message.view
        for note in view.notifications:
            self.notify(note, timeout=8)
        self._changed(view.message or _("Apply automatically finished."))

    def action_accept(self) -> None:
        self._accept(self._need_line().id)

    def on_reconciliation_journal_screen_lines_accepted(self, message: LinesAccepted) -> None:
        self._changed(_("Accepted."))

    def action_remove(self) -> None:
        self._remove_applications(self._need_line().id)

    def on_reconciliation_journal_screen_applications_removed(
            self, message: ApplicationsRemoved) -> None:
        self._changed(_("Applications removed."))

    def action_manual(self) -> None:
        self.open_apply_manually(self._need_line())

    def on_recon_flows_line_applied_manually(self, message: LineAppliedManually
                                             ) -> None:
        self._changed()

    def action_details(self) -> None:
        self._match_details(self._need_line().id)

    def on_reconciliation_journal_screen_match_details_loaded(
            self, message: MatchDetailsLoaded) -> None:
        self.app.push_screen(TextModal(_("Match details"),
                                       details_text(message.line, self.ctx.number_format)))

    def action_toggle_non_applied(self) -> None:
        self.only_non_applied = not self.only_non_applied
        self.action_reload()

    def action_toggle_sort(self) -> None:
        self.review_sort = not self.review_sort
        self.action_reload()

    def action_import_statement(self) -> None:
        self.open_import(self.bank_no)

    def statement_imported(self, bank: str) -> None:
        if bank != self.bank_no:  # another bank's file: open that bank's journal
            self.app.push_screen(ReconciliationJournalScreen(self.ctx, bank, True))
            return
        self.apply_after_open = True
        self._open_journal(bank)

    def action_setup(self, target: str) -> None:
        """The matching setup screens; coming back reloads the journal (a to re-apply)."""
        self.post_message(Navigate(target))

    def action_review(self) -> None:
        self.app.push_screen(ReviewQueueScreen(self.ctx, self._need_journal().id))

    def action_post(self) -> None:
        journal = self._need_journal()

        def chosen(request: PostRequest | None) -> None:
            if request is None:
                return
            self._post(journal.id, request)

        self.app.push_screen(PostModal(journal, self.ctx.number_format, self.ctx.today()),
                             chosen)

    def on_reconciliation_journal_screen_journal_posted(self, message: JournalPosted) -> None:
        self.posted_message = message.result.message
        self.notify(message.result.message, title=_("Posted"), timeout=10)
        self.action_reload()

    def action_preview(self) -> None:
        self._preview(self._need_journal().id)

    def on_reconciliation_journal_screen_posting_previewed(self, message: PostingPreviewed
                                                           ) -> None:
        self.app.push_screen(TextModal(_("Posting preview"),
                                       post_summary(message.result, self.ctx.number_format)))


def _release_quietly(svc: ReconciliationService, journal_id: int) -> None:
    """Give the journal's claim up; if that fails, it expires by itself."""
    try:
        svc.claims.release(journal_id)
    except Exception:  # the claim then expires (dead process or TTL)
        return
