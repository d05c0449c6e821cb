"""The ``lettrage`` commands of ``tui.cli.feed_fints`` (its parsers)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from core.i18n import N_, _, format_date
from tui.cli.context import Context

if TYPE_CHECKING:
    from core.feed.fints_service import FetchOutcome, FinTSService, FinTSView
    from core.feed.fints_source import PinPrompt, TanPrompt

TEXT = {
    "pin": N_("FinTS PIN for user {user} at bank {blz}: "),
    "tan_head": N_("The bank asks for a TAN:"),
    "tan": N_("TAN (empty when confirmed in the banking app): "),
    "added": N_("FinTS access added for bank account {no} ({iban}, user {user} at bank {blz})"),
    "removed": N_("FinTS access of bank account {no} removed"),
    "none": N_("No FinTS access is configured: add one with 'lettrage feed fints add'."),
    "nothing": N_("The bank has no booked statement for {no} from {since} to {until}."),
    "delivered": N_("{name}: in the inbox; 'lettrage feed watch' imports it"),
    "imported": N_("{file}: {new} new lines, {dup} already imported"),
}


def _service(ctx: Context) -> FinTSService:
    # imported here, not at the top: python-fints takes about a second to import, and
    # every 'lettrage' command builds this parser; only the fints commands pay for it
    from core.feed.fints_service import FinTSService  # python-fints: a second to import

    return FinTSService(ctx.services.store)


def _prompts(view: FinTSView) -> tuple[PinPrompt | None, TanPrompt | None]:
    """Asked on the terminal only; without one (cron) the PIN must come from the
    environment and a TAN request is an error."""
    if not sys.stdin.isatty():
        return None, None

    def pin() -> str:
        return getpass.getpass(_(TEXT["pin"]).format(user=view.user_id, blz=view.blz))

    def tan(challenge: str) -> str:
        print(_(TEXT["tan_head"]), file=sys.stderr)
        print(f"  {challenge}", file=sys.stderr)
        print(_(TEXT["tan"]), end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().strip()

    return pin, tan


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    v = _service(ctx).add(args.bank_account, args.blz, args.user, args.url,
                          product_id=args.product_id, customer_id=args.customer_id)
    ctx.emit(v.as_json(), _(TEXT["added"]).format(no=v.bank_account_no, iban=v.iban,
                                               user=v.user_id, blz=v.blz))
    return 0


def cmd_fetch(args: argparse.Namespace, ctx: Context) -> int:
    svc = _service(ctx)
    view = next((v for v in svc.accesses() if v.bank_account_no == args.bank_account), None)
    pin, tan = _prompts(view) if view is not None else (None, None)
    out = svc.fetch(args.bank_account, args.since, args.until, pin_prompt=pin,
                    tan_prompt=tan)
    ctx.emit(out.as_json(), lambda: _fetch_text(out))
    return 0


def _fetch_text(o: FetchOutcome) -> str:
    if not o.delivered and not o.imported:
        return _(TEXT["nothing"]).format(no=o.bank_account_no, since=format_date(o.since),
                                         until=format_date(o.until))
    rows = [_(TEXT["delivered"]).format(name=p) for p in o.delivered]
    rows += [_(TEXT["imported"]).format(file=i["file"], new=i["lines_new"],
                                     dup=i["lines_duplicate"]) for i in o.imported]
    return "\n".join(rows)


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = _service(ctx).accesses()
    ctx.emit({"fints": [v.as_json() for v in rows]},
             lambda: "\n".join(_("{bank_account_no}  {iban}  user {user_id} at bank {blz} "
                                  " {server_url}  last fetch {value}").format(
                                  bank_account_no=v.bank_account_no, iban=v.iban,
                                  user_id=v.user_id, blz=v.blz, server_url=v.server_url,
                                  value=v.last_fetch_until or '-') for v in rows)
             or _(TEXT["none"]))
    return 0


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    v = _service(ctx).remove(args.bank_account)
    ctx.emit(v.as_json(), _(TEXT["removed"]).format(no=v.bank_account_no))
    return 0
