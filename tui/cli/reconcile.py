"""``lettrage reconcile ...``: the payment reconciliation journal from the command line.

``apply-auto`` opens the bank account's journal (made from its imported statement
lines when none is open) and runs Apply Automatically; ``lines`` lists the journal;
``post`` posts payments only, or with ``--reconcile`` posts and reconciles the bank
account. The same ``ReconciliationService`` the TUI uses.

This module only defines the parsers (``reconcile --help`` imports no service); the
commands are in ``tui.cli.reconcile_run``, imported when one runs.
"""

from __future__ import annotations

import argparse
from typing import Any

from core.i18n import N_
from tui.cli.argtypes import amount, bank_account_options, iso_date, later

RUN = "tui.cli.reconcile_run"


def register(sub: Any) -> None:
    p = sub.add_parser("reconcile", help=N_("payment reconciliation journal: apply, list, post"))
    cmds = p.add_subparsers(dest="reconcile_command", metavar="ACTION", required=True)

    c = cmds.add_parser("apply-auto", help=N_("apply the bank account's statement lines "
                        "automatically"))
    bank_account_options(c)
    c.set_defaults(func=later(RUN, "cmd_apply_auto"))

    c = cmds.add_parser("lines", help=N_("list the lines of the open journal"))
    bank_account_options(c)
    c.add_argument("--review", action="store_true", help=N_("only the lines to review"))
    c.set_defaults(func=later(RUN, "cmd_lines"))

    c = cmds.add_parser("post", help=N_("post payments (and reconcile the bank account)"))
    bank_account_options(c)
    c.add_argument("--reconcile", action="store_true",
                   help=N_("post payments and reconcile the bank account"))
    c.add_argument("--ending-balance", metavar="AMOUNT", type=amount,
                   help=N_("statement ending balance (default: from the imported statement)"))
    c.add_argument("--statement-date", metavar="DATE", type=iso_date,
                   help=N_("statement date, YYYY-MM-DD (default: the last transaction date)"))
    c.add_argument("--preview", action="store_true", help=N_("show what would be posted"))
    c.set_defaults(func=later(RUN, "cmd_post"))
    _register_review(cmds)


def _register_review(cmds: Any) -> None:
    """The review actions a script needs (issue #15): the same service calls as the keys
    c, x, t and k of the journal screen. ``--line`` is the line no. ``lines`` shows."""
    c = cmds.add_parser("accept", help=N_("accept the proposed application of lines"))
    bank_account_options(c)
    _line_option(c, many=True)
    c.set_defaults(func=later(RUN, "cmd_accept"))

    c = cmds.add_parser("remove", help=N_("remove the applications of lines"))
    bank_account_options(c)
    _line_option(c, many=True)
    c.set_defaults(func=later(RUN, "cmd_remove"))

    c = cmds.add_parser("transfer-difference",
                        help=N_("transfer a line's difference to an account"))
    bank_account_options(c)
    _line_option(c)
    c.add_argument("--account-type", default="gl_account",
                   choices=("gl_account", "customer", "vendor", "bank_account"))
    c.add_argument("--account", metavar="NO", required=True, help=N_("account no."))
    c.add_argument("--description", default="", help=N_("description of the new line"))
    c.set_defaults(func=later(RUN, "cmd_transfer"))

    c = cmds.add_parser("map-text", help=N_("map a line's text to a G/L account, then apply "
                        "automatically again"))
    bank_account_options(c)
    _line_option(c)
    c.add_argument("--text", default="", help=N_("mapping text (default: the line's text)"))
    c.add_argument("--debit-account", metavar="NO", default="",
                   help=N_("Debit Acc. No.: G/L account for money received (positive lines)"))
    c.add_argument("--credit-account", metavar="NO", default="",
                   help=N_("Credit Acc. No.: G/L account for money paid out (negative lines)"))
    c.add_argument("--no-apply", action="store_true",
                   help=N_("only save the mapping, do not apply automatically again"))
    c.set_defaults(func=later(RUN, "cmd_map_text"))


def _line_option(c: argparse.ArgumentParser, many: bool = False) -> None:
    if many:
        c.add_argument("--line", metavar="LINE_NO", type=int, action="append", required=True,
                       help=N_("line no. as 'reconcile lines' shows it (repeat for more)"))
    else:
        c.add_argument("--line", metavar="LINE_NO", type=int, required=True,
                       help=N_("line no. as 'reconcile lines' shows it"))
