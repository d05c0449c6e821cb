"""The load ledger: one row per file loaded by ``lettrage load``.

A load writes its row in the same transaction as the data, so a file is either loaded
with its row or not at all. The unique key (kind, SHA-256 of the file's bytes) makes a
second load of the same file a no-op that says when and by whom it was loaded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class LoadRecord(SQLModel, table=True):
    """One file loaded into the company."""

    __tablename__ = "loadrecord"
    __table_args__ = (UniqueConstraint("kind", "sha256", name="uq_loadrecord_kind_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    sha256: str = Field(max_length=64)
    file_name: str = Field(default="", max_length=255)
    rows: int = 0
    user_id: str = Field(default="", max_length=100)
    loaded_at: datetime
