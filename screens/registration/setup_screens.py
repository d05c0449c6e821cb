"""Payment methods (list and edit) and the per-user Payment Registration Setup."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from core.i18n import N_, _
from core.kernel.money import parse_amount
from core.queries.types import Page, PageRequest
from core.registration.sales_types import PaymentMethodView
from screens.reconciliation.dialogs import TextModal
from screens.registration.forms import Field, FormModal
from screens.shared.base import BaseScreen, ListScreen
from screens.shared.confirm import ConfirmModal
from tui.context import AppServices, Context
from tui.widgets.lazy_table import Column, Fetch


def services(ctx: Context) -> AppServices:
    """The app's services (registration uses ``sales``, ``registration`` and
    ``registration_setup``)."""
    return ctx.services


BAL_TYPES = ((N_("Bank account"), "bank_account"), (N_("G/L account"), "gl_account"))
METHOD_BAL_TYPES = ((N_("None"), ""), *BAL_TYPES)


def edit_setup(screen: BaseScreen, then: Callable[[Any], object]) -> None:
    """Load the clerk's setup, ask for changes, save them; ``then`` gets the saved one."""
    svc = services(screen.ctx).registration_setup

    def loaded(data: tuple[Any, tuple[tuple[int, str], ...]]) -> None:
        setup, batches = data
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
            new = type(setup)(**{**setup.__dict__,
                                 "journal_batch_id": int(values["batch"]) if values["batch"]
                                 else None, "bal_account_type": values["bal_type"],
                                 "bal_account_no": values["bal_no"],
                                 "auto_fill_date_received": bool(values["auto"])})
            screen.query_core(lambda: svc.save_setup(new), then, group="setup-save")

        screen.app.push_screen(FormModal(_("Payment Registration Setup ({user_id})").format(
                                            user_id=setup.user_id),
                                         fields), done)

    screen.query_core(lambda: (svc.setup(), svc.journal_batches()), loaded, group="setup")


def edit_customer_payment_method(screen: BaseScreen, customer_no: str) -> None:
    """Choose the customer's default payment method (new sales documents take it)."""
    svc = services(screen.ctx).registration_setup

    def loaded(data: tuple[tuple[PaymentMethodView, ...], str]) -> None:
        methods, current = data
        choices = ((_("None"), ""), *((f"{m.code} {m.description}", m.code) for m in methods))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                screen.query_core(lambda: svc.set_customer_payment_method(
                    customer_no, values["method"]), lambda _v: screen.notify(
                    _("Customer {customer_no}: payment method {value}").format(
                       customer_no=customer_no, value=values['method'] or 'none')),
                    group="method-save")

        screen.app.push_screen(FormModal(_("Payment method of customer {customer_no}").format(
                                            customer_no=customer_no), [
            Field("method", _("Payment Method"), current, "choice", choices)]), done)

    screen.query_core(lambda: (svc.payment_methods(), svc.customer_payment_method(customer_no)),
                      loaded, group="method")


def search_documents(screen: BaseScreen) -> None:
    """Search Documents: by document no. and by amount with a tolerance %, over posted
    open entries and unposted sales documents."""
    fields = [Field("no", _("Document No.")), Field("amount", _("Amount")),
              Field("tol", _("Amount Tolerance %"), "0")]
    reg, nf = services(screen.ctx).registration, screen.ctx.number_format

    def found(hits: tuple[Any, ...]) -> None:
        body = "\n".join(f"{h.source:<22.22} {h.document_no:<10} {h.customer_no:<7} "
                         f"{nf.amount(h.amount):>12}  {h.name[:18]}" for h in hits)
        screen.app.push_screen(TextModal(_("Search Documents: {count} found").format(
                                            count=len(hits)),
                                         body or _("No documents match.")))

    def done(values: dict[str, str] | None) -> None:
        if not values:
            return
        try:
            amount = parse_amount(values["amount"]) if values["amount"] else Decimal(0)
            tol = parse_amount(values["tol"] or "0")
        except ValueError as exc:
            screen.notify(str(exc), severity="warning")
            return
        screen.query_core(lambda: reg.search_documents(values["no"], amount, tol), found,
                          group="find")

    screen.app.push_screen(FormModal(_("Search Documents"), fields), done)


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
        svc = services(self.ctx).registration_setup

        def done(values: dict[str, str] | None) -> None:
            if not values:
                return
            view = PaymentMethodView(values["code"] if method is None else m.code,
                                     values["description"], values["bal_type"],
                                     values["bal_no"], m.version)
            self.query_core(lambda: svc.save_payment_method(view),
                            lambda _v: self.refresh_list(), group="save")

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
        svc = services(self.ctx).registration_setup

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_core(lambda: svc.delete_payment_method(m.code),
                                lambda _v: self.refresh_list(), group="delete")

        self.app.push_screen(ConfirmModal(_("Delete payment method {code}?").format(code=m.code)),
                             answered)
