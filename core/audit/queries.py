"""Reading the audit trail: filtered, newest first, a keyset page at a time.

The trail only grows, so it is read like the ledgers: ``page`` answers one screenful
after or before a key (``(at, id)``, index ``ix_audit_at``) at any depth; ``iterate``
walks every matching entry page by page for the command line. Nothing here writes: the
app has no way to change or delete an entry (and the database refuses it anyway).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from core.audit.conflicts import field_label, value_text
from core.audit.models import AuditEntry
from core.audit.trail import note_text
from core.i18n import N_, _, format_datetime
from core.kernel.errors import LettrageError, NotFoundError
from core.kernel.store import Store
from core.queries.keyset import SortColumn, fetch_page
from core.queries.types import Page, PageRequest

ORDER = (SortColumn(col(AuditEntry.at)), SortColumn(col(AuditEntry.id)))
ENTITY_LABELS = {
    "customer": N_("Customer"), "vendor": N_("Vendor"), "statement_line": N_("Statement line"),
    "reconciliation_journal": N_("Reconciliation journal"),
    "text_to_account_mapping": N_("Text-to-account mapping"),
    "payment_application_rule": N_("Payment application rule"),
    "payment_application_settings": N_("Payment application settings"),
    "bank_account": N_("Bank account"), "statement_import": N_("Statement import"),
    "journal_line": N_("Journal line"), "ledger_entry": N_("Ledger entry"),
    "register": N_("Register"),
}


@dataclass(frozen=True)
class AuditFilter:
    """Which entries: from ``since`` to ``until`` (local dates, both included), by one
    user, of one kind of record (entity) and, with ``key``, of one record."""

    since: date | None = None
    until: date | None = None
    user: str = ""
    entity: str = ""
    key: str = ""

    def check(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise LettrageError(N_("--since {since} is after --until {until}: the period is "
                                   "empty"), since=self.since, until=self.until)


@dataclass(frozen=True)
class FieldChange:
    """One field of a record: its value before and after (as stored, plain JSON)."""

    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditRow:
    """One trail entry, read-only."""

    id: int
    at: datetime  # aware, UTC
    user: str
    action: str
    entity: str
    entity_label: str
    key: str
    changes: tuple[FieldChange, ...]
    note: str

    @property
    def at_text(self) -> str:
        """The moment in local time, in the current language's form (not for JSON)."""
        return format_datetime(self.at)

    @property
    def summary(self) -> str:
        """``Blocked: '' → all; Name: A → B`` (every field) or the note."""
        parts = [_("{field}: {before} → {after}").format(
            field=c.label, before=show(c.before), after=show(c.after)) for c in self.changes]
        return "; ".join(parts) if parts else self.note

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "user": self.user,
                "action": self.action, "entity": self.entity, "key": self.key,
                "changes": {c.field: [c.before, c.after] for c in self.changes},
                "note": self.note}


def show(value: Any) -> str:
    """A stored value for people: '' for blank, yes/no for booleans, account types in
    words."""
    return value_text(value)


def local_day_start(day: date) -> datetime:
    """Midnight of ``day`` in the local time zone, as an aware datetime."""
    return datetime.combine(day, time.min).astimezone()


def audit_row(e: AuditEntry) -> AuditRow:
    assert e.id is not None
    try:
        raw = json.loads(e.changes or "{}")
    except ValueError:
        raw = {}
    changes = []
    for name, pair in (raw.items() if isinstance(raw, dict) else ()):
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        changes.append(FieldChange(name, field_label(name), before, after))
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)
    return AuditRow(e.id, at, e.user, e.action,
                    e.entity, _(ENTITY_LABELS.get(e.entity, field_label(e.entity))),
                    e.record_key, tuple(changes), note_text(e.note))


def _filtered(f: AuditFilter) -> SelectOfScalar[AuditEntry]:
    a = AuditEntry
    stmt = select(a)
    if f.since:
        stmt = stmt.where(col(a.at) >= local_day_start(f.since))
    if f.until:
        stmt = stmt.where(col(a.at) < local_day_start(f.until + timedelta(days=1)))
    if f.user:
        stmt = stmt.where(col(a.user) == f.user)
    if f.entity:
        stmt = stmt.where(col(a.entity) == f.entity)
    if f.key:
        stmt = stmt.where(col(a.record_key) == f.key)
    return stmt


def audit_page(s: Session, f: AuditFilter, request: PageRequest) -> Page[AuditRow]:
    return fetch_page(s, _filtered(f), ORDER, request, True,
                      lambda rows: [audit_row(r) for r in rows])


class AuditQueryService:
    """The read side of the audit trail (screen and command line)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def page(self, f: AuditFilter = AuditFilter(),
             request: PageRequest = PageRequest()) -> Page[AuditRow]:
        """One page of the entries matching ``f``, newest first."""
        f.check()
        with self.store.read() as s:
            return audit_page(s, f, request)

    def iterate(self, f: AuditFilter = AuditFilter(), limit: int | None = None,
                page_size: int = 500) -> Iterator[AuditRow]:
        """Every matching entry, newest first (at most ``limit``), one page per read."""
        f.check()
        request, left = PageRequest(limit=page_size), limit
        while left is None or left > 0:
            page = self.page(f, request)
            rows = page.rows if left is None else page.rows[:left]
            yield from rows
            if left is not None:
                left -= len(rows)
            if not page.more_after or not page.keys:
                return
            request = PageRequest(after=page.keys[-1], limit=page_size)

    def entry(self, entry_id: int) -> AuditRow:
        with self.store.read() as s:
            e = s.get(AuditEntry, entry_id)
            if e is None:
                raise NotFoundError(N_("Audit entry {entry_id} does not exist"),
                                    entry_id=entry_id)
            return audit_row(e)

    def users(self) -> list[str]:
        """The users found in the trail (for a filter chooser)."""
        with self.store.read() as s:
            return list(s.exec(select(AuditEntry.user).distinct()
                               .order_by(col(AuditEntry.user))).all())

    def entities(self) -> list[str]:
        """The kinds of records found in the trail."""
        with self.store.read() as s:
            return list(s.exec(select(AuditEntry.entity).distinct()
                               .order_by(col(AuditEntry.entity))).all())

    def count(self, f: AuditFilter = AuditFilter()) -> int:
        f.check()
        with self.store.read() as s:
            sub = _filtered(f).subquery()
            return int(s.exec(select(func.count()).select_from(sub)).one())
