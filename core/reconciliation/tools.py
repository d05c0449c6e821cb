"""Candidates for Apply Manually, Transfer Difference to Account, Map Text to Account."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.money import from_minor
from core.ledger.models import BankLedgerEntry, LedgerEntry, Party
from core.reconciliation.common import recompute
from core.reconciliation.journal import next_line_no
from core.reconciliation.manual import applied_elsewhere
from core.reconciliation.mappings import add_mapping as add_mapping  # re-exported
from core.reconciliation.mappings import check_account
from core.reconciliation.mappings import mapping_view as mapping_view  # re-exported
from core.reconciliation.models import AppliedPaymentEntry, ReconLine
from core.reconciliation.types import CandidateView

MAX_CANDIDATES = 200
TRANSFER_SCORE = 3000


# --- Apply Manually: candidates -------------------------------------------------------------


def _alt_details(line: ReconLine) -> dict[int, str]:
    out: dict[int, str] = {}
    for alt in json.loads(line.alternatives_json or "[]"):
        for no in alt.get("entry_nos", ()):
            out.setdefault(int(no), f"{alt['summary']} (score {alt['score']})")
    return out


def _cv_rows(s: Session, line: ReconLine, account: tuple[str, str] | None,
             here: dict[int, int]) -> list[LedgerEntry]:
    le = LedgerEntry
    base = select(le).where(col(le.open).is_(True))
    base = base.where(le.remaining_amount > 0) if line.amount > 0 else base.where(
        le.remaining_amount < 0)
    if account is not None:
        stmt = base.where(le.party_type == account[0], le.party_no == account[1])
        return list(s.exec(stmt.order_by(col(le.due_date)).limit(MAX_CANDIDATES)).all())
    wanted = set(here) | set(_alt_details(line))
    rows = list(s.exec(select(le).where(col(le.entry_no).in_(sorted(wanted)))).all()
                ) if wanted else []
    same = s.exec(base.where(func.abs(le.remaining_amount) == abs(line.amount))
                  .limit(MAX_CANDIDATES)).all()
    seen = {e.entry_no for e in rows}
    return rows + [e for e in same if e.entry_no not in seen]


def cv_candidates(s: Session, line: ReconLine, account: tuple[str, str] | None,
                  apps: list[AppliedPaymentEntry]) -> list[CandidateView]:
    here = {a.applies_to_entry_no: a.applied_amount for a in apps
            if a.applies_to_entry_no is not None and a.account_type != "bank_account"}
    rows = _cv_rows(s, line, account, here)
    nos = [e.entry_no for e in rows]
    elsewhere = applied_elsewhere(s, "cv", nos, line.id) if nos else {}
    names = {(p.party_type, p.no): p.name for p in s.exec(select(Party).where(
        col(Party.no).in_(sorted({e.party_no for e in rows})))).all()} if rows else {}
    details = _alt_details(line)
    out = [_cv_view(e, line.transaction_date, here.get(e.entry_no, 0),
                    elsewhere.get(e.entry_no, 0), names.get((e.party_type, e.party_no), ""),
                    details.get(e.entry_no, "")) for e in rows]
    return sorted(out, key=lambda c: (not c.applied, c.due_date or c.posting_date,
                                      c.entry_no))


def _cv_view(e: LedgerEntry, day: date, here: int, elsewhere: int, name: str,
             detail: str) -> CandidateView:
    due = max((d for d in (e.pmt_discount_date, e.pmt_disc_tolerance_date) if d),
              default=None)
    disc = e.remaining_pmt_disc_possible if due and day <= due else 0
    return CandidateView(
        account_type=e.party_type, account_no=e.party_no, account_name=name,
        entry_no=e.entry_no, document_type=e.document_type, document_no=e.document_no,
        external_document_no=e.external_document_no, description=e.description,
        posting_date=e.posting_date, due_date=e.due_date,
        remaining=from_minor(e.remaining_amount),
        remaining_incl_discount=from_minor(e.remaining_amount - disc),
        pmt_discount_date=e.pmt_discount_date, applied_here=from_minor(here),
        applied_elsewhere=from_minor(elsewhere),
        available=from_minor(e.remaining_amount - elsewhere), applied=bool(here),
        match_details=detail)


def bank_candidates(s: Session, line: ReconLine, bank_no: str,
                    apps: list[AppliedPaymentEntry]) -> list[CandidateView]:
    here = {a.applies_to_entry_no: a.applied_amount for a in apps
            if a.applies_to_entry_no is not None and a.account_type == "bank_account"}
    rows = list(s.exec(select(BankLedgerEntry).where(
        BankLedgerEntry.bank_account_no == bank_no, col(BankLedgerEntry.open).is_(True))
        .order_by(col(BankLedgerEntry.posting_date)).limit(MAX_CANDIDATES)).all())
    rows = [b for b in rows if b.remaining_amount * line.amount > 0]
    elsewhere = applied_elsewhere(s, "bank", [b.entry_no for b in rows], line.id) if rows else {}
    return [CandidateView(
        account_type="bank_account", account_no=bank_no, account_name="",
        entry_no=b.entry_no, document_type="bank", document_no=b.document_no,
        external_document_no=b.external_document_no, description=b.description,
        posting_date=b.posting_date, due_date=None, remaining=from_minor(b.remaining_amount),
        remaining_incl_discount=from_minor(b.remaining_amount), pmt_discount_date=None,
        applied_here=from_minor(here.get(b.entry_no, 0)),
        applied_elsewhere=from_minor(elsewhere.get(b.entry_no, 0)),
        available=from_minor(b.remaining_amount - elsewhere.get(b.entry_no, 0)),
        applied=b.entry_no in here) for b in rows]


# --- Transfer Difference to Account -------------------------------------------------------


def _to_account(s: Session, line: ReconLine, account_type: str, account_no: str,
                amount: int) -> None:
    assert line.id is not None
    s.add(AppliedPaymentEntry(journal_id=line.journal_id, line_id=line.id,
                              account_type=account_type, account_no=account_no,
                              applies_to_entry_no=None, applied_amount=amount,
                              quality=TRANSFER_SCORE, match_confidence="manual"))
    line.account_type, line.account_no = account_type, account_no
    line.match_confidence, line.score, line.review_required = "manual", TRANSFER_SCORE, False
    line.applied_amount, line.difference = amount, line.amount - amount


def transfer(s: Session, line: ReconLine, apps: list[AppliedPaymentEntry],
             account_type: str, account_no: str, description: str,
             user: str) -> tuple[ReconLine | None, str]:
    """BC Transfer Difference to Account: whole line, or split into a new line."""
    check_account(s, account_type, account_no)
    diff = line.difference
    if diff == 0:
        raise LettrageError(N_("Statement line {line_no} has no difference to transfer."),
                            line_no=line.line_no)
    note = json.dumps([_("Difference transferred to {account_type} {account_no} by {user}.").format(
                           account_type=account_type, account_no=account_no, user=user)])
    if diff == line.amount and not apps:
        _to_account(s, line, account_type, account_no, diff)
        line.description = (description or line.description)[:250]
        line.details_json, line.version = note, line.version + 1
        return None, ""
    child = ReconLine(journal_id=line.journal_id, line_no=next_line_no(s, line.journal_id),
                      transaction_date=line.transaction_date, value_date=line.value_date,
                      transaction_text=description or line.transaction_text,
                      description=(description or line.description)[:250], amount=diff,
                      related_party_name=line.related_party_name,
                      related_party_iban=line.related_party_iban,
                      transaction_id=line.transaction_id, parent_line_no=line.line_no,
                      details_json=note)
    s.add(child)
    s.flush()
    _to_account(s, child, account_type, account_no, diff)
    line.amount -= diff
    recompute(line, apps)
    line.version += 1
    shown = from_minor(diff)
    return child, (_("The value in the Transaction Amount field has been reduced by {shown}. A "
                     "new line with {shown} in the Transaction Amount field has been "
                     "created.").format(shown=shown))
