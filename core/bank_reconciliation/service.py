"""Bank Account Reconciliation service (bc-spec §6): documents, lines, matching.

``BankRecService(store)`` creates reconciliations (several may be open per bank
account), fills them from an imported statement (``StatementImportService``: same
parsers, same dedupe rules, another account or currency refused) or by Suggest
Lines, matches lines to open bank ledger entries automatically (``auto``) or by hand,
removes matches and changes the statement no. Posting, undo, the test report,
outstanding items and Transfer to General Journal are in ``posting`` and ``transfer``.

A matched entry is marked on the bank ledger (statement status ``applied`` with the
reconciliation's statement no.), so no other open reconciliation can take it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.bank_reconciliation.auto import match_automatically
from core.bank_reconciliation.evidence import records, said
from core.bank_reconciliation.filling import RecFilling
from core.bank_reconciliation.matching import RecEntry, RecLine
from core.bank_reconciliation.models import (
    BankRec,
    BankRecLine,
    BankRecMatch,
    CheckLedgerEntry,
    LineMatchUpdate,
)
from core.bank_reconciliation.store import (
    BankRecError,
    check_nos,
    entries_by_no,
    get_bank,
    get_rec,
    latest_open,
    line_view,
    lines_of,
    matches_of,
    rec_view,
    refresh_lines,
    used_statement_nos,
    write_matches,
)
from core.bank_reconciliation.views import AutoSummary, BankEntryView, RecLineView, RecView
from core.i18n import N_
from core.kernel.gcpause import gc_paused
from core.kernel.money import from_minor, to_minor
from core.kernel.store import chunks
from core.ledger.bank_statements import BankStatementLine
from core.ledger.models import BankLedgerEntry

MANY_TO_MANY = ("Many-to-many matches are not supported: select one statement line and "
                "one or more bank ledger entries, or several lines and one entry.")


class BankRecService(RecFilling):
    """Bank account reconciliations of a company (filling them: ``filling``)."""

    # --- documents -------------------------------------------------------------------

    def recs(self, bank_no: str | None = None, status: str = "open") -> list[RecView]:
        with self.store.read() as s:
            q = select(BankRec).where(BankRec.status == status)
            if bank_no:
                q = q.where(BankRec.bank_account_no == bank_no)
            return [rec_view(s, r) for r in s.exec(q.order_by(col(BankRec.bank_account_no),
                                                              col(BankRec.id)))]

    def rec(self, rec_id: int) -> RecView:
        with self.store.read() as s:
            return rec_view(s, get_rec(s, rec_id, open_only=False))

    def open_rec(self, bank_no: str) -> RecView:
        """The bank account's most recent open reconciliation (for the command line)."""
        with self.store.read() as s:
            get_bank(s, bank_no)
            rec = latest_open(s, bank_no)
            if rec is None:
                raise BankRecError(N_("Bank account {bank_no} has no open bank account "
                                      "reconciliation; import a statement or suggest lines "
                                      "first"), bank_no=bank_no)
            return rec_view(s, rec)

    def create(self, bank_no: str, statement_date: date | None = None,
               ending_balance: Decimal | None = None) -> RecView:
        with self.store.write() as s:
            return rec_view(s, self._create(s, bank_no, statement_date, ending_balance))

    def set_header(self, rec_id: int, statement_date: date | None = None,
                   ending_balance: Decimal | None = None) -> RecView:
        """Set the statement date (matches after it are removed, as BC) and/or the
        statement ending balance."""
        with self.store.write() as s:
            rec = get_rec(s, rec_id, lock=True)
            if ending_balance is not None:
                rec.statement_ending_balance = to_minor(ending_balance)
            if statement_date is not None:
                rec.statement_date = statement_date
                late = list(s.exec(select(BankRecMatch).join(
                    BankLedgerEntry, col(BankLedgerEntry.entry_no) == BankRecMatch.entry_no)
                    .where(BankRecMatch.rec_id == rec_id,
                           col(BankLedgerEntry.posting_date) > statement_date)))
                if late:
                    _unmatch(s, rec, sorted({m.line_id for m in late}))
            rec.version += 1
            return rec_view(s, rec)

    def change_statement_no(self, rec_id: int, new_no: str) -> RecView:
        """BC's Change Statement No.: reuse a number no other statement holds."""
        new_no = new_no.strip()
        with self.store.write() as s:
            rec = get_rec(s, rec_id, lock=True)
            if not new_no or len(new_no) > 20:
                raise BankRecError(N_("A statement no. has 1 to 20 characters"))
            if new_no != rec.statement_no and new_no in used_statement_nos(s, rec.bank_account_no):
                raise BankRecError(
                    N_("Statement no. {new_no} of bank account {bank_account_no} is already used"),
                    new_no=new_no,
                    bank_account_no=rec.bank_account_no,
                )
            old, rec.statement_no = rec.statement_no, new_no
            b, c = BankLedgerEntry, CheckLedgerEntry
            s.execute(update(b).where(
                col(b.bank_account_no) == rec.bank_account_no, col(b.statement_no) == old,
                col(b.statement_status) == "applied", col(b.open).is_(True))
                .values(statement_no=new_no))
            s.execute(update(c).where(
                col(c.bank_account_no) == rec.bank_account_no, col(c.statement_no) == old,
                col(c.statement_status) == "applied").values(statement_no=new_no))
            rec.version += 1
            return rec_view(s, rec)

    def delete(self, rec_id: int) -> None:
        with self.store.write() as s:
            rec = get_rec(s, rec_id, lock=True)
            lines = lines_of(s, rec_id)
            _unmatch(s, rec, [ln.id for ln in lines if ln.id is not None])
            ids = [ln.statement_line_id for ln in lines if ln.statement_line_id]
            for part in chunks(ids):
                s.execute(update(BankStatementLine).where(col(BankStatementLine.id).in_(part))
                          .values(status="new"))
            for ln in lines:
                s.delete(ln)
            s.flush()
            s.delete(rec)

    # --- lines -----------------------------------------------------------------------

    def lines(self, rec_id: int) -> list[RecLineView]:
        with self.store.read() as s:
            get_rec(s, rec_id, open_only=False)
            lines = lines_of(s, rec_id)
            by_line = matches_of(s, rec_id)
            entries = entries_by_no(s, (n for nos in by_line.values() for n in nos))
            return [line_view(ln, [entries[n] for n in by_line.get(ln.id or 0, [])])
                    for ln in lines]

    def entries(self, rec_id: int, include_matched: bool = True) -> list[BankEntryView]:
        """The right pane: open bank entries up to the statement date, with those
        matched here (and, marked, those matched on another open reconciliation)."""
        with self.store.read() as s:
            rec = get_rec(s, rec_id, open_only=False)
            q = select(BankLedgerEntry).where(
                BankLedgerEntry.bank_account_no == rec.bank_account_no,
                col(BankLedgerEntry.open).is_(True))
            if rec.statement_date:
                q = q.where(col(BankLedgerEntry.posting_date) <= rec.statement_date)
            rows = list(s.exec(q.order_by(col(BankLedgerEntry.posting_date),
                                          col(BankLedgerEntry.entry_no))))
            checks = check_nos(s, [e.entry_no for e in rows])
            out = []
            for e in rows:
                here = e.statement_status == "applied" and e.statement_no == rec.statement_no
                elsewhere = e.statement_no if e.statement_status == "applied" and not here else ""
                if here and not include_matched:
                    continue
                out.append(BankEntryView(
                    e.entry_no, e.posting_date, e.document_type, e.document_no,
                    e.external_document_no, e.description, from_minor(e.amount),
                    from_minor(e.remaining_amount), e.statement_status, e.statement_no,
                    checks.get(e.entry_no, ""), here, elsewhere))
            return out

    # --- matching --------------------------------------------------------------------

    def match_auto(self, rec_id: int, tolerance_days: int = 0,
                   amount_alone_needs_text: bool = True) -> AutoSummary:
        """Match Automatically the unmatched lines to the free open entries.
        ``amount_alone_needs_text``: the beyond-BC setting of ``matching`` (False: BC)."""
        if tolerance_days < 0 or tolerance_days > 366:
            raise BankRecError(N_("Transaction date tolerance {tolerance_days} must be 0 "
                                  "to 366 days"), tolerance_days=tolerance_days)
        # gc paused: 60,000 entries and their keys make every older-generation pass
        # walk the whole index again (a third of the run); reference counting frees
        # what the matcher drops
        with gc_paused(), self.store.write() as s:
            rec = get_rec(s, rec_id, lock=True)
            t = BankRecLine
            lines = [RecLine(*row) for row in s.execute(
                sa_select(*(col(c) for c in (t.id, t.transaction_date, t.amount, t.description,
                                             t.related_party_name, t.additional_info,
                                             t.document_no, t.check_no)))
                .where(col(t.rec_id) == rec_id, col(t.match_kind) == "none"))]
            entries = _free_entries(s, rec)
            result = match_automatically(lines, entries, tolerance_days,
                                         amount_alone_needs_text)
            remaining = {e.entry_no: e.amount for e in entries}
            line_no = {int(i or 0): n for i, n in s.exec(
                select(t.id, t.line_no).where(t.rec_id == rec_id)).all()}
            by_id = {ln.id: ln for ln in lines}
            rows: dict[int, LineMatchUpdate] = {}
            pairs: list[tuple[int, int]] = []
            kinds: dict[str, int] = {}
            for m in result.matches:
                kinds[m.kind] = kinds.get(m.kind, 0) + 1
                details = json.dumps(records(m.details), ensure_ascii=False)
                applied = _applied(m.line_ids, m.entry_nos, by_id, remaining, line_no)
                for lid in m.line_ids:
                    rows[lid] = LineMatchUpdate(
                        id=lid, match_kind=m.kind, details_json=details,
                        applied_amount=applied[lid], difference=by_id[lid].amount - applied[lid])
                    pairs += [(lid, n) for n in m.entry_nos]
            for lid, note in result.notes.items():
                said_json = json.dumps(records([note]), ensure_ascii=False)
                if lid in rows:
                    rows[lid]["details_json"] = said_json
                else:
                    rows[lid] = LineMatchUpdate(id=lid, match_kind="none", details_json=said_json,
                                                applied_amount=0, difference=by_id[lid].amount)
            write_matches(s, rec, pairs)
            _update_lines(s, list(rows.values()))
            rec.version += 1
            s.flush()
            return AutoSummary(rec_view(s, rec), sum(1 for r in rows.values()
                                                     if r["match_kind"] != "none"),
                               len({n for _l, n in pairs}), kinds)

    def match_manual(self, rec_id: int, line_ids: Sequence[int],
                     entry_nos: Sequence[int]) -> RecView:
        """One line with n entries, or n lines with one entry (BC Match Manually)."""
        line_ids, entry_nos = sorted(set(line_ids)), sorted(set(entry_nos))
        if not line_ids or not entry_nos:
            raise BankRecError(N_("Select at least one statement line and one bank ledger entry"))
        if len(line_ids) > 1 and len(entry_nos) > 1:
            raise BankRecError(MANY_TO_MANY)
        with self.store.write() as s:
            rec = get_rec(s, rec_id, lock=True)
            lines = {ln.id: ln for ln in lines_of(s, rec_id)}
            for lid in line_ids:
                if lid not in lines:
                    raise BankRecError(N_("Line {lid} is not a line of statement {statement_no}"),
                                       lid=lid, statement_no=rec.statement_no)
            entries = entries_by_no(s, entry_nos)
            for no in entry_nos:
                _check_free(rec, entries.get(no), no)
            existing = matches_of(s, rec_id)
            chosen = set(line_ids)
            for lid, nos in existing.items():
                both = sorted(set(nos) & set(entry_nos))
                if both and lid not in chosen:
                    raise BankRecError(
                        N_(
                            "Bank ledger entry {value} is already matched "
                            "with line {line_no}; remove that match first"
                        ),
                        value=both[0],
                        line_no=lines[lid].line_no,
                    )
            taken = [lid for lid in line_ids if existing.get(lid)]
            if taken:
                _unmatch(s, rec, taken)
            for lid in line_ids:
                ln = lines[lid]
                ln.match_kind = "manual"
                ln.details_json = json.dumps(records([
                    said(N_("Matched by hand by {user}."), user=self.user) if self.user
                    else said(N_("Matched by hand."))]), ensure_ascii=False)
            write_matches(s, rec, [(lid, no) for lid in line_ids for no in entry_nos])
            refresh_lines(s, [lines[lid] for lid in line_ids],
                          {lid: list(entry_nos) for lid in line_ids})
            rec.version += 1
            return rec_view(s, rec)

    def remove_match(self, rec_id: int, line_ids: Sequence[int]) -> RecView:
        with self.store.write() as s:
            rec = get_rec(s, rec_id, lock=True)
            _unmatch(s, rec, list(line_ids))
            rec.version += 1
            return rec_view(s, rec)


# --- helpers --------------------------------------------------------------------------


def _applied(line_ids: Sequence[int], entry_nos: Sequence[int], lines: dict[int, RecLine],
             remaining: dict[int, int], line_no: dict[int, int]) -> dict[int, int]:
    """Applied amounts of a match, as ``store.refresh_lines`` computes them."""
    if len(line_ids) == 1:
        return {line_ids[0]: sum(remaining[n] for n in entry_nos)}
    group = sorted(line_ids, key=lambda i: line_no[i])
    out = {i: lines[i].amount for i in group[:-1]}
    out[group[-1]] = remaining[entry_nos[0]] - sum(out.values())
    return out


def _update_lines(s: Session, batch: list[LineMatchUpdate]) -> None:
    """The match results of the lines (by id) in one Core executemany per 1,000."""
    t = BankRecLine.__table__  # type: ignore[attr-defined]
    stmt = update(t).where(t.c.id == bindparam("b_id")).values(
        match_kind=bindparam("b_kind"), details_json=bindparam("b_details"),
        applied_amount=bindparam("b_applied"), difference=bindparam("b_difference"))
    conn = s.connection()
    for i in range(0, len(batch), 1000):
        conn.execute(stmt, [{"b_id": r["id"], "b_kind": r["match_kind"],
                             "b_details": r["details_json"], "b_applied": r["applied_amount"],
                             "b_difference": r["difference"]} for r in batch[i:i + 1000]])


def _rec_line(ln: BankRecLine) -> RecLine:
    return RecLine(ln.id or 0, ln.transaction_date, ln.amount, ln.description,
                   ln.related_party_name, ln.additional_info, ln.document_no, ln.check_no)


def _free_entries(s: Session, rec: BankRec) -> list[RecEntry]:
    """Open, unmatched entries of the bank up to the statement date (plain tuples)."""
    t = BankLedgerEntry
    q = sa_select(*(col(c) for c in (t.entry_no, t.posting_date, t.remaining_amount,
                                     t.document_no, t.external_document_no,
                                     t.description))).where(
        col(t.bank_account_no) == rec.bank_account_no, col(t.open).is_(True),
        col(t.statement_status) == "open", col(t.reversed).is_(False))
    if rec.statement_date:
        q = q.where(col(t.posting_date) <= rec.statement_date)
    conn = s.connection()  # Core rows: the ORM's result machinery is not needed here
    rows: list[Any] = list(conn.execute(q).all())
    checks: dict[int, str] = dict(conn.execute(
        sa_select(col(CheckLedgerEntry.bank_entry_no), col(CheckLedgerEntry.check_no))
        .where(col(CheckLedgerEntry.bank_account_no) == rec.bank_account_no,
               col(CheckLedgerEntry.open).is_(True))).all())
    return [RecEntry(no, d, amt, doc or "", ext or "", desc or "", checks.get(no, ""))
            for no, d, amt, doc, ext, desc in rows]


def _check_free(rec: BankRec, e: BankLedgerEntry | None, no: int) -> None:
    if e is None or e.bank_account_no != rec.bank_account_no:
        raise BankRecError(N_("Bank ledger entry {no} is not an entry of bank account "
                              "{bank_account_no}"), no=no, bank_account_no=rec.bank_account_no)
    if not e.open:
        raise BankRecError(N_("Bank ledger entry {no} is already closed (statement {value})"),
                           no=no, value=e.statement_no or '-')
    if e.statement_status == "applied" and e.statement_no != rec.statement_no:
        raise BankRecError(N_("Bank ledger entry {no} is matched on statement "
                              "{statement_no}, another open reconciliation; remove that "
                              "match first"), no=no, statement_no=e.statement_no)
    if rec.statement_date and e.posting_date > rec.statement_date:
        raise BankRecError(
            N_(
                "Bank ledger entry {no} is posted on {posting_date}, after "
                "the statement date {statement_date}"
            ),
            no=no,
            posting_date=e.posting_date,
            statement_date=rec.statement_date,
        )


def _unmatch(s: Session, rec: BankRec, line_ids: Sequence[int]) -> None:
    """Remove the matches of ``line_ids`` and of every line sharing their entries."""
    by_line = matches_of(s, rec.id or 0)
    groups = set(line_ids)
    entry_nos = {n for lid in line_ids for n in by_line.get(lid, [])}
    groups |= {lid for lid, nos in by_line.items() if entry_nos & set(nos)}
    entry_nos |= {n for lid in groups for n in by_line.get(lid, [])}
    if not groups:
        return
    for part in chunks(sorted(groups)):
        for m in s.exec(select(BankRecMatch).where(col(BankRecMatch.line_id).in_(part))):
            s.delete(m)
    for part in chunks(sorted(entry_nos)):
        s.execute(update(BankLedgerEntry).where(col(BankLedgerEntry.entry_no).in_(part),
                                                col(BankLedgerEntry.open).is_(True))
                  .values(statement_status="open", statement_no="",
                          version=BankLedgerEntry.version + 1)
                  .execution_options(synchronize_session=False))
        s.execute(update(CheckLedgerEntry).where(col(CheckLedgerEntry.bank_entry_no).in_(part),
                                                 col(CheckLedgerEntry.open).is_(True))
                  .values(statement_status="open", statement_no="")
                  .execution_options(synchronize_session=False))
    for ln in lines_of(s, rec.id or 0):
        if ln.id in groups:
            ln.match_kind, ln.details_json = "none", "[]"
            ln.applied_amount, ln.difference = 0, ln.amount
            ln.version += 1
    s.flush()
