"""The ``lettrage`` commands of ``tui.cli.bankrec`` (its parsers)."""

from __future__ import annotations

import argparse
from typing import Any

from core.bank_reconciliation.checks import CheckService
from core.bank_reconciliation.posting import BankRecPosting
from core.bank_reconciliation.service import BankRecService
from core.bank_reconciliation.views import (
    CheckView,
    Outstanding,
    RecLineView,
    RecView,
    TestReport,
    amount_text,
)
from core.i18n import _
from core.kernel.money import fmt
from tui.cli.context import Context

TEXT_WIDTH = 34
# How lines were matched, as the reconciliation screen shows it (1:1, n:1, 1:n).
MATCH_KIND_TEXT = {"one_to_one": "1:1", "many_to_one": "n:1", "one_to_many": "1:n"}


def _services(ctx: Context) -> tuple[BankRecService, BankRecPosting]:
    store = ctx.services.store
    return BankRecService(store), BankRecPosting(store)


# --- commands -------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    service, _p = _services(ctx)
    rec, message = service.import_statement(args.file, args.bank_account,
                                            statement_date=args.statement_date,
                                            ending_balance=args.ending_balance)
    ctx.emit({"message": message, **_rec_json(rec)}, lambda: f"{message}\n{_header(rec)}")
    return 0


def cmd_suggest(args: argparse.Namespace, ctx: Context) -> int:
    service, _p = _services(ctx)
    rec = service.suggest_lines(args.bank_account, args.date_from, args.date_to)
    lines = service.lines(rec.id)
    ctx.emit({"lines": [v.as_json() for v in lines]}, lambda: _lines_text(rec, lines))
    return 0


def cmd_match_auto(args: argparse.Namespace, ctx: Context) -> int:
    service, _p = _services(ctx)
    rec = service.open_rec(args.bank_account)
    summary = service.match_auto(rec.id, args.date_tolerance,
                                 amount_alone_needs_text=not args.amount_alone)
    lines = service.lines(rec.id)
    manual = _("manual")
    kinds = ", ".join(f"{n} {MATCH_KIND_TEXT.get(k) or manual}"
                      for k, n in sorted(summary.by_kind.items())) or _("none")
    ctx.emit({"lines": [v.as_json() for v in lines]},
             lambda: _("Matched {matched_lines} line(s) ({kinds})\n").format(
                        matched_lines=summary.matched_lines, kinds=kinds)
             + _lines_text(summary.rec, lines))
    return 0


def cmd_lines(args: argparse.Namespace, ctx: Context) -> int:
    service, _p = _services(ctx)
    rec = service.open_rec(args.bank_account)
    lines = service.lines(rec.id)
    ctx.emit({"lines": [v.as_json() for v in lines]}, lambda: _lines_text(rec, lines))
    return 0


def cmd_test_report(args: argparse.Namespace, ctx: Context) -> int:
    service, posting = _services(ctx)
    rec = service.open_rec(args.bank_account)
    report = posting.test_report(rec.id)
    ctx.emit(_report_json(report), lambda: _report_text(report))
    return 0


def cmd_outstanding(args: argparse.Namespace, ctx: Context) -> int:
    _s, posting = _services(ctx)
    at = args.at or ctx.services.today()
    out = posting.outstanding(args.bank_account, at)
    ctx.emit(_outstanding_json(out), lambda: _outstanding_text(out))
    return 0


def cmd_post(args: argparse.Namespace, ctx: Context) -> int:
    service, posting = _services(ctx)
    rec = service.open_rec(args.bank_account)
    result = posting.post(rec.id)
    ctx.emit({"message": result.message, "statement_no": result.statement.statement_no,
              "closed_entries": list(result.closed_entries),
              "closed_checks": list(result.closed_checks)}, result.message)
    return 0


def cmd_undo(args: argparse.Namespace, ctx: Context) -> int:
    service, posting = _services(ctx)
    rec_id = posting.undo(args.bank_account, args.statement_no)
    rec = service.rec(rec_id)
    message = (_("Statement {statement_no} of bank account {bank_account} undone: its "
                  "lines are in the open reconciliation {statement_no2}").format(
                  statement_no=args.statement_no, bank_account=args.bank_account,
                  statement_no2=rec.statement_no))
    ctx.emit({"message": message, **_rec_json(rec)}, message)
    return 0


def _check_json(c: CheckView) -> dict[str, Any]:
    return {"entry_no": c.entry_no, "bank_account_no": c.bank_account_no,
            "bank_entry_no": c.bank_entry_no, "check_no": c.check_no,
            "check_date": c.check_date.isoformat(), "amount": amount_text(c.amount),
            "status": c.status, "statement_status": c.statement_status, "open": c.open}


def cmd_checks(args: argparse.Namespace, ctx: Any) -> int:
    checks = CheckService(ctx.services.store).checks(args.bank_account, open_only=args.open)
    ctx.emit({"checks": [_check_json(c) for c in checks]},
             lambda: "\n".join(f"{c.entry_no:>6} {c.check_no:<12} {c.check_date} "
                               f"{fmt(c.amount):>14} {c.status:<19} {c.statement_status}"
                               for c in checks) or _("No check ledger entries."))
    return 0


def cmd_void_check(args: argparse.Namespace, ctx: Any) -> int:
    check = CheckService(ctx.services.store).void_check(
        args.bank_account, args.check, args.financial, args.date)
    message = (_("Check {check_no} of bank account {bank} voided financially: the reversing "
                 "bank entry is posted and both entries are closed.") if args.financial
               else _("Check {check_no} of bank account {bank} voided; its bank entry stays "
                      "outstanding.")).format(check_no=check.check_no, bank=check.bank_account_no)
    ctx.emit({"message": message, "check": _check_json(check)}, message)
    return 0


# --- output ---------------------------------------------------------------------------------


def _rec_json(rec: RecView) -> dict[str, Any]:
    return {"bank_account_no": rec.bank_account_no, "statement_no": rec.statement_no,
            "statement_date": rec.statement_date.isoformat() if rec.statement_date else None,
            "balance_last_statement": amount_text(rec.balance_last_statement),
            "statement_ending_balance": amount_text(rec.statement_ending_balance),
            "lines": rec.line_count, "matched": rec.matched_count,
            "difference": amount_text(rec.total_difference)}


def _header(rec: RecView) -> str:
    return (_("Bank {bank_account_no} statement {statement_no} {value}: last "
               "{balance_last_statement}, ending {statement_ending_balance}, {line_count} "
               "line(s), {matched_count} matched, difference {total_difference}").format(
               bank_account_no=rec.bank_account_no, statement_no=rec.statement_no,
               value=rec.statement_date or _('(no date)'),
               balance_last_statement=fmt(rec.balance_last_statement),
               statement_ending_balance=fmt(rec.statement_ending_balance),
               line_count=rec.line_count, matched_count=rec.matched_count,
               total_difference=fmt(rec.total_difference)))


def _lines_text(rec: RecView, lines: list[RecLineView]) -> str:
    out = [_header(rec)]
    for v in lines:
        entries = ",".join(str(e.entry_no) for e in v.matched_entries) or "-"
        out.append(f"{v.line_no:>6} {v.transaction_date} {fmt(v.amount):>12} "
                   f"{v.text[:TEXT_WIDTH]:<{TEXT_WIDTH}} {v.match:<11} {entries}")
    return "\n".join(out)


def _report_json(r: TestReport) -> dict[str, Any]:
    return {**_rec_json(r.rec), "gl_balance": amount_text(r.gl_balance),
            "sum_of_differences": amount_text(r.sum_of_differences),
            "outstanding_bank_transactions": amount_text(r.outstanding_transactions),
            "outstanding_checks": amount_text(r.outstanding_checks),
            "bank_account_balance": amount_text(r.bank_account_balance),
            "unmatched_lines": r.unmatched_lines, "warnings": list(r.warnings)}


def _report_text(r: TestReport) -> str:
    rows = [(_("Statement date"), str(r.statement_date or "")),
            (_("Balance last statement"), fmt(r.rec.balance_last_statement)),
            (_("Statement ending balance"), fmt(r.rec.statement_ending_balance)),
            (_("G/L balance at the date"), fmt(r.gl_balance)),
            (_("Sum of differences"), fmt(r.sum_of_differences)),
            (_("Outstanding bank transactions"), fmt(r.outstanding_transactions)),
            (_("Outstanding checks"), fmt(r.outstanding_checks)),
            (_("Bank account balance"), fmt(r.bank_account_balance))]
    text = [_("Test report, bank {bank_account_no} statement {statement_no}").format(
               bank_account_no=r.rec.bank_account_no, statement_no=r.rec.statement_no)]
    text += [f"  {k:<30}{v:>16}" for k, v in rows]
    text += [_("  warning: {w}").format(w=w) for w in r.warnings]
    return "\n".join(text)


def _outstanding_json(out: Outstanding) -> dict[str, Any]:
    def items(rows: Any) -> list[dict[str, Any]]:
        return [{"entry_no": i.entry_no, "posting_date": i.posting_date.isoformat(),
                 "document_no": i.document_no, "description": i.description,
                 "amount": amount_text(i.amount), "check_no": i.check_no} for i in rows]

    return {"bank_account_no": out.bank_account_no, "at": out.at.isoformat(),
            "transactions": items(out.transactions), "checks": items(out.checks),
            "transactions_total": amount_text(out.transactions_total),
            "checks_total": amount_text(out.checks_total)}


def _outstanding_text(out: Outstanding) -> str:
    text = [_("Outstanding items of bank {bank_account_no} at {at}").format(
               bank_account_no=out.bank_account_no, at=out.at)]
    for title, rows, total in ((_("Bank transactions"), out.transactions, out.transactions_total),
                               (_("Checks"), out.checks, out.checks_total)):
        text.append(_("{title}: {count}, total {total}").format(title=title, count=len(rows),
                       total=fmt(total)))
        text += [f"  {i.entry_no:>7} {i.posting_date} {i.document_no[:14]:<14} "
                 f"{i.description[:30]:<30} {fmt(i.amount):>12}" for i in rows]
    return "\n".join(text)
