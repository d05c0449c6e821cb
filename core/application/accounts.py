"""Journal line accounts: does the number typed in exist, and its name."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from core.i18n import N_, _
from core.ledger.models import BankAccount, GLAccount, Party

ACCOUNT_KINDS = {"customer": N_("Customer"), "vendor": N_("Vendor"),
                 "gl_account": N_("G/L account"), "bank_account": N_("Bank account")}


def unknown_accounts(s: Session, kind: str, no: str, bal_kind: str, bal_no: str) -> list[str]:
    """Why the line's account or balancing account cannot be used, in the clerk's words
    (an unknown number typed in: ``Customer C99999 does not exist``)."""
    out = []
    for role, k, n in ((N_("Account"), kind, no), (N_("Bal. account"), bal_kind, bal_no)):
        if n and not account_name(s, k, n):
            out.append(_("{role}: {kind} {no} does not exist (F4 looks it up)").format(
                role=_(role), kind=_(ACCOUNT_KINDS.get(k, k)), no=n))
    return out


def account_name(s: Session, account_type: str, no: str) -> str:
    if account_type in ("customer", "vendor"):
        party = s.get(Party, (account_type, no))
        return party.name if party else ""
    model: Any = {"bank_account": BankAccount, "gl_account": GLAccount}.get(account_type)
    found = s.get(model, no) if model is not None else None
    return str(found.name) if found is not None else ""
