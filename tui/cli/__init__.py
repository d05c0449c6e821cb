"""The ``lettrage`` command line.

``lettrage`` alone opens the TUI; subcommands do the batch work a clerk or a cron job
runs on a server. Exit codes: 0 success, 1 a user error (one line on stderr, never a
traceback), 2 a usage error. ``--json`` where a script reads the output.

Subcommand modules register themselves through ``COMMAND_MODULES``: each has
``register(subparsers)`` adding its parsers with ``func=handler(args, ctx) -> int``
(``ctx``: ``tui.cli.context.Context``, whose ``services`` are the composition root's).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.i18n import (
    LANGUAGES,
    N_,
    ConfigError,
    _,
    gettext,
    ngettext,
    resolve_language,
    set_language,
)
from core.kernel.errors import LettrageError
from core.kernel.gcpause import gc_paused
from data.paths import config_dir, log_file
from tui.cli.context import Context
from tui.cli.index import COMMAND_HELP
from tui.faults import explain

# argparse translates its own words ("usage:", "options", its error messages) with the
# stdlib gettext functions it imported; point them at Lettrage's catalog (their French is
# in core/i18n/locale/fr/LC_MESSAGES/parts/argparse.po).
argparse._ = gettext  # type: ignore[attr-defined,assignment]
argparse.ngettext = ngettext  # type: ignore[attr-defined]

COMMAND_MODULES = ("tui.cli.base", "tui.cli.check", "tui.cli.statement", "tui.cli.reconcile",
                   "tui.cli.setup",
                   "tui.cli.audit", "tui.cli.backup", "tui.cli.feed", "tui.cli.bankrec",
                   "tui.cli.prediction",
                   "tui.cli.registration", "tui.cli.collections", "tui.cli.reports",
                   "tui.cli.sepa")

CREATING_COMMANDS = ("init", "demo")
# The module registering a command: a known command imports only its own module, so a
# process start does not pay for every service's imports (a quarter of a second).
# Commands not listed here (or none, or --help) load every module.
COMMAND_OF = {"init": "tui.cli.base", "demo": "tui.cli.base", "load": "tui.cli.base",
              "check": "tui.cli.check", "serve": "tui.cli.base",
              "statement": "tui.cli.statement", "reconcile": "tui.cli.reconcile",
              "setup": "tui.cli.setup", "audit": "tui.cli.audit", "backup": "tui.cli.backup",
              "feed": "tui.cli.feed", "bank-rec": "tui.cli.bankrec",
              "predict": "tui.cli.prediction", "sales": "tui.cli.registration",
              "registration": "tui.cli.registration", "collections": "tui.cli.collections",
              "reminders": "tui.cli.collections", "finance-charges": "tui.cli.collections",
              "sepa": "tui.cli.sepa",
              "aging": "tui.cli.reports", "statements": "tui.cli.reports"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors exit 2 with one line
        self.print_usage(sys.stderr)
        print(f"lettrage: {message}", file=sys.stderr)
        raise SystemExit(2)


def _command_word(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (after ``--db URL``), None when there is none."""
    words = list(argv)
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if (option == "--db" and words) or (option == "--lang" and words):
            words.pop(0)
        elif option.startswith("--lang="):
            continue
        elif option not in ("--db",) and not option.startswith("--db="):
            return None  # --help or an unknown option: the full parser answers
    return words[0] if words else None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="lettrage", description=N_("Accounts-receivable cash work in the "
                     "terminal: statements, payment application, reconciliation."))
    parser.add_argument("--db", metavar="URL", help=N_("database URL or SQLite file path (default: "
                        "$LETTRAGE_DATABASE_URL or a SQLite file in the data directory)"))
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help=N_("language of the app and "
                        "the messages (default: 'language' in config.toml, else LC_ALL/"
                        "LC_MESSAGES/LANG, else en)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    only = COMMAND_OF.get(_command_word(argv) or "") if argv is not None else None
    if argv is not None and only is None:
        # --help, no command or a mistyped one: the command list alone answers, without
        # importing any command module (and so no table or service).
        for command, text in COMMAND_HELP.items():
            sub.add_parser(command, help=_(text))  # the language chosen by now
        return parser
    for name in (only,) if only in COMMAND_MODULES else COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def choose_language(argv: Sequence[str] | None) -> None:
    """Set the user's language before the parser is built (its help is translated):
    ``--lang``, then the config file, then the environment. A bad config file is
    reported on stderr and English used, so the user can still run the fix."""
    args = list(sys.argv[1:] if argv is None else argv)
    cli = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            cli = args[i + 1]
        elif arg.startswith("--lang="):
            cli = arg.split("=", 1)[1]
    try:
        set_language(resolve_language(cli if cli in LANGUAGES else None, config_dir()))
    except ConfigError as exc:
        print(f"lettrage: {exc}", file=sys.stderr)
        set_language("en")


def _build_parser_quickly(argv: Sequence[str]) -> argparse.ArgumentParser:
    """``build_parser`` with the cyclic collector paused: importing the command's
    modules defines hundreds of classes (tables, models), whose allocations would run
    the collector over and over for nothing (nothing imported is garbage). What was
    imported is then frozen out of the collector's later passes (``gc.freeze``)."""
    with gc_paused(freeze=True):
        return build_parser(argv)


def main(argv: Sequence[str] | None = None) -> int:
    choose_language(argv)
    parser = _build_parser_quickly(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    ctx = Context(db_url=args.db, json=bool(getattr(args, "json", False)),
                  create=args.command in CREATING_COMMANDS)
    try:
        if args.command is None:
            from tui.cli.base_run import open_tui  # no command: the TUI (loads lazily too)

            return open_tui(ctx)
        return int(args.func(args, ctx))
    except LettrageError as exc:
        print(f"lettrage: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("lettrage: " + gettext("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        message = explain(exc)
        if message is None:
            raise
        where = log_traceback(exc)
        print(f"lettrage: {message}" + (_(" (details in {path})").format(path=where)
                                        if where else ""), file=sys.stderr)
        return 1


def log_traceback(error: BaseException) -> str | None:
    """Append ``error``'s traceback to the log file; its path, or None if unwritable."""
    try:
        path = log_file()
        with path.open("a", encoding="utf-8") as f:
            f.write(f"{datetime.now().isoformat(timespec='seconds')} lettrage "
                    f"{' '.join(sys.argv[1:])}\n")
            f.write("".join(traceback.format_exception(error)) + "\n")
        return str(path)
    except OSError:
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
