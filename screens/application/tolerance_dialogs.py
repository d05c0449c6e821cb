"""BC's two tolerance warnings, asked before posting when the setup turns them on
(bc-spec §12): the Payment Discount Tolerance Warning (accept a late payment discount?)
and the Payment Tolerance Warning (post the balance as payment tolerance, or leave it as
a remaining amount?). BC's default answer is the cautious one: do not accept, leave
the balance. Esc cancels the posting altogether.

``AsksDecisions.ask_decisions`` runs the question loop: it asks the core (a worker,
``WarningsLoaded``) which warnings an application raises with the answers given so far,
shows the next unanswered one, and posts ``DecisionsMade`` with the complete answers to
the screen, which posts with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from core.application import (
    ApplicationWarning,
    Decisions,
    LateDiscountWarning,
    PaymentToleranceWarning,
)
from core.i18n import N_, _
from screens.shared.base import BaseScreen
from tui.context import AppServices
from tui.messages import Outcome
from tui.widgets.formatting import NumberFormat, day
from tui.workers import core_worker


@dataclass(frozen=True)
class WarningGroup:
    """The warnings of one application (a journal line, or Post Application)."""

    key: int  # journal line id, or 0 for a Post Application
    caption: str  # "Line 10000 CR000001 C001"
    warnings: tuple[ApplicationWarning, ...]


Answers = dict[int, Decisions]


class _ChoiceModal(ModalScreen[bool | None]):
    """Two answers, the BC default highlighted; Enter takes, Esc cancels posting."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel posting"), id="warning.cancel"),
    ]
    DEFAULT_CSS = """
    _ChoiceModal #warning-options { height: auto; max-height: 4; border: none; }
    _ChoiceModal .warning-keys { color: $text-muted; height: 1; }
    """

    def __init__(self, title: str, body: str, yes: str, no: str) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.body, markup=False)
            yield OptionList(Option(self.yes, id="yes"), Option(self.no, id="no"),
                             id="warning-options")
            yield Static(_("↑↓ choose · Enter confirms · Esc cancels the posting"),
                         classes="warning-keys", markup=False)

    def on_mount(self) -> None:
        options = self.query_one("#warning-options", OptionList)
        options.highlighted = 1  # BC's default: the cautious answer
        options.focus()

    @on(OptionList.OptionSelected, "#warning-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(None)


class LateDiscountWarningModal(_ChoiceModal):
    """Payment Discount Tolerance Warning for one entry."""

    def __init__(self, w: LateDiscountWarning, nf: NumberFormat, caption: str = "") -> None:
        body = (f"{caption}\n" if caption else "") + (
            _("Entry {entry_no} ({document_no}): the payment discount date "
               "{pmt_discount_date} has passed, but the payment is within the grace period "
               "(until {pmt_disc_tolerance_date}).\nRemaining {remaining}, late payment "
               "discount {pmt_discount}.").format(entry_no=w.entry_no, document_no=w.document_no,
               pmt_discount_date=day(w.pmt_discount_date),
               pmt_disc_tolerance_date=day(w.pmt_disc_tolerance_date),
               remaining=nf.amount(w.remaining), pmt_discount=nf.amount(w.pmt_discount)))
        super().__init__(_("Payment Discount Tolerance Warning"), body,
                         _("Accept the late payment discount"),
                         _("Do not accept the late payment discount"))


class PaymentToleranceWarningModal(_ChoiceModal):
    """Payment Tolerance Warning: the balance is within the tolerance."""

    def __init__(self, w: PaymentToleranceWarning, nf: NumberFormat,
                 caption: str = "") -> None:
        kind = "underpayment" if w.balance * (1 if w.applied_amount >= 0 else -1) > 0 \
            else "overpayment"
        body = (f"{caption}\n" if caption else "") + (
            _("The payment of {amount} against {applied_amount} due leaves a balance of "
               "{balance} ({kind}), within the payment tolerance.").format(
               amount=nf.amount(w.amount), applied_amount=nf.amount(w.applied_amount),
               balance=nf.amount(w.balance), kind=kind))
        super().__init__(_("Payment Tolerance Warning"), body,
                         _("Post the balance as payment tolerance"),
                         _("Leave the balance as remaining amount"))


def _modal(w: ApplicationWarning, nf: NumberFormat, caption: str) -> _ChoiceModal:
    if isinstance(w, LateDiscountWarning):
        return LateDiscountWarningModal(w, nf, caption)
    return PaymentToleranceWarningModal(w, nf, caption)


def _answer(d: Decisions, w: ApplicationWarning, accepted: bool) -> Decisions:
    if isinstance(w, LateDiscountWarning):
        return replace(d, late_discount={**d.late_discount, w.entry_no: accepted})
    return replace(d, accept_tolerance=accepted)


class WarningsRequest(Protocol):
    """What is about to be posted, able to ask the core for its warnings (in a worker):
    a batch of the cash receipt journal, an application of posted entries."""

    def warnings(self, services: AppServices, answers: Mapping[int, Decisions]
                 ) -> Sequence[WarningGroup]: ...


@dataclass
class WarningsLoaded(Outcome, namespace="asks_decisions"):
    """The warnings of ``request`` with the ``answers`` given so far."""
    request: WarningsRequest
    answers: Answers
    groups: list[WarningGroup]


@dataclass
class DecisionsMade(Outcome, namespace="asks_decisions"):
    """Every warning of ``request`` is answered: post it with ``answers``."""
    request: WarningsRequest
    answers: Answers


class AsksDecisions(BaseScreen):
    """The question loop before a posting: ``ask_decisions(request)`` asks every warning
    the core reports (asking the core again after each answer, as a late discount
    changes the tolerance question), then posts ``DecisionsMade`` to the screen, which
    handles it in ``on_asks_decisions_decisions_made``. Esc on any question stops:
    nothing is posted."""

    def ask_decisions(self, request: WarningsRequest, answers: Answers | None = None
                      ) -> None:
        self._load_warnings(request, dict(answers or {}))

    @core_worker("warnings")
    def _load_warnings(self, request: WarningsRequest, answers: Answers) -> WarningsLoaded:
        return WarningsLoaded(request, answers,
                              list(request.warnings(self.ctx.services, answers)))

    def on_asks_decisions_warnings_loaded(self, message: WarningsLoaded) -> None:
        answers = message.answers
        for group in message.groups:
            pending = [w for w in group.warnings if not w.answered]
            if pending:
                self._ask(message.request, answers, group, pending[0])
                return
        self.post_message(DecisionsMade(message.request, answers))

    def _ask(self, request: WarningsRequest, answers: Answers, group: WarningGroup,
             w: ApplicationWarning) -> None:
        def answered(accepted: bool | None) -> None:
            if accepted is None:
                self.notify(_("Posting cancelled: nothing was posted."))
                return
            answers[group.key] = _answer(answers.get(group.key, Decisions()), w, accepted)
            self.ask_decisions(request, answers)

        self.app.push_screen(_modal(w, self.ctx.number_format, group.caption), answered)
