"""The ``lettrage`` commands of ``tui.cli.collections`` (its parsers)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from typing import Any

from core.collections.hub import CollectionsHub
from core.collections.service import ListFilter
from core.collections.views import DocumentSummary, DocumentView
from core.i18n import _, format_amount, format_date, ngettext
from core.kernel.errors import LettrageError
from tui.cli.context import Context


def _hub(ctx: Context) -> CollectionsHub:
    return ctx.services.collections  # type: ignore[no-any-return]


def _today(args: argparse.Namespace, ctx: Context) -> date:
    return args.date or ctx.services.today()  # type: ignore[no-any-return]


def cmd_create(kind: str, args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    result = hub.service.create(kind, _today(args, ctx), posting_date=args.posting_date,
                                customer_nos=args.customer,
                                only_overdue=getattr(args, "only_overdue", False),
                                include_on_hold=getattr(args, "include_on_hold", False))
    views = hub.service.views(kind, result.created)
    data = {**asdict(result), "documents": [_json(v) for v in views]}

    def text() -> str:
        lines = [_("Created {count} {kind} dated {document_date}").format(
                    count=len(result.created), kind=_name(kind, len(result.created)),
                    document_date=result.document_date)]
        lines += [_summary_line(v) for v in views]
        if result.skipped:
            lines.append(_("{count} customer(s) skipped, e.g. {value}: {value2}").format(
                            count=len(result.skipped), value=result.skipped[0][0],
                            value2=result.skipped[0][1]))
        return "\n".join(lines)

    ctx.emit(data, text)
    return 0


def _name(kind: str, n: int) -> str:
    if kind == "reminder":
        return ngettext("reminder", "reminders", n)
    return ngettext("finance charge memo", "finance charge memos", n)


def _json(v: DocumentView) -> dict[str, Any]:
    data = v.as_json()
    data["fees"] = v.additional_fee + v.line_fee
    return data


def _summary_line(v: DocumentView | DocumentSummary) -> str:
    fees = v.additional_fee + v.line_fee if isinstance(v, DocumentView) else v.fees
    level = f"L{v.level}" if v.kind == "reminder" else "  "
    return (_("{no:<10} {status:<8} {customer_no:<8} {value:<24} {level} {document_date} "
               "rem {remaining:>12} int {interest:>9} fees {fees:>8} total {total:>12}").format(
               no=v.no, status=v.status, customer_no=v.customer_no, value=v.name[:24], level=level,
               document_date=format_date(v.document_date), remaining=format_amount(v.remaining),
               interest=format_amount(v.interest),
               fees=format_amount(fees), total=format_amount(v.total)))


def _line_text(v: DocumentView) -> list[str]:
    out = [_summary_line(v)]
    for ln in v.lines:
        if ln.line_type == "entry":
            out.append(_("   {section:<8} {document_type:<12} {document_no:<10} due "
                          "{due_date} {days_overdue:>4}d  rem {remaining:>12}  int "
                          "{interest:>8}  L{level}").format(section=ln.section,
                          document_type=ln.document_type, document_no=ln.document_no,
                          due_date=format_date(ln.due_date), days_overdue=ln.days_overdue,
                          remaining=format_amount(ln.remaining),
                          interest=format_amount(ln.interest), level=ln.level))
        else:
            fee = format_amount(ln.fee)
            out.append(f"   {ln.line_type:<8} {ln.description[:40]:<40} {fee:>12}")
    return out


def cmd_list(kind: str, args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    flt = ListFilter(status=args.status, customer_no=args.customer[0] if args.customer else "",
                     date_from=args.date, date_to=args.date)
    summaries = hub.service.documents(kind, flt)
    views = hub.service.views(kind, [d.no for d in summaries])
    ctx.emit([_json(v) for v in views], lambda: "\n".join(
        [ln for v in views for ln in _line_text(v)]) or (_("No reminders.") if kind == "reminder"
                                                    else _("No finance charge memos.")))
    return 0


def cmd_show(kind: str, args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    view = hub.service.get(kind, args.no)
    if args.text:
        print(hub.documents.text(kind, args.no), end="")
        return 0
    ctx.emit(_json(view), lambda: "\n".join(
        [*view.beginning_texts, *_line_text(view), *view.ending_texts]))
    return 0


def _targets(hub: CollectionsHub, kind: str, args: argparse.Namespace, status: str
             ) -> list[str]:
    if args.nos:
        return list(args.nos)
    if not args.date and not args.customer:
        raise LettrageError(_("Name the documents, or select them with --date and/or --customer"))
    found = []
    for customer in args.customer or [""]:
        found += [d.no for d in hub.service.documents(kind, ListFilter(
            status=status, customer_no=customer, date_from=args.date, date_to=args.date))]
    return found


def cmd_issue(kind: str, args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    done, failed = [], []
    for no in _targets(hub, kind, args, "draft"):
        try:
            done.append(hub.service.issue(kind, no, recompute=args.recompute))
        except LettrageError as exc:
            failed.append({"no": no, "error": str(exc)})
    data = {"issued": [asdict(r) for r in done], "errors": failed}
    ctx.emit(data, lambda: "\n".join([r.message for r in done] +
                                     [f"{f['no']}: {f['error']}" for f in failed]
                                     or [_("Nothing to issue.")]))
    return 1 if failed else 0


def cmd_cancel(kind: str, args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    done, failed = [], []
    for no in _targets(hub, kind, args, "issued"):
        try:
            done.append(hub.service.cancel(kind, no))
        except LettrageError as exc:
            failed.append({"no": no, "error": str(exc)})
    ctx.emit({"cancelled": [asdict(r) for r in done], "errors": failed},
             lambda: "\n".join([r.message for r in done] +
                               [f"{f['no']}: {f['error']}" for f in failed]
                               or [_("Nothing to cancel.")]))
    return 1 if failed else 0


def cmd_write(kind: str, args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    files = [hub.documents.write(kind, no, args.folder) for no in args.nos]
    ctx.emit(
        [{"pdf": str(p), "text": str(t)} for p, t in files],
        lambda: "\n".join(_("Wrote {p} and {name}").format(p=p, name=t.name) for p, t in files),
    )
    return 0


def cmd_send(kind: str, args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    settings = hub.smtp_settings()
    sent = [(no, hub.documents.send(kind, no, settings, args.to)) for no in args.nos]
    ctx.emit([{"no": no, "to": to} for no, to in sent],
             lambda: "\n".join(_("Sent {no} to {to} via {describe}").format(no=no, to=to,
                                  describe=settings.describe())
                               for no, to in sent))
    return 0


def cmd_run(args: argparse.Namespace, ctx: Context) -> int:
    hub = _hub(ctx)
    settings = hub.smtp_settings() if args.send else None
    result = hub.automation.run(_today(args, ctx), create=args.create, issue=args.issue,
                                send=args.send, customer_nos=args.customer,
                                settings=settings, stop_on_error=args.stop_on_error)

    def text() -> str:
        lines = [_("Run {run_id} for {run_date} ({actions}): {count} created, {count2} "
                    "issued, {count3} sent, {count4} error(s)").format(run_id=result.run_id,
                    run_date=result.run_date, actions=', '.join(result.actions),
                    count=len(result.created), count2=len(result.issued), count3=len(result.sent),
                    count4=len(result.errors))]
        lines += [f"  {what}: {message}" for what, message in result.errors]
        return "\n".join(lines)

    ctx.emit(result.as_json(), text)
    return 1 if result.errors else 0


def cmd_log(args: argparse.Namespace, ctx: Context) -> int:
    runs = _hub(ctx).automation.runs()
    ctx.emit(
        runs,
        lambda: (
            "\n".join(
                _(
                    "{id:>4} {run_date} {actions:<18} created {created} issued {issued} "
                    "sent {sent} errors {errors}"
                ).format(
                    id=r["id"],
                    run_date=r["run_date"],
                    actions=r["actions"],
                    created=r["created"],
                    issued=r["issued"],
                    sent=r["sent"],
                    errors=r["errors"],
                )
                for r in runs
            )
            or _("No runs yet.")
        ),
    )
    return 0
