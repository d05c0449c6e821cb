"""Unapplying an application (BC: Unapply Entries): the latest application first, its
detailed entries reversed, its discount and tolerance G/L pairs posted back, the entries
reopened with their remaining amounts. Used by ``ApplicationService.unapply`` and by
transaction reversal (``live_applications``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sqlmodel import Session, col, select

from core.i18n import N_, _
from core.kernel.errors import ApplicationError
from core.kernel.money import from_minor
from core.kernel.store import chunks
from core.ledger.drafts import LineDraft
from core.ledger.models import DetailedLedgerEntry, GLEntry, LedgerEntry
from core.ledger.poster import Poster

ADJUSTMENT_TYPES = ("payment_discount", "payment_tolerance", "payment_discount_tolerance")
DISCOUNT_TYPES = ("payment_discount", "payment_discount_tolerance")


def live_applications(s: Session, entry_nos: Iterable[int]) -> list[DetailedLedgerEntry]:
    """Application detailed entries of ``entry_nos`` not unapplied."""
    out: list[DetailedLedgerEntry] = []
    for part in chunks(sorted(set(entry_nos))):
        out += s.exec(select(DetailedLedgerEntry).where(
            col(DetailedLedgerEntry.ledger_entry_no).in_(part),
            DetailedLedgerEntry.entry_type == "application",
            DetailedLedgerEntry.unapplied == False)).all()  # noqa: E712
    return out


def application_details(s: Session, application_no: int) -> list[DetailedLedgerEntry]:
    return list(s.exec(select(DetailedLedgerEntry).where(
        DetailedLedgerEntry.application_no == application_no,
        DetailedLedgerEntry.unapplied == False)  # noqa: E712
        .order_by(col(DetailedLedgerEntry.entry_no))).all())


def latest_application_no(s: Session, entry_no: int) -> int | None:
    nos = [d.application_no for d in live_applications(s, [entry_no])
           if d.application_no is not None]
    return max(nos) if nos else None


def refuse_later_applications(s: Session, application_no: int, involved: Mapping[int, LedgerEntry]
                  ) -> None:
    """BC: the latest application must be unapplied first."""
    later = [d for d in live_applications(s, involved)
             if d.application_no is not None and d.application_no > application_no]
    if later:
        d = min(later, key=lambda x: x.application_no or 0)
        e = involved[d.ledger_entry_no]
        raise ApplicationError(
            N_("Before you can unapply this entry, you must first unapply all application "
               "entries that were posted after this entry: entry {entry_no} ({document_no}) "
               "was applied again in application {application_no} on {posting_date} (document "
               "{document_no2})."),
            entry_no=e.entry_no, document_no=e.document_no, application_no=d.application_no,
            posting_date=d.posting_date, document_no2=d.document_no)


def write_unapply(s: Session, poster: Poster, details: Sequence[DetailedLedgerEntry],
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
                                  description=_("Unapply: {description}").format(
                                      description=orig.description)[:100])
            new.reversed, new.reversed_entry_no = True, orig.entry_no
            orig.reversed, orig.reversed_by_entry_no = True, new.entry_no


def _take(pool: list[GLEntry], d: DetailedLedgerEntry, accounts: set[str], amount: int,
          e: LedgerEntry) -> GLEntry:
    candidates = [g for g in pool if g.transaction_no == d.transaction_no
                  and g.gl_account_no in accounts and g.amount == amount
                  and g.source_no == e.party_no]
    candidates.sort(key=lambda g: (bool(g.bal_account_no), g.entry_no))
    if not candidates:
        raise ApplicationError(N_("The G/L entries of the {kind} of detailed entry "
                                  "{entry_no} cannot be found; the application cannot be "
                                  "unapplied."),
                               kind=d.entry_type.replace('_', ' '), entry_no=d.entry_no)
    pool.remove(candidates[0])
    return candidates[0]
