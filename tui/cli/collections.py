"""``lettrage reminders ...``, ``lettrage finance-charges ...`` and ``lettrage collections
run``: Create Reminders / Finance Charge Memos, list, show, issue, cancel, write and send
them, and the Reminder Automation for cron. Same services as the screens."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.i18n import N_, _
from tui.cli.argtypes import iso_date, later

RUN = "tui.cli.collections_run"


KINDS = {"reminders": "reminder", "finance-charges": "finance_charge"}


HELP = {
    "reminders": N_("reminders: create, list, show, issue, cancel, write, send"),
    "finance-charges": N_("finance charge memos: create, list, show, issue, cancel, write, send"),
}


def _common(c: argparse.ArgumentParser, date_help: str) -> None:
    c.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help=date_help)
    c.add_argument("--customer", action="append", default=[], metavar="NO",
                   help=N_("only this customer (repeatable)"))
    c.add_argument("--json", action="store_true")


def register(sub: Any) -> None:
    for command, kind in KINDS.items():
        p = sub.add_parser(command, help=_(HELP[command]))
        cmds = p.add_subparsers(dest="collections_command", metavar="ACTION", required=True)
        c = cmds.add_parser("create", help=N_("create them for the overdue customers"))
        _common(c, _("document date (default: today)"))
        c.add_argument("--posting-date", type=iso_date, metavar="YYYY-MM-DD")
        if kind == "reminder":
            c.add_argument("--only-overdue", action="store_true",
                           help=N_("leave out the entries not yet due"))
            c.add_argument("--include-on-hold", action="store_true",
                           help=N_("list entries on hold (in their own section)"))
        c.set_defaults(func=later(RUN, "cmd_create", kind))
        c = cmds.add_parser("list", help=N_("list drafts (or issued ones) with their lines"))
        _common(c, _("only documents of this document date"))
        c.add_argument("--status", choices=("draft", "issued", "canceled", "all"),
                       default="draft")
        c.set_defaults(func=later(RUN, "cmd_list", kind))
        c = cmds.add_parser("show", help=N_("one document: lines, totals, texts"))
        c.add_argument("no")
        c.add_argument("--text", action="store_true", help=N_("the customer's text version"))
        c.add_argument("--json", action="store_true")
        c.set_defaults(func=later(RUN, "cmd_show", kind))
        c = cmds.add_parser("issue", help=N_("issue drafts (by number, or all matching)"))
        c.add_argument("nos", nargs="*", metavar="NO")
        _common(c, _("issue the drafts of this document date"))
        c.add_argument("--recompute", action="store_true",
                       help=N_("rebuild a draft whose entries changed since it was created"))
        c.set_defaults(func=later(RUN, "cmd_issue", kind))
        c = cmds.add_parser("cancel", help=N_("cancel issued documents (reverse their posting)"))
        c.add_argument("nos", nargs="*", metavar="NO")
        _common(c, _("cancel the issued documents of this document date"))
        c.set_defaults(func=later(RUN, "cmd_cancel", kind))
        c = cmds.add_parser("write", help=N_("write the PDF and text of issued documents"))
        c.add_argument("nos", nargs="+", metavar="NO")
        c.add_argument("--folder", type=Path, required=True)
        c.add_argument("--json", action="store_true")
        c.set_defaults(func=later(RUN, "cmd_write", kind))
        c = cmds.add_parser("send", help=N_("e-mail issued documents (PDF attached)"))
        c.add_argument("nos", nargs="+", metavar="NO")
        c.add_argument("--to", default="", help=N_("address (default: the customer's e-mail)"))
        c.add_argument("--json", action="store_true")
        c.set_defaults(func=later(RUN, "cmd_send", kind))

    p = sub.add_parser("collections", help=N_("reminder automation (create, issue, send)"))
    cmds = p.add_subparsers(dest="collections_command", metavar="ACTION", required=True)
    c = cmds.add_parser("run", help=N_("Reminder Automation for one date; safe to re-run"))
    _common(c, _("the run's document date (default: today)"))
    c.add_argument("--create", action="store_true")
    c.add_argument("--issue", action="store_true")
    c.add_argument("--send", action="store_true")
    c.add_argument("--stop-on-error", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_run"))
    c = cmds.add_parser("log", help=N_("the last automation runs"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_log"))
