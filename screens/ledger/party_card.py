"""Customer / Vendor Card (BC pages 21 and 26): master data, balance, overdue balance,
bank accounts and blocked status; F2 edits it with an optimistic version check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from core.i18n import N_, _
from core.kernel.errors import ConflictError
from core.ledger.drafts import party_title
from core.ledger.parties import PartyChanges
from core.prediction.service import ModelStatus, PredictionView
from core.queries.types import PartyCard
from core.reports.figures import CustomerFigures
from screens.collections.documents import CollectionsListScreen
from screens.direct_debit.mandates import MandatesScreen
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_edit import PartyEditModal
from screens.prediction.figures import prediction_lines
from screens.registration.payment_registration import PaymentRegistrationScreen
from screens.registration.sales_documents import SalesDocumentsScreen
from screens.registration.setup_screens import RegistrationFlows
from screens.reports.figures import figure_lines
from screens.reports.statement import StatementScreen
from screens.shared.base import title_bar
from tui.context import Context
from tui.messages import CommandFailed, Outcome
from tui.widgets.footer import FitFooter
from tui.widgets.formatting import label
from tui.workers import core_worker


@dataclass
class CardLoaded(Outcome, namespace="party_card_screen"):
    card: PartyCard


@dataclass
class PredictionsLoaded(Outcome, namespace="party_card_screen"):
    status: ModelStatus
    predictions: list[PredictionView]


@dataclass
class FiguresLoaded(Outcome, namespace="party_card_screen"):
    figures: CustomerFigures


@dataclass
class PartySaved(Outcome, namespace="party_card_screen"):
    card: PartyCard


class PartyCardScreen(RegistrationFlows):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,ctrl+f7", "entries", N_("Ledger entries"), id="card.entries"),
        Binding("u", "overdue", N_("Overdue entries"), id="card.overdue"),
        Binding("m", "reminders", N_("Reminders"), id="card.reminders", show=False,
                tooltip=N_("This customer's reminders and finance charge memos")),
        Binding("f2,ctrl+e", "edit", N_("Edit"), id="card.edit"),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="card.refresh", show=False),
        # registration (issue #17): the customer's open documents / a new sales invoice
        Binding("x", "registration", N_("Register payments"), id="card.registration",
                show=False),
        Binding("s", "sales", N_("Sales documents"), id="card.sales", show=False),
        Binding("p", "payment_method", N_("Payment method"), id="card.payment_method",
                show=False),
        Binding("d", "mandates", N_("Direct debit mandates"), id="card.mandates", show=False),
        # reports (#19): the customer statement
        Binding("t", "statement", N_("Statement"), id="card.statement"),
    ]
    HELP = (N_("F2 (or Ctrl+E) edits the card. If another clerk saved it meanwhile, the save "
            "is refused with who changed what; the card reloads to show their change, "
            "then edit again. F5 reloads the card."))

    def __init__(self, ctx: Context, party_type: str, no: str) -> None:
        super().__init__(ctx)
        self.party_type, self.no = party_type, no
        self.card: PartyCard | None = None

    def screen_title(self) -> str:
        return _("{title} Card {no}").format(title=party_title(self.party_type), no=self.no)

    def compose(self) -> ComposeResult:
        yield title_bar(_("{title} Card — {no}").format(title=party_title(self.party_type),
                                                        no=self.no))
        with VerticalScroll(id="card"):
            with Horizontal(id="card-columns"):
                yield Static(_("Loading…"), id="general", markup=False)
                yield Static("", id="balances", markup=False)
            yield Static("", id="banks", markup=False)
            yield Static("", id="prediction", markup=False)  # late payment prediction
            yield Static("", id="card-figures", markup=False)  # reports (#19)
        yield FitFooter()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @on(CommandFailed)
    def _reload_after_conflict(self, message: CommandFailed) -> None:
        """A refused save shows the other clerk's change at once (the message still
        bubbles to the app, which shows it)."""
        if isinstance(message.error, ConflictError):
            self.load()

    def load(self) -> None:
        self._load_card(self.party_type, self.no)
        if self.party_type == "customer":
            self._load_predictions(self.no)
            self._load_figures(self.no)  # reports (#19)

    @core_worker("load")
    def _load_card(self, party_type: str, no: str) -> CardLoaded:
        return CardLoaded(self.ctx.services.queries.party_card(party_type, no))

    def on_party_card_screen_card_loaded(self, message: CardLoaded) -> None:
        self.show(message.card)

    @core_worker("prediction")
    def _load_predictions(self, no: str) -> PredictionsLoaded:
        prediction = self.ctx.services.prediction
        return PredictionsLoaded(prediction.status(), prediction.predictions(no))

    @core_worker("figures")
    def _load_figures(self, no: str) -> FiguresLoaded:
        return FiguresLoaded(self.ctx.services.reports.customer_figures(no))

    def on_party_card_screen_figures_loaded(self, message: FiguresLoaded) -> None:
        self.query_one("#card-figures", Static).update(figure_lines(message.figures))

    def action_statement(self) -> None:  # reports (#19)
        if self.party_type == "customer":
            self.app.push_screen(StatementScreen(self.ctx, self.no))

    def on_party_card_screen_predictions_loaded(self, message: PredictionsLoaded) -> None:
        self.query_one("#prediction", Static).update(
            prediction_lines(message.status, message.predictions))

    def show(self, card: PartyCard) -> None:
        self.card = card
        nf = self.ctx.number_format
        self.query_one("#title", Static).update(
            _("{title} Card — {no} {name}").format(title=party_title(card.party_type), no=card.no,
               name=card.name))
        general = [
            (_("Name"), card.name),
            (_("Address"), card.address),
            (_("City"), f"{card.post_code} {card.city}".strip()),
            (_("Country"), card.country),
            (_("E-mail"), card.email),
            (_("VAT no."), card.vat_no),
        ]
        balances = [
            (_("Balance"), nf.amount(card.balance)),
            (_("Overdue"), nf.amount(card.overdue)),
            (_("Open entries"), str(card.open_entries)),
            (_("Payment terms"), card.payment_terms_code),
            (_("Blocked"), label(card.blocked) if card.blocked else _("No")),
            (_("Privacy blocked"), _("Yes") if card.privacy_blocked else _("No")),
            (_("Application"), label(card.application_method)),
        ]
        self.query_one("#general", Static).update(_lines(general))
        self.query_one("#balances", Static).update(_lines(balances))
        self.query_one("#balances", Static).set_class(card.overdue != 0, "-overdue")
        banks = [f"{b.code:<8} {b.iban or b.bank_account_no}  {b.bic}  {b.name}".rstrip()
                 for b in card.bank_accounts]
        self.query_one("#banks", Static).update(
            _("Bank accounts\n") + ("\n".join(banks) if banks else "(none)"))

    def action_entries(self) -> None:
        name = self.card.name if self.card else ""
        self.app.push_screen(LedgerEntriesScreen(self.ctx, self.party_type, self.no, name))

    def action_overdue(self) -> None:
        name = self.card.name if self.card else ""
        self.app.push_screen(LedgerEntriesScreen(self.ctx, self.party_type, self.no, name,
                                                 overdue=True))

    def action_registration(self) -> None:  # registration (issue #17)
        if self.party_type == "customer":
            self.app.push_screen(PaymentRegistrationScreen(self.ctx, self.no))

    def action_sales(self) -> None:  # registration (issue #17)
        if self.party_type == "customer":
            self.app.push_screen(SalesDocumentsScreen(self.ctx, self.no))

    def action_payment_method(self) -> None:  # registration (issue #17)
        if self.party_type == "customer":
            self.edit_customer_payment_method(self.no)

    def action_reminders(self) -> None:  # collections (#18)
        if self.party_type == "customer":
            self.app.push_screen(CollectionsListScreen(self.ctx, "reminder", "issued",
                                                       customer_no=self.no))

    def action_mandates(self) -> None:  # SEPA direct debit (#20)
        if self.party_type == "customer":
            self.app.push_screen(MandatesScreen(self.ctx, self.no))

    def action_edit(self) -> None:
        if self.card is None:
            return
        card = self.card

        def edited(changes: PartyChanges | None) -> None:
            if changes is not None:
                self.save(card.version, changes)

        self.app.push_screen(PartyEditModal(card), edited)

    def save(self, version: int, changes: PartyChanges) -> None:
        self._save(self.party_type, self.no, version, changes)

    @core_worker("save")
    def _save(self, party_type: str, no: str, version: int, changes: PartyChanges
              ) -> PartySaved:
        return PartySaved(self.ctx.services.parties.update_party(party_type, no, version,
                                                                 changes))

    def on_party_card_screen_party_saved(self, message: PartySaved) -> None:
        card = message.card
        self.show(card)
        self.notify(_("{title} {no} saved").format(title=party_title(card.party_type), no=card.no))


CARD_HALF = 37  # cells of one half of the card at 80 columns


def _lines(pairs: list[tuple[str, str]], width: int = CARD_HALF) -> str:
    """``Label: value`` lines, the labels as wide as the longest; a value too long for
    the half of the card continues on the next line under the value, never under the
    labels (an e-mail read as the next field's)."""
    pad = max(len(k) for k, _v in pairs) + 2
    room = max(width - pad, 10)
    out = []
    for k, v in pairs:
        chunks = [v[i:i + room] for i in range(0, len(v), room)] or [""]
        out.append(f"{k + ':':<{pad}}{chunks[0]}")
        out += [" " * pad + chunk for chunk in chunks[1:]]
    return "\n".join(out)
