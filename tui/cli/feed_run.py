"""The ``lettrage`` commands of ``tui.cli.feed`` (its parsers)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from core.feed.service import BankFeedStatus, FeedService, FileOutcome, InboxView
from core.feed.watch import FeedWatcher
from core.i18n import _
from tui.cli.context import Context


def _service(ctx: Context) -> FeedService:
    return ctx.services.feed


# --- commands -------------------------------------------------------------------------------


def cmd_watch(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    if not service.inboxes():
        print(_("lettrage: no inbox is configured: add one with 'lettrage feed add --dir PATH'"),
              file=sys.stderr)
        return 1

    def report(o: FileOutcome) -> None:
        if o.status == "deferred":
            return
        if args.json:
            print(json.dumps(o.as_json(), ensure_ascii=False), flush=True)
        else:
            print(_outcome_text(o), flush=True)

    watcher = FeedWatcher(service, settle=args.settle, interval=args.interval,
                          reject_grace=args.reject_after, use_events=not args.poll,
                          report=None if args.once else report)
    if args.once:
        outcomes = watcher.run_once()
        if args.json:
            print(json.dumps({"files": [o.as_json() for o in outcomes]}, indent=2,
                             ensure_ascii=False))
        else:
            for o in outcomes:
                print(_outcome_text(o))
            if not outcomes:
                print(_("No new file in the inboxes."))
        return 1 if any(o.status == "rejected" for o in outcomes) else 0
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    watcher.stop_event_wakes(stop)
    if not args.json:
        dirs = ", ".join(i.directory for i in service.inboxes())
        print(_("Watching {dirs} (Ctrl+C to stop)").format(dirs=dirs), flush=True)
    watcher.run(stop)
    return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    rows = service.status()
    ctx.emit({"banks": [r.as_json() for r in rows],
              "inboxes": [_inbox_json(i) for i in service.inboxes()]},
             lambda: _status_text(rows))
    return 0


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    view = _service(ctx).add_inbox(args.dir, args.bank_account, args.profile,
                                   apply_automatically=not args.no_apply)
    target = (
        _("bank account {bank_account_no}").format(bank_account_no=view.bank_account_no)
        if view.bank_account_no
        else _("the bank account whose IBAN each file names")
    )
    ctx.emit(_inbox_json(view), _("Inbox {id} added: {directory} -> {target}").format(id=view.id,
                                   directory=view.directory, target=target))
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = _service(ctx).inboxes()
    ctx.emit({"inboxes": [_inbox_json(i) for i in rows]},
             lambda: "\n".join(_inbox_text(i) for i in rows) or _("No inbox is configured."))
    return 0


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    view = _service(ctx).remove_inbox(args.inbox)
    ctx.emit(_inbox_json(view), _("Inbox {id} removed ({directory}); its files stay in "
                                   "the folder.").format(id=view.id, directory=view.directory))
    return 0


# --- output ---------------------------------------------------------------------------------


def _inbox_json(i: InboxView) -> dict[str, object]:
    return {"id": i.id, "dir": i.directory, "bank_account_no": i.bank_account_no or None,
            "profile": i.profile or None, "apply_automatically": i.apply_automatically}


def _inbox_text(i: InboxView) -> str:
    bank = i.bank_account_no or _("by IBAN")
    extra = _(", profile {profile}").format(profile=i.profile) if i.profile else ""
    extra += "" if i.apply_automatically else _(", import only")
    return f"{i.id:>3}  {i.directory}  ->  {bank}{extra}"


def _outcome_text(o: FileOutcome) -> str:
    banks = ", ".join(o.bank_accounts) or "-"
    if o.status == "rejected":
        return _("{file_name}: rejected ({reason})").format(file_name=o.file_name,
                  reason=o.reason)
    if o.status == "already_imported":
        return _("{file_name}: nothing new for {banks} (already imported); archived").format(
                  file_name=o.file_name, banks=banks)
    text = (_("{file_name}: {lines_new} new lines for {banks}, {lines_applied} applied, "
               "{lines_to_review} to review").format(file_name=o.file_name, lines_new=o.lines_new,
               banks=banks, lines_applied=o.lines_applied, lines_to_review=o.lines_to_review))
    return "\n  ".join((text, *o.notes))


def _status_text(rows: list[BankFeedStatus]) -> str:
    if not rows:
        return _("No bank has a feed yet: add an inbox with 'lettrage feed add --dir PATH'.")
    out = []
    for r in rows:
        last = (_("last file {last_file} at {last_file_at:%Y-%m-%d %H:%M}").format(
                   last_file=r.last_file, last_file_at=r.last_file_at)
                if r.last_file_at else _("no file yet"))
        out.append(_("{bank_account_no} {bank_account_name}: {last}; {lines_to_review} "
                      "lines to review, {lines_waiting} not applied").format(
                      bank_account_no=r.bank_account_no, bank_account_name=r.bank_account_name,
                      last=last, lines_to_review=r.lines_to_review, lines_waiting=r.lines_waiting))
        if r.last_error_at:
            out.append(_("  last rejected: {last_error_file} at {last_error_at:%Y-%m-%d "
                          "%H:%M}: {last_error}").format(last_error_file=r.last_error_file,
                          last_error_at=r.last_error_at, last_error=r.last_error))
    return "\n".join(out)
