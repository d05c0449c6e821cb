"""The ``lettrage`` commands of ``tui.cli.backup`` (its parsers)."""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.ledger.check import CheckReport, CheckResult, shown_detail, shown_name
from data.engine import normalize_url
from data.paths import default_database_url
from tui.bootstrap import check_database
from tui.cli.context import Context

BUSY_TIMEOUT_MS = 15_000


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    url = make_url(normalize_url(ctx.db_url or default_database_url()))
    if url.get_backend_name() == "postgresql":
        commands = pg_commands(url, args.file)
        ctx.emit({"ok": False, "backend": "postgresql", "commands": commands},
                 lambda: _pg_text(commands))
        return 2
    if url.get_backend_name() != "sqlite":
        raise LettrageError(N_("lettrage backup does not know how to copy a {get_backend_name} "
                               "database"), get_backend_name=url.get_backend_name())
    source = sqlite_path(url)
    target = args.file.expanduser().resolve()
    started = time.perf_counter()
    partial = copy_sqlite(source, target, force=args.force, keep_partial=True)
    try:
        seconds = time.perf_counter() - started
        return _check_copy(ctx, source, target, seconds, partial)
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + x)
                                    for x in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)


# --- SQLite ---------------------------------------------------------------------------------


def sqlite_path(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise LettrageError(N_("The database is in memory: there is nothing to back up"))
    path = Path(url.database or "").expanduser().resolve()
    if not path.is_file():
        raise LettrageError(N_("There is no database at {path}"), path=path)
    return path


def copy_sqlite(source: Path, target: Path, force: bool = False,
                keep_partial: bool = False) -> Path:
    """Copy ``source`` to ``target`` as of one instant (see the module docstring).
    With ``keep_partial`` the copy is left under its temporary name (returned) for the
    caller to check and rename; else it is renamed into place at once."""
    if target == source:
        raise LettrageError(N_("{target} is the database itself; choose another file"),
                            target=target)
    if target.is_dir():
        raise LettrageError(N_("{target} is a folder; give a file name for the backup"),
                            target=target)
    if not target.parent.is_dir():
        raise LettrageError(N_("The folder {parent} does not exist"), parent=target.parent)
    if target.exists() and not force:
        raise LettrageError(N_("{target} already exists; use --force to overwrite it"),
                            target=target)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # pages=-1: everything in one step, one read snapshot
            finally:
                dst.close()
        finally:
            src.close()
        if keep_partial:
            return partial
        os.replace(partial, target)
        return target
    except sqlite3.Error as exc:

        partial.unlink(missing_ok=True)
        raise LettrageError(_("Cannot back up {source} to {target}: {exc}; the previous "
                               "backup (if any) is kept").format(source=source, target=target,
                               exc=exc)) from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise LettrageError(_("Cannot write {target}: {value}").format(target=target,
                               value=exc.strerror or exc)) from None


def integrity(path: Path) -> str:
    """SQLite's own page-level check of a database file ('ok' when sound)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return _("cannot be read: {exc}").format(exc=exc)
    return "; ".join(str(r[0]) for r in rows)


def _ledger_check(path: Path) -> CheckReport:
    try:
        return check_database(f"sqlite:///{path}")
    except Exception as exc:  # a damaged copy may fail anywhere; it is reported, not kept
        return CheckReport((CheckResult(_("the ledger check runs"), False,
                                        (f"{type(exc).__name__}: {exc}"[:300],)),))


def _check_copy(ctx: Context, source: Path, target: Path, seconds: float, partial: Path) -> int:
    """Check the temporary copy; rename it into place only when it passes."""
    pages = integrity(partial)
    report = _ledger_check(partial) if pages == "ok" else CheckReport(())
    ok = pages == "ok" and report.ok
    size = partial.stat().st_size
    if ok:
        try:
            os.replace(partial, target)
        except OSError as exc:
            raise LettrageError(_("Cannot write {target}: {value}").format(target=target,
                                   value=exc.strerror or exc)) from None
    data = {"ok": ok, "source": str(source), "backup": str(target), "replaced": ok,
            "bytes": size,
            "seconds": round(seconds, 3), "integrity": pages,
            "checks": [asdict(r) for r in report.results]}

    def text() -> str:
        lines = [_("Backed up {source} to {target} ({size:,} bytes in {seconds:.2f} s).").format(
                    source=source, target=target, size=size, seconds=seconds) if ok
                 else _("Copied {source} ({size:,} bytes in {seconds:.2f} s), but the "
                         "copy fails a check: {target} was NOT written.").format(source=source,
                         size=size, seconds=seconds, target=target),
                 _("{value}  SQLite integrity check").format(
                    value=_('ok  ') if pages == 'ok' else _('FAIL'))
                 + ("" if pages == "ok" else f": {pages}")]
        for r in report.results:
            verdict = _("ok  ") if r.ok else _("FAIL")
            lines.append(f"{verdict}  {shown_name(r.name)}")
            lines += [f"        {shown_detail(d)}" for d in r.details]
        lines.append(_("The backup passes every check.") if ok else
                     _("The database itself is damaged: the previous backup (if any) is "
                     "kept; restore it or repair the database."))
        return "\n".join(lines)

    ctx.emit(data, text)
    return 0 if ok else 1


# --- PostgreSQL -----------------------------------------------------------------------------


def pg_commands(url: URL, file: Path) -> list[str]:
    """pg_dump and pg_restore for the database at ``url`` (never its password). The
    tools take the same connection URL, so host, port, user and options carry over."""
    plain = shlex.quote(URL.create(
        "postgresql", username=url.username, host=url.host, port=url.port,
        database=url.database, query=url.query,
    ).render_as_string(hide_password=False))  # built without the password: it cannot leak
    out = shlex.quote(str(file))
    return [_("pg_dump --format=custom --file={out} --dbname={plain}").format(out=out,
               plain=plain),
            _("pg_restore --clean --if-exists --no-owner --dbname={plain} {out}").format(
               plain=plain, out=out),
            _("lettrage --db {plain} check").format(plain=plain)]


def _pg_text(commands: list[str]) -> str:
    return "\n".join([
        _("This company lives on PostgreSQL: back it up with the server's own tools. "
        "pg_dump takes a consistent snapshot while clerks keep working."),
        "",
        _("Back up:"),
        f"  {commands[0]}",
        _("Restore (into an empty or to-be-replaced database):"),
        f"  {commands[1]}",
        _("Then check the restored company:"),
        f"  {commands[2]}",
        "",
        _("The password is not shown: give it in PGPASSWORD or ~/.pgpass."),
    ])
