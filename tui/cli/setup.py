"""``lettrage setup ...``: the application setup (payment discount grace period,
payment tolerance, the tolerance warnings) from the command line, and the Change
Payment Tolerance batch job. The same ``ToleranceService`` the setup screen uses.

This module only defines the parsers (``setup --help`` imports no service); the
commands are in ``tui.cli.setup_run``, imported when one runs.
"""

from __future__ import annotations

from typing import Any

from core.i18n import N_
from tui.cli.argtypes import later

RUN = "tui.cli.setup_run"
ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}
# core.application.tolerance.POSTING_OPTIONS, spelt here: importing core.application
# loads the posting engine (a test keeps the two equal)
POSTING_OPTIONS = ("payment_discount_accounts", "payment_tolerance_accounts")


def register(sub: Any) -> None:
    p = sub.add_parser("setup", help=N_("application setup: payment tolerance, warnings"))
    cmds = p.add_subparsers(dest="setup_command", metavar="ACTION", required=True)

    c = cmds.add_parser("show", help=N_("show the application setup"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_show"))

    c = cmds.add_parser("set", help=N_("change the grace period, posting options or warnings"))
    c.add_argument("--grace-days", type=int, metavar="N",
                   help=N_("payment discount grace period in days"))
    c.add_argument("--payment-tolerance-warning", choices=sorted(ON_OFF), metavar="on|off")
    c.add_argument("--pmt-disc-tolerance-warning", choices=sorted(ON_OFF), metavar="on|off")
    c.add_argument("--payment-tolerance-posting", choices=POSTING_OPTIONS)
    c.add_argument("--pmt-disc-tolerance-posting", choices=POSTING_OPTIONS)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_set"))

    c = cmds.add_parser("change-tolerance", help=N_("Change Payment Tolerance: set the "
                        "%% and max. amount and recalculate the open entries"))
    c.add_argument("--pct", required=True, metavar="P", help=N_("payment tolerance %%, 0-100"))
    c.add_argument("--max", required=True, metavar="AMOUNT", dest="max_amount",
                   help=N_("max. payment tolerance amount (0: no cap)"))
    c.add_argument("--currency", default="", help=N_("blank or the company currency"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_change_tolerance"))
