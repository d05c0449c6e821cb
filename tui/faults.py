"""Infrastructure faults in one line: what happened and what to do.

The command line (``tui.cli.main``) and the app's error handler (``tui.app``) both ask
``explain(error)``; a fault it knows becomes one sentence for the clerk (the traceback
goes to the log file), anything else stays a bug. Nothing here decides whether data was
written: every write is one transaction, so a fault rolls it back whole.
"""

from __future__ import annotations

import errno
import re
import sqlite3
import sys
from typing import Any

from core.i18n import N_, _

NOTHING_WRITTEN = N_("nothing was written")

# (pattern in the driver's message, one line for the clerk). First match wins.
_SQLITE: tuple[tuple[str, str], ...] = (
    (r"readonly database|read-only|attempt to write a readonly",
     N_("The database file is read-only: give this user write permission on the file and "
         "its folder, then try again ({nothing})")),
    (r"database is locked|database table is locked",
     N_("The database is busy: another program held it longer than Lettrage waits; try "
         "again when it has finished ({nothing})")),
    (r"disk is full|database or disk is full|no space",
     N_("The disk is full: free some space and try again ({nothing})")),
    (r"file is not a database|malformed|file is encrypted|not a database",
     N_("The file is not a Lettrage database or is damaged: check --db, or restore the "
         "last backup (lettrage backup)")),
    (r"unable to open database file",
     N_("Cannot open the database file: check that --db names a file in an existing, "
         "writable folder")),
    (r"disk I/O error",
     N_("Writing to the disk failed (disk full, a size limit, or a failing disk): free "
         "space or check the disk, then try again ({nothing})")),
)

_POSTGRES: tuple[tuple[str, str], ...] = (
    (r'role "([^"]*)" does not exist',
     N_("PostgreSQL does not know the user {0}: check the user name in the URL")),
    (r'database "([^"]*)" does not exist',
     N_("PostgreSQL has no database {0}: create it (createdb) or check the URL")),
    (r"password authentication failed|no password supplied",
     N_("PostgreSQL refused the password: set it in PGPASSWORD or ~/.pgpass")),
    (r"failed to resolve host|could not translate host name|Name or service not known",
     N_("The PostgreSQL host in the URL is unknown: check the host name")),
    (r"Connection refused|could not connect|timeout expired|Network is unreachable|"
     r"No route to host|server closed the connection",
     N_("Cannot reach the PostgreSQL server: check that it runs and that host and port in "
         "the URL are right")),
    (r"permission denied",
     N_("PostgreSQL refused the operation (permission denied): the user in the URL needs "
         "rights on this database")),
    (r"value too long for type|out of range|cannot contain NUL|invalid byte sequence",
     N_("PostgreSQL refused a value (too long, out of range or with a NUL byte): correct "
         "the input ({nothing})")),
    (r"could not obtain lock|deadlock detected|canceling statement due to lock timeout",
     N_("The database is busy: another program holds the records; try again "
         "({nothing})")),
    (r"No space left on device|could not extend file",
     N_("The database server's disk is full: free space and try again ({nothing})")),
)


def _match(table: tuple[tuple[str, str], ...], message: str) -> str | None:
    for pattern, text in table:
        found = re.search(pattern, message, re.IGNORECASE)
        if found:
            return _(text).format(*found.groups(), nothing=_(NOTHING_WRITTEN))
    return None


def _sqlalchemy_errors() -> Any:
    """SQLAlchemy's exception module when it is loaded, else None: a process that has not
    touched the database (``--help``, a usage error) cannot hold one of its errors, and
    does not pay for importing SQLAlchemy at start."""
    return sys.modules.get("sqlalchemy.exc")


def explain(error: BaseException) -> str | None:
    """One line for an infrastructure fault, or None when ``error`` is not one."""
    sa = _sqlalchemy_errors()
    if sa is not None:
        found = _explain_sqlalchemy(error, sa)
        if found is not None:
            return found
    return _explain_other(error)


def _explain_sqlalchemy(error: BaseException, sa: Any) -> str | None:
    if isinstance(error, sa.IntegrityError):
        return _("Another program changed the same records at the same time: run the "
                 "command again ({nothing})").format(nothing=_(NOTHING_WRITTEN))
    if isinstance(error, sa.DBAPIError):
        original = error.orig if error.orig is not None else error
        message = str(original)
        module = type(original).__module__
        if module.startswith("psycopg"):
            return _match(_POSTGRES, message) or _(
                "PostgreSQL refused the operation: {detail} ({nothing})").format(
                detail=_first_line(message), nothing=_(NOTHING_WRITTEN))
        return _match(_SQLITE, message) or (_(
            "The database refused the operation: {detail} ({nothing})").format(
            detail=_first_line(message), nothing=_(NOTHING_WRITTEN))
            if isinstance(error, sa.OperationalError) else None)
    if isinstance(error, (sa.NoSuchModuleError, sa.ArgumentError)):
        return _("The database URL is not understood: use a SQLite file path or "
                 "postgresql://user@host/database")
    return None


def _explain_other(error: BaseException) -> str | None:
    if isinstance(error, sqlite3.Error):
        return _match(_SQLITE, str(error))
    if isinstance(error, MemoryError):
        return _("Out of memory: the input is too large for this machine")
    if isinstance(error, OSError):
        return _os_error(error)
    if isinstance(error, ValueError) and "NUL" in str(error):
        return _("A text contains a NUL byte (\\0), which the database refuses: correct "
                 "the input ({nothing})").format(nothing=_(NOTHING_WRITTEN))
    if isinstance(error, OverflowError):
        return _("A number is too large for the database: correct the input "
                 "({nothing})").format(nothing=_(NOTHING_WRITTEN))
    return None


def _os_error(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return _("The disk is full{where}: free some space and try again").format(where=where)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("Permission denied{where}: check the file's and folder's "
                 "permissions").format(where=where)
    if error.errno == errno.ENOENT:
        return _("No such file or folder{where}").format(where=where)
    if error.errno == errno.EISDIR:
        return _("A folder was given where a file is expected{where}").format(where=where)
    return _("The system refused the operation{where}: {detail}").format(
        where=where, detail=error.strerror or error)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0][:200] if message.strip() else _("no detail")
