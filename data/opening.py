"""Before a database is opened: is it there, is it Lettrage's, does it hold a company?

Only ``init`` and ``demo`` create a company. Every other command on a missing SQLite
file, an empty database or a database of another program says so and stops, without
creating the file (SQLite) or the schema (PostgreSQL). A file that is not SQLite at all
is recognised by its header before any driver touches it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from core.i18n import N_
from core.kernel.errors import LettrageError
from core.kernel.store import Store
from core.ledger.presence import has_company
from data.engine import parse_url
from data.schema import current_revision

SQLITE_HEADER = b"SQLite format 3\x00"
CREATE_HINT = N_("create one with 'lettrage init' (empty) or 'lettrage demo' (demo company)")


class NoCompanyError(LettrageError):
    """The database named by --db does not exist or holds no company."""


def where(url: str) -> str:
    """The database for messages: the file, or the URL without its password."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database or ":memory:").expanduser())
    return str(parsed.render_as_string(hide_password=True))


def sqlite_file(url: str) -> Path | None:
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    database = str(parsed.database)
    if database.startswith("file:"):  # a SQLite URI (?uri=true): file:PATH?mode=ro
        database = database[len("file:"):].split("?", 1)[0]
        if not database or database == ":memory:" or "mode=memory" in str(parsed):
            return None
    return Path(database).expanduser()


def refuse_bad_location(url: str, create: bool) -> None:
    """A SQLite path that is a folder, in a missing folder, missing (unless creating) or
    not a SQLite file is refused with one line."""
    path = sqlite_file(url)
    if path is None:
        return
    if path.is_dir():
        raise LettrageError(N_("{path} is a folder, not a database file: give a file name in "
                               "--db"), path=path)
    if not path.parent.is_dir():
        raise LettrageError(N_("The folder {parent} does not exist: check --db"),
                            parent=path.parent)
    if not path.exists():
        if create:
            return
        raise NoCompanyError(N_("There is no company database at {path}: check --db, or "
                                "{CREATE_HINT}"), path=path, CREATE_HINT=CREATE_HINT)
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise LettrageError(N_("Cannot read {path}: {value}"),
                            path=path, value=exc.strerror or exc) from None
    if head and head != SQLITE_HEADER:
        raise LettrageError(N_("{path} is not a Lettrage database (not a SQLite file): check "
                               "--db"), path=path)


def refuse_foreign_database(engine: Engine, url: str, create: bool) -> None:
    """A database without Lettrage's schema: refused when it holds other tables (it
    belongs to another program) and, unless creating, when it is empty."""
    with engine.connect() as conn:
        revision = current_revision(conn)
        if revision is not None:
            return
        tables = inspect(conn).get_table_names()
    if tables:
        raise NoCompanyError(N_("{value} holds tables of another program, not a Lettrage "
                                "company: point --db at a Lettrage database or an empty one"),
                             value=where(url))
    if not create:
        raise NoCompanyError(N_("{value} holds no Lettrage company: check --db, or {CREATE_HINT}"),
                             value=where(url), CREATE_HINT=CREATE_HINT)


def refuse_without_company(store: Store, url: str) -> None:
    if not has_company(store):
        raise NoCompanyError(N_("{value} holds no company yet: {CREATE_HINT}"),
                             value=where(url), CREATE_HINT=CREATE_HINT)
