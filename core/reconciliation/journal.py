"""Journals and lines: open (from the imported statement lines), by hand, list, count."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import case, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.i18n import N_
from core.kernel.errors import LettrageError
from core.kernel.money import from_minor, to_minor
from core.kernel.store import chunks
from core.ledger.bank_statements import BankStatementLine, StatementImport
from core.matching.model import StatementText
from core.reconciliation.common import get_bank, next_statement_no, views_of
from core.reconciliation.models import ReconJournal, ReconLine, ReconLineRow
from core.reconciliation.types import REVIEW_ORDER, JournalView, LineView

LINE_STEP = 10000
SortKey = Literal["review", "date"]


@dataclass(frozen=True, slots=True)
class LineDraft(StatementText):
    """A statement line typed in by hand (BC lets the clerk add lines); its texts are
    the engine's ``StatementText`` fields."""

    transaction_date: date
    amount: Decimal
    value_date: date | None = None


def open_journal_of(s: Session, bank_no: str) -> ReconJournal | None:
    return s.exec(select(ReconJournal).where(ReconJournal.bank_account_no == bank_no,
                                             ReconJournal.status == "open")
                  .order_by(col(ReconJournal.id))).first()


def free_statement_no(s: Session, bank_no: str, last: str) -> str:
    """Next statement no. after the bank's last one, skipping numbers already used."""
    used = set(s.exec(select(ReconJournal.statement_no)
                      .where(ReconJournal.bank_account_no == bank_no)).all())
    no = next_statement_no(last)
    while no in used:
        no = next_statement_no(no)
    return no


def new_journal(s: Session, bank_no: str, user: str, now: datetime,
                statement_date: date | None = None,
                ending_balance: Decimal | None = None) -> ReconJournal:
    bank = get_bank(s, bank_no, lock=True)
    if bank.blocked:
        raise LettrageError(N_("Bank account {bank_no} ({name}) is blocked"),
                            bank_no=bank_no, name=bank.name)
    j = ReconJournal(bank_account_no=bank_no,
                     statement_no=free_statement_no(s, bank_no, bank.last_statement_no),
                     statement_date=statement_date, created_at=now, user=user[:100],
                     statement_ending_balance=None if ending_balance is None
                     else to_minor(ending_balance))
    s.add(j)
    s.flush()
    return j


def next_line_no(s: Session, journal_id: int) -> int:
    top = s.exec(select(func.max(ReconLine.line_no))
                 .where(ReconLine.journal_id == journal_id)).one()
    return int(top or 0) + LINE_STEP


def _refs(raw: str) -> tuple[str, list[str]]:
    """(payment reference, referred document numbers) from the import's references."""
    try:
        refs = json.loads(raw or "[]")
    except ValueError:
        return "", []
    creditor = [r["reference"] for r in refs if r.get("kind") == "creditor" and r.get("reference")]
    docs = [r["reference"] for r in refs if r.get("kind") == "document" and r.get("reference")]
    return (creditor[0] if creditor else ""), docs


def _from_statement(journal_id: int, line_no: int, b: BankStatementLine) -> ReconLineRow:
    text = b.remittance or b.bank_text
    extra = [b.bank_text if b.remittance else "",
             b.end_to_end_id if b.end_to_end_id.upper() != "NOTPROVIDED" else "",
             b.check_number]
    payref, docs = _refs(b.references_json)
    return {
        "journal_id": journal_id, "line_no": line_no, "statement_line_id": b.id,
        "transaction_date": b.booking_date, "value_date": b.value_date,
        "transaction_text": text, "additional_info": " ".join(x for x in extra if x),
        "description": text[:250], "amount": b.amount,
        "related_party_name": b.counterparty_name[:255],
        "related_party_address": b.counterparty_address[:255], "related_party_city": "",
        "related_party_iban": b.counterparty_iban[:50], "payment_reference": payref[:140],
        "referred_documents": "\n".join(docs), "transaction_id": b.bank_reference[:140],
        "account_type": "", "account_no": "", "match_confidence": "none", "score": 0,
        "review_required": False, "difference": b.amount, "applied_amount": 0,
        "parent_line_no": None, "details_json": "[]", "alternatives_json": "[]",
        "status": "open", "claimed_by": "", "claimed_at": None, "version": 1,
    }


def take_statement_lines(s: Session, j: ReconJournal) -> int:
    """Move the bank's 'new' staged lines into the journal; returns how many."""
    rows = list(s.exec(select(BankStatementLine).where(
        BankStatementLine.bank_account_no == j.bank_account_no,
        BankStatementLine.status == "new")
        .order_by(col(BankStatementLine.booking_date), col(BankStatementLine.import_id),
                  col(BankStatementLine.line_no))).all())
    if not rows:
        return 0
    assert j.id is not None
    start = next_line_no(s, j.id)
    values = [_from_statement(j.id, start + k * LINE_STEP, b) for k, b in enumerate(rows)]
    for part in chunks(list(range(len(values))), 1000):
        s.execute(insert(ReconLine), [values[k] for k in part])
    ids = [b.id for b in rows if b.id is not None]
    for part in chunks(ids):
        s.execute(update(BankStatementLine).where(col(BankStatementLine.id).in_(part))
                  .values(status="in_journal", version=BankStatementLine.version + 1)
                  .execution_options(synchronize_session=False))
    _statement_header(s, j, rows)
    return len(rows)


def _statement_header(s: Session, j: ReconJournal, rows: list[BankStatementLine]) -> None:
    """Statement date and ending balance from the imported statements, when known."""
    last_day = max(b.booking_date for b in rows)
    j.statement_date = max(last_day, j.statement_date or last_day)
    import_ids = sorted({b.import_id for b in rows})
    imports = s.exec(select(StatementImport).where(col(StatementImport.id).in_(import_ids))
                     ).all()
    closing = [i for i in imports if i.closing_balance is not None]
    if closing:
        latest = max(closing, key=lambda i: (i.closing_date or date.min, i.id or 0))
        j.statement_ending_balance = latest.closing_balance
        if latest.closing_date:
            j.statement_date = max(j.statement_date, latest.closing_date)
    j.version += 1


def add_hand_line(s: Session, j: ReconJournal, d: LineDraft) -> ReconLine:
    assert j.id is not None
    amount = to_minor(d.amount)
    row = ReconLine(journal_id=j.id, line_no=next_line_no(s, j.id),
                    transaction_date=d.transaction_date, value_date=d.value_date,
                    transaction_text=d.text, additional_info=d.additional_info,
                    description=d.text[:250], amount=amount,
                    related_party_name=d.related_party_name,
                    related_party_address=d.related_party_address,
                    related_party_city=d.related_party_city,
                    related_party_iban=d.related_party_iban,
                    payment_reference=d.payment_reference, transaction_id=d.transaction_id,
                    difference=amount)
    s.add(row)
    j.version += 1
    s.flush()
    return row


# --- reading ---------------------------------------------------------------------------


def journal_view(s: Session, j: ReconJournal, message: str = "",
                 notifications: tuple[str, ...] = ()) -> JournalView:
    assert j.id is not None
    bank = get_bank(s, j.bank_account_no)
    rl = ReconLine
    row = s.execute(sa_select(
        func.count(),
        func.sum(case((col(rl.account_no) != "", 1), else_=0)),
        func.sum(case((col(rl.review_required).is_(True), 1), else_=0)),
        func.sum(case((col(rl.difference) != 0, 1), else_=0)),
        func.coalesce(func.sum(col(rl.amount)), 0),
        func.coalesce(func.sum(col(rl.applied_amount)), 0),
    ).where(col(rl.journal_id) == j.id)).one()
    count, applied, review, diff, total, total_applied = (int(v or 0) for v in row)
    return JournalView(
        id=j.id, bank_account_no=j.bank_account_no, bank_account_name=bank.name,
        statement_no=j.statement_no, statement_date=j.statement_date,
        statement_ending_balance=None if j.statement_ending_balance is None
        else from_minor(j.statement_ending_balance),
        balance_last_statement=from_minor(bank.balance_last_statement), status=j.status,
        version=j.version, line_count=count, applied_lines=applied, lines_to_review=review,
        lines_with_difference=diff, total_amount=from_minor(total),
        total_applied=from_minor(total_applied), total_difference=from_minor(total - total_applied),
        message=message, notifications=notifications)


def review_key(v: LineView) -> tuple[int, int, int]:
    """BC's Sort for Review: weakest confidence first, then lowest score."""
    return (REVIEW_ORDER.get(v.confidence, 0), v.score, v.line_no)


def date_key(v: LineView) -> tuple[date, int, int]:
    return (v.transaction_date, v.parent_line_no or v.line_no, v.line_no)


def journal_lines(s: Session, journal_id: int, only_non_applied: bool = False,
                  sort: SortKey = "date", full: bool = True) -> list[LineView]:
    # Plain rows, not ORM objects: the views only read the columns, and a 10,000-line
    # journal loads three times faster this way.
    s.flush()
    table = ReconLine.__table__  # type: ignore[attr-defined]
    stmt = select(table).where(table.c.journal_id == journal_id)
    if only_non_applied:  # BC "Show Non-Applied Lines": lines with a difference
        stmt = stmt.where(table.c.difference != 0)
    views = views_of(s, list(s.connection().execute(stmt)), full)
    return sorted(views, key=review_key if sort == "review" else date_key)  # type: ignore[arg-type]
