"""Issue (F9) and Cancel of reminders and finance charge memos (bc-spec §9.2, §9.3).

Issuing turns a draft into an issued document, writes one reminder/fin. charge entry per
reminded or charged customer entry, raises the entries' last issued reminder level and,
when the terms post interest or fees, posts one transaction through the posting engine:
the customer entry (document type Reminder / Finance Charge Memo) against the interest
and fee accounts of the customer posting group. Cancelling reverses that transaction
and rolls the levels back. Each runs inside the caller's one write session.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from core.application.reversal import reverse
from core.audit import trail as audit
from core.collections.defaults import SERIES, ensure_series
from core.collections.models import (
    LINE_ENTRY,
    OVERDUE,
    CollectionDocument,
    CollectionLine,
    FinanceChargeTerms,
    IssuedDocument,
    ReminderEntry,
    ReminderEntryRow,
    ReminderTerms,
)
from core.collections.views import CancelResult, IssueResult, totals
from core.i18n import N_, _, format_amount
from core.kernel.errors import ApplicationError, BlockedError, LettrageError, NotFoundError
from core.kernel.money import ZERO, from_minor, to_minor
from core.kernel.records import bulk_insert_dicts
from core.ledger.drafts import LineDraft
from core.ledger.models import LedgerEntry, Party, PostingGroup
from core.ledger.numbering import next_document_no
from core.ledger.poster import Poster

NAMES = {"reminder": N_("Reminder"), "finance_charge": N_("Finance charge memo")}
POSTED_AS = {"reminder": N_("Reminder"),  # ledger text, in the issuing clerk's language
             "finance_charge": N_("Finance charge memo")}
ISSUED_NAMES = {"reminder": N_("Issued reminder"),
                "finance_charge": N_("Issued finance charge memo")}
SOURCE = {"reminder": "REMINDER", "finance_charge": "FINCHRG"}
DOC_TYPE = {"reminder": "reminder", "finance_charge": "finance_charge_memo"}


class StaleDocumentError(LettrageError):
    """The customer's entries changed after the reminder or memo was created."""


def draft_or_explain(s: Session, kind: str, no: str) -> CollectionDocument:
    draft = s.get(CollectionDocument, no)
    if draft is not None and draft.kind == kind:
        return draft
    issued = s.exec(select(IssuedDocument).where(IssuedDocument.pre_assigned_no == no,
                                                 IssuedDocument.kind == kind)).first()
    if issued is not None:
        raise ApplicationError(N_("{kind} {no} has already been issued as {no2}; it cannot "
                                  "be issued twice."), kind=NAMES[kind], no=no, no2=issued.no)
    raise NotFoundError(N_("{kind} {no} does not exist"), kind=NAMES[kind], no=no)


def draft_lines(s: Session, no: str) -> list[CollectionLine]:
    return list(s.exec(select(CollectionLine).where(CollectionLine.document_no == no)
                       .order_by(col(CollectionLine.line_no))).all())


def stale_lines(s: Session, lines: list[CollectionLine]) -> list[str]:
    """Entry lines whose customer entry changed since the draft was made, described."""
    nos = [ln.entry_no for ln in lines if ln.line_type == LINE_ENTRY and ln.entry_no]
    if not nos:
        return []
    current = {e.entry_no: e.remaining_amount for e in s.exec(select(LedgerEntry).where(
        col(LedgerEntry.entry_no).in_(nos))).all()}
    return stale_changes(lines, current)


def stale_changes(lines: list[CollectionLine], remaining: dict[int, int]) -> list[str]:
    """``stale_lines`` on the entries' current remaining amounts (minor units)."""
    changes = []
    for ln in lines:
        if ln.line_type != LINE_ENTRY or not ln.entry_no:
            continue
        now_minor = remaining.get(ln.entry_no)
        if now_minor is None or now_minor != ln.remaining_amount:
            now = from_minor(now_minor) if now_minor is not None else ZERO
            paid = now_minor is not None and abs(now_minor) < abs(ln.remaining_amount)
            text = (_("entry {entry_no} ({document}) was paid after it was created (remaining "
                      "{then} then, {now} now)") if paid else
                    _("entry {entry_no} ({document}) was changed after it was created "
                      "(remaining {then} then, {now} now)"))
            changes.append(text.format(
                entry_no=ln.entry_no, now=format_amount(now),
                document=f"{ln.entry_document_type.replace('_', ' ')} {ln.entry_document_no}",
                then=format_amount(from_minor(ln.remaining_amount))))
    return changes


def posting_lines(kind: str, issued_no: str, draft: CollectionDocument, group: PostingGroup,
                   interest: Decimal, fees: Decimal) -> list[LineDraft]:
    base = LineDraft(posting_date=draft.posting_date, account_type="gl_account",
                     account_no="", amount=ZERO, document_type=DOC_TYPE[kind],
                     document_no=issued_no, document_date=draft.document_date,
                     description=f"{_(POSTED_AS[kind])} {issued_no}", ref=issued_no)
    lines = [LineDraft(**{**base.__dict__, "account_type": "customer",
                          "account_no": draft.customer_no, "amount": interest + fees,
                          "due_date": draft.due_date})]
    if interest:
        if not group.interest_acc:
            raise LettrageError(
                N_(
                    "Customer posting group {code} has no interest account; "
                    "set one before issuing {issued_no}"
                ),
                code=group.code,
                issued_no=issued_no,
            )
        lines.append(LineDraft(**{**base.__dict__, "account_no": group.interest_acc,
                                  "amount": -interest, "description": "Interest"}))
    if fees:
        if not group.fee_acc:
            raise LettrageError(
                N_(
                    "Customer posting group {code} has no additional fee "
                    "account; set one before issuing {issued_no}"
                ),
                code=group.code,
                issued_no=issued_no,
            )
        lines.append(LineDraft(**{**base.__dict__, "account_no": group.fee_acc,
                                  "amount": -fees, "description": "Additional fee"}))
    return lines


def post_flags(s: Session, kind: str, draft: CollectionDocument) -> tuple[bool, bool, bool]:
    """(post interest, post additional fee, post fee per line) from the terms."""
    if kind == "reminder":
        terms = s.get(ReminderTerms, draft.terms_code)
        if terms is None:
            raise NotFoundError(N_("Reminder terms {terms_code} of {no} do not exist"),
                                terms_code=draft.terms_code, no=draft.no)
        return terms.post_interest, terms.post_additional_fee, terms.post_add_fee_per_line
    fc = s.get(FinanceChargeTerms, draft.terms_code)
    if fc is None:
        raise NotFoundError(N_("Finance charge terms {terms_code} of {no} do not exist"),
                            terms_code=draft.terms_code, no=draft.no)
    return fc.post_interest, fc.post_additional_fee, fc.post_additional_fee


def check_draft(kind: str, no: str, party: Party, lines: list[CollectionLine]
                ) -> tuple[list[CollectionLine], tuple[Decimal, Decimal, Decimal, Decimal]]:
    """The checks before issuing (blocked customer, nothing left to remind or charge):
    the entry lines that get reminder entries and the totals."""
    if party.blocked == "all" or party.privacy_blocked:
        raise BlockedError(
            N_("{kind} {no} cannot be issued: customer {no2} ({name}) is "
               "blocked for all transactions."),
            kind=NAMES[kind], no=no, no2=party.no, name=party.name)
    entry_lines = [ln for ln in lines if ln.line_type == LINE_ENTRY and (
        kind == "finance_charge" or (ln.section == OVERDUE and ln.remaining_amount > 0))]
    remaining, interest, fee, line_fee = totals(lines)
    if kind == "reminder" and not entry_lines:
        raise LettrageError(N_("Reminder {no} has no overdue entries left to remind; "
                               "delete it or create reminders again."), no=no)
    if kind == "finance_charge" and interest + fee + line_fee <= 0:
        raise LettrageError(N_("Finance charge memo {no} charges nothing; delete it."), no=no)
    return entry_lines, (remaining, interest, fee, line_fee)


def issue(s: Session, kind: str, no: str, *, user: str, now: datetime,
          allow_stale: bool = False) -> IssueResult:
    """Issue draft ``no`` inside session ``s``. Refuses a draft whose entries changed
    since it was created unless ``allow_stale`` (the caller recomputed it)."""
    ensure_series(s)
    draft = draft_or_explain(s, kind, no)
    party = s.get(Party, ("customer", draft.customer_no))
    if party is None:
        raise NotFoundError(N_("Customer {customer_no} of {no} does not exist"),
                            customer_no=draft.customer_no, no=no)
    lines = draft_lines(s, no)
    entry_lines, (remaining, interest, fee, line_fee) = check_draft(kind, no, party, lines)
    changes = stale_lines(s, lines)
    if changes and not allow_stale:
        raise StaleDocumentError(
            N_("{kind} {no} was not issued: {changes}. Recompute it (issue --recompute, or "
               "Recompute on its card) and issue again."), kind=NAMES[kind], no=no,
            changes="; ".join(changes[:3]) + ("; ..." if len(changes) > 3 else ""))
    post_interest, post_fee, post_line_fee = post_flags(s, kind, draft)
    posted_interest = interest if post_interest else ZERO
    posted_fees = (fee if post_fee else ZERO) + (line_fee if post_line_fee else ZERO)
    issued_no = next_document_no(s, SERIES[f"issued_{kind}"])
    register_no = entry_no = transaction_no = None
    if posted_interest + posted_fees > 0:
        group = s.get(PostingGroup, ("customer", party.posting_group))
        if group is None:
            raise NotFoundError(N_("Customer posting group {posting_group} does not exist"),
                                posting_group=party.posting_group)
        poster = Poster(s, source_code=SOURCE[kind], user=user, now=now)
        register_no = poster.post(posting_lines(kind, issued_no, draft, group,
                                                 posted_interest, posted_fees))
        entry_no = poster.ledger_entries[0].entry_no
        transaction_no = poster.transaction_nos[0]
    s.add(IssuedDocument(
        **{k: getattr(draft, k) for k in (
            "kind", "customer_no", "name", "address", "post_code", "city", "country",
            "email", "language", "currency", "terms_code", "fin_charge_terms_code", "level",
            "posting_date", "document_date", "due_date")},
        no=issued_no, pre_assigned_no=no, remaining_amount=to_minor(remaining),
        interest_amount=to_minor(interest), additional_fee=to_minor(fee),
        line_fee=to_minor(line_fee), posted_amount=to_minor(posted_interest + posted_fees),
        interest_posted=bool(posted_interest), fees_posted=bool(posted_fees),
        transaction_no=transaction_no, ledger_entry_no=entry_no, issued_at=now,
        issued_by=user))
    s.flush()
    count = _entries(s, kind, issued_no, draft, entry_lines, bool(posted_interest))
    lines_table, drafts = _table(CollectionLine), _table(CollectionDocument)
    s.execute(update(lines_table).where(lines_table.c.document_no == no)
              .values(document_no="", issued_no=issued_no))
    s.execute(delete(drafts).where(drafts.c.no == no))
    s.expunge(draft)
    audit.record(s, user=user, action="issue", entity=kind, key=issued_no, at=now,
                 note=audit.message(N_("{no} issued as {issued_no}, posted {amount}"), no=no,
                                    issued_no=issued_no, amount=posted_interest + posted_fees))
    message = _("{kind} {no} issued as {issued_no}").format(kind=_(NAMES[kind]), no=no,
                                                            issued_no=issued_no)
    if register_no:
        message += _("; posted {amount} (register {register_no})").format(
            amount=format_amount(posted_interest + posted_fees), register_no=register_no)
    return IssueResult(issued_no, no, register_no, entry_no, posted_interest + posted_fees,
                       count, message)


def _entries(s: Session, kind: str, issued_no: str, draft: CollectionDocument,
             lines: list[CollectionLine], interest_posted: bool) -> int:
    """One reminder/fin. charge entry per line (Core inserts: a bulk issue writes
    thousands); the entries' last issued level rises, a memo marks closed entries."""
    rows = [reminder_entry_row(kind, issued_no, draft, ln, interest_posted) for ln in lines]
    bulk_insert_dicts(s.connection(), _table(ReminderEntry), rows)
    ledger = _table(LedgerEntry)
    if kind == "reminder":
        by_level: dict[int, list[int]] = defaultdict(list)
        for ln in lines:
            assert ln.entry_no is not None
            by_level[ln.level].append(ln.entry_no)
        for level, nos in by_level.items():
            s.execute(update(ledger).where(ledger.c.entry_no.in_(nos),
                                           ledger.c.last_issued_reminder_level < level)
                      .values(last_issued_reminder_level=level))
    elif lines:
        s.execute(update(ledger).where(ledger.c.entry_no.in_([ln.entry_no for ln in lines]),
                                       ledger.c.open.is_(False))
                  .values(closing_interest_calculated=True))
    return len(lines)


def reminder_entry_row(kind: str, issued_no: str, draft: CollectionDocument,
                       line: CollectionLine, interest_posted: bool) -> ReminderEntryRow:
    """The reminder/fin. charge entry of one entry line of ``draft`` issued as
    ``issued_no`` (its interest counts as posted when the document posted interest)."""
    assert line.entry_no is not None  # entry lines carry their customer entry
    return ReminderEntryRow(
        kind=kind, issued_no=issued_no, customer_no=draft.customer_no, level=line.level,
        posting_date=draft.posting_date, document_date=draft.document_date,
        due_date=draft.due_date, interest_posted=interest_posted and line.interest_amount > 0,
        interest_amount=line.interest_amount, customer_entry_no=line.entry_no,
        remaining_amount=line.remaining_amount, canceled=False)


def _table(model: Any) -> Any:
    return model.__table__


def cancel(s: Session, kind: str, no: str, *, user: str, now: datetime) -> CancelResult:
    """Cancel issued document ``no``: reverse its posting, roll the levels back."""
    issued = s.exec(select(IssuedDocument).where(IssuedDocument.no == no)
                    .with_for_update()).first()
    if issued is None or issued.kind != kind:
        raise NotFoundError(N_("{kind} {no} does not exist"), kind=ISSUED_NAMES[kind], no=no)
    if issued.canceled:
        raise ApplicationError(N_("{kind} {no} has already been cancelled."),
                               kind=ISSUED_NAMES[kind], no=no)
    entries = list(s.exec(select(ReminderEntry).where(ReminderEntry.issued_no == no)).all())
    nos = [e.customer_entry_no for e in entries]
    if kind == "reminder" and nos:
        later = s.exec(select(ReminderEntry).where(
            col(ReminderEntry.customer_entry_no).in_(nos), ReminderEntry.kind == kind,
            col(ReminderEntry.canceled).is_(False), ReminderEntry.issued_no != no,
            col(ReminderEntry.entry_no) > min(e.entry_no or 0 for e in entries))).first()
        if later is not None:
            raise ApplicationError(
                N_(
                    "{kind} {no} cannot be cancelled: entry {customer_entry_no} was "
                    "reminded again by {issued_no} (level {level}); cancel {issued_no} "
                    "first."
                ),
                kind=ISSUED_NAMES[kind],
                no=no,
                customer_entry_no=later.customer_entry_no,
                issued_no=later.issued_no,
                level=later.level,
            )
    register_no = None
    if issued.transaction_no is not None:
        try:
            result = reverse(s, user, transaction_nos=[issued.transaction_no])
        except ApplicationError as exc:
            raise ApplicationError(N_("{kind} {no} cannot be cancelled: {exc}"),
                                   kind=ISSUED_NAMES[kind], no=no, exc=exc) from None
        register_no = result.register_no
        issued.cancel_transaction_no = result.transaction_nos[0] if result.transaction_nos \
            else None
    for e in entries:
        e.canceled = True
    s.flush()
    _roll_back_levels(s, kind, nos)
    issued.canceled, issued.canceled_at, issued.canceled_by = True, now, user
    audit.record(s, user=user, action="cancel", entity=kind, key=no, at=now,
                 note=audit.message(N_("cancelled {no}, reversed in register {register_no}")
                                    if register_no else N_("cancelled {no}"), no=no,
                                    register_no=register_no))
    message = _("{kind} {no} cancelled").format(kind=_(ISSUED_NAMES[kind]), no=no)
    if register_no:
        message += _("; its posting was reversed (register {register_no})").format(
            register_no=register_no)
    return CancelResult(no, register_no, len(entries), message)


def _roll_back_levels(s: Session, kind: str, entry_nos: list[int]) -> None:
    if not entry_nos:
        return
    ledger = s.exec(select(LedgerEntry).where(col(LedgerEntry.entry_no).in_(entry_nos))).all()
    live = s.exec(select(ReminderEntry).where(
        col(ReminderEntry.customer_entry_no).in_(entry_nos),
        col(ReminderEntry.canceled).is_(False))).all()
    for e in ledger:
        mine = [r for r in live if r.customer_entry_no == e.entry_no]
        if kind == "reminder":
            e.last_issued_reminder_level = max((r.level for r in mine if r.kind == "reminder"),
                                               default=0)
        elif not any(r.kind == "finance_charge" for r in mine):
            e.closing_interest_calculated = False
