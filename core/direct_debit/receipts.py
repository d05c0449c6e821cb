"""After the export: Reject an entry, Close a collection, Post Payment Receipts (posted at
once, or as cash receipt journal lines the clerk reviews and posts: BC's Create Journal
Only)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from core.application.applying import apply_on_posting
from core.direct_debit.collection_status import refresh_status
from core.direct_debit.export import get_collection
from core.direct_debit.models import STATUS_LABELS, DDCollection, DDEntry, DDMandate
from core.direct_debit.rules import DirectDebitError
from core.i18n import N_, _
from core.kernel.errors import NotFoundError
from core.kernel.money import from_minor
from core.ledger.drafts import LineDraft
from core.ledger.models import JournalBatch, JournalLine, LedgerEntry
from core.ledger.poster import Poster

SOURCE_CODE = "DIRDEBIT"


def get_entry(s: Session, entry_id: int) -> DDEntry:
    e = s.exec(select(DDEntry).where(DDEntry.id == entry_id).with_for_update()).first()
    if e is None:
        raise NotFoundError(N_("Direct debit collection entry {entry} does not exist."),
                            entry=entry_id)
    return e


def reject(s: Session, e: DDEntry, reason: str) -> None:
    """File Created -> Rejected with the reason; the mandate's counter rolls back and
    its payment line still waiting in a cash receipt journal (journal only) goes."""
    if e.status != "file_created":
        raise DirectDebitError(N_("Entry {entry} cannot be rejected: its status is {status} "
                                  "(only File Created entries can be)."),
                               entry=e.id, status=STATUS_LABELS[e.status])
    e.status, e.reject_reason, e.version = "rejected", reason.strip()[:35], e.version + 1
    m = s.get(DDMandate, e.mandate_id)
    if m is not None and m.debit_counter > 0:
        closed_by_count = not m.ignore_expected and m.debit_counter >= m.expected_debits
        m.debit_counter -= 1
        if closed_by_count:
            m.closed = False
        m.version += 1
    s.execute(delete(JournalLine).where(
        col(JournalLine.external_document_no) == e.transaction_id,
        col(JournalLine.account_type) == "customer",
        col(JournalLine.account_no) == e.customer_no))


def close(c: DDCollection) -> None:
    if c.status in ("closed", "canceled"):
        raise DirectDebitError(N_("Collection {no} is already {status}."), no=c.no,
                               status=STATUS_LABELS[c.status])
    c.status, c.version = "closed", c.version + 1


def _postable(s: Session, collection_no: int) -> tuple[DDCollection, list[DDEntry], int]:
    """The collection, its File Created entries and how many entries were found posted
    from a cash receipt journal meanwhile (now Posted); refused when it is not
    exported, has nothing to post or has its payments waiting in a journal."""
    c = get_collection(s, collection_no, lock=True)
    if c.status not in ("file_created", "posted"):
        raise DirectDebitError(N_("Collection {no} must be exported (File Created) before its "
                                  "payment receipts are posted; its status is {status}."),
                               no=collection_no, status=STATUS_LABELS[c.status])
    entries = list(s.exec(select(DDEntry).where(DDEntry.collection_no == collection_no,
                                                DDEntry.status == "file_created")
                          .order_by(col(DDEntry.id)).with_for_update()).all())
    synced = _mark_posted_from_journal(s, entries)
    entries = [e for e in entries if e.status == "file_created"]
    if synced:
        s.flush()
        refresh_status(s, c)
    if not entries and not synced:
        raise DirectDebitError(N_("Collection {no} has no File Created entries to post."),
                               no=collection_no)
    waiting = s.exec(select(JournalBatch.name, func.count()).join(
        JournalLine, col(JournalLine.batch_id) == col(JournalBatch.id)).where(
        col(JournalLine.external_document_no).in_([e.transaction_id for e in entries]))
        .group_by(col(JournalBatch.name))).first()
    if waiting is not None:
        raise DirectDebitError(N_("{count} payment receipts of collection {no} are already in "
                                  "cash receipt journal batch {batch}: post or delete them "
                                  "there first."), count=waiting[1], no=collection_no,
                               batch=waiting[0])
    return c, entries, synced


def _mark_posted_from_journal(s: Session, entries: list[DDEntry]) -> int:
    """Entries whose payment was posted from the cash receipt journal (a customer
    payment carrying the entry's Transaction ID) become Posted; returns how many."""
    count = 0
    if not entries:
        return count
    by_id = {e.transaction_id: e for e in entries}
    for le in s.exec(select(LedgerEntry).where(
            LedgerEntry.party_type == "customer", LedgerEntry.document_type == "payment",
            col(LedgerEntry.external_document_no).in_(sorted(by_id)))).all():
        e = by_id.get(le.external_document_no)
        if e is not None and le.party_no == e.customer_no and e.status == "file_created":
            e.status, e.payment_entry_no, e.version = "posted", le.entry_no, e.version + 1
            count += 1
    return count


def _drafts(c: DDCollection, entries: list[DDEntry]) -> list[LineDraft]:
    return [LineDraft(
        posting_date=e.transfer_date, account_type="customer", account_no=e.customer_no,
        amount=-from_minor(e.amount), document_type="payment", document_no=c.identifier,
        external_document_no=e.transaction_id,
        description=_("{document_no} {customer_no} Direct Debit").format(
            document_no=e.document_no, customer_no=e.customer_no)[:100],
        bal_account_type="bank_account", bal_account_no=c.bank_account_no,
        applies_to_doc_type="invoice", applies_to_doc_no=e.document_no,
        ref=f"entry {e.id}") for e in entries]


def post_receipts(s: Session, collection_no: int, user: str
                  ) -> tuple[DDCollection, int, int, int]:
    """One payment per File Created entry, applied to its invoice, on the collection's
    bank account; returns the collection, the register no., the payments posted and
    the entries found posted from a cash receipt journal meanwhile."""
    c, entries, synced = _postable(s, collection_no)
    if not entries:
        return c, 0, 0, synced
    poster = Poster(s, source_code=SOURCE_CODE, user=user,
                    journal_batch=f"DD/{c.identifier}", apply_hook=apply_on_posting)
    register_no = poster.post(_drafts(c, entries))
    payments = [le for le in poster.ledger_entries if le.party_type == "customer"]
    for e, p in zip(entries, payments, strict=True):
        e.status, e.payment_entry_no, e.version = "posted", p.entry_no, e.version + 1
    s.flush()
    refresh_status(s, c)
    return c, register_no, len(entries), synced


JOURNAL_BATCH = "DIRDEBIT"  # the cash receipt batch Create Journal Only fills by default


def create_journal_lines(s: Session, collection_no: int, batch_name: str
                         ) -> tuple[DDCollection, str, int, int]:
    """BC's Create Journal Only: the same payment lines in a cash receipt journal batch
    (created when missing), not posted; the entries stay File Created until the clerk
    posts the batch. Returns the collection, the batch name, the lines written and the
    entries found posted from a journal meanwhile."""
    name = (batch_name or JOURNAL_BATCH).strip().upper()
    if len(name) > 20:
        raise DirectDebitError(N_("A batch name needs 1 to 20 characters"))
    c, entries, synced = _postable(s, collection_no)
    if not entries:
        return c, name, 0, synced
    batch = s.exec(select(JournalBatch).where(JournalBatch.template == "cash_receipt",
                                              JournalBatch.name == name)).first()
    if batch is None:
        batch = JournalBatch(template="cash_receipt", name=name, description=_(
            "Direct debit payment receipts"))
        s.add(batch)
        s.flush()
    last = s.exec(select(func.max(JournalLine.line_no)).where(
        JournalLine.batch_id == batch.id)).one()
    step = 10000
    for k, (e, d) in enumerate(zip(entries, _drafts(c, entries), strict=True), 1):
        s.add(JournalLine(
            batch_id=batch.id or 0, line_no=int(last or 0) + k * step,
            posting_date=d.posting_date, document_type=d.document_type,
            document_no=d.document_no, external_document_no=d.external_document_no,
            account_type=d.account_type, account_no=d.account_no, description=d.description,
            amount=-e.amount, bal_account_type=d.bal_account_type,
            bal_account_no=d.bal_account_no, applies_to_doc_type=d.applies_to_doc_type,
            applies_to_doc_no=d.applies_to_doc_no))
    s.flush()
    return c, name, len(entries), synced


def set_transfer_date(e: DDEntry, day: date | None, amount: int | None, today: date,
                      open_amount: int) -> None:
    """Edit a New entry (BC: Transfer Date and Transfer Amount are editable while New):
    transfer date today or later, amount above 0 and at most what its invoice has open
    and not on other entries. None leaves a field as it is."""
    if e.status != "new":
        raise DirectDebitError(N_("Entry {entry} can only be changed while New; its status "
                                  "is {status}."), entry=e.id, status=STATUS_LABELS[e.status])
    if day is not None and day < today:
        raise DirectDebitError(N_("The transfer date {day} of entry {entry} is in the past: "
                                  "enter today or a later date."), day=day, entry=e.id)
    if amount is not None:
        if amount <= 0:
            raise DirectDebitError(N_("The amount of entry {entry} must be greater than 0."),
                                   entry=e.id)
        if amount > open_amount:
            raise DirectDebitError(N_("The amount of entry {entry} cannot exceed {amount}, what "
                                      "invoice {document_no} has open and not on other "
                                      "entries."), entry=e.id, amount=from_minor(open_amount),
                                   document_no=e.document_no)
        e.amount = amount
    if day is not None:
        e.transfer_date = day
    e.version += 1
