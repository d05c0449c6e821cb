"""Unapply Entries and Reverse Transaction/Register on posted entries (bc-spec §8.4,
§15): the part of ``ApplicationService`` that undoes postings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from core.application.locks import check_posting_date as _check_date
from core.application.locks import lock_entries as _lock
from core.application.reversal import reverse
from core.application.unapplying import (
    application_details,
    latest_application_no,
    refuse_later_applications,
    write_unapply,
)
from core.audit.conflicts import conflict
from core.i18n import N_, _
from core.kernel.errors import ApplicationError, NotFoundError, Text
from core.kernel.money import from_minor
from core.kernel.store import Store
from core.ledger.drafts import PostingResult
from core.ledger.models import DetailedLedgerEntry, LedgerEntry
from core.ledger.poster import Poster
from core.ledger.posting import result_of

UNAPPLY_SOURCES = {"customer": "UNAPPSALES", "vendor": "UNAPPPURCH"}


@dataclass(frozen=True)
class UnapplyLine:
    """A detailed entry the unapply reverses (amount as posted)."""

    detailed_entry_no: int
    ledger_entry_no: int
    entry_type: str
    document_type: str
    document_no: str
    amount: Decimal


@dataclass(frozen=True)
class UnapplyPreview:
    """The application Unapply would undo: posting date and document no. default to
    the application's."""

    entry_no: int
    entry_document_no: str
    application_no: int
    posting_date: date
    document_no: str
    lines: tuple[UnapplyLine, ...]


class UnapplyAndReverse:
    """Unapply and reverse (``ApplicationService`` has them; one write transaction and
    one register each)."""

    store: Store
    user: str | None

    def latest_application(self, entry_no: int) -> int | None:
        """The application no. ``unapply(entry_no)`` would undo (None: none)."""
        with self.store.read() as s:
            return latest_application_no(s, entry_no)

    def unapply_preview(self, entry_no: int) -> UnapplyPreview:
        """What ``unapply(entry_no)`` would undo (BC's Unapply Entries page): the latest
        application of the entry, its date and document no. and its detailed entries.
        Refuses as ``unapply`` would when a later application must be undone first."""
        with self.store.read() as s:
            entry, latest, details = _latest_of(s, entry_no)
            involved = {e.entry_no: e for e in s.exec(select(LedgerEntry).where(col(
                LedgerEntry.entry_no).in_(sorted({d.ledger_entry_no for d in details})))
            ).all()}
            refuse_later_applications(s, latest, involved)
            rows = tuple(UnapplyLine(
                d.entry_no, d.ledger_entry_no, d.entry_type,
                involved[d.ledger_entry_no].document_type,
                involved[d.ledger_entry_no].document_no, from_minor(d.amount))
                for d in details)
            return UnapplyPreview(entry_no, entry.document_no, latest,
                                  max(d.posting_date for d in details),
                                  details[0].document_no, rows)

    def unapply(self, entry_no: int, posting_date: date | None = None, *,
                document_no: str | None = None,
                application_no: int | None = None) -> PostingResult:
        """Unapply the latest application of ``entry_no``: opposite detailed entries
        (marked unapplied), the discount/tolerance G/L reversed, the entries reopened.
        ``application_no`` (from ``latest_application``) pins what the clerk saw: if
        someone unapplied or applied meanwhile, ``ConflictError``."""
        with self.store.write() as s:
            entry, latest, details = _latest_of(s, entry_no)
            # Lock every involved entry in one ordered pass, then re-read under the lock.
            involved = _lock(s, {entry_no, *(d.ledger_entry_no for d in details)})
            if latest_application_no(s, entry_no) != latest or (
                    application_no is not None and application_no != latest):
                raise conflict(s, Text(N_("Entry {entry_no}"), entry_no=entry_no),
                               entry_nos=[entry_no],
                               hint=N_("reload the entries and try again"))
            application_no = latest
            details = application_details(s, latest)
            refuse_later_applications(s, application_no, involved)
            if any(e.reversed for e in involved.values()):
                raise ApplicationError(N_("You cannot unapply entries that are part of a "
                                       "reversal."))
            applied_on = max(d.posting_date for d in details)
            day = posting_date or applied_on
            if day < applied_on:
                raise ApplicationError(N_("The posting date {day} must not be before the "
                                          "application's posting date {applied_on}."),
                                       day=day, applied_on=applied_on)
            kind = entry.party_type
            poster = Poster(s, source_code=UNAPPLY_SOURCES.get(kind, "UNAPPLY"),
                            user=self.user)
            _check_date(poster, day)
            doc_no = document_no or details[0].document_no
            poster.begin_transaction()
            write_unapply(s, poster, details, involved, day, doc_no)
            register_no = poster.finish()
            poster.messages.append(_("Unapplied application {application_no} ({count} entries "
                                     "reopened).").format(
                                       application_no=application_no, count=len(involved)))
            return result_of(poster, register_no, [doc_no])

    # --- Reverse -------------------------------------------------------------------------

    def reverse_transaction(self, transaction_no: int, *, preview: bool = False
                            ) -> PostingResult:
        """Reverse one transaction; ``preview`` runs the same checks and rolls back,
        returning the entries the reversal would write (BC's Reverse Entries page)."""
        with self.store.write() as s:
            result = reverse(s, self.user, transaction_nos=[transaction_no])
            if preview:
                s.rollback()
        return result

    def reverse_register(self, register_no: int, *, preview: bool = False
                         ) -> PostingResult:
        with self.store.write() as s:
            result = reverse(s, self.user, register_no=register_no)
            if preview:
                s.rollback()
        return result


def _latest_of(s: Session, entry_no: int
               ) -> tuple[LedgerEntry, int, list[DetailedLedgerEntry]]:
    """The entry, its latest application no. and that application's detailed entries;
    refuses an unknown entry or one without an application to unapply."""
    entry = s.get(LedgerEntry, entry_no)
    if entry is None:
        raise NotFoundError(N_("Ledger entry {entry_no} does not exist"), entry_no=entry_no)
    latest = latest_application_no(s, entry_no)
    if latest is None:
        raise ApplicationError(N_("Entry {entry_no} ({document_no}) has no application to "
                                  "unapply."),
                               entry_no=entry_no, document_no=entry.document_no)
    return entry, latest, application_details(s, latest)
