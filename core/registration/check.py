"""Invariants of payment registration and sales documents (#17) for ``lettrage check``."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from core.i18n import N_
from core.kernel.money import from_minor
from core.ledger.check import MAX_DETAILS, CheckResult, Detail


def _m(value: object) -> Decimal:
    return from_minor(int(value))  # type: ignore[call-overload]


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in s.execute(text(sql)).fetchmany(MAX_DETAILS)]


def posted_documents(s: Session) -> CheckResult:
    """Posted sales/purchase documents: excl. VAT + VAT = total, and the total is the
    amount of the document's ledger entry (registration, issue #17)."""
    rows = _rows(s, "SELECT d.document_no, d.amount_incl_vat, d.amount_excl_vat + d.vat_amount, "
                    "le.amount FROM posteddocument d LEFT JOIN ledgerentry le "
                    "ON le.entry_no = d.ledger_entry_no WHERE d.amount_excl_vat + d.vat_amount "
                    "<> d.amount_incl_vat OR le.entry_no IS NULL "
                    "OR ABS(le.amount) <> ABS(d.amount_incl_vat)")
    return CheckResult(N_("posted documents agree with their ledger entries"), not rows,
                       tuple(_detail(no, t, lines, a) for no, t, lines, a in rows))


def _detail(no: object, total: object, lines: object, entry: object) -> Detail:
    if entry is None:
        return Detail(N_("document {no}: total {total}, lines {lines}, no ledger entry"),
                      no=no, total=_m(total), lines=_m(lines))
    return Detail(N_("document {no}: total {total}, lines {lines}, ledger entry {entry}"),
                  no=no, total=_m(total), lines=_m(lines), entry=_m(entry))


def registration_checks(s: Session) -> list[tuple[str, bool, tuple[str, ...]]]:
    """The checks ``core.ledger.check.run_check`` runs (registered by the composition root)."""
    r = posted_documents(s)
    return [(r.name, r.ok, r.details)]
