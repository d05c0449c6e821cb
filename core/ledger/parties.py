"""Editing customer and vendor cards, with an optimistic version check.

A card is read with its ``version``; saving sends that version back. If another clerk
saved the card meanwhile the version has moved and the save is refused with a
``ConflictError`` instead of silently overwriting their change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from core.audit import trail as audit
from core.audit.conflicts import conflict
from core.i18n import N_
from core.kernel.errors import LettrageError, NotFoundError, Text
from core.kernel.store import Store, today
from core.kernel.users import os_user
from core.ledger.drafts import party_title
from core.ledger.models import Party, PaymentTerms
from core.queries.parties import party_card
from core.queries.types import PartyCard

BLOCKED_VALUES = {"customer": ("", "ship", "invoice", "all"), "vendor": ("", "payment", "all")}
APPLICATION_METHODS = ("manual", "apply_to_oldest")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PartyChanges:
    """The editable fields of a card; ``None`` leaves a field as it is."""

    name: str | None = None
    address: str | None = None
    post_code: str | None = None
    city: str | None = None
    country: str | None = None
    email: str | None = None
    vat_no: str | None = None
    payment_terms_code: str | None = None
    blocked: str | None = None
    privacy_blocked: bool | None = None
    application_method: str | None = None
    block_payment_tolerance: bool | None = None


class PartyService:
    """Use cases on customer and vendor master data."""

    def __init__(self, store: Store, today: Callable[[], date] = today,
                 user: str | None = None) -> None:
        self.store = store
        self.today = today
        self.user = user or os_user()

    def update_party(self, party_type: str, no: str, expected_version: int,
                     changes: PartyChanges) -> PartyCard:
        """Save ``changes`` to the card if nobody changed it since ``expected_version``.

        Raises:
            NotFoundError: the party does not exist.
            ConflictError: the card was changed by someone else meanwhile.
            LettrageError: a value is invalid (the message says which and why).
        """
        with self.store.write() as s:
            party = s.get(Party, (party_type, no))
            if party is None:
                raise NotFoundError(N_("{party_type} {no} does not exist"),
                                    party_type=party_title(party_type), no=no)
            if party.version != expected_version:
                raise conflict(s, Text(N_("{party} {no}"), party=party_title(party_type),
                                       no=no), [(party_type, no)],
                               hint=N_("reload the card to see it, then edit again"))
            validate(party_type, changes)
            if changes.payment_terms_code and s.get(PaymentTerms,
                                                    changes.payment_terms_code) is None:
                raise LettrageError(N_("Payment terms '{payment_terms_code}' do not exist; "
                                       "choose an existing code"),
                                    payment_terms_code=changes.payment_terms_code)
            block_before = party.block_payment_tolerance
            editable = [f.name for f in fields(changes)]
            before = audit.snapshot(party, editable)
            for f in fields(changes):
                value = getattr(changes, f.name)
                if value is not None:
                    setattr(party, f.name, value if f.name != "payment_terms_code"
                            else (value or None))
            if party.block_payment_tolerance != block_before:
                # BC: blocking removes the tolerance from the open entries, unblocking
                # gives it back from the setup (core.application.tolerance).
                from core.application.tolerance import recalc_party_tolerance  # upward call

                recalc_party_tolerance(s, party)
            changed = audit.diff(before, audit.snapshot(party, editable))
            if changed:
                audit.record(s, user=self.user, action="update", entity=party_type, key=no,
                             changes=changed)
            party.version += 1
            s.add(party)
            s.flush()
            return party_card(s, party_type, no, self.today())


def validate(party_type: str, c: PartyChanges) -> None:
    """Refuse values a card cannot hold, naming the field and what to do."""
    if c.name is not None and not c.name.strip():
        raise LettrageError(N_("The name must not be blank"))
    if c.blocked is not None and c.blocked not in BLOCKED_VALUES.get(party_type, ("",)):
        allowed = ", ".join(repr(v) for v in BLOCKED_VALUES.get(party_type, ("",)))
        raise LettrageError(N_("Blocked must be one of {allowed}"), allowed=allowed)
    if c.application_method is not None and c.application_method not in APPLICATION_METHODS:
        raise LettrageError(N_("Application method must be 'manual' or 'apply_to_oldest'"))
    if c.email and not _EMAIL.match(c.email.strip()):
        raise LettrageError(N_("'{email}' is not an e-mail address (name@domain.tld)"),
                            email=c.email)
    if c.country is not None and len(c.country.strip()) not in (0, 2):
        raise LettrageError(N_("Country must be a two-letter ISO code such as DE or FR"))
