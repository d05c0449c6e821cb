"""``lettrage setup ...``: the application setup (payment discount grace period,
payment tolerance, the tolerance warnings) from the command line, and the Change
Payment Tolerance batch job. The same ``ToleranceService`` the setup screen uses.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from core.application.tolerance import (
    POSTING_OPTIONS,
    ApplicationSetupView,
    SetupChanges,
)
from core.i18n import N_, _
from tui.cli.context import Context

ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}


def register(sub: Any) -> None:
    p = sub.add_parser("setup", help=N_("application setup: payment tolerance, warnings"))
    cmds = p.add_subparsers(dest="setup_command", metavar="ACTION", required=True)

    c = cmds.add_parser("show", help=N_("show the application setup"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_show)

    c = cmds.add_parser("set", help=N_("change the grace period, posting options or warnings"))
    c.add_argument("--grace-days", type=int, metavar="N",
                   help=N_("payment discount grace period in days"))
    c.add_argument("--payment-tolerance-warning", choices=sorted(ON_OFF), metavar="on|off")
    c.add_argument("--pmt-disc-tolerance-warning", choices=sorted(ON_OFF), metavar="on|off")
    c.add_argument("--payment-tolerance-posting", choices=POSTING_OPTIONS)
    c.add_argument("--pmt-disc-tolerance-posting", choices=POSTING_OPTIONS)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_set)

    c = cmds.add_parser("change-tolerance", help=N_("Change Payment Tolerance: set the "
                        "%% and max. amount and recalculate the open entries"))
    c.add_argument("--pct", required=True, metavar="P", help=N_("payment tolerance %%, 0-100"))
    c.add_argument("--max", required=True, metavar="AMOUNT", dest="max_amount",
                   help=N_("max. payment tolerance amount (0: no cap)"))
    c.add_argument("--currency", default="", help=N_("blank or the company currency"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_change_tolerance)


# BC's option captions for the stored values (the JSON keeps the stored form)
POSTING_WORDS = {"payment_tolerance_accounts": N_("Payment Tolerance Accounts"),
                 "payment_discount_accounts": N_("Payment Discount Accounts")}


def _text(s: ApplicationSetupView) -> str:
    def on(flag: bool) -> str:
        return "on" if flag else "off"

    def posting(value: str) -> str:
        return _(POSTING_WORDS[value]) if value in POSTING_WORDS else value

    return "\n".join([
        _("Payment discount grace period  {pmt_disc_grace_days} days").format(
           pmt_disc_grace_days=s.pmt_disc_grace_days),
        _("Payment tolerance %            {payment_tolerance_pct}").format(
           payment_tolerance_pct=s.payment_tolerance_pct),
        _("Max. payment tolerance amount  {max_payment_tolerance} {currency}").format(
           max_payment_tolerance=s.max_payment_tolerance, currency=s.currency),
        _("Payment tolerance posting      {payment_tolerance_posting}").format(
           payment_tolerance_posting=posting(s.payment_tolerance_posting)),
        _("Pmt. disc. tolerance posting   {pmt_disc_tolerance_posting}").format(
           pmt_disc_tolerance_posting=posting(s.pmt_disc_tolerance_posting)),
        _("Payment tolerance warning      {payment_tolerance_warning}").format(
           payment_tolerance_warning=on(s.payment_tolerance_warning)),
        _("Pmt. disc. tolerance warning   {pmt_disc_tolerance_warning}").format(
           pmt_disc_tolerance_warning=on(s.pmt_disc_tolerance_warning))])


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    setup = ctx.services.tolerance.setup()
    ctx.emit(asdict(setup), lambda: _text(setup))
    return 0


def cmd_set(args: argparse.Namespace, ctx: Context) -> int:
    def flag(value: str | None) -> bool | None:
        return None if value is None else ON_OFF[value]

    changes = SetupChanges(
        pmt_disc_grace_days=args.grace_days,
        payment_tolerance_warning=flag(args.payment_tolerance_warning),
        pmt_disc_tolerance_warning=flag(args.pmt_disc_tolerance_warning),
        payment_tolerance_posting=args.payment_tolerance_posting,
        pmt_disc_tolerance_posting=args.pmt_disc_tolerance_posting)
    saved = ctx.services.tolerance.update_setup(None, changes)
    ctx.emit({**asdict(saved.setup), "entries_updated": saved.entries_updated},
             lambda: f"{saved.message}\n{_text(saved.setup)}")
    return 0


def cmd_change_tolerance(args: argparse.Namespace, ctx: Context) -> int:
    result = ctx.services.tolerance.change_payment_tolerance(
        args.pct, args.max_amount, args.currency)
    ctx.emit(asdict(result), result.message)
    return 0
