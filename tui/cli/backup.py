"""``lettrage backup FILE``: a consistent copy of the company while others keep working.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies every page of
the database in ONE step, i.e. inside one read transaction. In WAL mode a reader never
blocks writers, so clerks keep posting during the copy, and the copy is the database as
of one instant (the last commit before the step began): no torn transaction. Why not
stepwise (``pages=N``)? A step after another connection's commit restarts the copy, so
under steady posting it might never finish. Why not ``VACUUM INTO``? It gives the same
consistency but rebuilds every table and index (longer read transaction, more CPU on a
large company); the page copy is the cheaper snapshot. The copy is written next to
FILE under a temporary name; ``PRAGMA integrity_check`` and the ledger check
(``core.ledger.check.run_check``) run on that temporary copy, and only a copy that
passes both is renamed into place. So FILE is never half-written, and a damaged
database never replaces the last good backup: an existing FILE is kept unless
``--force``, and even then only a verified copy replaces it.

PostgreSQL: the server's own tools do it better (``pg_dump`` takes a consistent
snapshot without blocking writers); the command prints the commands for the configured
database, without its password, and exits 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.i18n import N_
from tui.cli.argtypes import later

RUN = "tui.cli.backup_run"


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help=N_("copy the company database while others keep "
                       "working (SQLite), then check the copy"))
    p.add_argument("file", type=Path, help=N_("the backup file to write"))
    p.add_argument("--force", action="store_true", help=N_("overwrite FILE if it exists"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=later(RUN, "cmd_backup"))
