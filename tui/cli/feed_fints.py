"""``lettrage feed fints ...``: statements fetched from a German bank over FinTS.

``add`` stores the FinTS login of a bank account (no PIN), ``fetch`` gets the booked
statements of a period (PIN and TAN asked in the terminal, or the PIN from
``LETTRAGE_FINTS_PIN`` for cron) and drops them into the bank account's inbox, or
imports them directly when the bank account has no inbox; ``list`` and ``remove``.
"""

from __future__ import annotations

from typing import Any

from core.i18n import N_
from tui.cli.argtypes import iso_date, later

RUN = "tui.cli.feed_fints_run"


def register(cmds: Any) -> None:
    p = cmds.add_parser("fints", help=N_("fetch statements from a German bank (FinTS PIN/TAN)"))
    sub = p.add_subparsers(dest="fints_command", metavar="ACTION", required=True)

    c = sub.add_parser("add", help=N_("store a bank account's FinTS login (never the PIN)"))
    c.add_argument("--bank-account", required=True, metavar="NO")
    c.add_argument("--blz", required=True, metavar="BLZ", help=N_("the bank code (8 digits)"))
    c.add_argument("--user", required=True, metavar="USER",
                   help=N_("the online banking login (Anmeldename, Legitimations-ID)"))
    c.add_argument("--customer-id", default="", metavar="ID",
                   help=N_("the customer id when the bank uses one besides the login"))
    c.add_argument("--url", required=True, metavar="URL",
                   help=N_("the bank's FinTS server address (https://...)"))
    c.add_argument("--product-id", default="", metavar="ID",
                   help=N_("the product registration id (or LETTRAGE_FINTS_PRODUCT_ID)"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_add"))

    c = sub.add_parser("fetch", help=N_("fetch the booked statements of a period"))
    c.add_argument("--bank-account", required=True, metavar="NO")
    c.add_argument("--from", dest="since", type=iso_date, metavar="DATE",
                   help=N_("first day (default: the end of the last fetch, or 30 days ago)"))
    c.add_argument("--to", dest="until", type=iso_date, metavar="DATE",
                   help=N_("last day (default: today)"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_fetch"))

    c = sub.add_parser("list", help=N_("list the FinTS accesses"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_list"))

    c = sub.add_parser("remove", help=N_("remove a bank account's FinTS access"))
    c.add_argument("--bank-account", required=True, metavar="NO")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_remove"))
