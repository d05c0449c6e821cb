"""Domain errors: one class per rule. The UI and the command line show ``str(error)``."""

from __future__ import annotations


class LettrageError(Exception):
    """Base of every error a clerk can act on (never a bug)."""


class NotFoundError(LettrageError):
    """A record named by the user does not exist."""


class PostingError(LettrageError):
    """A journal line or document cannot be posted."""


class BlockedError(PostingError):
    """The party is blocked for this kind of transaction."""


class UnbalancedError(PostingError):
    """A transaction does not balance."""


class ApplicationError(LettrageError):
    """Entries cannot be applied, unapplied or reversed as asked."""


class ConflictError(LettrageError):
    """Another clerk changed the same record meanwhile."""


class ImportFileError(LettrageError):
    """A file to load or import is malformed; the message names file and place."""


class SchemaError(LettrageError):
    """The database schema is newer than this program or otherwise unusable."""
