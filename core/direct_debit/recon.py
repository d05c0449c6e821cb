"""Direct debit in the payment reconciliation journal (bc-spec §3 Direct Debit rule,
extended to batches and returns), hooked in through ``ReconExtension``.

Before Apply Automatically (``claim_lines``):
- a credit whose end-to-end ID is a collection entry's Transaction ID applies to that
  entry's invoice (M6, High, score 3999);
- a batch credit (``PmtInfId`` of a batch, or the collection's message ID) is split into
  one line per entry of the batch, each applied to its invoice (or, when the payment
  receipts were posted already, to their bank ledger entries);
- a return (R-transaction: ``RtrInf``, negative, end-to-end ID) goes to the customer as
  an unapplied refund of the collected amount, its fee to the bank's return fee account;
  an unknown end-to-end ID or a return already undone goes to review with a note.
After posting (``after_post``): the returned entry becomes Rejected with its reason, the
mandate counter rolls back, the payment is unapplied from the invoice (which reopens)
and the refund is applied to the payment; the collected entries become Posted.
"""

from __future__ import annotations

import json

from sqlalchemy import delete
from sqlalchemy import select as sa_select  # more columns than sqlmodel's select types
from sqlmodel import Session, col, select

from core.application import Decisions
from core.application.applying import tolerance_setup, write_application
from core.application.unapplying import application_details, write_unapply
from core.direct_debit.collection_status import refresh_status
from core.direct_debit.models import DDBankSetup, DDCollection, DDEntry, DDMandate
from core.i18n import _
from core.kernel.money import from_minor
from core.ledger.bank_statements import BankStatementLine
from core.ledger.models import BankLedgerEntry, DetailedLedgerEntry, LedgerEntry
from core.ledger.poster import Poster
from core.reconciliation.extensions import ReconExtension
from core.reconciliation.journal import next_line_no
from core.reconciliation.models import AppliedPaymentEntry, ReconJournal, ReconLine
from core.reconciliation.post import PostRun

DD_SCORE = 3999  # High P1
COLLECTED = ("file_created", "posted")


def _reset(s: Session, line: ReconLine, b: BankStatementLine) -> None:
    """Undo an earlier run: drop the extension's child lines, restore the amount."""
    kids = list(s.exec(select(ReconLine).where(
        ReconLine.journal_id == line.journal_id, ReconLine.parent_line_no == line.line_no,
        ReconLine.statement_line_id == b.id)).all())
    ids = [k.id for k in kids if k.id is not None] + [line.id or 0]
    s.execute(delete(AppliedPaymentEntry).where(col(AppliedPaymentEntry.line_id).in_(ids)))
    for k in kids:
        s.delete(k)
    line.amount = b.amount
    line.applied_amount, line.difference = 0, b.amount
    line.account_type = line.account_no = ""
    s.flush()


def _set(line: ReconLine, account_type: str, account_no: str, applied: int, note: str,
         description: str, review: bool = False) -> None:
    line.account_type, line.account_no = account_type, account_no
    line.match_confidence = "none" if review else "high"
    line.score = 0 if review else DD_SCORE
    line.review_required = review
    line.applied_amount, line.difference = applied, line.amount - applied
    line.details_json = json.dumps([note], ensure_ascii=False)
    line.description = description[:250]
    line.version += 1


def _review(line: ReconLine, note: str) -> None:
    _set(line, "", "", 0, note, line.description, review=True)


def _app(s: Session, line: ReconLine, account_type: str, account_no: str,
         entry: LedgerEntry | BankLedgerEntry | None, amount: int, doc_type: str = "",
         doc_no: str = "") -> None:
    assert line.id is not None
    s.add(AppliedPaymentEntry(
        journal_id=line.journal_id, line_id=line.id, account_type=account_type,
        account_no=account_no, applies_to_entry_no=entry.entry_no if entry else None,
        document_type=doc_type, document_no=doc_no, applied_amount=amount,
        quality=DD_SCORE, match_confidence="high",
        entry_version=entry.version if entry is not None else 0))


def _child(s: Session, parent: ReconLine, amount: int) -> ReconLine:
    kid = ReconLine(journal_id=parent.journal_id, line_no=next_line_no(s, parent.journal_id),
                    statement_line_id=parent.statement_line_id,
                    transaction_date=parent.transaction_date, value_date=parent.value_date,
                    transaction_text=parent.transaction_text,
                    additional_info=parent.additional_info, amount=amount,
                    related_party_name=parent.related_party_name,
                    transaction_id=parent.transaction_id, parent_line_no=parent.line_no)
    s.add(kid)
    s.flush()
    return kid


def _collection(s: Session, e: DDEntry) -> DDCollection:
    c = s.get(DDCollection, e.collection_no)
    assert c is not None
    return c


def _credit(s: Session, line: ReconLine, entries: list[DDEntry], label: str) -> None:
    """Apply a credit over ``entries``: their open bank ledger entries when the payment
    receipts were posted already, else their invoices (one line each: the line itself,
    then children split off it)."""
    posted = [e for e in entries if e.status == "posted" and e.payment_entry_no]
    if posted and len(posted) == len(entries):
        banks: list[BankLedgerEntry] = []
        for e in posted:
            ble = _bank_entry_of_payment(s, e.payment_entry_no or 0, _collection(s, e))
            if ble is None:
                return _review(line, _("Direct debit entry {entry}: its bank ledger entry is "
                                       "not open any more.").format(entry=e.id))
            banks.append(ble)
        for ble in banks:
            _app(s, line, "bank_account", ble.bank_account_no, ble, ble.remaining_amount)
        _set(line, "bank_account", banks[0].bank_account_no, line.amount, label, label)
        return None
    invoices: list[tuple[DDEntry, LedgerEntry]] = []
    for e in entries:
        inv = s.get(LedgerEntry, e.ledger_entry_no)
        if e.status != "file_created" or inv is None or not inv.open \
                or inv.remaining_amount < e.amount:
            return _review(line, _("Direct debit entry {entry}: invoice {document_no} is "
                                   "not open for {amount} any more.").format(
                                       entry=e.id, document_no=e.document_no,
                                       amount=from_minor(e.amount)))
        invoices.append((e, inv))
    for k, (e, inv) in enumerate(invoices):
        target = line if k == 0 else _child(s, line, e.amount)
        if k == 0:
            line.amount = e.amount
        _app(s, target, "customer", e.customer_no, inv, e.amount, "invoice", e.document_no)
        text = _("{label}: entry {entry}, invoice {document_no}").format(
            label=label, entry=e.id, document_no=e.document_no)
        _set(target, "customer", e.customer_no, e.amount, text, text)
    return None


def _bank_entry_of_payment(s: Session, payment_no: int, c: DDCollection
                           ) -> BankLedgerEntry | None:
    pay = s.get(LedgerEntry, payment_no)
    if pay is None:
        return None
    return s.exec(select(BankLedgerEntry).where(
        BankLedgerEntry.transaction_no == pay.transaction_no,
        BankLedgerEntry.bank_account_no == c.bank_account_no,
        col(BankLedgerEntry.open).is_(True))).first()


def _return(s: Session, line: ReconLine, b: BankStatementLine, seen: set[str]) -> None:
    e2e = b.end_to_end_id
    e = s.exec(select(DDEntry).where(DDEntry.transaction_id == e2e)).first() if e2e else None
    if e is None:
        return _review(line, _("Return (reason {reason}) for end-to-end ID {e2e}: no direct "
                               "debit collection entry has this ID. Review the line.").format(
                                   reason=b.return_reason or "-", e2e=e2e or "-"))
    if e.returned or e2e in seen:
        return _review(line, _("Direct debit entry {entry} ({document_no}) was already "
                               "returned; this return undoes nothing again. Review the "
                               "line.").format(entry=e.id, document_no=e.document_no))
    seen.add(e2e)
    fee = -b.amount - e.amount
    setup = s.get(DDBankSetup, _collection(s, e).bank_account_no)
    if fee < 0 or (fee and not (setup and setup.return_fee_account)):
        return _review(line, _("Return of direct debit entry {entry}: the line does not match "
                               "its amount {amount}, or no return fee account is set up for "
                               "the bank.").format(entry=e.id, amount=from_minor(e.amount)))
    c = _collection(s, e)
    label = _("Return {reason} of direct debit {identifier}, entry {entry}, invoice "
              "{document_no}").format(reason=b.return_reason or "", identifier=c.identifier,
                                      entry=e.id, document_no=e.document_no)
    line.amount = -e.amount
    _app(s, line, "customer", e.customer_no, None, -e.amount)
    _set(line, "customer", e.customer_no, -e.amount, label, label)
    if fee and setup is not None:
        kid = _child(s, line, -fee)
        _app(s, kid, "gl_account", setup.return_fee_account, None, -fee)
        text = _("Return fee of direct debit {identifier}, entry {entry}").format(
            identifier=c.identifier, entry=e.id)
        _set(kid, "gl_account", setup.return_fee_account, -fee, text, text)
    return None


def _batch_entries(s: Session, ref: str) -> tuple[list[DDEntry], str]:
    rows = list(s.exec(select(DDEntry).where(DDEntry.payment_info_id == ref)
                       .order_by(col(DDEntry.id))).all())
    if not rows:
        c = s.exec(select(DDCollection).where(DDCollection.identifier == ref)).first()
        if c is not None:
            rows = list(s.exec(select(DDEntry).where(DDEntry.collection_no == c.no)
                               .order_by(col(DDEntry.id))).all())
    ids = {r.collection_no for r in rows}
    c = s.get(DDCollection, min(ids)) if ids else None
    return ([r for r in rows if r.status in COLLECTED and not r.returned],
            c.identifier if c else "")


def claim_lines(s: Session, j: ReconJournal) -> set[int]:
    """The open lines that are direct debits, claimed and applied here. Which lines are
    is decided on column rows and one look-up of the end-to-end IDs (10,000 lines, one
    query instead of one per line); only the direct-debit lines are loaded as objects."""
    rl, bsl = ReconLine, BankStatementLine
    rows = list(s.execute(sa_select(col(rl.id), col(bsl.id), col(bsl.amount), col(bsl.returned),
                                 col(bsl.return_reason), col(bsl.end_to_end_id),
                                 col(bsl.batch_ref))
                          .join(bsl, col(bsl.id) == col(rl.statement_line_id))
                          .where(col(rl.journal_id) == j.id, col(rl.status) == "open",
                                 col(rl.parent_line_no).is_(None),  # split-offs: with parent
                                 col(rl.match_confidence).not_in(("manual", "accepted")))
                          .order_by(col(rl.line_no))))
    known = _collection_ids(s, sorted({r[5] for r in rows if r[2] >= 0 and r[5]}))
    batches: dict[str, bool] = {}
    claimed: set[int] = set()
    seen: set[str] = set()
    for line_id, b_id, amount, returned, reason, e2e, batch in rows:
        if amount < 0:
            if not ((returned or reason) and (e2e or reason)):
                continue
        elif e2e not in known:
            if not batch:
                continue
            if batch not in batches:
                batches[batch] = bool(_batch_entries(s, batch)[0])
            if not batches[batch]:
                continue
        line, b = s.get(ReconLine, line_id), s.get(BankStatementLine, b_id)
        assert line is not None and b is not None
        _reset(s, line, b)
        if b.amount < 0:
            _return(s, line, b, seen)
        else:
            _claim_credit(s, line, b)
        claimed |= _family(s, line, b)
    s.flush()
    return claimed


def _collection_ids(s: Session, e2e_ids: list[str]) -> set[str]:
    """The end-to-end IDs among ``e2e_ids`` that are direct-debit Transaction IDs."""
    found: set[str] = set()
    for start in range(0, len(e2e_ids), 500):
        found.update(s.exec(select(DDEntry.transaction_id).where(
            col(DDEntry.transaction_id).in_(e2e_ids[start:start + 500]))).all())
    return found


def _claim_credit(s: Session, line: ReconLine, b: BankStatementLine) -> None:
    e = s.exec(select(DDEntry).where(DDEntry.transaction_id == b.end_to_end_id)).first() \
        if b.end_to_end_id else None
    if e is not None and e.status in COLLECTED and e.amount == b.amount:
        c = _collection(s, e)
        return _credit(s, line, [e], _("Direct debit {identifier}").format(
            identifier=c.identifier))
    entries, identifier = _batch_entries(s, b.batch_ref) if b.batch_ref else ([], "")
    total = sum(x.amount for x in entries)
    if not entries or total != b.amount:
        return _review(line, _("Batch {batch} of direct debit {identifier}: the line amount "
                               "{amount} differs from its entries' total {total}.").format(
                                   batch=b.batch_ref or "-", identifier=identifier or "-",
                                   amount=from_minor(b.amount), total=from_minor(total)))
    return _credit(s, line, entries, _("Direct debit {identifier}, batch {batch}").format(
        identifier=identifier, batch=b.batch_ref))


def _family(s: Session, line: ReconLine, b: BankStatementLine) -> set[int]:
    kids = s.exec(select(ReconLine.id).where(
        ReconLine.journal_id == line.journal_id, ReconLine.parent_line_no == line.line_no,
        ReconLine.statement_line_id == b.id)).all()
    return {line.id or 0, *(k for k in kids if k is not None)}


# --- after posting ---------------------------------------------------------------------


def after_post(s: Session, run: PostRun) -> None:
    ids = sorted({ln.statement_line_id for ln in run.lines if ln.statement_line_id})
    if not ids:
        return
    stmt = {b.id: b for b in s.exec(select(BankStatementLine).where(
        col(BankStatementLine.id).in_(ids))).all()}
    touched: set[int] = set()
    for ln in run.lines:
        b = stmt.get(ln.statement_line_id)
        if b is None or ln.match_confidence != "high" or ln.score != DD_SCORE:
            continue
        for a in run.apps.get(ln.id or 0, []):
            if ln.amount > 0 and a.account_type == "customer" and a.applies_to_entry_no:
                _collected(s, a.applies_to_entry_no, touched)
            elif ln.amount > 0 and a.account_type == "bank_account":
                continue
            elif ln.amount < 0 and a.account_type == "customer":
                _undo(s, run, ln, b, touched)
    for no in touched:
        c = s.get(DDCollection, no)
        if c is not None:
            refresh_status(s, c)


def _collected(s: Session, invoice_no: int, touched: set[int]) -> None:
    e = s.exec(select(DDEntry).where(DDEntry.ledger_entry_no == invoice_no,
                                     col(DDEntry.status).in_(COLLECTED))).first()
    if e is None:
        return
    found = _latest_payment(s, invoice_no)
    e.status, e.version = "posted", e.version + 1
    e.payment_entry_no = found[1] if found else None
    touched.add(e.collection_no)


def _latest_payment(s: Session, invoice_no: int) -> tuple[int, int] | None:
    """(application no., payment entry no.) of the invoice's latest live application."""
    d = s.exec(select(DetailedLedgerEntry).where(
        DetailedLedgerEntry.ledger_entry_no == invoice_no,
        DetailedLedgerEntry.entry_type == "application",
        col(DetailedLedgerEntry.unapplied).is_(False))
        .order_by(col(DetailedLedgerEntry.entry_no).desc())).first()
    if d is None or d.application_no is None:
        return None
    other = s.exec(select(DetailedLedgerEntry).where(
        DetailedLedgerEntry.application_no == d.application_no,
        DetailedLedgerEntry.ledger_entry_no != invoice_no)).first()
    return (d.application_no, other.ledger_entry_no) if other else None


def _undo(s: Session, run: PostRun, ln: ReconLine, b: BankStatementLine,
          touched: set[int]) -> None:
    e = s.exec(select(DDEntry).where(DDEntry.transaction_id == b.end_to_end_id)
               .with_for_update()).first()
    if e is None or e.returned:
        return
    if e.status in COLLECTED:
        m = s.get(DDMandate, e.mandate_id)
        if m is not None and m.debit_counter > 0:
            m.debit_counter, m.closed, m.version = m.debit_counter - 1, False, m.version + 1
    e.status, e.reject_reason, e.returned = "rejected", (b.return_reason or "")[:35], True
    e.version += 1
    touched.add(e.collection_no)
    refund = _refund_entry(s, run, e)
    found = _latest_payment(s, e.ledger_entry_no)
    if refund is None or found is None:
        return
    app_no, payment_no = found
    details = application_details(s, app_no)
    involved = {x.entry_no: x for x in s.exec(select(LedgerEntry).where(col(
        LedgerEntry.entry_no).in_(sorted({d.ledger_entry_no for d in details})))
        .with_for_update()).all()}
    day = max(run.statement_date, max(d.posting_date for d in details))
    poster = Poster(s, source_code="DDRETURN", user=run.user, now=run.now,
                    journal_batch=f"{run.bank.no}/{run.journal.statement_no}")
    poster.begin_transaction()
    write_unapply(s, poster, details, involved, day, run.journal.statement_no)
    payment = involved[payment_no]
    party = poster.accounts.party("customer", e.customer_no)
    assert party is not None
    write_application(poster, refund, [payment], day, "refund", run.journal.statement_no,
                      tolerance_setup(poster, party), Decisions())
    poster.finish()


def _refund_entry(s: Session, run: PostRun, e: DDEntry) -> LedgerEntry | None:
    if run.posting is None:
        return None
    for v in run.posting.ledger_entries:
        if v.party_no == e.customer_no and v.document_type == "refund":
            le = s.get(LedgerEntry, v.entry_no)
            if le is not None and le.open and le.remaining_amount == e.amount:
                return le
    return None


def extension() -> ReconExtension:
    return ReconExtension("direct_debit", claim_lines=claim_lines, after_post=after_post)

