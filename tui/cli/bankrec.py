"""``lettrage bank-rec ...``: bank account reconciliation from the command line.

``import`` a statement into a new reconciliation, ``suggest`` lines from open bank
entries, ``match-auto``, list the ``lines``, ``test-report``, ``outstanding`` items,
``post`` and ``undo`` a posted statement, list the ``checks`` and ``void-check`` one.
Each works on the bank account's most recent
open reconciliation. The same services the TUI uses.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.i18n import N_
from tui.cli.argtypes import amount, bank_account_options, iso_date, later

RUN = "tui.cli.bankrec_run"


def register(sub: Any) -> None:
    p = sub.add_parser("bank-rec", help=N_("bank account reconciliation: import, match, post"))
    cmds = p.add_subparsers(dest="bank_rec_command", metavar="ACTION", required=True)

    c = cmds.add_parser("import", help=N_("import a statement file into a new reconciliation"))
    c.add_argument("file", type=Path)
    bank_account_options(c)
    c.add_argument("--statement-date", metavar="D", type=iso_date,
                   help=N_("default: the file's closing date"))
    c.add_argument("--ending-balance", metavar="X", type=amount,
                   help=N_("default: the file's closing balance"))
    c.set_defaults(func=later(RUN, "cmd_import"))

    c = cmds.add_parser("suggest", help=N_("lines from the open bank entries of a period"))
    bank_account_options(c)
    c.add_argument("--from", dest="date_from", metavar="D", type=iso_date, required=True)
    c.add_argument("--to", dest="date_to", metavar="D", type=iso_date, required=True)
    c.set_defaults(func=later(RUN, "cmd_suggest"))

    c = cmds.add_parser("match-auto", help=N_("Match Automatically"))
    bank_account_options(c)
    c.add_argument("--date-tolerance", metavar="DAYS", type=int, default=0,
                   help=N_("transaction date tolerance in days (default 0: same date)"))
    c.add_argument("--amount-alone", action="store_true",
                   help=N_("BC's rule: an equal amount alone matches even when nothing else "
                           "links the line to the entry (default: beyond BC, setting Amount "
                           "alone needs text)"))
    c.set_defaults(func=later(RUN, "cmd_match_auto"))

    c = cmds.add_parser("lines", help=N_("the lines of the open reconciliation"))
    bank_account_options(c)
    c.set_defaults(func=later(RUN, "cmd_lines"))

    c = cmds.add_parser("test-report", help=N_("BC's test report of the open reconciliation"))
    bank_account_options(c)
    c.set_defaults(func=later(RUN, "cmd_test_report"))

    c = cmds.add_parser("outstanding", help=N_("bank entries not reconciled at a date"))
    bank_account_options(c)
    c.add_argument("--at", metavar="D", type=iso_date, default=None, help=N_("default: today"))
    c.set_defaults(func=later(RUN, "cmd_outstanding"))

    c = cmds.add_parser("post", help=N_("post the open reconciliation (F9)"))
    bank_account_options(c)
    c.set_defaults(func=later(RUN, "cmd_post"))

    c = cmds.add_parser("undo", help=N_("reopen a posted statement"))
    bank_account_options(c)
    c.add_argument("--statement-no", metavar="N", required=True)
    c.set_defaults(func=later(RUN, "cmd_undo"))

    c = cmds.add_parser("checks", help=N_("the check ledger entries of the bank account"))
    bank_account_options(c)
    c.add_argument("--open", action="store_true", help=N_("only the open checks"))
    c.set_defaults(func=later(RUN, "cmd_checks"))

    c = cmds.add_parser("void-check", help=N_("void a check (financially: post the "
                        "reversing bank entry; not: only mark it voided)"))
    bank_account_options(c)
    c.add_argument("--check", metavar="N", required=True, help=N_("the check no."))
    c.add_argument("--financial", action=argparse.BooleanOptionalAction, default=True,
                   help=N_("post the reversing bank entry (default); --no-financial only "
                           "marks the check voided, its bank entry stays outstanding"))
    c.add_argument("--date", metavar="D", type=iso_date, default=None,
                   help=N_("void date of a financial void (default: the check's date)"))
    c.set_defaults(func=later(RUN, "cmd_void_check"))
