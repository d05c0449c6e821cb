"""``lettrage feed ...``: inbox folders that import and apply statements by themselves.

``watch`` runs until stopped (a systemd service) or, with ``--once``, processes what is
in the inboxes and exits (cron); ``status`` says per bank when the feed last brought a
statement, the last rejected file and the lines waiting for review; ``add``, ``list``
and ``remove`` configure the inboxes.
"""

from __future__ import annotations

import argparse
from typing import Any

from core.i18n import N_, _
from tui.cli import feed_fints
from tui.cli.argtypes import later

RUN = "tui.cli.feed_run"


def register(sub: Any) -> None:
    p = sub.add_parser("feed", help=N_("bank feed: inbox folders imported and applied by "
                       "themselves"))
    cmds = p.add_subparsers(dest="feed_command", metavar="ACTION", required=True)

    c = cmds.add_parser("watch", help=N_("watch the inboxes (until stopped, or --once)"))
    c.add_argument("--once", action="store_true",
                   help=N_("process the files there now and exit (for cron)"))
    c.add_argument("--interval", type=_seconds, default=2.0, metavar="SECONDS",
                   help=N_("how often the folders are scanned besides file events (2)"))
    c.add_argument("--settle", type=_seconds, default=1.0, metavar="SECONDS",
                   help=N_("a file is taken once unchanged this long (1)"))
    c.add_argument("--reject-after", type=_seconds, default=30.0, metavar="SECONDS",
                   help=N_("an unreadable file is rejected once this old; younger, it may "
                   "still be being written and is tried again (30)"))
    c.add_argument("--poll", action="store_true",
                   help=N_("poll only, no file system events (network shares)"))
    c.add_argument("--json", action="store_true", help=N_("one JSON object per file"))
    c.set_defaults(func=later(RUN, "cmd_watch"))

    c = cmds.add_parser("status", help=N_("per bank: last statement, last error, lines to "
                        "review"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_status"))

    c = cmds.add_parser("add", help=N_("add an inbox folder"))
    c.add_argument("--dir", required=True, metavar="PATH",
                   help=N_("the folder the bank's files arrive in (created if missing)"))
    c.add_argument("--bank-account", metavar="NO", default="",
                   help=N_("the bank account of every file there (default: by the IBAN each "
                   "file names)"))
    c.add_argument("--profile", metavar="NAME", default="",
                   help=N_("CSV profile for CSV files"))
    c.add_argument("--no-apply", action="store_true",
                   help=N_("import only, do not run Apply Automatically"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_add"))

    c = cmds.add_parser("list", help=N_("list the inbox folders"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_list"))

    c = cmds.add_parser("remove", help=N_("remove an inbox (its files stay)"))
    c.add_argument("inbox", metavar="ID|PATH")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_remove"))

    feed_fints.register(cmds)  # feed fints add|fetch|list|remove


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a number of seconds").format(
                                            text=text)) from None
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(_("seconds must be between 0 and 86400"))
    return value
