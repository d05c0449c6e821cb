"""Tables of the bank feed: the configured inbox folders and what each file became.

``FeedInbox`` is one watched folder: either bound to one bank account, or (no bank
account) a shared inbox whose files are routed by the IBAN they name. ``FeedFile`` is
one file the feed took from an inbox, with what became of it (imported, already
imported, rejected), so ``feed status`` and the home screen can say when a bank last
brought a statement and why a file was refused. The statement lines themselves are
kept exactly once by the statement import's unique key, not by this table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

FILE_STATUSES = ("imported", "already_imported", "rejected")


class FeedInbox(SQLModel, table=True):
    """A folder the feed watches for statement files."""

    __tablename__ = "feedinbox"
    __table_args__ = (UniqueConstraint("directory", name="uq_feedinbox_directory"),)

    id: int | None = Field(default=None, primary_key=True)
    directory: str = Field(max_length=1000)
    # empty: a shared inbox, each file goes to the bank account whose IBAN it names
    bank_account_no: str = Field(default="", max_length=20)
    profile: str = Field(default="", max_length=100)  # CSV profile name, when needed
    apply_automatically: bool = True
    created_by: str = Field(default="", max_length=50)
    created_at: datetime
    version: int = 1


class FeedFile(SQLModel, table=True):
    """One file the feed processed, and the outcome."""

    __tablename__ = "feedfile"
    __table_args__ = (
        Index("ix_feedfile_inbox_at", "inbox_id", "processed_at"),
        Index("ix_feedfile_sha", "file_sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inbox_id: int  # no foreign key: the history stays when an inbox is removed
    file_name: str = Field(max_length=255)
    file_sha256: str = Field(default="", max_length=64)
    size: int = 0
    status: str = Field(max_length=20)  # one of FILE_STATUSES
    bank_accounts: str = Field(default="", max_length=200)  # comma-separated numbers
    statements: int = 0
    lines_new: int = 0
    lines_duplicate: int = 0
    lines_applied: int = 0  # applied by Apply Automatically right after the import
    lines_to_review: int = 0
    moved_to: str = Field(default="", max_length=1000)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    processed_by: str = Field(default="", max_length=100)  # user@host
    processed_at: datetime
