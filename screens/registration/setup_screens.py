"""Payment methods (list and edit) and the per-user Payment Registration Setup."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from core.i18n import N_, _
from core.kernel.money import parse_amount
from core.queries.types import Page, PageRequest
from core.registration.sales_types import PaymentMethodView
from core.registration.service import DocumentHit
from core.registration.setup import SetupView
from screens.reconciliation.dialogs import TextModal
from screens.registration.forms import Field, FormModal
from screens.shared.base import BaseScreen, ListScreen
from screens.shared.confirm import ConfirmModal
from tui.context import AppServices, Context
from tui.messages import Outcome
from tui.widgets.lazy_table import Column, Fetch
from tui.workers import core_worker


def services(ctx: Context) -> AppServices:
    """The app's services (registration uses ``sales``, ``registration`` and
    ``registration_setup``)."""
    return ctx.services


BAL_TYPES = ((N_("Bank account"), "bank_account"), (N_("G/L account"), "gl_account"))
METHOD_BAL_TYPES = ((N_("None"), ""), *BAL_TYPES)


@dataclass
class SetupFormLoaded(Outcome, namespace="registration_flows"):
    """The clerk's Payment Registration Setup and the journal batches to choose from."""
    setup: SetupView
    batches: tuple[tuple[int, str], ...]


@dataclass
class SetupSaved(Outcome, namespace="registration_flows"):
    setup: SetupView


@dataclass
class MethodFormLoaded(Outcome, namespace="registration_flows"):
    """The payment methods and the customer's current one."""
    customer_no: str
    methods: tuple[PaymentMethodView, ...]
    current: str


@dataclass
class CustomerMethodSet(Outcome, namespace="registration_flows"):
    customer_no: str
    code: str


@dataclass
class DocumentsFound(Outcome, namespace="registration_flows"):
    hits: tuple[DocumentHit, ...]


class RegistrationFlows(BaseScreen):
    """The setup and search dialogs of payment registration, for the screens that open
    them: each step a worker posting a typed message. A screen that edits the setup
    handles ``on_registration_flows_setup_saved``."""

    # --- Payment Registration Setup ------------------------------------------------------

    def edit_setup(self) -> None:
        """Load the clerk's setup, ask for changes, save them (``SetupSaved``)."""
        self._load_setup_form()

    @core_worker("setup")
    def _load_setup_form(self) -> SetupFormLoaded:
        svc = services(self.ctx).registration_setup
        return SetupFormLoaded(svc.setup(), svc.journal_batches())

    def on_registration_flows_setup_form_loaded(self, message: SetupFormLoaded) -> None:
        setup, batches = message.setup, message.batches
        fields = [
            Field("batch", _("Journal batch"), str(setup.journal_batch_id or ""), "choice",
                  tuple((name, str(bid)) for bid, name in batches)),
            Field("bal_type", _("Bal. Account Type"), setup.bal_account_type, "choice",
                  BAL_TYPES),
            Field("bal_no", _("Bal. Account No."), setup.bal_account_no),
            Field("auto", _("Auto fill Date Received"),
                  "1" if setup.auto_fill_date_received else "", "check")]

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            self._save_setup(type(setup)(**{
                **setup.__dict__,
                "journal_batch_id": int(values["batch"]) if values["batch"] else None,
                "bal_account_type": values["bal_type"], "bal_account_no": values["bal_no"],
                "auto_fill_date_received": bool(values["auto"])}))

        self.app.push_screen(FormModal(_("Payment Registration Setup ({user_id})").format(
                                          user_id=setup.user_id), fields), done)

    @core_worker("setup-save")
    def _save_setup(self, new: SetupView) -> SetupSaved:
        return SetupSaved(services(self.ctx).registration_setup.save_setup(new))

    # --- the customer's payment method ---------------------------------------------------

    def edit_customer_payment_method(self, customer_no: str) -> None:
        """Choose the customer's default payment method (new sales documents take it)."""
        self._load_method_form(customer_no)

    @core_worker("method")
    def _load_method_form(self, customer_no: str) -> MethodFormLoaded:
        svc = services(self.ctx).registration_setup
        return MethodFormLoaded(customer_no, svc.payment_methods(),
                                svc.customer_payment_method(customer_no))

    def on_registration_flows_method_form_loaded(self, message: MethodFormLoaded) -> None:
        customer_no = message.customer_no
        choices = ((_("None"), ""), *((f"{m.code} {m.description}", m.code)
                                      for m in message.methods))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._set_customer_method(customer_no, values["method"])

        self.app.push_screen(FormModal(_("Payment method of customer {customer_no}").format(
                                            customer_no=customer_no), [
            Field("method", _("Payment Method"), message.current, "choice", choices)]), done)

    @core_worker("method-save")
    def _set_customer_method(self, customer_no: str, code: str) -> CustomerMethodSet:
        services(self.ctx).registration_setup.set_customer_payment_method(customer_no, code)
        return CustomerMethodSet(customer_no, code)

    def on_registration_flows_customer_method_set(self, message: CustomerMethodSet) -> None:
        self.notify(_("Customer {customer_no}: payment method {value}").format(
                       customer_no=message.customer_no, value=message.code or 'none'))

    # --- Search Documents ----------------------------------------------------------------

    def search_documents(self) -> None:
        """Search Documents: by document no. and by amount with a tolerance %, over
        posted open entries and unposted sales documents."""
        fields = [Field("no", _("Document No.")), Field("amount", _("Amount")),
                  Field("tol", _("Amount Tolerance %"), "0")]

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            try:
                amount = parse_amount(values["amount"]) if values["amount"] else Decimal(0)
                tol = parse_amount(values["tol"] or "0")
            except ValueError as exc:
                self.notify(str(exc), severity="warning")
                return
            self._search(values["no"], amount, tol)

        self.app.push_screen(FormModal(_("Search Documents"), fields), done)

    @core_worker("find")
    def _search(self, document_no: str, amount: Decimal, tol: Decimal) -> DocumentsFound:
        return DocumentsFound(services(self.ctx).registration.search_documents(
            document_no, amount, tol))

    def on_registration_flows_documents_found(self, message: DocumentsFound) -> None:
        hits, nf = message.hits, self.ctx.number_format
        # 67 cells: one line per document inside the 80-column dialog
        body = "\n".join(f"{h.source:<19.19} {h.document_no:<10} {h.customer_no:<7} "
                         f"{nf.amount(h.amount):>12}  {h.name[:14]}" for h in hits)
        self.app.push_screen(TextModal(_("Search Documents: {count} found").format(
                                          count=len(hits)), body or _("No documents match.")))


@dataclass
class MethodsChanged(Outcome, namespace="payment_methods_screen"):
    """A payment method was saved or deleted."""


class PaymentMethodsScreen(ListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New"), id="methods.new"),
        Binding("enter", "edit", N_("Edit"), id="methods.edit"),
        Binding("delete", "delete", N_("Delete"), id="methods.delete"),
    ]
    SORTABLE = SEARCHABLE = False
    TITLE_TEXT = N_("Payment Methods")
    HELP = (N_("A payment method with a balancing account pays an invoice when it is posted "
            "(PayPal, card, cash): the payment is posted and applied in the same register."))

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)

    def columns(self) -> list[Column]:
        return [Column(_("Code"), 10, lambda m: m.code),
                Column(_("Description"), 0, lambda m: m.description),
                Column(_("Bal. type"), 12, lambda m: m.bal_account_type.replace("_", " ")),
                Column(_("Bal. no."), 10, lambda m: m.bal_account_no)]

    def filter_words(self) -> list[str]:
        return [_("n new · Enter edit · Del delete")]

    def make_fetch(self) -> Fetch:
        svc = services(self.ctx).registration_setup

        def fetch(_request: PageRequest) -> Any:
            return Page.whole(svc.payment_methods())

        return fetch

    def _form(self, method: PaymentMethodView | None) -> None:
        m = method or PaymentMethodView("", "", "", "", 0)
        fields = [Field("code", _("Code"), m.code), Field("description", _("Description"),
                                                      m.description),
                  Field("bal_type", _("Bal. Account Type"), m.bal_account_type, "choice",
                        METHOD_BAL_TYPES),
                  Field("bal_no", _("Bal. Account No."), m.bal_account_no)]

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            view = PaymentMethodView(values["code"] if method is None else m.code,
                                     values["description"], values["bal_type"],
                                     values["bal_no"], m.version)
            self._save_method(view)

        self.app.push_screen(FormModal(_("Payment method"), fields), done)

    def action_new(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        if self.table.cursor_value is not None:
            self._form(self.table.cursor_value)

    def action_delete(self) -> None:
        m = self.table.cursor_value
        if m is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_method(m.code)

        self.app.push_screen(ConfirmModal(_("Delete payment method {code}?").format(code=m.code)),
                             answered)

    @core_worker("save")
    def _save_method(self, view: PaymentMethodView) -> MethodsChanged:
        services(self.ctx).registration_setup.save_payment_method(view)
        return MethodsChanged()

    @core_worker("delete")
    def _delete_method(self, code: str) -> MethodsChanged:
        services(self.ctx).registration_setup.delete_payment_method(code)
        return MethodsChanged()

    def on_payment_methods_screen_methods_changed(self, message: MethodsChanged) -> None:
        self.refresh_list()
