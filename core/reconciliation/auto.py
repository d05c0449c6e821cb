"""Apply Automatically: load the index, run the matcher, store the proposals.

Lines the clerk applied by hand (Manual) or accepted are kept as they are and passed
to the matcher as ``keep``, so their entries are not proposed twice (BC's
MatchNoOverwriteOfManualOrAccepted). Everything else is replaced by the new proposals
in bulk statements.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlmodel import Session, col

from core.audit import trail as audit
from core.i18n import N_, _
from core.kernel.gcpause import gc_paused
from core.kernel.money import from_minor, from_minor_places, to_minor
from core.kernel.store import chunks
from core.ledger.models import Company, LedgerEntry
from core.matching import (
    Application,
    BankLine,
    MatchIndex,
    Proposal,
    match_lines,
)
from core.reconciliation.common import get_bank, load_mappings
from core.reconciliation.extensions import ReconExtension
from core.reconciliation.index import build_index, count_applied_elsewhere
from core.reconciliation.models import (
    AppliedEntryRow,
    AppliedPaymentEntry,
    ReconJournal,
    ReconLine,
)
from core.reconciliation.setup import load_rules, match_settings

KEPT = ("manual", "accepted")
APPLIED = N_("{applied} payment lines out of {count} are applied.")

_LINE_COLS = tuple(col(c) for c in (
              ReconLine.id, ReconLine.line_no, ReconLine.transaction_date, ReconLine.amount,
              ReconLine.transaction_text, ReconLine.additional_info,
              ReconLine.related_party_name, ReconLine.related_party_address,
              ReconLine.related_party_city, ReconLine.related_party_iban,
              ReconLine.payment_reference, ReconLine.referred_documents,
              ReconLine.transaction_id, ReconLine.match_confidence, ReconLine.version,
              ReconLine.account_type, ReconLine.account_no))


def _bank_line(r: Any) -> BankLine:
    return BankLine(
        line_no=r.line_no, transaction_date=r.transaction_date,
        amount=from_minor_places(r.amount),  # from_minor without the currency lookup
        text=r.transaction_text, additional_info=r.additional_info,
        related_party_name=r.related_party_name, related_party_address=r.related_party_address,
        related_party_city=r.related_party_city, related_party_iban=r.related_party_iban,
        payment_reference=r.payment_reference,
        referred_documents=tuple(x for x in r.referred_documents.split("\n") if x),
        transaction_id=r.transaction_id)


def _kept(s: Session, rows: Sequence[Any], claimed: set[int]) -> dict[int, Proposal]:
    """Manual/accepted lines, and lines an extension claimed, as proposals (their
    applications reserve the entries)."""
    ids = {r.id: r for r in rows if r.match_confidence in KEPT or r.id in claimed}
    apps: dict[int, list[Application]] = {i: [] for i in ids}
    ape = AppliedPaymentEntry
    for part in chunks(list(ids)):
        for line_id, entry_no, dtype, dno, amount, disc in s.execute(
                select(*(col(c) for c in (ape.line_id, ape.applies_to_entry_no,
                                          ape.document_type, ape.document_no,
                                          ape.applied_amount, ape.applied_pmt_discount)))
                .where(col(ape.line_id).in_(part))):
            if entry_no is not None:
                apps[line_id].append(Application(entry_no, dtype, dno, from_minor(amount),
                                                 from_minor(disc)))
    return {r.line_no: Proposal(r.line_no, "high", 0, False, r.account_type or None,
                                r.account_no or None, applications=tuple(apps[r.id]))
            for r in ids.values()}


def _app_rows(journal_id: int, line_id: int, p: Proposal, amount: int,
              versions: dict[int, int]) -> list[AppliedEntryRow]:
    def row(entry_no: int | None, document_type: str, document_no: str, applied: int,
            discount: int, version: int) -> AppliedEntryRow:
        return {"journal_id": journal_id, "line_id": line_id, "account_type": p.account_type,
                "account_no": p.account_no, "applies_to_entry_no": entry_no,
                "document_type": document_type, "document_no": document_no,
                "applied_amount": applied, "applied_pmt_discount": discount,
                "quality": p.score, "match_confidence": p.confidence,
                "entry_version": version}

    rows = [row(a.entry_no, a.document_type, a.document_no, to_minor(a.applied_amount),
                to_minor(a.pmt_discount) if a.pmt_discount else 0,
                versions.get(a.entry_no, 0))
            for a in p.applications]
    if p.unapplied and p.account_no:
        # An overpayment: the excess stays as an unapplied payment on the account (as
        # BC's Accept Application keeps a difference on the account).
        rows.append(row(None, "", "", to_minor(p.unapplied), 0, 0))
    if p.account_no and not p.applications and p.difference == 0 and amount:
        # A text mapping: the whole amount goes to the account, no entry.
        rows.append(row(None, "", "", amount, 0, 0))
    return rows


_LINES = ReconLine.__table__  # type: ignore[attr-defined]
_UPDATE_LINE = _LINES.update().where(_LINES.c.id == bindparam("b_id")).values(
    {c: bindparam(c) for c in ("account_type", "account_no", "match_confidence", "score",
                               "review_required", "applied_amount", "difference",
                               "details_json", "alternatives_json", "version")})
_INSERT_APP = AppliedPaymentEntry.__table__.insert()  # type: ignore[attr-defined]


# json.dumps(..., ensure_ascii=False) builds an encoder per call; one serves every line
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def _line_update(r: Any, p: Proposal, apps: list[AppliedEntryRow]) -> dict[str, Any]:
    applied = sum(a["applied_amount"] - a["applied_pmt_discount"] for a in apps)
    alts = [{"summary": a.summary, "score": a.score,
             "entry_nos": [x.entry_no for x in a.applications]} for a in p.alternatives]
    return {"b_id": r.id, "account_type": p.account_type or "", "account_no": p.account_no or "",
            "match_confidence": p.confidence, "score": p.score,
            "review_required": p.review_required, "applied_amount": applied,
            "difference": r.amount - applied,
            "details_json": _to_json(p.details),  # a tuple encodes as a list
            "alternatives_json": _to_json(alts),
            "version": r.version + 1}


def driver_executemany(conn: Connection, stmt: Any, rows: Sequence[Mapping[str, Any]]
                       ) -> None:
    """``conn.execute(stmt, rows)`` handed to the driver's ``executemany``: the statement
    compiled once for the database in use and the rows passed as they are. Their values
    are ints, strings, bools and None, which sqlite3 and psycopg store as SQLAlchemy's
    bind processing would (a bool as 1/0 in SQLite), without that processing per value
    of 10,000 rows. Every row has the first row's keys."""
    if not rows:
        return
    compiled = stmt.compile(dialect=conn.dialect, column_keys=list(rows[0]))
    params: Any = rows
    if compiled.positional:
        values = itemgetter(*compiled.positiontup)  # a tuple: the statement has 2+ binds
        params = [values(row) for row in rows]
    conn.exec_driver_sql(str(compiled), params)


def _entry_versions(s: Session, proposals: Sequence[Proposal]) -> dict[int, int]:
    """Versions of the customer/vendor entries proposed (checked again at posting)."""
    nos = sorted({a.entry_no for p in proposals if p.account_type in ("customer", "vendor")
                  for a in p.applications})
    out: dict[int, int] = {}
    for part in chunks(nos):
        out.update({int(n): int(v) for n, v in s.execute(
            select(col(LedgerEntry.entry_no), col(LedgerEntry.version))
            .where(col(LedgerEntry.entry_no).in_(part)))})
    return out


def store_proposals(s: Session, journal_id: int, rows: Sequence[Any],
                    proposals: Sequence[Proposal], kept: dict[int, Proposal]) -> None:
    redo = [r for r in rows if r.line_no not in kept]
    redo_ids = [r.id for r in redo]
    for part in chunks(redo_ids):
        s.execute(delete(AppliedPaymentEntry).where(col(AppliedPaymentEntry.line_id).in_(part)))
    by_no = {p.line_no: p for p in proposals}
    versions = _entry_versions(s, [by_no[r.line_no] for r in redo])
    updates: list[dict[str, Any]] = []
    inserts: list[AppliedEntryRow] = []
    for r in redo:
        p = by_no[r.line_no]
        apps = _app_rows(journal_id, r.id, p, r.amount, versions)
        inserts += apps
        updates.append(_line_update(r, p, apps))
    # the driver's executemany on the tables (the ORM bulk paths cost twice as much per
    # row, SQLAlchemy's Core executemany half as much again)
    conn = s.connection()
    driver_executemany(conn, _UPDATE_LINE, updates)
    driver_executemany(conn, _INSERT_APP, inserts)


def run_matching(s: Session, j: ReconJournal, extensions: Sequence[ReconExtension] = ()
                 ) -> tuple[str, tuple[str, ...], str]:
    """Match every line of the journal; returns BC's message and notifications, and the
    message kept language-neutral for the audit trail (``core.audit.trail.message``).
    ``extensions`` claim their lines first (see ``core.reconciliation.extensions``).

    Loading 100,000 open entries, matching and storing allocate millions of acyclic
    objects; the cyclic garbage collector is paused meanwhile (see ``gc_paused``)."""
    claimed: set[int] = set()
    for ext in extensions:
        if ext.claim_lines is not None:
            claimed |= ext.claim_lines(s, j)
    with gc_paused():
        return _run_matching(s, j, claimed)


def _run_matching(s: Session, j: ReconJournal, claimed: set[int]
                  ) -> tuple[str, tuple[str, ...], str]:
    assert j.id is not None
    bank = get_bank(s, j.bank_account_no)
    company = s.get(Company, 1)
    currency = company.currency if company else ""
    s.flush()  # the reads below go through the connection (Core rows, no autoflush)
    rows = list(s.connection().execute(
        select(*_LINE_COLS).where(col(ReconLine.journal_id) == j.id,
                                  col(ReconLine.status) == "open")
        .order_by(col(ReconLine.line_no))))
    settings = match_settings(s, bank)
    index: MatchIndex = build_index(s, bank, currency, j.id,
                                    closing_doc_nos=settings.bank_closing_doc_no_match)
    kept = _kept(s, rows, claimed)
    proposals = match_lines([_bank_line(r) for r in rows], index, rules=load_rules(s),
                            settings=settings, mappings=load_mappings(s), keep=kept)
    store_proposals(s, j.id, rows, proposals, kept)
    j.version += 1
    applied = sum(1 for p in proposals if p.account_no)
    notes: tuple[str, ...] = ()
    elsewhere = count_applied_elsewhere(s)
    if elsewhere:
        notes = (_("There are {elsewhere} open customer or vendor ledger entries applied in "
                   "other journals; they were not considered.").format(elsewhere=elsewhere),)
    return _(APPLIED).format(applied=applied, count=len(rows)), notes, \
        audit.message(APPLIED, applied=applied, count=len(rows))


def cash(apps: Sequence[AppliedPaymentEntry]) -> Decimal:
    return from_minor(sum(a.applied_amount - a.applied_pmt_discount for a in apps))
