"""Issue many reminders or finance charge memos at once (Reminder Automation, the list's
Issue on a selection).

The drafts, their lines, customers and the entries they remind are read in a few
queries; each draft is checked exactly as ``issue.issue`` checks it (a refused draft is
reported and left as a draft); the issued numbers come from the number series in one
statement; the interest and fees of every draft that posts are posted by ONE run of the
posting engine (one register, one transaction per issued document, each balanced); the
issued headers, reminder entries, level updates, line moves and audit rows are written
with a handful of ``executemany`` statements. The caller runs it inside a savepoint and
falls back to ``issue.issue`` one by one when the batch as a whole fails.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.audit import trail as audit
from core.audit.models import AuditEntry, AuditEntryRow
from core.collections.create import reserve_numbers
from core.collections.defaults import SERIES, ensure_series
from core.collections.issue import (
    DOC_TYPE,
    NAMES,
    SOURCE,
    StaleDocumentError,
    check_draft,
    draft_or_explain,
    post_flags,
    posting_lines,
    reminder_entry_row,
    stale_changes,
)
from core.collections.models import (
    LINE_ENTRY,
    CollectionDocument,
    CollectionLine,
    IssuedDocument,
    IssuedDocumentRow,
    ReminderEntry,
    ReminderEntryRow,
)
from core.collections.views import IssueResult
from core.i18n import N_, _, format_amount
from core.kernel.errors import LettrageError, NotFoundError
from core.kernel.money import ZERO, to_minor
from core.kernel.records import bulk_insert_dicts
from core.kernel.store import chunks
from core.ledger.models import LedgerEntry, Party, PostingGroup
from core.ledger.poster import Poster


@dataclass
class _Ready:
    """A draft that passed every check, with what issuing it writes."""

    draft: CollectionDocument
    entry_lines: list[CollectionLine]
    remaining: Decimal
    interest: Decimal
    fee: Decimal
    line_fee: Decimal
    posted_interest: Decimal
    posted_fees: Decimal
    group: PostingGroup | None
    issued_no: str = ""


def _in_chunks(s: Session, model: Any, column: Any, keys: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    wanted = sorted(set(keys))
    for i in range(0, len(wanted), 500):
        out += s.exec(select(model).where(col(column).in_(wanted[i:i + 500]))).all()
    return out


def _remaining_of(s: Session, entry_nos: list[int]) -> dict[int, int]:
    t = LedgerEntry.__table__  # type: ignore[attr-defined]
    out: dict[int, int] = {}
    for part in chunks(sorted(set(entry_nos))):
        out.update((no, rem) for no, rem in s.execute(
            sa_select(t.c.entry_no, t.c.remaining_amount).where(t.c.entry_no.in_(part))).all())
    return out


def _check_all(s: Session, kind: str, nos: Sequence[str]
               ) -> tuple[list[_Ready], list[tuple[str, str]]]:
    drafts = {d.no: d for d in _in_chunks(s, CollectionDocument, CollectionDocument.no, nos)}
    lines: dict[str, list[CollectionLine]] = defaultdict(list)
    for ln in sorted(_in_chunks(s, CollectionLine, CollectionLine.document_no, list(drafts)),
                     key=lambda ln: ln.line_no):
        lines[ln.document_no].append(ln)
    parties = {p.no: p for p in _in_chunks(
        s, Party, Party.no, [d.customer_no for d in drafts.values()])
        if p.party_type == "customer"}
    remaining = _remaining_of(s, [ln.entry_no for ls in lines.values() for ln in ls
                                  if ln.line_type == LINE_ENTRY and ln.entry_no])
    flags: dict[str, tuple[bool, bool, bool]] = {}
    groups: dict[str, PostingGroup | None] = {}
    ready: list[_Ready] = []
    failed: list[tuple[str, str]] = []
    for no in nos:
        try:
            draft = drafts.get(no)
            if draft is None or draft.kind != kind:
                draft = draft_or_explain(s, kind, no)  # raises with BC's message
            party = parties.get(draft.customer_no)
            if party is None:
                raise NotFoundError(N_("Customer {customer_no} of {no} does not exist"),
                                    customer_no=draft.customer_no, no=no)
            mine = lines[no]
            entry_lines, totals_ = check_draft(kind, no, party, mine)
            changes = stale_changes(mine, remaining)
            if changes:
                raise StaleDocumentError(
                    N_("{kind} {no} was not issued: {changes}. Recompute it (issue "
                       "--recompute, or Recompute on its card) and issue again."),
                    kind=NAMES[kind], no=no,
                    changes="; ".join(changes[:3]) + ("; ..." if len(changes) > 3 else ""))
            if draft.terms_code not in flags:
                flags[draft.terms_code] = post_flags(s, kind, draft)
            post_interest, post_fee, post_line_fee = flags[draft.terms_code]
            rem, interest, fee, line_fee = totals_
            posted_interest = interest if post_interest else ZERO
            posted_fees = (fee if post_fee else ZERO) + (line_fee if post_line_fee else ZERO)
            group = None
            if posted_interest + posted_fees > 0:
                if party.posting_group not in groups:
                    groups[party.posting_group] = s.get(PostingGroup,
                                                        ("customer", party.posting_group))
                group = groups[party.posting_group]
                if group is None:
                    raise NotFoundError(N_("Customer posting group {posting_group} does not "
                                           "exist"), posting_group=party.posting_group)
                posting_lines(kind, no, draft, group, posted_interest, posted_fees)  # checks
            ready.append(_Ready(draft, entry_lines, rem, interest, fee, line_fee,
                                posted_interest, posted_fees, group))
        except LettrageError as exc:
            failed.append((no, str(exc)))
    return ready, failed


def issue_batch(s: Session, kind: str, nos: Sequence[str], *, user: str, now: datetime
                ) -> tuple[list[IssueResult], list[tuple[str, str]]]:
    """Issue the drafts ``nos`` inside session ``s``: (issued, refused with reasons).
    A failure of the whole batch (the posting refused) raises; the caller rolls back."""
    ensure_series(s)
    ready, failed = _check_all(s, kind, nos)
    if not ready:
        return [], failed
    for r, issued_no in zip(ready, reserve_numbers(s, SERIES[f"issued_{kind}"], len(ready)),
                            strict=True):
        r.issued_no = issued_no
    posted = _post(s, kind, ready, user, now)
    register_no = posted[0] if posted else None
    by_doc = posted[1] if posted else {}
    _write(s, kind, ready, by_doc, user, now)
    done = []
    for r in ready:
        amount = r.posted_interest + r.posted_fees
        entry_no, _transaction_no = by_doc.get(r.issued_no, (None, None))
        message = _("{kind} {no} issued as {issued_no}").format(
            kind=_(NAMES[kind]), no=r.draft.no, issued_no=r.issued_no)
        if entry_no is not None:
            message += _("; posted {amount} (register {register_no})").format(
                amount=format_amount(amount), register_no=register_no)
        done.append(IssueResult(r.issued_no, r.draft.no,
                                register_no if entry_no is not None else None, entry_no,
                                amount, len(r.entry_lines), message))
    return done, failed


def _post(s: Session, kind: str, ready: list[_Ready], user: str, now: datetime
          ) -> tuple[int, dict[str, tuple[int, int]]] | None:
    """One posting for every draft that posts interest or fees: register no. and, per
    issued no., its customer entry and transaction."""
    lines = [ln for r in ready if r.group is not None
             for ln in posting_lines(kind, r.issued_no, r.draft, r.group, r.posted_interest,
                                     r.posted_fees)]
    if not lines:
        return None
    poster = Poster(s, source_code=SOURCE[kind], user=user, now=now)
    register_no = poster.post(lines)
    return register_no, {e.document_no: (e.entry_no, e.transaction_no)
                         for e in poster.ledger_entries
                         if e.document_type == DOC_TYPE[kind]}


def _write(s: Session, kind: str, ready: list[_Ready], by_doc: dict[str, tuple[int, int]],
           user: str, now: datetime) -> None:
    heads: list[IssuedDocumentRow] = []
    entries: list[ReminderEntryRow] = []
    audits: list[AuditEntryRow] = []
    for r in ready:
        posted = r.posted_interest + r.posted_fees
        entry_no, transaction_no = by_doc.get(r.issued_no, (None, None))
        heads.append(_issued_row(r, posted, entry_no, transaction_no, now, user))
        entries += [reminder_entry_row(kind, r.issued_no, r.draft, ln, bool(r.posted_interest))
                    for ln in r.entry_lines]
        audits.append(AuditEntryRow(
            at=now, user=user, action="issue", entity=kind, record_key=r.issued_no,
            changes=json.dumps({}),
            note=audit.message(N_("{no} issued as {issued_no}, posted {amount}"),
                               no=r.draft.no, issued_no=r.issued_no, amount=posted)))
    conn = s.connection()  # Core executemany, as the deletes and updates below
    bulk_insert_dicts(conn, _table(IssuedDocument), heads)
    bulk_insert_dicts(conn, _table(ReminderEntry), entries)
    _levels(s, kind, [ln for r in ready for ln in r.entry_lines])
    lines_t, drafts_t = _table(CollectionLine), _table(CollectionDocument)
    s.execute(update(lines_t).where(lines_t.c.document_no == bindparam("_draft"))
              .values(document_no="", issued_no=bindparam("_issued")),
              [{"_draft": r.draft.no, "_issued": r.issued_no} for r in ready])
    draft_nos = [r.draft.no for r in ready]
    for i in range(0, len(draft_nos), 500):
        s.execute(delete(drafts_t).where(drafts_t.c.no.in_(draft_nos[i:i + 500])))
    bulk_insert_dicts(conn, _table(AuditEntry), audits)
    for r in ready:
        s.expunge(r.draft)


def _issued_row(r: _Ready, posted: Decimal, entry_no: int | None,
                transaction_no: int | None, now: datetime, user: str) -> IssuedDocumentRow:
    """The issued document of a ready draft: the draft's header, its issued no. and
    totals in minor units, and the posting that carried it (if any)."""
    d = r.draft
    return IssuedDocumentRow(
        no=r.issued_no, kind=d.kind, pre_assigned_no=d.no, customer_no=d.customer_no,
        name=d.name, address=d.address, post_code=d.post_code, city=d.city,
        country=d.country, email=d.email, language=d.language, currency=d.currency,
        terms_code=d.terms_code, fin_charge_terms_code=d.fin_charge_terms_code,
        level=d.level, posting_date=d.posting_date, document_date=d.document_date,
        due_date=d.due_date, remaining_amount=to_minor(r.remaining),
        interest_amount=to_minor(r.interest), additional_fee=to_minor(r.fee),
        line_fee=to_minor(r.line_fee), posted_amount=to_minor(posted),
        interest_posted=bool(r.posted_interest), fees_posted=bool(r.posted_fees),
        transaction_no=transaction_no, ledger_entry_no=entry_no, issued_at=now,
        issued_by=user)


def _levels(s: Session, kind: str, lines: list[CollectionLine]) -> None:
    """The entries' last issued level rises (a memo marks its closed entries)."""
    ledger = _table(LedgerEntry)
    if kind == "reminder":
        by_level: dict[int, list[int]] = defaultdict(list)
        for ln in lines:
            assert ln.entry_no is not None
            by_level[ln.level].append(ln.entry_no)
        for level, nos in by_level.items():
            for part in chunks(sorted(set(nos))):
                s.execute(update(ledger).where(ledger.c.entry_no.in_(part),
                                               ledger.c.last_issued_reminder_level < level)
                          .values(last_issued_reminder_level=level))
        return
    nos = sorted({ln.entry_no for ln in lines if ln.entry_no is not None})
    for part in chunks(nos):
        s.execute(update(ledger).where(ledger.c.entry_no.in_(part), ledger.c.open.is_(False))
                  .values(closing_interest_calculated=True))


def _table(model: Any) -> Any:
    return model.__table__
