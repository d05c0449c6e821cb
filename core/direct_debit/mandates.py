"""Mandates inside a unit of work: create, change, find the customer's valid mandate,
and the ``dd_mandate_id`` columns of ``lettrage load bank-accounts``."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from core.direct_debit.models import DDMandate
from core.direct_debit.rules import (
    DirectDebitError,
    MandateState,
    check_iban,
    check_mandate_fields,
    is_active,
)
from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.ledger.load_csv import RowError
from core.ledger.models import Party, PartyBankAccount

MANDATE_COLUMNS = ("dd_mandate_id", "dd_mandate_valid_from")


def state(m: DDMandate) -> MandateState:
    return MandateState(m.id, m.type_of_payment, m.valid_from, m.valid_to, m.expected_debits,
                        m.debit_counter, m.ignore_expected, m.blocked, m.closed)


def customer_bank(s: Session, customer_no: str, code: str) -> PartyBankAccount:
    if s.get(Party, ("customer", customer_no)) is None:
        raise NotFoundError(N_("Customer {customer_no} does not exist."),
                            customer_no=customer_no)
    bank = s.get(PartyBankAccount, ("customer", customer_no, code))
    if bank is None:
        raise NotFoundError(N_("Customer {customer_no} has no bank account {code}."),
                            customer_no=customer_no, code=code)
    return bank


def add_mandate(s: Session, customer_no: str, bank_account_code: str, mandate_id: str, *,
                valid_from: date | None, valid_to: date | None = None,
                date_of_signature: date | None = None, type_of_payment: str = "recurrent",
                expected_debits: int = 1, ignore_expected: bool = False,
                partner_type: str = "person", is_default: bool = True) -> DDMandate:
    """A new mandate of a customer bank account (its IBAN must be valid)."""
    check_mandate_fields(mandate_id, valid_from, valid_to, type_of_payment, expected_debits)
    if partner_type not in ("person", "company"):
        raise DirectDebitError(N_("Partner Type must be person or company, not '{value}'."),
                               value=partner_type)
    bank = customer_bank(s, customer_no, bank_account_code)
    if not bank.iban:
        raise DirectDebitError(N_("Bank account {code} of customer {customer_no} has no IBAN; "
                                  "a mandate needs one."), code=bank_account_code,
                               customer_no=customer_no)
    check_iban(bank.iban)
    if s.get(DDMandate, mandate_id) is not None:
        raise DirectDebitError(N_("Mandate {mandate_id} already exists."), mandate_id=mandate_id)
    if is_default:
        for other in s.exec(select(DDMandate).where(DDMandate.customer_no == customer_no,
                                                    col(DDMandate.is_default).is_(True))):
            other.is_default, other.version = False, other.version + 1
    m = DDMandate(id=mandate_id, customer_no=customer_no, bank_account_code=bank_account_code,
                  valid_from=valid_from, valid_to=valid_to,
                  date_of_signature=date_of_signature or valid_from,
                  type_of_payment=type_of_payment, partner_type=partner_type,
                  expected_debits=expected_debits, ignore_expected=ignore_expected,
                  is_default=is_default)
    s.add(m)
    s.flush()
    return m


def get_mandate(s: Session, mandate_id: str, lock: bool = False) -> DDMandate:
    q = select(DDMandate).where(DDMandate.id == mandate_id)
    m = s.exec(q.with_for_update() if lock else q).first()
    if m is None:
        raise NotFoundError(N_("Mandate {mandate_id} does not exist."), mandate_id=mandate_id)
    return m


def valid_mandate(s: Session, customer_no: str, day: date,
                  cache: dict[str, DDMandate | None] | None = None) -> DDMandate | None:
    """The customer's default mandate when active on ``day``, else any active one."""
    if cache is not None and customer_no in cache:
        return cache[customer_no]
    found = None
    rows = s.exec(select(DDMandate).where(DDMandate.customer_no == customer_no)
                  .order_by(col(DDMandate.is_default).desc(), col(DDMandate.id))).all()
    for m in rows:
        if is_active(state(m), day):
            found = m
            break
    if cache is not None:
        cache[customer_no] = found
    return found


def mandate_row_hook(today: date) -> Any:
    """For ``LoadingService.load_bank_accounts``: a recurrent mandate on the account when
    the row has ``dd_mandate_id`` (valid from ``dd_mandate_valid_from`` or today)."""
    seen: set[str] = set()

    def hook(s: Session, row: dict[str, str], account: PartyBankAccount) -> list[Any]:
        mid = (row.get("dd_mandate_id") or "").strip()
        if not mid:
            return []
        if account.party_type != "customer":
            raise RowError("dd_mandate_id", N_("only customers' bank accounts have mandates"))
        start_text = (row.get("dd_mandate_valid_from") or "").strip()
        try:
            start = date.fromisoformat(start_text) if start_text else today
        except ValueError:
            raise RowError("dd_mandate_valid_from", N_("'{start_text}' is not a date "
                                                       "(YYYY-MM-DD)"),
                           start_text=start_text) from None
        try:
            check_mandate_fields(mid, start, None, "recurrent", 1)
            check_iban(account.iban)
        except DirectDebitError as exc:
            raise RowError("dd_mandate_id", str(exc)) from None
        if mid in seen or s.get(DDMandate, mid) is not None:
            raise RowError("dd_mandate_id", N_("mandate {mid} already exists"), mid=mid)
        seen.add(mid)
        return [DDMandate(id=mid, customer_no=account.party_no, bank_account_code=account.code,
                          valid_from=start, date_of_signature=start, type_of_payment="recurrent",
                          expected_debits=1, ignore_expected=True, is_default=True)]

    return hook
