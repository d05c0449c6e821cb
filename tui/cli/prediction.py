"""``lettrage predict train|evaluate|show|refresh`` and ``load payment-history``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from core.prediction.history import load_payment_history
from core.prediction.model import Quality
from core.prediction.service import NoUsableModel, PredictionService, PredictionView
from tui.cli.context import Context

TEXT = {
    "train": "train the model on the closed invoices now and print its quality report",
    "evaluate": "measure a model trained now on the newest invoices (stores nothing)",
    "show": "the prediction of every open invoice not yet due",
    "refresh": "for cron: retrain when closed invoices grew 10 %%, then score open invoices",
    "none": "No open invoice not yet due has a prediction.",
}


def register(sub: Any) -> None:
    p = sub.add_parser("predict", help="late payment prediction (a local, explained model)")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True,
                             parser_class=type(p))
    for verb, func in (("train", cmd_train), ("evaluate", cmd_evaluate),
                       ("refresh", cmd_refresh)):
        v = verbs.add_parser(verb, help=TEXT[verb])
        v.add_argument("--json", action="store_true")
        v.set_defaults(func=func)
    v = verbs.add_parser("show", help=TEXT["show"])
    v.add_argument("--customer", metavar="NO")
    v.add_argument("--late", action="store_true", help="only those predicted late")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_show)


def service(ctx: Context) -> PredictionService:
    return ctx.services.prediction


def quality_text(q: Quality) -> str:
    def pct(v: float) -> str:
        return f"{v:.0%}"

    lines = [f"Learnt from {q.invoices:,} closed invoices ({q.late:,} late); tested on the "
             f"newest {q.test_invoices:,} (posted from {q.test_from}).",
             f"{'':<24}{'model':>10}{'baseline':>10}",
             f"{'ROC AUC':<24}{q.roc_auc:>10.3f}{q.baseline_roc_auc:>10.3f}",
             f"{'precision of late':<24}{pct(q.precision_late):>10}"
             f"{pct(q.baseline_precision_late):>10}",
             f"{'recall of late':<24}{pct(q.recall_late):>10}{pct(q.baseline_recall_late):>10}",
             f"{'days late, mean error':<24}{q.mae_days:>10.1f}{q.baseline_mae_days:>10.1f}",
             "(baseline: the customer's own past late ratio and average days late)"]
    if q.usable:
        lines.append(f"Quality {q.roc_auc:.2f} reaches the threshold {q.threshold:.2f}: "
                     "the model is used.")
    else:
        lines.append(f"Quality {q.roc_auc:.2f} is below the threshold {q.threshold:.2f}: "
                     "the model is NOT used; no predictions are shown.")
    return "\n".join(lines)


def cmd_train(args: argparse.Namespace, ctx: Context) -> int:
    report = service(ctx).train()
    ctx.emit(report.as_dict(), lambda: f"Model version {report.version} trained on "
             f"{report.trained_on}.\n{quality_text(report.quality)}\n"
             f"{report.predictions:,} open invoices scored.")
    return 0


def cmd_evaluate(args: argparse.Namespace, ctx: Context) -> int:
    q = service(ctx).evaluate()
    ctx.emit(q.as_dict(), lambda: quality_text(q))
    return 0


def cmd_refresh(args: argparse.Namespace, ctx: Context) -> int:
    report = service(ctx).refresh()
    what = "retrained (closed invoices grew 10 % or no model yet)" if report.retrained \
        else "not retrained (closed invoices grew less than 10 %)"
    ctx.emit(report.as_dict(), f"Model version {report.version} {what}; "
             f"{report.predictions:,} open invoices scored.")
    return 0


def _line(v: PredictionView) -> str:
    head = (f"{v.document_no:<12} {v.customer_no:<8} due {v.due_date}  "
            f"{'LATE   ' if v.late else 'on time'} {v.confidence:<6} {v.confidence_pct:>3} %  "
            f"expected {v.expected_payment_date}")
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


def cmd_load_history(path: Path, ctx: Context) -> int:
    """``lettrage load payment-history FILE.csv`` (registered by tui.cli.base)."""
    result = load_payment_history(ctx.services.store, path)
    ctx.emit(asdict(result), f"Loaded {result.written} paid invoices into the payment "
             f"history from {path}")
    return 0
