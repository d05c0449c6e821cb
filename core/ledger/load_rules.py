"""Plausibility rules for data entering the company: dates in a sane range, IBAN and
BIC validated (schwifty: country format and check digits), amount signs per document
type as Business Central posts them."""

from __future__ import annotations

import re
from decimal import Decimal

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from core.i18n import N_
from core.kernel.bounds import check_date
from core.kernel.errors import Text
from core.ledger.load_csv import RowError

__all__ = ["check_date", "check_sign", "normalize_bic", "normalize_iban"]

# The sign a document's amount has in BC (customer: + is a debit, what the customer
# owes; vendor: - is a credit, what we owe). Blank document types take either sign.
_POSITIVE = {
    "customer": {"invoice": True, "finance_charge_memo": True, "reminder": True,
                 "refund": True, "credit_memo": False, "payment": False},
    "vendor": {"invoice": False, "finance_charge_memo": False, "reminder": False,
               "refund": False, "credit_memo": True, "payment": True},
}


_SIGN_KIND = {
    ("customer", "invoice"): N_("a customer invoice"),
    ("customer", "finance_charge_memo"): N_("a customer finance charge memo"),
    ("customer", "reminder"): N_("a customer reminder"),
    ("customer", "refund"): N_("a customer refund"),
    ("customer", "credit_memo"): N_("a customer credit memo"),
    ("customer", "payment"): N_("a customer payment"),
    ("vendor", "invoice"): N_("a vendor invoice"),
    ("vendor", "finance_charge_memo"): N_("a vendor finance charge memo"),
    ("vendor", "reminder"): N_("a vendor reminder"),
    ("vendor", "refund"): N_("a vendor refund"),
    ("vendor", "credit_memo"): N_("a vendor credit memo"),
    ("vendor", "payment"): N_("a vendor payment"),
}


def check_sign(party_type: str, document_type: str, amount: Decimal) -> Text | None:
    """Why ``amount`` has the wrong sign for this document type, or None."""
    positive = _POSITIVE.get(party_type, {}).get(document_type)
    if positive is None or amount == 0 or (amount > 0) == positive:
        return None
    kind = _SIGN_KIND[party_type, document_type]
    if document_type == "invoice":
        return Text(N_("{kind} has a {want} amount in the ledger, not {amount} (use a credit "
                       "memo for a negative invoice)"), kind=Text(kind),
                    want=Text(N_("positive") if positive else N_("negative")), amount=amount)
    return Text(N_("{kind} has a {want} amount in the ledger, not {amount}"), kind=Text(kind),
                want=Text(N_("positive") if positive else N_("negative")), amount=amount)


_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}")


def _checksum_ok(compact: str) -> bool:
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def normalize_iban(iban: str, column: str = "iban") -> str:
    """The IBAN in compact form, or a ``RowError`` when it is not an IBAN.

    schwifty checks the country's length and structure. An IBAN it refuses only for
    that, but whose shape and ISO 7064 check digits are right, is kept: a registry
    that lags behind a bank (or a test system's made-up accounts) must not make a
    whole file of bank accounts unloadable, and the check digits already rule out
    typing errors."""
    if not iban.strip():
        return ""
    try:
        return str(IBAN(iban).compact)
    except (SchwiftyException, ValueError) as exc:
        compact = re.sub(r"[\s-]", "", iban).upper()
        if _IBAN_SHAPE.fullmatch(compact) and _checksum_ok(compact):
            return compact
        raise RowError(column, N_("'{value}' is not a valid IBAN ({exc})"),
                       value=iban[:40], exc=exc) from None


def normalize_bic(bic: str, column: str = "bic") -> str:
    if not bic.strip():
        return ""
    try:
        return str(BIC(bic.strip()).compact)
    except (SchwiftyException, ValueError) as exc:
        raise RowError(column, N_("'{value}' is not a valid BIC ({exc})"),
                       value=bic[:20], exc=exc) from None
