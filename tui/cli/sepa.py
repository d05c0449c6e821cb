"""``lettrage sepa ...``: SEPA direct debit mandates and collections (bc-spec §10):
list mandates, create a collection, export it as pain.008, reject an entry, post the
payment receipts. Same service as the screens (``services.direct_debit``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.direct_debit.models import FORMATS
from core.direct_debit.views import CollectRequest
from core.i18n import N_, _, format_amount, format_date, pgettext
from tui.cli.argtypes import iso_date


def register(sub: Any) -> None:
    p = sub.add_parser("sepa", help=N_("SEPA direct debit: mandates, collections, pain.008 "
                                       "export, reject, post"))
    cmds = p.add_subparsers(dest="sepa_command", metavar="ACTION", required=True)
    c = cmds.add_parser("mandates", help=N_("list the direct debit mandates"))
    c.add_argument("--customer", metavar="NO", help=N_("only this customer's mandates"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_mandates)
    c = cmds.add_parser("collect", help=N_("create a direct debit collection of the invoices "
                                           "due in a date range"))
    c.add_argument("--from", dest="from_date", type=iso_date, required=True, metavar="D")
    c.add_argument("--to", dest="to_date", type=iso_date, required=True, metavar="D")
    c.add_argument("--bank-account", required=True, metavar="NO")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_collect)
    c = cmds.add_parser("export", help=N_("export a collection as a pain.008 file, "
                                          "validated against its XSD"))
    c.add_argument("--collection", type=int, required=True, metavar="N")
    c.add_argument("--out", type=Path, required=True, metavar="FILE")
    c.add_argument("--format", choices=FORMATS, help=N_("default: the bank account's format"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_export)
    c = cmds.add_parser("reject", help=N_("reject an exported collection entry"))
    c.add_argument("--entry", type=int, required=True, metavar="N")
    c.add_argument("--reason", required=True, metavar="CODE")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reject)
    c = cmds.add_parser("post", help=N_("post the payment receipts of an exported collection"))
    c.add_argument("--collection", type=int, required=True, metavar="N")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_post)


def cmd_mandates(args: argparse.Namespace, ctx: Any) -> int:
    rows = ctx.services.direct_debit.mandates(args.customer)

    def text() -> str:
        if not rows:
            return _("No mandates.")
        lines = ["{:<20} {:<10} {:<27} {:<9} {:>7} {}".format(
            _("Mandate"), _("Customer"), "IBAN", _("Type"), _("Debits"), _("State"))]
        for m in rows:
            state = _("blocked") if m.blocked else pgettext("mandate", "closed") if m.closed else ""
            kind = "OOFF" if m.type_of_payment == "one_off" else "RCUR"
            debits = f"{m.debit_counter}/{m.expected_debits}"
            lines.append(f"{m.id:<20} {m.customer_no:<10} {m.iban:<27} {kind:<9} "
                         f"{debits:>7} {state}{' *' if m.is_default else ''}")
        return "\n".join(lines)

    ctx.emit([m.as_json() for m in rows], text)
    return 0


def cmd_collect(args: argparse.Namespace, ctx: Any) -> int:
    dd = ctx.services.direct_debit
    view = dd.create_collection(CollectRequest(args.bank_account, args.from_date,
                                               args.to_date))
    entries = dd.entries(view.no)

    def text() -> str:
        lines = [view.message]
        for e in entries:
            lines.append(f"{e.id:>6} {e.customer_no:<10} {e.document_no:<12} "
                         f"{format_date(e.transfer_date):>10} {format_amount(e.amount):>12} "
                         f"{e.sequence_type:<4} {e.mandate_id}")
        return "\n".join(lines)

    ctx.emit({**view.as_json(), "entries_list": [e.as_json() for e in entries]}, text)
    return 0


def cmd_export(args: argparse.Namespace, ctx: Any) -> int:
    result = ctx.services.direct_debit.export(args.collection, args.out, args.format)
    ctx.emit(result.as_json(), result.message)
    return 0


def cmd_reject(args: argparse.Namespace, ctx: Any) -> int:
    e = ctx.services.direct_debit.reject(args.entry, args.reason)
    ctx.emit(e.as_json(), _("Entry {entry} ({document_no}) rejected: {reason}.").format(
        entry=e.id, document_no=e.document_no, reason=e.reject_reason))
    return 0


def cmd_post(args: argparse.Namespace, ctx: Any) -> int:
    view = ctx.services.direct_debit.post_receipts(args.collection)
    ctx.emit(view.as_json(), view.message)
    return 0
