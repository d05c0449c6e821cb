"""The ``lettrage reconcile ...`` commands (their parsers: ``tui.cli.reconcile``)."""

from __future__ import annotations

import argparse
from typing import Any

from core.i18n import N_, _, format_amount, format_date
from core.kernel.errors import LettrageError
from core.kernel.gcpause import gc_paused
from core.kernel.money import fmt
from core.reconciliation.service import ReconciliationService
from core.reconciliation.types import JournalView, LineView, PostResult, amount_text, line_json
from tui.cli.context import Context

TEXT_WIDTH = 40


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
    # 10,000 lines' views and JSON are many small acyclic objects: the cyclic collector
    # is paused for the whole command (the matching pauses it too, see gc_paused)
    with gc_paused():
        service = _service(ctx)
        opened = service.open_journal(args.bank_account)
        with service.claims.hold(opened.id):
            view = service.apply_automatically(opened.id)
        if ctx.json:  # the rows as printed, without the views the text needs
            ctx.emit({"lines": service.listing(view.id)}, "")
            return 0
        lines = service.lines(view.id)
        ctx.emit({}, lambda: _journal_text(view, lines))
    return 0


def cmd_lines(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(ctx)
    view = _journal(service, args.bank_account)
    if ctx.json:
        ctx.emit({"lines": service.listing(view.id, sort="review" if args.review else "date",
                                           review_only=args.review)}, "")
        return 0
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


def _line_ids(service: ReconciliationService, view: JournalView, numbers: list[int]
              ) -> list[int]:
    by_no = {v.line_no: v.id for v in service.lines(view.id)}
    missing = [n for n in numbers if n not in by_no]
    if missing:
        raise LettrageError(N_("The journal of bank account {bank} has no line {line_no} "
                               "(see 'lettrage reconcile lines')"),
                            bank=view.bank_account_no, line_no=missing[0])
    return [by_no[n] for n in numbers]


def cmd_accept(args: argparse.Namespace, ctx: Any) -> int:
    service = _service(ctx)
    view = _journal(service, args.bank_account)
    with service.claims.hold(view.id):
        lines = service.accept(_line_ids(service, view, args.line))
    ctx.emit({"lines": [line_json(v) for v in lines]},
             lambda: _lines_text(_("Accepted:"), lines))
    return 0


def cmd_remove(args: argparse.Namespace, ctx: Any) -> int:
    service = _service(ctx)
    view = _journal(service, args.bank_account)
    with service.claims.hold(view.id):
        lines = service.remove_applications(_line_ids(service, view, args.line))
    ctx.emit({"lines": [line_json(v) for v in lines]},
             lambda: _lines_text(_("Applications removed:"), lines))
    return 0


def cmd_transfer(args: argparse.Namespace, ctx: Any) -> int:
    service = _service(ctx)
    view = _journal(service, args.bank_account)
    with service.claims.hold(view.id):
        (line_id,) = _line_ids(service, view, [args.line])
        result = service.transfer_difference(line_id, args.account_type, args.account,
                                             args.description)
    lines = [result.line] + ([result.new_line] if result.new_line else [])
    message = result.message or _("Line {line_no}: {amount} transferred to {account}.").format(
        line_no=args.line, amount=fmt(lines[-1].amount),
        account=account_words(args.account_type, args.account))
    ctx.emit({"message": message, "lines": [line_json(v) for v in lines]},
             lambda: _lines_text(message, lines))
    return 0


def cmd_map_text(args: argparse.Namespace, ctx: Any) -> int:
    if not (args.debit_account or args.credit_account):
        raise LettrageError(N_("Give --debit-account (money received) or --credit-account "
                               "(money paid out)"))
    service = _service(ctx)
    view = _journal(service, args.bank_account)
    with service.claims.hold(view.id):
        (line_id,) = _line_ids(service, view, [args.line])
        mapping = service.map_text_to_account(line_id, args.text, args.debit_account,
                                              args.credit_account)
        if not args.no_apply:
            view = service.apply_automatically(view.id)
    lines = service.lines(view.id)
    said = _("Text '{text}' mapped to G/L account {account}.").format(
        text=mapping.mapping_text, account=mapping.debit_acc_no or mapping.credit_acc_no)
    ctx.emit({"mapping": {"text": mapping.mapping_text, "debit_account": mapping.debit_acc_no,
                          "credit_account": mapping.credit_acc_no},
              "applied_again": not args.no_apply, "lines": [line_json(v) for v in lines]},
             lambda: said + "\n" + _journal_text(view, lines))
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
        account = account_words(v.account_type or "", v.account_no) if v.account_no else "-"
        flag = _("review") if v.needs_review else ""
        confidence = CONFIDENCE_WORDS.get(v.confidence)
        head.append(f"{v.line_no:>7} {format_date(v.transaction_date)} "
                    f"{format_amount(v.amount):>14}  {text:<{TEXT_WIDTH}} "
                    f"{_(confidence) if confidence else v.confidence:<17} {v.score:>5} "
                    f"{account:<22} {flag}")
    return "\n".join(head)


CONFIDENCE_WORDS = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low"),
                    "none": N_("None"), "manual": N_("Manual"), "accepted": N_("Accepted"),
                    "high_text_mapping": N_("High - text mapping")}
ACCOUNT_WORDS = {"gl_account": N_("G/L account {no}"), "customer": N_("customer {no}"),
                 "vendor": N_("vendor {no}"), "bank_account": N_("bank account {no}")}


def account_words(kind: str, no: str) -> str:
    """``G/L account 4900``, not ``gl_account 4900``."""
    return _(ACCOUNT_WORDS[kind]).format(no=no) if kind in ACCOUNT_WORDS else f"{kind} {no}"


def _lines_text(title: str, lines: list[LineView]) -> str:
    rows = [title]
    for v in lines:
        account = account_words(v.account_type or "", v.account_no) if v.account_no else "-"
        rows.append(f"{v.line_no:>7} {format_date(v.transaction_date)} "
                    f"{format_amount(v.amount):>14}  "
                    f"{(v.related_party_name or v.text)[:TEXT_WIDTH]:<{TEXT_WIDTH}} {account}")
    return "\n".join(rows)


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
