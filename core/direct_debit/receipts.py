"""After the export: Reject an entry, Close a collection, Post Payment Receipts, and the
bank's pain.002 status report (rejections before settlement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree
from sqlmodel import Session, col, select

from core.application.applying import apply_on_posting
from core.direct_debit.export import get_collection
from core.direct_debit.models import STATUS_LABELS, DDCollection, DDEntry, DDMandate
from core.direct_debit.rules import DirectDebitError
from core.i18n import N_, _
from core.kernel.errors import NotFoundError
from core.kernel.money import from_minor
from core.ledger.drafts import LineDraft
from core.ledger.poster import Poster

SOURCE_CODE = "DIRDEBIT"


def get_entry(s: Session, entry_id: int) -> DDEntry:
    e = s.exec(select(DDEntry).where(DDEntry.id == entry_id).with_for_update()).first()
    if e is None:
        raise NotFoundError(N_("Direct debit collection entry {entry} does not exist."),
                            entry=entry_id)
    return e


def reject(s: Session, e: DDEntry, reason: str) -> None:
    """File Created -> Rejected with the reason; the mandate's counter rolls back."""
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


def close(c: DDCollection) -> None:
    if c.status in ("closed", "canceled"):
        raise DirectDebitError(N_("Collection {no} is already {status}."), no=c.no,
                               status=STATUS_LABELS[c.status])
    c.status, c.version = "closed", c.version + 1


def refresh_status(s: Session, c: DDCollection) -> None:
    """Posted when every entry that was not rejected is posted."""
    statuses = set(s.exec(select(DDEntry.status).where(DDEntry.collection_no == c.no)).all())
    if c.status == "file_created" and statuses and statuses <= {"posted", "rejected"} \
            and "posted" in statuses:
        c.status, c.version = "posted", c.version + 1


def post_receipts(s: Session, collection_no: int, user: str) -> tuple[DDCollection, int, int]:
    """One payment per File Created entry, applied to its invoice, on the collection's
    bank account; returns the collection, the register no. and the payments posted."""
    c = get_collection(s, collection_no, lock=True)
    if c.status not in ("file_created", "posted"):
        raise DirectDebitError(N_("Collection {no} must be exported (File Created) before its "
                                  "payment receipts are posted; its status is {status}."),
                               no=collection_no, status=STATUS_LABELS[c.status])
    entries = list(s.exec(select(DDEntry).where(DDEntry.collection_no == collection_no,
                                                DDEntry.status == "file_created")
                          .order_by(col(DDEntry.id)).with_for_update()).all())
    if not entries:
        raise DirectDebitError(N_("Collection {no} has no File Created entries to post."),
                               no=collection_no)
    drafts = [LineDraft(
        posting_date=e.transfer_date, account_type="customer", account_no=e.customer_no,
        amount=-from_minor(e.amount), document_type="payment", document_no=c.identifier,
        external_document_no=e.transaction_id,
        description=_("{document_no} {customer_no} Direct Debit").format(
            document_no=e.document_no, customer_no=e.customer_no)[:100],
        bal_account_type="bank_account", bal_account_no=c.bank_account_no,
        applies_to_doc_type="invoice", applies_to_doc_no=e.document_no,
        ref=f"entry {e.id}") for e in entries]
    poster = Poster(s, source_code=SOURCE_CODE, user=user,
                    journal_batch=f"DD/{c.identifier}", apply_hook=apply_on_posting)
    register_no = poster.post(drafts)
    payments = [le for le in poster.ledger_entries if le.party_type == "customer"]
    for e, p in zip(entries, payments, strict=True):
        e.status, e.payment_entry_no, e.version = "posted", p.entry_no, e.version + 1
    s.flush()
    refresh_status(s, c)
    return c, register_no, len(entries)


@dataclass(frozen=True)
class StatusReport:
    """What a pain.002 did: entries rejected, end-to-end IDs it named that are unknown
    here or not File Created (left alone)."""

    rejected: tuple[int, ...]
    unknown: tuple[str, ...]
    skipped: tuple[str, ...]


def read_pain002(data: bytes) -> list[tuple[str, str, str]]:
    """(original end-to-end ID, status, reason) of every transaction a pain.002 names;
    a rejected payment information block rejects its transactions."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             no_network=True))
    except etree.XMLSyntaxError as exc:
        raise DirectDebitError(N_("Not an XML status report: {reason}"), reason=str(exc)) from None
    ns = etree.QName(root).namespace or ""
    if "pain.002" not in ns:
        raise DirectDebitError(N_("Not a pain.002 status report (namespace {ns})."), ns=ns)

    def q(path: str) -> str:
        return "/".join(f"{{{ns}}}{p}" for p in path.split("/"))

    out: list[tuple[str, str, str]] = []
    for pmt in root.iter(f"{{{ns}}}OrgnlPmtInfAndSts"):
        group = pmt.findtext(q("PmtInfSts")) or ""
        group_reason = pmt.findtext(q("StsRsnInf/Rsn/Cd")) or ""
        for tx in pmt.iter(f"{{{ns}}}TxInfAndSts"):
            e2e = tx.findtext(q("OrgnlEndToEndId")) or ""
            status = tx.findtext(q("TxSts")) or group
            reason = tx.findtext(q("StsRsnInf/Rsn/Cd")) or group_reason
            out.append((e2e, status, reason))
    return out


def apply_status_report(s: Session, rows: list[tuple[str, str, str]]) -> StatusReport:
    rejected: list[int] = []
    unknown: list[str] = []
    skipped: list[str] = []
    for e2e, status, reason in rows:
        if status != "RJCT":
            continue
        e = s.exec(select(DDEntry).where(DDEntry.transaction_id == e2e)).first()
        if e is None:
            unknown.append(e2e)
        elif e.status != "file_created":
            skipped.append(e2e)
        else:
            reject(s, e, reason)
            rejected.append(e.id or 0)
    return StatusReport(tuple(rejected), tuple(unknown), tuple(skipped))


def set_transfer_date(e: DDEntry, day: date, amount: int | None, today: date,
                      open_amount: int) -> None:
    """Edit a New entry: transfer date (today or later) and amount (> 0, at most what
    its invoice has open and not on other entries)."""
    if e.status != "new":
        raise DirectDebitError(N_("Entry {entry} can only be changed while New."), entry=e.id)
    if day < today:
        raise DirectDebitError(N_("The transfer date must be today or later."))
    if amount is not None:
        if amount <= 0:
            raise DirectDebitError(N_("The amount must be positive."))
        if amount > open_amount:
            raise DirectDebitError(N_("The amount cannot exceed {amount}, what the invoice has "
                                      "open and not on other entries."),
                                   amount=from_minor(open_amount))
        e.amount = amount
    e.transfer_date, e.version = day, e.version + 1
