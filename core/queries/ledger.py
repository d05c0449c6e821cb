"""Keyset pages of the posted ledgers: party, G/L and bank ledger entries.

Each list has a few sort orders, each ending with the entry no. so keys are unique;
the indexes on ``LedgerEntry`` (party type + posting date, party + open + due date,
document no.) and ``GLEntry`` (account + date) answer the default orders by range scans.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, or_, select

from core.i18n import N_
from core.kernel.errors import LettrageError
from core.kernel.money import to_minor
from core.ledger.drafts import BankEntryView, GLEntryView, LedgerEntryView
from core.ledger.models import BankLedgerEntry, GLEntry, LedgerEntry, Party
from core.ledger.views import bank_view, gl_view, ledger_view
from core.queries.keyset import SortColumn, fetch_page
from core.queries.types import BankFilter, GLFilter, LedgerFilter, Page, PageRequest

LE = LedgerEntry
LEDGER_SORTS: dict[str, tuple[SortColumn, ...]] = {
    "posting_date": (SortColumn(col(LE.posting_date)), SortColumn(col(LE.entry_no))),
    "entry_no": (SortColumn(col(LE.entry_no)),),
    "due_date": (SortColumn(col(LE.due_date), nullable=True), SortColumn(col(LE.entry_no))),
    "document_no": (SortColumn(col(LE.document_no)), SortColumn(col(LE.entry_no))),
    "amount": (SortColumn(col(LE.amount)), SortColumn(col(LE.entry_no))),
}
GL_SORTS: dict[str, tuple[SortColumn, ...]] = {
    "posting_date": (SortColumn(col(GLEntry.posting_date)), SortColumn(col(GLEntry.entry_no))),
    "entry_no": (SortColumn(col(GLEntry.entry_no)),),
    "amount": (SortColumn(col(GLEntry.amount)), SortColumn(col(GLEntry.entry_no))),
}
BLE = BankLedgerEntry
BANK_SORTS: dict[str, tuple[SortColumn, ...]] = {
    "posting_date": (SortColumn(col(BLE.posting_date)), SortColumn(col(BLE.entry_no))),
    "entry_no": (SortColumn(col(BLE.entry_no)),),
    "amount": (SortColumn(col(BLE.amount)), SortColumn(col(BLE.entry_no))),
}


def _sort(sorts: dict[str, tuple[SortColumn, ...]], name: str) -> tuple[SortColumn, ...]:
    if name not in sorts:
        raise LettrageError(N_("Cannot sort by '{name}'; choose one of {sorts}"),
                            name=name, sorts=', '.join(sorts))
    return sorts[name]


def like(text: str) -> str:
    """``%text%`` with LIKE's wildcards escaped (escape character ``\\``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_match(text: str, *columns: Any) -> ColumnElement[bool]:
    pattern = like(text.strip())
    return or_(*(c.ilike(pattern, escape="\\") for c in columns))


def _range(column: Any, low: Any, high: Any) -> list[ColumnElement[bool]]:
    out = []
    if low is not None:
        out.append(column >= low)
    if high is not None:
        out.append(column <= high)
    return out


def ledger_conditions(f: LedgerFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [col(LE.party_type) == f.party_type]
    if f.party_no:
        conds.append(col(LE.party_no) == f.party_no)
    if f.open_only or f.overdue_as_of is not None:
        conds.append(col(LE.open).is_(True))
    if f.overdue_as_of is not None:
        conds.append(col(LE.due_date) < f.overdue_as_of)
    conds += _range(col(LE.posting_date), f.date_from, f.date_to)
    conds += _range(col(LE.entry_no), f.from_entry_no, f.to_entry_no)
    if f.document_type:
        conds.append(col(LE.document_type) == f.document_type)
    conds += _range(col(LE.amount),
                    None if f.amount_min is None else to_minor(f.amount_min),
                    None if f.amount_max is None else to_minor(f.amount_max))
    if f.text.strip():
        conds.append(text_match(f.text, col(LE.document_no), col(LE.external_document_no),
                                col(LE.description)))
    return conds


def party_names(s: Session, party_type: str, nos: Sequence[str]) -> dict[str, str]:
    wanted = sorted(set(nos))
    if not wanted:
        return {}
    rows = s.exec(select(Party.no, Party.name).where(col(Party.party_type) == party_type,
                                                    col(Party.no).in_(wanted))).all()
    return dict(rows)


def ledger_views(s: Session, rows: list[LedgerEntry]) -> list[LedgerEntryView]:
    names: dict[tuple[str, str], str] = {}
    for party_type in {r.party_type for r in rows}:
        nos = [r.party_no for r in rows if r.party_type == party_type]
        names.update({(party_type, no): n
                      for no, n in party_names(s, party_type, nos).items()})
    return [ledger_view(r, names.get((r.party_type, r.party_no), "")) for r in rows]


def ledger_page(s: Session, f: LedgerFilter, request: PageRequest, sort: str = "posting_date",
                descending: bool = False) -> Page[LedgerEntryView]:
    stmt = select(LedgerEntry).where(*ledger_conditions(f))
    return fetch_page(s, stmt, _sort(LEDGER_SORTS, sort), request, descending,
                      lambda rows: ledger_views(s, rows))


def gl_conditions(f: GLFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.gl_account_no:
        conds.append(col(GLEntry.gl_account_no) == f.gl_account_no)
    conds += _range(col(GLEntry.posting_date), f.date_from, f.date_to)
    conds += _range(col(GLEntry.entry_no), f.from_entry_no, f.to_entry_no)
    if f.document_type:
        conds.append(col(GLEntry.document_type) == f.document_type)
    if f.text.strip():
        conds.append(text_match(f.text, col(GLEntry.document_no), col(GLEntry.description)))
    return conds


def gl_page(s: Session, f: GLFilter, request: PageRequest, sort: str = "posting_date",
            descending: bool = False) -> Page[GLEntryView]:
    stmt = select(GLEntry).where(*gl_conditions(f))
    return fetch_page(s, stmt, _sort(GL_SORTS, sort), request, descending,
                      lambda rows: [gl_view(r) for r in rows])


def bank_conditions(f: BankFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.bank_account_no:
        conds.append(col(BLE.bank_account_no) == f.bank_account_no)
    if f.open_only:
        conds.append(col(BLE.open).is_(True))
    conds += _range(col(BLE.posting_date), f.date_from, f.date_to)
    conds += _range(col(BLE.entry_no), f.from_entry_no, f.to_entry_no)
    if f.text.strip():
        conds.append(text_match(f.text, col(BLE.document_no), col(BLE.description)))
    return conds


def bank_page(s: Session, f: BankFilter, request: PageRequest, sort: str = "posting_date",
              descending: bool = False) -> Page[BankEntryView]:
    stmt = select(BankLedgerEntry).where(*bank_conditions(f))
    return fetch_page(s, stmt, _sort(BANK_SORTS, sort), request, descending,
                      lambda rows: [bank_view(r) for r in rows])

