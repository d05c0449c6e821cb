"""Payment methods, the customer's default payment method and the per-user Payment
Registration Setup. Every change is audited and checked against the version read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from core.audit import trail as audit
from core.audit.conflicts import conflict
from core.i18n import N_
from core.kernel.errors import NotFoundError, PostingError, Text
from core.kernel.store import Store
from core.kernel.users import os_user
from core.ledger.models import BankAccount, GLAccount, JournalBatch, Party
from core.registration.models import PaymentMethod, RegistrationSetup
from core.registration.sales_types import PaymentMethodView

BAL_TYPES = ("gl_account", "bank_account")
MSG_BAL_TYPE = N_("Bal. Account Type must be gl_account or bank_account, not {bal_type!r}")
MSG_BAL_MISSING = N_("Bal. Account No. must have a value in Payment Registration Setup: "
                     "User ID={user_id}. It cannot be zero or empty.")
MSG_GL = N_("G/L account {account_no} does not exist")
MSG_BANK = N_("Bank account {bank_account_no} does not exist")
MSG_BATCH = N_("Journal batch {batch_id} does not exist")
MSG_CODE = N_("A payment method needs a code (up to 10 characters)")
MSG_METHOD = N_("Payment method {code} does not exist")
MSG_IN_USE = N_("Payment method {code} is the default of customer {customer_no}; "
                "change that first")


@dataclass(frozen=True)
class SetupView:
    user_id: str
    journal_batch_id: int | None
    journal_batch: str  # "template/name"
    bal_account_type: str
    bal_account_no: str
    auto_fill_date_received: bool
    use_as_default: bool = True
    version: int = 0  # 0: not saved yet (defaults)


def check_bal_account(s: Session, bal_type: str, bal_no: str) -> None:
    if bal_type not in BAL_TYPES:
        raise PostingError(MSG_BAL_TYPE, bal_type=bal_type)
    if bal_type == "gl_account" and s.get(GLAccount, bal_no) is None:
        raise NotFoundError(MSG_GL, account_no=bal_no)
    if bal_type == "bank_account" and s.get(BankAccount, bal_no) is None:
        raise NotFoundError(MSG_BANK, bank_account_no=bal_no)


def load_setup(s: Session, user: str) -> SetupView:
    """The user's setup, or the defaults: the first cash receipt batch and its
    balancing account."""
    row = s.get(RegistrationSetup, user)
    batch = s.get(JournalBatch, row.journal_batch_id) if row and row.journal_batch_id \
        else s.exec(select(JournalBatch).where(col(JournalBatch.template) == "cash_receipt")
                    .order_by(col(JournalBatch.id))).first()
    name = f"{batch.template}/{batch.name}" if batch else ""
    if row is not None:
        return SetupView(user, batch.id if batch else None, name, row.bal_account_type,
                         row.bal_account_no, row.auto_fill_date_received,
                         row.use_as_default, row.version)
    bal_type = batch.bal_account_type if batch and batch.bal_account_type else "bank_account"
    bal_no = batch.bal_account_no if batch else ""
    return SetupView(user, batch.id if batch else None, name, bal_type, bal_no, True)


class RegistrationSetupService:
    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user or os_user()

    # --- registration setup ------------------------------------------------------------

    def setup(self) -> SetupView:
        with self.store.read() as s:
            return load_setup(s, self.user)

    def journal_batches(self) -> tuple[tuple[int, str], ...]:
        with self.store.read() as s:
            rows = s.exec(select(JournalBatch).where(col(JournalBatch.template).in_(
                ("cash_receipt", "general"))).order_by(col(JournalBatch.id))).all()
            return tuple((b.id or 0, f"{b.template}/{b.name}") for b in rows)

    def save_setup(self, view: SetupView) -> SetupView:
        with self.store.write() as s:
            if not view.bal_account_no:
                raise PostingError(MSG_BAL_MISSING, user_id=self.user)
            check_bal_account(s, view.bal_account_type, view.bal_account_no)
            if view.journal_batch_id is not None and \
                    s.get(JournalBatch, view.journal_batch_id) is None:
                raise NotFoundError(MSG_BATCH, batch_id=view.journal_batch_id)
            row = s.get(RegistrationSetup, self.user)
            before = audit.snapshot(row) if row else {}
            if row is None:
                row = RegistrationSetup(user_id=self.user)
                s.add(row)
            elif row.version != view.version:
                raise conflict(s, Text(N_("Payment Registration Setup of {user}"),
                                       user=self.user),
                               [("registration_setup", self.user)])
            else:
                row.version += 1
            row.journal_batch_id = view.journal_batch_id
            row.bal_account_type, row.bal_account_no = view.bal_account_type, view.bal_account_no
            row.auto_fill_date_received = view.auto_fill_date_received
            row.use_as_default = view.use_as_default
            s.flush()
            audit.record(s, user=self.user, action="update" if before else "insert",
                         entity="registration_setup", key=self.user,
                         changes=audit.diff(before, audit.snapshot(row)))
            return load_setup(s, self.user)

    # --- payment methods ---------------------------------------------------------------

    def payment_methods(self) -> tuple[PaymentMethodView, ...]:
        with self.store.read() as s:
            return tuple(PaymentMethodView(m.code, m.description, m.bal_account_type,
                                           m.bal_account_no, m.version)
                         for m in s.exec(select(PaymentMethod)
                                         .order_by(col(PaymentMethod.code))).all())

    def save_payment_method(self, view: PaymentMethodView) -> PaymentMethodView:
        """Insert (version 0) or update a payment method."""
        code = view.code.strip().upper()
        if not code or len(code) > 10:
            raise PostingError(MSG_CODE)
        with self.store.write() as s:
            if view.bal_account_no:
                check_bal_account(s, view.bal_account_type, view.bal_account_no)
            row = s.get(PaymentMethod, code)
            before = audit.snapshot(row) if row else {}
            if row is None:
                row = PaymentMethod(code=code)
                s.add(row)
            elif row.version != view.version:
                raise conflict(s, Text(N_("Payment method {code}"), code=code),
                               [("payment_method", code)])
            else:
                row.version += 1
            row.description = view.description
            row.bal_account_type = view.bal_account_type if view.bal_account_no else ""
            row.bal_account_no = view.bal_account_no
            s.flush()
            audit.record(s, user=self.user, action="update" if before else "insert",
                         entity="payment_method", key=code,
                         changes=audit.diff(before, audit.snapshot(row)))
            return PaymentMethodView(row.code, row.description, row.bal_account_type,
                                     row.bal_account_no, row.version)

    def delete_payment_method(self, code: str) -> None:
        with self.store.write() as s:
            row = s.get(PaymentMethod, code)
            if row is None:
                raise NotFoundError(MSG_METHOD, code=code)
            user = s.exec(select(Party.no).where(col(Party.payment_method_code) == code)).first()
            if user is not None:
                raise PostingError(MSG_IN_USE, code=code, customer_no=user)
            audit.record(s, user=self.user, action="delete", entity="payment_method", key=code,
                         changes={k: (v, None) for k, v in audit.snapshot(row).items()})
            s.delete(row)

    def customer_payment_method(self, customer_no: str) -> str:
        with self.store.read() as s:
            party = s.get(Party, ("customer", customer_no))
            if party is None:
                raise NotFoundError(N_("Customer {customer_no} does not exist"),
                                    customer_no=customer_no)
            return party.payment_method_code

    def set_customer_payment_method(self, customer_no: str, code: str) -> None:
        """The customer's default payment method (blank: none)."""
        with self.store.write() as s:
            party = s.get(Party, ("customer", customer_no))
            if party is None:
                raise NotFoundError(N_("Customer {customer_no} does not exist"),
                                    customer_no=customer_no)
            if code and s.get(PaymentMethod, code) is None:
                raise NotFoundError(MSG_METHOD, code=code)
            if party.payment_method_code == code:
                return
            audit.record(s, user=self.user, action="update", entity="customer", key=customer_no,
                         changes={"payment_method_code": (party.payment_method_code, code)})
            party.payment_method_code = code
            party.version += 1
