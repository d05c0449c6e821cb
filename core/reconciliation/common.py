"""Shared pieces of the reconciliation service: locking with version checks, rules (from
``recon_rules``) and mappings from the database, statement numbers, and rows -> views."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select as sa_select  # column tuples (sqlmodel's select types)
from sqlmodel import Session, col, select

from core.audit.conflicts import conflict
from core.i18n import N_
from core.kernel.errors import LettrageError, NotFoundError, Text
from core.kernel.money import from_minor
from core.kernel.numbering import next_statement_no  # noqa: F401  (re-exported)
from core.ledger.models import BankAccount, GLAccount, Party
from core.matching import TextMapping
from core.reconciliation import audit as recon_audit
from core.reconciliation.models import (
    AppliedPaymentEntry,
    ReconJournal,
    ReconLine,
    TextToAccountMapping,
)
from core.reconciliation.setup import load_rules as load_rules  # re-exported
from core.reconciliation.setup import replace_rules as replace_rules
from core.reconciliation.types import AlternativeView, AppliedView, LineView


def get_bank(s: Session, no: str, lock: bool = False) -> BankAccount:
    stmt = select(BankAccount).where(BankAccount.no == no)
    if lock:  # NO KEY UPDATE: payments posted meanwhile (FK checks) are not blocked
        stmt = stmt.with_for_update(key_share=True)
    bank = s.exec(stmt).first()
    if bank is None:
        raise NotFoundError(N_("Bank account {no} does not exist"), no=no)
    return bank


def lock_journal(s: Session, journal_id: int, version: int | None = None,
                 open_only: bool = True) -> ReconJournal:
    """The journal row, locked for the rest of the transaction (PostgreSQL)."""
    j = s.exec(select(ReconJournal).where(ReconJournal.id == journal_id)
               .with_for_update(key_share=True)).first()
    if j is None:
        raise NotFoundError(N_("Payment reconciliation journal {journal_id} does not exist"),
                            journal_id=journal_id)
    if open_only and j.status != "open":
        raise LettrageError(N_("Statement {statement_no} of bank account {bank_account_no} is "
                               "already posted"),
                            statement_no=j.statement_no, bank_account_no=j.bank_account_no)
    if version is not None and j.version != version:
        raise conflict(s, Text(N_("Statement {statement_no} of bank account {bank_account_no}"),
                               statement_no=j.statement_no, bank_account_no=j.bank_account_no),
                       [(recon_audit.JOURNAL_ENTITY, recon_audit.journal_key(j))])
    return j


def lock_lines(s: Session, line_ids: Sequence[int],
               versions: dict[int, int] | None = None) -> list[ReconLine]:
    """Lines by id (locked), checked against the versions the caller saw."""
    ids = list(dict.fromkeys(line_ids))
    rows = list(s.exec(select(ReconLine).where(col(ReconLine.id).in_(ids))
                       .with_for_update()).all()) if ids else []
    by_id = {r.id: r for r in rows}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise NotFoundError(N_("Statement line {missing} does not exist"), missing=missing[0])
    for r in rows:
        if versions and r.id in versions and versions[r.id] != r.version:
            raise conflict(s, Text(N_("Statement line {line_no}"), line_no=r.line_no),
                           recon_audit.line_records(s, r))
        if r.status != "open":
            raise LettrageError(N_("Statement line {line_no} is already posted"),
                                line_no=r.line_no)
    return [by_id[i] for i in ids]


def touch(*rows: Any) -> None:
    for row in rows:
        row.version += 1


def application_rows(s: Session, line_ids: Iterable[int]) -> dict[int, list[Any]]:
    """``applications_of`` as plain rows (same columns, read-only, no ORM objects)."""
    ids = list(line_ids)
    out: dict[int, list[Any]] = {i: [] for i in ids}
    table = AppliedPaymentEntry.__table__  # type: ignore[attr-defined]
    conn = s.connection()
    for i in range(0, len(ids), 500):
        for a in conn.execute(select(table).where(table.c.line_id.in_(ids[i:i + 500]))
                              .order_by(table.c.id)):
            out[a.line_id].append(a)
    return out


def applications_of(s: Session, line_ids: Iterable[int]) -> dict[int, list[AppliedPaymentEntry]]:
    ids = list(line_ids)
    out: dict[int, list[AppliedPaymentEntry]] = {i: [] for i in ids}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for a in s.exec(select(AppliedPaymentEntry)
                        .where(col(AppliedPaymentEntry.line_id).in_(chunk))
                        .order_by(col(AppliedPaymentEntry.id))).all():
            out[a.line_id].append(a)
    return out


def recompute(line: ReconLine, apps: Sequence[AppliedPaymentEntry]) -> None:
    """Applied amount (cash) and difference of a line from its applications."""
    line.applied_amount = sum(a.applied_amount - a.applied_pmt_discount for a in apps)
    line.difference = line.amount - line.applied_amount


# --- rules and mappings ------------------------------------------------------------------


def load_mappings(s: Session) -> list[TextMapping]:
    return [TextMapping(m.mapping_text, m.bal_source_type,  # type: ignore[arg-type]
                        debit_acc_no=m.debit_acc_no, credit_acc_no=m.credit_acc_no,
                        bal_source_no=m.bal_source_no)
            for m in s.exec(select(TextToAccountMapping)
                            .order_by(col(TextToAccountMapping.id))).all()]


# --- views -----------------------------------------------------------------------------


def party_names(s: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    keys = {k for k in keys if k[1]}
    wanted = {k for k in keys if k[0] in ("customer", "vendor")}
    out: dict[tuple[str, str], str] = {}
    for no in sorted(k[1] for k in keys if k[0] == "gl_account"):
        gl = s.get(GLAccount, no)
        out[("gl_account", no)] = gl.name if gl else ""
    for no in sorted(k[1] for k in keys if k[0] == "bank_account"):
        bank = s.get(BankAccount, no)
        out[("bank_account", no)] = bank.name if bank else ""
    nos = sorted({k[1] for k in wanted})
    for i in range(0, len(nos), 500):
        # three columns, not Party objects: 10,000 lines name thousands of parties
        for ptype, no, name in s.execute(sa_select(col(Party.party_type), col(Party.no),
                                                   col(Party.name))
                                         .where(col(Party.no).in_(nos[i:i + 500]))):
            if (ptype, no) in wanted:
                out[(ptype, no)] = name
    return out


def applied_view(a: Any) -> AppliedView:
    """An application (object or plain row) as shown."""
    return AppliedView(a.account_type, a.account_no, a.applies_to_entry_no, a.document_type,
                       a.document_no, from_minor(a.applied_amount),
                       from_minor(a.applied_pmt_discount), a.match_confidence, a.quality)


def _alternatives(raw: str) -> tuple[AlternativeView, ...]:
    return tuple(AlternativeView(a["summary"], int(a["score"]), tuple(a.get("entry_nos", ())))
                 for a in json.loads(raw or "[]"))


def line_view(r: Any, apps: Sequence[Any], name: str = "",
              full: bool = True) -> LineView:
    assert r.id is not None
    return LineView(
        id=r.id, journal_id=r.journal_id, line_no=r.line_no,
        transaction_date=r.transaction_date, value_date=r.value_date, text=r.transaction_text,
        additional_info=r.additional_info, description=r.description,
        amount=from_minor(r.amount), related_party_name=r.related_party_name,
        related_party_address=r.related_party_address, related_party_city=r.related_party_city,
        related_party_iban=r.related_party_iban, payment_reference=r.payment_reference,
        transaction_id=r.transaction_id, account_type=r.account_type or None,
        account_no=r.account_no or None, account_name=name, confidence=r.match_confidence,
        score=r.score, review_required=r.review_required,
        applied_amount=from_minor(r.applied_amount), difference=from_minor(r.difference),
        parent_line_no=r.parent_line_no, status=r.status, version=r.version,
        applications=tuple(applied_view(a) for a in apps),
        details=tuple(json.loads(r.details_json or "[]")) if full else (),
        alternatives=_alternatives(r.alternatives_json) if full else ())


def views_of(s: Session, rows: Sequence[Any], full: bool = True) -> list[LineView]:
    """Views of ReconLine objects or plain rows of the table (then the applications are
    read as plain rows too)."""
    ids = [r.id for r in rows if r.id is not None]
    plain = bool(rows) and not isinstance(rows[0], ReconLine)
    apps: Mapping[int, Sequence[Any]] = (application_rows(s, ids) if plain
                                         else applications_of(s, ids))
    names = party_names(s, ((r.account_type, r.account_no) for r in rows))
    return [line_view(r, apps.get(r.id or 0, []), names.get((r.account_type, r.account_no), ""),
                      full) for r in rows]


def money_str(minor: int | Decimal) -> str:
    value = from_minor(minor) if isinstance(minor, int) else minor
    return f"{value:.2f}"
