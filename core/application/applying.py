"""Applying ledger entries in the database: the posting hook (applies-to doc. no.,
applies-to ID, Apply to Oldest) and the writer that turns an ``ApplicationPlan`` into
detailed entries, G/L entries and updated remaining/open/closed fields.

The calculation itself (discounts, tolerances) is ``core.application``; this module
only loads entries, locks them and writes the plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from core.application import (
    CONTROL_ACCOUNT,
    AccountKind,
    ApplicationPlan,
    Decisions,
    OpenEntry,
    ToleranceSetup,
    plan_application,
)
from core.i18n import N_, ngettext
from core.kernel.errors import ApplicationError
from core.kernel.money import ZERO, from_minor, to_minor
from core.ledger.drafts import LineDraft
from core.ledger.models import LedgerEntry, Party, PostingGroup
from core.ledger.poster import ApplyHook, Poster

APPLYING_DOC_TYPES = ("payment", "refund", "credit_memo", "")


def open_entry(e: LedgerEntry, use_amount_to_apply: bool = False) -> OpenEntry:
    """A ledger entry row as the pure calculation sees it."""
    return OpenEntry(
        entry_no=e.entry_no, party_type=e.party_type, party_no=e.party_no,
        document_type=e.document_type, document_no=e.document_no,
        posting_date=e.posting_date, document_date=e.document_date, due_date=e.due_date,
        remaining=from_minor(e.remaining_amount),
        remaining_pmt_disc_possible=from_minor(e.remaining_pmt_disc_possible),
        pmt_discount_date=e.pmt_discount_date,
        pmt_disc_tolerance_date=e.pmt_disc_tolerance_date,
        max_payment_tolerance=from_minor(e.max_payment_tolerance),
        amount_to_apply=(from_minor(e.amount_to_apply)
                         if use_amount_to_apply and e.amount_to_apply else None),
        amount=from_minor(e.amount))


def tolerance_setup(poster: Poster, party: Party) -> ToleranceSetup:
    c = poster.company
    return ToleranceSetup(
        payment_tolerance_warning=c.payment_tolerance_warning,
        pmt_disc_tolerance_warning=c.pmt_disc_tolerance_warning,
        payment_tolerance_posting=AccountKind(c.payment_tolerance_posting),
        pmt_disc_tolerance_posting=AccountKind(c.pmt_disc_tolerance_posting),
        tolerance_allowed=not party.block_payment_tolerance
        and party.application_method != "apply_to_oldest")


def apply_on_posting(poster: Poster, entry: LedgerEntry, line: LineDraft,
                     decisions: Decisions | None = None) -> None:
    """Apply a freshly posted party entry as its journal line asks (BC behaviour).
    ``decisions`` are the clerk's answers to the tolerance warnings for this line."""
    party = poster.accounts.party(entry.party_type, entry.party_no)
    assert party is not None
    if line.applies_to_doc_no and line.applies_to_id:
        raise ApplicationError(N_("{ref}: you cannot set Applies-to ID while selecting "
                                  "Applies-to Doc. No."), ref=line.ref)
    if line.applies_to_doc_no:
        targets = [_by_document(poster, entry, line)]
    elif line.applies_to_id:
        targets = _by_applies_to_id(poster, entry, line.applies_to_id)
        if not targets:
            raise ApplicationError(N_("{ref}: no open entries of {party_type} {party_no} carry "
                                      "Applies-to ID {applies_to_id}"),
                                   ref=line.ref, party_type=entry.party_type,
                                   party_no=entry.party_no, applies_to_id=line.applies_to_id)
    elif party.application_method == "apply_to_oldest" and \
            entry.document_type in APPLYING_DOC_TYPES:
        targets = _oldest(poster, entry)
        if not targets:
            return
    else:
        return
    write_application(poster, entry, targets, line.posting_date, line.document_type,
                      line.document_no, tolerance_setup(poster, party),
                      decisions or Decisions(), use_amount_to_apply=bool(line.applies_to_id))


def apply_hook_with(decisions: Mapping[str, Decisions]) -> ApplyHook:
    """``apply_on_posting`` with the clerk's warning answers per line (by ``line.ref``)."""

    def hook(poster: Poster, entry: LedgerEntry, line: LineDraft) -> None:
        apply_on_posting(poster, entry, line, decisions.get(line.ref))

    hook.prefetch = prefetch_targets  # type: ignore[attr-defined]
    return hook


def _pending_open(poster: Poster, entry: LedgerEntry) -> list[LedgerEntry]:
    """Open entries of the same party posted earlier in this same posting."""
    return [e for e in poster.by_party.get((entry.party_type, entry.party_no), ())
            if e.open and e.entry_no != entry.entry_no]


def _by_document(poster: Poster, entry: LedgerEntry, line: LineDraft) -> LedgerEntry:
    doc_type, doc_no = line.applies_to_doc_type, line.applies_to_doc_no
    for e in _pending_open(poster, entry):
        if e.document_no == doc_no and (not doc_type or e.document_type == doc_type):
            return e
    key = (entry.party_type, entry.party_no, doc_no)
    if key in poster.targets:
        for e in poster.targets[key]:
            if e.open and (not doc_type or e.document_type == doc_type):
                return e
        return _missing(line, entry)
    stmt = (select(LedgerEntry).where(
        LedgerEntry.party_type == entry.party_type, LedgerEntry.party_no == entry.party_no,
        LedgerEntry.document_no == doc_no, LedgerEntry.open == True)  # noqa: E712
        .with_for_update())
    if doc_type:
        stmt = stmt.where(LedgerEntry.document_type == doc_type)
    found = poster.session.exec(stmt).first()
    if found is None:
        return _missing(line, entry)
    current = poster.loaded.current([found])[0]
    return current if current.open else _missing(line, entry)


def _missing(line: LineDraft, entry: LedgerEntry) -> LedgerEntry:
    what = line.applies_to_doc_type.replace("_", " ") if line.applies_to_doc_type else "entry"
    raise ApplicationError(N_("{ref}: {party_type} {party_no} has no open {what} "
                              "{applies_to_doc_no} to apply to"),
                           ref=line.ref, party_type=entry.party_type, party_no=entry.party_no,
                           what=what, applies_to_doc_no=line.applies_to_doc_no)


def prefetch_targets(poster: Poster, lines: Sequence[LineDraft]) -> None:
    """Load (and lock) every open entry the lines name by document no. in a few queries,
    instead of one query per payment line."""
    wanted = {(ln.account_type, ln.account_no, ln.applies_to_doc_no) for ln in lines
              if ln.applies_to_doc_no and ln.account_type in ("customer", "vendor")}
    if not wanted:
        return
    # Always, and in entry-number order: the entries are locked before the posting takes
    # the entry-number counters, in the order Post Application and Unapply lock theirs,
    # so two clerks posting on PostgreSQL never wait for each other in a circle.
    doc_nos = sorted({w[2] for w in wanted})
    table = LedgerEntry.__table__  # type: ignore[attr-defined]
    for i in range(0, len(doc_nos), 500):
        # read as records (written back in bulk by the poster), not ORM objects
        rows = poster.loaded.load(poster.session, sa_select(table).where(
            table.c.document_no.in_(doc_nos[i:i + 500]), table.c.open.is_(True))
            .order_by(table.c.entry_no).with_for_update(key_share=True))
        for e in rows:
            key = (e.party_type, e.party_no, e.document_no)
            if key in wanted:
                poster.targets.setdefault(key, []).append(e)
    for key in wanted:
        poster.targets.setdefault(key, [])


apply_on_posting.prefetch = prefetch_targets  # type: ignore[attr-defined]


def _by_applies_to_id(poster: Poster, entry: LedgerEntry, applies_to_id: str
                      ) -> list[LedgerEntry]:
    rows = poster.session.exec(select(LedgerEntry).where(
        LedgerEntry.party_type == entry.party_type, LedgerEntry.party_no == entry.party_no,
        LedgerEntry.applies_to_id == applies_to_id, LedgerEntry.open == True)  # noqa: E712
        .order_by(col(LedgerEntry.due_date), col(LedgerEntry.entry_no))
        .with_for_update()).all()
    return [e for e in poster.loaded.current(rows) if e.entry_no != entry.entry_no
            and e.open and e.applies_to_id == applies_to_id]


def _oldest(poster: Poster, entry: LedgerEntry) -> list[LedgerEntry]:
    """Open entries of the other sign, oldest due first (Apply to Oldest)."""
    rows = list(poster.session.exec(select(LedgerEntry).where(
        LedgerEntry.party_type == entry.party_type, LedgerEntry.party_no == entry.party_no,
        LedgerEntry.open == True, LedgerEntry.positive != entry.positive)  # noqa: E712
        .with_for_update()).all())
    rows = [e for e in poster.loaded.current(rows) if e.open]
    rows += [e for e in _pending_open(poster, entry) if e.positive != entry.positive]
    rows.sort(key=lambda e: (e.due_date or e.posting_date, e.entry_no))
    return rows


def write_application(poster: Poster, applying: LedgerEntry, targets: Sequence[LedgerEntry],
                      posting_date: date, document_type: str, document_no: str,
                      setup: ToleranceSetup, decisions: Decisions,
                      use_amount_to_apply: bool = False) -> ApplicationPlan:
    """Plan and write one application inside the poster's transaction."""
    plan = plan_application(open_entry(applying), [open_entry(t, use_amount_to_apply)
                                                   for t in targets],
                            posting_date, setup, decisions)
    entries = {e.entry_no: e for e in (applying, *targets)}
    application_no = poster.counters.next("application")
    for dl in plan.detailed_lines():
        e = entries[dl.ledger_entry_no]
        minor = to_minor(dl.amount)
        poster.detailed(e, str(dl.entry_type), minor, posting_date, document_type,
                        document_no, applied_entry_no=dl.applied_entry_no,
                        application_no=application_no)
        e.remaining_amount += minor
    _write_gl(poster, plan, applying, posting_date, document_type, document_no)
    _close(plan, entries, applying, posting_date)
    for t in targets:
        t.applies_to_id, t.amount_to_apply = "", 0
    return plan


def _close(plan: ApplicationPlan, entries: dict[int, LedgerEntry], applying: LedgerEntry,
           posting_date: date) -> None:
    last_closed = None
    for ln in plan.lines:
        if ln.closed == 0:
            continue
        e = entries[ln.entry_no]
        e.remaining_pmt_disc_possible = to_minor(ln.remaining_pmt_disc_possible_after)
        e.version += 1
        if e.remaining_amount == 0:
            e.open = False
            e.closed_by_entry_no = applying.entry_no
            e.closed_at_date = posting_date
            e.closed_by_amount = to_minor(-ln.closed)
            last_closed = e
        if ln.pmt_discount or ln.pmt_disc_tolerance:
            applying.pmt_disc_given += to_minor(ln.pmt_discount + ln.pmt_disc_tolerance)
        if ln.pmt_tolerance:
            applying.accepted_payment_tolerance += to_minor(ln.pmt_tolerance)
    applying.version += 1
    if applying.remaining_amount == 0:
        applying.open = False
        applying.closed_at_date = posting_date
        applying.closed_by_amount = applying.amount
        if last_closed is not None:
            applying.closed_by_entry_no = last_closed.entry_no


def _write_gl(poster: Poster, plan: ApplicationPlan, applying: LedgerEntry,
              posting_date: date, document_type: str, document_no: str) -> None:
    lines = plan.gl_lines()
    if not lines:
        return
    party = poster.accounts.party(applying.party_type, applying.party_no)
    assert party is not None
    group = poster.accounts.group(party)
    base = LineDraft(posting_date=posting_date, account_type="gl_account", account_no="",
                     amount=ZERO, document_type=document_type, document_no=document_no)
    for gl in lines:
        account = _gl_account(group, gl.account, gl.amount)
        desc = f"{str(gl.kind).replace('_', ' ').capitalize()} {document_no}".strip()
        poster.gl_entry(replace(base, description=desc), account, gl.amount,
                        source=(applying.party_type, applying.party_no))


def _gl_account(group: PostingGroup, kind: str, amount: Decimal) -> str:
    if kind == CONTROL_ACCOUNT:
        return group.receivables_account
    if kind == AccountKind.PAYMENT_DISCOUNT:
        return group.pmt_disc_debit_acc if amount > 0 else group.pmt_disc_credit_acc
    return group.pmt_tol_debit_acc if amount > 0 else group.pmt_tol_credit_acc


def applied_message(entry_no: int, applied: int, closed: int) -> str:
    """``Applied entry 7 to 2 entries; 1 entry closed.`` in the clerk's language."""
    return (ngettext("Applied entry {entry_no} to {count} entry",
                     "Applied entry {entry_no} to {count} entries", applied).format(
                entry_no=entry_no, count=applied)
            + ngettext("; {count} entry closed.", "; {count} entries closed.",
                       closed).format(count=closed))
