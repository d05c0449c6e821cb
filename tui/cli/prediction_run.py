"""The ``lettrage`` commands of ``tui.cli.prediction`` (its parsers)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from core.i18n import _, format_date
from core.prediction.history import load_payment_history
from core.prediction.model import Quality
from core.prediction.service import (
    NoUsableModel,
    PredictionService,
    PredictionView,
    draft_from,
)
from core.queries.types import PageRequest
from tui.cli.context import Context
from tui.cli.prediction import TEXT


def service(ctx: Context) -> PredictionService:
    return ctx.services.prediction


def quality_text(q: Quality) -> str:
    def pct(v: float) -> str:
        return f"{v:.0%}"

    lines = [_("Learnt from {invoices:,} closed invoices ({late:,} late); tested on the "
                "newest {test_invoices:,} (posted from {test_from}).").format(invoices=q.invoices,
                late=q.late, test_invoices=q.test_invoices, test_from=q.test_from),
             f"{'':<24}{'model':>10}{'baseline':>10}",
             f"{'ROC AUC':<24}{q.roc_auc:>10.3f}{q.baseline_roc_auc:>10.3f}",
             f"{'precision of late':<24}{pct(q.precision_late):>10}"
             f"{pct(q.baseline_precision_late):>10}",
             f"{'recall of late':<24}{pct(q.recall_late):>10}{pct(q.baseline_recall_late):>10}",
             f"{'days late, mean error':<24}{q.mae_days:>10.1f}{q.baseline_mae_days:>10.1f}",
             _("(baseline: the customer's own past late ratio and average days late)")]
    if q.usable:
        lines.append(_("Quality {roc_auc:.2f} reaches the threshold {threshold:.2f}: the "
                        "model is used.").format(roc_auc=q.roc_auc, threshold=q.threshold))
    else:
        lines.append(_("Quality {roc_auc:.2f} is below the threshold {threshold:.2f}: the "
                        "model is NOT used; no predictions are shown.").format(roc_auc=q.roc_auc,
                        threshold=q.threshold))
    return "\n".join(lines)


def cmd_train(args: argparse.Namespace, ctx: Context) -> int:
    report = service(ctx).train()
    ctx.emit(report.as_dict(), lambda: _("Model version {version} trained on "
                                          "{trained_on}.\n{quality}\n{predictions:,} open "
                                          "invoices scored.").format(version=report.version,
                                          trained_on=report.trained_on,
                                          quality=quality_text(report.quality),
                                          predictions=report.predictions))
    return 0


def cmd_evaluate(args: argparse.Namespace, ctx: Context) -> int:
    q = service(ctx).evaluate()
    ctx.emit(q.as_dict(), lambda: quality_text(q))
    return 0


def cmd_refresh(args: argparse.Namespace, ctx: Context) -> int:
    report = service(ctx).refresh()
    what = _("retrained (closed invoices grew 10 % or no model yet)") if report.retrained \
        else _("not retrained (closed invoices grew less than 10 %)")
    ctx.emit(report.as_dict(), _("Model version {version} {what}; {predictions:,} open "
                                  "invoices scored.").format(version=report.version, what=what,
                                  predictions=report.predictions))
    return 0


def _line(v: PredictionView) -> str:
    head = (_("{document_no:<12} {customer_no:<8} due {due_date}  {value} {confidence:<6} "
               "{confidence_pct:>3} %  expected {expected_payment_date}").format(
               document_no=v.document_no, customer_no=v.customer_no,
               due_date=format_date(v.due_date),
               value=_('LATE   ') if v.late else _('on time'), confidence=_(v.confidence),
               confidence_pct=v.confidence_pct,
               expected_payment_date=format_date(v.expected_payment_date)))
    return head + "".join(f"\n    - {r}" for r in v.reasons)


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    svc = service(ctx)
    status = svc.status()
    if not status.usable:
        raise NoUsableModel(status.message)
    views = svc.predictions(args.customer, late_only=args.late)
    ctx.emit([v.as_dict() for v in views],
             lambda: "\n".join(_line(v) for v in views) if views else TEXT["none"])
    return 0


def cmd_drafts(args: argparse.Namespace, ctx: Context) -> int:
    """``predict drafts``: the unposted sales invoices scored (nothing stored); the JSON
    has the keys of ``predict show`` (``entry_no`` 0: not posted yet)."""
    sales = ctx.services.sales
    if args.document:
        docs = [sales.document_by_no("invoice", args.document)]
    else:
        docs, request = [], PageRequest(limit=500)
        while True:
            page = sales.documents("invoice", request, customer_no=args.customer or "")
            docs += page.rows
            if not page.more_after or not page.keys:
                break
            request = PageRequest(after=page.keys[-1], limit=500)
    views = service(ctx).score_drafts([draft_from(d) for d in docs])
    ctx.emit([v.as_dict() for v in views],
             lambda: "\n".join(_line(v) for v in views) if views else TEXT["no_drafts"])
    return 0


def cmd_load_history(path: Path, ctx: Context) -> int:
    """``lettrage load payment-history FILE.csv`` (registered by tui.cli.base)."""
    result = load_payment_history(ctx.services.store, path)
    ctx.emit(asdict(result), _("Loaded {written} paid invoices into the payment history "
                                "from {path}").format(written=result.written, path=path))
    return 0
