"""The bank's pain.002 payment status report (Customer Payment Status Report), imported
before settlement: every transaction it rejects (``TxSts`` RJCT, or a rejected payment
information block or whole message) marks its collection entry Rejected with the reason
code and rolls the mandate counter back. An entry whose payment receipt was posted
already is undone as a return is: the payment is unapplied from the invoice (which
reopens) and a refund on the bank account is applied to it. A report is applied once:
its message ID (or the same file) is refused the second time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree
from sqlmodel import Session, col, select

from core.application import Decisions
from core.application.applying import tolerance_setup, write_application
from core.application.unapplying import application_details, write_unapply
from core.direct_debit.collection_status import refresh_status
from core.direct_debit.models import DDCollection, DDEntry, DDStatusReport
from core.direct_debit.receipts import reject
from core.direct_debit.rules import DirectDebitError
from core.direct_debit.views import StatusReport
from core.i18n import N_
from core.kernel.money import from_minor
from core.ledger.drafts import LineDraft
from core.ledger.models import DetailedLedgerEntry, LedgerEntry
from core.ledger.poster import Poster

SOURCE_CODE = "DDSTATUS"


@dataclass(frozen=True)
class StatusRow:
    """One rejection a pain.002 names: a transaction (end-to-end ID), a payment
    information block (``PmtInfId``, no transactions listed) or the whole message."""

    end_to_end_id: str
    status: str
    reason: str
    payment_info_id: str = ""


@dataclass(frozen=True)
class Pain002:
    msg_id: str
    original_msg_id: str
    rows: tuple[StatusRow, ...]
    group_status: str = ""
    group_reason: str = ""


def read_pain002(data: bytes) -> Pain002:
    """The message ID, the original message ID and the rejections of a pain.002
    (any version: the namespace decides)."""
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

    msg_id = (root.findtext(q("CstmrPmtStsRpt/GrpHdr/MsgId")) or "").strip()
    if not msg_id:
        raise DirectDebitError(N_("The status report has no message ID (GrpHdr/MsgId); "
                                  "nothing was changed."))
    grp = root.find(q("CstmrPmtStsRpt/OrgnlGrpInfAndSts"))
    original = (grp.findtext(q("OrgnlMsgId")) or "").strip() if grp is not None else ""
    group_status = (grp.findtext(q("GrpSts")) or "") if grp is not None else ""
    group_reason = (grp.findtext(q("StsRsnInf/Rsn/Cd")) or "") if grp is not None else ""
    rows: list[StatusRow] = []
    for pmt in root.iter(f"{{{ns}}}OrgnlPmtInfAndSts"):
        pmt_id = (pmt.findtext(q("OrgnlPmtInfId")) or "").strip()
        status = pmt.findtext(q("PmtInfSts")) or ""
        reason = pmt.findtext(q("StsRsnInf/Rsn/Cd")) or group_reason
        txs = list(pmt.iter(f"{{{ns}}}TxInfAndSts"))
        if not txs and status == "RJCT":
            rows.append(StatusRow("", status, reason, pmt_id))
        for tx in txs:
            rows.append(StatusRow((tx.findtext(q("OrgnlEndToEndId")) or "").strip(),
                                  tx.findtext(q("TxSts")) or status or group_status,
                                  tx.findtext(q("StsRsnInf/Rsn/Cd")) or reason, pmt_id))
    return Pain002(msg_id, original, tuple(rows), group_status, group_reason)


def apply_status_report(s: Session, report: Pain002, data: bytes, file_name: str,
                        user: str, today: date, now: datetime) -> StatusReport:
    """Reject what the report rejects, inside the caller's unit of work; refuses a
    report already imported (same message ID or same file)."""
    sha = hashlib.sha256(data).hexdigest()
    done = s.exec(select(DDStatusReport).where(
        (DDStatusReport.msg_id == report.msg_id) | (DDStatusReport.file_sha256 == sha))).first()
    if done is not None:
        raise DirectDebitError(N_("Status report {msg_id} was already imported on {day} by "
                                  "{user}; nothing was changed."), msg_id=done.msg_id,
                               day=done.imported_at.date(), user=done.imported_by or "-")
    collection = s.exec(select(DDCollection).where(
        DDCollection.identifier == report.original_msg_id)).first() \
        if report.original_msg_id else None
    if report.original_msg_id and collection is None:
        raise DirectDebitError(N_("Status report {msg_id} answers message {original}, which "
                                  "is no direct debit collection here; nothing was changed."),
                               msg_id=report.msg_id, original=report.original_msg_id)
    targets = _targets(s, report, collection)
    rejected: list[int] = []
    reopened: list[int] = []
    unknown: list[str] = []
    skipped: list[str] = []
    touched: set[int] = set()
    for label, e, reason in targets:
        if e is None:
            unknown.append(label)
        elif e.status == "file_created":
            reject(s, e, reason)
            rejected.append(e.id or 0)
        elif e.status == "posted" and not e.returned:
            _undo_posted(s, e, reason, user, today, now)
            rejected.append(e.id or 0)
            reopened.append(e.id or 0)
            touched.add(e.collection_no)
        else:
            skipped.append(e.transaction_id)
    for no in touched:
        c = s.get(DDCollection, no)
        if c is not None:
            refresh_status(s, c)
    s.add(DDStatusReport(msg_id=report.msg_id[:35], file_name=file_name[-255:],
                         file_sha256=sha, imported_at=now, imported_by=user[:50],
                         rejected=len(rejected)))
    s.flush()
    return StatusReport(report.msg_id, report.original_msg_id, tuple(rejected),
                        tuple(reopened), tuple(unknown), tuple(skipped))


def _targets(s: Session, report: Pain002, collection: DDCollection | None
             ) -> list[tuple[str, DDEntry | None, str]]:
    """(what the report named, the entry or None, reason) of every rejection."""
    out: list[tuple[str, DDEntry | None, str]] = []
    rows = list(report.rows)
    if not rows and report.group_status == "RJCT" and collection is not None:
        rows = [StatusRow("", "RJCT", report.group_reason)]
    for r in rows:
        if r.status != "RJCT":
            continue
        if r.end_to_end_id:
            e = s.exec(select(DDEntry).where(DDEntry.transaction_id == r.end_to_end_id)
                       .with_for_update()).first()
            out.append((r.end_to_end_id, e, r.reason))
            continue
        q = select(DDEntry).order_by(col(DDEntry.id)).with_for_update()
        if r.payment_info_id:
            q = q.where(DDEntry.payment_info_id == r.payment_info_id)
        if collection is not None:
            q = q.where(DDEntry.collection_no == collection.no)
        elif not r.payment_info_id:
            continue
        found = list(s.exec(q).all())
        out.extend((e.transaction_id, e, r.reason) for e in found)
        if not found:
            out.append((r.payment_info_id or report.original_msg_id, None, r.reason))
    return out


def _undo_posted(s: Session, e: DDEntry, reason: str, user: str, today: date,
                 now: datetime) -> None:
    """The entry's payment receipt was posted but the bank rejected the debit: unapply
    the payment from the invoice and apply a refund on the bank account to it."""
    payment = s.get(LedgerEntry, e.payment_entry_no) if e.payment_entry_no else None
    c = s.get(DDCollection, e.collection_no)
    if payment is None or c is None or (payment.remaining_amount != 0 \
            and payment.remaining_amount != -e.amount):
        raise DirectDebitError(N_("Entry {entry} ({document_no}): its payment receipt was "
                                  "posted and changed since; undo it by hand before importing "
                                  "the status report. Nothing was changed."),
                               entry=e.id, document_no=e.document_no)
    apps = s.exec(select(DetailedLedgerEntry).where(
        DetailedLedgerEntry.ledger_entry_no == payment.entry_no,
        DetailedLedgerEntry.entry_type == "application",
        col(DetailedLedgerEntry.unapplied).is_(False))).all()
    app_nos = sorted({d.application_no for d in apps if d.application_no is not None})
    details = [d for no in app_nos for d in application_details(s, no)]
    day = max([today, *(d.posting_date for d in details)])
    refund_poster = Poster(s, source_code=SOURCE_CODE, user=user, now=now,
                           journal_batch=f"DD/{c.identifier}")
    refund_poster.post([LineDraft(
        posting_date=day, account_type="customer", account_no=e.customer_no,
        amount=from_minor(e.amount), document_type="refund", document_no=c.identifier,
        external_document_no=e.transaction_id,
        description=f"{c.identifier} {e.document_no} {reason}".strip()[:100],
        bal_account_type="bank_account", bal_account_no=c.bank_account_no,
        ref=f"entry {e.id}")])
    refund_no = next(v.entry_no for v in refund_poster.ledger_entries
                     if v.party_type == "customer")
    refund = s.get(LedgerEntry, refund_no)
    involved = {x.entry_no: x for x in s.exec(select(LedgerEntry).where(col(
        LedgerEntry.entry_no).in_(sorted({d.ledger_entry_no for d in details}
                                         | {payment.entry_no}))).with_for_update()).all()}
    assert refund is not None
    poster = Poster(s, source_code=SOURCE_CODE, user=user, now=now,
                    journal_batch=f"DD/{c.identifier}")
    poster.begin_transaction()
    if details:
        write_unapply(s, poster, details, involved, day, c.identifier)
    party = poster.accounts.party("customer", e.customer_no)
    assert party is not None
    write_application(poster, refund, [involved[payment.entry_no]], day, "refund",
                      c.identifier, tolerance_setup(poster, party), Decisions())
    poster.finish()
    e.status, e.returned = "file_created", True  # reject() takes File Created entries
    reject(s, e, reason)
