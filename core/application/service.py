"""Applying, unapplying and reversing POSTED entries (bc-spec §8).

``ApplicationService`` is BC's Apply Customer/Vendor Entries page on posted ledger
entries (Set Applies-to ID, Post Application), Unapply Entries and Reverse
Transaction/Register. Each posting method is one write transaction and one register;
entries are loaded ``FOR UPDATE`` in entry-number order and, when the caller passes the
versions it showed the clerk, checked against them, so two clerks applying the same
entry at once never over-apply it: the second one gets ``ConflictError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from core.application import (
    ApplicationWarning,
    ApplyEntriesTotals,
    Decisions,
    OpenEntry,
    apply_entries_totals,
)
from core.application import preview_warnings as plan_warnings
from core.application.apply_views import ApplyEntriesView as ApplyEntriesView  # re-exported
from core.application.apply_views import ApplyEntryRow as ApplyEntryRow  # re-exported
from core.application.applying import (
    applied_message,
    open_entry,
    tolerance_setup,
    write_application,
)
from core.application.journal import line_view
from core.application.locks import check_posting_date as _check_date
from core.application.locks import check_versions as check_versions  # re-exported
from core.application.locks import lock_entries as _lock
from core.application.locks import require_entries as _require
from core.application.undo import UNAPPLY_SOURCES as UNAPPLY_SOURCES  # re-exported
from core.application.undo import UnapplyAndReverse
from core.application.undo import UnapplyLine as UnapplyLine
from core.application.undo import UnapplyPreview as UnapplyPreview
from core.audit import trail as audit
from core.audit.conflicts import conflict
from core.i18n import N_
from core.kernel.errors import ApplicationError, ConflictError, NotFoundError, Text
from core.kernel.money import ZERO, from_minor, to_minor
from core.kernel.store import Store
from core.ledger.drafts import LedgerEntryView, PostingResult
from core.ledger.models import JournalLine, LedgerEntry, Party
from core.ledger.poster import Poster, check_party_blocked, os_user
from core.ledger.posting import result_of
from core.ledger.views import ledger_view

if TYPE_CHECKING:
    from core.application.journal import JournalLineView

APPLICATION_SOURCES = {"customer": "SALESAPPL", "vendor": "PURCHAPPL"}


def default_applies_to_id(applying: LedgerEntry) -> str:
    return applying.document_no or f"ENTRY{applying.entry_no}"


class ApplicationService(UnapplyAndReverse):
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
        with self.store.write() as s:
            head = s.get(LedgerEntry, applying_entry_no)
            if head is None:
                raise NotFoundError(N_("Ledger entry {applying_entry_no} does not exist"),
                                    applying_entry_no=applying_entry_no)
            appl_id = applies_to_id or default_applies_to_id(head)
            # One ordered locking pass (the same order Post Application uses).
            found = _lock_marks(s, head.party_type, head.party_no, appl_id,
                                [applying_entry_no, *entry_nos], versions)
            _require(found, entry_nos)
            applying = found.pop(applying_entry_no)
            if not applying.open:
                raise ApplicationError(N_("The applying entry {entry_no} ({document_no}) is "
                                          "closed."),
                                       entry_no=applying.entry_no, document_no=applying.document_no)
            if applying_entry_no in entry_nos:
                raise ApplicationError(N_("Entry {applying_entry_no} cannot be applied to "
                                          "itself."), applying_entry_no=applying_entry_no)
            _write_marks(s, self.user or os_user(), found,
                         (applying.party_type, applying.party_no), appl_id, entry_nos,
                         amounts or {})
        return appl_id

    def apply_entries_view(self, applying_entry_no: int, *,
                           applies_to_id: str | None = None) -> ApplyEntriesView:
        """The party's open entries (other than the applying one), marked first in
        due-date order, with the footer totals of the marked ones."""
        with self.store.read() as s:
            applying = s.get(LedgerEntry, applying_entry_no)
            if applying is None:
                raise NotFoundError(N_("Ledger entry {applying_entry_no} does not exist"),
                                    applying_entry_no=applying_entry_no)
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

    # --- Apply Entries from a journal line ---------------------------------------------

    def journal_apply_view(self, line_id: int) -> ApplyEntriesView:
        """Apply Entries for an unposted cash receipt / payment journal line: the
        party's open entries, marked with the line's Applies-to ID (its document no.
        when blank) or, when it names one, its Applies-to Doc. No."""
        with self.store.read() as s:
            line = _journal_line(s, line_id)
            party = _line_party(s, line)
            appl_id = line.applies_to_id or line.document_no
            rows = s.exec(select(LedgerEntry).where(
                LedgerEntry.party_type == line.account_type,
                LedgerEntry.party_no == line.account_no,
                LedgerEntry.open == True)  # noqa: E712
                .order_by(col(LedgerEntry.due_date), col(LedgerEntry.entry_no))).all()

        def marked(e: LedgerEntry) -> bool:
            if line.applies_to_doc_no:
                return e.document_no == line.applies_to_doc_no and (
                    not line.applies_to_doc_type or e.document_type == line.applies_to_doc_type)
            return bool(appl_id) and e.applies_to_id == appl_id

        entries = tuple(_row(e, marked(e)) for e in rows)
        view = ApplyEntriesView(_line_as_entry(line, party), line.version, appl_id,
                                entries, apply_entries_totals(_line_open_entry(line), []),
                                journal_line_id=line_id)
        marks = {r.entry_no: (r.amount_to_apply or None) for r in entries if r.marked}
        return replace(view, totals=apply_totals(view, marks))

    def set_journal_applies_to(self, line_id: int, line_version: int,
                               entry_nos: Sequence[int],
                               amounts: Mapping[int, Decimal] | None = None, *,
                               versions: Mapping[int, int] | None = None) -> JournalLineView:
        """Set Applies-to ID from a journal line: mark exactly ``entry_nos`` with the
        line's Applies-to ID (its document no. when blank), write the ID on the line and
        clear its Applies-to Doc. No. (BC refuses both at once). A line without an
        amount gets the amount that settles the marked entries (discounts due at its
        posting date deducted), as BC fills it. Posting the line applies them."""
        with self.store.write() as s:
            line = s.exec(select(JournalLine).where(JournalLine.id == line_id)
                          .with_for_update()).first()
            if line is None:
                raise ConflictError(N_("Journal line {line_id} was deleted by someone else"),
                                    line_id=line_id)
            if line.version != line_version:
                raise conflict(s, Text(N_("Journal line {no}"), no=line.line_no),
                               [("journal_line", line_id)],
                               hint=N_("reload the journal and try again"))
            _line_party(s, line)
            appl_id = line.applies_to_id or line.document_no
            if not appl_id:
                raise ApplicationError(N_("Journal line {line_no} needs a document no. before "
                                          "entries can be marked for it."),
                                       line_no=line.line_no)
            found = _lock_marks(s, line.account_type, line.account_no, appl_id, entry_nos,
                                versions)
            _require(found, entry_nos)
            user = self.user or os_user()
            before = audit.snapshot(line, _LINE_APPLY_FIELDS)
            _write_marks(s, user, found, (line.account_type, line.account_no), appl_id,
                         entry_nos, amounts or {})
            line.applies_to_id = appl_id if entry_nos else ""
            line.applies_to_doc_no = line.applies_to_doc_type = ""
            if not line.amount and entry_nos:
                line.amount = _settling_amount(line, [found[n] for n in entry_nos])
            changed = audit.diff(before, audit.snapshot(line, _LINE_APPLY_FIELDS))
            if changed:
                audit.record(s, user=user, action="apply_entries", entity="journal_line",
                             key=line_id, changes=changed,
                             note=audit.message(N_("batch {batch} line {line}"),
                                               batch=line.batch_id, line=line.line_no))
            line.version += 1
            s.flush()
            return line_view(line)

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
                raise ApplicationError(N_("There is nothing to apply: the selected entries "
                                       "do not offset each other."))
            applying.applies_to_id, applying.amount_to_apply = "", 0
            register_no = poster.finish()
            closed = plan.closed_entry_nos
            poster.messages.append(applied_message(applying.entry_no, len(targets), len(closed)))
            return result_of(poster, register_no, [doc_no])

    def _marked(self, s: Session, applying_entry_no: int) -> list[int]:
        applying = s.get(LedgerEntry, applying_entry_no)
        if applying is None:
            raise NotFoundError(N_("Ledger entry {applying_entry_no} does not exist"),
                                applying_entry_no=applying_entry_no)
        return list(s.exec(select(LedgerEntry.entry_no).where(
            LedgerEntry.party_type == applying.party_type,
            LedgerEntry.party_no == applying.party_no,
            LedgerEntry.applies_to_id == default_applies_to_id(applying),
            LedgerEntry.entry_no != applying_entry_no)).all())

    def _load(self, s: Session, applying_entry_no: int, entry_nos: Sequence[int],
              versions: Mapping[int, int] | None, *, lock: bool
              ) -> tuple[LedgerEntry, list[LedgerEntry], Party]:
        if not entry_nos:
            raise ApplicationError(N_("You must select an applying entry and at least one "
                                   "entry to apply to; there is nothing to apply."))
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
            raise ApplicationError(N_("Entry {applying_entry_no} cannot be applied to itself."),
                                   applying_entry_no=applying_entry_no)
        if not applying.open:
            raise ApplicationError(N_("The applying entry {entry_no} ({document_no}) is closed."),
                                   entry_no=applying.entry_no, document_no=applying.document_no)
        if any(not t.open for t in targets):
            raise ApplicationError(N_("One or more of the entries that you selected is closed. "
                                   "You cannot apply closed entries."))
        for t in targets:
            if (t.party_type, t.party_no) != (applying.party_type, applying.party_no):
                raise ApplicationError(
                    N_("Entry {entry_no} belongs to {party_type} {party_no}, the applying "
                       "entry to {party_type2} {party_no2}: entries of different parties "
                       "cannot be applied to each other."),
                    entry_no=t.entry_no, party_type=t.party_type, party_no=t.party_no,
                    party_type2=applying.party_type, party_no2=applying.party_no)
        party = s.get(Party, (applying.party_type, applying.party_no))
        if party is None:
            raise NotFoundError(N_("{party_type} {party_no} does not exist"),
                                party_type=applying.party_type.title(), party_no=applying.party_no)
        check_party_blocked(party, applying.document_type or "payment", action="apply")
        return applying, targets, party



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


def _lock_marks(s: Session, party_type: str, party_no: str, appl_id: str,
                entry_nos: Sequence[int], versions: Mapping[int, int] | None
                ) -> dict[int, LedgerEntry]:
    """Lock ``entry_nos`` and the party's entries already carrying ``appl_id`` in one
    ordered pass, and check the versions the clerk saw."""
    previous = s.exec(select(LedgerEntry.entry_no).where(
        LedgerEntry.party_type == party_type, LedgerEntry.party_no == party_no,
        LedgerEntry.applies_to_id == appl_id)).all()
    found = _lock(s, [*entry_nos, *previous])
    check_versions(found, versions)
    return found


_LINE_APPLY_FIELDS = ("applies_to_id", "applies_to_doc_type", "applies_to_doc_no", "amount")


def _write_marks(s: Session, user: str, found: Mapping[int, LedgerEntry],
                 party: tuple[str, str], appl_id: str, entry_nos: Sequence[int],
                 amounts: Mapping[int, Decimal]) -> None:
    """Mark exactly ``entry_nos`` with ``appl_id`` and their Amount to Apply (blank/0 =
    all of the remaining); unmark the others carrying ``appl_id``. Each changed mark is
    written to the audit trail (so a clerk whose mark lost learns who marked)."""
    for no in entry_nos:
        e = found[no]
        if (e.party_type, e.party_no) != party:
            raise ApplicationError(N_("Entry {no} belongs to {party_type} {party_no}, not to "
                                      "{party} {party2}."),
                                   no=no, party_type=e.party_type, party_no=e.party_no,
                                   party=party[0], party2=party[1])
        if not e.open:
            raise ApplicationError(N_("Entry {no} is closed; only open entries can be marked."),
                                   no=no)
        amount = to_minor(amounts[no]) if amounts.get(no) else 0
        if amount and (abs(amount) > abs(e.remaining_amount)
                       or (amount > 0) != (e.remaining_amount > 0)):
            raise ApplicationError(
                N_("Amount to Apply ({amount}) on entry {no} must have the sign of its "
                   "remaining amount ({amount2}) and must not exceed it."),
                amount=from_minor(amount), no=no, amount2=from_minor(e.remaining_amount))
    wanted = set(entry_nos)
    for no, e in found.items():
        if no in wanted:
            amount = to_minor(amounts[no]) if amounts.get(no) else 0
            if (e.applies_to_id, e.amount_to_apply) != (appl_id, amount):
                _mark(s, user, e, "mark", appl_id, amount)
        elif e.applies_to_id == appl_id:
            _mark(s, user, e, "unmark", "", 0)


def _mark(s: Session, user: str, e: LedgerEntry, action: str, appl_id: str,
          amount: int) -> None:
    changes = {"applies_to_id": (e.applies_to_id, appl_id),
               "amount_to_apply": (str(from_minor(e.amount_to_apply)),
                                   str(from_minor(amount)))}
    e.applies_to_id, e.amount_to_apply = appl_id, amount
    e.version += 1
    audit.record(s, user=user, action=action, entity="ledger_entry", key=e.entry_no,
                 changes={k: v for k, v in changes.items() if v[0] != v[1]},
                 note=audit.message(N_("{party_type} {party_no} {document_type} {document_no}"),
                                    party_type=e.party_type, party_no=e.party_no,
                                    document_type=e.document_type, document_no=e.document_no))


def apply_totals(view: ApplyEntriesView, marks: Mapping[int, Decimal | None]
                 ) -> ApplyEntriesTotals:
    """The footer totals for ``marks`` (entry no. -> Amount to Apply, None = all of
    the remaining), in the page's order: pure, so the page updates as the clerk marks."""
    a = view.applying
    applying = OpenEntry(entry_no=a.entry_no, party_type=a.party_type,
                         document_type=a.document_type, posting_date=a.posting_date,
                         remaining=a.remaining_amount, party_no=a.party_no,
                         amount=a.amount)
    marked = [_row_open_entry(r, a.party_type, marks[r.entry_no])
              for r in view.entries if r.entry_no in marks]
    if view.journal_line_id is not None and not a.remaining_amount and marked:
        # A line without an amount will get the one that settles the marks (BC), so
        # the discounts are shown as if it had it; nothing is available yet.
        need = sum((m.target for m in marked), ZERO)
        totals = apply_entries_totals(replace(applying, remaining=-need, amount=-need),
                                      marked)
        return replace(totals, available_amount=ZERO, balance=totals.applied_amount)
    return apply_entries_totals(applying, marked)


def _row_open_entry(r: ApplyEntryRow, party_type: str, amount: Decimal | None
                    ) -> OpenEntry:
    return OpenEntry(entry_no=r.entry_no, party_type=party_type,
                     document_type=r.document_type, posting_date=r.posting_date,
                     remaining=r.remaining, document_no=r.document_no, due_date=r.due_date,
                     remaining_pmt_disc_possible=r.remaining_pmt_disc_possible,
                     pmt_discount_date=r.pmt_discount_date,
                     pmt_disc_tolerance_date=r.pmt_disc_tolerance_date,
                     max_payment_tolerance=r.max_payment_tolerance,
                     amount_to_apply=amount or None, amount=r.amount)


def _journal_line(s: Session, line_id: int) -> JournalLine:
    line = s.get(JournalLine, line_id)
    if line is None:
        raise NotFoundError(N_("Journal line {line_id} does not exist (deleted or posted "
                               "meanwhile); reload the journal"), line_id=line_id)
    return line


def _line_party(s: Session, line: JournalLine) -> Party:
    if line.account_type not in ("customer", "vendor"):
        raise ApplicationError(N_("Journal line {line_no}: entries can only be applied for a "
                                  "customer or vendor line (this line posts to a {kind})."),
                               line_no=line.line_no, kind=line.account_type.replace('_', ' '))
    party = s.get(Party, (line.account_type, line.account_no)) if line.account_no else None
    if party is None:
        raise NotFoundError(N_("Journal line {line_no}: enter an existing {account_type} no. "
                               "first (now '{value}')."),
                            line_no=line.line_no, account_type=line.account_type,
                            value=line.account_no or 'blank')
    return party


def _line_open_entry(line: JournalLine) -> OpenEntry:
    amount = from_minor(line.amount)
    return OpenEntry(entry_no=0, party_type=line.account_type, party_no=line.account_no,
                     document_type=line.document_type, document_no=line.document_no,
                     posting_date=line.posting_date, remaining=amount, amount=amount)


def _line_as_entry(line: JournalLine, party: Party) -> LedgerEntryView:
    """The journal line shown as the applying entry (entry no. 0: not posted yet)."""
    amount = from_minor(line.amount)
    return LedgerEntryView(
        entry_no=0, party_type=line.account_type, party_no=line.account_no,
        party_name=party.name, posting_date=line.posting_date,
        document_type=line.document_type, document_no=line.document_no,
        external_document_no=line.external_document_no, description=line.description,
        amount=amount, remaining_amount=amount, open=True, due_date=None,
        pmt_discount_date=None, remaining_pmt_disc_possible=ZERO,
        max_payment_tolerance=ZERO, applies_to_id=line.applies_to_id)


def _settling_amount(line: JournalLine, targets: Sequence[LedgerEntry]) -> int:
    """The line amount (minor units) that settles ``targets`` at the line's date:
    Σ of what each needs, net of the discounts due then."""
    marked = [open_entry(e, use_amount_to_apply=True) for e in targets]
    need = sum((m.target for m in marked), ZERO)
    probe = replace(_line_open_entry(line), remaining=-need, amount=-need)
    totals = apply_entries_totals(probe, marked)
    return to_minor(-totals.applied_amount)


def _latest(applying: LedgerEntry, targets: Sequence[LedgerEntry]) -> date:
    return max(e.posting_date for e in (applying, *targets))
