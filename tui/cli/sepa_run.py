"""The ``lettrage`` commands of ``tui.cli.sepa`` (its parsers)."""

from __future__ import annotations

import argparse
from typing import Any

from core.direct_debit.rules import DirectDebitError
from core.direct_debit.views import CollectRequest
from core.i18n import N_, _, format_amount, format_date, pgettext


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
                                               args.to_date, args.partner_type))
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


def cmd_edit_entry(args: argparse.Namespace, ctx: Any) -> int:
    if args.transfer_date is None and args.amount is None:
        raise DirectDebitError(N_("Give --transfer-date or --amount (or both)."))
    e = ctx.services.direct_debit.edit_entry(args.entry, args.transfer_date, args.amount)
    ctx.emit(e.as_json(), _("Entry {entry} ({document_no}): transfer date {day}, amount "
                            "{amount}.").format(entry=e.id, document_no=e.document_no,
                                                day=format_date(e.transfer_date),
                                                amount=format_amount(e.amount)))
    return 0


def cmd_delete_entry(args: argparse.Namespace, ctx: Any) -> int:
    ctx.services.direct_debit.delete_entry(args.entry)
    ctx.emit({"deleted": args.entry}, _("Entry {entry} deleted.").format(entry=args.entry))
    return 0


def cmd_import_status(args: argparse.Namespace, ctx: Any) -> int:
    r = ctx.services.direct_debit.import_status_report(args.file)

    def text() -> str:
        lines = [_("Status report {msg_id} (collection {original}): {count} entries "
                   "rejected.").format(msg_id=r.msg_id, original=r.original_msg_id or "-",
                                       count=len(r.rejected))]
        if r.reopened:
            lines.append(_("Payment receipts undone, invoices reopened: entries {entries}.")
                         .format(entries=", ".join(map(str, r.reopened))))
        if r.unknown:
            lines.append(_("Unknown end-to-end IDs (nothing done): {ids}.").format(
                ids=", ".join(r.unknown)))
        if r.skipped:
            lines.append(_("Not File Created or Posted, left alone: {ids}.").format(
                ids=", ".join(r.skipped)))
        return "\n".join(lines)

    ctx.emit(r.as_json(), text)
    return 0


def cmd_post(args: argparse.Namespace, ctx: Any) -> int:
    view = ctx.services.direct_debit.post_receipts(args.collection,
                                                   journal_only=args.journal_only,
                                                   batch=args.batch)
    ctx.emit(view.as_json(), view.message)
    return 0
