"""Pure rules of SEPA direct debit (bc-spec §10): mandate activity, sequence types and
counters, and the checks of IBAN, BIC and the SEPA creditor identifier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError

from core.i18n import N_
from core.kernel.errors import LettrageError


class DirectDebitError(LettrageError):
    """A direct-debit rule refused the operation."""


@dataclass(frozen=True)
class MandateState:
    """What the rules need of a mandate."""

    id: str
    type_of_payment: str  # recurrent | one_off
    valid_from: date | None
    valid_to: date | None
    expected_debits: int
    debit_counter: int
    ignore_expected: bool = False
    blocked: bool = False
    closed: bool = False


def is_active(m: MandateState, day: date) -> bool:
    """Not blocked or closed, and Valid From <= day <= Valid To (blank To = open)."""
    if m.blocked or m.closed:
        return False
    if m.valid_from is not None and day < m.valid_from:
        return False
    return m.valid_to is None or day <= m.valid_to


def sequence_type(m: MandateState) -> str:
    """OOFF for a one-off mandate; FRST at counter 0; FNAL when the counter reaches
    expected - 1 (unless expected debits are ignored); RCUR otherwise."""
    if m.type_of_payment == "one_off":
        return "OOFF"
    if m.debit_counter == 0:
        return "FRST"
    if not m.ignore_expected and m.debit_counter >= m.expected_debits - 1:
        return "FNAL"
    return "RCUR"


def after_debit(counter: int, expected: int, ignore_expected: bool) -> tuple[int, bool]:
    """The counter after one more debit, and whether the mandate is now closed."""
    counter += 1
    return counter, (not ignore_expected and counter >= expected)


def check_mandate_fields(mandate_id: str, valid_from: date | None, valid_to: date | None,
                         type_of_payment: str, expected: int) -> None:
    if not mandate_id.strip():
        raise DirectDebitError(N_("Enter the mandate ID."))
    if len(mandate_id) > 35 or not re.fullmatch(r"[A-Za-z0-9+?/:().,' -]+", mandate_id):
        raise DirectDebitError(N_("Mandate ID '{mandate_id}' is not valid: up to 35 letters, "
                                  "digits and + ? / - : ( ) . , ' or spaces."),
                               mandate_id=mandate_id)
    if valid_from and valid_to and valid_to <= valid_from:
        raise DirectDebitError(N_("Valid To must be after Valid From."))
    if type_of_payment not in ("recurrent", "one_off"):
        raise DirectDebitError(N_("Type of Payment must be recurrent or one_off, not "
                                  "'{value}'."), value=type_of_payment)
    if type_of_payment == "one_off" and expected > 1:
        raise DirectDebitError(N_("Expected Number of Debits must be 1 for a one-off "
                                  "mandate."))
    if expected < 1:
        raise DirectDebitError(N_("Expected Number of Debits must be at least 1."))


def check_iban(value: str) -> str:
    """The IBAN in compact form, or a clear error."""
    try:
        return str(IBAN(value).compact)
    except (SchwiftyException, ValueError) as exc:
        raise DirectDebitError(N_("'{value}' is not a valid IBAN ({reason})."),
                               value=value[:40], reason=str(exc)) from None


def check_bic(value: str) -> str:
    """The BIC in compact form ('' stays ''), or a clear error."""
    if not value.strip():
        return ""
    try:
        return str(BIC(value.strip()).compact)
    except (SchwiftyException, ValueError) as exc:
        raise DirectDebitError(N_("'{value}' is not a valid BIC ({reason})."),
                               value=value[:20], reason=str(exc)) from None


def check_creditor_id(value: str) -> str:
    """The SEPA creditor identifier (AT-02) in compact form, or a clear error."""
    try:
        return str(at_02.validate(value))
    except ValidationError as exc:
        raise DirectDebitError(N_("'{value}' is not a valid SEPA creditor identifier "
                                  "({reason})."), value=value[:40], reason=str(exc)) from None
