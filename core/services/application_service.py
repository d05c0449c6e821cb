"""Applying, unapplying and reversing POSTED entries (bc-spec §8).

``ApplicationService`` is BC's Apply Customer/Vendor Entries page on posted ledger
entries (Set Applies-to ID, Post Application), Unapply Entries and Reverse
Transaction/Register. Each posting method is one write transaction and one register;
entries are loaded ``FOR UPDATE`` in entry-number order and, when the caller passes the
versions it showed the clerk, checked against them, so two clerks applying the same
entry at once never over-apply it: the second one gets ``ConflictError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from core.application import (
    ApplicationWarning,
    ApplyEntriesTotals,
    Decisions,
    apply_entries_totals,
)
from core.application import preview_warnings as plan_warnings
from core.drafts import LedgerEntryView, PostingResult
from core.errors import ApplicationError, ConflictError, NotFoundError, PostingError
from core.models import DetailedLedgerEntry, GLEntry, LedgerEntry, Party
from core.money import from_minor, to_minor
from core.posting import Poster, check_party_blocked
from core.services.applying import open_entry, tolerance_setup, write_application
from core.services.posting import result_of
from core.services.views import ledger_view
from core.store import Store, chunks

ADJUSTMENT_TYPES = ("payment_discount", "payment_tolerance", "payment_discount_tolerance")
DISCOUNT_TYPES = ("payment_discount", "payment_discount_tolerance")
APPLICATION_SOURCES = {"customer": "SALESAPPL", "vendor": "PURCHAPPL"}
UNAPPLY_SOURCES = {"customer": "UNAPPSALES", "vendor": "UNAPPPURCH"}


@dataclass(frozen=True)
class ApplyEntryRow:
    """One line of the Apply Entries page (amounts in the entry's sign)."""

    entry_no: int
    posting_date: date
    document_type: str
    document_no: str
    description: str
    amount: Decimal
    remaining: Decimal
    due_date: date | None
    pmt_discount_date: date | None
    pmt_disc_tolerance_date: date | None
    remaining_pmt_disc_possible: Decimal
    max_payment_tolerance: Decimal
    amount_to_apply: Decimal
    applies_to_id: str
    marked: bool
    version: int


@dataclass(frozen=True)
class ApplyEntriesView:
    """The applying entry, the party's other open entries and the footer totals."""

    applying: LedgerEntryView
    applying_version: int
    applies_to_id: str
    entries: tuple[ApplyEntryRow, ...]
    totals: ApplyEntriesTotals


def _lock(s: Session, entry_nos: Iterable[int]) -> dict[int, LedgerEntry]:
    """Load entries ``FOR UPDATE`` in entry-number order (no lock-order deadlocks)."""
    found: dict[int, LedgerEntry] = {}
    for part in chunks(sorted(set(entry_nos))):
        rows = s.exec(select(LedgerEntry).where(col(LedgerEntry.entry_no).in_(part))
                      .order_by(col(LedgerEntry.entry_no)).with_for_update()).all()
        found.update((e.entry_no, e) for e in rows)
    return found


def _require(found: Mapping[int, LedgerEntry], entry_nos: Iterable[int]) -> None:
    missing = sorted(set(entry_nos) - set(found))
    if missing:
        raise NotFoundError(f"Ledger entry {missing[0]} does not exist")


def check_versions(found: Mapping[int, LedgerEntry], versions: Mapping[int, int] | None
                   ) -> None:
    """Optimistic check: the rows still have the versions the clerk saw."""
    for no, version in (versions or {}).items():
        e = found.get(no)
        if e is None or e.version != version:
            raise ConflictError(f"Ledger entry {no} was changed by someone else; "
                                "reload the entries and try again.")


def default_applies_to_id(applying: LedgerEntry) -> str:
    return applying.document_no or f"ENTRY{applying.entry_no}"


class ApplicationService:
    """Apply, unapply and reverse posted entries (one register per call)."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user

    # --- Apply Entries page ----------------------------------------------------------

    def set_applies_to_id(self, applying_entry_no: int, entry_nos: Sequence[int],
                          amounts: Mapping[int, Decimal] | None = None, *,
                          versions: Mapping[int, int] | None = None,
                          applies_to_id: str | None = None) -> str:
        """Mark exactly ``entry_nos`` for the applying entry (Set Applies-to ID) with
        their Amount to Apply (blank/0 = all of the remaining); entries previously
        marked with the same ID are unmarked. Returns the Applies-to ID."""
        amounts = amounts or {}
        with self.store.write() as s:
            head = s.get(LedgerEntry, applying_entry_no)
            if head is None:
                raise NotFoundError(f"Ledger entry {applying_entry_no} does not exist")
            appl_id = applies_to_id or default_applies_to_id(head)
            previous = s.exec(select(LedgerEntry.entry_no).where(
                LedgerEntry.party_type == head.party_type,
                LedgerEntry.party_no == head.party_no,
                LedgerEntry.applies_to_id == appl_id)).all()
            # One ordered locking pass (the same order Post Application uses).
            found = _lock(s, [applying_entry_no, *entry_nos, *previous])
            _require(found, entry_nos)
            check_versions(found, versions)
            applying = found[applying_entry_no]
            if not applying.open:
                raise ApplicationError(f"The applying entry {applying.entry_no} "
                                       f"({applying.document_no}) is closed.")
            if applying_entry_no in entry_nos:
                raise ApplicationError(f"Entry {applying_entry_no} cannot be applied to "
                                       "itself.")
            del found[applying_entry_no]
            for no in entry_nos:
                e = found[no]
                if (e.party_type, e.party_no) != (applying.party_type, applying.party_no):
                    raise ApplicationError(f"Entry {no} belongs to {e.party_type} {e.party_no}"
                                           f", not to {applying.party_type} "
                                           f"{applying.party_no}.")
                if not e.open:
                    raise ApplicationError(f"Entry {no} is closed; only open entries can be "
                                           "marked.")
                amount = to_minor(amounts[no]) if amounts.get(no) else 0
                if amount and (abs(amount) > abs(e.remaining_amount)
                               or (amount > 0) != (e.remaining_amount > 0)):
                    raise ApplicationError(
                        f"Amount to Apply ({from_minor(amount)}) on entry {no} must have the "
                        f"sign of its remaining amount ({from_minor(e.remaining_amount)}) "
                        "and must not exceed it.")
            wanted = set(entry_nos)
            for no, e in found.items():
                if no in wanted:
                    amount = to_minor(amounts[no]) if amounts.get(no) else 0
                    if (e.applies_to_id, e.amount_to_apply) != (appl_id, amount):
                        e.applies_to_id, e.amount_to_apply = appl_id, amount
                        e.version += 1
                elif e.applies_to_id == appl_id:
                    e.applies_to_id, e.amount_to_apply = "", 0
                    e.version += 1
        return appl_id

    def apply_entries_view(self, applying_entry_no: int, *,
                           applies_to_id: str | None = None) -> ApplyEntriesView:
        """The party's open entries (other than the applying one), marked first in
        due-date order, with the footer totals of the marked ones."""
        with self.store.read() as s:
            applying = s.get(LedgerEntry, applying_entry_no)
            if applying is None:
                raise NotFoundError(f"Ledger entry {applying_entry_no} does not exist")
            appl_id = applies_to_id or default_applies_to_id(applying)
            rows = s.exec(select(LedgerEntry).where(
                LedgerEntry.party_type == applying.party_type,
                LedgerEntry.party_no == applying.party_no,
                LedgerEntry.open == True,  # noqa: E712
                LedgerEntry.entry_no != applying.entry_no)
                .order_by(col(LedgerEntry.due_date), col(LedgerEntry.entry_no))).all()
            party = s.get(Party, (applying.party_type, applying.party_no))
        entries = tuple(_row(e, e.applies_to_id == appl_id) for e in rows)
        marked = [open_entry(e, use_amount_to_apply=True) for e in rows
                  if e.applies_to_id == appl_id]
        totals = apply_entries_totals(open_entry(applying), marked)
        return ApplyEntriesView(ledger_view(applying, party.name if party else ""),
                                applying.version, appl_id, entries, totals)

    def preview_warnings(self, applying_entry_no: int, entry_nos: Sequence[int],
                         posting_date: date | None = None,
                         decisions: Decisions | None = None
                         ) -> tuple[ApplicationWarning, ...]:
        """The late-discount and payment-tolerance questions Post Application would ask."""
        with self.store.read() as s:
            poster = Poster(s, user=self.user)
            applying, targets, party = self._load(s, applying_entry_no, entry_nos, None,
                                                  lock=False)
            day = posting_date or _latest(applying, targets)
            return plan_warnings(open_entry(applying),
                                 [open_entry(t, True) for t in targets], day,
                                 tolerance_setup(poster, party), decisions or Decisions())

    # --- Post Application --------------------------------------------------------------

    def post_application(self, applying_entry_no: int, entry_nos: Sequence[int] | None = None,
                         posting_date: date | None = None,
                         decisions: Decisions | None = None, *,
                         versions: Mapping[int, int] | None = None,
                         document_no: str | None = None) -> PostingResult:
        """Apply posted entries to each other (payment to invoices, credit memo to
        invoice). ``entry_nos`` None = the entries marked with the applying entry's
        Applies-to ID. The posting date defaults to the latest posting date of the
        entries (BC)."""
        with self.store.write() as s:
            if entry_nos is None:
                entry_nos = self._marked(s, applying_entry_no)
            applying, targets, party = self._load(s, applying_entry_no, entry_nos, versions,
                                                  lock=True)
            day = posting_date or _latest(applying, targets)
            poster = Poster(s, source_code=APPLICATION_SOURCES[applying.party_type],
                            user=self.user)
            _check_date(poster, day)
            doc_no = document_no or applying.document_no
            poster.begin_transaction()
            plan = write_application(poster, applying, targets, day, applying.document_type,
                                     doc_no, tolerance_setup(poster, party),
                                     decisions or Decisions(), use_amount_to_apply=True)
            if not plan.detailed_lines():
                raise ApplicationError("There is nothing to apply: the selected entries "
                                       "do not offset each other.")
            applying.applies_to_id, applying.amount_to_apply = "", 0
            register_no = poster.finish()
            closed = plan.closed_entry_nos
            poster.messages.append(f"Applied entry {applying.entry_no} to "
                                   f"{len(targets)} entries; {len(closed)} closed.")
            return result_of(poster, register_no, [doc_no])

    def _marked(self, s: Session, applying_entry_no: int) -> list[int]:
        applying = s.get(LedgerEntry, applying_entry_no)
        if applying is None:
            raise NotFoundError(f"Ledger entry {applying_entry_no} does not exist")
        return list(s.exec(select(LedgerEntry.entry_no).where(
            LedgerEntry.party_type == applying.party_type,
            LedgerEntry.party_no == applying.party_no,
            LedgerEntry.applies_to_id == default_applies_to_id(applying),
            LedgerEntry.entry_no != applying_entry_no)).all())

    def _load(self, s: Session, applying_entry_no: int, entry_nos: Sequence[int],
              versions: Mapping[int, int] | None, *, lock: bool
              ) -> tuple[LedgerEntry, list[LedgerEntry], Party]:
        if not entry_nos:
            raise ApplicationError("You must select an applying entry and at least one "
                                   "entry to apply to; there is nothing to apply.")
        if lock:
            found = _lock(s, [applying_entry_no, *entry_nos])
        else:
            found = {e.entry_no: e for e in s.exec(select(LedgerEntry).where(
                col(LedgerEntry.entry_no).in_([applying_entry_no, *entry_nos]))).all()}
        _require(found, [applying_entry_no, *entry_nos])
        check_versions(found, versions)
        applying = found[applying_entry_no]
        targets = [found[no] for no in dict.fromkeys(entry_nos) if no != applying_entry_no]
        if not targets:
            raise ApplicationError(f"Entry {applying_entry_no} cannot be applied to itself.")
        if not applying.open:
            raise ApplicationError(f"The applying entry {applying.entry_no} "
                                   f"({applying.document_no}) is closed.")
        if any(not t.open for t in targets):
            raise ApplicationError("One or more of the entries that you selected is closed. "
                                   "You cannot apply closed entries.")
        for t in targets:
            if (t.party_type, t.party_no) != (applying.party_type, applying.party_no):
                raise ApplicationError(
                    f"Entry {t.entry_no} belongs to {t.party_type} {t.party_no}, the applying "
                    f"entry to {applying.party_type} {applying.party_no}: entries of "
                    "different parties cannot be applied to each other.")
        party = s.get(Party, (applying.party_type, applying.party_no))
        if party is None:
            raise NotFoundError(f"{applying.party_type.title()} {applying.party_no} does "
                                "not exist")
        check_party_blocked(party, applying.document_type or "payment", action="apply")
        return applying, targets, party

    # --- Unapply -------------------------------------------------------------------------

    def latest_application(self, entry_no: int) -> int | None:
        """The application no. ``unapply(entry_no)`` would undo (None: none)."""
        with self.store.read() as s:
            return _latest_application(s, entry_no)

    def unapply(self, entry_no: int, posting_date: date | None = None, *,
                document_no: str | None = None,
                application_no: int | None = None) -> PostingResult:
        """Unapply the latest application of ``entry_no``: opposite detailed entries
        (marked unapplied), the discount/tolerance G/L reversed, the entries reopened.
        ``application_no`` (from ``latest_application``) pins what the clerk saw: if
        someone unapplied or applied meanwhile, ``ConflictError``."""
        with self.store.write() as s:
            entry = s.get(LedgerEntry, entry_no)
            if entry is None:
                raise NotFoundError(f"Ledger entry {entry_no} does not exist")
            latest = _latest_application(s, entry_no)
            if latest is None:
                raise ApplicationError(f"Entry {entry_no} ({entry.document_no}) has no "
                                       "application to unapply.")
            details = _application_details(s, latest)
            # Lock every involved entry in one ordered pass, then re-read under the lock.
            involved = _lock(s, {entry_no, *(d.ledger_entry_no for d in details)})
            if _latest_application(s, entry_no) != latest or (
                    application_no is not None and application_no != latest):
                raise ConflictError(f"The applications of entry {entry_no} were changed by "
                                    "someone else; reload the entries and try again.")
            application_no = latest
            details = _application_details(s, latest)
            _refuse_later(s, application_no, involved)
            if any(e.reversed for e in involved.values()):
                raise ApplicationError("You cannot unapply entries that are part of a "
                                       "reversal.")
            applied_on = max(d.posting_date for d in details)
            day = posting_date or applied_on
            if day < applied_on:
                raise ApplicationError(f"The posting date {day} must not be before the "
                                       f"application's posting date {applied_on}.")
            kind = entry.party_type
            poster = Poster(s, source_code=UNAPPLY_SOURCES.get(kind, "UNAPPLY"),
                            user=self.user)
            _check_date(poster, day)
            doc_no = document_no or details[0].document_no
            poster.begin_transaction()
            _write_unapply(s, poster, details, involved, day, doc_no)
            register_no = poster.finish()
            poster.messages.append(f"Unapplied application {application_no} "
                                   f"({len(involved)} entries reopened).")
            return result_of(poster, register_no, [doc_no])

    # --- Reverse -------------------------------------------------------------------------

    def reverse_transaction(self, transaction_no: int) -> PostingResult:
        from core.services.reversal import reverse

        with self.store.write() as s:
            return reverse(s, self.user, transaction_nos=[transaction_no])

    def reverse_register(self, register_no: int) -> PostingResult:
        from core.services.reversal import reverse

        with self.store.write() as s:
            return reverse(s, self.user, register_no=register_no)


def _row(e: LedgerEntry, marked: bool) -> ApplyEntryRow:
    return ApplyEntryRow(
        entry_no=e.entry_no, posting_date=e.posting_date, document_type=e.document_type,
        document_no=e.document_no, description=e.description, amount=from_minor(e.amount),
        remaining=from_minor(e.remaining_amount), due_date=e.due_date,
        pmt_discount_date=e.pmt_discount_date,
        pmt_disc_tolerance_date=e.pmt_disc_tolerance_date,
        remaining_pmt_disc_possible=from_minor(e.remaining_pmt_disc_possible),
        max_payment_tolerance=from_minor(e.max_payment_tolerance),
        amount_to_apply=from_minor(e.amount_to_apply), applies_to_id=e.applies_to_id,
        marked=marked, version=e.version)


def _latest(applying: LedgerEntry, targets: Sequence[LedgerEntry]) -> date:
    return max(e.posting_date for e in (applying, *targets))


def _check_date(poster: Poster, day: date) -> None:
    lo, hi = poster.company.allow_posting_from, poster.company.allow_posting_to
    if (lo and day < lo) or (hi and day > hi):
        raise PostingError(f"The posting date {day} is not within the allowed posting range "
                           f"{lo or '...'} to {hi or '...'}.")


def live_applications(s: Session, entry_nos: Iterable[int]) -> list[DetailedLedgerEntry]:
    """Application detailed entries of ``entry_nos`` not unapplied."""
    out: list[DetailedLedgerEntry] = []
    for part in chunks(sorted(set(entry_nos))):
        out += s.exec(select(DetailedLedgerEntry).where(
            col(DetailedLedgerEntry.ledger_entry_no).in_(part),
            DetailedLedgerEntry.entry_type == "application",
            DetailedLedgerEntry.unapplied == False)).all()  # noqa: E712
    return out


def _application_details(s: Session, application_no: int) -> list[DetailedLedgerEntry]:
    return list(s.exec(select(DetailedLedgerEntry).where(
        DetailedLedgerEntry.application_no == application_no,
        DetailedLedgerEntry.unapplied == False)  # noqa: E712
        .order_by(col(DetailedLedgerEntry.entry_no))).all())


def _latest_application(s: Session, entry_no: int) -> int | None:
    nos = [d.application_no for d in live_applications(s, [entry_no])
           if d.application_no is not None]
    return max(nos) if nos else None


def _refuse_later(s: Session, application_no: int, involved: Mapping[int, LedgerEntry]
                  ) -> None:
    """BC: the latest application must be unapplied first."""
    later = [d for d in live_applications(s, involved)
             if d.application_no is not None and d.application_no > application_no]
    if later:
        d = min(later, key=lambda x: x.application_no or 0)
        e = involved[d.ledger_entry_no]
        raise ApplicationError(
            "Before you can unapply this entry, you must first unapply all application "
            f"entries that were posted after this entry: entry {e.entry_no} "
            f"({e.document_no}) was applied again in application {d.application_no} on "
            f"{d.posting_date} (document {d.document_no}).")


def _write_unapply(s: Session, poster: Poster, details: Sequence[DetailedLedgerEntry],
                   involved: Mapping[int, LedgerEntry], day: date, doc_no: str) -> None:
    for d in details:
        e = involved[d.ledger_entry_no]
        new = poster.detailed(e, d.entry_type, -d.amount, day, d.document_type, doc_no,
                              applied_entry_no=d.applied_ledger_entry_no,
                              application_no=d.application_no)
        new.unapplied, new.unapplied_by_entry_no = True, d.entry_no
        d.unapplied, d.unapplied_by_entry_no = True, new.entry_no
        e.remaining_amount -= d.amount
        if d.entry_type in DISCOUNT_TYPES:
            e.pmt_disc_given += d.amount
            target = involved.get(d.applied_ledger_entry_no or 0)
            if target is not None:
                target.remaining_pmt_disc_possible -= d.amount
        elif d.entry_type == "payment_tolerance":
            e.accepted_payment_tolerance += d.amount
    _reverse_adjustment_gl(s, poster, details, involved, day, doc_no)
    still_applied = {d.ledger_entry_no for d in live_applications(s, involved)}
    for e in involved.values():
        if e.entry_no not in still_applied:
            e.remaining_pmt_disc_possible = e.original_pmt_disc_possible
            e.pmt_disc_given = e.accepted_payment_tolerance = 0
            e.accepted_pmt_disc_tolerance = False
        if e.remaining_amount != 0:
            e.open = True
            e.closed_by_entry_no, e.closed_at_date, e.closed_by_amount = None, None, 0
        e.version += 1


def _reverse_adjustment_gl(s: Session, poster: Poster, details: Sequence[DetailedLedgerEntry],
                           involved: Mapping[int, LedgerEntry], day: date,
                           doc_no: str) -> None:
    """Post the opposite of the discount/tolerance G/L pairs the application wrote and
    mark both pairs reversed (so a later transaction reversal leaves them alone)."""
    from core.drafts import LineDraft

    adjustments = [d for d in details if d.entry_type in ADJUSTMENT_TYPES]
    if not adjustments:
        return
    pool = list(s.exec(select(GLEntry).where(
        col(GLEntry.transaction_no).in_(sorted({d.transaction_no for d in adjustments})),
        GLEntry.reversed == False)  # noqa: E712
        .order_by(col(GLEntry.entry_no)).with_for_update()).all())
    for d in adjustments:
        e = involved[d.ledger_entry_no]
        party = poster.accounts.party(e.party_type, e.party_no)
        assert party is not None
        group = poster.accounts.group(party)
        adj_accounts = {group.pmt_disc_debit_acc, group.pmt_disc_credit_acc,
                        group.pmt_tol_debit_acc, group.pmt_tol_credit_acc}
        # The application wrote +adj to the adjustment account, -adj to the control
        # account, and -adj as the detailed entry: so the G/L pair is (-d, +d).
        pair = (_take(pool, d, adj_accounts, -d.amount, e),
                _take(pool, d, {group.receivables_account}, d.amount, e))
        for orig in pair:
            base = LineDraft(posting_date=day, account_type="gl_account", account_no="",
                             amount=from_minor(-orig.amount), document_type=d.document_type,
                             document_no=doc_no)
            new = poster.gl_entry(base, orig.gl_account_no, from_minor(-orig.amount),
                                  source=(orig.source_type, orig.source_no),
                                  description=f"Unapply: {orig.description}")
            new.reversed, new.reversed_entry_no = True, orig.entry_no
            orig.reversed, orig.reversed_by_entry_no = True, new.entry_no


def _take(pool: list[GLEntry], d: DetailedLedgerEntry, accounts: set[str], amount: int,
          e: LedgerEntry) -> GLEntry:
    candidates = [g for g in pool if g.transaction_no == d.transaction_no
                  and g.gl_account_no in accounts and g.amount == amount
                  and g.source_no == e.party_no]
    candidates.sort(key=lambda g: (bool(g.bal_account_no), g.entry_no))
    if not candidates:
        raise ApplicationError(f"The G/L entries of the {d.entry_type.replace('_', ' ')} "
                               f"of detailed entry {d.entry_no} cannot be found; the "
                               "application cannot be unapplied.")
    pool.remove(candidates[0])
    return candidates[0]
