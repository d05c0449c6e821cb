"""Tables for working together: the audit trail and claims.

``AuditEntry`` is the append-only trail of who changed what outside the ledger (the
ledger has its registers): applications accepted, changed or removed on reconciliation
lines, rules, mappings, tolerances, blocks, setup. One row per change of one record, with
the changed fields' before and after values as JSON. The app has no way to update or
delete a row, and the database refuses it too (triggers, see ``protect_audit_trail``).

``Claim`` marks a shared thing (a reconciliation journal) as being worked by one clerk.
A claim lives while its holder keeps renewing it (heartbeat); one not renewed before
``expires_at`` (crash, dropped SSH) is free for anyone to take.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import DDL, Column, Index, Text, event
from sqlmodel import Field, SQLModel

AUDIT_TABLE = "auditentry"


class AuditEntry(SQLModel, table=True):
    """One change of one record by one user."""

    __tablename__ = AUDIT_TABLE
    __table_args__ = (
        Index("ix_audit_at", "at"),
        Index("ix_audit_user_at", "user", "at"),
        Index("ix_audit_record", "entity", "record_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime  # UTC
    user: str = Field(max_length=100)
    action: str = Field(max_length=30)  # insert | update | delete | accept | remove | ...
    entity: str = Field(max_length=50)  # what kind of record: rule, mapping, customer ...
    record_key: str = Field(max_length=100)  # which one (its key, as text)
    changes: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class AuditEntryRow(TypedDict):
    """One ``AuditEntry`` as a bulk write inserts it (the id comes from the database)."""

    at: datetime
    user: str
    action: str
    entity: str
    record_key: str
    changes: str
    note: str


class Claim(SQLModel, table=True):
    """A resource (e.g. ``reconjournal:7``) taken by one clerk's session."""

    __tablename__ = "claim"

    resource: str = Field(primary_key=True, max_length=100)
    holder: str = Field(max_length=100)  # the clerk (user name)
    host: str = Field(default="", max_length=100)
    pid: int = 0
    token: str = Field(max_length=40)  # the holding app session
    claimed_at: datetime
    heartbeat_at: datetime
    expires_at: datetime


# The database itself refuses changes to the trail, so neither the app nor a bug in it
# can rewrite history. (A DBA with direct access can drop the trigger; that is outside
# the app and shows in the database's own logs.)
_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {AUDIT_TABLE}_no_update BEFORE UPDATE ON {AUDIT_TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END",
    f"CREATE TRIGGER IF NOT EXISTS {AUDIT_TABLE}_no_delete BEFORE DELETE ON {AUDIT_TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END",
]
_PG_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION lettrage_audit_readonly() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit trail cannot be changed'; END $$ LANGUAGE plpgsql",
    f"DROP TRIGGER IF EXISTS {AUDIT_TABLE}_readonly ON {AUDIT_TABLE}",
    f"CREATE TRIGGER {AUDIT_TABLE}_readonly BEFORE UPDATE OR DELETE ON {AUDIT_TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION lettrage_audit_readonly()",
]


def audit_trigger_statements(dialect: str) -> list[str]:
    """The DDL that makes the audit table append-only on ``dialect`` (used by
    ``create_all`` below and by the migration that creates the table)."""
    if dialect == "sqlite":
        return list(_SQLITE_TRIGGERS)
    if dialect == "postgresql":
        return list(_PG_TRIGGERS)
    return []


def _install(target: Any, connection: Any, **_kw: Any) -> None:
    for statement in audit_trigger_statements(connection.dialect.name):
        connection.execute(DDL(statement))


_TABLE: Any = AuditEntry.__table__  # type: ignore[attr-defined]
event.listen(_TABLE, "after_create", _install)
