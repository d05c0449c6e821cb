"""``lettrage reconcile ...``: the payment reconciliation journal from the command line.

``apply-auto`` opens the bank account's journal (made from its imported statement
lines when none is open) and runs Apply Automatically; ``lines`` lists the journal;
``post`` posts payments only, or with ``--reconcile`` posts and reconciles the bank
account. The same ``ReconciliationService`` the TUI uses.
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from typing import Any

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.money import AmountError, fmt, parse_amount
from core.reconciliation.service import ReconciliationService
from core.reconciliation.types import JournalView, LineView, PostResult, amount_text, line_json
from tui.cli.context import Context

TEXT_WIDTH = 40


def register(sub: Any) -> None:
    p = sub.add_parser("reconcile", help=N_("payment reconciliation journal: apply, list, post"))
    cmds = p.add_subparsers(dest="reconcile_command", metavar="ACTION", required=True)

    c = cmds.add_parser("apply-auto", help=N_("apply the bank account's statement lines "
                        "automatically"))
    _common(c)
    c.set_defaults(func=cmd_apply_auto)

    c = cmds.add_parser("lines", help=N_("list the lines of the open journal"))
    _common(c)
    c.add_argument("--review", action="store_true", help=N_("only the lines to review"))
    c.set_defaults(func=cmd_lines)

    c = cmds.add_parser("post", help=N_("post payments (and reconcile the bank account)"))
    _common(c)
    c.add_argument("--reconcile", action="store_true",
                   help=N_("post payments and reconcile the bank account"))
    c.add_argument("--ending-balance", metavar="AMOUNT", type=_amount,
                   help=N_("statement ending balance (default: from the imported statement)"))
    c.add_argument("--statement-date", metavar="DATE", type=_date,
                   help=N_("statement date, YYYY-MM-DD (default: the last transaction date)"))
    c.add_argument("--preview", action="store_true", help=N_("show what would be posted"))
    c.set_defaults(func=cmd_post)


def _common(c: argparse.ArgumentParser) -> None:
    c.add_argument("--bank-account", metavar="NO", required=True)
    c.add_argument("--json", action="store_true")


def _amount(text: str) -> Decimal:
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _service(ctx: Context) -> ReconciliationService:
    # the run's own session (Services.session_token): the command claims the journal while
    # it runs, so it refuses a journal a clerk is working in the app (who sees the holder)
    return ctx.services.reconciliation


def _journal(service: ReconciliationService, bank: str) -> JournalView:
    view = service.find_open_journal(bank)
    if view is None:
        raise LettrageError(N_("Bank account {bank} has no open payment reconciliation "
                               "journal: import a statement and run 'lettrage reconcile "
                               "apply-auto --bank-account {bank}' first"), bank=bank)
    return view


# --- commands -------------------------------------------------------------------------------


def cmd_apply_auto(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    opened = service.open_journal(args.bank_account)
    with service.claims.hold(opened.id):
        view = service.apply_automatically(opened.id)
    lines = service.lines(view.id)
    ctx.emit({"lines": [line_json(v) for v in lines]},
             lambda: _journal_text(view, lines))
    return 0


def cmd_lines(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    view = _journal(service, args.bank_account)
    lines = service.lines(view.id, sort="review" if args.review else "date")
    if args.review:
        lines = [v for v in lines if v.needs_review]
    ctx.emit({"lines": [line_json(v) for v in lines]}, lambda: _journal_text(view, lines))
    return 0


def cmd_post(args: argparse.Namespace, ctx: Context) -> int:
    if args.ending_balance is not None and not args.reconcile:
        raise LettrageError(N_("--ending-balance is only used with --reconcile"))
    service = _service(ctx)
    view = _journal(service, args.bank_account)
    with service.claims.hold(view.id):
        result = service.post(view.id, reconcile=args.reconcile,
                              statement_date=args.statement_date,
                              ending_balance=args.ending_balance, preview=args.preview)
    ctx.emit(_post_dict(result), result.message)
    return 0


# --- output ---------------------------------------------------------------------------------


def _journal_text(view: JournalView, lines: list[LineView]) -> str:
    head = [_("Bank account {bank_account_no}, statement {statement_no}: {line_count} lines, "
              "{applied_lines} applied, {lines_to_review} to review, {lines_with_difference} "
              "with difference").format(
                bank_account_no=view.bank_account_no, statement_no=view.statement_no,
                line_count=view.line_count, applied_lines=view.applied_lines,
                lines_to_review=view.lines_to_review,
                lines_with_difference=view.lines_with_difference)]
    if view.message:
        head.append(view.message)
    head += list(view.notifications)
    for v in lines:
        text = (v.related_party_name or v.text)[:TEXT_WIDTH]
        account = f"{v.account_type} {v.account_no}" if v.account_no else "-"
        flag = "review" if v.needs_review else ""
        head.append(f"{v.line_no:>7} {v.transaction_date} {fmt(v.amount):>14}  "
                    f"{text:<{TEXT_WIDTH}} {v.confidence:<17} {v.score:>5} {account:<22} {flag}")
    return "\n".join(head)


def _post_dict(r: PostResult) -> dict[str, Any]:
    return {
        "bank_account_no": r.bank_account_no, "statement_no": r.statement_no,
        "statement_date": r.statement_date.isoformat(), "reconciled": r.reconciled,
        "preview": r.preview, "lines_posted": r.lines_posted,
        "total_amount": amount_text(r.total_amount),
        "balance_last_statement": amount_text(r.balance_last_statement),
        "statement_ending_balance": amount_text(r.statement_ending_balance),
        "register_no": r.register_no, "bank_entries_closed": list(r.bank_entries_closed),
        "message": r.message,
    }
