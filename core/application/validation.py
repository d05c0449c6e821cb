"""The applications BC refuses (bc-spec §8.2), with a message the clerk can act on:
checked before any plan is made."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.application.rules import sign
from core.application.types import OpenEntry
from core.i18n import N_
from core.kernel.errors import ApplicationError

PARTY_TYPES = ("customer", "vendor")


def _check_amount_to_apply(entry: OpenEntry) -> None:
    """Amount to Apply must be non-zero, of the entry's sign and within its remaining."""
    ata = entry.amount_to_apply
    if ata is None:
        return
    if ata == 0:
        raise ApplicationError(N_("Amount to Apply must not be 0 on entry {entry_no}."),
                               entry_no=entry.entry_no)
    if sign(ata) != sign(entry.remaining):
        raise ApplicationError(
            N_("Amount to Apply ({amount_to_apply}) on entry {entry_no} must have the same sign "
               "as its "
               "remaining amount ({remaining})."),
            amount_to_apply=ata, entry_no=entry.entry_no, remaining=entry.remaining
        )
    if abs(ata) > abs(entry.remaining):
        raise ApplicationError(
            N_("Amount to Apply ({amount_to_apply}) on entry {entry_no} is larger than its "
               "remaining "
               "amount ({remaining})."),
            amount_to_apply=ata, entry_no=entry.entry_no, remaining=entry.remaining
        )


def _check_entry(applying: OpenEntry, entry: OpenEntry, posting_date: date) -> None:
    """One entry may take part: open, same party, dated no later than the application."""
    if entry.party_type not in PARTY_TYPES:
        raise ApplicationError(N_("Entry {entry_no} has an unknown party type."),
                               entry_no=entry.entry_no)
    if entry.remaining == 0:
        raise ApplicationError(N_("Entry {entry_no} is closed; only open entries apply."),
                               entry_no=entry.entry_no)
    if (entry.party_type, entry.party_no) != (applying.party_type, applying.party_no):
        raise ApplicationError(
            N_("Entry {entry_no} belongs to {party_type} {party_no}, not to {party_type2} "
               "{party_no2} of the applying entry."),
            entry_no=entry.entry_no, party_type=entry.party_type, party_no=entry.party_no,
            party_type2=applying.party_type, party_no2=applying.party_no
        )
    if posting_date < entry.posting_date:
        raise ApplicationError(
            N_("The posting date {posting_date} must not be before the posting date "
               "{posting_date2} of entry {entry_no}."),
            posting_date=posting_date, posting_date2=entry.posting_date, entry_no=entry.entry_no
        )
    _check_amount_to_apply(entry)


def validate(applying: OpenEntry, applied: Sequence[OpenEntry], posting_date: date) -> None:
    """Refuse applications BC refuses, with a message the clerk can act on."""
    if not applied:
        raise ApplicationError(N_("Select at least one entry to apply."))
    nos = [e.entry_no for e in applied]
    if len(set(nos)) != len(nos):
        raise ApplicationError(N_("An entry is selected twice."))
    if applying.entry_no in nos:
        raise ApplicationError(N_("Entry {entry_no} cannot be applied to itself."),
                               entry_no=applying.entry_no)
    for entry in (applying, *applied):
        _check_entry(applying, entry, posting_date)
    if all(sign(e.remaining) == sign(applying.remaining) for e in applied):
        raise ApplicationError(
            N_("All entries have the same sign; this will not lead to an application.")
        )
