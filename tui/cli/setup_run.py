"""The ``lettrage setup ...`` commands (their parsers: ``tui.cli.setup``)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from decimal import Decimal

from core.application.tolerance import ApplicationSetupView, SetupChanges
from core.i18n import N_, _, format_amount, format_number, pgettext
from tui.cli.context import Context
from tui.cli.setup import ON_OFF

# BC's option captions for the stored values (the JSON keeps the stored form)
POSTING_WORDS = {"payment_tolerance_accounts": N_("Payment Tolerance Accounts"),
                 "payment_discount_accounts": N_("Payment Discount Accounts")}


def _text(s: ApplicationSetupView) -> str:
    def on(flag: bool) -> str:
        return pgettext("setting", "on") if flag else pgettext("setting", "off")

    def posting(value: str) -> str:
        return _(POSTING_WORDS[value]) if value in POSTING_WORDS else value

    return "\n".join([
        _("Payment discount grace period  {pmt_disc_grace_days} days").format(
           pmt_disc_grace_days=s.pmt_disc_grace_days),
        _("Payment tolerance %            {payment_tolerance_pct}").format(
           payment_tolerance_pct=format_number(Decimal(s.payment_tolerance_pct))),
        _("Max. payment tolerance amount  {max_payment_tolerance} {currency}").format(
           max_payment_tolerance=format_amount(Decimal(s.max_payment_tolerance)),
           currency=s.currency),
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
