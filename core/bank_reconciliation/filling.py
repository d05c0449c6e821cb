"""Filling a bank account reconciliation: the document itself, statement import and
Suggest Lines (``BankRecService`` inherits this)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from core.bank_reconciliation.evidence import records, said
from core.bank_reconciliation.models import BankRec, BankRecLine, BankRecLineRow
from core.bank_reconciliation.store import (
    BankRecError,
    check_nos,
    free_statement_no,
    get_bank,
    get_rec,
    latest_open,
    rec_view,
    refresh_lines,
    write_matches,
)
from core.bank_reconciliation.views import RecView
from core.i18n import N_
from core.kernel.money import from_minor, to_minor
from core.kernel.records import bulk_insert_dicts
from core.kernel.store import Clock, Store, chunks, utc_now
from core.kernel.users import os_user
from core.ledger.bank_statements import BankStatementLine
from core.ledger.models import BankLedgerEntry
from core.statements.importer import StatementImportService

IN_REC_STATUS = "in_bank_rec"  # BankStatementLine.status of lines taken by a reconciliation


class RecFilling:
    def __init__(self, store: Store, user: str | None = None, clock: Clock = utc_now) -> None:
        self.store = store
        self.user = user if user is not None else os_user("")
        self.clock = clock

    def _create(self, s: Session, bank_no: str, statement_date: date | None,
                ending_balance: Decimal | None) -> BankRec:
        bank = get_bank(s, bank_no, lock=True)
        if bank.blocked:
            raise BankRecError(N_("Bank account {bank_no} ({name}) is blocked"), bank_no=bank_no,
                               name=bank.name)
        rec = BankRec(bank_account_no=bank_no, statement_no=free_statement_no(s, bank),
                      statement_date=statement_date,
                      balance_last_statement=bank.balance_last_statement,
                      statement_ending_balance=(bank.balance_last_statement
                                                if ending_balance is None
                                                else to_minor(ending_balance)),
                      created_at=self.clock(), user=self.user[:100])
        s.add(rec)
        s.flush()
        return rec

    def import_statement(self, path: Path | str, bank_no: str,
                         statement_date: date | None = None,
                         ending_balance: Decimal | None = None,
                         format: str = "auto",  # noqa: A002 - CLI vocabulary
                         profile: Any = None) -> tuple[RecView, str]:
        """Import a statement file's new lines into a new reconciliation (or the bank's
        empty open one). The statement date and ending balance default to the file's
        closing date and balance; the ending balance must fit (balance last statement +
        Σ lines). Checked before anything is written."""
        importer = StatementImportService(self.store, self.user, self.clock)
        preview = importer.preview(path, bank_no, format=format, profile=profile)
        new = [v.values for sp in preview.statements for v in sp.lines
               if v.kind in ("new", "suspicious")]
        stmts = [sp.statement for sp in preview.statements]
        closing = next((st.closing_balance for st in reversed(stmts)
                        if st.closing_balance is not None), None)
        when = statement_date or next((st.closing_date or st.statement_date
                                       for st in reversed(stmts)
                                       if st.closing_date or st.statement_date), None)
        if when is None and new:
            when = max(v["booking_date"] for v in new)
        with self.store.read() as s:
            bank = get_bank(s, bank_no)
            base = bank.balance_last_statement
            rec = latest_open(s, bank_no)
            if rec is not None and rec_view(s, rec).line_count:
                rec = None
            total = sum(int(v["amount"]) for v in new)
            ending = to_minor(ending_balance) if ending_balance is not None else (
                to_minor(closing) if closing is not None else base + total)
            if ending != base + total:
                given = "given" if ending_balance is not None else "of the file"
                raise BankRecError(
                    N_(
                        "{file_name}: the statement ending balance {ending} ({given}) does "
                        "not fit: balance last statement {base} + {count} new line(s) "
                        "{total} = {from_minor}"
                    ),
                    file_name=preview.file_name,
                    ending=from_minor(ending),
                    given=given,
                    base=from_minor(base),
                    count=len(new),
                    total=from_minor(total),
                    from_minor=from_minor(base + total),
                )
        result = importer.import_(path, bank_no, format=format, profile=profile)
        with self.store.write() as s:
            rec = latest_open(s, bank_no) if rec is not None else None
            if rec is None or rec_view(s, rec).line_count:
                rec = self._create(s, bank_no, when, from_minor(ending))
            else:
                rec.statement_date, rec.statement_ending_balance = when, ending
            rows = list(s.exec(select(BankStatementLine).where(
                col(BankStatementLine.import_id).in_(result.import_ids or [-1]),
                BankStatementLine.status == "new").order_by(col(BankStatementLine.id))))
            self._add_statement_lines(s, rec, rows)
            return rec_view(s, rec), result.message

    def _add_statement_lines(self, s: Session, rec: BankRec,
                             rows: Sequence[BankStatementLine]) -> None:
        next_no = next_line_no(s, rec)
        assert rec.id is not None
        values: list[BankRecLineRow] = []
        for i, r in enumerate(rows):
            text = " ".join(p for p in (r.remittance, r.bank_text) if p).strip()
            values.append(BankRecLineRow(
                rec_id=rec.id, line_no=next_no + i * 10, statement_line_id=r.id,
                transaction_date=r.booking_date, value_date=r.value_date,
                transaction_id=(r.bank_reference or r.entry_reference)[:140],
                description=text or r.bank_transaction_code,
                related_party_name=r.counterparty_name[:255],
                additional_info=r.end_to_end_id, document_no="",
                check_no=r.check_number[:40], amount=r.amount, applied_amount=0,
                difference=r.amount, match_kind="none",
                details_json="[]", version=1, suggested_entry_no=None))
        s.flush()  # the reconciliation header the lines point to is written
        bulk_insert_dicts(s.connection(), BankRecLine.__table__,  # type: ignore[attr-defined]
                          values, chunk=1000)
        ids = [r.id for r in rows if r.id is not None]
        for chunk in chunks(ids):
            s.execute(update(BankStatementLine).where(col(BankStatementLine.id).in_(chunk))
                      .values(status=IN_REC_STATUS, version=BankStatementLine.version + 1)
                      .execution_options(synchronize_session=False))
        rec.version += 1

    def suggest_lines(self, bank_no: str, date_from: date | None, date_to: date | None,
                      exclude_reversed: bool = True, rec_id: int | None = None) -> RecView:
        """BC's Suggest Lines: one line per open bank entry of the period, matched to it
        (for banks that send no file)."""
        with self.store.write() as s:
            get_bank(s, bank_no, lock=True)
            rec = get_rec(s, rec_id, lock=True) if rec_id else latest_open(s, bank_no)
            if rec is None:
                rec = self._create(s, bank_no, date_to, None)
            q = select(BankLedgerEntry).where(
                BankLedgerEntry.bank_account_no == rec.bank_account_no,
                col(BankLedgerEntry.open).is_(True), BankLedgerEntry.statement_status == "open")
            if date_from:
                q = q.where(col(BankLedgerEntry.posting_date) >= date_from)
            if date_to:
                q = q.where(col(BankLedgerEntry.posting_date) <= date_to)
            if exclude_reversed:
                q = q.where(col(BankLedgerEntry.reversed).is_(False))
            entries = list(s.exec(q.order_by(col(BankLedgerEntry.posting_date),
                                             col(BankLedgerEntry.entry_no))))
            if not entries:
                raise BankRecError(
                    N_(
                        "Bank account {bank_account_no} has no open, "
                        "unmatched entries from {value} to {value2}"
                    ),
                    bank_account_no=rec.bank_account_no,
                    value=date_from or "...",
                    value2=date_to or "...",
                )
            no = next_line_no(s, rec)
            checks = check_nos(s, [e.entry_no for e in entries])
            new_lines = []
            for i, e in enumerate(entries):
                ln = BankRecLine(rec_id=rec.id or 0, line_no=no + i * 10,
                                 suggested_entry_no=e.entry_no, transaction_date=e.posting_date,
                                 transaction_id=e.document_no[:140], description=e.description,
                                 document_no=e.document_no, check_no=checks.get(e.entry_no, ""),
                                 amount=e.remaining_amount, difference=e.remaining_amount,
                                 details_json=json.dumps(records([said(
                                     N_("Suggested from bank entry {entry_no}."),
                                     entry_no=e.entry_no)])))
                s.add(ln)
                new_lines.append((ln, e))
            s.flush()
            by_line = {ln.id or 0: [e.entry_no] for ln, e in new_lines}
            write_matches(s, rec, [(ln.id or 0, e.entry_no) for ln, e in new_lines])
            for ln, _e in new_lines:
                ln.match_kind = "one_to_one"
            refresh_lines(s, [ln for ln, _e in new_lines], by_line)
            rec.version += 1
            return rec_view(s, rec)



def next_line_no(s: Session, rec: BankRec) -> int:
    last = s.exec(select(BankRecLine.line_no).where(BankRecLine.rec_id == rec.id)
                  .order_by(col(BankRecLine.line_no).desc())).first()
    return int(last or 0) + 10
