"""The review queue of a Payment Reconciliation Journal: one line at a time, weakest
match first, with the line, the proposal, the alternatives and the evidence side by
side (stacked when the terminal is narrow).

Every decision is written at once by the service, so work survives quitting: the
queue is simply asked again next time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.reconciliation.types import LineView, TransferResult
from screens.application.support import account_search
from screens.reconciliation.dialogs import (
    TransferDifferenceModal,
    TransferRequest,
    alternatives_text,
    line_text,
    proposal_text,
)
from screens.reconciliation.flows import AccountsLoaded, LineAppliedManually, ReconFlows
from screens.shared.base import title_bar
from screens.shared.lookup import Search
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import label
from tui.workers import core_worker

NARROW = 100  # columns below which the panels stack


@dataclass
class QueueLoaded(Outcome, namespace="review_queue_screen"):
    """The ids of the lines to review, weakest first."""
    line_ids: list[int]


@dataclass
class LineLoaded(Outcome, namespace="review_queue_screen"):
    line: LineView


@dataclass
class LineDecided(Outcome, namespace="review_queue_screen"):
    """A decision (accept, an alternative, a transfer) was written; the line now."""
    line: LineView
    transfer: TransferResult | None = None


class ReviewQueueScreen(ReconFlows):
    """Step through the lines to review of journal ``journal_id``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c,enter", "accept", N_("Accept"), id="review.accept",
                tooltip=N_("Accept the proposal and go to the next line")),
        *[Binding(str(n), f"pick({n})", N_("Alternative") + f" {n}", show=False,
                  id=f"review.pick{n}") for n in range(1, 10)],
        Binding("m", "manual", N_("Manual"), id="review.manual",
                tooltip=N_("Apply Manually: choose the open entries the line pays")),
        Binding("t", "transfer", N_("Transfer"), id="review.transfer",
                tooltip=N_("Transfer Difference to Account")),
        Binding("space,right", "next", N_("Skip"), id="review.next"),
        Binding("left", "previous", N_("Previous"), id="review.previous"),
    ]
    HELP = (N_("c or Enter accepts the proposal, 1-9 applies an alternative, m applies by "
            "hand, t transfers the difference to an account, space or → skips, ← goes "
            "back, Esc returns to the journal. Every decision is saved at once."))
    DEFAULT_CSS = """
    ReviewQueueScreen #review-body { height: 1fr; }
    ReviewQueueScreen #review-body > VerticalScroll { width: 1fr; height: 1fr;
        padding: 0 1; }
    ReviewQueueScreen #review-body.-narrow { layout: vertical; }
    ReviewQueueScreen #review-body.-narrow > VerticalScroll { width: 100%; height: auto;
        max-height: 100%; border-bottom: hkey $primary-darken-2; }
    ReviewQueueScreen #review-position { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, ctx: Context, journal_id: int) -> None:
        super().__init__(ctx)
        self.journal_id = journal_id
        self.queue: list[int] = []
        self.position = 0
        self.line: LineView | None = None

    def screen_title(self) -> str:
        return _("Review queue")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static(_("Loading the lines to review…"), id="review-position", markup=False)
        with Horizontal(id="review-body"):
            with VerticalScroll(id="review-line-box"):
                yield Static("", id="review-line", markup=False)
            with VerticalScroll(id="review-proposal-box"):
                yield Static("", id="review-proposal", markup=False)
                yield Static("", id="review-alternatives", markup=False)
            with VerticalScroll(id="review-evidence-box"):
                yield Static("", id="review-evidence", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        self._layout(self.size.width)
        self._load_queue(self.journal_id)

    @core_worker("load")
    def _load_queue(self, journal_id: int) -> QueueLoaded:
        return QueueLoaded(self.ctx.services.reconciliation.review_queue(journal_id))

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.query_one("#review-body").set_class(width < NARROW, "-narrow")

    def on_review_queue_screen_queue_loaded(self, message: QueueLoaded) -> None:
        self.queue = message.line_ids
        self.position = 0
        self._load()

    def _load(self) -> None:
        if not self.queue or self.position >= len(self.queue):
            self.line = None
            self._show()
            return
        self._load_line(self.queue[self.position])

    @core_worker("line")
    def _load_line(self, line_id: int) -> LineLoaded:
        return LineLoaded(self.ctx.services.reconciliation.match_details(line_id))

    def on_review_queue_screen_line_loaded(self, message: LineLoaded) -> None:
        self.line = message.line
        self._show()

    def _show(self) -> None:
        nf = self.ctx.number_format
        line = self.line
        position = self.query_one("#review-position", Static)
        if line is None:
            position.update(_("Nothing (more) to review. Esc returns to the journal.")
                            if self.queue else _("No lines to review. Esc returns."))
            for name in ("line", "proposal", "alternatives", "evidence"):
                self.query_one(f"#review-{name}", Static).update("")
            return
        state = _("needs review") if line.needs_review else _("done")
        position.update(_("Line {value} of {count} · {state}").format(
                            value=self.position + 1, count=len(self.queue), state=state))
        self.query_one("#review-line", Static).update(line_text(line, nf))
        self.query_one("#review-proposal", Static).update(proposal_text(line, nf))
        self.query_one("#review-alternatives", Static).update(alternatives_text(line))
        evidence = [_("Evidence:"), *[f"• {d}" for d in line.details]] if line.details \
            else [_("Evidence: none")]
        self.query_one("#review-evidence", Static).update("\n".join(evidence))

    def _need_line(self) -> LineView:
        if self.line is None:
            raise LettrageError(_("No line to review here. Esc returns to the journal."))
        return self.line

    def _decided(self, line: LineView) -> None:
        """After a change: move on when the line is settled, else show it again."""
        self.line = line
        if line.needs_review:
            self._show()
        else:
            self.action_next()

    # --- actions ---------------------------------------------------------------------

    def action_accept(self) -> None:
        self._accept(self._need_line().id)

    @core_worker("write")
    def _accept(self, line_id: int) -> LineDecided:
        return LineDecided(self.ctx.services.reconciliation.accept([line_id])[0])

    def action_pick(self, number: int) -> None:
        line = self._need_line()
        if not 1 <= number <= len(line.alternatives):
            raise LettrageError(_("There is no alternative {number} for this line.").format(
                                   number=number))
        entries = line.alternatives[number - 1].entry_nos
        if not entries:
            raise LettrageError(_("This alternative names no open entry; press m to apply "
                                "the line by hand."))
        self._apply_alternative(line.id, entries)

    @core_worker("write")
    def _apply_alternative(self, line_id: int, entries: tuple[int, ...]) -> LineDecided:
        return LineDecided(self.ctx.services.reconciliation.apply_manually(
            line_id, [(e, None) for e in entries]))

    def action_manual(self) -> None:
        self.open_apply_manually(self._need_line())

    def on_recon_flows_line_applied_manually(self, message: LineAppliedManually
                                             ) -> None:
        self._decided(message.line)

    def _account_lookups(self) -> Callable[[str], Search | None]:
        """F4 in the transfer and mapping dialogs: customers, vendors, G/L and banks."""
        queries = self.ctx.services.queries
        return lambda kind: account_search(queries, kind)

    def action_transfer(self) -> None:
        line = self._need_line()
        if line.difference == 0:
            raise LettrageError(_("This line has no difference to transfer."))
        self.with_gl_accounts("transfer", line)

    def on_recon_flows_accounts_loaded(self, message: AccountsLoaded
                                          ) -> None:
        line = message.line

        def chosen(request: TransferRequest | None) -> None:
            if request is not None:
                self._transfer(line.id, request)

        self.app.push_screen(
            TransferDifferenceModal(line, self.ctx.number_format)
            .with_accounts(message.names).with_lookups(self._account_lookups()), chosen)

    @core_worker("write")
    def _transfer(self, line_id: int, request: TransferRequest) -> LineDecided:
        result = self.ctx.services.reconciliation.transfer_difference(
            line_id, request.account_type, request.account_no, request.description)
        return LineDecided(result.line, result)

    def on_review_queue_screen_line_decided(self, message: LineDecided) -> None:
        if message.transfer is None:
            self._decided(message.line)
            return
        result = message.transfer
        line = result.line
        self.notify(result.message or _("Line {line_no} goes to {account_type} {account_no} "
                                        "{account_name}.").format(
                                          line_no=line.line_no,
                                          account_type=label(line.account_type or ""),
                                          account_no=line.account_no,
                                          account_name=line.account_name), timeout=8)
        self._decided(line)

    def action_next(self) -> None:
        if self.position < len(self.queue):
            self.position += 1
        self._load()

    def action_previous(self) -> None:
        if self.position > 0:
            self.position -= 1
        self._load()
